package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// kind maps one domain type to its record type: how a value becomes a
// record's fields and a stored record becomes a value again. The typed
// methods of the replica (PutBranch, Meetings, PutVisit…) are built on it.
type kind[T any] struct {
	table string
	// noun names the record in errors ("branch", "dues payment").
	noun string
	// id points at the value's ID field.
	id func(*T) *uuid.UUID
	// values gives the fields to write.
	values func(*T) map[string]any
	// decode reads a record back.
	decode func(*fieldReader) T
	// check validates a value before it is written; it may read through tx.
	check func(tx *syncsvc.Tx, v *T) error
}

// put validates v, gives it a new UUID v7 when its ID is zero, and writes
// it in tx. A text value over its size limit is refused like any invalid
// value, as a *cadre.ValidationError.
func (k kind[T]) put(tx *syncsvc.Tx, v *T) (bool, error) {
	id := k.id(v)
	if k.check != nil {
		if err := k.check(tx, v); err != nil {
			return false, fmt.Errorf("put %s %s: %w", k.noun, *id, err)
		}
	}
	if *id == uuid.Nil {
		*id = uuid.Must(uuid.NewV7())
	}
	return putValues(tx, k.table, k.noun, *id, k.values(v))
}

// putValues writes checked values, wording a size limit's refusal as the
// domain's rules word theirs.
func putValues(tx *syncsvc.Tx, table, noun string, id uuid.UUID, values map[string]any) (bool, error) {
	changed, err := tx.PutValid(table, id, values)
	var le *syncsvc.LimitError
	if errors.As(err, &le) {
		return false, fmt.Errorf("put %s %s: %w", noun, id, limitProblems(le))
	}
	return changed, err
}

// limitProblems words the engine's size limits as a *cadre.ValidationError,
// as the domain's own rules are worded for the clerk.
func limitProblems(le *syncsvc.LimitError) error {
	var ps cadre.Problems
	for _, p := range le.Problems {
		ps.AddWorded(p.Field, cadre.ErrInvalid, p.Chinese, p.English)
	}
	return ps.Err()
}

// putAlone is put in a transaction of its own.
func (k kind[T]) putAlone(ctx context.Context, r *Replica, v *T) (changed bool, err error) {
	err = r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		changed, err = k.put(tx, v)
		return err
	})
	return changed, err
}

// get reads one live record: ErrNotFound when there is none, ErrVoided when
// it was voided. Read through a transaction it sees the transaction's own
// writes.
func (k kind[T]) get(rd syncsvc.Reader, id uuid.UUID) (T, error) {
	var zero T
	rec, err := rd.Get(k.table, id)
	switch {
	case errors.Is(err, syncsvc.ErrNotFound):
		return zero, fmt.Errorf("%s %s: %w", k.noun, id, syncsvc.ErrNotFound)
	case err != nil:
		return zero, err
	case rec.VoidReason != "":
		return zero, fmt.Errorf("%s %s: %w", k.noun, id, syncsvc.ErrVoided)
	}
	return k.decodeRecord(rec)
}

// list reads the live records a clause selects (see syncsvc.Reader.Query);
// an empty result is an empty slice, never nil.
func (k kind[T]) list(rd syncsvc.Reader, clause string, args ...any) ([]T, error) {
	out := []T{}
	err := rd.Scan(k.table, clause, args, func(cols syncsvc.Columns) error {
		v, err := k.decodeColumns(cols)
		out = append(out, v)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list %ss: %w", k.noun, err)
	}
	return out, nil
}

func (k kind[T]) decodeRecord(rec syncsvc.Record) (T, error) {
	return k.decodeColumns(recordColumns{rec: rec, pos: columns[rec.Type]})
}

func (k kind[T]) decodeColumns(cols syncsvc.Columns) (T, error) {
	d := fieldReader{cols: cols}
	v := k.decode(&d)
	if len(d.bad) > 0 {
		return v, fmt.Errorf("%s %s: %w: stored values unreadable: %s", k.noun, cols.ID(), syncsvc.ErrCorrupt, strings.Join(d.bad, ", "))
	}
	return v, nil
}

// fieldReader reads the columns of a stored record into domain values,
// noting the columns it could not read.
type fieldReader struct {
	cols syncsvc.Columns
	bad  []string
}

// colPos places a column in a record's values: the field holding it, and
// its index when the field is a register of several columns (-1 when not).
type colPos struct {
	field string
	index int
}

// columns places the columns of every record type of the store, by type.
var columns = func() map[string]map[string]colPos {
	out := map[string]map[string]colPos{}
	for _, rt := range declared() {
		m := map[string]colPos{}
		for _, f := range rt.Fields {
			if len(f.Columns) == 1 {
				m[f.Columns[0].Name] = colPos{field: f.Name, index: -1}
				continue
			}
			for i, c := range f.Columns {
				m[c.Name] = colPos{field: f.Name, index: i}
			}
		}
		out[rt.Name] = m
	}
	return out
}()

// newFieldReader reads a Record (from Get).
func newFieldReader(rec syncsvc.Record) *fieldReader {
	return &fieldReader{cols: recordColumns{rec: rec, pos: columns[rec.Type]}}
}

// recordColumns is a Record read column by column.
type recordColumns struct {
	rec syncsvc.Record
	pos map[string]colPos
}

func (rc recordColumns) ID() uuid.UUID      { return rc.rec.ID }
func (rc recordColumns) VoidReason() string { return rc.rec.VoidReason }

func (rc recordColumns) Column(name string) any {
	p, ok := rc.pos[name]
	if !ok {
		return nil
	}
	v := rc.rec.Values[p.field]
	if p.index < 0 {
		return v
	}
	list, _ := v.([]any)
	if p.index >= len(list) {
		return nil
	}
	return list[p.index]
}

// col returns a column's value, nil when unset.
func (d *fieldReader) col(name string) any { return d.cols.Column(name) }

func (d *fieldReader) id() uuid.UUID { return d.cols.ID() }

func (d *fieldReader) str(col string) string {
	s, _ := d.col(col).(string)
	return s
}

func (d *fieldReader) int(col string) int64 {
	n, _ := d.col(col).(int64)
	return n
}

func (d *fieldReader) bool(col string) bool {
	b, _ := d.col(col).(bool)
	return b
}

func (d *fieldReader) date(col string) cadre.Date {
	s := d.str(col)
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
	s := d.str(col)
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
	s := d.str(col)
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

// instant reads a Text column written by instantText, in Asia/Shanghai.
func (d *fieldReader) instant(col string) time.Time {
	s := d.str(col)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.bad = append(d.bad, col)
		return time.Time{}
	}
	return t.In(syncsvc.Shanghai())
}

// location reads a pair of Real columns; nil unless both are set.
func (d *fieldReader) location(latCol, lngCol string) *cadre.Location {
	lat, okLat := d.col(latCol).(float64)
	lng, okLng := d.col(lngCol).(float64)
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
	return t.In(syncsvc.Shanghai()).Format(instantLayout)
}

// shanghaiInstant returns t as fieldReader.instant reads it back: in
// Asia/Shanghai, without a monotonic clock reading; the zero time stays zero.
func shanghaiInstant(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.In(syncsvc.Shanghai()).Round(0)
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
