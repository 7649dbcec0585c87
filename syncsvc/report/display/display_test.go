package display_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/syncsvc/report/display"
)

func TestWidth(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"sy", 2},
		{"舜园社区", 8},             // Chinese characters: wide
		{"李秀英 (sy)", 11},        // mixed
		{"，", 2},                // a fullwidth comma
		{"　", 2},                // the ideographic space that joins report headers
		{"ＡＢ", 4},               // fullwidth Latin letters
		{"2026-04—2026-06", 15}, // the em dash is ambiguous: one cell
		{"①", 1},                // ambiguous: one cell
		{"가", 2},                // Hangul: wide
		{"é", 1},
		{"欠交(元)", 8},
	} {
		assert.Equal(t, tc.want, display.Width(tc.s), "%q", tc.s)
	}
}

func TestTime(t *testing.T) {
	utc := time.Date(2026, 11, 28, 1, 30, 0, 0, time.UTC)
	assert.Equal(t, "2026-11-28 09:30", display.Time(utc, "-"), "shown in Shanghai whatever its own zone")
	assert.Equal(t, "2027-01-01 07:59", display.Time(time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), ""), "to the minute, not rounded")
	assert.Equal(t, "2028-02-29 00:00", display.Time(time.Date(2028, 2, 28, 16, 0, 0, 0, time.UTC), ""), "a leap day")
	assert.Equal(t, "-", display.Time(time.Time{}, "-"))
	assert.Equal(t, "", display.Time(time.Time{}, ""))
	p, err := time.ParseInLocation(display.TimeLayout, "2026-11-28 09:30", time.FixedZone("CST", 8*3600))
	assert.NoError(t, err)
	assert.True(t, p.Equal(utc), "TimeLayout reads back what Time writes")
}
