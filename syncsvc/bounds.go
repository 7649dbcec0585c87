package syncsvc

import (
	"fmt"
	"unicode/utf8"

	"github.com/wanxia/wanxia/cadre"
)

// Size limits of what enters a replica: a clerk's write, and on the hub
// every pushed change. They keep one record small enough that it always
// travels, so that one bad record can never stop a community's sync.
const (
	// MaxTextBytes bounds any one text value of any record type, a field
	// only a newer program declares included.
	MaxTextBytes = 4 << 10
	// MaxRecordBytes bounds a whole record as it would stand after a write:
	// its values and the fields only a newer program declares, together.
	MaxRecordBytes = 64 << 10
	// OutboxPageBytes bounds one batch of an office's outbox on the wire,
	// well below the hub's request limit (16 MiB by default).
	OutboxPageBytes = 4 << 20
)

// Limits in characters of the built-in record types' text columns, by
// column name, beyond MaxTextBytes. The cadre's own are the cadre
// package's, which cadre.Validate words for the clerk; the rest are the
// kinds of text the other records hold: a name, an address, a short label,
// a note.
const (
	maxLabelRunes = 200  // a topic, a course, opening hours
	maxShortRunes = 100  // a source of feedback, a street
	maxNoteRunes  = 1000 // a note, notes, a resolution, a reason
)

var builtinRuneLimits = map[string]int{
	"name":              cadre.MaxNameRunes,
	"address":           cadre.MaxAddressRunes,
	"phone":             cadre.MaxPhoneRunes,
	"emergency_contact": cadre.MaxContactRunes,
	"original_unit":     cadre.MaxUnitRunes,
	"approved_by":       cadre.MaxNameRunes,
	"topic":             maxLabelRunes,
	"course":            maxLabelRunes,
	"opening_hours":     maxLabelRunes,
	"source":            maxShortRunes,
	"street":            maxShortRunes,
	"note":              maxNoteRunes,
	"notes":             maxNoteRunes,
	"resolution":        maxNoteRunes,
	"reason":            maxNoteRunes,
}

// checkValueBounds records a problem for each text column of a field's
// value that is longer than its limit. A field the table does not declare
// (f nil) is held to MaxTextBytes in each of its values.
func (t *table) checkValueBounds(ps *cadre.Problems, name string, f *Field, v any) {
	if f == nil {
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, e := range list {
			if s, ok := e.(string); ok {
				checkTextBounds(ps, name, s, 0)
			}
		}
		return
	}
	for j, c := range f.Columns {
		e := v
		if list, ok := v.([]any); ok && len(f.Columns) > 1 {
			if j >= len(list) {
				return
			}
			e = list[j]
		}
		if s, ok := e.(string); ok && c.Type == Text {
			checkTextBounds(ps, c.Name, s, t.runeLimits[c.Name])
		}
	}
}

// checkTextBounds records a problem when s is longer than MaxTextBytes, or
// than maxRunes characters when maxRunes is set. The message gives the
// limit and the length, never the value.
func checkTextBounds(ps *cadre.Problems, field, s string, maxRunes int) {
	if len(s) > MaxTextBytes {
		ps.AddWorded(field, cadre.ErrInvalid, fmt.Sprintf("超过%d字节（现为%d字节）", MaxTextBytes, len(s)),
			fmt.Sprintf("longer than %d bytes (%d)", MaxTextBytes, len(s)))
		return
	}
	if maxRunes > 0 {
		if n := utf8.RuneCountInString(s); n > maxRunes {
			ps.AddWorded(field, cadre.ErrInvalid, fmt.Sprintf("超过%d个字（现为%d个字）", maxRunes, n),
				fmt.Sprintf("longer than %d characters (%d)", maxRunes, n))
		}
	}
}

// checkValuesBounds checks the values of a local write, by field name.
func (t *table) checkValuesBounds(values map[string]any) error {
	var ps cadre.Problems
	for name, v := range values {
		t.checkValueBounds(&ps, name, t.fields[name], v)
	}
	return ps.Err()
}

// checkRecordBounds records a problem when the row is larger than
// MaxRecordBytes.
func checkRecordBounds(ps *cadre.Problems, r *row) {
	if n := r.size(); n > MaxRecordBytes {
		ps.AddWorded("record", cadre.ErrInvalid, fmt.Sprintf("整条记录超过%d字节（现为%d字节）", MaxRecordBytes, n),
			fmt.Sprintf("the record is larger than %d bytes (%d)", MaxRecordBytes, n))
	}
}

// size is the bytes a row's values take: text by its length, any other
// value as 8, the fields only a newer program declares included.
func (r *row) size() int {
	n := 0
	for _, v := range r.vals {
		n += valueBytes(v)
	}
	for _, e := range r.extra {
		n += len(e.Name) + valueBytes(e.Value)
	}
	return n
}

func valueBytes(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case string:
		return len(x)
	case []any:
		n := 0
		for _, e := range x {
			n += valueBytes(e)
		}
		return n
	}
	return 8
}

// wireBytes is an upper bound of the bytes a change takes in a message of
// the sync protocol: its values, names and stamps with every tag and
// length, so that a page of changes whose bounds add up to at most a limit
// is never larger on the wire.
func wireBytes(ch Change) int {
	n := 64 + len(ch.Table) + len(ch.Scope) + len(ch.MovedTo)
	for _, f := range ch.Fields {
		// name, two stamps (hlc, 16-byte node) and the value's envelope
		n += 96 + len(f.Name) + valueWireBytes(f.Value)
	}
	return n
}

func valueWireBytes(v any) int {
	switch x := v.(type) {
	case string:
		return 12 + len(x)
	case []any:
		n := 12
		for _, e := range x {
			n += valueWireBytes(e)
		}
		return n
	}
	return 16
}

// pageBytes is how many bytes of changes one answer of the hub may carry:
// its send limit less room for the message around them.
func (h *Hub) pageBytes() int {
	return h.opts.MaxRequestBytes - h.opts.MaxRequestBytes/16
}
