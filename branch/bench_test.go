package branch_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// benchDistrict returns a district of n cadres in k communities on a grid
// about 550 m apart: sizes skewed as in life (one community in ten has only
// a handful of cadres), 85 % Party members of whom one in twenty is
// probationary, ages 60–100, one in ten seriously ill or dependent.
func benchDistrict(n, k int) branch.PlanInput {
	rng := rand.New(rand.NewPCG(1, 2))
	comms := make([]branch.Community, k)
	weights := make([]int, k)
	total := 0
	for i := range comms {
		code := fmt.Sprintf("c%03d", i)
		comms[i] = branch.Community{Code: code, Name: code + "社区",
			Centre: &cadre.Location{Lat: 36.60 + 0.005*float64(i/15), Lng: 116.95 + 0.006*float64(i%15)}}
		weights[i] = 20 + rng.IntN(200)
		if i%10 == 0 {
			weights[i] = 1
		}
		total += weights[i]
	}
	cadres := make([]cadre.Cadre, n)
	for i := range cadres {
		r, c := rng.IntN(total), 0
		for r >= weights[c] {
			r -= weights[c]
			c++
		}
		party := cadre.PartyFull
		switch x := rng.IntN(100); {
		case x < 15:
			party = cadre.PartyNone
		case x < 19:
			party = cadre.PartyProbationary
		}
		health := cadre.HealthGood
		if rng.IntN(10) == 0 {
			health = cadre.HealthSerious
		}
		cadres[i] = cadre.Cadre{ID: uuid.NewSHA1(testNS, fmt.Appendf(nil, "bench-%d", i)), Name: fmt.Sprintf("c%05d", i),
			Party: party, Community: comms[c].Code, Status: cadre.StatusActive, Health: health,
			BirthDate: cadre.NewDate(1926+rng.IntN(40), time.Month(1+rng.IntN(12)), 1)}
	}
	return branch.PlanInput{On: planDay, Cadres: cadres, Communities: comms}
}

// BenchmarkPlan plans a district of 50,000 cadres in 200 communities:
// "fresh" with no branches yet, "existing" after the fresh plan was applied
// and 2 % of cadres moved house since (the nightly run's usual case).
func BenchmarkPlan(b *testing.B) {
	in := benchDistrict(50_000, 200)
	s := branch.DefaultPlanSettings()
	b.Run("fresh", func(b *testing.B) {
		for b.Loop() {
			branch.Plan(in, s)
		}
	})
	b.Run("existing", func(b *testing.B) {
		applied := apply(in, branch.Plan(in, s))
		applied.Cadres = append([]cadre.Cadre(nil), in.Cadres...)
		for i := 0; i < len(applied.Cadres); i += 50 {
			applied.Cadres[i].Community = in.Communities[(i/50)%len(in.Communities)].Code
		}
		for b.Loop() {
			branch.Plan(applied, s)
		}
	})
}
