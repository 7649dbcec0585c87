package syncsvc

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/google/uuid"
	"github.com/mattn/go-sqlite3" // and registers the sqlite3 driver
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// internalTables are the replica's own tables; no record type may use their names.
var internalTables = map[string]bool{"meta": true, "changes": true, "positions": true}

// Role is what a replica is for. It is fixed when the database is created.
type Role string

// Roles.
const (
	// RoleOffice: an office's copy. Its log holds its own writes only; it
	// does not record conflicts (the hub does, and they sync down).
	RoleOffice Role = "office"
	// RoleHub: the district hub. It numbers every change it makes durable
	// with the district sequence (kept on the record's row, read by
	// ChangesSince), and records a conflict whenever two writes to one field
	// were concurrent.
	RoleHub Role = "hub"
)

// Options configure Open. The zero value opens an office replica with the
// built-in record types.
type Options struct {
	// Role is RoleOffice (the default) or RoleHub.
	Role Role
	// Types declares the record types beyond the engine's own (conflicts):
	// a typed layer's records (package syncsvc/store declares the
	// district's).
	Types []RecordType
	// OfficeAdded, when set, runs on the hub in the transaction that adds
	// an office (AddOffice), after its row is written; an error undoes the
	// addition. A typed layer checks and registers the office's communities
	// with it.
	OfficeAdded func(tx *Tx, o Office) error
	// Logger receives operational messages; nil discards them. No national
	// ID number or health detail is ever logged.
	Logger *slog.Logger
	// Now is the physical clock; nil means time.Now.
	Now func() time.Time
	// BusyTimeout is how long a write waits for another process's lock;
	// zero means 5 seconds.
	BusyTimeout time.Duration
	// Readers is the most connections that read the file at once; a read
	// past it waits for one. Each keeps a page cache of up to 16 MiB, so
	// the readers of a hub under load stay within Readers × 16 MiB. Zero
	// means DefaultReaders.
	Readers int
	// ReadOnly opens an existing replica for reading only, in SQLite's
	// read-only mode: nothing is created, migrated or written, and every
	// write is refused with ErrReadOnly. Open chooses it by itself for a
	// file it may not write, or one in a folder or on a medium it may not
	// write (see Replica.ReadOnly).
	ReadOnly bool
	// UpgradeBackups is the folder where Open writes a checked copy of a
	// replica made by an older program before it migrates it to this
	// program's schema; "" means the folder backups beside the replica.
	// The copy is named as Backup names its copies, with the schema it
	// keeps: wanxia-<role>-<time>-schema-<N>.db. No migration starts
	// unless the copy was written and checked.
	UpgradeBackups string
}

// Upgrade says how Open brought a replica made by an older program to
// this program's schema.
type Upgrade struct {
	// From and To are the schema versions before and after.
	From, To int
	// Backup is the checked copy of the replica as it was before.
	Backup string
}

// Replica is one node's SQLite copy of the data: typed tables for each
// record type, the stamps that merge them, and the change log. It is safe
// for use by many goroutines: reads run concurrently, writes one at a time.
type Replica struct {
	path string
	role Role
	node NodeID
	wdb  *sql.DB // BEGIN IMMEDIATE: every write transaction, one at a time
	rdb  *sql.DB // readers, concurrent under WAL
	log  *slog.Logger
	now  func() time.Time
	// officeAdded is Options.OfficeAdded.
	officeAdded func(tx *Tx, o Office) error
	clock       *clock
	seq         int64 // the hub's district sequence: the last number given; guarded by writeMu
	tables      map[string]*table
	order       []*table // declaration order, parents before children
	// registry is the type whose records name the district's communities
	// (ScopeRule.Names), nil when none is declared.
	registry *table

	writeMu   sync.Mutex
	subsMu    sync.Mutex
	subs      map[int]func([]Change)
	nextSub   int
	closeOnce sync.Once
	closeErr  error
	closed    chan struct{}
	readOnly  bool     // no wdb: every write is refused with ErrReadOnly
	upgrade   *Upgrade // set when Open migrated an older replica
	// offices keeps, on the hub, the offices Authenticate has read.
	offices officeCache
	// marksRead shares reads of the registry's mark among concurrent calls
	// of Authenticate.
	marksRead sharedRead[string]
	// nodeOwners keeps, on the hub, the office checkNode found each node
	// to belong to (NodeID to office id).
	nodeOwners sync.Map
	// hubKey keeps, on the hub, its district key once read ([]byte).
	hubKey atomic.Value
	// group commits the hub's records of syncs together.
	group groupCommit
	// version reads SQLite's data_version for Version.
	version versionReader
	// commits are OnCommit's functions.
	commits commitListeners
	// marks are, on the hub, the highest _seq of each record table by
	// scope, which spare the feed its empty reads (feedmarks.go).
	marks feedMarks
}

// Open opens the replica at path, creating it (file mode 0600) when it does
// not exist. It applies the embedded migrations, each in its own
// transaction, and refuses with ErrSchemaTooNew, without writing anything,
// a database made by a newer schema than this program knows.
//
// An existing file that cannot be written — its mode, its folder's (where
// SQLite keeps the -wal and -shm files beside it), or a read-only medium —
// or any file with Options.ReadOnly, is opened for reading only: reads
// work, writes return a *ReadOnlyError (ErrReadOnly). Such a file must
// have this program's schema already; one that needs an upgrade is refused
// with a *ReadOnlyError whose Upgrade is set.
func Open(ctx context.Context, path string, opts Options) (*Replica, error) {
	if opts.Role == "" {
		opts.Role = RoleOffice
	}
	if opts.Role != RoleOffice && opts.Role != RoleHub {
		return nil, fmt.Errorf("open replica %s: unknown role %q", path, opts.Role)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if opts.Readers <= 0 {
		opts.Readers = DefaultReaders
	}
	r := &Replica{path: path, role: opts.Role, log: opts.Logger, now: opts.Now, subs: map[int]func([]Change){}, closed: make(chan struct{})}
	if err := r.open(ctx, opts); err != nil {
		r.closeDBs()
		return nil, fmt.Errorf("open replica %s: %w", path, err)
	}
	r.log.Info("replica open", "path", path, "role", r.role, "node", r.node)
	return r, nil
}

func (r *Replica) open(ctx context.Context, opts Options) error {
	r.officeAdded = opts.OfficeAdded
	_, statErr := os.Stat(r.path)
	existed := statErr == nil
	if opts.ReadOnly || existed && !writable(r.path) {
		return r.openReadOnly(ctx, opts)
	}
	if err := createPrivate(r.path); err != nil {
		return err
	}
	err := r.openWritable(ctx, opts)
	if err != nil && existed && cannotWrite(err) {
		// The file may be written but not its folder (SQLite could not
		// make the -wal or -shm file): read it without writing.
		if cerr := r.closeDBs(); cerr != nil {
			return errors.Join(err, cerr)
		}
		r.wdb, r.rdb, r.tables, r.order, r.registry = nil, nil, nil, nil, nil
		return r.openReadOnly(ctx, opts)
	}
	return err
}

// openWritable opens the replica for reading and writing, creating,
// migrating and bringing its tables up to date.
func (r *Replica) openWritable(ctx context.Context, opts Options) error {
	// The hub writer's page cache is large (64 MiB), for merging big
	// batches; an office's is 16 MiB, as large as a reader's: its writes
	// are a clerk's and an import's batches, which run as fast with it
	// (BENCHMARKS.md, "Roster import"), and an office computer's memory is
	// not the hub's. Each reader's is 16 MiB, since a hub may have several
	// readers open (pulls, reports) and their caches add up.
	writerKiB := 16384
	if opts.Role == RoleHub {
		writerKiB = 65536
	}
	dsn := func(lock string, cacheKiB int) string {
		return fmt.Sprintf("file:%s?_journal_mode=WAL&_foreign_keys=on&_synchronous=FULL&_cache_size=-%d&_busy_timeout=%d&_txlock=%s&_stmt_cache_size=%d",
			escapePath(r.path), cacheKiB, opts.BusyTimeout.Milliseconds(), lock, stmtCacheSize)
	}
	var err error
	if r.wdb, err = sql.Open("sqlite3", dsn("immediate", writerKiB)); err != nil {
		return err
	}
	// Writes are serialized by writeMu and run on one connection, whose
	// page cache and prepared statements stay warm; a second is opened
	// only for a read through db() while a write is under way.
	r.wdb.SetMaxOpenConns(2)
	r.wdb.SetMaxIdleConns(2)
	if r.rdb, err = sql.Open("sqlite3", dsn("deferred", 16384)); err != nil {
		return err
	}
	limitReaders(r.rdb, opts.Readers)
	r.version.dsn = dsn("deferred", 64)
	if err := r.migrate(ctx, opts.UpgradeBackups); err != nil {
		return err
	}
	if err := r.loadMeta(ctx, opts.Role); err != nil {
		return err
	}
	return r.declare(ctx, append(builtinTypes(), opts.Types...))
}

// openReadOnly opens an existing replica in SQLite's read-only mode (see
// readOnlyDSN): nothing is created or written, and the file must need no
// migration nor a new table or column.
func (r *Replica) openReadOnly(ctx context.Context, opts Options) error {
	if err := regularFile(r.path); err != nil {
		return err
	}
	r.readOnly = true
	var err error
	dsn := readOnlyDSN(r.path) + fmt.Sprintf("&_foreign_keys=on&_cache_size=-16384&_busy_timeout=%d&_stmt_cache_size=%d", opts.BusyTimeout.Milliseconds(), stmtCacheSize)
	if r.rdb, err = sql.Open("sqlite3", dsn); err != nil {
		return err
	}
	limitReaders(r.rdb, opts.Readers)
	r.version.dsn = dsn
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	var version int
	if err := r.rdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	switch {
	case version > len(ms):
		return &SchemaTooNewError{Path: r.path, File: version, Program: len(ms)}
	case version < len(ms):
		return &ReadOnlyError{Path: r.path, Upgrade: true}
	}
	if err := r.loadMeta(ctx, opts.Role); err != nil {
		return err
	}
	return r.declare(ctx, append(builtinTypes(), opts.Types...))
}

// stmtCacheSize is how many prepared statements each connection keeps
// for reuse: a sync call runs a few dozen statements of fixed text (the
// feed reads each record type in each scope), and preparing each anew
// cost the hub about a tenth of its CPU time at 500 offices syncing at
// once (BENCHMARKS.md, "The hub at scale").
const stmtCacheSize = 128

// DefaultReaders is how many connections read a replica at once when
// Options.Readers is zero: as many as the hub works on calls at once with
// its default limits on two CPUs (transport.DefaultLimits).
const DefaultReaders = 8

// limitReaders bounds the readers' pool and keeps its connections open,
// so that a burst of reads neither opens a connection per read (each
// reads the schema) nor holds more page caches than n.
func limitReaders(db *sql.DB, n int) {
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
}

// ReadOnly reports whether the replica was opened for reading only, and so
// refuses every write with ErrReadOnly.
func (r *Replica) ReadOnly() bool { return r.readOnly }

// writable reports whether this process may open the file at path for
// writing: false for a file whose mode forbids it or on a read-only medium.
func writable(path string) bool {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return !errors.Is(err, fs.ErrPermission) && !errors.Is(err, syscall.EROFS)
	}
	return f.Close() == nil
}

// cannotWrite reports whether SQLite failed for want of writing the file or
// the files beside it.
func cannotWrite(err error) bool {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen || se.Code == sqlite3.ErrPerm
	}
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// createPrivate creates the database file with mode 0600 before SQLite
// does, so that it (and the -wal and -shm files SQLite gives the same mode)
// is readable by its owner only.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// escapePath escapes what a SQLite URI filename reserves.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// migrations returns the embedded migrations in order; version N is the
// N-th file.
func migrations() ([]string, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]string, len(names))
	for i, n := range names {
		b, err := migrationFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out[i] = string(b)
	}
	return out, nil
}

// SchemaVersion is the schema version this program writes.
func SchemaVersion() int { return schemaVersion() }

// schemaVersion counts the migrations once: every Hello asks.
var schemaVersion = sync.OnceValue(func() int {
	m, _ := migrations()
	return len(m)
})

// migrate brings the file to this program's schema, each migration in its
// own transaction. A file made by an older program (a schema above 0, below
// this program's) is first copied into backupDir and the copy checked.
// Each transaction reads the version again under the write lock, so that
// two processes opening one old file at once migrate it once.
func (r *Replica) migrate(ctx context.Context, backupDir string) error {
	ms, err := migrations()
	if err != nil {
		return fmt.Errorf("read migrations: %w", err)
	}
	var version int
	if err := r.rdb.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version > len(ms) {
		return &SchemaTooNewError{Path: r.path, File: version, Program: len(ms)}
	}
	if version > 0 && version < len(ms) {
		backup, err := r.backupBeforeUpgrade(ctx, version, backupDir)
		if err != nil {
			return fmt.Errorf("back up before upgrading schema %d to %d: %w", version, len(ms), err)
		}
		r.upgrade = &Upgrade{From: version, To: len(ms), Backup: backup}
		r.log.Info("replica upgraded", "path", r.path, "from", version, "to", len(ms), "backup", backup)
	}
	for v := version; v < len(ms); v++ {
		if err := r.migrateTo(ctx, v+1, ms[v]); err != nil {
			return fmt.Errorf("migration %d: %w", v+1, err)
		}
	}
	return nil
}

// migrateTo runs migration v (its statements stmts) unless another
// process ran it first.
func (r *Replica) migrateTo(ctx context.Context, v int, stmts string) error {
	tx, err := r.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have >= v {
		return nil
	}
	if _, err := tx.ExecContext(ctx, stmts); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return err
	}
	return tx.Commit()
}

// backupBeforeUpgrade writes a consistent copy of the replica, still at
// schema version, into dir (default: backups beside it) and checks it.
func (r *Replica) backupBeforeUpgrade(ctx context.Context, version int, dir string) (string, error) {
	if dir == "" {
		dir = filepath.Join(filepath.Dir(r.path), "backups")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	var role string
	if err := r.rdb.QueryRowContext(ctx, "SELECT value FROM meta WHERE key = 'role'").Scan(&role); err != nil {
		return "", fmt.Errorf("read role: %w", err)
	}
	path, err := createFree(dir, fmt.Sprintf("wanxia-%s-%s-schema-%d", role, r.now().UTC().Format("20060102-150405.000"), version), ".db")
	if err != nil {
		return "", err
	}
	if _, err := r.rdb.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		removeDBFiles(path)
		return "", err
	}
	if err := verifyCopy(ctx, path, 0); err != nil {
		removeDBFiles(path)
		return "", fmt.Errorf("check %s: %w", path, err)
	}
	return path, nil
}

// Upgraded reports how Open migrated this replica from an older program's
// schema, with the copy it kept first; nil when it did not (a new file, or
// one already at this program's schema).
func (r *Replica) Upgraded() *Upgrade {
	return r.upgrade
}

// execTx runs statements in one write transaction.
func (r *Replica) execTx(ctx context.Context, stmts ...string) error {
	tx, err := r.wdb.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, s := range stmts {
		if _, err := tx.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func (r *Replica) loadMeta(ctx context.Context, role Role) error {
	tx, err := r.db().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	meta := map[string]string{}
	rows, err := tx.QueryContext(ctx, "SELECT key, value FROM meta")
	if err != nil {
		return err
	}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			rows.Close()
			return err
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	if meta["node"] == "" && r.readOnly {
		return &ReadOnlyError{Path: r.path, Upgrade: true}
	}
	if meta["node"] == "" {
		meta["node"], meta["role"], meta["hlc"] = uuid.Must(uuid.NewV7()).String(), string(role), "0"
		for _, k := range []string{"node", "role", "hlc"} {
			if _, err := tx.ExecContext(ctx, "INSERT INTO meta(key, value) VALUES(?, ?)", k, meta[k]); err != nil {
				return err
			}
		}
	}
	if Role(meta["role"]) != role {
		return fmt.Errorf("%w: it is a %s replica, opened as %s", ErrRoleMismatch, meta["role"], role)
	}
	node, err := uuid.Parse(meta["node"])
	if err != nil {
		return fmt.Errorf("node id in meta: %w", err)
	}
	hlc, err := strconv.ParseInt(meta["hlc"], 10, 64)
	if err != nil {
		return fmt.Errorf("clock in meta: %w", err)
	}
	r.node = node
	r.clock = &clock{now: r.now, node: node, last: hlc}
	if r.seq, err = strconv.ParseInt(meta["seq"], 10, 64); meta["seq"] != "" && err != nil {
		return fmt.Errorf("sequence in meta: %w", err)
	}
	return tx.Commit()
}

// declare compiles the record types and brings their tables up to date:
// missing tables, columns and indexes are added; nothing is ever dropped,
// so data written by a newer program survives.
func (r *Replica) declare(ctx context.Context, types []RecordType) error {
	r.tables = map[string]*table{}
	for _, rt := range types {
		t, err := compileTable(rt)
		if err != nil {
			return err
		}
		if _, dup := r.tables[t.Name]; dup {
			return fmt.Errorf("%w: record type %s declared twice", ErrInvalidType, t.Name)
		}
		if t.Scope.Names != "" {
			if r.registry != nil {
				return fmt.Errorf("%w: record types %s and %s both name the communities", ErrInvalidType, r.registry.Name, t.Name)
			}
			r.registry = t
		}
		r.tables[t.Name] = t
		r.order = append(r.order, t)
	}
	for _, t := range r.order {
		if p := t.Scope.ParentType; p != "" {
			parent, ok := r.tables[p]
			if !ok || parent == t {
				return fmt.Errorf("%w: record type %s: parent type %q is not declared", ErrInvalidType, t.Name, p)
			}
			parent.children = append(parent.children, t)
		}
		if err := r.reconcile(ctx, t); err != nil {
			return fmt.Errorf("create table %s: %w", t.Name, err)
		}
		if err := r.numberFields(ctx, t); err != nil {
			return fmt.Errorf("number the fields of %s: %w", t.Name, err)
		}
	}
	return nil
}

func (r *Replica) reconcile(ctx context.Context, t *table) error {
	stmts := []string{t.createSQL()}
	have := map[string]bool{}
	rows, err := r.db().QueryContext(ctx, "SELECT name FROM pragma_table_info(?)", t.Name)
	if err != nil {
		return err
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		have[n] = true
	}
	rows.Close()
	for _, c := range t.columns {
		if !have[c.Name] {
			stmts = append(stmts, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", t.Name, quote(c.Name), c.Type.sql()))
		}
	}
	if r.readOnly {
		// Read as it is: a missing table or column needs a write.
		if len(stmts) > 1 || len(have) == 0 {
			return &ReadOnlyError{Path: r.path, Upgrade: true}
		}
		return nil
	}
	return r.execTx(ctx, append(stmts, t.indexSQL()...)...)
}

// db is the connection pool that opening reads and writes through: the
// writer's, or the readers' when the replica is open for reading only.
func (r *Replica) db() *sql.DB {
	if r.readOnly {
		return r.rdb
	}
	return r.wdb
}

// Node returns the replica's node identity.
func (r *Replica) Node() NodeID { return r.node }

// Role returns the replica's role.
func (r *Replica) Role() Role { return r.role }

// Path returns the database file's path.
func (r *Replica) Path() string { return r.path }

// Subscribe registers fn to be called with the changes of every write and
// apply that begins after Subscribe returns, in commit order, after the
// commit. fn runs on the writer's goroutine and must return quickly. The
// returned function cancels the subscription. A write that begins while
// nobody is subscribed keeps none of its changes for this.
func (r *Replica) Subscribe(fn func([]Change)) (cancel func()) {
	r.subsMu.Lock()
	defer r.subsMu.Unlock()
	id := r.nextSub
	r.nextSub++
	r.subs[id] = fn
	return func() {
		r.subsMu.Lock()
		delete(r.subs, id)
		r.subsMu.Unlock()
	}
}

// listened reports whether anyone is subscribed.
func (r *Replica) listened() bool {
	r.subsMu.Lock()
	defer r.subsMu.Unlock()
	return len(r.subs) > 0
}

func (r *Replica) publish(chs []Change) {
	if len(chs) == 0 {
		return
	}
	r.subsMu.Lock()
	fns := make([]func([]Change), 0, len(r.subs))
	for _, fn := range r.subs {
		fns = append(fns, fn)
	}
	r.subsMu.Unlock()
	for _, fn := range fns {
		fn(chs)
	}
}

// Close closes the database. It is safe to call more than once; later
// calls return the first call's result.
func (r *Replica) Close() error {
	r.closeOnce.Do(func() {
		close(r.closed)
		r.writeMu.Lock()
		defer r.writeMu.Unlock()
		r.closeErr = r.closeDBs()
		r.log.Info("replica closed", "path", r.path)
	})
	return r.closeErr
}

func (r *Replica) closeDBs() error {
	first := r.version.close()
	for _, db := range []*sql.DB{r.rdb, r.wdb} {
		if db == nil {
			continue
		}
		if err := db.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (r *Replica) isClosed() bool {
	select {
	case <-r.closed:
		return true
	default:
		return false
	}
}

// numberFields loads the numbers of a table's fields and gives new fields
// the next free ones.
func (r *Replica) numberFields(ctx context.Context, t *table) error {
	t.nums, t.names = map[string]uint64{}, map[uint64]string{}
	tx, err := r.db().BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, "SELECT field, num FROM field_numbers WHERE tbl = ?", t.Name)
	if err != nil {
		return err
	}
	var next uint64 = 1
	for rows.Next() {
		var f string
		var n uint64
		if err := rows.Scan(&f, &n); err != nil {
			rows.Close()
			return err
		}
		t.nums[f], t.names[n] = n, f
		next = max(next, n+1)
	}
	rows.Close()
	for _, f := range t.Fields {
		if _, ok := t.nums[f.Name]; ok {
			continue
		}
		if r.readOnly {
			return &ReadOnlyError{Path: r.path, Upgrade: true}
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO field_numbers(tbl, field, num) VALUES(?, ?, ?)", t.Name, f.Name, next); err != nil {
			return err
		}
		t.nums[f.Name], t.names[next] = next, f.Name
		next++
	}
	return tx.Commit()
}

// nextSeq gives the next number of the hub's district sequence. It is
// called only inside a write transaction, which stores the counter before
// it commits, so numbers follow commit order and none is given twice.
func (r *Replica) nextSeq() int64 {
	r.seq++
	return r.seq
}
