package cadre

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a calendar date with no time of day and no zone: a birth date, a
// retirement date, the day a visit was made. Dates in Wanxia are civil dates
// in Asia/Shanghai; converting an instant to a Date is the caller's choice of
// zone (see DateOf).
//
// The zero Date means "not set". Dates compare with Before, After and
// Compare, and print and parse as YYYY-MM-DD.
//
// Wanxia keeps its own small type rather than importing a civil-date module:
// the one well-kept implementation lives inside a large cloud SDK module, and
// the needs here are a dozen lines.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date y-m-d, normalised as time.Date normalises it
// (2027-02-30 becomes 2027-03-02). Use ParseDate to refuse impossible dates.
func NewDate(y int, m time.Month, d int) Date {
	return DateOf(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// ParseDate parses a date written YYYY-MM-DD and refuses dates that do not
// exist on the calendar, such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, WordedZH(fmt.Errorf("date %q: want YYYY-MM-DD, a real calendar date: %w", s, ErrInvalid),
			fmt.Sprintf("“%s”不是有效日期：应写成 YYYY-MM-DD（如 1945-03-15），且日历上确有这一天", s))
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date, meaning "not set".
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a real calendar date.
func (d Date) Valid() bool { return !d.IsZero() && NewDate(d.Year, d.Month, d.Day) == d }

// String returns d as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	m := int(d.Month)
	if d.Year < 0 || d.Year > 9999 || m < 0 || m > 99 || d.Day < 0 || d.Day > 99 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, m, d.Day)
	}
	// What Sprintf writes, without its cost: every stored date is written.
	b := [10]byte{
		byte('0' + d.Year/1000), byte('0' + d.Year/100%10), byte('0' + d.Year/10%10), byte('0' + d.Year%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + d.Day/10), byte('0' + d.Day%10),
	}
	return string(b[:])
}

// In returns midnight at the start of d in loc.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	if c := cmp.Compare(d.Year, o.Year); c != 0 {
		return c
	}
	if c := cmp.Compare(d.Month, o.Month); c != 0 {
		return c
	}
	return cmp.Compare(d.Day, o.Day)
}

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return NewDate(d.Year, d.Month, d.Day+n) }

// DaysSince returns the number of days from o to d: positive when d is later.
func (d Date) DaysSince(o Date) int {
	return int(d.In(time.UTC).Sub(o.In(time.UTC)).Hours() / 24)
}

// MarshalText encodes d as YYYY-MM-DD, and the zero Date as an empty string.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes YYYY-MM-DD; an empty string gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
