package cadre_test

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
)

func TestParseYuan(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "5000": 500000, "5000.00": 500000, "5000.5": 500050, "1234.01": 123401, "-1": -100, " 5123.40 ": 512340} {
		got, err := cadre.ParseYuan(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"1.234", "abc", "", "1,000", "5e3", ".", "99999999999999999999"} {
		_, err := cadre.ParseYuan(bad)
		assert.ErrorIs(t, err, cadre.ErrInvalid, bad)
	}
	assert.Equal(t, "5123.40", cadre.FormatYuan(512340))
	assert.Equal(t, "-0.05", cadre.FormatYuan(-5))
	assert.Equal(t, "-92233720368547758.08", cadre.FormatYuan(math.MinInt64))
	for _, fen := range []int64{0, 1, 99, 100, 512340} {
		back, err := cadre.ParseYuan(cadre.FormatYuan(fen))
		require.NoError(t, err)
		assert.Equal(t, fen, back)
	}
}
