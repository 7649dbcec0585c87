package care_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

// TestAssignProperties checks Assign's invariants on small random
// districts: no helper above capacity; nobody paired who does not need a
// pair, nor with a helper who does not serve; no new pair for a cadre of a
// lower tier (or of the same tier but without a location) while one of a
// higher tier stays unpaired; nobody unpaired while a helper has room; no
// valid pair dropped (kept as it is without Rebalance, its cadre still
// paired with it); every other open pair ended; the same result whatever
// the order of the input.
func TestAssignProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		in, s := drawInstance(t)
		r := care.Assign(in, s)
		on := in.On

		cadres := map[uuid.UUID]cadre.Cadre{}
		for _, c := range in.Cadres {
			cadres[c.ID] = c
		}
		capacity := map[uuid.UUID]int{}
		for _, h := range in.Helpers {
			if h.Active(on) {
				capacity[h.ID] = h.Capacity
				if h.Capacity == 0 {
					capacity[h.ID] = s.Capacity
				}
			}
		}

		load := map[uuid.UUID]int{}
		paired := map[uuid.UUID]care.Assignment{}
		for _, a := range r.Pairs {
			load[a.HelperID]++
			_, dup := paired[a.CadreID]
			assert.False(t, dup, "cadre %v paired twice", a.CadreID)
			paired[a.CadreID] = a
			c := cadres[a.CadreID]
			assert.Positive(t, c.NeedTier(on, s.Policy), "paired cadre without a need")
			assert.Equal(t, cadre.StatusActive, c.Status)
			_, serves := capacity[a.HelperID]
			assert.True(t, serves, "paired with a helper who does not serve")
		}
		full := true
		for h, c := range capacity {
			assert.LessOrEqual(t, load[h], c, "helper above capacity")
			full = full && load[h] >= c
		}
		if len(r.Unpaired) > 0 {
			assert.True(t, full, "a cadre is unpaired while a helper has room")
		}
		hadPair := map[uuid.UUID]bool{} // cadres with a pair that is still valid
		for _, p := range in.Pairs {
			c := cadres[p.CadreID]
			if (p.To.IsZero() || p.To.After(on)) && capacity[p.HelperID] > 0 &&
				c.Status == cadre.StatusActive && c.NeedTier(on, s.Policy) > 0 {
				hadPair[p.CadreID] = true
			}
		}
		for _, u := range r.Unpaired {
			uc := cadres[u.CadreID]
			for _, a := range r.Pairs {
				if hadPair[a.CadreID] {
					continue // keeping comes before tiers, moved or not
				}
				assert.LessOrEqual(t, a.Tier, u.Tier, "a lower tier paired before a higher one")
				if a.Tier == u.Tier && uc.Location != nil {
					assert.NotNil(t, cadres[a.CadreID].Location, "a cadre without a location paired before one with")
				}
			}
		}

		ended := map[uuid.UUID]care.Pair{}
		for _, p := range r.Ended {
			ended[p.ID] = p
			assert.True(t, p.EndReason.Valid())
			assert.False(t, p.To.Before(p.From))
		}
		for _, p := range in.Pairs {
			if !p.To.IsZero() && !p.To.After(on) {
				continue // already ended
			}
			valid := hadPair[p.CadreID]
			a, stillPaired := paired[p.CadreID]
			switch {
			case valid && !s.Rebalance:
				assert.True(t, stillPaired && !a.New && a.Pair == p, "valid pair %v dropped", p.ID)
			case valid:
				assert.True(t, stillPaired, "cadre of valid pair %v left unpaired", p.ID)
				if !stillPaired || a.New {
					assert.Contains(t, ended, p.ID)
				}
			default:
				assert.Contains(t, ended, p.ID, "invalid pair %v not ended", p.ID)
			}
		}

		shuffled := in
		rng := rand.New(rand.NewPCG(uint64(len(in.Cadres)), 1))
		shuffled.Cadres = shuffledCopy(rng, in.Cadres)
		shuffled.Helpers = shuffledCopy(rng, in.Helpers)
		shuffled.Pairs = shuffledCopy(rng, in.Pairs)
		assert.Equal(t, r, care.Assign(shuffled, s), "result depends on input order")
	})
}

func shuffledCopy[T any](rng *rand.Rand, s []T) []T {
	out := append([]T(nil), s...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// drawInstance draws a district of up to 30 cadres and 8 helpers with
// existing pairs that never exceed a helper's capacity nor pair a cadre
// twice, so that every pair that is still valid must be kept.
func drawInstance(t *rapid.T) (care.AssignInput, care.AssignSettings) {
	on := cadre.NewDate(2026, 11, 28)
	s := care.DefaultAssignSettings()
	s.Rebalance = rapid.Bool().Draw(t, "rebalance")
	s.Capacity = rapid.IntRange(1, 5).Draw(t, "capacity")
	in := care.AssignInput{On: on}
	// Positions on a small grid, so that equal distances and ties occur.
	spot := func(label string) *cadre.Location {
		if rapid.IntRange(0, 7).Draw(t, label+" located") == 0 {
			return nil
		}
		return &cadre.Location{
			Lat: 36.6 + 0.01*float64(rapid.IntRange(0, 5).Draw(t, label+" lat")),
			Lng: 117.0 + 0.01*float64(rapid.IntRange(0, 5).Draw(t, label+" lng")),
		}
	}
	for i := range rapid.IntRange(0, 30).Draw(t, "cadres") {
		c := needy(i+1, rapid.IntRange(0, 5).Draw(t, "tier"), spot("cadre"))
		switch rapid.IntRange(0, 9).Draw(t, "status") {
		case 0:
			c.Status, c.StatusOn = cadre.StatusDeceased, on.AddDays(-3)
		case 1:
			c.Status, c.StatusOn = cadre.StatusMoved, on.AddDays(-5)
		}
		in.Cadres = append(in.Cadres, c)
	}
	for j := range rapid.IntRange(0, 8).Draw(t, "helpers") {
		h := care.Helper{
			ID: id(1000 + j), Name: fmt.Sprint("helper ", j), Base: spot("helper"),
			Capacity: rapid.IntRange(0, 4).Draw(t, "helper capacity"), ActiveFrom: cadre.NewDate(2020, 1, 1),
		}
		if rapid.IntRange(0, 5).Draw(t, "helper active") == 0 {
			h.ActiveTo = on.AddDays(-1)
		}
		in.Helpers = append(in.Helpers, h)
	}
	if len(in.Helpers) == 0 {
		return in, s
	}
	load := map[int]int{}
	for i, c := range in.Cadres {
		if !rapid.Bool().Draw(t, "has pair") {
			continue
		}
		j := rapid.IntRange(0, len(in.Helpers)-1).Draw(t, "pair helper")
		h := in.Helpers[j]
		capacity := h.Capacity
		if capacity == 0 {
			capacity = s.Capacity
		}
		if load[j] >= capacity {
			continue
		}
		load[j]++
		in.Pairs = append(in.Pairs, care.Pair{
			ID: id(5000 + i), HelperID: h.ID, CadreID: c.ID,
			From: on.AddDays(-rapid.IntRange(1, 400).Draw(t, "pair age")), Reason: cadre.NeedLixiu,
		})
	}
	return in, s
}
