package cadre_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestProblemsAreWordedInChinese(t *testing.T) {
	c := testkit.Wang()
	c.Gender = cadre.Female
	c.RetiredOn = testkit.Date("2027-01-01")
	c.Community = ""
	c.IDNumber = c.IDNumber[:17] + "0"
	err := c.Validate(testkit.FixedNow())
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve))
	got := map[string]string{}
	for _, p := range ve.Problems {
		got[p.Field] = p.Message(cadre.Chinese)
		assert.Equal(t, p.Err.Error(), p.Message(cadre.English))
	}
	assert.Contains(t, got["retired_on"], "晚于今天")
	assert.Equal(t, "必填", got["community"])
	assert.Contains(t, got["id_number"], "身份证号")
	assert.Equal(t, "身份证号应为18位", cadre.Describe(cadre.ValidateIDNumber("123"), cadre.Chinese))
	assert.Equal(t, "这是15位旧身份证号，请录入现行身份证上的18位号码", cadre.Describe(cadre.ErrIDOldFormat, cadre.Chinese))
	assert.Contains(t, cadre.Describe(cadre.ErrIDCheck, cadre.English), "check character")
}
