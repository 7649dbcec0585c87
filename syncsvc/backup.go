package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/wanxia/wanxia/syncsvc/atomicfile"
)

// Errors of backups, restores and damaged databases, for errors.Is.
var (
	// ErrInUse: another process holds the database (hub serve is running,
	// or another wanxia process has the file open).
	ErrInUse = errors.New("database is in use by another wanxia process")
	// ErrDamaged: the database file is damaged: empty, not a database, cut
	// short, or malformed inside. Restore it from a backup; RestoreFile
	// keeps the damaged file aside.
	ErrDamaged = errors.New("database file is damaged")
	// ErrBadBackup: the file to restore from is not a sound backup (damaged,
	// not a database, or of a schema this program does not know).
	ErrBadBackup = errors.New("not a sound backup")
	// ErrOtherReplica: the backup is of another replica: the other role, or
	// another office.
	ErrOtherReplica = errors.New("the backup is of another replica")
)

// Lock takes an exclusive lock beside the database file (path + ".lock")
// for as long as a long-running process (hub serve) uses it, so that a
// restore cannot replace the file under it. Release with the returned
// function. A second Lock fails at once with ErrInUse.
func Lock(path string) (release func() error, err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errLocked) {
			return nil, fmt.Errorf("lock %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f.Close, nil
}

// Backup writes a consistent copy of the replica into dir (created 0700
// when missing) as wanxia-<role>-<time>.db (-2, -3… added to a name taken
// in the same millisecond), mode 0600, then opens the copy
// and checks it: integrity, schema version, and a log that reaches as far
// as the source's did when the copy began. It returns
// the copy's path. Writers may go on while it runs.
func (r *Replica) Backup(ctx context.Context, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	path, err := createFree(dir, fmt.Sprintf("wanxia-%s-%s", r.role, r.now().UTC().Format("20060102-150405.000")), ".db")
	if err != nil {
		return "", fmt.Errorf("backup into %s: %w", dir, err)
	}
	seq, err := r.copyInto(ctx, path)
	if err != nil {
		os.Remove(path)
		return "", fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := verifyCopy(ctx, path, seq); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("backup to %s: check failed: %w", path, err)
	}
	r.log.Info("backup written", "path", path)
	return path, nil
}

// createFree creates an empty file, mode 0600, named base+ext in dir, or
// base-2+ext, base-3+ext… when that name is taken (two copies in one
// millisecond, which a coarse clock makes likely), and returns its path.
// VACUUM INTO writes only into an empty or missing file.
func createFree(dir, base, ext string) (string, error) {
	for i := 1; ; i++ {
		name := base + ext
		if i > 1 {
			name = fmt.Sprintf("%s-%d%s", base, i, ext)
		}
		path := filepath.Join(dir, name)
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		return path, f.Close()
	}
}

// copyInto writes the copy with VACUUM INTO, which reads one consistent
// state of the database, and returns the log position the copy must reach.
func (r *Replica) copyInto(ctx context.Context, path string) (int64, error) {
	seq, err := r.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := r.rdb.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return 0, err
	}
	return seq, nil
}

// VerifyBackup checks a backup as a restore would before using it: it
// opens read-only, passes PRAGMA integrity_check, has a schema this
// program knows, reads its log, and is a replica of role (any role when
// role is ""). A failure wraps ErrBadBackup, or ErrOtherReplica for the
// wrong role.
func VerifyBackup(ctx context.Context, path string, role Role) error {
	if err := verifyCopy(ctx, path, 0); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadBackup, path, err)
	}
	meta, err := readMeta(ctx, path)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrBadBackup, path, err)
	}
	if role != "" && Role(meta["role"]) != role {
		return fmt.Errorf("%w: %s is a %s replica, not a %s one", ErrOtherReplica, path, meta["role"], role)
	}
	return nil
}

// verifyCopy opens a copied database read-only and checks its integrity,
// its schema version, that every table reads, and that its log reaches
// at least minSeq.
func verifyCopy(ctx context.Context, path string, minSeq int64) error {
	if err := regularFile(path); err != nil {
		return err
	}
	db, err := sql.Open("sqlite3", readOnlyDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	var result string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&result); err != nil {
		return err
	}
	if result != "ok" {
		return fmt.Errorf("integrity check: %s", result)
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	if version < 1 || version > SchemaVersion() {
		return fmt.Errorf("schema version %d is not one this program knows (1–%d)", version, SchemaVersion())
	}
	var seq int64
	if err := db.QueryRowContext(ctx, lastSeqQuery).Scan(&seq); err != nil {
		return err
	}
	if seq < minSeq {
		return fmt.Errorf("the copy's log ends at %d, the source's was at %d", seq, minSeq)
	}
	return nil
}

// regularFile refuses a path that is missing or not a regular file, which
// SQLite would otherwise open (or create) as an empty database.
func regularFile(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", path)
	}
	return nil
}

// readOnlyDSN opens the database at path read-only. When it has no WAL
// waiting, the file alone is the whole database and is opened immutable,
// so that SQLite creates no -wal and -shm beside it (a backup's folder
// stays clean, a damaged file is looked at without a trace); otherwise
// SQLite reads the WAL too.
func readOnlyDSN(path string) string {
	dsn := "file:" + escapePath(path) + "?mode=ro"
	if wal, err := os.Stat(path + "-wal"); err != nil || wal.Size() == 0 {
		dsn += "&immutable=1"
	}
	return dsn
}

// readMeta reads the meta table of the database at path, read-only.
func readMeta(ctx context.Context, path string) (map[string]string, error) {
	if err := regularFile(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite3", readOnlyDSN(path))
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "SELECT key, value FROM meta")
	if err != nil {
		return nil, fmt.Errorf("read meta: %w", err)
	}
	defer rows.Close()
	meta := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, fmt.Errorf("read meta: %w", err)
		}
		meta[k] = v
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read meta: %w", err)
	}
	return meta, nil
}

// CheckDatabase checks the database file at path for damage with PRAGMA
// integrity_check: every page and record is read and its structure
// checked, and every index is compared with its table (an index that lost
// entries would let a second registration of an ID number through).
// quick_check, which skips that comparison, costs about a third as much,
// but the full check of a hub of 50,000 cadres takes 0.1–0.4 s
// (docs/guarantees-backup-and-damage.md), so the hub pays it once per
// start. It writes no data, and leaves no -wal or -shm beside a file that
// had none. It returns nil for a sound file; a *DamageError (wrapping
// ErrDamaged) for one that is empty, not a database, cut short or
// malformed; and an error wrapping fs.ErrNotExist when there is no file.
func CheckDatabase(ctx context.Context, path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("check database %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("check database %s: not a file", path)
	}
	if st.Size() == 0 {
		return &DamageError{Path: path, Problem: "the file is empty"}
	}
	db, err := sql.Open("sqlite3", readOnlyDSN(path))
	if err != nil {
		return fmt.Errorf("check database %s: %w", path, err)
	}
	defer db.Close()
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if err != nil {
		return checkFailed(path, err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return checkFailed(path, err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return checkFailed(path, err)
	}
	if len(problems) > 0 {
		return &DamageError{Path: path, Problem: summarize(problems)}
	}
	// The check reads the pages the file's b-trees reach; a file cut
	// short where only free pages were can pass it, so the size SQLite
	// counts is compared with the file's.
	var pages, size int64
	if err := db.QueryRowContext(ctx, "PRAGMA page_count").Scan(&pages); err != nil {
		return checkFailed(path, err)
	}
	if err := db.QueryRowContext(ctx, "PRAGMA page_size").Scan(&size); err != nil {
		return checkFailed(path, err)
	}
	if wal, err := os.Stat(path + "-wal"); (err != nil || wal.Size() == 0) && pages*size > st.Size() {
		return &DamageError{Path: path, Problem: fmt.Sprintf("the file is cut short: it holds %d bytes of %d", st.Size(), pages*size)}
	}
	return nil
}

// summarize keeps a damage report short: SQLite's first problem and how
// many more it listed (the check lists at most 20).
func summarize(problems []string) string {
	var lines []string
	for _, p := range problems {
		for _, l := range strings.Split(p, "\n") {
			l = strings.Join(strings.Fields(l), " ")
			if l != "" && !strings.HasPrefix(l, "*** in database") {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 0 {
		return "the check failed"
	}
	if len(lines) == 1 {
		return lines[0]
	}
	if len(lines) == 2 {
		return lines[0] + " (and 1 more problem)"
	}
	return fmt.Sprintf("%s (and %d more problems)", lines[0], len(lines)-1)
}

// DamageError is a damaged database file: which, and what SQLite found.
// It wraps ErrDamaged.
type DamageError struct {
	// Path is the database file.
	Path string
	// Problem is SQLite's first finding, in its words (no record data).
	Problem string
}

// Error names the file and the problem.
func (e *DamageError) Error() string {
	return fmt.Sprintf("check database %s: %v: %s", e.Path, ErrDamaged, e.Problem)
}

// Unwrap returns ErrDamaged.
func (e *DamageError) Unwrap() error { return ErrDamaged }

// checkFailed is the error of a check that SQLite could not run: a
// DamageError when SQLite says why is damage, else the error itself.
func checkFailed(path string, err error) error {
	if IsDamaged(err) {
		return &DamageError{Path: path, Problem: damageText(err)}
	}
	return fmt.Errorf("check database %s: %w", path, err)
}

// IsDamaged reports whether err says that a database file is damaged:
// ErrDamaged, or SQLite's SQLITE_CORRUPT ("database disk image is
// malformed") or SQLITE_NOTADB ("file is not a database").
func IsDamaged(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrDamaged) {
		return true
	}
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Code == sqlite3.ErrCorrupt || se.Code == sqlite3.ErrNotADB
	}
	// An error that lost its type on the way (formatted with %v).
	msg := err.Error()
	return strings.Contains(msg, "database disk image is malformed") || strings.Contains(msg, "file is not a database")
}

// damageText is SQLite's own words for the damage in err, which hold no
// data from the records, for a log line.
func damageText(err error) string {
	var se sqlite3.Error
	if errors.As(err, &se) {
		return se.Error()
	}
	return ErrDamaged.Error()
}

// RestoreOptions say what a restore checks beyond a sound backup.
type RestoreOptions struct {
	// Role is the role the backup must have; "" means the role of the file
	// it replaces, when that file is readable.
	Role Role
	// Same names settings (SetMeta keys, such as an office's "office_id")
	// that the backup must hold with the same value as the file it
	// replaces, when that file is readable and holds them.
	Same []string
	// Now names the replaced file kept aside; nil means time.Now.
	Now func() time.Time
}

// RestoreResult is what a restore did.
type RestoreResult struct {
	// Path is the database restored, From the backup it was restored from.
	Path, From string
	// Role is the restored replica's role.
	Role Role
	// Aside is where the replaced database went, with its -wal and -shm
	// files beside it under the same name; "" when there was none.
	Aside string
	// Damaged: the replaced database was damaged (CheckDatabase).
	Damaged bool
	// HubEpoch is the restored hub's new epoch; "" for an office.
	HubEpoch string
	// Settings holds the backup's values of RestoreOptions.Same, and
	// Replaced those of the database it replaces, when that was readable.
	Settings, Replaced map[string]string
}

// Restore puts a backup back in place of the database at path, as
// RestoreFile does with the default options.
func Restore(ctx context.Context, from, path string) error {
	_, err := RestoreFile(ctx, from, path, RestoreOptions{})
	return err
}

// RestoreFile puts a backup back in place of the database at path, which
// may be sound, damaged or missing. It refuses with ErrInUse while another
// process holds the database's lock (hub serve) or has the file open; with
// ErrBadBackup when the backup fails VerifyBackup; and with
// ErrOtherReplica when the backup is of the other role or another office
// (opts). It copies the backup beside path, gives a hub a new epoch in the
// copy's meta (a restored hub starts a new epoch, which the offices
// detect), keeps the database it replaces aside — renamed
// path.damaged-<time> or path.replaced-<time>, with its -wal and -shm,
// never deleted — and renames the copy over path, so that every failure
// leaves either the old database or the restored one at path, whole.
func RestoreFile(ctx context.Context, from, path string, opts RestoreOptions) (RestoreResult, error) {
	res := RestoreResult{Path: path, From: from}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	release, err := Lock(path)
	if err != nil {
		return res, fmt.Errorf("restore %s: %w", path, err)
	}
	defer release()
	// Before this process opens the file itself (see openElsewhere).
	if busy, err := openElsewhere(path); err != nil {
		return res, fmt.Errorf("restore %s: %w", path, err)
	} else if busy {
		return res, fmt.Errorf("restore %s: %w: another process has it open", path, ErrInUse)
	}
	if err := VerifyBackup(ctx, from, ""); err != nil {
		return res, fmt.Errorf("restore from %s: %w", from, err)
	}
	backup, err := readMeta(ctx, from)
	if err != nil {
		return res, fmt.Errorf("restore from %s: %w: %w", from, ErrBadBackup, err)
	}
	res.Role = Role(backup["role"])
	res.Settings = map[string]string{}
	for _, k := range opts.Same {
		res.Settings[k] = backup["x:"+k]
	}

	exists := true
	switch err := CheckDatabase(ctx, path); {
	case errors.Is(err, fs.ErrNotExist):
		exists = false
	case errors.Is(err, ErrDamaged):
		res.Damaged = true
	case err != nil:
		return res, fmt.Errorf("restore %s: %w", path, err)
	}
	want := opts.Role
	if exists && !res.Damaged {
		current, err := readMeta(ctx, path)
		if err != nil {
			return res, fmt.Errorf("restore %s: %w", path, err)
		}
		if want == "" {
			want = Role(current["role"])
		}
		res.Replaced = map[string]string{}
		for _, k := range opts.Same {
			res.Replaced[k] = current["x:"+k]
		}
		for _, k := range opts.Same {
			if have := current["x:"+k]; have != "" && have != backup["x:"+k] {
				return res, fmt.Errorf("restore from %s: %w: its %s is %q, the database's is %q", from, ErrOtherReplica, k, backup["x:"+k], have)
			}
		}
	}
	if want != "" && res.Role != want {
		return res, fmt.Errorf("restore from %s: %w: it is a %s replica, the database is a %s one", from, ErrOtherReplica, res.Role, want)
	}

	tmp := fmt.Sprintf("%s.restore-%d", path, time.Now().UnixNano())
	if err := copyFile(from, tmp); err != nil {
		removeDBFiles(tmp)
		return res, fmt.Errorf("restore from %s: %w", from, err)
	}
	if res.Role == RoleHub {
		if res.HubEpoch, err = newEpoch(ctx, tmp); err != nil {
			removeDBFiles(tmp)
			return res, fmt.Errorf("restore %s: new epoch: %w", path, err)
		}
	}
	if exists {
		word := "replaced"
		if res.Damaged {
			word = "damaged"
		}
		if res.Aside, err = keepAside(path, word, opts.Now()); err != nil {
			removeDBFiles(tmp)
			return res, fmt.Errorf("restore %s: keep the old database: %w", path, err)
		}
	}
	if err := atomicfile.Rename(tmp, path); err != nil {
		removeDBFiles(tmp)
		return res, fmt.Errorf("restore %s: %w", path, err)
	}
	if err := atomicfile.SyncDir(filepath.Dir(path)); err != nil {
		return res, fmt.Errorf("restore %s: %w", path, err)
	}
	return res, nil
}

// newEpoch gives the hub database at path, which no one else has open, a
// new epoch (NewHubEpoch) and returns it. The file is left whole, its WAL
// checkpointed into it.
func newEpoch(ctx context.Context, path string) (string, error) {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=rw&_synchronous=FULL")
	if err != nil {
		return "", err
	}
	epoch, err := NewHubEpoch(ctx, db)
	if err == nil {
		_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	meta, err := readMeta(ctx, path)
	if err != nil {
		return "", err
	}
	if meta[hubEpochKey] != epoch {
		return "", errors.New("the new epoch did not read back")
	}
	return epoch, nil
}

// keepAside moves the database at path, with its -wal and -shm, to
// path.<word>-<time> (a free name), and returns that name. The main file
// is linked there first, so that path names a whole database until the
// restored one is renamed over it.
func keepAside(path, word string, now time.Time) (string, error) {
	base := fmt.Sprintf("%s.%s-%s", path, word, now.Format("20060102-150405"))
	aside := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s-%d", base, i)
	}
	if err := os.Link(path, aside); err != nil {
		// No hard links here: rename instead; path is missing until the
		// restored database takes its place.
		if err := os.Rename(path, aside); err != nil {
			return "", err
		}
	}
	// The old WAL must not meet the restored database: SQLite would apply it.
	for _, s := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+s, aside+s); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return aside, err
		}
	}
	return aside, atomicfile.SyncDir(filepath.Dir(path))
}

// removeDBFiles removes a database file and what SQLite keeps beside it.
func removeDBFiles(path string) {
	for _, s := range []string{"", "-wal", "-shm", "-journal"} {
		os.Remove(path + s)
	}
}

// Backups lists the backups of role in dir (wanxia-<role>-<time>.db, as
// Backup names them), newest first. A missing dir has none.
func Backups(dir string, role Role) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups in %s: %w", dir, err)
	}
	var out []string
	prefix := "wanxia-" + string(role) + "-"
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) && strings.HasSuffix(e.Name(), ".db") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	// The time in the name sorts as text.
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out, nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
