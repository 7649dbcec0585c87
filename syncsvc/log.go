package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
)

// ackKey is the position up to which the hub has acknowledged this
// office's log.
const ackKey = "acked"

func (r *Replica) scanChanges(rows *sql.Rows) ([]Change, error) {
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var ch Change
		var id string
		var data []byte
		if err := rows.Scan(&ch.Seq, &ch.Table, &id, &ch.Scope, &data, &ch.MovedTo); err != nil {
			return nil, err
		}
		var err error
		if ch.ID, err = uuid.Parse(id); err != nil {
			return nil, fmt.Errorf("change %d: id: %w", ch.Seq, err)
		}
		if len(data) == 0 { // a departure carries no fields
			out = append(out, ch)
			continue
		}
		if ch.Fields, err = decodeFields(r.tables[ch.Table], data, true); err != nil {
			return nil, fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}

// lastSeqQuery reads the highest sequence number ever given, which stays
// when compaction removes old entries.
// On the hub it is the district sequence kept in meta.
const lastSeqQuery = "SELECT " + lastSeqExpr

// lastSeqExpr is lastSeqQuery's value, for queries that read it with more.
const lastSeqExpr = `MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0),
	COALESCE((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'seq'), 0))`

const changeCols = "seq, tbl, id, scope, data, COALESCE(moved_to, '')"

// Outbox returns up to limit of this replica's own changes that the hub has
// not acknowledged, oldest first, and no more of them than fit in
// OutboxPageBytes on the wire; the first always comes, however large, so
// that the hub can judge it (and refuse it alone) rather than the outbox
// stopping at it.
func (r *Replica) Outbox(ctx context.Context, limit int) ([]Change, error) {
	acked, err := r.Position(ctx, ackKey)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return r.outboxAfter(ctx, acked, limit)
}

// outboxAfter is Outbox from the given position of the log: the agent
// pushes batch after batch before it stores how far the hub acknowledged.
func (r *Replica) outboxAfter(ctx context.Context, after int64, limit int) ([]Change, error) {
	rows, err := r.rdb.QueryContext(ctx, "SELECT "+changeCols+" FROM changes WHERE local = 1 AND seq > ? ORDER BY seq LIMIT ?", after, limit)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	chs, err := r.scanChanges(rows)
	if err != nil {
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	size := 0
	for i, ch := range chs {
		size += wireBytes(ch)
		if i > 0 && size > OutboxPageBytes {
			return chs[:i], nil
		}
	}
	return chs, nil
}

// OutboxLen returns the number of changes waiting in the outbox.
func (r *Replica) OutboxLen(ctx context.Context) (int, error) {
	acked, err := r.Position(ctx, ackKey)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return r.outboxLenAfter(ctx, acked)
}

// outboxLenAfter is OutboxLen from the given position of the log (see
// outboxAfter).
func (r *Replica) outboxLenAfter(ctx context.Context, after int64) (int, error) {
	var n int
	err := r.rdb.QueryRowContext(ctx, "SELECT COUNT(*) FROM changes WHERE local = 1 AND seq > ?", after).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count outbox: %w", err)
	}
	return n, nil
}

// Acknowledge records that the hub has made this replica's changes up to
// seq durable; they leave the outbox. An older acknowledgement never moves
// the position back.
func (r *Replica) Acknowledge(ctx context.Context, seq int64) error {
	err := r.write(ctx, func(w *writeTx) error { return w.setPosition(ackKey, seq) })
	if err != nil {
		return fmt.Errorf("acknowledge %d: %w", seq, err)
	}
	return nil
}

// Position returns a stored position (see ApplyOptions.Source), zero when
// none is stored.
func (r *Replica) Position(ctx context.Context, key string) (int64, error) {
	var seq int64
	err := r.rdb.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM positions WHERE key = ?", key).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("read position %s: %w", key, err)
	}
	return seq, nil
}

// LastSeq returns the highest sequence number in the log.
func (r *Replica) LastSeq(ctx context.Context) (int64, error) {
	var seq int64
	if err := r.rdb.QueryRowContext(ctx, lastSeqQuery).Scan(&seq); err != nil {
		return 0, fmt.Errorf("read last sequence: %w", err)
	}
	return seq, nil
}

// ChangesPage is one page of the log.
type ChangesPage struct {
	Changes []Change
	// Next is the position to ask from next time: every change up to it
	// in the requested scopes is in this page or an earlier one.
	Next int64
	// More reports that changes above Next were left for the next page.
	More bool
}

// ChangesSince returns up to limit changes above seq in the given scopes
// (all scopes when scopes is nil), in sequence order, however many bytes
// they take (the hub's Pull bounds its pages: ChangesSinceWithin). Its cost
// is in proportion to the changes returned, not to the size of the data:
// each scope is read through a (scope, seq) index.
//
// On an office these are the entries of its log. On the hub they are its
// district feed: each record whose last change is above seq, whole, with
// its place in the sequence (a record changed twice since is sent once),
// and the departures of records that left a scope.
func (r *Replica) ChangesSince(ctx context.Context, seq int64, scopes []string, limit int) (ChangesPage, error) {
	return r.ChangesSinceWithin(ctx, seq, scopes, limit, 0)
}

// ChangesSinceWithin is ChangesSince with a page bounded by maxBytes on the
// wire as well as by limit changes: a page ends before the change that
// would take it over maxBytes, so a large record goes in a page of its
// own. A record that alone is larger than maxBytes (stored before the
// size limits, since the hub refuses such a change) could never be sent:
// it is left out of the feed, with a warning in the log naming its table
// and id only, and the page goes on past it, so that it never stops the
// feed. Editing it smaller at the hub sends it again. A maxBytes of zero
// or less bounds nothing.
//
// On the hub, the records whose place in the sequence lies in held (at
// most MaxHeldRanges ranges) are left out of the feed: the reader holds
// them as they stand (see Hub.Pull). Departures are never left out.
func (r *Replica) ChangesSinceWithin(ctx context.Context, seq int64, scopes []string, limit, maxBytes int, held ...SeqRange) (ChangesPage, error) {
	if limit <= 0 {
		limit = 1000
	}
	if maxBytes <= 0 {
		maxBytes = math.MaxInt
	}
	builds := r.ensureMarks(ctx) // before the snapshot: see feedMarks
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return ChangesPage{}, fmt.Errorf("read changes: %w", err)
	}
	defer tx.Rollback()
	var last, compacted int64
	if err := tx.QueryRowContext(ctx, lastSeqQuery).Scan(&last); err != nil {
		return ChangesPage{}, fmt.Errorf("read changes: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM positions WHERE key = ?", compactedKey).Scan(&compacted); err != nil {
		return ChangesPage{}, fmt.Errorf("read changes: %w", err)
	}
	if seq < compacted {
		return ChangesPage{}, fmt.Errorf("changes since %d (log compacted through %d): %w", seq, compacted, ErrSnapshotRequired)
	}
	if seq >= last {
		// Nothing was numbered since: an office polling with nothing to
		// pull costs no query of the records.
		return ChangesPage{Next: seq, Changes: []Change{}}, nil
	}
	own := namedCommunities(scopes)
	if scopes, err = expandScopes(ctx, tx, scopes); err != nil {
		return ChangesPage{}, fmt.Errorf("read changes: %w", err)
	}
	// One query per scope, each bounded by the page size, then merged.
	const q = "SELECT " + changeCols + " FROM changes WHERE %s seq > ? AND seq <= ? ORDER BY seq LIMIT ?"
	var all []Change
	var argsets [][]any
	if scopes == nil {
		argsets = append(argsets, []any{seq, last, limit + 1})
	}
	for _, s := range dedupe(scopes) {
		argsets = append(argsets, []any{s, seq, last, limit + 1})
	}
	for _, args := range argsets {
		where := ""
		if len(args) == 4 {
			where = "scope = ? AND"
		}
		rows, err := tx.QueryContext(ctx, fmt.Sprintf(q, where), args...)
		if err != nil {
			return ChangesPage{}, fmt.Errorf("read changes: %w", err)
		}
		chs, err := r.scanChanges(rows)
		if err != nil {
			return ChangesPage{}, fmt.Errorf("read changes: %w", err)
		}
		all = append(all, chs...)
	}
	if r.role == RoleHub {
		marks := r.marks.view(builds, last, r.order, scopes)
		feed, err := r.feed(ctx, tx, seq, last, scopes, own, held, marks, limit+1)
		if err != nil {
			return ChangesPage{}, fmt.Errorf("read changes: %w", err)
		}
		all = append(all, feed...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Seq < all[j].Seq })
	page := ChangesPage{Next: max(seq, last), Changes: make([]Change, 0, min(len(all), limit))}
	size := 0
	for i, ch := range all {
		if i == limit {
			page.More, page.Next = true, all[i-1].Seq
			break
		}
		n := wireBytes(ch)
		if n > maxBytes {
			r.log.Warn("record too large to send, left out of the feed", "table", ch.Table, "id", ch.ID, "bytes", n, "page_bytes", maxBytes)
			continue
		}
		if size+n > maxBytes {
			page.More, page.Next = true, all[i-1].Seq
			break
		}
		page.Changes = append(page.Changes, ch)
		size += n
	}
	return page, nil
}

func dedupe(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	j := 0
	for i, s := range out {
		if i == 0 || s != out[j-1] {
			out[j] = s
			j++
		}
	}
	return out[:j]
}

// SnapshotCursor marks where a snapshot continues: after record ID of
// record type Table. The zero cursor starts at the beginning.
type SnapshotCursor struct {
	Table string
	ID    string
}

// SnapshotPage is one chunk of a snapshot.
type SnapshotPage struct {
	// Seq is the log position the snapshot stands at: every change up to
	// it is reflected in the records. A new replica loads every page, then
	// pulls changes above Seq. Pages read later may reflect later changes
	// too; applying those again is harmless, as merging is idempotent.
	Seq int64
	// Records are the records, each as a change holding all its fields.
	Records []Change
	// Next is where the following page starts; Done reports the last page.
	Next SnapshotCursor
	Done bool
}

// Snapshot returns up to limit records in the given scopes (district data
// included only when "district" is among them), in a fixed order, starting
// after cursor, however many bytes they take (the hub's Snapshot bounds its
// pages: SnapshotWithin). Voided records are included, so that a void reaches a
// new replica too. Seq is read in the same transaction as the records.
func (r *Replica) Snapshot(ctx context.Context, scopes []string, cursor SnapshotCursor, limit int) (SnapshotPage, error) {
	return r.SnapshotWithin(ctx, scopes, cursor, limit, 0)
}

// SnapshotWithin is Snapshot with a page bounded by maxBytes on the wire as
// well as by limit records: a page ends before the record that would take
// it over maxBytes. A record that alone is larger than maxBytes is left out,
// with a warning in the log naming its table and id only, as
// ChangesSinceWithin leaves it out of the feed. A maxBytes of zero or less
// bounds nothing.
func (r *Replica) SnapshotWithin(ctx context.Context, scopes []string, cursor SnapshotCursor, limit, maxBytes int) (SnapshotPage, error) {
	if limit <= 0 {
		limit = 1000
	}
	if maxBytes <= 0 {
		maxBytes = math.MaxInt
	}
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return SnapshotPage{}, fmt.Errorf("snapshot: %w", err)
	}
	defer tx.Rollback()
	var page SnapshotPage
	if err := tx.QueryRowContext(ctx, lastSeqQuery).Scan(&page.Seq); err != nil {
		return SnapshotPage{}, fmt.Errorf("snapshot: %w", err)
	}
	own := namedCommunities(scopes)
	if scopes, err = expandScopes(ctx, tx, scopes); err != nil {
		return SnapshotPage{}, fmt.Errorf("snapshot: %w", err)
	}
	scopes = dedupe(scopes)
	ph := strings.TrimSuffix(strings.Repeat("?,", len(scopes)), ",")
	started := cursor.Table == ""
	size := 0
	for _, t := range r.order {
		if !started && t.Name != cursor.Table {
			continue
		}
		after := ""
		if !started {
			after, started = cursor.ID, true
		}
		// The registry of communities is district data: a reader reads the
		// records naming its communities (registryClause).
		named, namedArgs := r.registryClause(t, districtScope, own)
		if named == "-" {
			continue
		}
		// Read ids a page's worth (and one) at a time: a record left out
		// for its size makes room for one more.
		for {
			want := limit - len(page.Records) + 1
			args := []any{after}
			for _, s := range scopes {
				args = append(args, s)
			}
			args = append(append(args, namedArgs...), want)
			q := fmt.Sprintf("SELECT id FROM %s WHERE id > ? AND scope IN (%s)%s ORDER BY id LIMIT ?", t.Name, ph, named)
			ids, err := queryIDs(ctx, tx, q, args...)
			if err != nil {
				return SnapshotPage{}, fmt.Errorf("snapshot %s: %w", t.Name, err)
			}
			for _, id := range ids {
				if len(page.Records) == limit {
					return page, nil
				}
				row, err := loadRow(ctx, tx, t, id)
				if err != nil {
					return SnapshotPage{}, err
				}
				rec := Change{Table: t.Name, ID: id, Scope: row.scope, Fields: row.fields()}
				n := wireBytes(rec)
				if n > maxBytes {
					r.log.Warn("record too large to send, left out of the snapshot", "table", t.Name, "id", id, "bytes", n, "page_bytes", maxBytes)
					page.Next, after = SnapshotCursor{Table: t.Name, ID: id.String()}, id.String()
					continue
				}
				if size+n > maxBytes {
					return page, nil
				}
				page.Records = append(page.Records, rec)
				page.Next, after = SnapshotCursor{Table: t.Name, ID: id.String()}, id.String()
				size += n
			}
			if len(ids) < want {
				break
			}
		}
	}
	page.Done, page.Next = true, SnapshotCursor{}
	return page, nil
}

// compactedKey is the position up to which the log has been compacted.
const compactedKey = "compacted"

// ErrSnapshotRequired: the changes above a cursor are no longer all in the
// log (it was compacted past the cursor); the reader must take a snapshot.
var ErrSnapshotRequired = errors.New("the log no longer reaches back to this position: take a new snapshot")

// CompactLog removes log entries made before the given time, except an
// office's entries the hub has not acknowledged. Readers whose cursor is
// older than what was removed are told to take a snapshot
// (ErrSnapshotRequired from ChangesSince). It returns how many entries
// went.
func (r *Replica) CompactLog(ctx context.Context, before time.Time) (int64, error) {
	var removed int64
	err := r.write(ctx, func(w *writeTx) error {
		var through int64
		err := w.QueryRowContext(ctx, "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE at < ?", before.UnixMilli()).Scan(&through)
		if err != nil {
			return err
		}
		if r.role == RoleOffice {
			acked, err := w.position(ackKey)
			if err != nil {
				return err
			}
			// The entry at the acknowledged position stays too: Hello's
			// tip is checked against it (epoch.go).
			through = min(through, acked-1)
		}
		res, err := w.exec("DELETE FROM changes WHERE seq <= ?", through)
		if err != nil {
			return err
		}
		removed, _ = res.RowsAffected()
		return w.setPosition(compactedKey, through)
	})
	if err != nil {
		return 0, fmt.Errorf("compact log: %w", err)
	}
	return removed, nil
}

// feed reads, on the hub, the records of the given scopes whose last
// change lies in (after, last] and outside held, each whole, as changes in
// sequence order, at most limit from each table and scope. Of the registry
// of communities (ScopeRule.Names) it reads only the records naming one of
// own, the reader's own communities (registryClause). It reads only the
// tables and scopes that marks (nil: all) say can hold a record above
// after.
func (r *Replica) feed(ctx context.Context, q querier, after, last int64, scopes, own []string, held []SeqRange, marks *markView, limit int) ([]Change, error) {
	var out []Change
	// The held ranges are tested on the (scope, _seq) index's entries:
	// a record left out is never read.
	notHeld, heldArgs := heldClause(held)
	for _, t := range r.order {
		scopes, probe := marks.scopes(t.Name, scopes, after) // of this table
		if !probe {
			continue
		}
		clauses, argsets := r.feedClauses(t, scopes, own, after, last, notHeld, heldArgs, limit)
		for i, clause := range clauses {
			rows, err := scanRows(ctx, q, t, clause, argsets[i]...)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Name, err)
			}
			for _, row := range rows {
				out = append(out, Change{Seq: row.seq, Table: t.Name, ID: row.id, Scope: row.scope, Fields: row.fields()})
			}
		}
	}
	return out, nil
}

// feedClauses returns the feed's conditions on the table t, one query
// each, and their arguments: the records above after and at most last in
// scopes (all scopes when nil), without those notHeld leaves out, at most
// limit. The registry's records in the district scope are read through
// the index on their Names column ("+scope" keeps the planner off the
// (scope, _seq) index, which would read every community of the district to
// find an office's few).
func (r *Replica) feedClauses(t *table, scopes, own []string, after, last int64, notHeld string, heldArgs []any, limit int) ([]string, [][]any) {
	var clauses []string
	var argsets [][]any
	plain := scopes
	if t == r.registry && slices.Contains(scopes, districtScope) {
		plain = slices.DeleteFunc(slices.Clone(scopes), func(s string) bool { return s == districtScope })
		if named, args := r.registryClause(t, districtScope, own); named != "-" {
			clauses = append(clauses, "WHERE +scope = ?"+named+" AND _seq > ? AND _seq <= ?"+notHeld+" ORDER BY _seq LIMIT ?")
			argsets = append(argsets, slices.Concat([]any{districtScope}, args, []any{after, last}, heldArgs, []any{limit}))
		}
	}
	if plain == nil {
		clauses = append(clauses, "WHERE _seq > ? AND _seq <= ?"+notHeld+" ORDER BY _seq LIMIT ?")
		argsets = append(argsets, slices.Concat([]any{after, last}, heldArgs, []any{limit}))
	}
	for _, sc := range dedupe(plain) {
		clauses = append(clauses, "WHERE scope = ? AND _seq > ? AND _seq <= ?"+notHeld+" ORDER BY _seq LIMIT ?")
		argsets = append(argsets, slices.Concat([]any{sc, after, last}, heldArgs, []any{limit}))
	}
	return clauses, argsets
}

// registryClause returns, for the district scope of the registry of
// communities, the condition (" AND code IN (…)") and its arguments that
// keep a reader to the records naming its own communities, own
// (ScopeRule.Names); "-" when it has none, so reads no record of the type;
// "" for every other type and scope. Only its own: a scope set it comes to
// read later would not bring the records of the set's other communities,
// numbered long before its cursor.
func (r *Replica) registryClause(t *table, scope string, own []string) (string, []any) {
	if t != r.registry || scope != districtScope {
		return "", nil
	}
	var codes []any
	for _, c := range own {
		codes = append(codes, c)
	}
	if len(codes) == 0 {
		return "-", nil
	}
	return " AND " + quote(t.Scope.Names) + " IN (" + strings.TrimSuffix(strings.Repeat("?,", len(codes)), ",") + ")", codes
}

// namedCommunities returns the communities scopes name: each community
// scope, and each community of a scope set, without repeats.
func namedCommunities(scopes []string) []string {
	var codes []string
	for _, s := range scopes {
		if s != districtScope {
			codes = append(codes, ScopeCommunities(s)...)
		}
	}
	return dedupe(codes)
}
