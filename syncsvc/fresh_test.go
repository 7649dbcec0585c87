package syncsvc_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// emptyReplicas are empty replica files made once by a property test and
// copied for each of its cases. Creating a replica applies every migration
// and declares every record type, each in its own durable transaction
// (about 0.2 s under -race, most of it waiting for fsync), while opening a
// copy of a closed empty one costs a tenth of that; the property tests
// create three to five replicas per case. Each template is a distinct
// node, made in the order the test asks for them, so the copies one case
// takes are distinct nodes ordered as freshly created replicas would be.
// Copies of one template in different cases share a node id, which is
// harmless: cases share no replica.
type emptyReplicas struct {
	dir   string
	types []syncsvc.RecordType
	paths map[string]string // name → template file
}

// newEmptyReplicas creates, in a temporary folder of t, closed empty
// replicas with the given record types: "hub" (a hub), then "office0" …
// up to offices-1 (offices), in that order.
func newEmptyReplicas(t *testing.T, types []syncsvc.RecordType, offices int) *emptyReplicas {
	t.Helper()
	e := &emptyReplicas{dir: t.TempDir(), types: types, paths: map[string]string{}}
	create := func(name string, role syncsvc.Role) {
		path := filepath.Join(e.dir, name+".db")
		r, err := store.Open(ctx, path, syncsvc.Options{Role: role, Types: types})
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Close(); err != nil {
			t.Fatal(err)
		}
		e.paths[name] = path
	}
	create("hub", syncsvc.RoleHub)
	for i := range offices {
		create(fmt.Sprintf("office%d", i), syncsvc.RoleOffice)
	}
	return e
}

// fataler is what testing.TB and *rapid.T have in common that open needs.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// open copies template name to path and opens the copy with role and the
// clock now, as syncsvc.Open would open a new file.
func (e *emptyReplicas) open(tb fataler, name, path string, role syncsvc.Role, now func() time.Time) *store.Replica {
	tb.Helper()
	src, ok := e.paths[name]
	if !ok {
		tb.Fatalf("no empty replica named %s", name)
	}
	// A closed replica leaves no -wal or -shm file; copy them if one did.
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(src + suffix)
		if errors.Is(err, fs.ErrNotExist) && suffix != "" {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			tb.Fatal(err)
		}
	}
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role, Now: now, Types: e.types})
	if err != nil {
		tb.Fatal(err)
	}
	return r
}
