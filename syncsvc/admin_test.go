package syncsvc_test

import (
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func TestNewOfficeStartsFromASnapshotWhenTheLogWasCompacted(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		require.NoError(t, h.r.SetCommunity(ctx, store.Community{Code: "gsq"})) // where a cadre moves to
		a, agentA := h.office(t, "sy-a", "sy")
		for i := range 30 {
			c := testkit.Cadre(i, "sy")
			_, err := a.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		gone := testkit.Cadre(40, "sy")
		_, err := a.PutCadre(ctx, &gone)
		require.NoError(t, err)
		syncOK(t, agentA)
		b0, agentB0 := h.office(t, "sy-old", "sy") // an office that then stops syncing
		syncOK(t, agentB0)
		gone.Community = "gsq" // leaves sy: a departure, later compacted away
		_, err = a.PutCadre(ctx, &gone)
		require.NoError(t, err)
		syncOK(t, agentA)
		h.clk.Advance(200 * 24 * time.Hour)
		removed, err := h.r.CompactLog(ctx, h.clk.Now().Add(-180*24*time.Hour))
		require.NoError(t, err)
		require.EqualValues(t, 1, removed)

		// The office that slept past the retention takes a snapshot, and
		// the cadre that left while it slept is gone from it.
		rep0 := syncOK(t, agentB0)
		assert.True(t, rep0.Snapshot)
		_, err = b0.Cadre(ctx, gone.ID)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound)
		assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, b0, "sy", "district"))

		b, _ := h.office(t, "sy-b", "sy")
		var snapshotPages int
		agentB, err := transport.NewAgent(b.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: tokenOf(t, h, "sy-b"), HTTPClient: h.srv.Client(), Options: p}, syncsvc.AgentOptions{BatchSize: 7, Progress: func(pr syncsvc.Progress) {
			if pr.Phase == "snapshot" {
				snapshotPages++
			}
		}})
		require.NoError(t, err)
		rep := syncOK(t, agentB)
		assert.True(t, rep.Snapshot)
		assert.Greater(t, snapshotPages, 4, "the snapshot came in chunks")
		assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, b, "sy", "district"))

		// And catches up from the snapshot's position afterwards.
		c := testkit.Cadre(99, "sy")
		_, err = a.PutCadre(ctx, &c)
		require.NoError(t, err)
		syncOK(t, agentA)
		rep = syncOK(t, agentB)
		assert.False(t, rep.Snapshot)
		_, err = b.Cadre(ctx, c.ID)
		assert.NoError(t, err)
	})
}

// tokenOf gives an office a fresh token.
func tokenOf(t *testing.T, h *testHub, office string) string {
	t.Helper()
	token, err := h.r.RotateToken(ctx, office)
	require.NoError(t, err)
	return token
}

func TestTooOldAnOfficeSyncsNothing(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{MinSchemaVersion: syncsvc.SchemaVersion() + 1})
		r, agent := h.office(t, "sy", "sy")
		c := testkit.Cadre(1, "sy")
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		_, err = agent.Sync(ctx)
		assert.ErrorIs(t, err, syncsvc.ErrSchemaTooOld)
		assert.Contains(t, err.Error(), "upgrade")
		_, err = h.r.Cadre(ctx, c.ID)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound, "nothing was synced")
	})
}
