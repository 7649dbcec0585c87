package syncsvc

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// ErrInUse: another process holds the database (hub serve is running).
var ErrInUse = errors.New("database is in use by another wanxia process")

// Lock takes an exclusive lock beside the database file (path + ".lock")
// for as long as a long-running process (hub serve) uses it, so that a
// restore cannot replace the file under it. Release with the returned
// function. A second Lock fails at once with ErrInUse.
func Lock(path string) (release func() error, err error) {
	f, err := os.OpenFile(path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("lock %s: %w", path, ErrInUse)
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return f.Close, nil
}

// Backup writes a consistent copy of the replica into dir (created 0700
// when missing) as wanxia-<role>-<time>.db, mode 0600, then opens the copy
// and checks it: integrity, schema version, and a log that reaches as far
// as the source's did when the copy began. It returns
// the copy's path. Writers may go on while it runs.
func (r *Replica) Backup(ctx context.Context, dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup: %w", err)
	}
	name := fmt.Sprintf("wanxia-%s-%s.db", r.role, r.now().UTC().Format("20060102-150405.000"))
	path := filepath.Join(dir, name)
	if err := createPrivate(path); err != nil {
		return "", fmt.Errorf("backup to %s: %w", path, err)
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

// verifyCopy opens a copied database read-only and checks its integrity,
// its schema version, that every table reads, and that its log reaches
// at least minSeq.
func verifyCopy(ctx context.Context, path string, minSeq int64) error {
	db, err := sql.Open("sqlite3", "file:"+escapePath(path)+"?mode=ro")
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

// Restore puts a backup back in place of the database at path: it checks
// the backup, copies it beside path, and renames it over path, so that a
// failure leaves the old database as it was. It refuses with ErrInUse while
// another process holds the database's lock (hub serve).
func Restore(ctx context.Context, from, path string) error {
	release, err := Lock(path)
	if err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	defer release()
	if err := verifyCopy(ctx, from, 0); err != nil {
		return fmt.Errorf("restore from %s: %w", from, err)
	}
	if err := checkpoint(ctx, path); err != nil {
		return fmt.Errorf("restore %s: %w", path, err)
	}
	tmp := fmt.Sprintf("%s.restore-%d", path, time.Now().UnixNano())
	if err := copyFile(from, tmp); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore from %s: %w", from, err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			os.Remove(tmp)
			return fmt.Errorf("restore %s: %w", path, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("restore %s: %w", path, err)
	}
	return nil
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

// checkpoint moves everything in a database's WAL into the file itself, so
// that removing the WAL loses nothing.
func checkpoint(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	db, err := sql.Open("sqlite3", "file:"+escapePath(path))
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}
