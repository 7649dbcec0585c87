package roster_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// Valid ID numbers with correct check characters.
const (
	idWang  = "370102194403150012" // male, born 1944-03-15
	idLi    = "370103195006120021" // female, born 1950-06-12
	idSun   = "370102192809010037" // male, born 1928-09-01
	idZhang = "370102195701010047" // female, born 1957-01-01
)

// The fewest columns a row needs to pass validation, with one good row.
const (
	minHeader = "姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区"
	minCells  = "退休,2004-04-01,科级,正式党员,良好,与子女同住,sy"
)

func minRow(name, id string) string { return name + "," + id + "," + minCells }

func read(t *testing.T, csv string) *roster.Result {
	t.Helper()
	res, err := roster.Read(strings.NewReader(csv), testkit.FixedNow())
	require.NoError(t, err)
	return res
}

// wang is the cadre of the full sample rows below, as Read returns it.
func wang(t *testing.T) cadre.Cadre {
	t.Helper()
	return cadre.Cadre{
		Name:           "王建国",
		Gender:         cadre.Male,
		IDNumber:       idWang,
		BirthDate:      testkit.Date("1944-03-15"),
		Category:       cadre.Tuixiu,
		RetiredOn:      testkit.Date("2004-04-01"),
		Rank:           cadre.RankSection,
		Party:          cadre.PartyFull,
		PartyJoinedOn:  testkit.Date("1968-07-01"),
		Health:         cadre.HealthChronic,
		Living:         cadre.LivingSpouse,
		ChildrenNearby: false,
		Difficulty:     true,
		Community:      "sy",
		Address:        "舜园小区3号楼2单元101",
		Location:       &cadre.Location{Lat: 36.6512, Lng: 117.0203},
		Phone:          "0531-86001234",
		OriginalUnit:   "济南第一机床厂",
		PensionFen:     512340,
		Status:         cadre.StatusActive,
	}
}

// assertNoFullID checks that no message of res shows a whole ID number.
func assertNoFullID(t *testing.T, res *roster.Result, ids ...string) {
	t.Helper()
	for _, e := range res.Errors {
		for _, id := range ids {
			assert.NotContains(t, e.Error(), id)
		}
	}
}

// fields returns the fields of the errors on line.
func fields(res *roster.Result, line int) []string {
	var out []string
	for _, e := range res.Errors {
		if e.Line == line {
			out = append(out, e.Field)
		}
	}
	return out
}
