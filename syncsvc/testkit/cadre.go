package testkit

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// Cadre returns a valid, active cadre numbered n in community: named
// 测试NNN, with ID number IDNumber(n) (which gives birth date and gender),
// a 退休 section-level full Party member in good health living with a
// spouse, retired at 60: the cadre the tests of syncsvc have always built
// for n. Cadres of different n have different ID numbers; the ID field is
// left for the store to give.
func Cadre(n int, community string) cadre.Cadre {
	c := cadre.Cadre{
		Name:      fmt.Sprintf("测试%03d", n),
		IDNumber:  IDNumber(n),
		Category:  cadre.Tuixiu,
		Rank:      cadre.RankSection,
		Party:     cadre.PartyFull,
		Health:    cadre.HealthGood,
		Living:    cadre.LivingSpouse,
		Community: community,
	}
	c.Normalize()
	c.RetiredOn = c.BirthDate.AddDays(60 * 365)
	return c
}

// Cadres returns count cadres of community numbered from first on.
func Cadres(first, count int, community string) []cadre.Cadre {
	out := make([]cadre.Cadre, count)
	for i := range out {
		out[i] = Cadre(first+i, community)
	}
	return out
}

// Wang returns 王建国 of community sy, a record with every field filled
// that passes Validate on FixedNow: born 1944-03-15, 退休 since 2004, a
// full Party member since 1968, chronically ill, living with his wife,
// with an address, a location, a phone and a pension of 5,123.40 yuan.
func Wang() cadre.Cadre {
	return cadre.Cadre{
		Name:          "王建国",
		Gender:        cadre.Male,
		IDNumber:      IDNumberFor("370102", "19440315", 13),
		BirthDate:     cadre.NewDate(1944, 3, 15),
		Category:      cadre.Tuixiu,
		RetiredOn:     cadre.NewDate(2004, 4, 1),
		Rank:          cadre.RankSection,
		Party:         cadre.PartyFull,
		PartyJoinedOn: cadre.NewDate(1968, 7, 1),
		Health:        cadre.HealthChronic,
		Living:        cadre.LivingSpouse,
		Community:     "sy",
		Address:       "舜园小区3号楼2单元101",
		Location:      &cadre.Location{Lat: 36.65, Lng: 117.0},
		Phone:         "0531-86001234",
		PensionFen:    512340,
		Status:        cadre.StatusActive,
	}
}

// Names returns the cadres' names, in order: what a test compares a list
// against.
func Names(cs []cadre.Cadre) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Name
	}
	return out
}
