package text_test

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/text"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		in        string
		multiLine bool
		pos       int
		r         rune
		zh        string
	}{
		{"王六", false, 0, 0, ""},
		{"王\u200b六", false, 2, 0x200b, "零宽空格"},
		{"王六\x00", false, 3, 0, "NUL"},
		{"\x1b[31m王六", false, 1, 0x1b, "ESC"},
		{"王\t六", false, 2, '\t', "制表符"},
		{"舜园路\n1号", false, 4, '\n', "换行符"},
		{"第一行\n第二行\t完", true, 0, 0, ""},
		{"\ufeff王六", true, 1, 0xfeff, "BOM"},
		{"王\u202e六", true, 2, 0x202e, "U+202E"},
		{"王\u0085六", false, 2, 0x85, "U+0085"},
		{"王\xff六", false, 2, 0xfffd, "乱码"},
	}
	for _, tt := range tests {
		p := text.Check(tt.in, tt.multiLine)
		if tt.pos == 0 {
			assert.Nil(t, p, "%q", tt.in)
			continue
		}
		require.NotNil(t, p, "%q", tt.in)
		assert.Equal(t, tt.pos, p.Pos, "%q", tt.in)
		assert.Equal(t, tt.r, p.Rune, "%q", tt.in)
		assert.Contains(t, p.Chinese(), tt.zh, "%q", tt.in)
		assert.Contains(t, p.English(), "character", "%q", tt.in)
	}
}

func TestClean(t *testing.T) {
	assert.Equal(t, "王六", text.Clean("王\u200b六\x00", false))
	assert.Equal(t, "舜园路 1号", text.Clean("舜园路\r\n1号\n", false))
	assert.Equal(t, "第一行\n第二行", text.Clean("第一行\n第二\u200d行", true))
	for _, s := range []string{"王\u200b六", "a\x1b[0mb\tc", "x\xffy"} {
		assert.Nil(t, text.Check(text.Clean(s, false), false), "%q", s)
	}
}

// Check refuses exactly the characters Allowed refuses, the ASCII ones it
// tells apart without Allowed included, at their place; U+FFFD written as
// such is the one character it keeps (Allowed's RuneError is a byte that
// is no UTF-8).
func TestCheckAgreesWithAllowed(t *testing.T) {
	for r := rune(0); r <= 0x10FFFF; r++ {
		if r == utf8.RuneError || r >= 0xD800 && r <= 0xDFFF || r > 0x3000 && r < 0xF900 && r%97 != 0 || r > 0x20000 && r%101 != 0 {
			continue // surrogates have no UTF-8; a sample of the large plain ranges
		}
		for _, multiLine := range []bool{false, true} {
			p := text.Check("王"+string(r)+"a", multiLine)
			if text.Allowed(r, multiLine) {
				require.Nil(t, p, "%U multiLine=%v", r, multiLine)
				continue
			}
			require.NotNil(t, p, "%U multiLine=%v", r, multiLine)
			assert.Equal(t, 2, p.Pos)
		}
	}
}
