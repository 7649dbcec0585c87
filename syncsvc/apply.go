package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrClockSkew: a change is stamped further ahead of this replica's clock
// than ApplyOptions.MaxAhead allows.
var ErrClockSkew = errors.New("change is stamped too far in the future")

// ApplyOptions control Apply.
type ApplyOptions struct {
	// Source, when set, names the position this batch continues (for
	// example "push/" plus the sending node, or "pull"). Changes whose Seq
	// is at or below the stored position were applied before and are
	// skipped, so a batch sent twice, or overlapping one already applied,
	// changes nothing. The new position is stored in the same transaction.
	Source string
	// Contiguous requires each change's Seq to follow the position without
	// a gap (a push of an office's outbox). Apply stops at the first gap and
	// reports it; the sender resends from Result.Position.
	Contiguous bool
	// Through moves the position at least this far once the batch is
	// applied (a pull page that ends past its last matching change).
	Through int64
	// Authorize, when set, is asked about every change with the scope its
	// record has here before the change (and whether it exists). An error
	// refuses that change alone; the rest of the batch is applied. Such a
	// change (an office's) is also refused, with ErrOutOfScope, when it
	// puts a record in a community the district's registry does not name
	// (ScopeRule.Names).
	Authorize func(ch Change, currentScope string, exists bool) error
	// MaxAhead, when positive, refuses changes stamped more than this far
	// ahead of the replica's physical clock.
	MaxAhead time.Duration
	// Scopes, when set, are the scopes this replica covers: a departure
	// (Change.MovedTo) to a scope outside them drops the record here, with
	// the records that follow it. Without Scopes departures are ignored.
	Scopes []string
	// Event, when set, is recorded as RecordSyncEvent records it, in the
	// same transaction as the batch, with its Changes, Refused and
	// Conflicts those of the result: a push and its record on the hub are
	// one write.
	Event *SyncEvent

	// meta are settings stored in the same transaction (SetMeta), and
	// acked, when positive, the office's log acknowledged through it
	// (Acknowledge) before the batch is merged: the agent stores its push's
	// acknowledgement with its first pull page, and the sync's end with its
	// last.
	meta  map[string]string
	acked int64
}

// ApplyResult says what Apply did with a batch.
type ApplyResult struct {
	// Applied counts changes of which at least one field won.
	Applied int
	// Skipped counts changes already applied, or whose every field lost.
	Skipped int
	// Refused lists the changes refused, each with its reason.
	Refused []Refusal
	// Conflicts counts the conflicts recorded (on the hub only).
	Conflicts int
	// Position is the stored position after the batch (with Source).
	Position int64
	// Gap reports that a Contiguous batch stopped at a gap.
	Gap bool
	// Created lists, on the hub, the district positions of the records
	// this batch created: records not stored here before it, which stand
	// exactly as its changes made them. Their sender holds them as they
	// stand (Hub.Push hands them back as PushResult.Held).
	Created []int64
}

// Refusal is a change Apply refused, and why.
type Refusal struct {
	Change Change
	Err    error
}

// Apply merges changes from another replica, in one transaction. For each
// field the larger (HLC, node) stamp wins, so replicas that apply the same
// changes in any order, any number of times, hold the same values.
//
// On the hub every change is judged before it is merged: each value within
// its size limit (MaxTextBytes, the built-in columns' own), and the record
// as it would stand after the merge within MaxRecordBytes and valid by its
// type's rule (RecordType.Validate; for the built-in types the rule their
// Put… method applies). A voided record is held to the limits only. A
// change that fails is refused alone with a *RecordError naming the field,
// and nothing of it is merged; the changes after it in the batch are
// judged against the records as they stand without it.
//
// On the hub, a change that did not replace the value it meets (its Prev is
// not that value's stamp, and that value did not replace it) was written
// concurrently with it: the hub records a conflict with both values,
// whichever wins. A sequential write that merely arrives late replaced the
// value it meets and is no conflict. Changes applied here are not put in
// this replica's outbox: an office never echoes what it pulled.
func (r *Replica) Apply(ctx context.Context, changes []Change, opts ApplyOptions) (ApplyResult, error) {
	var res ApplyResult
	var born []*row
	apply := func(w *writeTx) error {
		res = ApplyResult{}
		w.born = nil
		w.applies++ // this batch's number in the transaction (row.bornIn)
		defer func() { born = w.born }()
		// Acknowledged before the batch is merged: what the hub holds is no
		// longer the office's unsent work (holdsLocalWork).
		if opts.acked > 0 {
			if err := w.setPosition(ackKey, opts.acked); err != nil {
				return err
			}
		}
		pos, err := w.position(opts.Source)
		if err != nil {
			return err
		}
		limit := int64(0)
		if opts.MaxAhead > 0 {
			limit = HLCFromTime(r.now().Add(opts.MaxAhead + time.Millisecond))
		}
		if err := w.prefetch(changes); err != nil {
			return err
		}
		var tip []byte
		for _, ch := range changes {
			if opts.Source != "" && ch.Seq != 0 {
				if ch.Seq <= pos {
					res.Skipped++
					continue
				}
				if opts.Contiguous && ch.Seq != pos+1 {
					res.Gap = true
					break
				}
			}
			if err := w.merge(ch, opts, limit, &res); err != nil {
				return err
			}
			if opts.Contiguous && ch.Seq > pos {
				tip = changeTip(ch)
			}
			pos = max(pos, ch.Seq)
		}
		res.Position = max(pos, opts.Through)
		if tip != nil {
			// The fingerprint of the change at the new position, which
			// Hello hands back so that an office can tell whether its file
			// still holds that change (see epoch.go).
			if err := w.storeTip(opts.Source, pos, tip); err != nil {
				return err
			}
		}
		if err := w.setMeta(opts.meta); err != nil {
			return err
		}
		if err := w.setPosition(opts.Source, res.Position); err != nil {
			return err
		}
		if opts.Event != nil {
			e := *opts.Event
			e.Changes, e.Refused, e.Conflicts = res.Applied, len(res.Refused), res.Conflicts
			return recordSyncEvent(w, e, r.now().UTC())
		}
		return nil
	}
	var err error
	if r.role == RoleHub && opts.Contiguous {
		// An office's push on the hub shares its transaction, and its wait
		// for the disk, with the pushes and records of syncs that come at
		// the same time (groupCommit).
		err = r.writeGroupedWeighing(len(changes), apply)
	} else {
		err = r.write(ctx, apply)
	}
	if err != nil {
		return ApplyResult{}, fmt.Errorf("apply %d changes: %w", len(changes), err)
	}
	for _, r := range born { // numbered as the write stored them
		if !r.shared {
			res.Created = append(res.Created, r.seq)
		}
	}
	if len(res.Refused) > 0 {
		r.log.Warn("changes refused", "count", len(res.Refused), "first", res.Refused[0].Err)
	}
	return res, nil
}

// merge applies one change; a change that does not fit is refused, a
// database failure aborts the batch.
func (w *writeTx) merge(ch Change, opts ApplyOptions, limit int64, res *ApplyResult) error {
	refuse := func(err error) error {
		res.Refused = append(res.Refused, Refusal{Change: ch, Err: err})
		return nil
	}
	t, ok := w.r.tables[ch.Table]
	if !ok {
		return refuse(fmt.Errorf("%w %q", ErrUnknownType, ch.Table))
	}
	if ch.MovedTo != "" {
		if opts.Scopes == nil || scopeOverlaps(ch.MovedTo, opts.Scopes) {
			res.Skipped++
			return nil
		}
		// Unsent or refused work keeps the record here (refused.go).
		if kept, err := w.holdsLocalWork(t, ch.ID); err != nil || kept {
			res.Skipped++
			return err
		}
		res.Applied++
		w.keep(ch)
		return w.drop(t, ch.ID)
	}
	vals := make([]any, len(ch.Fields))
	for i, fc := range ch.Fields {
		if fc.Stamp.IsZero() || fc.Stamp.Compare(fc.Prev) <= 0 {
			return refuse(fmt.Errorf("%s.%s: %w: the stamp must be after the one it replaced", t.Name, fc.Name, ErrInvalidChange))
		}
		if limit > 0 && fc.Stamp.HLC > limit {
			return refuse(fmt.Errorf("%s.%s: %w: stamped %s, clock here %s", t.Name, fc.Name, ErrClockSkew, fc.Stamp.Time().UTC().Format(time.RFC3339), w.r.now().UTC().Format(time.RFC3339)))
		}
		f, ok := t.fields[fc.Name]
		if !ok {
			// A field a newer program declares: kept as it came, never erased.
			if _, err := appendValue(nil, fc.Value); err != nil || !identRE.MatchString(fc.Name) {
				return refuse(fmt.Errorf("%s: %w: field %q cannot be kept", t.Name, ErrInvalidChange, fc.Name))
			}
			vals[i] = fc.Value
			continue
		}
		v, err := normalizeField(f, fc.Value)
		if err != nil {
			return refuse(err)
		}
		vals[i] = v
	}
	if err := t.checkChangeScope(ch, vals); err != nil {
		return refuse(err)
	}
	r, err := w.row(t, ch.ID)
	if err != nil {
		return err
	}
	if opts.Authorize != nil {
		if err := opts.Authorize(ch, r.scope, r.exists); err != nil {
			return refuse(err)
		}
		// An office's change: into a community the district registered.
		if err := w.checkDestination(t, r, ch); err != nil {
			return refuse(err)
		}
	}
	// The hub is where a change from outside enters the district: it is
	// held to the size limits and the record type's rule on the record as
	// it would stand, and refused alone, unmerged, when it breaks them.
	// An office takes what the hub sends, which the hub has judged.
	if w.r.role == RoleHub {
		if err := w.checkIncoming(t, r, ch, vals); err != nil {
			return refuse(err)
		}
	}
	if r.born && r.bornIn != w.applies {
		r.shared = true // another batch of the transaction created it: its sender does not hold it as it stands
	}
	won, err := w.mergeFields(t, r, ch, vals, res)
	if err != nil {
		return err
	}
	if len(won) == 0 {
		res.Skipped++
		return nil
	}
	res.Applied++
	if !r.inDB && !r.born && w.r.role == RoleHub { // not stored before this write
		r.born, r.bornIn = true, w.applies
		w.born = append(w.born, r)
	}
	if err := w.place(r, ch.Scope); err != nil {
		return err
	}
	// Applied changes are not logged: an office does not echo them, and on
	// the hub the record's row takes its place in the district sequence.
	w.keep(Change{Table: t.Name, ID: ch.ID, Scope: r.scope, Fields: won})
	return nil
}

// mergeFields applies the fields of one change to its row by last writer
// wins and returns those that won; on the hub it records the conflicts.
func (w *writeTx) mergeFields(t *table, r *row, ch Change, vals []any, res *ApplyResult) ([]FieldChange, error) {
	won := make([]FieldChange, 0, len(ch.Fields))
	for i, fc := range ch.Fields {
		w.r.clock.observe(fc.Stamp)
		f, known := t.fields[fc.Name]
		if !known {
			if r.mergeExtra(FieldChange{Name: fc.Name, Value: vals[i], Stamp: fc.Stamp, Prev: fc.Prev}) {
				won = append(won, FieldChange{Name: fc.Name, Value: vals[i], Stamp: fc.Stamp, Prev: fc.Prev})
			}
			continue
		}
		pos := t.pos[fc.Name]
		cur := r.stamps[pos]
		order := fc.Stamp.Compare(cur.Stamp)
		if order == 0 {
			continue
		}
		// Neither write saw the other: fc did not replace the current value,
		// and the current value did not replace fc. Two writes of the same
		// value (one person registered on two computers) are no conflict.
		concurrent := w.r.role == RoleHub && !cur.Stamp.IsZero() && fc.Prev != cur.Stamp && cur.Prev != fc.Stamp &&
			!equalValues(r.value(f), vals[i])
		incoming := FieldChange{Name: fc.Name, Value: vals[i], Stamp: fc.Stamp, Prev: fc.Prev}
		if concurrent {
			current := FieldChange{Name: fc.Name, Value: r.value(f), Stamp: cur.Stamp, Prev: cur.Prev}
			winner, loser := incoming, current
			if order < 0 {
				winner, loser = current, incoming
			}
			if err := w.recordConflict(r, winner, loser, res); err != nil {
				return nil, err
			}
		}
		if order < 0 {
			continue
		}
		r.set(f, vals[i])
		r.stamps[pos] = fieldStamp{Stamp: fc.Stamp, Prev: fc.Prev}
		won = append(won, incoming)
	}
	return won, nil
}

// position reads a stored position; the empty key is always zero.
func (w *writeTx) position(key string) (int64, error) {
	if key == "" {
		return 0, nil
	}
	var seq int64
	err := w.QueryRowContext(w.ctx, "SELECT COALESCE(MAX(seq), 0) FROM positions WHERE key=?", key).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("read position %s: %w", key, err)
	}
	return seq, nil
}

func (w *writeTx) setPosition(key string, seq int64) error {
	if key == "" {
		return nil
	}
	_, err := w.exec("INSERT INTO positions(key, seq) VALUES(?, ?) ON CONFLICT(key) DO UPDATE SET seq=MAX(seq, excluded.seq)", key, seq)
	if err != nil {
		return fmt.Errorf("store position %s: %w", key, err)
	}
	return nil
}

// mergeExtra merges a field this program does not declare by last writer
// wins, and reports whether it won.
func (r *row) mergeExtra(fc FieldChange) bool {
	for i, e := range r.extra {
		if e.Name == fc.Name {
			if fc.Stamp.Compare(e.Stamp) <= 0 {
				return false
			}
			r.extra[i] = fc
			return true
		}
	}
	r.extra = append(r.extra, fc)
	return true
}

// checkChangeScope refuses a change that sets its record's scope column to
// something other than the scope it claims, so that a scope check on the
// claim cannot be walked around.
func (t *table) checkChangeScope(ch Change, vals []any) error {
	if !canonicalScope(ch.Scope) {
		return fmt.Errorf("%s %s: %w: scope set %q is not spelled as ScopeSet spells it", t.Name, ch.ID, ErrInvalidChange, ch.Scope)
	}
	col := t.Scope.Column
	if col == "" {
		return nil
	}
	for i, fc := range ch.Fields {
		f, ok := t.fields[fc.Name]
		if !ok {
			continue
		}
		for j, c := range f.Columns {
			if c.Name != col {
				continue
			}
			v := vals[i]
			if list, ok := v.([]any); ok {
				v = list[j]
			}
			if s, _ := v.(string); s != ch.Scope {
				return fmt.Errorf("%s %s: %w: scope %q but %s %q", t.Name, ch.ID, ErrInvalidChange, ch.Scope, col, s)
			}
		}
	}
	return nil
}
