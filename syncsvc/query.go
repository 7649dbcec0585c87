package syncsvc

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// Reader reads the records of a replica: a write transaction (Tx, its own
// writes included), a read-only snapshot (View), or the replica itself
// (Replica.Reader). A typed layer above the engine reads through it, so
// that one function serves a use case's reads inside and outside its
// transaction.
type Reader interface {
	// Get returns a record, voided or not; ErrNotFound when there is none.
	Get(typ string, id uuid.UUID) (Record, error)
	// Query returns the live records of a type that a clause selects. The
	// clause follows "WHERE _void IS NULL": a condition on the type's
	// columns ("cadre_id=? AND from_date<=?"), an ORDER BY or LIMIT, or
	// both ("branch_id=? ORDER BY held_on, id"); empty selects all. An
	// empty result is an empty slice, never nil.
	Query(typ, clause string, args ...any) ([]Record, error)
	// Scan calls fn with each live record a clause selects (as Query's),
	// read in place: fn must not keep cols after it returns.
	Scan(typ, clause string, args []any, fn func(cols Columns) error) error
	// QueryRow runs a read-only SQL query over the record tables (a count,
	// a grouping) and returns its one row.
	QueryRow(query string, args ...any) *sql.Row
	// QueryRows runs a read-only SQL query over the record tables.
	QueryRows(query string, args ...any) (*sql.Rows, error)
}

// liveClause returns the WHERE clause of Query.
func liveClause(clause string) string {
	clause = strings.TrimSpace(clause)
	switch {
	case clause == "":
		return "WHERE _void IS NULL"
	case strings.HasPrefix(clause, "ORDER") || strings.HasPrefix(clause, "LIMIT"):
		return "WHERE _void IS NULL " + clause
	}
	return "WHERE _void IS NULL AND " + clause
}

// Columns is one stored record read in place, without a Record's map:
// its id, whether it is voided, and each column's value by column name
// (a field of several columns is read column by column).
type Columns interface {
	// ID is the record's id.
	ID() uuid.UUID
	// Column is the value of a column: nil when unset, or when the record
	// type has no column of that name.
	Column(name string) any
	// VoidReason is why the record was voided; empty for a live record.
	VoidReason() string
}

// ID is the row's record id.
func (r *row) ID() uuid.UUID { return r.id }

// Column is a column's value, nil for a name the type does not declare.
func (r *row) Column(name string) any {
	i, ok := r.t.colIndex[name]
	if !ok {
		return nil
	}
	return r.vals[i]
}

// VoidReason is why the row's record was voided, "" when live.
func (r *row) VoidReason() string {
	s, _ := r.col(voidField).(string)
	return s
}

// scanRecords calls fn with the live rows a clause selects. Scan gives a
// record's values only, so its rows are read without their stamps and
// unknown fields, which a list of thousands of records would otherwise
// decode for nothing, into one row reused from record to record.
func (r *Replica) scanRecords(ctx context.Context, q querier, typ, clause string, args []any, fn func(Columns) error) error {
	t, err := r.table(typ)
	if err != nil {
		return err
	}
	rs, err := q.QueryContext(ctx, t.valuesQ+" "+liveClause(clause), args...)
	if err != nil {
		return fmt.Errorf("list %s: %w", typ, err)
	}
	defer rs.Close()
	rw := &row{t: t, exists: true, inDB: true, vals: make([]any, len(t.columns))}
	var id string
	dest := make([]any, len(t.columns)+1)
	dest[0] = &id
	for i := range t.columns {
		dest[i+1] = &rw.vals[i]
	}
	for rs.Next() {
		if err := rs.Scan(dest...); err != nil {
			return fmt.Errorf("list %s: %w", typ, err)
		}
		if rw.id, err = uuid.Parse(id); err != nil {
			return fmt.Errorf("list %s: id %q: %w", typ, id, err)
		}
		rw.convert()
		if err := fn(rw); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("list %s: %w", typ, err)
	}
	return nil
}

// queryRecords reads the live records a clause selects.
func (r *Replica) queryRecords(ctx context.Context, q querier, typ, clause string, args ...any) ([]Record, error) {
	t, err := r.table(typ)
	if err != nil {
		return nil, err
	}
	rows, err := scanRows(ctx, q, t, liveClause(clause), args...)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", typ, err)
	}
	out := make([]Record, len(rows))
	for i, row := range rows {
		out[i] = row.record()
	}
	return out, nil
}

// getRecord reads one record through q.
func (r *Replica) getRecord(ctx context.Context, q querier, typ string, id uuid.UUID) (Record, error) {
	t, err := r.table(typ)
	if err != nil {
		return Record{}, err
	}
	row, err := loadRow(ctx, q, t, id)
	if err != nil {
		return Record{}, err
	}
	if !row.exists {
		return Record{}, fmt.Errorf("%s %s: %w", typ, id, ErrNotFound)
	}
	return row.record(), nil
}

// Query is Reader.Query on the replica as it stands.
func (r *Replica) Query(ctx context.Context, typ, clause string, args ...any) ([]Record, error) {
	return r.queryRecords(ctx, r.rdb, typ, clause, args...)
}

// Reader returns the replica as a Reader bound to ctx: each call reads the
// replica as it stands then. Use View for several reads of one snapshot.
func (r *Replica) Reader(ctx context.Context) Reader { return replicaReader{ctx: ctx, r: r} }

type replicaReader struct {
	ctx context.Context
	r   *Replica
}

func (rr replicaReader) Get(typ string, id uuid.UUID) (Record, error) {
	return rr.r.getRecord(rr.ctx, rr.r.rdb, typ, id)
}

func (rr replicaReader) Query(typ, clause string, args ...any) ([]Record, error) {
	return rr.r.queryRecords(rr.ctx, rr.r.rdb, typ, clause, args...)
}

func (rr replicaReader) Scan(typ, clause string, args []any, fn func(Columns) error) error {
	return rr.r.scanRecords(rr.ctx, rr.r.rdb, typ, clause, args, fn)
}

func (rr replicaReader) QueryRow(query string, args ...any) *sql.Row {
	return rr.r.rdb.QueryRowContext(rr.ctx, query, args...)
}

func (rr replicaReader) QueryRows(query string, args ...any) (*sql.Rows, error) {
	return rr.r.rdb.QueryContext(rr.ctx, query, args...)
}

// View is a read-only snapshot of a replica: every read through it sees
// the replica as it stood when the view began, whatever is written
// meanwhile.
type View struct {
	ctx context.Context
	r   *Replica
	tx  *sql.Tx
}

// View runs fn over one read-only snapshot of the replica.
func (r *Replica) View(ctx context.Context, fn func(v *View) error) error {
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	return fn(&View{ctx: ctx, r: r, tx: tx})
}

// Get is Reader.Get in the snapshot.
func (v *View) Get(typ string, id uuid.UUID) (Record, error) {
	return v.r.getRecord(v.ctx, v.tx, typ, id)
}

// Query is Reader.Query in the snapshot.
func (v *View) Query(typ, clause string, args ...any) ([]Record, error) {
	return v.r.queryRecords(v.ctx, v.tx, typ, clause, args...)
}

// Scan is Reader.Scan in the snapshot.
func (v *View) Scan(typ, clause string, args []any, fn func(Columns) error) error {
	return v.r.scanRecords(v.ctx, v.tx, typ, clause, args, fn)
}

// QueryRow is Reader.QueryRow in the snapshot.
func (v *View) QueryRow(query string, args ...any) *sql.Row {
	return v.tx.QueryRowContext(v.ctx, query, args...)
}

// QueryRows is Reader.QueryRows in the snapshot.
func (v *View) QueryRows(query string, args ...any) (*sql.Rows, error) {
	return v.tx.QueryContext(v.ctx, query, args...)
}

// Context is the context the view was begun with.
func (v *View) Context() context.Context { return v.ctx }

// Query is Reader.Query within the transaction: records written earlier in
// it are seen as written.
func (tx *Tx) Query(typ, clause string, args ...any) ([]Record, error) {
	// Rows written earlier in this transaction may wait in its cache.
	if err := tx.w.flush(); err != nil {
		return nil, err
	}
	return tx.w.r.queryRecords(tx.w.ctx, tx.w, typ, clause, args...)
}

// Scan is Reader.Scan within the transaction, its writes included.
func (tx *Tx) Scan(typ, clause string, args []any, fn func(Columns) error) error {
	if err := tx.w.flush(); err != nil {
		return err
	}
	return tx.w.r.scanRecords(tx.w.ctx, tx.w, typ, clause, args, fn)
}

// QueryRow is Reader.QueryRow within the transaction, its writes included.
func (tx *Tx) QueryRow(query string, args ...any) *sql.Row {
	if err := tx.w.flush(); err != nil {
		// The failed flush aborts the transaction; the query reports it.
		return tx.w.tx.QueryRowContext(tx.w.ctx, query, args...)
	}
	return tx.w.QueryRowContext(tx.w.ctx, query, args...)
}

// QueryRows is Reader.QueryRows within the transaction, its writes included.
func (tx *Tx) QueryRows(query string, args ...any) (*sql.Rows, error) {
	if err := tx.w.flush(); err != nil {
		return nil, err
	}
	return tx.w.QueryContext(tx.w.ctx, query, args...)
}

// Context is the context the transaction was begun with.
func (tx *Tx) Context() context.Context { return tx.w.ctx }

// Now is the replica's clock reading, in Asia/Shanghai: what a rule checks
// a record as of.
func (tx *Tx) Now() time.Time { return tx.w.r.now().In(Shanghai()) }

// Role is the role of the replica the transaction writes.
func (tx *Tx) Role() Role { return tx.w.r.role }

// PutValid is Put for a typed layer that has checked the record with its
// type's rule before writing: the size limits of the values are checked
// (a *LimitError), the type's Validate is not asked again.
func (tx *Tx) PutValid(typ string, id uuid.UUID, values map[string]any) (bool, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return false, err
	}
	if _, ok := values[voidField]; ok {
		return false, fmt.Errorf("put %s %s: %w: use Void to void a record", typ, id, ErrInvalidChange)
	}
	if err := t.checkValuesBounds(values); err != nil {
		return false, fmt.Errorf("put %s %s: %w", typ, id, err)
	}
	changed, err := tx.w.put(t, id, values)
	if err != nil {
		return false, fmt.Errorf("put %s %s: %w", typ, id, err)
	}
	return changed, nil
}

// Prefetch reads the records of a type with the given ids into the
// transaction, 500 to a query, so that the writes and reads of them that
// follow (Put, PutValid, Get) ask the database nothing more: a batch of
// local writes read as Apply reads a batch of changes. It returns which
// of the ids a record holds, voided or not, as the transaction sees them.
func (tx *Tx) Prefetch(typ string, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return nil, err
	}
	if err := tx.w.prefetchRows(t, ids); err != nil {
		return nil, fmt.Errorf("prefetch %s: %w", typ, err)
	}
	stored := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		if r := tx.w.rows[rowKey{t.Name, id}]; r != nil && r.exists {
			stored[id] = true
		}
	}
	return stored, nil
}

// DistrictKey is Replica.DistrictKey within the transaction: on the hub a
// key is made and stored when there is none.
func (tx *Tx) DistrictKey() ([]byte, error) { return tx.w.districtKey() }

// OfficeScopes is Replica.OfficeScopes within the transaction.
func (tx *Tx) OfficeScopes() ([]string, error) {
	var v string
	err := tx.w.QueryRowContext(tx.w.ctx, "SELECT value FROM meta WHERE key='x:scopes'").Scan(&v)
	if err != nil && err != sql.ErrNoRows {
		return nil, fmt.Errorf("read the office's communities: %w", err)
	}
	return parseScopes(v), nil
}

// Resubmit is Replica.Resubmit within the transaction, with values to
// write over the record's own (a corrected record sent again in one
// change); nil values resend the record as it is.
func (tx *Tx) Resubmit(typ string, id uuid.UUID, values map[string]any) (ResubmitResult, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return ResubmitResult{}, err
	}
	return tx.w.resubmit(t, id, values)
}

// Stamps returns the stamps of a record's fields in the snapshot, by field
// name; a field never written has none. ErrNotFound when there is no such
// record.
func (v *View) Stamps(typ string, id uuid.UUID) (map[string]Stamp, error) {
	t, err := v.r.table(typ)
	if err != nil {
		return nil, err
	}
	row, err := loadRow(v.ctx, v.tx, t, id)
	if err != nil {
		return nil, err
	}
	return row.stampsByName(typ)
}

// Release writes what the transaction has written so far to the database
// and forgets it: the records it read and wrote, which a later read reads
// again from the database, where the transaction's writes now are. A
// transaction that writes many batches (an import) releases between them,
// so that it holds one batch in memory, not all of them. Nothing is
// committed: the writes stay part of the transaction, committed or undone
// with it.
func (tx *Tx) Release() error {
	if err := tx.w.flush(); err != nil {
		return err
	}
	if err := tx.w.flushLog(); err != nil {
		return err
	}
	// Every row is stored now: the cache holds nothing the database does
	// not (a record dropped here is deleted there too).
	clear(tx.w.rows)
	return nil
}

// Stamps is View.Stamps within the transaction, its writes included; a
// record it prefetched is not read again.
func (tx *Tx) Stamps(typ string, id uuid.UUID) (map[string]Stamp, error) {
	t, err := tx.w.r.table(typ)
	if err != nil {
		return nil, err
	}
	row, err := tx.w.row(t, id)
	if err != nil {
		return nil, err
	}
	return row.stampsByName(typ)
}

// stampsByName is Stamps of the row; ErrNotFound when it is not stored.
func (r *row) stampsByName(typ string) (map[string]Stamp, error) {
	if !r.exists {
		return nil, fmt.Errorf("%s %s: %w", typ, r.id, ErrNotFound)
	}
	out := make(map[string]Stamp, len(r.t.Fields))
	for i, f := range r.t.Fields {
		if st := r.stamps[i].Stamp; !st.IsZero() {
			out[f.Name] = st
		}
	}
	return out, nil
}

// EachStamps calls fn, in id order, for every live record of typ with the
// stamps of its fields by field name (a field never written has none), as
// Stamps gives them for one record, reading the stamps only. The map is
// reused from one call to the next: copy what you keep. An error from fn
// stops the walk and is returned.
func (v *View) EachStamps(typ string, fn func(id uuid.UUID, stamps map[string]Stamp) error) error {
	t, err := v.r.table(typ)
	if err != nil {
		return err
	}
	return v.eachStamps(t, make(map[string]Stamp, len(t.Fields)), "ORDER BY id", nil, fn)
}

// EachStampsOf is EachStamps for the live records of typ among ids only,
// in id order, read in one query per 500 ids; an id of no live record is
// passed over.
func (v *View) EachStampsOf(typ string, ids []uuid.UUID, fn func(id uuid.UUID, stamps map[string]Stamp) error) error {
	t, err := v.r.table(typ)
	if err != nil {
		return err
	}
	out := make(map[string]Stamp, len(t.Fields))
	for start := 0; start < len(ids); start += idChunk {
		list, err := json.Marshal(ids[start:min(start+idChunk, len(ids))])
		if err != nil {
			return fmt.Errorf("stamps of %s: %w", typ, err)
		}
		if err := v.eachStamps(t, out, "id IN (SELECT value FROM json_each(?)) ORDER BY id", []any{string(list)}, fn); err != nil {
			return err
		}
	}
	return nil
}

// idChunk is how many ids EachStampsOf asks for in one query.
const idChunk = 500

// eachStamps is EachStamps over the live records clause selects, with out
// the map it reuses.
func (v *View) eachStamps(t *table, out map[string]Stamp, clause string, args []any, fn func(id uuid.UUID, stamps map[string]Stamp) error) error {
	typ := t.Name
	rs, err := v.tx.QueryContext(v.ctx, "SELECT id,_stamps FROM "+t.Name+" "+liveClause(clause), args...)
	if err != nil {
		return fmt.Errorf("stamps of %s: %w", typ, err)
	}
	defer rs.Close()
	for rs.Next() {
		var id string
		var stamps []byte
		if err := rs.Scan(&id, &stamps); err != nil {
			return fmt.Errorf("stamps of %s: %w", typ, err)
		}
		rid, err := uuid.Parse(id)
		if err != nil {
			return fmt.Errorf("%s: id %q: %w", typ, id, err)
		}
		fs, err := decodeFields(t, stamps, false)
		if err != nil {
			return fmt.Errorf("stamps of %s %s: %w", typ, rid, err)
		}
		clear(out)
		for _, f := range fs {
			if _, ok := t.pos[f.Name]; ok && !f.Stamp.IsZero() {
				out[f.Name] = f.Stamp
			}
		}
		if err := fn(rid, out); err != nil {
			return err
		}
	}
	if err := rs.Err(); err != nil {
		return fmt.Errorf("stamps of %s: %w", typ, err)
	}
	return nil
}

// OfficeOfNode names, on the hub, the office a node said Hello for; ""
// when the hub has not met the node.
func (v *View) OfficeOfNode(node NodeID) (string, error) {
	var office string
	err := v.tx.QueryRowContext(v.ctx, "SELECT office_id FROM office_nodes WHERE node=?", node.String()).Scan(&office)
	if err == sql.ErrNoRows {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("office of node %s: %w", node, err)
	}
	return office, nil
}
