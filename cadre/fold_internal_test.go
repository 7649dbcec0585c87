package cadre

import (
	"testing"
	"unicode/utf8"
)

// The shortcut of FoldValue must never skip a string the fold would
// change: every character of the Basic Multilingual Plane and a few
// beyond it, alone and inside a roster cell, and bytes that are no UTF-8.
func TestFoldValueShortcutSkipsOnlyWhatTheFoldKeeps(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if folded(s) && foldAll(s) != s {
			t.Fatalf("folded(%q) but the fold gives %q", s, foldAll(s))
		}
		if got, want := FoldValue(s), foldAll(s); got != want {
			t.Fatalf("FoldValue(%q) = %q, want %q", s, got, want)
		}
	}
	skipped := 0
	for r := rune(0); r <= 0x2FFFF; r++ {
		if r > 0xFFFF && r%61 != 0 || !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		check(s)
		check("离休" + s + "干部")
		if folded(s) {
			skipped++
		}
	}
	for _, s := range []string{"", "lixiu", "离休", "Retired", "１９９０", "1990-05-01", "a b", "x\u3000y", "\xff", "a\xe4\xb8", "ǅ", "İ", "。", "、", "「"} {
		check(s)
	}
	if skipped < 1000 {
		t.Fatalf("the shortcut takes only %d characters: it would save nothing", skipped)
	}
}

func FuzzFoldValue(f *testing.F) {
	for _, s := range []string{"离休干部", "ＬＩＸＩＵ", "1990 年 5 月", "\xff\xfe", "Ｘ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := FoldValue(s), foldAll(s); got != want {
			t.Fatalf("FoldValue(%q) = %q, want %q", s, got, want)
		}
	})
}

// Parse finds a label through the index NewEnum builds exactly as a
// search of the values in order would, also where two values share a
// spelling or a label is empty.
func TestEnumIndexFindsWhatTheSearchFinds(t *testing.T) {
	shared := NewEnum[Status]("test", L("a", "甲", "Same"), L("b", "乙", "same"), L("c", "丙", ""))
	search := func(e Enum[Status], s string) (string, bool) { e.labels = nil; return e.byLabel(FoldValue(s)) }
	for _, e := range []Enum[Status]{statuses, shared} {
		for _, l := range e.Values {
			for _, s := range []string{l.Code, l.Zh, l.En, " " + l.Zh + " ", "ｘ" + l.Code} {
				want, wok := search(e, s)
				got, ok := e.byLabel(FoldValue(s))
				if got != want || ok != wok {
					t.Errorf("%q: index gives %q %v, the search %q %v", s, got, ok, want, wok)
				}
			}
		}
	}
	if code, _ := shared.byLabel("same"); code != "a" {
		t.Errorf("a spelling two values share names the first, got %q", code)
	}
}
