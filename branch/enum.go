package branch

import (
	"fmt"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// label is one value of an enumeration: its code and its labels.
type label struct{ code, zh, en string }

// enum describes a string enumeration so that each enum type needs only
// one-line methods. Package cadre has the same helper, unexported.
type enum[T ~string] struct {
	kind   string
	values []label
}

func (e enum[T]) find(v T) (label, bool) {
	for _, l := range e.values {
		if l.code == string(v) {
			return l, true
		}
	}
	return label{}, false
}

func (e enum[T]) valid(v T) bool {
	_, ok := e.find(v)
	return ok
}

// index returns v's position in the enumeration, which is the order in
// which outputs are sorted, or len(values) for an unknown value.
func (e enum[T]) index(v T) int {
	for i, l := range e.values {
		if l.code == string(v) {
			return i
		}
	}
	return len(e.values)
}

func (e enum[T]) label(v T, lang cadre.Lang) string {
	l, ok := e.find(v)
	switch {
	case !ok:
		return string(v)
	case lang == cadre.English:
		return l.en
	default:
		return l.zh
	}
}

// text returns both labels of v as a Text.
func (e enum[T]) text(v T) Text {
	return Text{Zh: e.label(v, cadre.Chinese), En: e.label(v, cadre.English)}
}

// parse accepts the code (any case), the Chinese label or the English label.
func (e enum[T]) parse(s string) (T, error) {
	t := strings.TrimSpace(s)
	for _, l := range e.values {
		if strings.EqualFold(t, l.code) || t == l.zh || strings.EqualFold(t, l.en) {
			return T(l.code), nil
		}
	}
	return "", fmt.Errorf("%w: %s %q: want one of %s", cadre.ErrInvalid, e.kind, s, e.choices())
}

func (e enum[T]) choices() string {
	parts := make([]string, len(e.values))
	for i, l := range e.values {
		parts[i] = l.code + " " + l.zh
	}
	return strings.Join(parts, ", ")
}

func (e enum[T]) unmarshal(dst *T, b []byte) error {
	if len(b) == 0 {
		*dst = ""
		return nil
	}
	v, err := e.parse(string(b))
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// Text is an explanation in both languages of the package: the plan's
// reasons, the findings and the evidence are read by people who choose zh
// or en, so each is kept in both rather than translated later.
type Text struct {
	// Zh is the Chinese text.
	Zh string `json:"zh"`
	// En is the English text.
	En string `json:"en"`
}

// In returns t in lang: English when asked for, Chinese otherwise, as labels do.
func (t Text) In(lang cadre.Lang) string {
	if lang == cadre.English {
		return t.En
	}
	return t.Zh
}

// textf formats the two languages with their own arguments.
func textf(zh string, zhArgs []any, en string, enArgs []any) Text {
	return Text{Zh: fmt.Sprintf(zh, zhArgs...), En: fmt.Sprintf(en, enArgs...)}
}

// chineseNumber writes 1–99 in Chinese numerals (一, 十二, 二十), as branch
// names number their parts (第二党支部); larger numbers stay in digits.
func chineseNumber(n int) string {
	digits := []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"}
	switch {
	case n < 1 || n > 99:
		return fmt.Sprint(n)
	case n < 10:
		return digits[n]
	case n == 10:
		return "十"
	case n < 20:
		return "十" + digits[n%10]
	case n%10 == 0:
		return digits[n/10] + "十"
	default:
		return digits[n/10] + "十" + digits[n%10]
	}
}
