package syncsvc_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func openReplica(t testing.TB, role syncsvc.Role, now func() time.Time, types ...syncsvc.RecordType) *store.Replica {
	t.Helper()
	path := filepath.Join(t.TempDir(), string(role)+".db")
	r, err := store.Open(context.Background(), path, syncsvc.Options{Role: role, Now: now, Types: types})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

var ctx = context.Background()

func newID() uuid.UUID { return uuid.Must(uuid.NewV7()) }

// push sends an office's whole outbox to the hub as the sync service will,
// and acknowledges what the hub made durable.
func push(t testing.TB, office, hub *store.Replica) syncsvc.ApplyResult {
	t.Helper()
	out, err := office.Outbox(ctx, 1<<20)
	require.NoError(t, err)
	res, err := hub.Apply(ctx, out, syncsvc.ApplyOptions{Source: "push/" + office.Node().String(), Contiguous: true})
	require.NoError(t, err)
	require.NoError(t, office.Acknowledge(ctx, res.Position))
	return res
}

// pull brings an office up to date with the hub for the given scopes.
func pull(t testing.TB, hub, office *store.Replica, scopes ...string) {
	t.Helper()
	for {
		pos, err := office.Position(ctx, "pull")
		require.NoError(t, err)
		page, err := hub.ChangesSince(ctx, pos, scopes, 50)
		require.NoError(t, err)
		_, err = office.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next, Scopes: scopes})
		require.NoError(t, err)
		if !page.More {
			return
		}
	}
}

// dump returns every record of the replica in the given scopes, fields and
// stamps included, in a fixed order: two replicas that converged have
// equal dumps.
func dump(t testing.TB, r *store.Replica, scopes ...string) []syncsvc.Change {
	t.Helper()
	page, err := r.Snapshot(ctx, scopes, syncsvc.SnapshotCursor{}, 1<<20)
	require.NoError(t, err)
	require.True(t, page.Done)
	for i := range page.Records {
		page.Records[i].Seq = 0
	}
	return page.Records
}
