package web_test

import (
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// district is a real hub, in its own SQLite file, served over HTTP on
// loopback, with offices registered: what the offices' desks sync with.
type district struct {
	hub    *store.Replica
	url    string
	tokens map[string]string
}

// newDistrict starts a hub with the offices given (id → communities,
// comma-separated), on the fixed clock.
func newDistrict(t *testing.T, offices map[string]string) *district {
	t.Helper()
	h := testkit.OpenHub(t)
	d := &district{hub: h, tokens: map[string]string{}}
	for id, communities := range offices {
		_, tok, err := h.AddOffice(ctx, id, id+" 社区办公室", strings.Split(communities, ","))
		require.NoError(t, err)
		d.tokens[id] = tok
	}
	hub, err := syncsvc.NewHub(h, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(srv.Close)
	d.url = srv.URL
	return d
}

// office is one office's computer: its replica, connected to the hub as
// office init connects it, and its desk served on loopback.
func (d *district) office(t *testing.T, id string) *served {
	t.Helper()
	rep := d.replica(t, id)
	d.connect(t, rep, id, d.url)
	return d.desk(t, rep)
}

// replica is a new office replica for office id, not yet connected.
func (d *district) replica(t *testing.T, id string) *store.Replica {
	t.Helper()
	rep, err := store.Open(ctx, filepath.Join(t.TempDir(), id+".db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow})
	require.NoError(t, err)
	t.Cleanup(func() { rep.Close() })
	return rep
}

// connect keeps office id's token and the hub at url in rep, as office
// init does: a url where no hub answers leaves the token unchecked and
// the office's communities unknown, as on a computer set up offline.
func (d *district) connect(t *testing.T, rep *store.Replica, id, url string) {
	t.Helper()
	_, err := desk.ConnectOffice(ctx, rep, desk.ConnectInput{HubURL: url, OfficeID: id, Token: d.tokens[id], Timeout: 5 * time.Second})
	require.NoError(t, err)
}

// desk serves the desk of an office replica on loopback.
func (d *district) desk(t *testing.T, rep *store.Replica) *served {
	t.Helper()
	return serve(t, rep, web.Options{LoopbackOnly: true, Sync: desk.SyncOptions{Retries: -1}})
}

// sync syncs an office with the hub, as the 同步 button does, and fails
// the test when the sync does not finish.
func (s *served) sync() desk.SyncResult {
	s.t.Helper()
	res, err := desk.Sync(ctx, s.rep, desk.SyncOptions{Retries: -1})
	require.NoError(s.t, err)
	return res
}
