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

func TestWalkingMetresIsGreatCircleTimesDetour(t *testing.T) {
	s := venue.DefaultSettings()
	for _, bearing := range []float64{0, 37, 90, 135, 180, 251, 270, 333} {
		for _, w := range []float64{1, 499, 500, 501, 1800, 12_345} {
			p := destination(origin, bearing, w, s)
			assert.Equal(t, w, s.WalkingMetres(origin, p), "bearing %v, %v m", bearing, w)
			assert.InDelta(t, w/1.3, venue.GreatCircleMetres(origin, p), 1e-6)
		}
	}
	// One degree of latitude is πR/180 on the sphere.
	assert.InDelta(t, math.Pi*venue.EarthRadiusMetres/180, venue.GreatCircleMetres(cadre.Location{}, cadre.Location{Lat: 1}), 1e-6)
}

// TestGreatCircleAgreesWithHaversine checks the package's distance, a
// series for the arcsine of short chords, against the haversine formula
// from a few metres to the far side of the Earth.
func TestGreatCircleAgreesWithHaversine(t *testing.T) {
	haversine := func(a, b cadre.Location) float64 {
		rad := math.Pi / 180
		dLat, dLng := (b.Lat-a.Lat)*rad, (b.Lng-a.Lng)*rad
		h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
		return 2 * venue.EarthRadiusMetres * math.Asin(math.Sqrt(math.Min(1, h)))
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for _, spread := range []float64{0.0001, 0.01, 0.5, 1.2, 5, 60, 180} {
		for range 2000 {
			a := cadre.Location{Lat: rng.Float64()*170 - 85, Lng: rng.Float64()*360 - 180}
			b := cadre.Location{Lat: math.Max(-90, math.Min(90, a.Lat+(rng.Float64()-0.5)*spread)), Lng: a.Lng + (rng.Float64()-0.5)*spread}
			b.Lng = math.Mod(b.Lng+540, 360) - 180
			want := haversine(a, b)
			assert.InDelta(t, want, venue.GreatCircleMetres(a, b), 1e-6+want*1e-11, "%+v %+v", a, b)
		}
	}
}

func TestReachAtTheRadius(t *testing.T) {
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	for _, bearing := range []float64{0, 45, 90, 200, 300} {
		at := destination(origin, bearing+90, 3000, s) // away from the origin, anywhere
		in, out := destination(at, bearing, 500, s), destination(at, bearing, 501, s)
		ix := venue.NewIndex([]venue.Venue{
			place(1, venue.KindActivityRoom, "at 500 m", "sy", &in, venue.Activities),
			place(2, venue.KindActivityRoom, "at 501 m", "sy", &out, venue.Activities),
		}, s)
		got := ix.Reach(at, on)
		require.Len(t, got, 1, "bearing %v", bearing)
		assert.Equal(t, id(1), got[0].Venue.ID)
		assert.Equal(t, 500.0, got[0].Metres)
	}
}

func TestReachRadiusIsASetting(t *testing.T) {
	s := venue.DefaultSettings()
	s.RadiusMetres, s.DetourFactor = 800, 1.2
	on := testkit.Date("2026-11-28")
	in, out := destination(origin, 10, 800, s), destination(origin, 10, 800.002, s)
	ix := venue.NewIndex([]venue.Venue{
		place(1, venue.KindClinic, "in", "sy", &in, venue.Care),
		place(2, venue.KindClinic, "out", "sy", &out, venue.Care),
	}, s)
	got := ix.Reach(origin, on)
	require.Len(t, got, 1)
	assert.Equal(t, 800.0, got[0].Metres)
}

func TestReachNearestFirstTiesByID(t *testing.T) {
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	north, south, east := destination(origin, 0, 300, s), destination(origin, 180, 300, s), destination(origin, 90, 120, s)
	ix := venue.NewIndex([]venue.Venue{
		place(3, venue.KindActivityRoom, "north", "sy", &north, venue.Activities),
		place(2, venue.KindClinic, "south", "sy", &south, venue.Care),
		place(9, venue.KindDayCare, "east", "sy", &east, venue.Care),
		place(4, venue.KindClinic, "no location", "sy", nil, venue.Care),
	}, s)
	got := ix.Reach(origin, on)
	require.Len(t, got, 3)
	assert.Equal(t, []string{"east", "south", "north"}, []string{got[0].Venue.Name, got[1].Venue.Name, got[2].Venue.Name})
	assert.Equal(t, []float64{120, 300, 300}, []float64{got[0].Metres, got[1].Metres, got[2].Metres})
	assert.Equal(t, []venue.Service{venue.Care}, got[0].Venue.Services)
}

func TestReachIgnoresClosedVenues(t *testing.T) {
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	near := destination(origin, 0, 100, s)
	closedToday := place(1, venue.KindActivityRoom, "closed today", "sy", &near, venue.Activities)
	closedToday.ClosedOn = on
	closedTomorrow := place(2, venue.KindActivityRoom, "closed tomorrow", "sy", &near, venue.Activities)
	closedTomorrow.ClosedOn = on.AddDays(1)
	ix := venue.NewIndex([]venue.Venue{closedToday, closedTomorrow}, s)

	got := ix.Reach(origin, on)
	require.Len(t, got, 1)
	assert.Equal(t, "closed tomorrow", got[0].Venue.Name)
	assert.Len(t, ix.Reach(origin, on.AddDays(-1)), 2)
	assert.Empty(t, ix.Reach(origin, on.AddDays(1)))
}

func TestReachFromAnInvalidPosition(t *testing.T) {
	s := venue.DefaultSettings()
	ix := venue.NewIndex([]venue.Venue{place(1, venue.KindClinic, "c", "sy", &origin, venue.Care)}, s)
	on := testkit.Date("2026-11-28")
	assert.Empty(t, ix.Reach(cadre.Location{Lat: math.NaN(), Lng: 117}, on))
	assert.Empty(t, ix.Reach(cadre.Location{Lat: 91, Lng: 117}, on))
	assert.Len(t, ix.Reach(origin, on), 1)
}

func TestReachNearThePoleAndTheAntimeridian(t *testing.T) {
	s := venue.DefaultSettings()
	on := testkit.Date("2026-11-28")
	for _, at := range []cadre.Location{{Lat: 89.999, Lng: 10}, {Lat: 10, Lng: 179.9999}, {Lat: -20, Lng: -179.9999}} {
		across := destination(at, 90, 400, s)
		pole := destination(at, 0, 450, s)
		ix := venue.NewIndex([]venue.Venue{
			place(1, venue.KindClinic, "across", "sy", &across, venue.Care),
			place(2, venue.KindClinic, "pole", "sy", &pole, venue.Care),
		}, s)
		assert.Len(t, ix.Reach(at, on), 2, "%+v", at)
	}
}

func TestIndexKeepsItsOwnCopy(t *testing.T) {
	s := venue.DefaultSettings()
	near := destination(origin, 0, 100, s)
	vs := []venue.Venue{place(1, venue.KindClinic, "c", "sy", &near, venue.Care)}
	ix := venue.NewIndex(vs, s)
	vs[0].Services[0] = venue.Learning
	vs[0].Location.Lat = 0
	got := ix.Reach(origin, testkit.Date("2026-11-28"))
	require.Len(t, got, 1)
	assert.Equal(t, []venue.Service{venue.Care}, got[0].Venue.Services)
}
