package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// refusalHub is a hub served over httptest with offices registered by the
// command, and a switch that makes it unreachable (every connection is
// closed unanswered) to stand for a hub the office cannot reach.
type refusalHub struct {
	db     string
	url    string
	tokens map[string]string
	down   atomic.Bool
}

// newRefusalHub registers offices (id → comma-separated communities) and
// serves the hub.
func newRefusalHub(t *testing.T, offices map[string]string) *refusalHub {
	t.Helper()
	h := &refusalHub{db: newHubDB(t, t.TempDir()), tokens: map[string]string{}}
	for id, communities := range offices {
		var added map[string]any
		okJSON(t, &added, hubArgs(h.db, "office", "add", "--id", id, "--name", id+" 办公室", "--communities", communities)...)
		h.tokens[id] = added["token"].(string)
	}
	r, err := store.Open(context.Background(), h.db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	handler := transport.Handler(hub)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if h.down.Load() {
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		handler.ServeHTTP(w, req)
	}))
	t.Cleanup(func() {
		srv.Close()
		assert.NoError(t, r.Close())
	})
	h.url = srv.URL
	return h
}

// offlineOffice initialises an office while the hub cannot be reached.
func (h *refusalHub) offlineOffice(t *testing.T, id, token string) *office {
	t.Helper()
	h.down.Store(true)
	defer h.down.Store(false)
	o := &office{t: t, db: filepath.Join(t.TempDir(), id+".db")}
	out := ok(t, "office", "init", "--db", o.db, "--hub", h.url, "--office", id, "--token", token)
	assert.Contains(t, out, "令牌还没有核对", "init says the token is checked at the first sync")
	return o
}

// hubCadre returns the hub's cadre with the ID number, or nil.
func (h *refusalHub) hubCadre(t *testing.T, number string) map[string]any {
	t.Helper()
	var list []map[string]any
	okJSON(t, &list, hubArgs(h.db, "cadre", "list")...)
	for _, c := range list {
		if c["id_number"] == number {
			return c
		}
	}
	return nil
}

// A community the office does not cover is refused when it is typed: in
// cadre add and in each row of an import; the message names the office's
// communities. A move (cadre edit --community) goes to a community the
// district registered: the office holds only its own communities' records,
// so the hub judges it, and a community it has not registered comes back
// refused, kept at the office to be corrected.
func TestCommunityOutsideTheOfficeRefusedWhenTyped(t *testing.T) {
	h := newRefusalHub(t, map[string]string{"s1": "sy", "s2": "gsq"})
	o := newOffice(t, "s1", h.tokens["s1"], h.url)
	o.ok("sync") // the office's communities arrive

	res := o.run(append([]string{"cadre", "add"}, cadreArgs("王秀英", testkit.IDNumberFor("370102", "19450101", 2), "zzz")...)...)
	assert.Equal(t, 1, res.code, res.stdout)
	assert.Contains(t, res.stderr, "zzz 不是本办公室的社区")
	assert.Contains(t, res.stderr, "本办公室的社区：sy")
	assert.Equal(t, float64(0), o.outbox(), "nothing written")
	res = o.run(append([]string{"cadre", "add", "--lang", "en"}, cadreArgs("王秀英", testkit.IDNumberFor("370102", "19450101", 2), "gsq")...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "gsq is not one of this office's communities (sy)", "a new cadre of another office's community too")

	number := testkit.IDNumberFor("370102", "19440315", 1)
	wang := o.addCadre("王建国", number, "sy")
	o.ok("sync")
	o.ok("cadre", "edit", wang, "--community", "zzz") // the hub judges
	res = o.run("sync")
	assert.Equal(t, 1, res.code, res.stdout+res.stderr)
	assert.Contains(t, res.stderr, "hub 拒绝了 1 条更改")
	var rejected []map[string]any
	o.okJSON(&rejected, "rejected")
	require.Len(t, rejected, 1)
	assert.Equal(t, "scope", rejected[0]["code"])
	assert.Contains(t, rejected[0]["reason"], "社区 zzz 没有在区里登记")
	assert.Equal(t, "sy", h.hubCadre(t, number)["community"], "the hub kept the cadre where it was")
	o.ok("rejected", "fix", wang[:8], "--community", "gsq") // a transfer to a registered community
	o.ok("sync")
	assert.Equal(t, "gsq", h.hubCadre(t, number)["community"])
	assert.Equal(t, "[]\n", o.ok("rejected", "--json"))

	li, zhao := testkit.IDNumberFor("370102", "19450601", 2), testkit.IDNumberFor("370102", "19380210", 3)
	csv := "姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区\n" +
		"李秀英," + li + ",退休,2005-07-01,其他,非党员,良好,与子女同住,sy\n" +
		"赵志强," + zhao + ",离休,1988-10-01,副县处级及以上,正式党员,重病,独居,zzz\n"
	path := filepath.Join(t.TempDir(), "名册.csv")
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	res = o.run("import", path)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stdout, "新增 1")
	assert.Contains(t, res.stderr, "第 3 行：社区：zzz 不是本办公室的社区")
	var list []map[string]any
	o.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"李秀英"}, names(t, list), "王建国 moved to gsq")
}

// Issue 12, point 11: a cadre typed offline with a mistyped community is
// refused by the hub. It stays at the office through any number of syncs,
// listed with its content and the reason in Chinese; corrected and sent
// again, it reaches the hub whole.
func TestRefusedCadreStaysAndIsResentWhole(t *testing.T) {
	h := newRefusalHub(t, map[string]string{"s1": "sy"})
	o := h.offlineOffice(t, "s1", h.tokens["s1"])
	number := testkit.IDNumberFor("370102", "19451120", 2)
	id := o.addCadre("王秀英", number, "zzz", "--phone", "0531-1234")
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy")

	res := o.run("sync")
	assert.Equal(t, 1, res.code, res.stdout+res.stderr)
	assert.Contains(t, res.stderr, "hub 拒绝了 1 条更改")
	assert.Contains(t, res.stdout, "本机保留了 1 条 hub 拒绝的记录")
	assert.NotContains(t, res.stdout, "移除", "nothing dropped")
	for range 2 { // and any later sync keeps it
		var rep map[string]any
		o.okJSON(&rep, "sync")
		assert.Equal(t, float64(1), rep["kept_refused"])
		assert.Equal(t, float64(0), rep["dropped"])
	}
	var list []map[string]any
	o.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"王秀英", "王建国"}, names(t, list), "the refused cadre is still here")
	assert.Nil(t, h.hubCadre(t, number))

	out := o.ok("rejected")
	assert.Contains(t, out, "干部 王秀英")
	assert.Contains(t, out, "社区 zzz 不属于本办公室（本办公室的社区：sy）")
	assert.Contains(t, out, "wanxia office rejected fix "+id[:8]+" --community sy")
	assert.Contains(t, out, "0531-1234", "the content is shown")
	assert.NotContains(t, out, number, "the ID number is masked")
	assert.Contains(t, out, number[:6], "masked, not hidden")
	assert.Contains(t, o.ok("rejected", "--lang", "en"), "community zzz is not this office's (its communities: sy)")
	var rejected []map[string]any
	o.okJSON(&rejected, "rejected")
	require.Len(t, rejected, 1)
	assert.Equal(t, id, rejected[0]["record_id"])
	assert.Equal(t, "王秀英", rejected[0]["name"])
	assert.Equal(t, "open", rejected[0]["state"])
	assert.Equal(t, "scope", rejected[0]["code"])
	assert.Equal(t, true, rejected[0]["held"])
	assert.Equal(t, "zzz", rejected[0]["fields"].(map[string]any)["community"])
	assert.NotEqual(t, number, rejected[0]["fields"].(map[string]any)["id_number"])

	// The same wrong community is refused at the fix, before anything is sent.
	res = o.run("rejected", "fix", id[:8], "--phone", "0531-9999")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "zzz 不是本办公室的社区")
	o.ok("rejected", "fix", id[:8], "--community", "sy")
	assert.Equal(t, "[]\n", o.ok("rejected", "--json"), "settled")
	o.ok("sync")
	c := h.hubCadre(t, number)
	require.NotNil(t, c, "the hub has the cadre now")
	assert.Equal(t, "王秀英", c["name"])
	assert.Equal(t, "sy", c["community"])
	assert.Equal(t, "0531-1234", c["phone"], "whole: the fields of the refused first change too")
	assert.Equal(t, "tuixiu", c["category"])
	assert.Equal(t, "1945-11-20", c["birth_date"])
	o.okJSON(&rejected, "rejected", "--all")
	require.Len(t, rejected, 1)
	assert.Equal(t, "resent", rejected[0]["state"])
}

// A cadre moved at the hub into another office's community while this
// office edited it: the edit is refused and the departure does not drop
// the record; discarded, it leaves this office.
func TestRefusedEditOfAMovedCadreKeptThenDiscarded(t *testing.T) {
	h := newRefusalHub(t, map[string]string{"s1": "sy", "s1b": "sy", "s2": "gsq"})
	a := newOffice(t, "s1", h.tokens["s1"], h.url)
	b := newOffice(t, "s1b", h.tokens["s1b"], h.url)
	number := testkit.IDNumberFor("370102", "19440315", 1)
	id := a.addCadre("王建国", number, "sy")
	a.ok("sync")
	b.ok("sync")
	b.ok("cadre", "edit", id, "--community", "gsq")
	b.ok("sync")

	a.ok("cadre", "edit", id, "--phone", "0531-7777")
	res := a.run("sync")
	assert.Equal(t, 1, res.code, res.stdout+res.stderr)
	var list []map[string]any
	a.okJSON(&list, "cadre", "list")
	assert.Equal(t, []string{"王建国"}, names(t, list), "the departure did not drop a record the hub refused")
	out := a.ok("rejected")
	assert.Contains(t, out, "hub 上这位干部属于别的社区（已由别的办公室登记，或已转到别的社区）")
	assert.Contains(t, out, "0531-7777")

	res = a.run("rejected", "discard", id[:8])
	assert.Equal(t, 2, res.code, "a reason is required")
	var d map[string]any
	a.okJSON(&d, "rejected", "discard", number, "--reason", "已转到杆石桥社区")
	assert.Equal(t, float64(1), d["dropped"])
	assert.Equal(t, true, d["refetch"])
	a.okJSON(&list, "cadre", "list")
	assert.Empty(t, list, "discarded: it left this office")
	assert.Equal(t, "[]\n", a.ok("rejected", "--json"))
	a.ok("sync")
	a.okJSON(&list, "cadre", "list")
	assert.Empty(t, list, "and does not come back: the hub keeps it in gsq")
	var all []map[string]any
	a.okJSON(&all, "rejected", "--all")
	require.Len(t, all, 1)
	assert.Equal(t, "discarded", all[0]["state"])
	assert.Equal(t, "已转到杆石桥社区", all[0]["refusals"].([]any)[0].(map[string]any)["note"])
	c := h.hubCadre(t, number)
	require.NotNil(t, c)
	assert.Equal(t, "gsq", c["community"])
	assert.NotEqual(t, "0531-7777", c["phone"], "the refused edit never reached the hub")
}

// office init with another office's token is refused and writes nothing.
func TestInitRefusesAnotherOfficesToken(t *testing.T) {
	h := newRefusalHub(t, map[string]string{"s1": "sy", "s2": "gsq"})
	db := filepath.Join(t.TempDir(), "s1.db")
	res := wx(t, "office", "init", "--db", db, "--hub", h.url, "--office", "s1", "--token", h.tokens["s2"])
	assert.Equal(t, 1, res.code, res.stdout)
	assert.Contains(t, res.stderr, "这个令牌属于办公室 s2，不是 s1；请向 hub 管理员核对")
	_, err := os.Stat(db)
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing written")
	res = wx(t, "office", "init", "--db", db, "--hub", h.url, "--office", "s1", "--token", "no-such-token")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "hub 不接受这个令牌")

	// Initialised rightly, then again with the wrong token: refused, the
	// replica's settings kept.
	var init map[string]any
	okJSON(t, &init, "office", "init", "--db", db, "--hub", h.url, "--office", "s1", "--token", h.tokens["s1"])
	assert.Equal(t, true, init["token_checked"])
	assert.Equal(t, []any{"sy", "district"}, init["scopes"])
	res = wx(t, "office", "init", "--db", db, "--hub", h.url, "--office", "s1", "--token", h.tokens["s2"], "--lang", "en")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "this token belongs to office s2, not s1")
	o := &office{t: t, db: db}
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy")
	o.ok("sync")
	assert.NotNil(t, h.hubCadre(t, testkit.IDNumberFor("370102", "19440315", 1)), "still syncs as s1 with its own token")
}

// Initialised offline with another office's token, the office's first
// sync finds out, refuses (exit 1) and keeps everything.
func TestFirstSyncWithAnotherOfficesTokenRefusesAndKeepsAll(t *testing.T) {
	h := newRefusalHub(t, map[string]string{"s1": "sy", "s2": "gsq"})
	o := h.offlineOffice(t, "s1", h.tokens["s2"])
	number := testkit.IDNumberFor("370102", "19440315", 1)
	o.addCadre("王建国", number, "sy")
	o.addCadre("李秀英", testkit.IDNumberFor("370102", "19450601", 2), "sy")

	res := o.run("sync")
	assert.Equal(t, 1, res.code, res.stdout)
	assert.Contains(t, res.stderr, "这个令牌属于办公室 s2，不是 s1")
	assert.NotContains(t, res.stdout+res.stderr, "移除")
	var list []map[string]any
	o.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"王建国", "李秀英"}, names(t, list), "nothing dropped")
	assert.Equal(t, float64(2), o.outbox(), "nothing sent")
	var st map[string]any
	o.okJSON(&st, "status")
	assert.Equal(t, "s1", st["office_id"])
	assert.Nil(t, h.hubCadre(t, number))
	res = o.run("sync", "--lang", "en")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "this token belongs to office s2, not s1")

	// With the right token the work goes through.
	ok(t, "office", "init", "--db", o.db, "--hub", h.url, "--office", "s1", "--token", h.tokens["s1"])
	o.ok("sync")
	assert.NotNil(t, h.hubCadre(t, number))
	assert.True(t, strings.HasPrefix(o.ok("rejected"), "（没有"))
}
