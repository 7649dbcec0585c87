// Package atomicfile writes a file whole or not at all, and durably: a
// roster export, a report workbook, the nightly merge's proposal. A reader
// of the path sees the old file or the new one, never a part, even when the
// computer loses power while it is written.
//
// On Windows a file another program holds open without sharing its
// deletion (a workbook open in Excel or WPS) cannot be replaced, and
// virus scanners and indexers open new files for a moment: a rename there
// is tried again for a short while (RenameWait) and then refused with
// ErrBusy, leaving the old file as it was.
package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"time"
)

// ErrBusy: the file cannot be replaced because another program holds it
// open (Windows only; on unix a rename replaces an open file, whose reader
// keeps the old one). Close the file in that program and try again.
var ErrBusy = errors.New("the file is open in another program")

// RenameWait is how long a rename on Windows is tried again while the file
// it replaces is held open by another program, before ErrBusy.
const RenameWait = 2 * time.Second

// Write writes the file at path with write: into a new temporary file in
// the same folder (mode 0600: these files hold ID numbers), which is synced
// to disk, closed and renamed over path; then the folder is synced, so that
// the rename itself survives a crash. When write or any step before the
// rename fails, the temporary file is removed and whatever was at path is
// left as it was. Errors are returned as the step gave them; on Windows a
// path held open by another program gives ErrBusy (see Rename).
func Write(path string, write func(w io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// Rename renames the file from over to, replacing what is there, as
// os.Rename does. On Windows it asks MoveFileEx to replace the file and to
// finish writing it through before returning, and while to is held open
// by another program (a sharing violation, or access denied to a file that
// is not read-only) it tries again for up to RenameWait, then returns an
// error wrapping ErrBusy. Call SyncDir on the folder after it to make the
// rename durable.
func Rename(from, to string) error {
	return rename(from, to)
}

// WriteBytes writes b as the file at path, as Write does.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// SyncDir makes a folder's entries (renames, new files) durable. On unix
// it syncs the folder; a file system that cannot (EINVAL) is taken as
// having nothing to sync. Windows cannot sync a folder (NTFS journals its
// entries, and Rename writes through), so there it only checks that the
// folder is there.
func SyncDir(dir string) error {
	return syncDir(dir)
}
