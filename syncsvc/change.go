package syncsvc

import (
	"fmt"
	"math"

	"github.com/google/uuid"
)

// Change is one write to one record, as it travels between replicas: the
// fields it set, each with its new stamp and the stamp of the value it
// replaced. Seq is the change's position in the log of the replica it was
// read from (zero for a change not read from a log).
type Change struct {
	Seq    int64
	Table  string
	ID     uuid.UUID
	Scope  string
	Fields []FieldChange
	// MovedTo marks a departure, which the hub keeps under a record's old
	// scope when the record moves: the record left Scope for MovedTo. An
	// office that does not cover MovedTo drops its copy (ApplyOptions.Scopes).
	// A departure has no fields.
	MovedTo string
}

// FieldChange is the write of one field. Value is nil, int64, float64,
// string or bool for a one-column field, and a []any of those, in column
// order, for a register. The field "_void" holds the reason a record was
// voided, or nil when it was restored.
type FieldChange struct {
	Name  string
	Value any
	Stamp Stamp
	Prev  Stamp
}

// fieldStamp is what a replica keeps beside each field of a row.
type fieldStamp struct {
	Stamp, Prev Stamp
}

// normalize converts v to the canonical Go type of column type ct, or fails.
func normalize(ct ColumnType, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	// A value that has its column's type already is returned as it is,
	// not boxed again.
	switch ct {
	case Text:
		if _, ok := v.(string); ok {
			return v, nil
		}
	case Integer:
		switch x := v.(type) {
		case int64:
			return v, nil
		case int:
			return int64(x), nil
		case float64:
			if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
				return int64(x), nil
			}
		}
	case Real:
		switch x := v.(type) {
		case float64:
			if !math.IsNaN(x) && !math.IsInf(x, 0) {
				return v, nil
			}
		case int64:
			return float64(x), nil
		case int:
			return float64(x), nil
		}
	case Bool:
		switch x := v.(type) {
		case bool:
			return v, nil
		case int64:
			return x != 0, nil
		}
	}
	return nil, fmt.Errorf("%w: %v (%T) does not fit a %s column", ErrInvalidChange, v, v, ct.sql())
}

// normalizeField checks and converts a field's value: a single value for a
// one-column field, a []any of the right length for a register.
func normalizeField(f *Field, v any) (any, error) {
	if len(f.Columns) == 1 {
		n, err := normalize(f.Columns[0].Type, v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", f.Name, err)
		}
		return n, nil
	}
	list, ok := v.([]any)
	if !ok || len(list) != len(f.Columns) {
		return nil, fmt.Errorf("field %s: %w: a register of %d columns takes a list of %d values", f.Name, ErrInvalidChange, len(f.Columns), len(f.Columns))
	}
	if canonical(f, list) {
		return v, nil // the usual case: nothing to convert, nothing to allocate (not even a new box)
	}
	out := make([]any, len(list))
	for i, c := range f.Columns {
		n, err := normalize(c.Type, list[i])
		if err != nil {
			return nil, fmt.Errorf("field %s column %s: %w", f.Name, c.Name, err)
		}
		out[i] = n
	}
	return out, nil
}

// equalValues compares two normalized field values.
func equalValues(a, b any) bool {
	la, aok := a.([]any)
	lb, bok := b.([]any)
	if aok != bok {
		return false
	}
	if !aok {
		return a == b
	}
	if len(la) != len(lb) {
		return false
	}
	for i := range la {
		if la[i] != lb[i] {
			return false
		}
	}
	return true
}

// isNilValue reports whether a field value holds nothing: nil, or a register
// whose columns are all nil.
func isNilValue(v any) bool {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if e != nil {
				return false
			}
		}
		return true
	}
	return v == nil
}

// canonical reports whether a register's values already have their
// columns' Go types.
func canonical(f *Field, list []any) bool {
	for i, c := range f.Columns {
		switch list[i].(type) {
		case nil:
		case string:
			if c.Type != Text {
				return false
			}
		case int64:
			if c.Type != Integer {
				return false
			}
		case float64:
			if c.Type != Real {
				return false
			}
		case bool:
			if c.Type != Bool {
				return false
			}
		default:
			return false
		}
	}
	return true
}
