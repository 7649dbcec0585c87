package main

import (
	"io"
	"strings"
	"time"

	"golang.org/x/text/width"

	"github.com/wanxia/wanxia/syncsvc"
)

// writeTable writes rows under a header in columns padded to the width a
// terminal gives them: a Chinese character takes two cells.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	widths := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is how many terminal cells s takes.
func displayWidth(s string) int {
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

// showTime writes an instant as a Shanghai civil time, or "-" when unset.
func showTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(syncsvc.Shanghai).Format("2006-01-02 15:04")
}

// jsonTime is an instant for JSON: RFC 3339, or null when unset.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
