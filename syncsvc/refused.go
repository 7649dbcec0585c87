package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Refusal states (RefusalRecord.State). A record the hub refused stays at
// the office while one of its refusals is open; a person settles it by
// resending the record (Resubmit, ResubmitCadre) or discarding it
// (DiscardRefused).
const (
	RefusalOpen      = "open"
	RefusalResent    = "resent"
	RefusalDiscarded = "discarded"
)

var (
	// ErrNotRefused: the record has no open refusal to settle.
	ErrNotRefused = errors.New("the record has no open refusal")
	// ErrRefusedPending: the record (or one that follows it) still has
	// changes in the outbox, which a discard would orphan: sync first.
	ErrRefusedPending = errors.New("the record still has changes waiting to be sent")
)

// RefusedRecord is a record the hub refused a change of, as the office
// keeps it: the refusals (newest first), and the record itself while the
// office still holds it.
type RefusedRecord struct {
	Table string
	ID    uuid.UUID
	// State is RefusalOpen while any refusal of the record is open, else
	// the state of its latest refusal.
	State    string
	Refusals []RefusalRecord
	// Held reports that the record is still in this replica; Record is
	// then its current content (voided or not).
	Held   bool
	Record Record
	// Pending counts the record's changes still in the outbox.
	Pending int
	// KnownAtHub reports that the hub holds the record (a field came from
	// another node, or one of this office's changes to it was accepted):
	// a resend then carries only what the hub lacks, and a discard takes
	// the hub's copy back at the next sync.
	KnownAtHub bool
}

// Latest returns the record's newest refusal.
func (rr RefusedRecord) Latest() RefusalRecord {
	if len(rr.Refusals) == 0 {
		return RefusalRecord{}
	}
	return rr.Refusals[0]
}

// RefusedRecords lists, on an office, the records the hub refused changes
// of, newest refusal first: only those with an open refusal unless all is
// set.
func (r *Replica) RefusedRecords(ctx context.Context, all bool) ([]RefusedRecord, error) {
	refusals, err := r.Refusals(ctx, "")
	if err != nil {
		return nil, err
	}
	byKey := map[rowKey]*RefusedRecord{}
	var order []rowKey
	for _, f := range refusals {
		if f.Node != r.node && r.role == RoleOffice {
			continue
		}
		k := rowKey{f.Table, f.RecordID}
		rr := byKey[k]
		if rr == nil {
			rr = &RefusedRecord{Table: f.Table, ID: f.RecordID, State: f.State}
			byKey[k] = rr
			order = append(order, k)
		}
		if f.State == RefusalOpen {
			rr.State = RefusalOpen
		}
		rr.Refusals = append(rr.Refusals, f)
	}
	acked, err := r.Position(ctx, ackKey)
	if err != nil {
		return nil, err
	}
	out := []RefusedRecord{}
	for _, k := range order {
		rr := byKey[k]
		if !all && rr.State != RefusalOpen {
			continue
		}
		if t, ok := r.tables[k.table]; ok {
			row, err := loadRow(ctx, r.rdb, t, k.id)
			if err != nil {
				return nil, fmt.Errorf("list refused records: %w", err)
			}
			if row.exists {
				rr.Held, rr.Record = true, row.record()
			}
			if rr.KnownAtHub, err = r.knownAtHub(ctx, r.rdb, row, acked); err != nil {
				return nil, fmt.Errorf("list refused records: %w", err)
			}
		}
		if err := r.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM changes WHERE local=1 AND tbl=? AND id=? AND seq > ?",
			k.table, k.id.String(), acked).Scan(&rr.Pending); err != nil {
			return nil, fmt.Errorf("list refused records: %w", err)
		}
		out = append(out, *rr)
	}
	return out, nil
}

// KeptByRefusal counts the records this office holds with an open refusal:
// what a sync keeps, though the hub does not have it, until a person
// resends or discards it.
func (r *Replica) KeptByRefusal(ctx context.Context) (int, error) {
	recs, err := r.RefusedRecords(ctx, false)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, rr := range recs {
		if rr.Held {
			n++
		}
	}
	return n, nil
}

// knownAtHub reports whether the hub holds the record: one of its fields
// was written by another node (it came from the hub), or one of this
// office's changes to it, now acknowledged, was not refused.
func (r *Replica) knownAtHub(ctx context.Context, q querier, row *row, acked int64) (bool, error) {
	for _, st := range row.stamps {
		if !st.Stamp.IsZero() && st.Stamp.Node != r.node {
			return true, nil
		}
	}
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM changes WHERE local=1 AND tbl=? AND id=? AND seq <= ?
		AND seq NOT IN (SELECT seq FROM refusals WHERE node=? AND tbl=? AND record_id=?) LIMIT 1`,
		row.t.Name, row.id.String(), acked, r.node.String(), row.t.Name, row.id.String()).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// ResubmitResult says what a resend wrote.
type ResubmitResult struct {
	// Fields counts the fields written again (zero when the hub already
	// holds every field of the record).
	Fields int
	// Whole reports that the record was written whole: the hub never had it.
	Whole bool
}

// Resubmit sends a refused record again: it writes the record as a new
// local change, stamped now, and marks its open refusals resent. When the
// hub never had the record (its first change was refused), every field is
// written, so that the hub receives it whole; when the hub has it, the
// fields the refused changes wrote. Each field's previous stamp is the one
// the hub knows, so the resend is no conflict with what it replaces there.
// The record must be held here with an open refusal (ErrNotRefused).
func (r *Replica) Resubmit(ctx context.Context, typ string, id uuid.UUID) (ResubmitResult, error) {
	var res ResubmitResult
	err := r.write(ctx, func(w *writeTx) error {
		t, err := r.table(typ)
		if err != nil {
			return err
		}
		res, err = w.resubmit(t, id, nil)
		return err
	})
	if err != nil {
		return ResubmitResult{}, fmt.Errorf("resend %s %s: %w", typ, id, err)
	}
	return res, nil
}

// openRefusalSeqs returns the positions in this node's log of the record's
// refusals: all of them, and whether one is open.
func (w *writeTx) refusalSeqs(t *table, id uuid.UUID) (seqs []int64, open bool, err error) {
	rows, err := w.QueryContext(w.ctx, "SELECT seq, state FROM refusals WHERE node=? AND tbl=? AND record_id=?", w.r.node.String(), t.Name, id.String())
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var state string
		if err := rows.Scan(&seq, &state); err != nil {
			return nil, false, err
		}
		seqs = append(seqs, seq)
		open = open || state == RefusalOpen
	}
	return seqs, open, rows.Err()
}

func (w *writeTx) resubmit(t *table, id uuid.UUID, override map[string]any) (ResubmitResult, error) {
	if w.r.role != RoleOffice {
		return ResubmitResult{}, fmt.Errorf("%w: only an office resends what the hub refused", ErrInvalidChange)
	}
	row, err := w.row(t, id)
	if err != nil {
		return ResubmitResult{}, err
	}
	if !row.exists {
		return ResubmitResult{}, fmt.Errorf("%w: it is no longer here", ErrNotFound)
	}
	seqs, open, err := w.refusalSeqs(t, id)
	if err != nil {
		return ResubmitResult{}, err
	}
	if !open {
		return ResubmitResult{}, ErrNotRefused
	}
	acked, err := w.position(ackKey)
	if err != nil {
		return ResubmitResult{}, err
	}
	known, err := w.r.knownAtHub(w.ctx, w, row, acked)
	if err != nil {
		return ResubmitResult{}, err
	}
	// What the refused changes wrote: per field, each refused stamp and the
	// stamp it replaced, to find the stamp the hub holds.
	refusedPrev := map[string]map[Stamp]Stamp{}
	for _, seq := range seqs {
		var data []byte
		err := w.QueryRowContext(w.ctx, "SELECT data FROM changes WHERE seq=? AND local=1", seq).Scan(&data)
		if errors.Is(err, sql.ErrNoRows) || len(data) == 0 {
			continue // compacted away: the stamps on the row are all there is
		}
		if err != nil {
			return ResubmitResult{}, err
		}
		fcs, err := decodeFields(t, data, true)
		if err != nil {
			return ResubmitResult{}, fmt.Errorf("refused change %d: %w", seq, err)
		}
		for _, fc := range fcs {
			if refusedPrev[fc.Name] == nil {
				refusedPrev[fc.Name] = map[Stamp]Stamp{}
			}
			refusedPrev[fc.Name][fc.Stamp] = fc.Prev
		}
	}
	st := w.r.clock.tick()
	var fcs []FieldChange
	for i := range t.Fields {
		f := &t.Fields[i]
		cur := row.stamps[i].Stamp
		v := row.value(f)
		changed := false
		if nv, ok := override[f.Name]; ok {
			nv, err := normalizeField(f, nv)
			if err != nil {
				return ResubmitResult{}, err
			}
			changed = !equalValues(v, nv)
			v = nv
		}
		_, refused := refusedPrev[f.Name][cur]
		switch {
		case !known && (cur.IsZero() && isNilValue(v) && !changed):
			continue // never written and still empty
		case known && !changed && !refused:
			continue // the hub holds this field as it is here
		}
		prev := cur
		for range len(seqs) + 1 { // follow refused writes back to the stamp the hub knows
			p, ok := refusedPrev[f.Name][prev]
			if !ok {
				break
			}
			prev = p
		}
		row.set(f, v)
		row.stamps[i] = fieldStamp{Stamp: st, Prev: prev}
		fcs = append(fcs, FieldChange{Name: f.Name, Value: v, Stamp: st, Prev: prev})
	}
	if len(fcs) > 0 {
		if err := w.place(row, ""); err != nil {
			return ResubmitResult{}, err
		}
		if err := w.logged(Change{Table: t.Name, ID: id, Scope: row.scope, Fields: fcs}); err != nil {
			return ResubmitResult{}, err
		}
	}
	if err := w.settleRefusals(t, id, RefusalResent, ""); err != nil {
		return ResubmitResult{}, err
	}
	return ResubmitResult{Fields: len(fcs), Whole: !known}, nil
}

func (w *writeTx) settleRefusals(t *table, id uuid.UUID, state, note string) error {
	_, err := w.exec("UPDATE refusals SET state=?, settled_at=?, note=? WHERE node=? AND tbl=? AND record_id=? AND state=?",
		state, w.r.now().UTC().Format(time.RFC3339), nullText(note), w.r.node.String(), t.Name, id.String(), RefusalOpen)
	if err != nil {
		return fmt.Errorf("settle refusals of %s %s: %w", t.Name, id, err)
	}
	return nil
}

// DiscardResult says what a discard did.
type DiscardResult struct {
	// Dropped counts the records removed here: the record and those that
	// follow it.
	Dropped int
	// Refetch reports that the hub holds the record: the next sync pulls
	// the office's communities again from the start, which brings the
	// hub's copy back.
	Refetch bool
}

// DiscardRefused gives up a refused record at this office: the record
// (and the records that follow it) leaves this replica, without a change
// logged, and its open refusals are marked discarded with the reason. When
// the hub holds the record, the pull starts again from the beginning so
// that the hub's copy comes back at the next sync. A record with changes
// still in the outbox is not discarded (ErrRefusedPending): sync first.
func (r *Replica) DiscardRefused(ctx context.Context, typ string, id uuid.UUID, reason string) (DiscardResult, error) {
	var res DiscardResult
	reason = strings.TrimSpace(reason)
	err := r.write(ctx, func(w *writeTx) error {
		if r.role != RoleOffice {
			return fmt.Errorf("%w: only an office discards what the hub refused", ErrInvalidChange)
		}
		if reason == "" {
			return fmt.Errorf("%w: give a reason", ErrInvalidChange)
		}
		t, err := r.table(typ)
		if err != nil {
			return err
		}
		_, open, err := w.refusalSeqs(t, id)
		if err != nil {
			return err
		}
		if !open {
			return ErrNotRefused
		}
		keys, err := w.withFollowers(t, id)
		if err != nil {
			return err
		}
		acked, err := w.position(ackKey)
		if err != nil {
			return err
		}
		for _, k := range keys {
			var n int
			if err := w.QueryRowContext(w.ctx, "SELECT COUNT(*) FROM changes WHERE local=1 AND tbl=? AND id=? AND seq > ?", k.table, k.id.String(), acked).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return ErrRefusedPending
			}
		}
		row, err := w.row(t, id)
		if err != nil {
			return err
		}
		if row.exists {
			if res.Refetch, err = r.knownAtHub(w.ctx, w, row, acked); err != nil {
				return err
			}
			if err := w.drop(t, id); err != nil {
				return err
			}
			res.Dropped = len(keys)
		}
		for _, k := range keys {
			if err := w.settleRefusals(r.tables[k.table], k.id, RefusalDiscarded, reason); err != nil {
				return err
			}
		}
		if res.Refetch {
			if _, err := w.exec("INSERT INTO positions(key, seq) VALUES(?, 0) ON CONFLICT(key) DO UPDATE SET seq=0", pullKey); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return DiscardResult{}, fmt.Errorf("discard %s %s: %w", typ, id, err)
	}
	return res, nil
}

// withFollowers returns the record and the records that follow it
// (recursively), those stored here.
func (w *writeTx) withFollowers(t *table, id uuid.UUID) ([]rowKey, error) {
	out := []rowKey{{t.Name, id}}
	for _, ct := range t.children {
		ids, err := queryIDs(w.ctx, w, fmt.Sprintf("SELECT id FROM %s WHERE %s=?", ct.Name, quote(ct.Scope.ParentColumn)), id.String())
		if err != nil {
			return nil, fmt.Errorf("find records of %s %s: %w", t.Name, id, err)
		}
		for _, cid := range ids {
			more, err := w.withFollowers(ct, cid)
			if err != nil {
				return nil, err
			}
			out = append(out, more...)
		}
	}
	return out, nil
}

// localWork returns, on an office, the records that hold work the hub does
// not have: changes still in the outbox, or an open refusal. A sync never
// drops them.
func (w *writeTx) localWork() (map[rowKey]bool, error) {
	keep := map[rowKey]bool{}
	if w.r.role != RoleOffice {
		return keep, nil
	}
	add := func(query string, args ...any) error {
		rows, err := w.tx.QueryContext(w.ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var tbl, id string
			if err := rows.Scan(&tbl, &id); err != nil {
				return err
			}
			if u, err := uuid.Parse(id); err == nil {
				keep[rowKey{tbl, u}] = true
			}
		}
		return rows.Err()
	}
	if err := add("SELECT DISTINCT tbl, id FROM changes WHERE local=1 AND seq > (SELECT COALESCE(MAX(seq), 0) FROM positions WHERE key=?)", ackKey); err != nil {
		return nil, fmt.Errorf("find unsent work: %w", err)
	}
	if err := add("SELECT DISTINCT tbl, record_id FROM refusals WHERE state=? AND node=?", RefusalOpen, w.r.node.String()); err != nil {
		return nil, fmt.Errorf("find refused work: %w", err)
	}
	return keep, nil
}

// keeps reports whether a record must stay although a sync would drop it:
// it, or the record it follows, holds local work (see localWork). keep
// gains the record when it stays, so that the records that follow it stay
// too when tables are visited parents first.
func (w *writeTx) keeps(keep map[rowKey]bool, t *table, id uuid.UUID) (bool, error) {
	k := rowKey{t.Name, id}
	if keep[k] {
		return true, nil
	}
	if t.Scope.ParentType == "" || len(keep) == 0 {
		return false, nil
	}
	var parent sql.NullString
	err := w.tx.QueryRowContext(w.ctx, fmt.Sprintf("SELECT %s FROM %s WHERE id=?", quote(t.Scope.ParentColumn), t.Name), id.String()).Scan(&parent)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, err
	}
	if pid, perr := uuid.Parse(parent.String); perr == nil && keep[rowKey{t.Scope.ParentType, pid}] {
		keep[k] = true
		return true, nil
	}
	return false, nil
}

// holdsLocalWork reports, on an office, whether a record that departs from
// its scopes must stay: it or a record that follows it has changes in the
// outbox or an open refusal.
func (w *writeTx) holdsLocalWork(t *table, id uuid.UUID) (bool, error) {
	if w.r.role != RoleOffice {
		return false, nil
	}
	keep, err := w.localWork()
	if err != nil || len(keep) == 0 {
		return false, err
	}
	keys, err := w.withFollowers(t, id)
	if err != nil {
		return false, err
	}
	for _, k := range keys {
		if keep[k] {
			return true, nil
		}
	}
	return false, nil
}

// OfficeScopes returns the communities the hub last said this office
// covers (at office init or a sync's hello), without the district; nil
// when it has not said yet.
func (r *Replica) OfficeScopes(ctx context.Context) ([]string, error) {
	v, err := r.Meta(ctx, "scopes")
	if err != nil {
		return nil, err
	}
	return parseScopes(v), nil
}

// parseScopes reads the scopes kept in meta: "[a b]" (as a sync stores
// them) or "a,b".
func parseScopes(v string) []string {
	var out []string
	for _, s := range strings.FieldsFunc(strings.Trim(strings.TrimSpace(v), "[]"), func(r rune) bool { return r == ' ' || r == ',' }) {
		if s != districtScope && s != "" {
			out = append(out, s)
		}
	}
	return out
}
