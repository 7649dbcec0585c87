package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestDeskSyncsByItselfWhileTheHubCanBeReached: what a clerk enters
// reaches the hub without pressing 同步, and the panel says how the
// automatic sync went.
func TestAutoSyncWhileTheHubCanBeReached(t *testing.T) {
	d := newDistrict(t)
	dk, err := web.New(ctx, d.a.rep, web.Options{Now: d.clock.Now, AutoSync: 100 * time.Millisecond, Sync: desk.SyncOptions{Retries: -1}})
	require.NoError(t, err)
	defer dk.Close()
	run, stop := context.WithCancel(ctx)
	defer stop()
	go dk.AutoSync(run)

	_, err = desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: testkit.Wang(), Set: desk.CadreFields})
	require.NoError(t, err)
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := desk.OfficeSyncState(ctx, d.a.rep)
		require.NoError(t, err)
		if st.Outbox == 0 {
			break
		}
		require.True(t, time.Now().Before(deadline), "the desk never synced by itself")
		time.Sleep(20 * time.Millisecond)
	}
	hub, err := d.hub.CadresByIDNumber(ctx, testkit.Wang().IDNumber)
	require.NoError(t, err)
	assert.Len(t, hub, 1, "the hub has what was entered")

	var panel string
	for !strings.Contains(panel, "同步完成") {
		require.True(t, time.Now().Before(deadline), "the panel never said how the sync went: %s", panel)
		rec := httptest.NewRecorder()
		dk.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/sync/panel?back=/today", nil))
		panel = rec.Body.String()
		time.Sleep(20 * time.Millisecond)
	}
	assert.Contains(t, panel, "能连上 hub 时，每 1 分钟", "the interval shown")
}
