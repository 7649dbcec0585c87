package syncsvc

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/google/uuid"
)

// row is one record as stored: its column values by column index and the
// stamps of its fields.
type row struct {
	t       *table
	id      uuid.UUID
	exists  bool
	scope   string
	vals    []any
	stamps  []fieldStamp  // by field position; zero: never written
	extra   []FieldChange // fields this program does not declare, kept whole
	dirty   bool          // changed in this transaction, not yet stored
	dropped bool          // deleted in this transaction: never store
	inDB    bool          // a row with this id is in the table
	seq     int64         // on the hub: the district sequence of its last change
	born    bool          // created by an Apply of this write (writeTx.born)
	bornIn  int           // which Apply of the write (writeTx.applies)
	shared  bool          // changed by another Apply of the write since
	changed []bool        // columns set since the row was read or stored
}

// querier is what both *sql.Tx and *sql.DB offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadRow reads a record, or returns an empty row (exists false) for an id
// not stored yet.
func loadRow(ctx context.Context, q querier, t *table, id uuid.UUID) (*row, error) {
	rows, err := scanRows(ctx, q, t, "WHERE id=?", id.String())
	if err != nil {
		return nil, fmt.Errorf("read %s %s: %w", t.Name, id, err)
	}
	if len(rows) == 0 {
		return newRow(t, id), nil
	}
	return rows[0], nil
}

// newRow returns the empty row of a record not stored yet.
func newRow(t *table, id uuid.UUID) *row {
	return &row{t: t, id: id, vals: make([]any, len(t.columns)), stamps: make([]fieldStamp, len(t.Fields))}
}

// scanRows reads the rows of t that a WHERE (and ORDER, LIMIT) clause selects.
func scanRows(ctx context.Context, q querier, t *table, clause string, args ...any) ([]*row, error) {
	rs, err := q.QueryContext(ctx, t.selectQ+" "+clause, args...)
	if err != nil {
		return nil, err
	}
	defer rs.Close()
	var out []*row
	for rs.Next() {
		r := &row{t: t, exists: true, inDB: true, vals: make([]any, len(t.columns)), stamps: make([]fieldStamp, len(t.Fields))}
		var id string
		var stamps, extra []byte
		var seq sql.NullInt64
		dest := make([]any, len(t.columns)+5)
		dest[0], dest[1], dest[2], dest[3], dest[4] = &id, &r.scope, &stamps, &extra, &seq
		for i := range t.columns {
			dest[i+5] = &r.vals[i]
		}
		if err := rs.Scan(dest...); err != nil {
			return nil, err
		}
		if r.id, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("%s: id %q: %w", t.Name, id, err)
		}
		r.seq = seq.Int64
		if err := r.decode(stamps); err != nil {
			return nil, err
		}
		if len(extra) > 0 {
			if r.extra, err = decodeFields(nil, extra, true); err != nil {
				return nil, fmt.Errorf("%s %s: unknown fields: %w", t.Name, r.id, err)
			}
		}
		out = append(out, r)
	}
	return out, rs.Err()
}

// decode fills the stamps and converts stored values to their Go types.
func (r *row) decode(stamps []byte) error {
	fs, err := decodeFields(r.t, stamps, false)
	if err != nil {
		return fmt.Errorf("stamps of %s %s: %w", r.t.Name, r.id, err)
	}
	for _, f := range fs {
		if p, ok := r.t.pos[f.Name]; ok {
			r.stamps[p] = fieldStamp{Stamp: f.Stamp, Prev: f.Prev}
		}
	}
	r.convert()
	return nil
}

// convert turns stored values into their Go types: SQLite keeps a Bool
// as an integer.
func (r *row) convert() {
	for i, c := range r.t.columns {
		if c.Type == Bool && r.vals[i] != nil {
			r.vals[i] = r.vals[i].(int64) != 0
		}
	}
}

// value returns the current value of field f.
func (r *row) value(f *Field) any {
	if len(f.Columns) == 1 {
		return r.vals[r.t.colIndex[f.Columns[0].Name]]
	}
	out := make([]any, len(f.Columns))
	for i, c := range f.Columns {
		out[i] = r.vals[r.t.colIndex[c.Name]]
	}
	return out
}

// equals reports whether field f holds the normalized value v, as
// equalValues(r.value(f), v) would, without building a register's list.
func (r *row) equals(f *Field, v any) bool {
	if len(f.Columns) == 1 {
		return equalValues(r.vals[r.t.colIndex[f.Columns[0].Name]], v)
	}
	list, ok := v.([]any)
	if !ok || len(list) != len(f.Columns) {
		return false
	}
	for j, c := range f.Columns {
		if r.vals[r.t.colIndex[c.Name]] != list[j] {
			return false
		}
	}
	return true
}

// set stores a normalized value of field f.
func (r *row) set(f *Field, v any) {
	if r.changed == nil {
		r.changed = make([]bool, len(r.vals))
	}
	if len(f.Columns) == 1 {
		i := r.t.colIndex[f.Columns[0].Name]
		r.vals[i], r.changed[i] = v, true
		return
	}
	for j, c := range f.Columns {
		i := r.t.colIndex[c.Name]
		r.vals[i], r.changed[i] = v.([]any)[j], true
	}
}

// col returns the value of a column by name.
func (r *row) col(name string) any { return r.vals[r.t.colIndex[name]] }

// str returns a Text column's value, "" for NULL.
func (r *row) str(name string) string {
	s, _ := r.col(name).(string)
	return s
}

// voided reports whether the record is voided.
func (r *row) voided() bool { return r.col(voidField) != nil }

// fields returns every written field with its value and stamps, in
// declaration order: the record as a change.
func (r *row) fields() []FieldChange {
	var out []FieldChange
	for i := range r.t.Fields {
		f := &r.t.Fields[i]
		st := r.stamps[i]
		if st.Stamp.IsZero() {
			continue
		}
		out = append(out, FieldChange{Name: f.Name, Value: r.value(f), Stamp: st.Stamp, Prev: st.Prev})
	}
	return append(out, r.extra...)
}

// store writes the whole row.
func (r *row) store(w *writeTx) error {
	sfs := w.scratchFields[:0]
	defer func() { w.scratchFields = sfs[:0] }()
	for i := range r.t.Fields {
		if st := r.stamps[i]; !st.Stamp.IsZero() {
			sfs = append(sfs, FieldChange{Name: r.t.Fields[i].Name, Stamp: st.Stamp, Prev: st.Prev})
		}
	}
	stamps, err := encodeFields(r.t, sfs, false)
	if err != nil {
		return err
	}
	var extra []byte
	if len(r.extra) > 0 {
		if extra, err = encodeFields(nil, r.extra, true); err != nil {
			return err
		}
	}
	// A new row inserts the columns it has; a stored one updates those set
	// since it was read. Neither binds the columns it leaves alone.
	cols := w.scratchCols[:0]
	defer func() { w.scratchCols = cols[:0] }()
	for i, v := range r.vals {
		if (!r.inDB && v != nil) || (r.inDB && r.changed != nil && r.changed[i]) {
			cols = append(cols, i)
		}
	}
	var seq any // NULL on an office
	if w.r.role == RoleHub {
		r.seq = w.r.nextSeq()
		seq = r.seq
		w.mark(r.t.Name, r.scope, r.seq)
	}
	args := append(w.scratchArgs[:0], r.scope, stamps, extra, seq)
	defer func() { clear(args); w.scratchArgs = args[:0] }()
	for _, i := range cols {
		v := r.vals[i]
		if b, ok := v.(bool); ok {
			v = int64(0)
			if b {
				v = int64(1)
			}
		}
		args = append(args, v)
	}
	args = append(args, r.id.String())
	w.touchRecord(r.t.Name, r.id)
	if _, err := w.exec(r.t.writeSQL(!r.inDB, cols), args...); err != nil {
		return fmt.Errorf("write %s %s: %w", r.t.Name, r.id, err)
	}
	r.inDB, r.changed = true, nil
	r.exists = true
	return nil
}
