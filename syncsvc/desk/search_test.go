package desk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestListCadresFiltersAndPages: the desk's list filters by community,
// category, status and need tier, matches text as a search does, and
// pages through the rest.
func TestListCadresFiltersAndPages(t *testing.T) {
	r := openReplica(t, "office")
	for n := range 12 {
		c := testkit.Cadre(n, "sy")
		if n >= 8 {
			c.Community = "gsq"
		}
		switch n {
		case 1:
			c.Category = cadre.Lixiu // tier 1
		case 2:
			c.Health = cadre.HealthSerious // tier 2
		case 3:
			c.Status, c.StatusOn = cadre.StatusDeceased, testkit.Date("2026-01-05")
		}
		_, err := desk.RegisterCadre(ctx, r, desk.CadreInput{Values: c, Set: desk.CadreFields})
		require.NoError(t, err, n)
	}
	on := testkit.Today()
	all, err := desk.ListCadres(ctx, r, desk.CadreQuery{Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 12, all.Total)
	assert.Equal(t, []string{"gsq", "sy"}, all.Communities)
	assert.Equal(t, "gsq", all.Cadres[0].Cadre.Community, "by community, then name")

	sy, err := desk.ListCadres(ctx, r, desk.CadreQuery{Community: "sy", Tier: desk.AnyTier, On: on, Limit: 5, Offset: 5})
	require.NoError(t, err)
	assert.Equal(t, 8, sy.Total)
	assert.Len(t, sy.Cadres, 3, "the last page")

	lixiu, err := desk.ListCadres(ctx, r, desk.CadreQuery{Category: cadre.Lixiu, Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, []string{"测试001"}, listedNames(lixiu))
	tier2, err := desk.ListCadres(ctx, r, desk.CadreQuery{Tier: 2, On: on})
	require.NoError(t, err)
	assert.Contains(t, listedNames(tier2), "测试002")
	assert.NotContains(t, listedNames(tier2), "测试001")
	dead, err := desk.ListCadres(ctx, r, desk.CadreQuery{Status: cadre.StatusDeceased, Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, []string{"测试003"}, listedNames(dead))
	assert.Zero(t, dead.Cadres[0].Tier, "a cadre who died needs no pair")

	byText, err := desk.ListCadres(ctx, r, desk.CadreQuery{Text: "测试01", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, []string{"测试010", "测试011"}, listedNames(byText), "part of the name, by name")
	byInitials, err := desk.ListCadres(ctx, r, desk.CadreQuery{Text: "cs", Community: "gsq", Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, 4, byInitials.Total, "pinyin initials of 测试, with the community filter")
	byID, err := desk.ListCadres(ctx, r, desk.CadreQuery{Text: testkit.IDNumber(7)[:17], Tier: desk.AnyTier, On: on})
	require.NoError(t, err)
	assert.Equal(t, []string{"测试007"}, listedNames(byID))
}

func listedNames(l desk.CadreList) []string {
	out := []string{}
	for _, c := range l.Cadres {
		out = append(out, c.Cadre.Name)
	}
	return out
}
