package branch

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

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
