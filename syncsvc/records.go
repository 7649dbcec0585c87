package syncsvc

import (
	"context"
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"github.com/google/uuid"
)

// shanghai is Asia/Shanghai, loaded once when the package starts.
var shanghai = loadShanghai()

// Shanghai returns the zone in which Wanxia's dates are civil dates,
// Asia/Shanghai (the zone database is built in). It is loaded once; every
// call returns the same location.
func Shanghai() *time.Location { return shanghai }

func loadShanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}

// Record is a record of any declared type, by field name. A register's
// value is a []any in column order.
type Record struct {
	Type   string
	ID     uuid.UUID
	Scope  string
	Values map[string]any
	// VoidReason is why the record was voided; empty for a live record.
	VoidReason string
}

func (r *Replica) table(typ string) (*table, error) {
	t, ok := r.tables[typ]
	if !ok {
		return nil, fmt.Errorf("%w %q", ErrUnknownType, typ)
	}
	return t, nil
}

// Tx is a write transaction: the writes made through it commit together,
// each with its change-log entry, or not at all.
type Tx struct {
	w *writeTx
}

// Update runs fn in one write transaction and commits when fn returns nil.
// Subscribers hear of the changes after the commit.
func (r *Replica) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return r.write(ctx, func(w *writeTx) error { return fn(&Tx{w: w}) })
}

// Put is a local write to a record of a declared type: it sets the named
// fields (a field not named keeps its value), creating the record when the
// id is new. Each field whose value changes is stamped and logged, in one
// transaction with the data; a write that changes nothing logs nothing and
// returns false. A value over its size limit, a record over
// MaxRecordBytes, or a record its type's Validate rejects is refused with
// the rule's error (a *cadre.ValidationError for the limits), and nothing
// is written.
func (r *Replica) Put(ctx context.Context, typ string, id uuid.UUID, values map[string]any) (changed bool, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		changed, err = tx.Put(typ, id, values)
		return err
	})
	return changed, err
}

// Put is Replica.Put within the transaction.
func (tx *Tx) Put(typ string, id uuid.UUID, values map[string]any) (bool, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return false, err
	}
	if _, ok := values[voidField]; ok {
		return false, fmt.Errorf("put %s %s: %w: use Void to void a record", typ, id, ErrInvalidChange)
	}
	if err := tx.w.checkLocal(t, id, values); err != nil {
		return false, fmt.Errorf("put %s %s: %w", typ, id, err)
	}
	changed, err := tx.w.put(t, id, values)
	if err != nil {
		return false, fmt.Errorf("put %s %s: %w", typ, id, err)
	}
	return changed, nil
}

// Get returns a record, voided or not; ErrNotFound when there is none.
func (r *Replica) Get(ctx context.Context, typ string, id uuid.UUID) (Record, error) {
	t, err := r.table(typ)
	if err != nil {
		return Record{}, err
	}
	row, err := loadRow(ctx, r.rdb, t, id)
	if err != nil {
		return Record{}, err
	}
	if !row.exists {
		return Record{}, fmt.Errorf("%s %s: %w", typ, id, ErrNotFound)
	}
	return row.record(), nil
}

func (row *row) record() Record {
	rec := Record{Type: row.t.Name, ID: row.id, Scope: row.scope, Values: make(map[string]any, len(row.t.Fields))}
	// The registers' values share one backing array: one allocation for
	// them all (the hub builds a record for every change it validates).
	regs := make([]any, 0, len(row.t.columns))
	for i := range row.t.Fields {
		f := &row.t.Fields[i]
		if f.Name == voidField {
			rec.VoidReason, _ = row.value(f).(string)
			continue
		}
		if len(f.Columns) == 1 {
			rec.Values[f.Name] = row.vals[row.t.colIndex[f.Columns[0].Name]]
			continue
		}
		start := len(regs)
		for _, c := range f.Columns {
			regs = append(regs, row.vals[row.t.colIndex[c.Name]])
		}
		rec.Values[f.Name] = regs[start:len(regs):len(regs)]
	}
	return rec
}

// Void marks a record entered by mistake as voided, with a reason. The
// record stays (a tombstone) so that the void syncs and wins everywhere.
//
// A void is the write of one more field, so it merges like any other: a
// concurrent edit of another field is kept, underneath the void, and the
// record stays voided; of a void and a concurrent restore, the later stamp
// wins. A record is never un-voided by an edit.
func (r *Replica) Void(ctx context.Context, typ string, id uuid.UUID, reason string) error {
	return r.Update(ctx, func(tx *Tx) error { return tx.Void(typ, id, reason) })
}

// Void is Replica.Void within the transaction.
func (tx *Tx) Void(typ string, id uuid.UUID, reason string) error {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return fmt.Errorf("void %s %s: %w: give a reason", typ, id, ErrInvalidChange)
	}
	row, err := tx.w.row(t, id)
	if err != nil {
		return fmt.Errorf("void %s %s: %w", typ, id, err)
	}
	if !row.exists {
		return fmt.Errorf("void %s %s: %w", typ, id, ErrNotFound)
	}
	if _, err := tx.w.put(t, id, map[string]any{voidField: reason}); err != nil {
		return fmt.Errorf("void %s %s: %w", typ, id, err)
	}
	return nil
}

// IDsWithPrefix returns up to limit ids of live records of a type whose
// id starts with prefix (lower-case hex and dashes), in id order: how a
// person names a record by the first characters of its UUID. It reads the
// primary key's range, not the whole table.
func (r *Replica) IDsWithPrefix(ctx context.Context, typ, prefix string, limit int) ([]uuid.UUID, error) {
	t, err := r.table(typ)
	if err != nil {
		return nil, err
	}
	prefix = strings.ToLower(prefix)
	if strings.Trim(prefix, "0123456789abcdef-") != "" {
		return nil, fmt.Errorf("ids of %s starting %q: %w: a prefix is hex digits and dashes", typ, prefix, ErrInvalidChange)
	}
	// Every character of an id sorts below 'g'.
	ids, err := queryIDs(ctx, r.rdb, fmt.Sprintf("SELECT id FROM %s WHERE id >= ? AND id < ? AND _void IS NULL ORDER BY id LIMIT ?", t.Name), prefix, prefix+"g", limit)
	if err != nil {
		return nil, fmt.Errorf("ids of %s starting %q: %w", typ, prefix, err)
	}
	return ids, nil
}

// Get is Replica.Get within the transaction: it sees the transaction's own
// writes, so that a use case reads and writes in one transaction.
func (tx *Tx) Get(typ string, id uuid.UUID) (Record, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return Record{}, err
	}
	row, err := tx.w.row(t, id)
	if err != nil {
		return Record{}, err
	}
	if !row.exists {
		return Record{}, fmt.Errorf("%s %s: %w", typ, id, ErrNotFound)
	}
	return row.record(), nil
}
