package desk_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// testNow is the clock of every test: 2026-11-28 10:00 in Shanghai.
var testNow = time.Date(2026, 11, 28, 10, 0, 0, 0, syncsvc.Shanghai())

var ctx = context.Background()

// openReplica opens a replica of role in a temporary folder, on the fixed
// clock.
func openReplica(t testing.TB, role syncsvc.Role) *store.Replica {
	t.Helper()
	path := filepath.Join(t.TempDir(), string(role)+".db")
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role, Now: func() time.Time { return testNow }})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// allFields is an input that sets every field of c.
func allFields(c cadre.Cadre) desk.CadreInput {
	return desk.CadreInput{Values: c, Set: []string{"name", "gender", "id_number", "birth_date", "category", "retired_on", "rank",
		"party", "health", "living", "community", "address", "phone"}}
}

// register registers cadre n in community and returns it as stored.
func register(t testing.TB, r *store.Replica, n int, community string) cadre.Cadre {
	t.Helper()
	saved, err := desk.RegisterCadre(ctx, r, allFields(testkit.Cadre(n, community)))
	require.NoError(t, err)
	return saved.Cadre
}
