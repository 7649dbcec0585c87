package cadre_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

// idNumber builds a valid ID number for region, birth date and sequence,
// computing the real check character.
func idNumber(t testing.TB, region, birth string, seq int) string {
	t.Helper()
	first17 := fmt.Sprintf("%s%s%03d", region, birth, seq)
	c, err := cadre.IDCheckChar(first17)
	require.NoError(t, err)
	return first17 + string(c)
}

func date(t testing.TB, s string) cadre.Date {
	t.Helper()
	d, err := cadre.ParseDate(s)
	require.NoError(t, err)
	return d
}

var asOf = time.Date(2026, 11, 28, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))

// validCadre returns a record that passes Validate on asOf.
func validCadre(t testing.TB) cadre.Cadre {
	t.Helper()
	return cadre.Cadre{
		Name:          "王建国",
		Gender:        cadre.Male,
		IDNumber:      idNumber(t, "370102", "19440315", 13),
		BirthDate:     date(t, "1944-03-15"),
		Category:      cadre.Tuixiu,
		RetiredOn:     date(t, "2004-04-01"),
		Rank:          cadre.RankSection,
		Party:         cadre.PartyFull,
		PartyJoinedOn: date(t, "1968-07-01"),
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
