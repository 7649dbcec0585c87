package cadre_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

// labelled is what every enumeration offers.
type labelled interface {
	~string
	Label(cadre.Lang) string
}

func roundTrip[T labelled](t *testing.T, parse func(string) (T, error), values map[T]string) {
	t.Helper()
	for v, zh := range values {
		assert.Equal(t, zh, v.Label(cadre.Chinese))
		for _, in := range []string{string(v), zh, v.Label(cadre.English), " " + zh + " "} {
			got, err := parse(in)
			require.NoError(t, err, in)
			assert.Equal(t, v, got, in)
		}
	}
	_, err := parse("nonsense")
	assert.ErrorIs(t, err, cadre.ErrInvalid)
	_, err = parse("")
	assert.ErrorIs(t, err, cadre.ErrInvalid)
}

func TestEnumsRoundTrip(t *testing.T) {
	roundTrip(t, cadre.ParseGender, map[cadre.Gender]string{cadre.Male: "男", cadre.Female: "女"})
	roundTrip(t, cadre.ParseCategory, map[cadre.Category]string{cadre.Lixiu: "离休", cadre.Tuixiu: "退休", cadre.Junxiu: "军休"})
	roundTrip(t, cadre.ParseRank, map[cadre.Rank]string{cadre.RankCountyDeputyPlus: "副县处级及以上", cadre.RankSection: "科级", cadre.RankOther: "其他"})
	roundTrip(t, cadre.ParseParty, map[cadre.Party]string{cadre.PartyNone: "非党员", cadre.PartyProbationary: "预备党员", cadre.PartyFull: "正式党员"})
	roundTrip(t, cadre.ParseHealth, map[cadre.Health]string{cadre.HealthGood: "良好", cadre.HealthChronic: "慢性病", cadre.HealthSerious: "重病", cadre.HealthDependent: "失能"})
	roundTrip(t, cadre.ParseLiving, map[cadre.Living]string{cadre.LivingAlone: "独居", cadre.LivingSpouse: "与配偶同住", cadre.LivingFamily: "与子女同住"})
	roundTrip(t, cadre.ParseStatus, map[cadre.Status]string{cadre.StatusActive: "在册", cadre.StatusDeceased: "去世", cadre.StatusMoved: "迁出"})
	roundTrip(t, cadre.ParseNeed, map[cadre.Need]string{cadre.NeedLixiu: "离休干部", cadre.NeedElderly: "高龄"})

	got, err := cadre.ParseCategory("LIXIU")
	require.NoError(t, err)
	assert.Equal(t, cadre.Lixiu, got, "codes are case-insensitive")
	assert.Equal(t, "retired", cadre.Tuixiu.Label(cadre.English))
	assert.True(t, cadre.Lixiu.Valid())
	assert.False(t, cadre.Category("x").Valid())
}

func TestParseBool(t *testing.T) {
	for in, want := range map[string]bool{"是": true, "否": false, "true": true, "FALSE": false, "1": true, "0": false, "": false, "yes": true} {
		got, err := cadre.ParseBool(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	_, err := cadre.ParseBool("maybe")
	assert.ErrorIs(t, err, cadre.ErrInvalid)
	assert.Equal(t, "是", cadre.BoolLabel(true, cadre.Chinese))
	assert.Equal(t, "no", cadre.BoolLabel(false, cadre.English))
}

func TestParseLang(t *testing.T) {
	l, err := cadre.ParseLang("EN")
	require.NoError(t, err)
	assert.Equal(t, cadre.English, l)
	_, err = cadre.ParseLang("fr")
	assert.ErrorIs(t, err, cadre.ErrInvalid)
}
