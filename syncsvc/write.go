package syncsvc

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
)

// writeTx is one write transaction: the rows it has read and changed (so a
// batch touching one record many times reads and writes it once) and the
// changes to publish after commit.
type writeTx struct {
	r     *Replica
	ctx   context.Context
	tx    *sql.Tx
	rows  map[rowKey]*row
	dirty []*row
	// changes are kept for the subscribers (publish) when there were
	// some as the write began; a write nobody listens to keeps none.
	changes  []Change
	publish  bool
	logQueue []logItem
	// marked is, on the hub, the highest _seq the write stored in each
	// (table, scope), for the feed's marks after commit (feedmarks.go).
	marked map[markKey]int64
	// touched are the record types' tables whose rows the write stored or
	// deleted, told to OnCommit's functions after commit, each with the
	// ids of those rows, or nil once they are not known (a bulk delete) or
	// more than MaxCommitRecords.
	touched map[string]map[uuid.UUID]bool
	// born are the rows an Apply on the hub created (ApplyResult.Created);
	// applies counts the Applies the write ran (pushes share a write:
	// groupCommit).
	born    []*row
	applies int
	// committed are run once the write has committed.
	committed []func()

	// Buffers put and row.store reuse from row to row.
	scratchFields []FieldChange
	scratchCols   []int
	scratchArgs   []any
	scratchVals   []any
	scratchChange []FieldChange
}

type rowKey struct {
	table string
	id    uuid.UUID
}

// write runs fn in one write transaction, commits, then tells subscribers.
// The clock's value is saved in the same transaction, so that a restart
// never issues a stamp below one already used.
func (r *Replica) write(ctx context.Context, fn func(w *writeTx) error) (err error) {
	defer func() {
		// Once its context ends, a transaction fails with whatever its next
		// statement says ("statement is closed"): say why it ended.
		if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
			err = fmt.Errorf("%w: %w", ctx.Err(), err)
		}
	}()
	committed := false
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	if r.isClosed() {
		return ErrClosed
	}
	if r.readOnly {
		return &ReadOnlyError{Path: r.path}
	}
	tx, err := r.wdb.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	w := &writeTx{r: r, ctx: ctx, tx: tx, rows: map[rowKey]*row{}, publish: r.listened()}
	// Another process may have written this file since (a command run on
	// the hub's machine while hub serve runs): take up its clock and its
	// sequence, read under the write lock, so that no stamp and no number
	// is given twice.
	if err := r.catchUp(w); err != nil {
		return err
	}
	seqBefore := r.seq
	defer func() {
		if !committed {
			r.seq = seqBefore // numbers of a transaction that did not commit are given again
		}
	}()
	if err := fn(w); err != nil {
		return err
	}
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.flushLog(); err != nil {
		return err
	}
	if _, err := w.exec("UPDATE meta SET value=? WHERE key='hlc'", r.clock.value()); err != nil {
		return fmt.Errorf("save clock: %w", err)
	}
	if r.role == RoleHub && r.seq != seqBefore {
		if _, err := w.exec("INSERT INTO meta(key, value) VALUES('seq', ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", r.seq); err != nil {
			return fmt.Errorf("save sequence: %w", err)
		}
	}
	var number int64
	if err := w.QueryRowContext(ctx, countCommitQuery).Scan(&number); err != nil {
		return fmt.Errorf("count the commit: %w", err)
	}
	if err := tx.Commit(); err != nil {
		r.marks.invalidate() // whether anything was committed is not known
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	for _, fn := range w.committed {
		fn()
	}
	r.marks.committed(w, seqBefore, r.seq)
	r.publish(w.changes)
	if r.commits.listened() {
		tables, records := w.touchedTables()
		r.commits.tell(Commit{Number: number, Tables: tables, Records: records})
	}
	return nil
}

// touch notes that the write stored or deleted rows of the table, which
// ones not known.
func (w *writeTx) touch(table string) {
	if w.touched == nil {
		w.touched = map[string]map[uuid.UUID]bool{}
	}
	w.touched[table] = nil
}

// touchRecord notes that the write stored or deleted the row id of the
// table.
func (w *writeTx) touchRecord(table string, id uuid.UUID) {
	if w.touched == nil {
		w.touched = map[string]map[uuid.UUID]bool{}
	}
	ids, ok := w.touched[table]
	switch {
	case !ok:
		w.touched[table] = map[uuid.UUID]bool{id: true}
	case ids == nil: // not known already
	case len(ids) >= MaxCommitRecords && !ids[id]:
		w.touched[table] = nil
	default:
		ids[id] = true
	}
}

// touchedTables returns the tables touch and touchRecord noted, sorted,
// and the ids noted of each table whose ids are known, each sorted.
func (w *writeTx) touchedTables() ([]string, map[string][]uuid.UUID) {
	out := make([]string, 0, len(w.touched))
	var records map[string][]uuid.UUID
	for t, ids := range w.touched {
		out = append(out, t)
		if ids == nil {
			continue
		}
		if records == nil {
			records = make(map[string][]uuid.UUID, len(w.touched))
		}
		list := make([]uuid.UUID, 0, len(ids))
		for id := range ids {
			list = append(list, id)
		}
		slices.SortFunc(list, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
		records[t] = list
	}
	slices.Sort(out)
	return out, records
}

// exec, QueryRowContext and QueryContext run a statement in the
// transaction. The driver keeps each connection's prepared statements
// (stmtCacheSize), so a statement of fixed text is prepared once per
// connection and never by database/sql, which would prepare it on a
// second connection first and bind it to each transaction anew.
func (w *writeTx) exec(query string, args ...any) (sql.Result, error) {
	return w.tx.ExecContext(w.ctx, query, args...)
}

// QueryRowContext and QueryContext make writeTx a querier.
func (w *writeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return w.tx.QueryRowContext(ctx, query, args...)
}

func (w *writeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return w.tx.QueryContext(ctx, query, args...)
}

// row returns the record from this transaction's cache or the database.
func (w *writeTx) row(t *table, id uuid.UUID) (*row, error) {
	k := rowKey{t.Name, id}
	if r := w.rows[k]; r != nil && !r.dropped {
		return r, nil
	} else if r != nil {
		// Dropped earlier in this transaction (it left this replica's
		// scopes) and now arriving again: a new row, stored anew.
		r = newRow(t, id)
		w.rows[k] = r
		return r, nil
	}
	r, err := loadRow(w.ctx, w, t, id)
	if err != nil {
		return nil, err
	}
	w.rows[k] = r
	return r, nil
}

// prefetch reads the records a batch of changes touches, a few hundred per
// query, so that merging them does not query once per change.
func (w *writeTx) prefetch(changes []Change) error {
	want := map[*table][]uuid.UUID{}
	for _, ch := range changes {
		if t, ok := w.r.tables[ch.Table]; ok {
			want[t] = append(want[t], ch.ID)
		}
	}
	for t, ids := range want {
		if err := w.prefetchRows(t, ids); err != nil {
			return err
		}
	}
	return nil
}

// prefetchChunk is how many ids one query of prefetchRows names.
const prefetchChunk = 500

// prefetchRows reads the rows of t with the given ids that this
// transaction holds no row for yet, prefetchChunk per query; an id not
// stored gets an empty row, so that no later read queries for it.
func (w *writeTx) prefetchRows(t *table, ids []uuid.UUID) error {
	var missing []uuid.UUID
	for _, id := range ids {
		k := rowKey{t.Name, id}
		if _, cached := w.rows[k]; !cached {
			w.rows[k] = nil // placeholder until read below: an id named twice is read once
			missing = append(missing, id)
		}
	}
	list := make([]string, 0, min(len(missing), prefetchChunk))
	for start := 0; start < len(missing); start += prefetchChunk {
		chunk := missing[start:min(start+prefetchChunk, len(missing))]
		list = list[:0]
		for _, id := range chunk {
			list = append(list, id.String())
		}
		js, err := json.Marshal(list)
		if err != nil {
			return err
		}
		rows, err := scanRows(w.ctx, w, t, "WHERE id IN (SELECT value FROM json_each(?))", string(js))
		if err != nil {
			return fmt.Errorf("read %s: %w", t.Name, err)
		}
		for _, r := range rows {
			w.rows[rowKey{t.Name, r.id}] = r
		}
		for _, id := range chunk {
			if k := (rowKey{t.Name, id}); w.rows[k] == nil {
				w.rows[k] = newRow(t, id)
			}
		}
	}
	return nil
}

func (w *writeTx) markDirty(r *row) {
	if !r.dirty {
		r.dirty = true
		w.dirty = append(w.dirty, r)
	}
}

// catchUp advances the clock and, on the hub, the district sequence to
// what the file holds, which another process may have moved on.
func (r *Replica) catchUp(w *writeTx) error {
	var hlc, seq int64
	if err := w.QueryRowContext(w.ctx, "SELECT CAST(value AS INTEGER) FROM meta WHERE key='hlc'").Scan(&hlc); err != nil {
		return fmt.Errorf("read clock: %w", err)
	}
	r.clock.observe(Stamp{HLC: hlc})
	if r.role != RoleHub {
		return nil
	}
	if err := w.QueryRowContext(w.ctx, lastSeqQuery).Scan(&seq); err != nil {
		return fmt.Errorf("read sequence: %w", err)
	}
	r.seq = max(r.seq, seq)
	return nil
}

// flush writes every changed row.
func (w *writeTx) flush() error {
	for _, r := range w.dirty {
		r.dirty = false
		if r.dropped {
			continue
		}
		if err := r.store(w); err != nil {
			return err
		}
	}
	w.dirty = w.dirty[:0]
	return nil
}

// appendLog queues a change for the log and for subscribers; flushLog
// writes the queue when the transaction ends, many rows per statement.
// The change is encoded at once: its fields may be a buffer of the caller.
func (w *writeTx) appendLog(ch Change, local bool) error {
	data, err := encodeFields(w.r.tables[ch.Table], ch.Fields, true)
	if err != nil {
		return err
	}
	it := logItem{change: -1, table: ch.Table, id: ch.ID, scope: ch.Scope, movedTo: ch.MovedTo, local: local, data: data}
	if w.publish {
		it.change = len(w.changes)
	}
	w.logQueue = append(w.logQueue, it)
	w.keep(ch)
	return nil
}

// keep keeps a change for the subscribers, when there are some.
func (w *writeTx) keep(ch Change) {
	if w.publish {
		w.changes = append(w.changes, ch)
	}
}

// logItem is a change waiting to be written to the log.
type logItem struct {
	change                int // index in writeTx.changes; -1 when not kept
	table, scope, movedTo string
	id                    uuid.UUID
	local                 bool
	data                  []byte
}

// logChunk is how many log rows one INSERT writes.
const logChunk = 64

// flushLog writes the queued changes to the log and gives each its
// sequence number. Within one statement, under the write lock, SQLite
// numbers the rows one after another, so the last id tells all of them.
func (w *writeTx) flushLog() error {
	at := any(w.r.now().UnixMilli())
	// A batch's changes mostly share their table and scope: each is boxed
	// once for as long as it repeats, not once a row.
	var table, scope string
	var tableArg, scopeArg any
	args := make([]any, 0, 7*min(logChunk, len(w.logQueue)))
	for len(w.logQueue) > 0 {
		chunk := w.logQueue[:min(logChunk, len(w.logQueue))]
		w.logQueue = w.logQueue[len(chunk):]
		q := "INSERT INTO changes(tbl, id, scope, local, data, at, moved_to) VALUES" +
			strings.TrimSuffix(strings.Repeat("(?,?,?,?,?,?,?),", len(chunk)), ",")
		args = args[:0]
		for _, it := range chunk {
			if tableArg == nil || it.table != table {
				table, tableArg = it.table, it.table
			}
			if scopeArg == nil || it.scope != scope {
				scope, scopeArg = it.scope, it.scope
			}
			args = append(args, tableArg, it.id.String(), scopeArg, it.local, it.data, at, nullText(it.movedTo))
		}
		res, err := w.exec(q, args...)
		if err != nil {
			return fmt.Errorf("append to change log: %w", err)
		}
		last, err := res.LastInsertId()
		if err != nil {
			return fmt.Errorf("append to change log: %w", err)
		}
		for i, it := range chunk {
			if it.change >= 0 {
				w.changes[it.change].Seq = last - int64(len(chunk)-1-i)
			}
		}
	}
	return nil
}

// put is a local write: it sets the given fields of one record, stamping
// each field whose value changes and logging those fields as one change.
// A write that changes nothing logs nothing and returns false.
func (w *writeTx) put(t *table, id uuid.UUID, values map[string]any) (bool, error) {
	r, err := w.row(t, id)
	if err != nil {
		return false, err
	}
	for n := range values {
		if _, ok := t.fields[n]; !ok {
			return false, fmt.Errorf("%s: %w: no field %q", t.Name, ErrInvalidChange, n)
		}
	}
	// Every value normalized before the row is touched, in the order of
	// the fields (which the log keeps), so that a value that does not fit
	// leaves the row as it was.
	vals := w.scratchVals[:0]
	defer func() { clear(vals); w.scratchVals = vals[:0] }()
	for i := range t.Fields {
		f := &t.Fields[i]
		v, ok := values[f.Name]
		if !ok {
			vals = append(vals, absent{})
			continue
		}
		if v, err = normalizeField(f, v); err != nil {
			return false, fmt.Errorf("%s %s: %w", t.Name, id, err)
		}
		vals = append(vals, v)
	}
	// One stamp for the fields of one write, after any stamp seen so far.
	var st Stamp
	fcs := w.scratchChange[:0]
	defer func() { clear(fcs); w.scratchChange = fcs[:0] }()
	for pos := range t.Fields {
		f, v := &t.Fields[pos], vals[pos]
		if _, skip := v.(absent); skip {
			continue
		}
		written := !r.stamps[pos].Stamp.IsZero()
		if r.equals(f, v) && (written || isNilValue(v)) {
			continue
		}
		if st.IsZero() {
			st = w.r.clock.tick()
		}
		fc := FieldChange{Name: f.Name, Value: v, Stamp: st, Prev: r.stamps[pos].Stamp}
		r.set(f, v)
		r.stamps[pos] = fieldStamp{Stamp: fc.Stamp, Prev: fc.Prev}
		fcs = append(fcs, fc)
	}
	if len(fcs) == 0 {
		return false, nil
	}
	if err := w.place(r, ""); err != nil {
		return false, err
	}
	changed := fcs // encoded into the log at once, and not kept
	if w.publish {
		changed = append([]FieldChange(nil), fcs...) // kept for the subscribers
	}
	if err := w.logged(Change{Table: t.Name, ID: id, Scope: r.scope, Fields: changed}); err != nil {
		return false, err
	}
	return true, nil
}

// absent marks, in put's list of values by field, a field the write does
// not name.
type absent struct{}

// place computes the row's scope after a write, moves the records that
// follow it when it changed, and marks the row for writing. hint is the
// scope a change arrived with, used when a parent is not here (yet). On the
// hub, a move also leaves a departure under the old scope, and every moved
// record reaches the new scope's feed whole, being stored anew.
func (w *writeTx) place(r *row, hint string) error {
	scope, err := w.scopeOf(r, hint)
	if err != nil {
		return err
	}
	moved := r.exists && scope != r.scope
	if !r.exists || moved {
		if err := w.registerScope(scope); err != nil {
			return err
		}
	}
	from := r.scope
	r.scope = scope
	r.exists = true // for later changes of this transaction, it is here now
	w.markDirty(r)
	if !moved {
		return nil
	}
	if err := w.depart(r, from); err != nil {
		return err
	}
	return w.moveChildren(r)
}

// depart logs, on the hub, that a record left scope from for its current
// scope, so that offices of the old scope drop their copy.
func (w *writeTx) depart(r *row, from string) error {
	if w.r.role != RoleHub {
		return nil
	}
	ch := Change{Seq: w.r.nextSeq(), Table: r.t.Name, ID: r.id, Scope: from, MovedTo: r.scope}
	_, err := w.exec("INSERT INTO changes(seq, tbl, id, scope, local, data, at, moved_to) VALUES(?, ?, ?, ?, 0, x'', ?, ?)",
		ch.Seq, ch.Table, ch.ID.String(), ch.Scope, w.r.now().UnixMilli(), ch.MovedTo)
	if err != nil {
		return fmt.Errorf("log departure of %s %s: %w", r.t.Name, r.id, err)
	}
	w.keep(ch)
	return nil
}

func (w *writeTx) scopeOf(r *row, hint string) (string, error) {
	rule := r.t.Scope
	switch {
	case rule.District:
		return districtScope, nil
	case rule.Column != "":
		if s, ok := r.col(rule.Column).(string); ok && s != "" {
			if !canonicalScope(s) {
				return "", fmt.Errorf("%s %s: %w: scope set %q is not spelled as ScopeSet spells it", r.t.Name, r.id, ErrInvalidChange, s)
			}
			return s, nil
		}
		if hint != "" {
			return hint, nil
		}
		return "", fmt.Errorf("%s %s: %w: the scope column %s is empty", r.t.Name, r.id, ErrInvalidChange, rule.Column)
	}
	if pid, ok := r.col(rule.ParentColumn).(string); ok {
		if id, err := uuid.Parse(pid); err == nil {
			p, err := w.row(w.r.tables[rule.ParentType], id)
			if err != nil {
				return "", err
			}
			if p.exists || p.scope != "" {
				return p.scope, nil
			}
		}
	}
	if hint != "" {
		return hint, nil
	}
	return "", fmt.Errorf("%s %s: %w: its %s record is not here", r.t.Name, r.id, ErrInvalidChange, rule.ParentType)
}

// moveChildren gives the records that follow r (and theirs, recursively)
// r's new scope. Each is stored anew, so on the hub it reaches the new
// scope's feed whole, and leaves a departure under its old scope.
func (w *writeTx) moveChildren(parent *row) error {
	if err := w.flush(); err != nil {
		return err
	}
	for _, ct := range parent.t.children {
		ids, err := queryIDs(w.ctx, w, fmt.Sprintf("SELECT id FROM %s WHERE %s=?", ct.Name, quote(ct.Scope.ParentColumn)), parent.id.String())
		if err != nil {
			return fmt.Errorf("find records of %s %s: %w", parent.t.Name, parent.id, err)
		}
		for _, id := range ids {
			c, err := w.row(ct, id)
			if err != nil {
				return err
			}
			if c.scope == parent.scope {
				continue
			}
			from := c.scope
			c.scope = parent.scope
			w.markDirty(c)
			if err := w.depart(c, from); err != nil {
				return err
			}
			if err := w.moveChildren(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// drop removes a record that left this office's scopes, and the records
// that follow it. Nothing is logged: the record lives on elsewhere.
func (w *writeTx) drop(t *table, id uuid.UUID) error {
	r, err := w.row(t, id)
	if err != nil {
		return err
	}
	for _, ct := range t.children {
		ids, err := queryIDs(w.ctx, w, fmt.Sprintf("SELECT id FROM %s WHERE %s=?", ct.Name, quote(ct.Scope.ParentColumn)), id.String())
		if err != nil {
			return fmt.Errorf("find records of %s %s: %w", t.Name, id, err)
		}
		for _, cid := range ids {
			if err := w.drop(ct, cid); err != nil {
				return err
			}
		}
	}
	w.touchRecord(t.Name, id)
	if _, err := w.exec(fmt.Sprintf("DELETE FROM %s WHERE id=?", t.Name), id.String()); err != nil {
		return fmt.Errorf("drop %s %s: %w", t.Name, id, err)
	}
	r.exists, r.dropped, r.inDB = false, true, false
	return nil
}

// logged records a local write: on an office it goes to the log, which is
// the outbox; on the hub the record's row carries its place in the district
// sequence, and subscribers hear of it.
func (w *writeTx) logged(ch Change) error {
	if w.r.role == RoleHub {
		w.keep(ch)
		return nil
	}
	return w.appendLog(ch, true)
}

// districtScope is the scope of district-wide records.
const districtScope = "district"
