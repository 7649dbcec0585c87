package main

import (
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

// orUnknown lets a cadre's field be set back to unknown (未填): the value
// 未填, unknown or an empty one clears it; any other is parsed.
func orUnknown[T ~string](parse func(string) (T, error)) func(string) (T, error) {
	return func(s string) (T, error) {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "", "未填", "unknown":
			return "", nil
		}
		return parse(s)
	}
}

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
	fen, err := cadre.ParseYuan(strings.TrimSpace(s))
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
	return cadre.FormatYuan(*f.p)
}

func (f *yuanFlag) Type() string { return "yuan" }
