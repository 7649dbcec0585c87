package main

import (
	"io"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc/report/display"
)

// writeTable writes rows under a header in columns padded to the width a
// terminal gives them: a Chinese character takes two cells.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	widths := make([]int, len(header))
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], display.Width(cell))
		}
	}
	var b strings.Builder
	for _, row := range append([][]string{header}, rows...) {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-display.Width(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// showTime writes an instant as a Shanghai civil time, or "-" when unset.
func showTime(t time.Time) string { return display.Time(t, "-") }

// jsonTime is an instant for JSON: RFC 3339, or null when unset.
func jsonTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.UTC().Format(time.RFC3339)
	return &s
}
