package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// The flag values below parse while the command line is read, so that a bad
// value is bad usage (exit 2) named after its flag, before any work starts.

// langFlag is --lang: zh or en.
type langFlag struct{ p *cadre.Lang }

func (f *langFlag) Set(s string) error {
	l, err := cadre.ParseLang(s)
	if err != nil {
		return err
	}
	*f.p = l
	return nil
}

func (f *langFlag) String() string {
	if f.p == nil {
		return ""
	}
	return string(*f.p)
}

func (f *langFlag) Type() string { return "zh|en" }

// enumFlag is a flag of one of the cadre enumerations: a code or a label.
type enumFlag[T ~string] struct {
	p     *T
	parse func(string) (T, error)
}

func (f *enumFlag[T]) Set(s string) error {
	v, err := f.parse(s)
	if err != nil {
		return err
	}
	*f.p = v
	return nil
}

func (f *enumFlag[T]) String() string {
	if f.p == nil {
		return ""
	}
	return string(*f.p)
}

func (f *enumFlag[T]) Type() string { return "code" }

// dateFlag is a YYYY-MM-DD date; an empty value clears the date.
type dateFlag struct{ p *cadre.Date }

func (f *dateFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		*f.p = cadre.Date{}
		return nil
	}
	d, err := cadre.ParseDate(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*f.p = d
	return nil
}

func (f *dateFlag) String() string {
	if f.p == nil {
		return ""
	}
	return f.p.String()
}

func (f *dateFlag) Type() string { return "YYYY-MM-DD" }

// boolFlag is a yes/no value: true/false or 是/否.
type boolFlag struct{ p *bool }

func (f *boolFlag) Set(s string) error {
	b, err := cadre.ParseBool(s)
	if err != nil {
		return err
	}
	*f.p = b
	return nil
}

func (f *boolFlag) String() string {
	if f.p == nil {
		return ""
	}
	return strconv.FormatBool(*f.p)
}

func (f *boolFlag) Type() string { return "yes|no" }

// yuanFlag is an amount in yuan, kept exactly in fen.
type yuanFlag struct{ p *int64 }

func (f *yuanFlag) Set(s string) error {
	fen, err := parseYuan(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*f.p = fen
	return nil
}

func (f *yuanFlag) String() string {
	if f.p == nil || *f.p == 0 {
		return ""
	}
	return formatYuan(*f.p)
}

func (f *yuanFlag) Type() string { return "yuan" }

// parseYuan reads an amount in yuan with at most two decimals as fen. It
// works on the digits, not through float64, so that every amount a person
// types is kept to the fen. A minus sign is read and left for validation
// to refuse, with the record's other problems.
func parseYuan(s string) (int64, error) {
	sign, digits := "", s
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, digits = "-", rest
	}
	whole, frac, dot := strings.Cut(digits, ".")
	if !allDigits(whole) || (dot && (len(frac) > 2 || !allDigits(frac))) {
		return 0, fmt.Errorf("%w: %q is not an amount in yuan; write it like 5123.40, with at most two decimals", cadre.ErrInvalid, s)
	}
	fen, err := strconv.ParseInt(sign+whole+(frac + "00")[:2], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is too large an amount in yuan", cadre.ErrInvalid, s)
	}
	return fen, nil
}

// formatYuan writes fen as yuan with two decimals, the form parseYuan reads.
func formatYuan(fen int64) string {
	sign, u := "", uint64(fen)
	if fen < 0 {
		sign, u = "-", uint64(-fen)
	}
	return fmt.Sprintf("%s%d.%02d", sign, u/100, u%100)
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
