//go:build unix

package syncsvc

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// lockFile takes an exclusive lock on the open file f without waiting
// (flock), or returns errLocked. Closing f releases it.
func lockFile(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errLocked
	}
	return err
}

// openElsewhere reports whether another process has the SQLite database
// at path open. Every connection to a database in WAL mode holds a read
// lock on the DMS byte of its -shm file for as long as it is open; POSIX
// locks are not reported to the process that holds them, so this sees
// other processes only. Call it while this process has no connection to
// path: closing the descriptor it opens drops this process's locks on the
// file.
func openElsewhere(path string) (bool, error) {
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look for other users of %s: %w", path, err)
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: io.SeekStart, Start: sqliteDMSByte, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false, fmt.Errorf("look for other users of %s: %w", path, err)
	}
	return lk.Type != syscall.F_UNLCK, nil
}
