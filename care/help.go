package care

import (
	"slices"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// HelpSettings are a district's settings for help cases.
type HelpSettings struct {
	// UrgentWithin is how soon an urgent case (特事特办) must be acted on:
	// 24 hours.
	UrgentWithin time.Duration
}

// DefaultHelpSettings returns the settings of the domain notes.
func DefaultHelpSettings() HelpSettings {
	return HelpSettings{UrgentWithin: 24 * time.Hour}
}

// Validate reports settings UrgentUnattended cannot use.
func (s HelpSettings) Validate() error {
	var ps cadre.Problems
	if s.UrgentWithin <= 0 {
		ps.Addf("urgent_within", cadre.ErrInvalid, "%s: want a positive duration", s.UrgentWithin)
	}
	return ps.Err()
}

// UrgentUnattended returns the urgent cases that nobody has acted on
// although more than s.UrgentWithin has passed since they were opened, as
// of now: open, no first action, opened before now - s.UrgentWithin. A case
// closed counts as acted on. The result is sorted by opening time, oldest
// first, then by ID; it is computed when asked and never stored.
func UrgentUnattended(cases []HelpCase, now time.Time, s HelpSettings) []HelpCase {
	out := []HelpCase{}
	deadline := now.Add(-s.UrgentWithin)
	for _, c := range cases {
		if c.Urgent && !c.Status.Closed() && c.FirstActionAt.IsZero() && c.Opened.Before(deadline) {
			out = append(out, c)
		}
	}
	slices.SortFunc(out, func(a, b HelpCase) int {
		if c := a.Opened.Compare(b.Opened); c != 0 {
			return c
		}
		return compareID(a.ID, b.ID)
	})
	return out
}

// KindSummary counts the help cases of one kind.
type KindSummary struct {
	// Kind is the kind of help.
	Kind HelpKind
	// Open counts the cases not yet closed.
	Open int
	// Closed counts the cases resolved or explained.
	Closed int
	// Urgent counts the open cases marked urgent.
	Urgent int
}

// HelpSummary counts cases per kind: one summary for each of the four
// kinds, in the order economic, medical, housekeeping, spiritual, even when
// a kind has no case. Cases of an unknown kind are not counted.
func HelpSummary(cases []HelpCase) []KindSummary {
	out := make([]KindSummary, len(helpKinds.Values))
	for i, l := range helpKinds.Values {
		out[i].Kind = HelpKind(l.Code)
	}
	for _, c := range cases {
		i := helpKinds.Index(c.Kind)
		if i == len(helpKinds.Values) {
			continue
		}
		switch {
		case c.Status.Closed():
			out[i].Closed++
		case c.Urgent:
			out[i].Open++
			out[i].Urgent++
		default:
			out[i].Open++
		}
	}
	return out
}
