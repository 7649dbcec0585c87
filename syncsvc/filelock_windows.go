//go:build windows

package syncsvc

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes an exclusive lock on the first byte of the open file f
// without waiting (LockFileEx), or returns errLocked. Windows locks belong
// to the handle, as flock's belong to the open file on unix: a second Lock,
// in this process or another, fails. Closing f releases it.
func lockFile(f *os.File) error {
	err := lockRange(f, 0, windows.LOCKFILE_EXCLUSIVE_LOCK)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return errLocked
	}
	return err
}

// lockRange locks one byte of f at offset, without waiting.
func lockRange(f *os.File, offset uint32, flags uint32) error {
	ol := windows.Overlapped{Offset: offset}
	return windows.LockFileEx(windows.Handle(f.Fd()), flags|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
}

// openElsewhere reports whether another process has the SQLite database
// at path open. Every connection to a database in WAL mode holds a shared
// lock on the DMS byte of its -shm file for as long as it is open, so an
// exclusive lock on that byte is refused (ERROR_LOCK_VIOLATION) while one
// is; when it is granted it is let go at once. Windows has no F_GETLK to
// ask without locking: a connection opening the database in that instant
// may be told the database is busy. Call it while this process has no
// connection to path (a lock of this process's own would be counted too).
func openElsewhere(path string) (bool, error) {
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for other users of %s: %w", path, err)
	}
	defer f.Close()
	err = lockRange(f, sqliteDMSByte, windows.LOCKFILE_EXCLUSIVE_LOCK)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for other users of %s: %w", path, err)
	}
	ol := windows.Overlapped{Offset: sqliteDMSByte}
	if err := windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol); err != nil {
		return false, fmt.Errorf("look for other users of %s: %w", path, err)
	}
	return false, nil
}
