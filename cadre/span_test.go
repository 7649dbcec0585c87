package cadre_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/cadre"
)

// day parses a date for a span table; "" is the zero Date.
func day(s string) cadre.Date {
	if s == "" {
		return cadre.Date{}
	}
	d, err := cadre.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestSpanContains(t *testing.T) {
	for _, c := range []struct {
		from, to, on string
		want         bool
	}{
		{"2026-03-01", "2026-04-01", "2026-02-28", false}, // the day before the first
		{"2026-03-01", "2026-04-01", "2026-03-01", true},  // the first day
		{"2026-03-01", "2026-04-01", "2026-03-31", true},  // the last day
		{"2026-03-01", "2026-04-01", "2026-04-01", false}, // To is the first day after
		{"2028-02-29", "2028-03-01", "2028-02-29", true},  // a leap day, one day long
		{"2028-02-29", "2028-03-01", "2028-02-28", false},
		{"2028-02-29", "2028-03-01", "2028-03-01", false},
		{"2026-12-31", "2027-01-01", "2026-12-31", true}, // across the year's end
		{"2026-12-31", "2027-01-01", "2027-01-01", false},
		{"2026-03-01", "", "2026-02-28", false}, // open: from From on, for ever
		{"2026-03-01", "", "2026-03-01", true},
		{"2026-03-01", "", "2099-12-31", true},
		{"2026-03-01", "2026-03-01", "2026-03-01", false}, // empty: To = From
		{"", "2026-03-01", "1900-01-01", true},            // no start
		{"", "2026-03-01", "2026-03-01", false},
	} {
		s := cadre.Span{From: day(c.from), To: day(c.to)}
		assert.Equal(t, c.want, s.Contains(day(c.on)), "[%s, %s) contains %s", c.from, c.to, c.on)
	}
}

func TestSpanOverlaps(t *testing.T) {
	for _, c := range []struct {
		from1, to1, from2, to2 string
		want                   bool
	}{
		{"2026-01-01", "2026-03-01", "2026-03-01", "2026-05-01", false}, // one ends the day the next begins
		{"2026-01-01", "2026-03-02", "2026-03-01", "2026-05-01", true},  // one shared day
		{"2026-01-01", "2026-02-01", "2026-03-01", "2026-05-01", false}, // a gap
		{"2026-01-01", "", "2026-03-01", "2026-05-01", true},            // open, the other inside it
		{"2026-06-01", "", "2026-03-01", "2026-05-01", false},           // open, begins after the other ends
		{"2026-05-01", "", "2026-03-01", "2026-05-01", false},           // open, begins on the other's To
		{"2026-04-30", "", "2026-03-01", "2026-05-01", true},            // open, shares the other's last day
		{"2026-01-01", "", "2026-03-01", "", true},                      // both open
		{"2026-03-01", "2026-04-01", "2026-03-10", "2026-03-11", true},  // one inside the other
		{"2028-02-28", "2028-02-29", "2028-02-29", "2028-03-01", false}, // leap day: neighbours
		{"2028-02-28", "2028-03-01", "2028-02-29", "2028-03-01", true},
	} {
		a := cadre.Span{From: day(c.from1), To: day(c.to1)}
		b := cadre.Span{From: day(c.from2), To: day(c.to2)}
		assert.Equal(t, c.want, a.Overlaps(b), "[%s, %s) and [%s, %s)", c.from1, c.to1, c.from2, c.to2)
		assert.Equal(t, c.want, b.Overlaps(a), "[%s, %s) and [%s, %s)", c.from2, c.to2, c.from1, c.to1)
	}
}

func TestThrough(t *testing.T) {
	for _, c := range []struct{ first, last, to string }{
		{"2026-02-01", "2026-02-28", "2026-03-01"},
		{"2028-02-01", "2028-02-29", "2028-03-01"}, // leap year
		{"2026-12-01", "2026-12-31", "2027-01-01"},
		{"2026-11-28", "2026-11-28", "2026-11-29"}, // one day
	} {
		s := cadre.Through(day(c.first), day(c.last))
		assert.Equal(t, cadre.Span{From: day(c.first), To: day(c.to)}, s)
		assert.True(t, s.Contains(day(c.first)), c.first)
		assert.True(t, s.Contains(day(c.last)), c.last)
		assert.False(t, s.Contains(day(c.to)), c.to)
		assert.False(t, s.Contains(day(c.first).AddDays(-1)))
	}
	// A membership [From, To) holds on some day of a closed range exactly
	// when it overlaps Through(first, last).
	m := cadre.Span{From: day("2026-03-31"), To: day("2026-05-01")}
	assert.True(t, m.Overlaps(cadre.Through(day("2026-03-01"), day("2026-03-31"))), "begins on the range's last day")
	assert.False(t, m.Overlaps(cadre.Through(day("2026-05-01"), day("2026-05-31"))), "ends on the range's first day")
	assert.True(t, m.Overlaps(cadre.Through(day("2026-04-30"), day("2026-04-30"))))
}
