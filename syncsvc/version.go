package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"
)

// Version returns a number that changes whenever a transaction that wrote
// anything is committed to the replica's file, by this process or by
// another: SQLite's data_version, read on a connection kept for it alone.
// Two calls that return the same number saw nothing committed between
// them, so what was read in between still stands; a reader that keeps
// what it read across requests (the office desk's lists of every cadre)
// asks before each use and reads again when the number moved. Numbers from
// two replicas, or from two openings of one file, are not comparable.
func (r *Replica) Version(ctx context.Context) (int64, error) {
	r.version.mu.Lock()
	defer r.version.mu.Unlock()
	// Close marks the replica closed before it closes the connection
	// (under mu): a call after that must not open it again.
	if r.isClosed() {
		return 0, ErrClosed
	}
	v, err := r.version.read(ctx)
	if err != nil {
		return 0, fmt.Errorf("read the replica's version: %w", err)
	}
	return v, nil
}

// versionReader keeps the one connection Version asks. It is opened on
// first use and never replaced: data_version counts per connection, so a
// number read on another connection could equal an old one by chance. A
// connection that fails keeps failing, and Version with it (a reader then
// reads afresh), rather than answer wrong.
type versionReader struct {
	dsn  string // the readers' DSN
	mu   sync.Mutex
	db   *sql.DB
	conn *sql.Conn
}

// read reads data_version; the caller holds mu.
func (vr *versionReader) read(ctx context.Context) (int64, error) {
	if vr.conn == nil {
		if vr.db == nil {
			db, err := sql.Open("sqlite3", vr.dsn)
			if err != nil {
				return 0, err
			}
			db.SetMaxOpenConns(1)
			vr.db = db
		}
		conn, err := vr.db.Conn(ctx)
		if err != nil {
			return 0, err
		}
		vr.conn = conn
	}
	var v int64
	err := vr.conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v)
	return v, err
}

// close closes the connection and its pool.
func (vr *versionReader) close() error {
	vr.mu.Lock()
	defer vr.mu.Unlock()
	var first error
	if vr.conn != nil {
		first = vr.conn.Close()
	}
	if vr.db != nil {
		if err := vr.db.Close(); err != nil && first == nil {
			first = err
		}
	}
	vr.conn, vr.db = nil, nil
	return first
}

// countCommitQuery counts a write transaction in the file, as the last
// statement before its commit, and returns its number (Commits).
const countCommitQuery = `INSERT INTO meta(key, value) VALUES('commits', 1)
	ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER)`

// Commits returns how many write transactions this program's writes have
// committed to the replica's file, in this process or any other: each
// write counts itself, as its last statement, under the write lock, so
// the counts are gapless and each write's number (Commit.Number) is the
// count it left. With OnCommit it tells a reader that keeps what it read
// (the office desk's memo) which commits since were this process's own,
// and what they changed: a number it was not told of is another
// process's write. Writes by programs older than this count (none made by
// Open's migrations or declarations either) move Version but not this.
func (r *Replica) Commits(ctx context.Context) (int64, error) {
	var n int64
	err := r.rdb.QueryRowContext(ctx, "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'commits'").Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("read the replica's count of commits: %w", err)
	}
	return n, nil
}

// Commit is a write transaction this replica committed.
type Commit struct {
	// Number is the count of commits the write left (Commits).
	Number int64
	// Tables are the record types' tables whose rows it stored or deleted,
	// sorted; none for a write of the replica's own bookkeeping only (its
	// positions, its log).
	Tables []string
	// Records are, by table of Tables, the ids of the records the write
	// stored or deleted there, sorted, for a table whose ids are known and
	// at most MaxCommitRecords; a table of Tables not here (a bulk delete,
	// a batch of more) may have had any of its records changed: a reader
	// reads it whole again. Nil when no table's ids are given.
	Records map[string][]uuid.UUID
}

// MaxCommitRecords bounds the ids a Commit gives of one table
// (Commit.Records): a write that stores or deletes more records of a
// table than this gives none of its ids, and its readers read that table
// whole again, which then costs less than reading so many records one by
// one.
const MaxCommitRecords = 1000

// OnCommit registers fn to be called with every write transaction this
// replica commits after OnCommit returns, writes and applies alike, in
// commit order, after the commit. fn runs on the writer's goroutine, while
// the next write waits, and must return quickly. The returned function
// cancels it.
func (r *Replica) OnCommit(fn func(Commit)) (cancel func()) {
	return r.commits.add(fn)
}

// commitListeners are OnCommit's functions.
type commitListeners struct {
	mu   sync.Mutex
	next int
	fns  map[int]func(Commit)
}

func (l *commitListeners) add(fn func(Commit)) func() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fns == nil {
		l.fns = map[int]func(Commit){}
	}
	id := l.next
	l.next++
	l.fns[id] = fn
	return func() {
		l.mu.Lock()
		delete(l.fns, id)
		l.mu.Unlock()
	}
}

// listened reports whether any function is registered.
func (l *commitListeners) listened() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.fns) > 0
}

// tell calls every function with c.
func (l *commitListeners) tell(c Commit) {
	l.mu.Lock()
	fns := make([]func(Commit), 0, len(l.fns))
	for _, fn := range l.fns {
		fns = append(fns, fn)
	}
	l.mu.Unlock()
	for _, fn := range fns {
		fn(c)
	}
}
