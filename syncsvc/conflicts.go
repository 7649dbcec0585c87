package syncsvc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
)

// conflictsType is the record type of conflict records. They are created
// by the hub, carry the scope of the record they are about, and sync to the
// offices of that scope like any record.
var conflictsType = RecordType{
	Name: "conflicts",
	Fields: []Field{
		Col("tbl", Text), Col("record_id", Text), Col("field", Text), Col("record_scope", Text),
		Col("current_value", Text), Col("current_stamp", Text),
		Col("other_value", Text), Col("other_stamp", Text),
		Col("detected_at", Text),
		Register("resolution", Column{"resolved", Bool}, Column{"resolution", Text}, Column{"resolved_at", Text}),
	},
	Scope:   ScopeByColumn("record_scope"),
	Indexes: [][]string{{"tbl", "record_id"}, {"resolved"}},
}

// conflictNamespace derives conflict ids, so that the same pair of writes
// always makes the same conflict record.
var conflictNamespace = uuid.MustParse("6f1d3c52-8a0e-4f55-9a43-1b2c8d7e9f10")

// Conflict records two concurrent writes to one field of one record. Current
// is the value that won (by stamp) and that every replica holds; Other is the
// value it overwrote or that lost to it.
type Conflict struct {
	ID         uuid.UUID
	Table      string
	RecordID   uuid.UUID
	Field      string
	Scope      string
	Current    FieldChange
	Other      FieldChange
	DetectedAt time.Time
	Resolved   bool
	// Resolution is "current", "other" or "value" once resolved.
	Resolution string
	ResolvedAt time.Time
}

func (w *writeTx) recordConflict(r *row, winner, loser FieldChange, res *ApplyResult) error {
	cv, err := json.Marshal(winner.Value)
	if err != nil {
		return err
	}
	lv, err := json.Marshal(loser.Value)
	if err != nil {
		return err
	}
	a, b := winner.Stamp, loser.Stamp
	if a.Compare(b) > 0 {
		a, b = b, a
	}
	id := uuid.NewSHA1(conflictNamespace, fmt.Appendf(nil, "%s/%s/%s/%s/%s", r.t.Name, r.id, winner.Name, stampText(a), stampText(b)))
	scope := r.scope
	if scope == "" {
		scope = districtScope
	}
	changed, err := w.put(w.r.tables[conflictsType.Name], id, map[string]any{
		"tbl": r.t.Name, "record_id": r.id.String(), "field": winner.Name, "record_scope": scope,
		"current_value": string(cv), "current_stamp": stampText(winner.Stamp),
		"other_value": string(lv), "other_stamp": stampText(loser.Stamp),
		"detected_at": w.r.now().UTC().Format(time.RFC3339),
	})
	if changed {
		res.Conflicts++
		w.r.log.Info("conflict recorded", "table", r.t.Name, "record", r.id, "field", winner.Name)
	}
	return err
}

func stampText(s Stamp) string { return strconv.FormatInt(s.HLC, 10) + "/" + s.Node.String() }

func parseStampText(s string) (Stamp, error) {
	h, n, ok := strings.Cut(s, "/")
	if !ok {
		return Stamp{}, fmt.Errorf("stamp %q: %w", s, errCorrupt)
	}
	hlc, err := strconv.ParseInt(h, 10, 64)
	if err != nil {
		return Stamp{}, fmt.Errorf("stamp %q: %w", s, errCorrupt)
	}
	node, err := uuid.Parse(n)
	if err != nil {
		return Stamp{}, fmt.Errorf("stamp %q: %w", s, errCorrupt)
	}
	return Stamp{HLC: hlc, Node: node}, nil
}

// decodeFieldJSON turns a value stored as JSON back into a field value.
func decodeFieldJSON(f *Field, s string) (any, error) {
	d := json.NewDecoder(bytes.NewReader([]byte(s)))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("value %s: %w", s, err)
	}
	conv := func(ct ColumnType, x any) any {
		if n, ok := x.(json.Number); ok {
			if ct == Integer {
				if i, err := n.Int64(); err == nil {
					return i
				}
			}
			fl, _ := n.Float64()
			return fl
		}
		return x
	}
	if len(f.Columns) == 1 {
		return normalizeField(f, conv(f.Columns[0].Type, v))
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("field %s: %w: want a list", f.Name, ErrInvalidChange)
	}
	for i := range list {
		if i < len(f.Columns) {
			list[i] = conv(f.Columns[i].Type, list[i])
		}
	}
	return normalizeField(f, list)
}

// ConflictFilter selects conflicts to list.
type ConflictFilter struct {
	// Unresolved lists only conflicts not yet resolved.
	Unresolved bool
	// Table and RecordID, when set, narrow the list to one record.
	Table    string
	RecordID uuid.UUID
}

// Conflicts lists conflict records, oldest first.
func (r *Replica) Conflicts(ctx context.Context, filter ConflictFilter) ([]Conflict, error) {
	t := r.tables[conflictsType.Name]
	q := "SELECT id FROM conflicts WHERE _void IS NULL"
	var args []any
	if filter.Unresolved {
		q += " AND COALESCE(resolved, 0) = 0"
	}
	if filter.Table != "" {
		q += " AND tbl = ? AND record_id = ?"
		args = append(args, filter.Table, filter.RecordID.String())
	}
	ids, err := queryIDs(ctx, r.rdb, q+" ORDER BY detected_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("list conflicts: %w", err)
	}
	out := make([]Conflict, 0, len(ids))
	for _, id := range ids {
		row, err := loadRow(ctx, r.rdb, t, id)
		if err != nil {
			return nil, err
		}
		c, err := r.conflictFromRow(row)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func (r *Replica) conflictFromRow(row *row) (Conflict, error) {
	c := Conflict{ID: row.id, Table: row.str("tbl"), Field: row.str("field"), Scope: row.scope, Resolution: row.str("resolution")}
	c.Resolved, _ = row.col("resolved").(bool)
	var err error
	if c.RecordID, err = uuid.Parse(row.str("record_id")); err != nil {
		return c, fmt.Errorf("conflict %s: record id: %w", row.id, err)
	}
	c.DetectedAt, _ = time.Parse(time.RFC3339, row.str("detected_at"))
	c.ResolvedAt, _ = time.Parse(time.RFC3339, row.str("resolved_at"))
	t, ok := r.tables[c.Table]
	if !ok {
		return c, fmt.Errorf("conflict %s: %w %q", row.id, ErrUnknownType, c.Table)
	}
	f, ok := t.fields[c.Field]
	if !ok {
		return c, fmt.Errorf("conflict %s: %w: no field %q", row.id, ErrInvalidChange, c.Field)
	}
	for _, side := range []struct {
		fc           *FieldChange
		value, stamp string
	}{{&c.Current, row.str("current_value"), row.str("current_stamp")}, {&c.Other, row.str("other_value"), row.str("other_stamp")}} {
		side.fc.Name = c.Field
		if side.fc.Value, err = decodeFieldJSON(f, side.value); err != nil {
			return c, fmt.Errorf("conflict %s: %w", row.id, err)
		}
		if side.fc.Stamp, err = parseStampText(side.stamp); err != nil {
			return c, fmt.Errorf("conflict %s: %w", row.id, err)
		}
	}
	return c, nil
}

// Keep says which value resolving a conflict keeps.
type Keep string

// Choices for ResolveConflict.
const (
	KeepCurrent Keep = "current"
	KeepOther   Keep = "other"
	KeepValue   Keep = "value"
)

// ResolveConflict settles a conflict: it writes the chosen value to the
// record's field (a new write, unless the field holds it already) and marks
// the conflict resolved, in one transaction; both sync like any write.
// With KeepValue, value is the field's new value.
func (r *Replica) ResolveConflict(ctx context.Context, id uuid.UUID, keep Keep, value any) error {
	err := r.write(ctx, func(w *writeTx) error {
		ct := r.tables[conflictsType.Name]
		crow, err := w.row(ct, id)
		if err != nil {
			return err
		}
		if !crow.exists || crow.voided() {
			return fmt.Errorf("conflict %s: %w", id, ErrNotFound)
		}
		c, err := r.conflictFromRow(crow)
		if err != nil {
			return err
		}
		if c.Resolved {
			return fmt.Errorf("conflict %s: %w", id, ErrConflictResolved)
		}
		switch keep {
		case KeepCurrent:
			value = c.Current.Value
		case KeepOther:
			value = c.Other.Value
		case KeepValue:
		default:
			return fmt.Errorf("%w: keep %q: want current, other or value", ErrInvalidChange, keep)
		}
		if _, err := w.put(r.tables[c.Table], c.RecordID, map[string]any{c.Field: value}); err != nil {
			return err
		}
		_, err = w.put(ct, id, map[string]any{"resolution": []any{true, string(keep), r.now().UTC().Format(time.RFC3339)}})
		return err
	})
	if err != nil {
		return fmt.Errorf("resolve conflict %s: %w", id, err)
	}
	return nil
}

// queryIDs runs a query returning one id column.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]uuid.UUID, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []uuid.UUID
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		id, err := uuid.Parse(s)
		if err != nil {
			return nil, fmt.Errorf("id %q: %w", s, err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
