package cadre

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseYuan reads an amount in yuan with at most two decimals ("5123.40",
// "5000", "0.5") as fen. It works on the digits, not through float64, so
// that every amount a person can type is kept to the fen. A minus sign is
// read, and left for Validate to refuse with the record's other problems.
func ParseYuan(s string) (int64, error) {
	sign, digits := "", strings.TrimSpace(s)
	if rest, ok := strings.CutPrefix(digits, "-"); ok {
		sign, digits = "-", rest
	}
	whole, frac, dot := strings.Cut(digits, ".")
	if !allDigits(whole) || (dot && (len(frac) > 2 || !allDigits(frac))) {
		return 0, WordedZH(fmt.Errorf("%w: %q is not an amount in yuan; write it like 5123.40, with at most two decimals", ErrInvalid, s),
			fmt.Sprintf("“%s”不是以元为单位的金额：应写成 5123.40 这样，最多两位小数", s))
	}
	fen, err := strconv.ParseInt(sign+whole+(frac + "00")[:2], 10, 64)
	if err != nil {
		return 0, WordedZH(fmt.Errorf("%w: %q is too large an amount in yuan", ErrInvalid, s), fmt.Sprintf("金额“%s”太大，请核对", s))
	}
	return fen, nil
}

// FormatYuan writes fen as yuan with two decimals, the form ParseYuan reads.
func FormatYuan(fen int64) string {
	sign, u := "", uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen) // also right for math.MinInt64, whose negation wraps to itself
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}
