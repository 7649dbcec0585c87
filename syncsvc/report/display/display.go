// Package display holds what the command's tables and the reports' text
// share in showing things to a clerk: how wide a string is on a terminal,
// and how an instant is written.
package display

import (
	"time"

	"golang.org/x/text/width"

	"github.com/wanxia/wanxia/syncsvc"
)

// TimeLayout is how an instant is shown and typed: a Shanghai civil time
// to the minute, such as "2026-11-28 09:30".
const TimeLayout = "2006-01-02 15:04"

// Width is how many terminal cells s takes: a wide or fullwidth East Asian
// character (a Chinese character, a fullwidth comma or space) takes two,
// every other rune one, ambiguous-width runes (the em dash, ①) included.
func Width(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// Time writes t as a Shanghai civil time in TimeLayout, or unset when t is
// the zero time.
func Time(t time.Time, unset string) string {
	if t.IsZero() {
		return unset
	}
	return t.In(syncsvc.Shanghai()).Format(TimeLayout)
}
