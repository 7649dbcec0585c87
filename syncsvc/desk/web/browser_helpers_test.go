package web_test

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// The browser tests drive Debian's chromium, headless, with chromedp,
// through package webtest: one browser for the package's tests (started by
// the first that needs it), each test in tabs of its own. Without chromium
// they are skipped, unless WANXIA_BROWSER_REQUIRED is set.

// TestMain stops the shared browser after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	webtest.Stop()
	os.Exit(code)
}

// district is a real hub and two offices of community sy, each with its
// desk, on one ticking clock from testkit.FixedNow.
type district struct {
	clock *testkit.Clock
	hub   *store.Replica
	a, b  *officeDesk
}

// officeDesk is one office's replica and its desk, served on loopback.
type officeDesk struct {
	rep *store.Replica
	url string
}

func newDistrict(t *testing.T) *district { return newDistrictWith(t, false) }

// newDistrictWith is newDistrict, with office sy-1 set up while the hub
// could not be reached when offlineA is set: it has not synced, and so
// does not know its communities yet.
func newDistrictWith(t *testing.T, offlineA bool) *district {
	t.Helper()
	d := &district{clock: testkit.Ticking(testkit.FixedNow(), time.Millisecond)}
	dir := t.TempDir()
	hub, err := store.Open(ctx, filepath.Join(dir, "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: d.clock.Now})
	require.NoError(t, err)
	t.Cleanup(func() { hub.Close() })
	d.hub = hub
	h, err := syncsvc.NewHub(hub, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(h))
	t.Cleanup(srv.Close)
	for _, o := range []struct {
		id, name string
		to       **officeDesk
	}{{"sy-1", "舜园社区第一办公室", &d.a}, {"sy-2", "舜园社区第二办公室", &d.b}} {
		_, token, err := hub.AddOffice(ctx, o.id, o.name, []string{"sy"})
		require.NoError(t, err)
		rep, err := store.Open(ctx, filepath.Join(dir, o.id+".db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: d.clock.Now})
		require.NoError(t, err)
		t.Cleanup(func() { rep.Close() })
		conn := transport.Connection{HubURL: srv.URL, Token: token}
		require.NoError(t, conn.Save(ctx, rep, map[string]string{desk.MetaOfficeID: o.id, desk.MetaOfficeName: o.name}))
		if !offlineA || o.id != "sy-1" {
			_, err = desk.Sync(ctx, rep, desk.SyncOptions{Retries: -1})
			require.NoError(t, err, "the first sync says hello and brings the district's key")
		}
		dk, err := web.New(ctx, rep, web.Options{Now: d.clock.Now, AutoSync: -1, LoopbackOnly: true, Sync: desk.SyncOptions{Retries: -1}})
		require.NoError(t, err)
		ds := httptest.NewServer(dk)
		t.Cleanup(func() { ds.Close(); dk.Close() })
		*o.to = &officeDesk{rep: rep, url: ds.URL}
	}
	return d
}

// sync syncs an office from outside its desk, as another computer would.
func (o *officeDesk) sync(t *testing.T) desk.SyncResult {
	t.Helper()
	res, err := desk.Sync(ctx, o.rep, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	return res
}
