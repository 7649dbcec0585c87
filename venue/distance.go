package venue

import (
	"math"

	"github.com/wanxia/wanxia/cadre"
)

// EarthRadiusMetres is the mean Earth radius (IUGG) that every distance of
// the package is measured with.
const EarthRadiusMetres = 6_371_008.8

// GreatCircleMetres returns the great-circle distance between a and b in
// metres.
func GreatCircleMetres(a, b cadre.Location) float64 {
	return chordMetres(unitOf(a).chord2(unitOf(b)))
}

// WalkingMetres returns the walking distance between a and b under s: the
// great-circle distance times s.DetourFactor, rounded to the millimetre.
// The rounding makes "exactly at the radius" mean what a person means by
// it, whatever the last bits of the floating-point arithmetic; every
// distance the package reports and compares is this one.
func (s Settings) WalkingMetres(a, b cadre.Location) float64 {
	return s.walk(unitOf(a).chord2(unitOf(b)))
}

func (s Settings) walk(chord2 float64) float64 {
	return math.Round(chordMetres(chord2)*s.DetourFactor*1000) / 1000
}

// unit is a position as a point on the unit sphere: the distance between
// two points then costs a few multiplications and one arcsine.
type unit struct{ x, y, z float64 }

func unitOf(l cadre.Location) unit {
	lat, lng := l.Lat*math.Pi/180, l.Lng*math.Pi/180
	return unit{math.Cos(lat) * math.Cos(lng), math.Cos(lat) * math.Sin(lng), math.Sin(lat)}
}

// chord2 is the squared straight-line distance through the sphere.
func (u unit) chord2(v unit) float64 {
	dx, dy, dz := u.x-v.x, u.y-v.y, u.z-v.z
	return dx*dx + dy*dy + dz*dz
}

// chordMetres turns a squared chord into the great-circle distance.
func chordMetres(c2 float64) float64 {
	return 2 * EarthRadiusMetres * asin(math.Min(1, math.Sqrt(c2)/2))
}

// asin is math.Asin, by its Taylor series below 0.01 (distances below
// 127 km), where the series' first omitted term is under 1e-17 of the
// result: as exact in float64, and ten times faster, which counts when a
// district's every home is measured against every venue near it.
func asin(x float64) float64 {
	if x >= 0.01 {
		return math.Asin(x)
	}
	x2 := x * x
	return x + x*x2*(1.0/6+x2*(3.0/40+x2*(5.0/112)))
}

// located reports whether l is a usable position.
func located(l *cadre.Location) bool { return l != nil && l.Valid() }

// box is a longitude–latitude rectangle, the form the R-tree searches.
type box struct{ min, max [2]float64 }

var world = box{[2]float64{-180, -90}, [2]float64{180, 90}}

// boxAround returns a rectangle that holds every point within the
// great-circle distance metres of p: the latitude band is exact, and the
// widest longitude of a spherical cap is asin(sin θ / cos φ). Near a pole
// or the antimeridian it gives up on tightness, never on correctness.
func boxAround(p cadre.Location, metres float64) (box, bool) {
	theta := metres / EarthRadiusMetres * (1 + 1e-9)
	dLat := theta * 180 / math.Pi
	if theta >= math.Pi/2 || math.Abs(p.Lat)+dLat >= 90 {
		return world, true
	}
	dLng := math.Asin(math.Sin(theta)/math.Cos(p.Lat*math.Pi/180)) * 180 / math.Pi
	b := box{[2]float64{p.Lng - dLng, p.Lat - dLat}, [2]float64{p.Lng + dLng, p.Lat + dLat}}
	if b.min[0] < -180 || b.max[0] > 180 {
		b.min[0], b.max[0] = -180, 180
	}
	return b, false
}
