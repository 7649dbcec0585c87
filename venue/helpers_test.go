package venue_test

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

// id returns a fixed UUID for a small number, so that tests read and sort
// predictably: id(1) < id(2).
func id(n int) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], uint64(n))
	return u
}

// origin is the centre of Jinan's Shizhong district, where test maps start.
var origin = cadre.Location{Lat: 36.66, Lng: 117.0}

// destination returns the point at the given walking distance from p on
// the initial bearing (degrees clockwise from north) under s: the walking
// distance divided by the detour factor is the great-circle distance, and
// the spherical direct problem inverts the great-circle formula.
func destination(p cadre.Location, bearing, walking float64, s venue.Settings) cadre.Location {
	rad := math.Pi / 180
	delta := walking / s.DetourFactor / venue.EarthRadiusMetres
	lat1, lng1, theta := p.Lat*rad, p.Lng*rad, bearing*rad
	lat2 := math.Asin(math.Sin(lat1)*math.Cos(delta) + math.Cos(lat1)*math.Sin(delta)*math.Cos(theta))
	lng2 := lng1 + math.Atan2(math.Sin(theta)*math.Sin(delta)*math.Cos(lat1), math.Cos(delta)-math.Sin(lat1)*math.Sin(lat2))
	lng := math.Mod(lng2/rad+540, 360) - 180
	return cadre.Location{Lat: lat2 / rad, Lng: lng}
}

// along returns the point the given walking distance north of origin
// under the default settings: points on one meridian are as far apart as
// the difference of their distances, so maps drawn on it are checked by
// subtraction.
func along(metres float64) *cadre.Location {
	l := destination(origin, 0, metres, venue.DefaultSettings())
	return &l
}

func place(n int, kind venue.Kind, name, community string, at *cadre.Location, ss ...venue.Service) venue.Venue {
	return venue.Venue{ID: id(n), Kind: kind, Name: name, Community: community, Location: at, Services: ss}
}

// person returns an active 退休 cadre aged 70 on 2026-11-28, living with
// family, in good health, at loc.
func person(n int, community string, loc *cadre.Location) cadre.Cadre {
	return cadre.Cadre{
		ID:             id(n),
		Name:           "cadre",
		BirthDate:      cadre.NewDate(1956, 6, 1),
		Category:       cadre.Tuixiu,
		Health:         cadre.HealthGood,
		Living:         cadre.LivingFamily,
		ChildrenNearby: true,
		Status:         cadre.StatusActive,
		Community:      community,
		Location:       loc,
	}
}

func lixiu(n int, community string, loc *cadre.Location) cadre.Cadre {
	c := person(n, community, loc)
	c.Category, c.BirthDate = cadre.Lixiu, cadre.NewDate(1930, 3, 1)
	return c
}

// bornYearsBefore returns the birth date that makes a cadre exactly age
// years old on d.
func bornYearsBefore(d cadre.Date, age int) cadre.Date {
	return cadre.NewDate(d.Year-age, d.Month, d.Day)
}

// enrolled returns an enrolment of community from since, open-ended.
func enrolled(n int, community string, stage venue.Stage, since cadre.Date) venue.Enrolment {
	return venue.Enrolment{ID: id(n), Community: community, Stage: stage, Since: since}
}

// servicesOf is what each kind of venue offers in generated districts.
var servicesOf = map[venue.Kind][]venue.Service{
	venue.KindSeniorUniversity: {venue.Learning, venue.Activities},
	venue.KindActivityCentre:   {venue.Learning, venue.Activities, venue.Role},
	venue.KindActivityRoom:     {venue.Activities, venue.Role},
	venue.KindServiceStation:   {venue.Care, venue.Role},
	venue.KindDayCare:          {venue.Care},
	venue.KindClinic:           {venue.Care},
}

// randomDistrict generates a district of about 15 × 15 km around Jinan
// (36.66N 117.0E) in 100 communities of 1.5 × 1.5 km, half of them enrolled: venues of
// every kind (one in twenty closed on some day of 2025–2027, one in fifty
// without a location) and cadres of every kind (one in fifty without
// coordinates, one in a hundred deceased).
func randomDistrict(rng *rand.Rand, nVenues, nCadres int) ([]venue.Venue, []cadre.Cadre, []venue.Enrolment) {
	const latSpan, lngSpan = 0.135, 0.168
	point := func() (*cadre.Location, string) {
		x, y := rng.Float64(), rng.Float64()
		l := &cadre.Location{Lat: origin.Lat - latSpan/2 + y*latSpan, Lng: origin.Lng - lngSpan/2 + x*lngSpan}
		return l, fmt.Sprintf("c%02d", int(y*10)*10+int(x*10))
	}
	kindList := []venue.Kind{venue.KindSeniorUniversity, venue.KindActivityCentre, venue.KindActivityRoom,
		venue.KindActivityRoom, venue.KindServiceStation, venue.KindServiceStation, venue.KindDayCare, venue.KindClinic}
	vs := make([]venue.Venue, nVenues)
	for i := range vs {
		loc, community := point()
		kind := kindList[rng.IntN(len(kindList))]
		v := place(1_000_000+i, kind, fmt.Sprintf("%s %d", kind.Label(cadre.Chinese), i), community, loc, servicesOf[kind]...)
		if rng.IntN(20) == 0 {
			v.ClosedOn = cadre.NewDate(2025, 1, 1).AddDays(rng.IntN(3 * 365))
		}
		if rng.IntN(50) == 0 {
			v.Location = nil
		}
		vs[i] = v
	}
	on := cadre.NewDate(2026, 11, 28)
	cs := make([]cadre.Cadre, nCadres)
	for i := range cs {
		loc, community := point()
		c := person(i+1, community, loc)
		c.BirthDate = on.AddDays(-365*60 - rng.IntN(365*40))
		switch r := rng.IntN(20); {
		case r == 0:
			c.Category = cadre.Lixiu
		case r < 3:
			c.Category = cadre.Junxiu
		}
		c.Health = []cadre.Health{cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent}[rng.IntN(4)]
		c.Living = []cadre.Living{cadre.LivingAlone, cadre.LivingSpouse, cadre.LivingFamily}[rng.IntN(3)]
		c.ChildrenNearby = rng.IntN(2) == 0
		c.Difficulty = rng.IntN(20) == 0
		if rng.IntN(50) == 0 {
			c.Location = nil
		}
		if rng.IntN(100) == 0 {
			c.Status, c.StatusOn = cadre.StatusDeceased, on.AddDays(rng.IntN(200)-100)
		}
		cs[i] = c
	}
	var es []venue.Enrolment
	for k := 0; k < 100; k += 2 {
		e := enrolled(2_000_000+k, fmt.Sprintf("c%02d", k), venue.StageExtended, cadre.NewDate(2025, 6, 1))
		switch k {
		case 0, 2:
			e.Stage, e.Since = venue.StagePilot, cadre.NewDate(2024, 3, 1)
		case 4:
			e.Since = cadre.NewDate(2027, 1, 1)
		}
		es = append(es, e)
	}
	return vs, cs, es
}
