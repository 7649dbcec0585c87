package care

import (
	"math"

	"github.com/wanxia/wanxia/cadre"
)

// earthRadiusKm is the mean Earth radius (IUGG), the usual radius for
// great-circle distances.
const earthRadiusKm = 6371.0088

// DistanceKm returns the great-circle distance between a and b in
// kilometres.
func DistanceKm(a, b cadre.Location) float64 {
	return unitOf(a).km(unitOf(b))
}

// unit is a position as a point on the unit sphere. Distances between many
// points cost three multiplications and one arcsine this way, and comparing
// squared chords orders points by distance without any trigonometry.
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

func (u unit) km(v unit) float64 {
	return chordKm(u.chord2(v))
}

// chordKm turns a squared chord into the great-circle distance.
func chordKm(c2 float64) float64 {
	return 2 * earthRadiusKm * math.Asin(math.Min(1, math.Sqrt(c2)/2))
}

// locatedOf returns the unit vector of l when l is known and valid.
func locatedOf(l *cadre.Location) (unit, bool) {
	if l == nil || !l.Valid() {
		return unit{}, false
	}
	return unitOf(*l), true
}
