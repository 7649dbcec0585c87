package nightly_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// simulation is a made-up district on a hub replica: communities, offices,
// cadres, helpers, branches set up a year ago, and a year of meetings,
// visits and dues, generated from a seed.
type simulation struct {
	hub     *store.Replica
	on      cadre.Date
	offices []syncsvc.Office
	cadres  []cadre.Cadre
}

// simClock is the hub's clock in a simulation: from 02:00 on the merge
// date, a second later at each reading.
func simClock(on cadre.Date) func() time.Time {
	return testkit.Ticking(time.Date(on.Year, on.Month, on.Day, 2, 0, 0, 0, syncsvc.Shanghai()), time.Second).Now
}

// simulatedOn is the date of every simulated district's merge.
var simulatedOn = cadre.NewDate(2026, 11, 28)

func simulate(tb testing.TB, dir string, offices, cadresPerOffice int, seed uint64) *simulation {
	tb.Helper()
	ctx := context.Background()
	on := simulatedOn
	hub, err := store.Open(ctx, filepath.Join(dir, "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: simClock(on)})
	require.NoError(tb, err)
	tb.Cleanup(func() { hub.Close() })
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	s := &simulation{hub: hub, on: on}

	for i := range offices {
		code := fmt.Sprintf("c%02d", i)
		centre := cadre.Location{Lat: 36.60 + 0.012*float64(i/8), Lng: 116.95 + 0.015*float64(i%8)}
		require.NoError(tb, hub.SetCommunity(ctx, store.Community{Code: code, Name: fmt.Sprintf("第%d社区", i+1), Street: "示例街道", Centre: &centre}))
		o, _, err := hub.AddOffice(ctx, "o-"+code, fmt.Sprintf("第%d社区办公室", i+1), []string{code})
		require.NoError(tb, err)
		s.offices = append(s.offices, o)
		require.NoError(tb, hub.Update(ctx, func(tx *store.Tx) error {
			for range cadresPerOffice {
				c := simCadre(tb, rng, len(s.cadres), code, centre)
				if _, err := tx.PutCadre(&c); err != nil {
					return err
				}
				s.cadres = append(s.cadres, c)
			}
			return nil
		}))
		for k := range max(1, cadresPerOffice/25) {
			h := care.Helper{Name: fmt.Sprintf("帮扶人%d-%d", i, k), Base: &centre, ActiveFrom: on.AddDays(-400)}
			_, err := hub.PutHelper(ctx, &h)
			require.NoError(tb, err)
		}
	}

	// A year ago the branches were set up and the pairs made.
	start := on.AddDays(-365)
	in, err := hub.PlanInput(ctx, start)
	require.NoError(tb, err)
	_, err = hub.ApplyBranchPlan(ctx, branch.Plan(in, branch.DefaultPlanSettings()))
	require.NoError(tb, err)
	ain, err := hub.AssignInput(ctx, start)
	require.NoError(tb, err)
	_, err = hub.ApplyPairing(ctx, care.Assign(ain, care.DefaultAssignSettings()))
	require.NoError(tb, err)

	// A year of activity: a theme day a month in every branch, with
	// attendance; a contact a month and a home visit a quarter for most
	// paired cadres; dues paid each quarter by most members.
	branches, err := hub.Branches(ctx, "")
	require.NoError(tb, err)
	members, err := hub.Memberships(ctx, store.MembershipFilter{})
	require.NoError(tb, err)
	byBranch := map[string][]branch.Membership{}
	for _, m := range members {
		byBranch[m.BranchID.String()] = append(byBranch[m.BranchID.String()], m)
	}
	pairs, err := hub.Pairs(ctx, store.PairFilter{})
	require.NoError(tb, err)
	byID := map[string]cadre.Cadre{}
	for _, c := range s.cadres {
		byID[c.ID.String()] = c
	}
	require.NoError(tb, hub.Update(ctx, func(tx *store.Tx) error {
		for month := range 12 {
			m := branch.MonthOf(start).Add(month + 1)
			for _, b := range branches {
				mt := branch.Meeting{BranchID: b.ID, Kind: branch.MeetingThemeDay, On: cadre.NewDate(m.Year, m.Month, 10), Topic: "主题党日"}
				for _, ms := range byBranch[b.ID.String()] {
					a := branch.Attendance{CadreID: ms.CadreID, Present: rng.IntN(10) > 0}
					if !a.Present {
						a.Absence = branch.AbsenceHealth
					}
					mt.Attendance = append(mt.Attendance, a)
				}
				if _, err := tx.PutMeeting(&mt); err != nil {
					return err
				}
			}
			for _, p := range pairs {
				if rng.IntN(10) == 0 {
					continue // a missed month
				}
				kind := care.VisitCall
				if month%3 == 1 {
					kind = care.VisitHome
				}
				v := care.Visit{CadreID: p.CadreID, By: p.HelperID, Kind: kind, On: cadre.NewDate(m.Year, m.Month, 1+rng.IntN(20))}
				if v.On.After(on) {
					continue
				}
				if _, err := tx.PutVisit(&v); err != nil {
					return err
				}
			}
			if month%3 != 2 {
				continue
			}
			for _, ms := range members {
				if rng.IntN(8) == 0 {
					continue // some fall behind
				}
				c := byID[ms.CadreID.String()]
				p := branch.DuesPayment{CadreID: c.ID, Months: []branch.Month{m.Add(-2), m.Add(-1), m}, PaidOn: cadre.NewDate(m.Year, m.Month, 15)}
				p.AmountFen = 3 * branch.RetiredMonthlyDues(c.PensionFen)
				if p.AmountFen == 0 || p.PaidOn.After(on) {
					continue
				}
				if _, err := tx.PutDuesPayment(&p); err != nil {
					return err
				}
			}
		}
		return nil
	}))
	return s
}

func simCadre(tb testing.TB, rng *rand.Rand, n int, community string, centre cadre.Location) cadre.Cadre {
	tb.Helper()
	born := cadre.NewDate(1928+rng.IntN(38), time.Month(1+rng.IntN(12)), 1+rng.IntN(28))
	c := cadre.Cadre{
		Name:       fmt.Sprintf("干部%05d", n),
		IDNumber:   testkit.IDNumberFor(fmt.Sprintf("37%04d", 100+n/1000), fmt.Sprintf("%04d%02d%02d", born.Year, born.Month, born.Day), n%1000),
		Category:   []cadre.Category{cadre.Tuixiu, cadre.Tuixiu, cadre.Tuixiu, cadre.Junxiu, cadre.Lixiu}[rng.IntN(5)],
		Rank:       []cadre.Rank{cadre.RankCountyDeputyPlus, cadre.RankSection, cadre.RankOther}[rng.IntN(3)],
		Party:      []cadre.Party{cadre.PartyFull, cadre.PartyFull, cadre.PartyFull, cadre.PartyProbationary, cadre.PartyNone}[rng.IntN(5)],
		Health:     []cadre.Health{cadre.HealthGood, cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent}[rng.IntN(5)],
		Living:     []cadre.Living{cadre.LivingSpouse, cadre.LivingFamily, cadre.LivingAlone}[rng.IntN(3)],
		Community:  community,
		Address:    fmt.Sprintf("%s %d号", community, n),
		Location:   &cadre.Location{Lat: centre.Lat + (rng.Float64()-0.5)*0.01, Lng: centre.Lng + (rng.Float64()-0.5)*0.01},
		PensionFen: int64(300_000 + rng.IntN(500_000)),
	}
	c.Normalize()
	c.RetiredOn = c.BirthDate.AddDays(60 * 365)
	if c.Party.IsMember() {
		c.PartyJoinedOn = c.BirthDate.AddDays(25 * 365)
	}
	return c
}
