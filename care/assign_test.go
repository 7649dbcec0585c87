package care_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

var assignOn = cadre.NewDate(2026, 11, 28)

// at returns a location d hundredths of a degree of longitude east of a
// fixed point (0.892 km each at Jinan's latitude).
func at(d int) *cadre.Location { return &cadre.Location{Lat: 36.65, Lng: 117.0 + 0.01*float64(d)} }

func helper(n int, base *cadre.Location, capacity int) care.Helper {
	return care.Helper{ID: id(n), Name: "helper", Base: base, Capacity: capacity, ActiveFrom: cadre.NewDate(2020, 1, 1)}
}

func pair(n, helperN, cadreN int) care.Pair {
	return care.Pair{ID: id(n), HelperID: id(helperN), CadreID: id(cadreN), From: cadre.NewDate(2025, 1, 1), Reason: cadre.NeedLixiu}
}

func pairsOf(r care.AssignResult) map[uuid.UUID]uuid.UUID {
	out := map[uuid.UUID]uuid.UUID{}
	for _, a := range r.Pairs {
		out[a.CadreID] = a.HelperID
	}
	return out
}

func TestAssignEndsPairs(t *testing.T) {
	died := needy(2, 1, at(0))
	died.Status, died.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 11, 20)
	moved := needy(3, 1, at(0))
	moved.Status, moved.StatusOn = cadre.StatusMoved, cadre.NewDate(2026, 10, 1)
	left := helper(101, at(0), 5)
	left.ActiveTo = cadre.NewDate(2026, 11, 1)

	in := care.AssignInput{
		On: assignOn,
		Cadres: []cadre.Cadre{
			needy(1, 1, at(0)), died, moved, needy(4, 0, at(0)), needy(5, 2, at(0)), needy(6, 3, at(1)),
		},
		Helpers: []care.Helper{helper(100, at(0), 5), left, helper(102, at(3), 1)},
		Pairs: []care.Pair{
			pair(200, 100, 1),  // valid: kept
			pair(201, 100, 2),  // cadre died
			pair(202, 100, 3),  // cadre moved away
			pair(203, 100, 4),  // no longer needs a pair
			pair(204, 101, 5),  // helper left
			pair(205, 102, 1),  // a second pair of cadre 1
			pair(206, 100, 99), // the cadre's record is gone
			{ID: id(207), HelperID: id(100), CadreID: id(6), From: cadre.NewDate(2024, 1, 1), To: cadre.NewDate(2025, 1, 1), Reason: cadre.NeedLixiu},
		},
	}
	r := care.Assign(in, care.DefaultAssignSettings())

	ends := map[uuid.UUID]care.Pair{}
	for _, p := range r.Ended {
		ends[p.ID] = p
	}
	want := map[int]struct {
		why care.EndReason
		to  cadre.Date
	}{
		201: {care.EndCadreDied, died.StatusOn},
		202: {care.EndCadreMoved, moved.StatusOn},
		203: {care.EndNotNeeded, assignOn},
		204: {care.EndHelperInactive, left.ActiveTo},
		205: {care.EndDuplicate, assignOn},
		206: {care.EndCadreMissing, assignOn},
	}
	require.Len(t, r.Ended, len(want))
	for n, w := range want {
		p, ok := ends[id(n)]
		if assert.True(t, ok, "pair %d not ended", n) {
			assert.Equal(t, w.why, p.EndReason, "pair %d", n)
			assert.Equal(t, w.to, p.To, "pair %d", n)
		}
	}

	require.Len(t, r.Pairs, 3)
	got := pairsOf(r)
	assert.Equal(t, id(100), got[id(1)], "valid pair kept")
	assert.Equal(t, id(100), got[id(5)], "cadre 5 re-paired with the nearest helper with room")
	assert.Equal(t, id(100), got[id(6)], "the helper at 0 is nearer than the one at 3")
	for _, a := range r.Pairs {
		if a.CadreID == id(1) {
			assert.False(t, a.New)
			assert.Equal(t, id(200), a.ID)
			continue
		}
		assert.True(t, a.New)
		assert.Equal(t, uuid.Nil, a.ID, "new pairs get their ID when stored")
		assert.Equal(t, assignOn, a.From)
	}
	assert.Equal(t, cadre.NeedSeriousHealth, pairByCadre(r, 5).Reason)
	assert.Empty(t, r.Unpaired)
}

func pairByCadre(r care.AssignResult, n int) care.Assignment {
	for _, a := range r.Pairs {
		if a.CadreID == id(n) {
			return a
		}
	}
	return care.Assignment{}
}

func TestAssignTiersAndCapacity(t *testing.T) {
	// Two places; tier 1, tier 2 and tier 3 cadres want them. The tier 1
	// cadre is far away, yet paired before the nearer tier 3 one.
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{needy(1, 3, at(0)), needy(2, 1, at(9)), needy(3, 2, at(1))},
		Helpers: []care.Helper{helper(100, at(0), 2)},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	assert.Equal(t, map[uuid.UUID]uuid.UUID{id(2): id(100), id(3): id(100)}, pairsOf(r))
	assert.Equal(t, []care.Unpaired{{CadreID: id(1), Tier: 3, Reason: care.UnpairedNoCapacity}}, r.Unpaired)
}

func TestAssignWithoutLocation(t *testing.T) {
	// One place left in tier 2: the cadre with a location takes it, and
	// the one without is told why.
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{needy(1, 2, nil), needy(2, 2, at(4))},
		Helpers: []care.Helper{helper(100, at(0), 1)},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	assert.Equal(t, map[uuid.UUID]uuid.UUID{id(2): id(100)}, pairsOf(r))
	assert.Equal(t, []care.Unpaired{{CadreID: id(1), Tier: 2, Reason: care.UnpairedNoLocation}}, r.Unpaired)

	// With room for both, the cadre without a location is paired, and the
	// distance counted is the setting, marked as not measured.
	in.Helpers[0].Capacity = 2
	s := care.DefaultAssignSettings()
	s.UnknownDistanceKm = 7
	r = care.Assign(in, s)
	a := pairByCadre(r, 1)
	assert.False(t, a.Located)
	assert.Equal(t, 7.0, a.Km)
	assert.True(t, pairByCadre(r, 2).Located)
	assert.InDelta(t, 3.5685, pairByCadre(r, 2).Km, 0.001)
	km, unknown := r.MeasuredKm()
	assert.InDelta(t, 3.5685, km, 0.001, "the setting is not a distance travelled")
	assert.Equal(t, 1, unknown)
	assert.InDelta(t, 10.5685, r.TotalKm(), 0.001)
}

// TestAssignAsOfPastDate: Assign for a date reads the records as they stood
// then: a death recorded for a later day has not happened, and a pair that
// begins later is not in force.
func TestAssignAsOfPastDate(t *testing.T) {
	later := needy(1, 1, at(0))
	later.Status, later.StatusOn = cadre.StatusDeceased, assignOn.AddDays(10)
	future := care.Pair{ID: id(300), HelperID: id(100), CadreID: id(2), From: assignOn.AddDays(5), Reason: cadre.NeedLixiu}
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{later, needy(2, 1, at(1))},
		Helpers: []care.Helper{helper(100, at(0), 5)},
		Pairs:   []care.Pair{pair(200, 100, 1), future},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	assert.Empty(t, r.Ended, "neither the later death nor the later pair ends anything on the day")
	assert.Equal(t, id(100), pairsOf(r)[id(1)], "cadre 1 is alive on the day and keeps the pair")
	for _, a := range r.Pairs {
		assert.NotEqual(t, id(300), a.ID, "the pair that begins later is not in force")
	}
	assert.Equal(t, 5, care.DefaultAssignSettings().CapacityOf(care.Helper{}))
	assert.Equal(t, 3, care.DefaultAssignSettings().CapacityOf(care.Helper{Capacity: 3}))
}

func TestAssignMinimisesDistance(t *testing.T) {
	// Greedy by cadre would give cadre 1 the helper at 0 (distance 0) and
	// send cadre 2 to the helper at 10; the optimum crosses them.
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{needy(1, 1, at(1)), needy(2, 1, at(-1))},
		Helpers: []care.Helper{helper(100, at(0), 1), helper(101, at(2), 1)},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	assert.Equal(t, map[uuid.UUID]uuid.UUID{id(1): id(101), id(2): id(100)}, pairsOf(r))
	assert.InDelta(t, 2*0.8921, r.TotalKm(), 0.001)
}

func TestAssignOverCapacity(t *testing.T) {
	// The helper's capacity was lowered to 1: the tier 1 cadre keeps the
	// pair, the tier 4 one loses it and goes to the other helper.
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{needy(1, 4, at(0)), needy(2, 1, at(0))},
		Helpers: []care.Helper{helper(100, at(0), 1), helper(101, at(5), 1)},
		Pairs:   []care.Pair{pair(200, 100, 1), pair(201, 100, 2)},
	}
	r := care.Assign(in, care.DefaultAssignSettings())
	require.Len(t, r.Ended, 1)
	assert.Equal(t, care.EndOverCapacity, r.Ended[0].EndReason)
	assert.Equal(t, id(200), r.Ended[0].ID)
	assert.Equal(t, map[uuid.UUID]uuid.UUID{id(1): id(101), id(2): id(100)}, pairsOf(r))
}

func TestAssignRebalance(t *testing.T) {
	// Cadre 1 is paired far away; a nearer helper now has room.
	in := care.AssignInput{
		On:      assignOn,
		Cadres:  []cadre.Cadre{needy(1, 5, at(0)), needy(2, 5, at(8))},
		Helpers: []care.Helper{helper(100, at(9), 1), helper(101, at(0), 1), helper(102, at(8), 1)},
		Pairs:   []care.Pair{pair(200, 100, 1), pair(201, 102, 2)},
	}
	s := care.DefaultAssignSettings()
	r := care.Assign(in, s)
	assert.Empty(t, r.Ended, "the nightly run never reshuffles valid pairs")
	assert.Equal(t, id(100), pairsOf(r)[id(1)])

	s.Rebalance = true
	r = care.Assign(in, s)
	assert.Equal(t, map[uuid.UUID]uuid.UUID{id(1): id(101), id(2): id(102)}, pairsOf(r))
	require.Len(t, r.Ended, 1)
	assert.Equal(t, care.EndRebalanced, r.Ended[0].EndReason)
	assert.Equal(t, id(200), r.Ended[0].ID)
	assert.False(t, pairByCadre(r, 2).New, "a pair that moving would not improve stays")

	// Equally near helpers: the pair stays where it is.
	in.Helpers[0].Base = at(0)
	r = care.Assign(in, s)
	assert.Empty(t, r.Ended)
}

func TestAssignSettingsValidate(t *testing.T) {
	assert.NoError(t, care.DefaultAssignSettings().Validate())
	s := care.DefaultAssignSettings()
	s.Capacity = 0
	s.UnknownDistanceKm = -1
	err := s.Validate()
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, []string{"capacity", "unknown_distance_km"}, ve.Fields())
	assert.ErrorIs(t, err, cadre.ErrInvalid)
}

func TestAssignEmpty(t *testing.T) {
	r := care.Assign(care.AssignInput{On: assignOn}, care.DefaultAssignSettings())
	assert.NotNil(t, r.Pairs)
	assert.NotNil(t, r.Ended)
	assert.NotNil(t, r.Unpaired)
	r = care.Assign(care.AssignInput{On: assignOn, Cadres: []cadre.Cadre{needy(1, 1, at(0))}}, care.DefaultAssignSettings())
	assert.Equal(t, []care.Unpaired{{CadreID: id(1), Tier: 1, Reason: care.UnpairedNoCapacity}}, r.Unpaired)
}
