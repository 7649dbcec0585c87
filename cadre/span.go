package cadre

// Span is a half-open run of days, From ≤ d < To: From is the first day,
// To the first day after it. A zero To leaves the span open (it lasts); a
// zero From sets no start. Memberships, posts, pairs, helpers' service,
// hospital stays and enrolments all hold over such spans, so that one ends
// on the day the next begins without the two sharing a day.
type Span struct {
	// From is the first day of the span.
	From Date
	// To is the first day after the span; zero while it lasts.
	To Date
}

// Through returns the span of the days first to last, both included; both
// must be set.
func Through(first, last Date) Span { return Span{From: first, To: last.AddDays(1)} }

// Contains reports whether d falls in s: From ≤ d and, unless s is open,
// d < To.
func (s Span) Contains(d Date) bool {
	return !d.Before(s.From) && s.endsAfter(d)
}

// Overlaps reports whether s and o share at least one day.
func (s Span) Overlaps(o Span) bool {
	return o.endsAfter(s.From) && s.endsAfter(o.From)
}

// endsAfter reports whether s has not ended by d: it is open, or d < To.
func (s Span) endsAfter(d Date) bool { return s.To.IsZero() || d.Before(s.To) }
