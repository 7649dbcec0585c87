package syncsvc

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wanxia/wanxia/syncsvc/text"
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

// LimitProblem is one value, or a whole record, over its size limit: the
// field (a column name, or "record") and what is wrong in Chinese and in
// English, giving the limit and the length, never the value.
type LimitProblem struct {
	Field string
	// Err is what kind of problem it is: ErrTooLarge, or ErrUnsafeText for
	// a control or invisible character; nil reads as ErrTooLarge.
	Err error
	// Label is the field's name for staff, from RecordType.Label; empty
	// when the type gives none.
	Label   string
	Chinese string
	English string
}

// LimitError is a write or a pushed change refused for its size or its
// characters: every value over its limit or holding a control or invisible
// character, or the record over MaxRecordBytes. It wraps ErrInvalidChange,
// and ErrTooLarge or ErrUnsafeText as its problems are.
type LimitError struct {
	Problems []LimitProblem
}

// Error joins "field: too long: …" for each problem with "; ".
func (e *LimitError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Field + ": " + p.kind().Error() + ": " + p.English
	}
	return strings.Join(msgs, "; ")
}

// Chinese words the problems for staff: "字段：问题；…".
func (e *LimitError) Chinese() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		name := p.Field
		if p.Label != "" {
			name = p.Label
		}
		parts[i] = name + "：" + p.Chinese
	}
	return strings.Join(parts, "；")
}

// Unwrap returns the kinds of its problems (ErrTooLarge, ErrUnsafeText)
// and ErrInvalidChange.
func (e *LimitError) Unwrap() []error {
	var out []error
	for _, p := range e.Problems {
		if k := p.kind(); !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return append(out, ErrInvalidChange)
}

// kind is p.Err, ErrTooLarge when unset.
func (p LimitProblem) kind() error {
	if p.Err == nil {
		return ErrTooLarge
	}
	return p.Err
}

// limits collects the problems of one check.
type limits struct{ list []LimitProblem }

func (l *limits) add(field, zh, en string) {
	l.list = append(l.list, LimitProblem{Field: field, Err: ErrTooLarge, Chinese: zh, English: en})
}

func (l *limits) err() error {
	if len(l.list) == 0 {
		return nil
	}
	return &LimitError{Problems: l.list}
}

// limitErr is l.err with each field labelled as t's Label names it.
func (t *table) limitErr(l *limits) error {
	if t.Label != nil {
		for i := range l.list {
			l.list[i].Label = t.Label(l.list[i].Field)
		}
	}
	return l.err()
}

// checkValueBounds records a problem for each text column of a field's
// value that is longer than its limit. A field the table does not declare
// (f nil) is held to MaxTextBytes in each of its values.
func (t *table) checkValueBounds(ps *limits, name string, f *Field, v any) {
	if f == nil {
		list, ok := v.([]any)
		if !ok {
			list = []any{v}
		}
		for _, e := range list {
			if s, ok := e.(string); ok {
				checkTextBounds(ps, name, s, 0, true)
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
			checkTextBounds(ps, c.Name, s, t.MaxRunes[c.Name], t.MultiLine[c.Name])
		}
	}
}

// checkTextBounds records a problem when s is longer than MaxTextBytes, or
// than maxRunes characters when maxRunes is set, and when s holds a
// character package text refuses (a line break only where multiLine is
// unset). The message gives the limit and the length, or the character's
// place and code, never the value. A field only a newer program declares
// is held to the multi-line rule.
func checkTextBounds(ps *limits, field, s string, maxRunes int, multiLine bool) {
	if p := text.Check(s, multiLine); p != nil {
		ps.list = append(ps.list, LimitProblem{Field: field, Err: ErrUnsafeText, Chinese: p.Chinese(), English: p.English()})
	}
	if len(s) > MaxTextBytes {
		ps.add(field, fmt.Sprintf("超过%d字节（现为%d字节）", MaxTextBytes, len(s)),
			fmt.Sprintf("longer than %d bytes (%d)", MaxTextBytes, len(s)))
		return
	}
	if maxRunes > 0 {
		if n := utf8.RuneCountInString(s); n > maxRunes {
			ps.add(field, fmt.Sprintf("超过%d个字（现为%d个字）", maxRunes, n),
				fmt.Sprintf("longer than %d characters (%d)", maxRunes, n))
		}
	}
}

// checkValuesBounds checks the values of a local write, by field name.
func (t *table) checkValuesBounds(values map[string]any) error {
	var ps limits
	for name, v := range values {
		t.checkValueBounds(&ps, name, t.fields[name], v)
	}
	return t.limitErr(&ps)
}

// checkRecordBounds records a problem when the row is larger than
// MaxRecordBytes.
func checkRecordBounds(ps *limits, r *row) {
	if n := r.size(); n > MaxRecordBytes {
		ps.add("record", fmt.Sprintf("整条记录超过%d字节（现为%d字节）", MaxRecordBytes, n),
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
