package cadre_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/cadre"
)

// TestParseErrorsWordedInChinese: a value that cannot be read says in
// Chinese what was wrong and what is accepted, and keeps its English and
// its sentinel.
func TestParseErrorsWordedInChinese(t *testing.T) {
	_, dateErr := cadre.ParseDate("2009年12月31日")
	_, catErr := cadre.ParseCategory("离休干部x")
	_, boolErr := cadre.ParseBool("maybe")
	_, yuanErr := cadre.ParseYuan("abc")
	_, langErr := cadre.ParseLang("fr")
	for _, c := range []struct {
		err    error
		zh, en string
	}{
		{dateErr, "YYYY-MM-DD", "want YYYY-MM-DD"},
		{catErr, "离休、退休、军休", "want one of"},
		{boolErr, "是、否", "want true/false"},
		{yuanErr, "5123.40", "not an amount in yuan"},
		{langErr, "zh（中文）", "want zh or en"},
		{cadre.WordedZH(errors.New("x"), "中文"), "中文", "x"},
	} {
		if !errors.Is(c.err, cadre.ErrInvalid) && c.en != "x" {
			t.Errorf("%v does not wrap ErrInvalid", c.err)
		}
		if zh := cadre.Describe(c.err, cadre.Chinese); !strings.Contains(zh, c.zh) || zh == "填写有误" {
			t.Errorf("Chinese of %v = %q, want it to hold %q", c.err, zh, c.zh)
		}
		if en := cadre.Describe(c.err, cadre.English); !strings.Contains(en, c.en) {
			t.Errorf("English of %v = %q, want it to hold %q", c.err, en, c.en)
		}
	}
}
