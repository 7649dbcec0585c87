package cadre_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

func TestParseAcceptsRosterSpellings(t *testing.T) {
	for in, want := range map[string]cadre.Category{
		"离休干部": cadre.Lixiu, " 退休干部\n": cadre.Tuixiu, "退 休": cadre.Tuixiu, "ＬＩＸＩＵ": cadre.Lixiu, "军队离退休干部": cadre.Junxiu,
	} {
		got, err := cadre.ParseCategory(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	p, err := cadre.ParseParty("中共党员")
	require.NoError(t, err)
	assert.Equal(t, cadre.PartyFull, p)
	for _, s := range []string{"", "是", "离休老同志"} {
		_, err := cadre.ParseParty(s)
		assert.ErrorIs(t, err, cadre.ErrInvalid, "nothing is guessed: %q", s)
	}
	b, err := cadre.ParseBool("有")
	require.NoError(t, err)
	assert.True(t, b)
}

func TestParseErrorListsTheLabelsInChinese(t *testing.T) {
	_, err := cadre.ParseCategory("退役")
	require.ErrorIs(t, err, cadre.ErrInvalid)
	assert.Equal(t, "“退役”不是可填的值；可填：离休、退休、军休", cadre.Describe(err, cadre.Chinese))
	assert.Equal(t, `invalid value: category "退役": want one of lixiu 离休, tuixiu 退休, junxiu 军休`, err.Error())
	_, err = cadre.ParseBool("也许")
	assert.Equal(t, "“也许”不是可填的值；可填：是、否", cadre.Describe(err, cadre.Chinese))
}

func TestWorded(t *testing.T) {
	base := errors.New("not an amount")
	err := cadre.Worded(base, "不是金额", "")
	assert.ErrorIs(t, err, base)
	assert.Equal(t, "not an amount", err.Error())
	assert.Equal(t, "不是金额", cadre.Describe(err, cadre.Chinese))
	assert.Equal(t, "invalid value: x", cadre.Worded(cadre.ErrInvalid, "错", "x").Error())
}

func TestNormalizeIDNumberFolds(t *testing.T) {
	assert.Equal(t, "37010219440315001X", cadre.NormalizeIDNumber(" ３７０１０２ 19440315 001ｘ "))
}
