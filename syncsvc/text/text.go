// Package text decides which characters a stored text may hold. Names,
// addresses, notes and every other text a clerk types or a roster brings
// are shown in tables, printed, searched and compared; a control character
// (a NUL, a terminal escape, a tab or line break in a one-line field) or an
// invisible one (a zero-width space, a byte-order mark, a direction mark)
// breaks the table, hides from a search (王\u200b六 is not 王六) or changes
// what a terminal shows. Check finds the first such character, worded for
// the clerk in Chinese and English; Clean removes them for a caller that
// prefers to tidy rather than refuse.
//
// The package is a leaf with no domain rule in it, so that the domain's
// Validate methods and the sync engine's check of every text value, on
// every write and every pushed change, apply the same test.
package text

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Problem is the first character a text may not hold.
type Problem struct {
	// Rune is the character; utf8.RuneError for bytes that are not UTF-8.
	Rune rune
	// Pos is its place among the characters of the text, from 1.
	Pos int
}

// names words the characters clerks meet most often.
var names = map[rune][2]string{
	0x00:   {"空字符（NUL）", "a NUL character"},
	'\t':   {"制表符", "a tab"},
	'\n':   {"换行符", "a line break"},
	'\r':   {"回车符", "a carriage return"},
	0x1b:   {"终端控制符（ESC）", "a terminal escape (ESC)"},
	0x7f:   {"删除符（DEL）", "a delete character (DEL)"},
	0xad:   {"软连字符", "a soft hyphen"},
	0x200b: {"零宽空格", "a zero-width space"},
	0x200c: {"零宽不连字", "a zero-width non-joiner"},
	0x200d: {"零宽连字", "a zero-width joiner"},
	0x200e: {"从左到右标记", "a left-to-right mark"},
	0x200f: {"从右到左标记", "a right-to-left mark"},
	0x2028: {"行分隔符", "a line separator"},
	0x2029: {"段分隔符", "a paragraph separator"},
	0x2060: {"零宽不换行符", "a word joiner"},
	0xfeff: {"字节顺序标记（BOM）", "a byte-order mark (BOM)"},
}

// Chinese words the problem for a clerk: which character, where, and what
// to do.
func (p Problem) Chinese() string {
	if p.Rune == utf8.RuneError {
		return fmt.Sprintf("第%d个字符处有乱码（不是有效的 UTF-8 文字），请重新录入这一项", p.Pos)
	}
	name := fmt.Sprintf("看不见的控制字符（U+%04X）", p.Rune)
	if n, ok := names[p.Rune]; ok {
		name = fmt.Sprintf("%s（U+%04X）", n[0], p.Rune)
	}
	return fmt.Sprintf("第%d个字符是%s，不能保存：请删去后重新录入", p.Pos, name)
}

// English words the problem in English.
func (p Problem) English() string {
	if p.Rune == utf8.RuneError {
		return fmt.Sprintf("character %d is not valid UTF-8 text; type the value again", p.Pos)
	}
	name := fmt.Sprintf("an invisible control character (U+%04X)", p.Rune)
	if n, ok := names[p.Rune]; ok {
		name = fmt.Sprintf("%s (U+%04X)", n[1], p.Rune)
	}
	return fmt.Sprintf("character %d is %s, which cannot be stored; delete it and type the value again", p.Pos, name)
}

// Error is the English wording.
func (p Problem) Error() string { return p.English() }

// Allowed reports whether r may stand in a text: not a control character
// (Unicode Cc), not an invisible format character (Cf: zero-width spaces
// and joiners, direction marks, the byte-order mark, the soft hyphen), not
// a line or paragraph separator. A multi-line text (a note) may also hold
// line breaks, carriage returns and tabs.
func Allowed(r rune, multiLine bool) bool {
	switch {
	case r == utf8.RuneError:
		return false
	case r == '\n' || r == '\r' || r == '\t':
		return multiLine
	case unicode.Is(unicode.Cc, r), unicode.Is(unicode.Cf, r), r == 0x2028, r == 0x2029:
		return false
	}
	return true
}

// Check returns the first character of s that Allowed refuses, or nil when
// s may be stored. Bytes that are not UTF-8 are refused too.
func Check(s string, multiLine bool) *Problem {
	pos := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			// ASCII, most of what is stored: only its controls are refused
			// (Allowed, without decoding or looking the character up).
			pos++
			if (b < 0x20 || b == 0x7f) && !(multiLine && (b == '\n' || b == '\r' || b == '\t')) {
				return &Problem{Rune: rune(b), Pos: pos}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		pos++
		if (r == utf8.RuneError && size <= 1) || (r != utf8.RuneError && !Allowed(r, multiLine)) {
			return &Problem{Rune: r, Pos: pos}
		}
		i += size
	}
	return nil
}

// Clean returns s without the characters Check refuses: line breaks and
// tabs of a one-line text become one space each (runs of them one space),
// every other refused character is dropped, and the result is trimmed. A
// text Check accepts is returned unchanged but trimmed.
func Clean(s string, multiLine bool) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size <= 1:
			continue
		case !multiLine && (r == '\n' || r == '\r' || r == '\t' || r == 0x2028 || r == 0x2029):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r != utf8.RuneError && !Allowed(r, multiLine):
			continue
		}
		space = r == ' '
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
