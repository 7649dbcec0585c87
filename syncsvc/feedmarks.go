package syncsvc

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
)

// The hub's feed (ChangesSinceWithin) reads each record table once per
// scope of the reader, through the (scope, _seq) index. Most of those
// probes find nothing: a pull asks for what changed since its cursor, and
// few tables of few scopes changed. feedMarks keeps, in the hub process's
// memory, the highest _seq of each (table, scope), so that a pull probes
// only the pairs that can hold a record above its cursor.
//
// The marks are a cache: when they cannot be trusted the feed probes every
// pair, as it would without them. What holds, and why:
//
//   - Every _seq on the hub is given by row.store (the only statement that
//     writes a record row's scope or _seq), inside a write, and writes are
//     numbered in commit order (nextSeq). Deleting a record row gives no
//     number, but it only lowers the true highest _seq: a mark that is too
//     high costs a wasted probe, never a record.
//   - A build reads every table's highest _seq by scope, and the last
//     number given (lastSeqQuery), in one transaction under writeMu: the
//     marks then hold for every commit numbered up to through = that last
//     number.
//   - After each commit of this process, still under writeMu, the marks
//     are raised with every (table, scope, _seq) that row.store wrote in
//     it (a record that moved gets a mark in its new scope; its departure
//     from the old one is in the change log, which is always read) and
//     through becomes the last number given — but only when through was,
//     as the write began (after catchUp), the last number in the file:
//     otherwise another process (another Replica on the file, such as an
//     admin command run beside hub serve) committed numbers the marks do
//     not reflect, and they are dropped, to be built again at next need.
//     A commit that fails drops them too; a write rolled back changes
//     nothing.
//   - A reader trusts the marks only when they hold through the last
//     number its own snapshot sees (through >= last), and only when they
//     were built before its snapshot began (the build count is read before
//     the read transaction, and again with the marks): then every record
//     row it can see was either in the build's snapshot, unchanged, or
//     stored by a commit the marks were raised with.
type feedMarks struct {
	// off disables the marks (a test's switch): every pair is probed.
	off atomic.Bool

	mu sync.Mutex
	// valid reports that seq and through hold; guarded by mu.
	valid bool
	// through is the number up to which every commit is reflected;
	// guarded by mu.
	through int64
	// builds counts the builds; guarded by mu.
	builds uint64
	// seq is the highest _seq by table, then scope; guarded by mu.
	seq map[string]map[string]int64
}

// markKey names a (table, scope) pair.
type markKey struct{ table, scope string }

// markView is a reader's copy of the marks it needs: the highest _seq of
// each (table, scope) it reads. A nil view knows nothing: every pair may
// hold anything.
type markView struct {
	seq map[markKey]int64
}

// scopes returns, of the scopes a reader of table reads (nil: all), those
// that can hold a record of the table above after, and whether there is
// any: nil scopes stay nil when some scope of the table can. A nil view
// returns scopes as they are.
func (v *markView) scopes(table string, scopes []string, after int64) ([]string, bool) {
	if v == nil {
		return scopes, true
	}
	if scopes == nil {
		return nil, v.seq[markKey{table: table}] > after
	}
	var out []string
	for _, s := range scopes {
		if v.seq[markKey{table, s}] > after {
			out = append(out, s)
		}
	}
	return out, len(out) > 0
}

// invalidate drops the marks: the next ensureMarks builds them again.
func (m *feedMarks) invalidate() {
	m.mu.Lock()
	m.valid = false
	m.mu.Unlock()
}

// ensureMarks builds the hub's marks unless they are valid, and returns
// the build count that a reader passes to markView. Call it before the
// reader's transaction begins. It takes writeMu, so that no write of this
// process commits during the build. A failed build is logged and leaves
// the marks invalid: the feed then probes every pair.
func (r *Replica) ensureMarks(ctx context.Context) uint64 {
	m := &r.marks
	if r.role != RoleHub || r.readOnly || m.off.Load() {
		return 0
	}
	m.mu.Lock()
	valid, builds := m.valid, m.builds
	m.mu.Unlock()
	if valid {
		return builds
	}
	r.writeMu.Lock()
	defer r.writeMu.Unlock()
	m.mu.Lock()
	valid, builds = m.valid, m.builds
	m.mu.Unlock()
	if valid || r.isClosed() {
		return builds
	}
	seq, through, err := r.readMarks(ctx)
	if err != nil {
		if ctx.Err() == nil {
			r.log.Warn("feed marks not built; the feed reads every table", "err", err)
		}
		return builds
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.seq, m.through, m.valid = seq, through, true
	m.builds++
	return m.builds
}

// readMarks reads, in one transaction, the highest _seq of each table by
// scope and the last number given. It runs on the writer's connections,
// which only writeMu's holder uses: a reader's connection waited for under
// writeMu could be held by a caller that waits for writeMu itself (a View
// whose function writes). Their transactions begin IMMEDIATE, so no other
// process commits during the read either; it writes nothing.
func (r *Replica) readMarks(ctx context.Context) (map[string]map[string]int64, int64, error) {
	tx, err := r.wdb.BeginTx(ctx, nil)
	if err != nil {
		return nil, 0, fmt.Errorf("read feed marks: %w", err)
	}
	defer tx.Rollback()
	var through int64
	if err := tx.QueryRowContext(ctx, lastSeqQuery).Scan(&through); err != nil {
		return nil, 0, fmt.Errorf("read feed marks: %w", err)
	}
	seq := make(map[string]map[string]int64, len(r.order))
	for _, t := range r.order {
		rows, err := tx.QueryContext(ctx, "SELECT scope, MAX(_seq) FROM "+t.Name+" WHERE _seq IS NOT NULL GROUP BY scope")
		if err != nil {
			return nil, 0, fmt.Errorf("read feed marks of %s: %w", t.Name, err)
		}
		byScope := map[string]int64{}
		for rows.Next() {
			var s string
			var n int64
			if err := rows.Scan(&s, &n); err != nil {
				rows.Close()
				return nil, 0, fmt.Errorf("read feed marks of %s: %w", t.Name, err)
			}
			byScope[s] = n
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, 0, fmt.Errorf("read feed marks of %s: %w", t.Name, err)
		}
		seq[t.Name] = byScope
	}
	return seq, through, nil
}

// view returns the marks a reader of the given scopes (nil: all) needs,
// or nil when the reader must probe every pair: the marks are off or
// invalid, another build happened since the reader's ensureMarks returned
// builds (its snapshot may predate that build), or they do not hold
// through last, the last number the reader's snapshot sees.
func (m *feedMarks) view(builds uint64, last int64, tables []*table, scopes []string) *markView {
	if m.off.Load() {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.valid || m.builds != builds || builds == 0 || m.through < last {
		return nil
	}
	v := &markView{seq: make(map[markKey]int64, len(tables)*max(len(scopes), 1))}
	for _, t := range tables {
		byScope := m.seq[t.Name]
		if scopes == nil {
			var top int64
			for _, n := range byScope {
				top = max(top, n)
			}
			v.seq[markKey{table: t.Name}] = top
			continue
		}
		for _, s := range scopes {
			if n := byScope[s]; n > 0 {
				v.seq[markKey{t.Name, s}] = n
			}
		}
	}
	return v
}

// mark notes, on the hub, that the write stored a row of table in scope
// with the number seq, for the marks after commit.
func (w *writeTx) mark(table, scope string, seq int64) {
	if w.marked == nil {
		w.marked = map[markKey]int64{}
	}
	k := markKey{table, scope}
	w.marked[k] = max(w.marked[k], seq)
}

// committed raises the marks with what the write w stored, and moves
// through to last, the last number given now; begun is the last number in
// the file as the write began (catchUp), which through must equal, or
// another process committed numbers the marks lack and they are dropped.
// Call it under writeMu, after the commit.
func (m *feedMarks) committed(w *writeTx, begun, last int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.valid {
		return
	}
	if m.through != begun {
		m.valid = false
		return
	}
	for k, n := range w.marked {
		byScope := m.seq[k.table]
		if byScope == nil {
			byScope = map[string]int64{}
			m.seq[k.table] = byScope
		}
		byScope[k.scope] = max(byScope[k.scope], n)
	}
	m.through = last
}
