package testkit

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Open opens a replica in a new file of t.TempDir() and closes it when the
// test ends. The options are used as given, but a nil clock is FixedNow:
// a replica of a test never reads the wall clock unless asked to. The file
// is named after the role, so a test's logs say which replica is which.
func Open(t testing.TB, opts syncsvc.Options) *store.Replica {
	t.Helper()
	if opts.Now == nil {
		opts.Now = FixedNow
	}
	role := opts.Role
	if role == "" {
		role = syncsvc.RoleOffice
	}
	path := filepath.Join(t.TempDir(), string(role)+".db")
	r, err := store.Open(context.Background(), path, opts)
	if err != nil {
		t.Fatalf("testkit.Open: %v", err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("testkit.Open: closing the replica: %v", err)
		}
	})
	return r
}

// OpenHub opens a hub replica on FixedNow, closed when the test ends.
func OpenHub(t testing.TB) *store.Replica {
	t.Helper()
	return Open(t, syncsvc.Options{Role: syncsvc.RoleHub})
}

// OpenOffice opens an office replica on FixedNow, closed when the test ends.
func OpenOffice(t testing.TB) *store.Replica {
	t.Helper()
	return Open(t, syncsvc.Options{Role: syncsvc.RoleOffice})
}
