package care_test

import (
	"encoding/binary"
	"math/rand/v2"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// id returns a fixed UUID for a small number, so that tests read and sort
// predictably: id(1) < id(2).
func id(n int) uuid.UUID {
	var u uuid.UUID
	binary.BigEndian.PutUint64(u[8:], uint64(n))
	return u
}

// needy returns an active cadre in the given need tier on 2026-11-28 under
// cadre.DefaultPolicy, at loc (nil for no location).
func needy(n, tier int, loc *cadre.Location) cadre.Cadre {
	c := cadre.Cadre{
		ID:        id(n),
		Name:      "cadre",
		BirthDate: cadre.NewDate(1950, 6, 1), // 76: no age need
		Category:  cadre.Tuixiu,
		Health:    cadre.HealthGood,
		Living:    cadre.LivingFamily,
		Status:    cadre.StatusActive,
		Community: "sy",
		Location:  loc,
	}
	switch tier {
	case 1:
		c.Category = cadre.Lixiu
		c.BirthDate = cadre.NewDate(1930, 3, 1)
	case 2:
		c.Health = cadre.HealthDependent
	case 3:
		c.Living = cadre.LivingAlone
		c.BirthDate = cadre.NewDate(1940, 3, 1)
	case 4:
		c.Difficulty = true
	case 5:
		c.BirthDate = cadre.NewDate(1942, 3, 1)
	}
	return c
}

// around returns a random location in a box of about 20 × 20 km around the
// centre of Jinan's Shizhong district.
func around(rng *rand.Rand) *cadre.Location {
	return &cadre.Location{Lat: 36.60 + rng.Float64()*0.18, Lng: 116.90 + rng.Float64()*0.22}
}
