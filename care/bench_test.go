package care_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

// BenchmarkAssign pairs 10,000 cadres who need a pair with 2,000 helpers of
// the default capacity (5): exactly enough places, the hardest case for the
// distance optimisation, since late cadres displace earlier ones along long
// chains.
func BenchmarkAssign(b *testing.B) {
	rng := rand.New(rand.NewPCG(6, 1))
	in := care.AssignInput{On: cadre.NewDate(2026, 11, 28)}
	for i := range 10_000 {
		in.Cadres = append(in.Cadres, needy(i+1, 1+rng.IntN(5), around(rng)))
	}
	for i := range 2_000 {
		in.Helpers = append(in.Helpers, care.Helper{
			ID: id(100_000 + i), Name: "helper", Base: around(rng), ActiveFrom: cadre.NewDate(2020, 1, 1),
		})
	}
	s := care.DefaultAssignSettings()
	b.ResetTimer()
	for b.Loop() {
		r := care.Assign(in, s)
		if len(r.Pairs) != 10_000 {
			b.Fatalf("%d pairs, want 10000", len(r.Pairs))
		}
	}
}

// BenchmarkSchedule lists the due visits of 100,000 paired cadres, each
// with a year of visits (monthly calls, quarterly home visits, holiday and
// seasonal visits; one in twenty with a hospital stay), on one date. One op
// is the whole district.
func BenchmarkSchedule(b *testing.B) {
	const n = 100_000
	on := cadre.NewDate(2026, 11, 28)
	rng := rand.New(rand.NewPCG(6, 2))
	cadres := make([]cadre.Cadre, n)
	recs := make([]care.Records, n)
	for i := range n {
		c := needy(i+1, 1+rng.IntN(5), nil)
		c.BirthDate = cadre.NewDate(1926+rng.IntN(30), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
		cadres[i] = c
		r := care.Records{Pairs: []care.Pair{{ID: id(2*n + i), HelperID: id(1), CadreID: c.ID, From: cadre.NewDate(2025, 6, 1), Reason: cadre.NeedLixiu}}}
		add := func(kind care.VisitKind, d cadre.Date) {
			r.Visits = append(r.Visits, care.Visit{ID: id(10*n + 20*i + len(r.Visits)), CadreID: c.ID, By: id(1), Kind: kind, On: d})
		}
		for m := range 12 {
			add(care.VisitCall, cadre.NewDate(2025, 12+time.Month(m), 1+rng.IntN(28)))
		}
		for q := range 4 {
			add(care.VisitHome, cadre.NewDate(2025, 12+time.Month(3*q), 1+rng.IntN(28)))
		}
		add(care.VisitHoliday, care.SpringFestival(2026).AddDays(rng.IntN(5)-2))
		add(care.VisitHoliday, care.DoubleNinth(2026).AddDays(rng.IntN(5)-2))
		add(care.VisitSeasonal, cadre.NewDate(2026, 1, 1+rng.IntN(28)))
		add(care.VisitSeasonal, cadre.NewDate(2026, 7, 1+rng.IntN(28)))
		if rng.IntN(20) == 0 {
			in := on.AddDays(-rng.IntN(60))
			r.Stays = []care.HospitalStay{{ID: id(3*n + i), CadreID: c.ID, Admitted: in}}
			add(care.VisitHospital, in.AddDays(1))
		}
		recs[i] = r
	}
	s := care.DefaultScheduleSettings()
	b.ResetTimer()
	for b.Loop() {
		dues := 0
		for i := range cadres {
			dues += len(care.Schedule(cadres[i], recs[i], on, s))
		}
		if dues < n {
			b.Fatalf("%d dues for %d cadres", dues, n)
		}
	}
}
