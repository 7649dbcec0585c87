package syncsvc

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
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
