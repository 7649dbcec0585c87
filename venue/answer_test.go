package venue_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/venue"
)

// neighbourhood is a small map around origin: learning 1.8 km away,
// activities at 320 m, care at 200 m but closed on 2026-11-28 and at 650 m,
// and no venue for a role to play.
func neighbourhood(t *testing.T) (*venue.Index, []venue.Enrolment, cadre.Date) {
	t.Helper()
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	at := func(bearing, m float64) *cadre.Location {
		l := destination(origin, bearing, m, s)
		return &l
	}
	closed := place(3, venue.KindClinic, "舜园社区卫生服务站", "sy", at(270, 200), venue.Care)
	closed.ClosedOn = on
	ix := venue.NewIndex([]venue.Venue{
		place(1, venue.KindSeniorUniversity, "舜耕老年大学", "gsq", at(0, 1800), venue.Learning),
		place(2, venue.KindActivityRoom, "舜园社区老干部活动室", "sy", at(90, 320), venue.Activities),
		closed,
		place(4, venue.KindDayCare, "舜园日间照料中心", "sy", at(180, 650), venue.Care),
		place(5, venue.KindServiceStation, "舜园社区服务站", "sy", nil, venue.Care, venue.Activities),
	}, s)
	return ix, []venue.Enrolment{enrolled(1, "sy", venue.StagePilot, testkit.Date("2024-03-01"))}, on
}

func TestFourNearby(t *testing.T) {
	ix, enrolments, on := neighbourhood(t)
	a := ix.FourNearby(lixiu(10, "sy", &origin), enrolments, on)

	assert.Equal(t, id(10), a.CadreID)
	assert.True(t, a.Located)
	assert.True(t, a.Eligibility.Eligible)
	assert.Equal(t, venue.RuleLixiu, a.Eligibility.Rule)
	assert.Empty(t, a.Note)
	require.Len(t, a.Services, 4)

	learning, activities, care, role := a.Services[0], a.Services[1], a.Services[2], a.Services[3]
	assert.Equal(t, venue.Learning, learning.Service)
	assert.False(t, learning.Covered)
	require.NotNil(t, learning.Venue)
	assert.Equal(t, 1800.0, learning.Metres)
	assert.Equal(t, venue.Text{
		Zh: "500米内没有提供学习的场所；最近的是舜耕老年大学，1.8公里",
		En: "no venue offering learning within 500 m; nearest: 舜耕老年大学, 1.8 km",
	}, learning.Missing)

	assert.True(t, activities.Covered)
	require.NotNil(t, activities.Venue)
	assert.Equal(t, id(2), activities.Venue.ID)
	assert.Equal(t, 320.0, activities.Metres)
	assert.Empty(t, activities.Missing)

	assert.False(t, care.Covered, "the clinic at 200 m is closed on the date")
	require.NotNil(t, care.Venue)
	assert.Equal(t, id(4), care.Venue.ID)
	assert.Equal(t, "500米内没有提供关心照顾的场所；最近的是舜园日间照料中心，650米", care.Missing.Zh)

	assert.False(t, role.Covered)
	assert.Nil(t, role.Venue)
	assert.Equal(t, venue.Text{
		Zh: "500米内没有提供发挥作用的场所；更远处也没有",
		En: "no venue offering a role to play within 500 m; none farther away either",
	}, role.Missing)

	// The day before, the clinic is open and covers care.
	care = ix.FourNearby(lixiu(10, "sy", &origin), enrolments, on.AddDays(-1)).Services[2]
	assert.True(t, care.Covered)
	assert.Equal(t, id(3), care.Venue.ID)
	assert.Equal(t, 200.0, care.Metres)
}

func TestFourNearbyWithoutCoordinates(t *testing.T) {
	ix, enrolments, on := neighbourhood(t)
	for name, loc := range map[string]*cadre.Location{
		"nil":          nil,
		"out of range": {Lat: 100, Lng: 117},
		"NaN":          {Lat: math.NaN(), Lng: math.NaN()},
	} {
		t.Run(name, func(t *testing.T) {
			a := ix.FourNearby(lixiu(10, "sy", loc), enrolments, on)
			assert.False(t, a.Located)
			assert.True(t, a.Eligibility.Eligible, "eligibility does not depend on coordinates")
			assert.Equal(t, "住址没有坐标，无法计算步行距离；各项列出本社区（sy）登记的场所", a.Note.Zh)
			require.Len(t, a.Services, 4)
			for _, sa := range a.Services {
				assert.False(t, sa.Covered)
				assert.Nil(t, sa.Venue)
				assert.NotEmpty(t, sa.Missing.Zh)
				assert.NotEmpty(t, sa.Missing.En)
			}
			assert.Empty(t, a.Services[0].InCommunity, "learning is only in gsq")
			assert.Equal(t, "住址没有坐标，无法判断500米内是否有提供学习的场所；本社区没有登记提供学习的场所", a.Services[0].Missing.Zh)
			assert.Equal(t, []string{"舜园社区老干部活动室", "舜园社区服务站"}, venueNames(a.Services[1].InCommunity))
			// The closed clinic is left out; kinds come in their order.
			assert.Equal(t, []string{"舜园社区服务站", "舜园日间照料中心"}, venueNames(a.Services[2].InCommunity))
			assert.Equal(t, "no home coordinates: cannot tell whether a venue offering care is within 500 m; registered in community sy: 舜园社区服务站, 舜园日间照料中心",
				a.Services[2].Missing.En)
			assert.Empty(t, a.Services[3].InCommunity)
		})
	}
}

func venueNames(vs []*venue.Venue) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Name)
	}
	return out
}

func TestFourNearbyEmptyIndex(t *testing.T) {
	ix := venue.NewIndex(nil, venue.DefaultSettings())
	on := testkit.Date("2026-11-28")
	for _, c := range []cadre.Cadre{lixiu(1, "sy", &origin), lixiu(2, "", nil), {}} {
		a := ix.FourNearby(c, nil, on)
		require.Len(t, a.Services, 4)
		for _, sa := range a.Services {
			assert.False(t, sa.Covered)
			assert.NotEmpty(t, sa.Missing.Zh)
		}
	}
}

func TestFourNearbyTiesByID(t *testing.T) {
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	east, west := destination(origin, 90, 700, s), destination(origin, 270, 700, s)
	ix := venue.NewIndex([]venue.Venue{
		place(8, venue.KindClinic, "east", "sy", &east, venue.Care),
		place(7, venue.KindClinic, "west", "sy", &west, venue.Care),
	}, s)
	care := ix.FourNearby(lixiu(1, "sy", &origin), nil, on).Services[2]
	require.NotNil(t, care.Venue)
	assert.Equal(t, "west", care.Venue.Name)
}

func TestFourNearbyIsDeterministic(t *testing.T) {
	vs, cadres, enrolments := randomDistrict(rand.New(rand.NewPCG(7, 1)), 400, 300)
	on := testkit.Date("2026-11-28")
	s := venue.DefaultSettings()
	want := make([]venue.Answer, len(cadres))
	ix := venue.NewIndex(vs, s)
	for i, c := range cadres {
		want[i] = ix.FourNearby(c, enrolments, on)
	}
	rng := rand.New(rand.NewPCG(7, 2))
	for range 3 {
		rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		rng.Shuffle(len(enrolments), func(i, j int) { enrolments[i], enrolments[j] = enrolments[j], enrolments[i] })
		ix := venue.NewIndex(vs, s)
		for i, c := range cadres {
			require.Equal(t, want[i], ix.FourNearby(c, enrolments, on))
		}
	}
}
