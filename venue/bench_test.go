package venue_test

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

// The benchmarks answer FourNearby for 100,000 cadres against 5,000 venues
// in a district of about 15 × 15 km around Jinan (36.66N 117.0E): one op is
// the whole district, once with the index and once by scanning every venue
// for every cadre. The scan finds what the answers rest on (eligibility,
// the venues within reach, each service's nearest venue) but words
// nothing, so the ratio understates the index's advantage, if anything.
const benchVenues, benchCadres = 5_000, 100_000

func BenchmarkFourNearby(b *testing.B) {
	vs, cs, es := randomDistrict(rand.New(rand.NewPCG(9, 1)), benchVenues, benchCadres)
	on := cadre.NewDate(2026, 11, 28)
	ix := venue.NewIndex(vs, venue.DefaultSettings())
	for b.Loop() {
		covered := 0
		for _, c := range cs {
			for _, sa := range ix.FourNearby(c, es, on).Services {
				if sa.Covered {
					covered++
				}
			}
		}
		if covered < benchCadres {
			b.Fatalf("%d services covered for %d cadres", covered, benchCadres)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchCadres), "ns/cadre")
}

func BenchmarkFourNearbyBruteForce(b *testing.B) {
	vs, cs, es := randomDistrict(rand.New(rand.NewPCG(9, 1)), benchVenues, benchCadres)
	on := cadre.NewDate(2026, 11, 28)
	bf := newBruteForce(vs, venue.DefaultSettings())
	for b.Loop() {
		covered := 0
		for _, c := range cs {
			for _, n := range bf.fourNearby(c, es, on).nearest {
				if n.found && n.metres <= bf.s.RadiusMetres {
					covered++
				}
			}
		}
		if covered < benchCadres {
			b.Fatalf("%d services covered for %d cadres", covered, benchCadres)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*benchCadres), "ns/cadre")
}

func BenchmarkNewIndex(b *testing.B) {
	vs, _, _ := randomDistrict(rand.New(rand.NewPCG(9, 1)), benchVenues, 0)
	for b.Loop() {
		venue.NewIndex(vs, venue.DefaultSettings())
	}
}

// TestIndexAgreesWithBruteForce checks the index against a scan of every
// venue on 2,000 random cadres, and 500 more placed exactly at the radius
// from a venue.
func TestIndexAgreesWithBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 2))
	vs, cs, es := randomDistrict(rng, benchVenues, 2_000)
	s := venue.DefaultSettings()
	for i := range 500 {
		v := vs[rng.IntN(len(vs))]
		if v.Location == nil {
			continue
		}
		at := destination(*v.Location, rng.Float64()*360, s.RadiusMetres, s)
		cs = append(cs, lixiu(100_000+i, v.Community, &at))
	}
	on := cadre.NewDate(2026, 11, 28)
	ix := venue.NewIndex(vs, s)
	bf := newBruteForce(vs, s)
	atRadius := 0
	for _, c := range cs {
		want := bf.fourNearby(c, es, on)
		got := ix.FourNearby(c, es, on)
		require.Equal(t, want.eligibility, got.Eligibility)
		var reach []bruteHit
		if c.Location != nil {
			for _, r := range ix.Reach(*c.Location, on) {
				reach = append(reach, bruteHit{r.Venue.ID, r.Metres})
				if r.Metres == s.RadiusMetres {
					atRadius++
				}
			}
		}
		require.Equal(t, want.reach, reach, "cadre %v", c.ID)
		for j, sa := range got.Services {
			n := want.nearest[j]
			require.Equal(t, n.found, sa.Venue != nil, "cadre %v, %s", c.ID, sa.Service)
			if !n.found {
				continue
			}
			assert.Equal(t, n.id, sa.Venue.ID, "cadre %v, %s", c.ID, sa.Service)
			assert.Equal(t, n.metres, sa.Metres)
			assert.Equal(t, s.WalkingMetres(*c.Location, *sa.Venue.Location), sa.Metres)
			assert.Equal(t, n.metres <= s.RadiusMetres, sa.Covered)
		}
	}
	assert.Greater(t, atRadius, 400, "venues exactly at the radius are within it")
}

// bruteForce answers what FourNearby answers by measuring the distance to
// every venue. It keeps what it reads of each venue packed, as the index
// does, so that the comparison is of algorithms rather than memory layout.
type bruteForce struct {
	s  venue.Settings
	vs []bruteVenue
}

type bruteVenue struct {
	p      point
	id     uuid.UUID
	closed cadre.Date
	offers [4]bool
}

// point is a position on the unit sphere, computed as package venue does,
// so that the scan measures the same distances to the last bit.
type point struct{ x, y, z float64 }

func pointOf(l cadre.Location) point {
	lat, lng := l.Lat*math.Pi/180, l.Lng*math.Pi/180
	return point{math.Cos(lat) * math.Cos(lng), math.Cos(lat) * math.Sin(lng), math.Sin(lat)}
}

// newBruteForce keeps the venues with a location; the others are never
// within reach.
func newBruteForce(vs []venue.Venue, s venue.Settings) *bruteForce {
	bf := &bruteForce{s: s}
	for _, v := range vs {
		if v.Location == nil {
			continue
		}
		bv := bruteVenue{p: pointOf(*v.Location), id: v.ID, closed: v.ClosedOn}
		for j, s := range venue.AllServices() {
			bv.offers[j] = v.Offers(s)
		}
		bf.vs = append(bf.vs, bv)
	}
	return bf
}

func (bf *bruteForce) walk(a, b point) float64 {
	dx, dy, dz := a.x-b.x, a.y-b.y, a.z-b.z
	x := math.Min(1, math.Sqrt(dx*dx+dy*dy+dz*dz)/2)
	asin := math.Asin(x)
	if x < 0.01 {
		x2 := x * x
		asin = x + x*x2*(1.0/6+x2*(3.0/40+x2*(5.0/112)))
	}
	return math.Round(2*venue.EarthRadiusMetres*asin*bf.s.DetourFactor*1000) / 1000
}

type bruteHit struct {
	id     uuid.UUID
	metres float64
}

type bruteNearest struct {
	id     uuid.UUID
	metres float64
	found  bool
}

type bruteAnswer struct {
	eligibility venue.Eligibility
	reach       []bruteHit
	nearest     [4]bruteNearest
}

func (bf *bruteForce) fourNearby(c cadre.Cadre, es []venue.Enrolment, on cadre.Date) bruteAnswer {
	a := bruteAnswer{eligibility: venue.Eligible(c, es, on, bf.s)}
	if c.Location == nil || !c.Location.Valid() {
		return a
	}
	home := pointOf(*c.Location)
	for i := range bf.vs {
		v := &bf.vs[i]
		if !v.closed.IsZero() && !on.Before(v.closed) {
			continue
		}
		m := bf.walk(home, v.p)
		if m <= bf.s.RadiusMetres {
			a.reach = append(a.reach, bruteHit{v.id, m})
		}
		for j := range a.nearest {
			n := &a.nearest[j]
			if v.offers[j] && (!n.found || m < n.metres || (m == n.metres && bytes.Compare(v.id[:], n.id[:]) < 0)) {
				*n = bruteNearest{v.id, m, true}
			}
		}
	}
	slices.SortFunc(a.reach, func(x, y bruteHit) int {
		return cmp.Or(cmp.Compare(x.metres, y.metres), bytes.Compare(x.id[:], y.id[:]))
	})
	return a
}
