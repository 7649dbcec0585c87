package syncsvc

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// kind maps one domain type to its record type: how a value becomes a
// record's fields and a stored row becomes a value again. The typed methods
// of the replica (PutBranch, Meetings, PutVisit…) are built on it.
type kind[T any] struct {
	table string
	// noun names the record in errors ("branch", "dues payment").
	noun string
	// id points at the value's ID field.
	id func(*T) *uuid.UUID
	// values gives the fields to write.
	values func(*T) map[string]any
	// decode reads a row back.
	decode func(*fieldReader) T
	// check validates a value before it is written; it may read through w.
	check func(w *writeTx, v *T) error
}

// put validates v, gives it a new UUID v7 when its ID is zero, and writes
// it in w's transaction. A text value over its size limit (bounds.go) is
// refused like any invalid value, as a *cadre.ValidationError.
func (k kind[T]) put(w *writeTx, v *T) (bool, error) {
	id := k.id(v)
	if k.check != nil {
		if err := k.check(w, v); err != nil {
			return false, fmt.Errorf("put %s %s: %w", k.noun, *id, err)
		}
	}
	if *id == uuid.Nil {
		*id = uuid.Must(uuid.NewV7())
	}
	t := w.r.tables[k.table]
	values := k.values(v)
	if err := t.checkValuesBounds(values); err != nil {
		return false, fmt.Errorf("put %s %s: %w", k.noun, *id, err)
	}
	changed, err := w.put(t, *id, values)
	if err != nil {
		return false, fmt.Errorf("put %s %s: %w", k.noun, *id, err)
	}
	return changed, nil
}

// putAlone is put in a transaction of its own.
func (k kind[T]) putAlone(ctx context.Context, r *Replica, v *T) (changed bool, err error) {
	err = r.write(ctx, func(w *writeTx) error {
		changed, err = k.put(w, v)
		return err
	})
	return changed, err
}

// get reads one live record: ErrNotFound when there is none, ErrVoided when
// it was voided. Within a write transaction it sees the transaction's own
// writes.
func (k kind[T]) get(ctx context.Context, q querier, r *Replica, id uuid.UUID) (T, error) {
	var zero T
	t := r.tables[k.table]
	var rw *row
	var err error
	if w, ok := q.(*writeTx); ok {
		rw, err = w.row(t, id)
	} else {
		rw, err = loadRow(ctx, q, t, id)
	}
	if err != nil {
		return zero, err
	}
	switch {
	case !rw.exists:
		return zero, fmt.Errorf("%s %s: %w", k.noun, id, ErrNotFound)
	case rw.voided():
		return zero, fmt.Errorf("%s %s: %w", k.noun, id, ErrVoided)
	}
	return k.decodeRow(rw)
}

// list reads the live records a clause selects (after WHERE _void IS NULL);
// an empty result is an empty slice, never nil.
func (k kind[T]) list(ctx context.Context, q querier, r *Replica, clause string, args ...any) ([]T, error) {
	if w, ok := q.(*writeTx); ok {
		// Rows written earlier in this transaction may wait in its cache.
		if err := w.flush(); err != nil {
			return nil, err
		}
	}
	if clause != "" && !strings.HasPrefix(clause, "ORDER") {
		clause = "AND " + clause
	}
	rows, err := scanRows(ctx, q, r.tables[k.table], "WHERE _void IS NULL "+clause, args...)
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", k.noun, err)
	}
	out := make([]T, 0, len(rows))
	for _, row := range rows {
		v, err := k.decodeRow(row)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (k kind[T]) decodeRow(row *row) (T, error) {
	d := fieldReader{row: row}
	v := k.decode(&d)
	if len(d.bad) > 0 {
		return v, fmt.Errorf("%s %s: %w: stored values unreadable: %s", k.noun, row.id, errCorrupt, strings.Join(d.bad, ", "))
	}
	return v, nil
}

// fieldReader reads the columns of a stored row into domain values, noting the
// columns it could not read.
type fieldReader struct {
	row *row
	bad []string
}

func (d *fieldReader) id() uuid.UUID { return d.row.id }

func (d *fieldReader) str(col string) string { return d.row.str(col) }

func (d *fieldReader) int(col string) int64 {
	n, _ := d.row.col(col).(int64)
	return n
}

func (d *fieldReader) bool(col string) bool {
	b, _ := d.row.col(col).(bool)
	return b
}

func (d *fieldReader) date(col string) cadre.Date {
	s := d.row.str(col)
	if s == "" {
		return cadre.Date{}
	}
	v, err := cadre.ParseDate(s)
	if err != nil {
		d.bad = append(d.bad, col)
	}
	return v
}

func (d *fieldReader) uuid(col string) uuid.UUID {
	s := d.row.str(col)
	if s == "" {
		return uuid.Nil
	}
	v, err := uuid.Parse(s)
	if err != nil {
		d.bad = append(d.bad, col)
	}
	return v
}

// list reads a Text column holding values joined by sep.
func (d *fieldReader) list(col, sep string) []string {
	s := d.row.str(col)
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

// instant reads a Text column written by instantText, in Asia/Shanghai.
func (d *fieldReader) instant(col string) time.Time {
	s := d.row.str(col)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.bad = append(d.bad, col)
		return time.Time{}
	}
	return t.In(Shanghai())
}

// location reads a pair of Real columns; nil unless both are set.
func (d *fieldReader) location(latCol, lngCol string) *cadre.Location {
	lat, okLat := d.row.col(latCol).(float64)
	lng, okLng := d.row.col(lngCol).(float64)
	if !okLat || !okLng {
		return nil
	}
	return &cadre.Location{Lat: lat, Lng: lng}
}

func idText(id uuid.UUID) any {
	if id == uuid.Nil {
		return nil
	}
	return id.String()
}

// instantLayout writes an instant to the nanosecond with a fixed number of
// digits, so that instants of one zone sort as text.
const instantLayout = "2006-01-02T15:04:05.000000000Z07:00"

// instantText writes an instant as Text in Asia/Shanghai, nil when zero.
func instantText(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.In(Shanghai()).Format(instantLayout)
}

// shanghaiInstant returns t as fieldReader.instant reads it back: in
// Asia/Shanghai, without a monotonic clock reading; the zero time stays zero.
func shanghaiInstant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(Shanghai()).Round(0)
}

// joined writes a list as one Text column, nil when empty.
func joined(ss []string, sep string) any { return text(strings.Join(ss, sep)) }

// locationValues returns a location as its two Real columns.
func locationValues(l *cadre.Location) (lat, lng any) {
	if l == nil {
		return nil, nil
	}
	return l.Lat, l.Lng
}

// derivedID names a record that exists once per pair of other records (a
// member's attendance at a meeting), so that recording it twice, anywhere,
// writes one record.
func derivedID(ns uuid.UUID, a, b uuid.UUID) uuid.UUID {
	return uuid.NewSHA1(ns, append(a[:len(a):len(a)], b[:]...))
}

// inClause returns "col IN (?,?…)" and its arguments for ids.
func inClause(col string, ids []uuid.UUID) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id.String()
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",") + ")", args
}
