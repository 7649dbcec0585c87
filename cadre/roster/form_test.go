package roster_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestReadFormReadsCellsAsARosterDoes(t *testing.T) {
	id := testkit.IDNumberFor("370102", "19440315", 13)
	c, given, ps := roster.ReadForm(map[string]string{
		"name": " 王　建国 ", "id_number": id[:6] + " " + id[6:], "category": "退休干部", "retired_on": "2004年4月",
		"party": "中共党员", "health": "", "children_nearby": "是", "community": "sy", "pension_fen": "5123.4",
		"lat": "36.65", "lng": "117",
	}, testkit.FixedNow())
	require.Empty(t, ps)
	assert.Equal(t, "王建国", c.Name)
	assert.Equal(t, cadre.Male, c.Gender, "from the ID number")
	assert.Equal(t, cadre.NewDate(1944, 3, 15), c.BirthDate)
	assert.Equal(t, cadre.Tuixiu, c.Category)
	assert.Equal(t, cadre.NewDate(2004, 4, 1), c.RetiredOn, "a month alone is its first day")
	assert.Equal(t, cadre.PartyFull, c.Party)
	assert.Equal(t, cadre.Health(""), c.Health, "an empty cell stays unknown")
	assert.True(t, c.ChildrenNearby)
	assert.Equal(t, int64(512340), c.PensionFen)
	require.NotNil(t, c.Location)
	assert.Equal(t, 117.0, c.Location.Lng)
	assert.Equal(t, []string{"name", "id_number", "category", "retired_on", "party", "children_nearby", "community", "lat", "lng", "pension_fen"}, given)
}

func TestReadFormReportsEveryProblemInTheFormsOrder(t *testing.T) {
	id := testkit.IDNumberFor("370102", "19440315", 13)
	bad := id[:16] + "9" + id[17:]
	_, _, ps := roster.ReadForm(map[string]string{
		"id_number": bad, "category": "离休的", "retired_on": "2030-01-01", "lat": "36.6",
	}, testkit.FixedNow())
	var fields []string
	for _, p := range ps {
		fields = append(fields, p.Field)
	}
	assert.Equal(t, []string{"name", "id_number", "category", "retired_on", "community", "lng"}, fields)
	msgs := map[string]string{}
	for _, p := range ps {
		msgs[p.Field] = p.Message(cadre.Chinese)
	}
	assert.Contains(t, msgs["id_number"], "校验位不符")
	assert.Contains(t, msgs["category"], "离休")
	assert.Equal(t, "必填", msgs["name"])
	assert.Contains(t, msgs["lng"], "填了纬度却没有经度")
}
