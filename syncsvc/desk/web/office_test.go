package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func TestOfficePageBacksUpAndKeepsTheAutoSyncSetting(t *testing.T) {
	s := officeOf(t, "sy")
	page := s.get("/office")
	require.Equal(t, http.StatusOK, page.status)
	assert.Contains(t, page.body, s.rep.Path())
	assert.Contains(t, page.body, "还没有备份")

	p := s.post("/office/backup", url.Values{})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	page = s.get(p.location)
	assert.Contains(t, page.body, "已备份并检查过")
	files, err := os.ReadDir(filepath.Join(filepath.Dir(s.rep.Path()), "backups"))
	require.NoError(t, err)
	require.Len(t, files, 1)
	assert.Contains(t, page.body, files[0].Name(), "the backup is listed")

	p = s.post("/office/autosync", url.Values{"minutes": {"-3"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "0 到 1440")
	p = s.post("/office/autosync", url.Values{"minutes": {"15"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	v, err := s.rep.Meta(ctx, "desk_autosync_minutes")
	require.NoError(t, err)
	assert.Equal(t, "15", v)
}

func TestOfficePageRefusesABadHubAddressAndKeepsNothing(t *testing.T) {
	s := officeOf(t, "sy")
	p := s.post("/office/connect", url.Values{"hub_url": {"hub.example:8080"}, "token": {"sy-1.secret"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "不是 hub 的地址")
	assert.Contains(t, p.body, `value="hub.example:8080"`)
	assert.NotContains(t, p.body, "sy-1.secret", "a token is never shown again")
	_, err := transport.LoadConnection(ctx, s.rep)
	assert.ErrorIs(t, err, transport.ErrNoConnection, "nothing kept")
	assert.NotContains(t, s.log.String(), "sy-1.secret")
}

func TestOfficePageTakesARotatedTokenOnceTheHubConfirmsIt(t *testing.T) {
	d := newDistrict(t)
	fresh, err := d.hub.RotateToken(ctx, "sy-1")
	require.NoError(t, err)
	_, err = desk.Sync(ctx, d.a.rep, desk.SyncOptions{Retries: -1})
	require.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "the old token no longer works")

	s := &served{t: t, rep: d.a.rep, c: browserlessClient(t)}
	s.srv = &httptest.Server{URL: d.a.url}
	conn, err := transport.LoadConnection(ctx, d.a.rep)
	require.NoError(t, err)
	other, err := d.hub.RotateToken(ctx, "sy-2")
	require.NoError(t, err)
	p := s.post("/office/connect", url.Values{"hub_url": {conn.HubURL}, "token": {other}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "这个令牌属于办公室 sy-2，不是本办公室 sy-1")

	p = s.post("/office/connect", url.Values{"hub_url": {conn.HubURL}, "token": {fresh}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Contains(t, s.get(p.location).body, "hub 核对了令牌，已保存：舜园社区第一办公室")
	d.a.sync(t)
}

// A clerk makes a backup on 本机 and sees it listed, then gives the token
// the district rotated: the hub confirms it, it is kept, and the office
// syncs with it.
func TestBrowserOfficeBackupAndNewToken(t *testing.T) {
	d := newDistrict(t)
	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/office", "#backups", "office")
	assert.Contains(t, b.Text("#backups"), d.a.rep.Path(), "the replica's file")
	b.Click(`form[action="/office/backup"] button`, ".banner--done", "backed up")
	assert.Contains(t, b.Text(".banner--done"), "已备份并检查过")
	paths, err := syncsvc.Backups(desk.OfficeBackupDir(d.a.rep.Path()), syncsvc.RoleOffice)
	require.NoError(t, err)
	require.Len(t, paths, 1, "one checked backup beside the replica")
	assert.Contains(t, b.Text("#backups table"), filepath.Base(paths[0]), "and listed")
	require.NoError(t, syncsvc.VerifyBackup(ctx, paths[0], syncsvc.RoleOffice))

	fresh, err := d.hub.RotateToken(ctx, "sy-1")
	require.NoError(t, err)
	b.Fill("#f-token", "sy-1.not-the-new-one")
	b.Click(`form[action="/office/connect"] button`, ".error-summary", "refused")
	assert.Contains(t, b.Text(".error-summary"), "令牌")
	b.Fill("#f-token", fresh)
	b.Click(`form[action="/office/connect"] button`, ".banner--done", "kept")
	assert.Contains(t, b.Text(".banner--done"), "hub 核对了令牌，已保存")
	conn, err := transport.LoadConnection(ctx, d.a.rep)
	require.NoError(t, err)
	assert.Equal(t, fresh, conn.Token, "the new token is kept")
	d.a.sync(t)
	assert.NotContains(t, b.Text("main"), fresh, "the token is not shown back")
}
