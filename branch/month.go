package branch

import (
	"cmp"
	"fmt"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// Month is a calendar month: dues are owed and paid per month, and meetings
// fall due per month, quarter or year. The zero Month means "not set".
// Months print and parse as YYYY-MM.
type Month struct {
	// Year is the year, such as 2026.
	Year int
	// Month is the month of the year.
	Month time.Month
}

// NewMonth returns the month y-m, normalised as time.Date normalises it
// (month 13 of 2026 is 2027-01).
func NewMonth(y int, m time.Month) Month {
	t := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return Month{Year: t.Year(), Month: t.Month()}
}

// MonthOf returns the month d falls in.
func MonthOf(d cadre.Date) Month { return Month{Year: d.Year, Month: d.Month} }

// ParseMonth parses YYYY-MM.
func ParseMonth(s string) (Month, error) {
	t, err := time.Parse("2006-01", s)
	if err != nil {
		return Month{}, cadre.WordedZH(fmt.Errorf("month %q: want YYYY-MM: %w", s, cadre.ErrInvalid),
			fmt.Sprintf("“%s”不是有效月份：应写成 YYYY-MM，如 2026-11", s))
	}
	return Month{Year: t.Year(), Month: t.Month()}, nil
}

// IsZero reports whether m is the zero Month, meaning "not set".
func (m Month) IsZero() bool { return m == Month{} }

// Valid reports whether m is set and its month is 1–12.
func (m Month) Valid() bool {
	return !m.IsZero() && m.Month >= time.January && m.Month <= time.December
}

// String returns m as YYYY-MM, or "" for the zero Month.
func (m Month) String() string {
	if m.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month))
}

// Add returns the month n months after m (before it when n is negative).
func (m Month) Add(n int) Month { return NewMonth(m.Year, m.Month+time.Month(n)) }

// Compare returns -1, 0 or +1 as m is before, equal to or after o.
func (m Month) Compare(o Month) int {
	if c := cmp.Compare(m.Year, o.Year); c != 0 {
		return c
	}
	return cmp.Compare(m.Month, o.Month)
}

// Before reports whether m is before o.
func (m Month) Before(o Month) bool { return m.Compare(o) < 0 }

// After reports whether m is after o.
func (m Month) After(o Month) bool { return m.Compare(o) > 0 }

// First returns the first day of m.
func (m Month) First() cadre.Date { return cadre.Date{Year: m.Year, Month: m.Month, Day: 1} }

// Last returns the last day of m.
func (m Month) Last() cadre.Date { return m.Add(1).First().AddDays(-1) }

// Contains reports whether d falls in m.
func (m Month) Contains(d cadre.Date) bool { return MonthOf(d) == m }

// MarshalText encodes m as YYYY-MM, and the zero Month as an empty string.
func (m Month) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText decodes YYYY-MM; an empty string gives the zero Month.
func (m *Month) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*m = Month{}
		return nil
	}
	p, err := ParseMonth(string(b))
	if err != nil {
		return err
	}
	*m = p
	return nil
}

// periodOf returns the calendar period of every months that contains m:
// with every 3, the quarter; with 12, the year. every must divide 12.
func periodOf(m Month, every int) (from, to Month) {
	start := (int(m.Month)-1)/every*every + 1
	from = Month{Year: m.Year, Month: time.Month(start)}
	return from, from.Add(every - 1)
}
