package branch

import (
	"math"

	"github.com/wanxia/wanxia/cadre"
)

// earthRadiusMetres is the mean Earth radius (IUGG), good to about 0.5 % for
// the great-circle distances between neighbouring communities.
const earthRadiusMetres = 6_371_008.8

// distanceMetres returns the great-circle distance between a and b by the
// haversine formula. One formula does not justify a geometry module; the
// error against the ellipsoid is far below what "neighbouring" needs.
func distanceMetres(a, b cadre.Location) float64 {
	rad := func(deg float64) float64 { return deg * math.Pi / 180 }
	dLat, dLng := rad(b.Lat-a.Lat), rad(b.Lng-a.Lng)
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(rad(a.Lat))*math.Cos(rad(b.Lat))*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMetres * math.Asin(math.Sqrt(math.Min(1, h)))
}
