package venue_test

import (
	"math/rand/v2"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/venue"
)

// smallDistrict is drawn on one meridian, so that every distance is a
// difference of positions (metres walking, north of origin):
//
//	venues  V1    0  senior university   learning, activities  sy
//	        V2 1000  service station     activities, care, role sy
//	        V3 2000  service station     care, role            gsq
//	        V4 3000  day-care centre     care                  gsq, closed on the date
//	        V5 5000  clinic              care                  xyz
//
// sy is a pilot community, gsq an extended one; xyz is not enrolled.
func smallDistrict(t *testing.T) ([]venue.Venue, []cadre.Cadre, []venue.Enrolment, cadre.Date) {
	t.Helper()
	on := testkit.Date("2026-11-28")
	day := place(4, venue.KindDayCare, "V4", "gsq", along(3000), venue.Care)
	day.ClosedOn = on.AddDays(-30)
	vs := []venue.Venue{
		place(1, venue.KindSeniorUniversity, "V1", "sy", along(0), venue.Learning, venue.Activities),
		place(2, venue.KindServiceStation, "V2", "sy", along(1000), venue.Activities, venue.Care, venue.Role),
		place(3, venue.KindServiceStation, "V3", "gsq", along(2000), venue.Care, venue.Role),
		day,
		place(5, venue.KindClinic, "V5", "xyz", along(5000), venue.Care),
	}
	aged := func(c cadre.Cadre, age int) cadre.Cadre {
		c.BirthDate = bornYearsBefore(on, age)
		return c
	}
	dead := lixiu(5, "sy", along(0))
	dead.Status, dead.StatusOn = cadre.StatusDeceased, on.AddDays(-1)
	ill := person(6, "gsq", along(2500))
	ill.Health = cadre.HealthSerious
	cs := []cadre.Cadre{
		lixiu(1, "sy", along(100)),              // V1 at 100: learning, activities
		aged(person(2, "sy", along(600)), 85),   // V2 at 400: activities, care, role (V1 at 600 is out)
		person(3, "sy", along(500)),             // 70, no difficulty: not eligible
		aged(person(4, "sy", nil), 90),          // eligible, no coordinates
		dead,                                    // died the day before: not counted
		ill,                                     // V3 at 500: care, role (V4 is closed)
		lixiu(7, "gsq", along(3000)),            // V3 at 1000, V5 at 2000, V4 closed: nothing
		aged(person(8, "gsq", along(1500)), 81), // V2 and V3 at 500: activities, care, role
		lixiu(9, "xyz", along(5000)),            // a group served, community not enrolled
		person(10, "xyz", along(5000)),          // not eligible
		lixiu(11, "sy", along(500)),             // V1 and V2 at 500: all four
	}
	es := []venue.Enrolment{
		enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01")),
		enrolled(2, "gsq", venue.StageExtended, testkit.Date("2025-06-01")),
	}
	return vs, cs, es, on
}

func counts(l, a, c, r int) [4]venue.ServiceCount {
	return [4]venue.ServiceCount{{Service: venue.Learning, Cadres: l}, {Service: venue.Activities, Cadres: a},
		{Service: venue.Care, Cadres: c}, {Service: venue.Role, Cadres: r}}
}

func TestCoverage(t *testing.T) {
	vs, cs, es, on := smallDistrict(t)
	got := venue.NewIndex(vs, venue.DefaultSettings()).Coverage(cs, es, on)
	assert.Equal(t, on, got.On)
	assert.Equal(t, venue.Tally{
		Cadres:      10, // 11 less the one who died
		Eligible:    7,  // 1, 2, 4, 6, 7, 8, 11 (3 and 10 in no group, 9 not enrolled)
		NotEnrolled: 1,  // 9
		Unlocated:   1,  // 4
		Covered: counts(
			2, // learning: 1, 11
			4, // activities: 1, 2, 8, 11
			4, // care: 2, 6, 8, 11
			4, // role: 2, 6, 8, 11
		),
		AllFour: 1, // 11
	}, got.Tally)
	assert.Equal(t, []venue.CommunityCoverage{
		{Community: "gsq", Stage: venue.StageExtended, Tally: venue.Tally{
			Cadres: 3, Eligible: 3, // 6, 7, 8
			Covered: counts(0, 1, 2, 2), // activities 8; care and role 6, 8
		}},
		{Community: "sy", Stage: venue.StagePilot, Tally: venue.Tally{
			Cadres: 4 + 1, Eligible: 4, Unlocated: 1, // 1, 2, 3, 4, 11; 3 is not eligible; 4 has no coordinates
			Covered: counts(2, 3, 2, 2), // learning 1, 11; activities 1, 2, 11; care and role 2, 11
			AllFour: 1,
		}},
		{Community: "xyz", Tally: venue.Tally{Cadres: 2, NotEnrolled: 1, Covered: counts(0, 0, 0, 0)}},
	}, got.Communities)
}

func TestCoverageIsDeterministic(t *testing.T) {
	vs, cs, es := randomDistrict(rand.New(rand.NewPCG(8, 1)), 300, 2000)
	on := testkit.Date("2026-11-28")
	s := venue.DefaultSettings()
	want := venue.NewIndex(vs, s).Coverage(cs, es, on)
	wantSites := venue.NewIndex(vs, s).BestNewSites(cs, es, on, nil, venue.Role, 5)
	require.NotEmpty(t, wantSites)
	rng := rand.New(rand.NewPCG(8, 2))
	for range 3 {
		rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		rng.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		rng.Shuffle(len(es), func(i, j int) { es[i], es[j] = es[j], es[i] })
		ix := venue.NewIndex(vs, s)
		assert.Equal(t, want, ix.Coverage(cs, es, on))
		assert.Equal(t, wantSites, ix.BestNewSites(cs, es, on, nil, venue.Role, 5))
	}
}

// sitesDistrict has five lixiu cadres in sy on one meridian, at 0, 300,
// 600, 2000 and 2400 m, and no venue at all.
func sitesDistrict(t *testing.T) ([]cadre.Cadre, []venue.Enrolment, cadre.Date) {
	t.Helper()
	var cs []cadre.Cadre
	for i, m := range []float64{0, 300, 600, 2000, 2400} {
		cs = append(cs, lixiu(i+1, "sy", along(m)))
	}
	return cs, []venue.Enrolment{enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01"))}, testkit.Date("2026-11-28")
}

func TestBestNewSites(t *testing.T) {
	cs, es, on := sitesDistrict(t)
	ix := venue.NewIndex(nil, venue.DefaultSettings())
	candidates := []cadre.Location{
		*along(2200), // covers 4 and 5 (200 m each)
		*along(300),  // covers 1, 2, 3 (300, 0, 300 m)
		*along(1000), // covers 3 (400 m)
		*along(450),  // covers 1, 2, 3 too (450, 150, 150 m): ties with the second, which comes first
	}
	// First the second candidate (3 cadres), then the first (2); the third
	// and fourth would cover no one new, so the greedy stops at two sites.
	got := ix.BestNewSites(cs, es, on, candidates, venue.Care, 3)
	assert.Equal(t, []venue.Site{
		{Location: candidates[1], Candidate: 1, Cadres: []uuid.UUID{id(1), id(2), id(3)}},
		{Location: candidates[0], Candidate: 0, Cadres: []uuid.UUID{id(4), id(5)}},
	}, got)
	assert.Len(t, ix.BestNewSites(cs, es, on, candidates, venue.Care, 1), 1)
	assert.Empty(t, ix.BestNewSites(cs, es, on, candidates, venue.Care, 0))
}

func TestBestNewSitesAtHomes(t *testing.T) {
	cs, es, on := sitesDistrict(t)
	ix := venue.NewIndex(nil, venue.DefaultSettings())
	// Homes cover: 1 → {1, 2}; 2 → {1, 2, 3}; 3 → {2, 3}; 4 → {4, 5};
	// 5 → {4, 5}. Cadre 2's home first, then cadre 4's (before 5's).
	got := ix.BestNewSites(cs, es, on, nil, venue.Learning, 5)
	assert.Equal(t, []venue.Site{
		{Location: *cs[1].Location, Candidate: -1, HomeOf: id(2), Cadres: []uuid.UUID{id(1), id(2), id(3)}},
		{Location: *cs[3].Location, Candidate: -1, HomeOf: id(4), Cadres: []uuid.UUID{id(4), id(5)}},
	}, got)
}

func TestBestNewSitesCountsOnlyEligibleUncovered(t *testing.T) {
	cs, es, on := sitesDistrict(t)
	cs[3].Category, cs[3].BirthDate = cadre.Tuixiu, cadre.NewDate(1960, 1, 1) // no longer eligible
	cs[4].Location = nil                                                      // cannot be placed
	// A care venue at 300 m covers cadres 1, 2 and 3 already.
	ix := venue.NewIndex([]venue.Venue{place(1, venue.KindClinic, "c", "sy", along(300), venue.Care)}, venue.DefaultSettings())
	assert.Empty(t, ix.BestNewSites(cs, es, on, nil, venue.Care, 3))
	got := ix.BestNewSites(cs, es, on, nil, venue.Activities, 3)
	require.Len(t, got, 1)
	assert.Equal(t, []uuid.UUID{id(1), id(2), id(3)}, got[0].Cadres)
}
