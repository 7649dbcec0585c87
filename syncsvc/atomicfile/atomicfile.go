// Package atomicfile writes a file whole or not at all, and durably: a
// roster export, a report workbook, the nightly merge's proposal. A reader
// of the path sees the old file or the new one, never a part, even when the
// computer loses power while it is written.
package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Write writes the file at path with write: into a new temporary file in
// the same folder (mode 0600: these files hold ID numbers), which is synced
// to disk, closed and renamed over path; then the folder is synced, so that
// the rename itself survives a crash. When write or any step before the
// rename fails, the temporary file is removed and whatever was at path is
// left as it was. Errors are returned as the step gave them.
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
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(path))
}

// WriteBytes writes b as the file at path, as Write does.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// SyncDir makes a folder's entries (renames, new files) durable. A file
// system that cannot sync a folder (EINVAL) is taken as having nothing to
// sync.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
