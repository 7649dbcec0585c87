//go:build windows

package atomicfile

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/windows"
)

func rename(from, to string) error {
	f, err := windows.UTF16PtrFromString(from)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	t, err := windows.UTF16PtrFromString(to)
	if err != nil {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
	}
	deadline := time.Now().Add(RenameWait)
	for wait := 5 * time.Millisecond; ; wait = min(2*wait, 200*time.Millisecond) {
		err = windows.MoveFileEx(f, t, windows.MOVEFILE_REPLACE_EXISTING|windows.MOVEFILE_WRITE_THROUGH)
		if err == nil {
			return nil
		}
		if !heldOpen(err, to) {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: err}
		}
		if time.Now().After(deadline) {
			return &os.LinkError{Op: "rename", Old: from, New: to, Err: fmt.Errorf("%w: %w", ErrBusy, err)}
		}
		time.Sleep(wait)
	}
}

// heldOpen reports whether a failed MoveFileEx onto to means another
// program holds to open. Windows says "access denied" both for that and for
// what no wait will change — to is a folder, or a read-only file — which
// are told apart by looking at to.
func heldOpen(err error, to string) bool {
	if errors.Is(err, windows.ERROR_SHARING_VIOLATION) || errors.Is(err, windows.ERROR_LOCK_VIOLATION) {
		return true
	}
	if !errors.Is(err, windows.ERROR_ACCESS_DENIED) {
		return false
	}
	st, serr := os.Stat(to)
	return serr == nil && st.Mode().IsRegular() && st.Mode().Perm()&0o200 != 0
}

func syncDir(dir string) error {
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return &os.PathError{Op: "sync", Path: dir, Err: windows.ERROR_DIRECTORY}
	}
	return nil
}
