package testkit

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// PrivateMode is the mode a file readable and writable by its owner only
// shows: 0600 where files have Unix modes. Windows keeps no such mode (a
// file is private by its folder's access list, the user's own profile)
// and shows 0666 for every file that is not read-only.
func PrivateMode() fs.FileMode {
	if runtime.GOOS == "windows" {
		return 0o666
	}
	return 0o600
}

// FileModesBind reports whether a file of mode 0444 keeps this process
// from writing it, by trying: not for root on Unix, nor under Wine run by
// root (the read-only attribute is a Unix mode there); on Windows it does,
// for every user. A test of read-only files skips when it does not.
func FileModesBind(t testing.TB) bool {
	t.Helper()
	path := filepath.Join(t.TempDir(), "read-only")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, 0o444); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(path, 0o600)
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err == nil {
		f.Close()
		return false
	}
	return errors.Is(err, fs.ErrPermission)
}

// FolderModesBind reports whether a folder of mode 0555 keeps this
// process from creating a file in it, by trying: not for root on Unix, and
// never on Windows, where a folder's read-only attribute does not.
func FolderModesBind(t testing.TB) bool {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "read-only")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	defer os.Chmod(dir, 0o700)
	f, err := os.Create(filepath.Join(dir, "x"))
	if err == nil {
		f.Close()
		os.Remove(f.Name())
		return false
	}
	return errors.Is(err, fs.ErrPermission)
}
