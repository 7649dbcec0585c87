package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// waitFor polls until found returns true, for at most ten seconds.
func waitFor(t *testing.T, what string, found func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !found() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// hubArgs prefixes a hub verb and names the hub's database.
func hubArgs(db string, args ...string) []string {
	return append(append([]string{"hub"}, args...), "--db", db)
}

func TestOfficeAddPrintsATokenThatAuthenticates(t *testing.T) {
	db := newHubDB(t, t.TempDir())
	out := ok(t, hubArgs(db, "office", "add", "--id", "sy-1", "--name", "舜园社区办公室", "--communities", "sy,gsq")...)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	var added map[string]any
	okJSON(t, &added, hubArgs(db, "office", "add", "--id", "gsq-1", "--name", "甘棠", "--communities", "gsq")...)
	assert.Equal(t, []any{"gsq"}, added["communities"])

	ctx := context.Background()
	r, err := store.Open(ctx, db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	o, err := r.Authenticate(ctx, token)
	require.NoError(t, err)
	assert.Equal(t, "sy-1", o.ID)
	o, err = r.Authenticate(ctx, added["token"].(string))
	require.NoError(t, err)
	assert.Equal(t, "gsq-1", o.ID)
	require.NoError(t, r.Close())

	var rotated map[string]string
	okJSON(t, &rotated, hubArgs(db, "office", "rotate-token", "sy-1")...)
	ok(t, hubArgs(db, "office", "revoke", "gsq-1")...)
	r, err = store.Open(ctx, db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Authenticate(ctx, token)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "the old token stops working")
	_, err = r.Authenticate(ctx, rotated["token"])
	assert.NoError(t, err)
	_, err = r.Authenticate(ctx, added["token"].(string))
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "revoked")

	var offices []map[string]any
	okJSON(t, &offices, hubArgs(db, "office", "list")...)
	require.Len(t, offices, 2)
	assert.Equal(t, true, offices[0]["revoked"])
	assert.NotContains(t, offices[0], "token")
	res := wx(t, hubArgs(db, "office", "add", "--id", "sy-1", "--name", "again", "--communities", "sy")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "已经登记")
	res = wx(t, hubArgs(db, "office", "add", "--id", "Bad Id", "--name", "x", "--communities", "sy")...)
	assert.Equal(t, 2, res.code, res.stderr)

	ok(t, hubArgs(db, "community", "set", "sy", "--name", "舜园社区", "--street", "舜华路街道")...)
	ok(t, hubArgs(db, "community", "set", "sy", "--lat", "36.65", "--lng", "117.1")...)
	var communities []map[string]any
	okJSON(t, &communities, hubArgs(db, "community", "list")...)
	require.Len(t, communities, 2)
	assert.Equal(t, "gsq", communities[0]["name"], "registered with its code as its name")
	assert.Equal(t, "舜园社区", communities[1]["name"], "kept when only the centre is set")
	assert.Equal(t, 36.65, communities[1]["lat"])
	var admin map[string]string
	okJSON(t, &admin, hubArgs(db, "admin-token")...)
	assert.NotEmpty(t, admin["token"])
}

// TestEndToEnd runs the quickstart: a hub served by `hub serve`, three
// offices (two share a community), cadres added offline, syncs, a conflict
// resolved, a scope move, and the hub's merge, backup and restore.
func TestEndToEnd(t *testing.T) {
	dir := t.TempDir()
	hubDB, backups := newHubDB(t, dir), filepath.Join(dir, "backups")
	tokens := map[string]string{}
	for _, o := range []struct{ id, communities string }{{"sy-1", "sy"}, {"sy-2", "sy"}, {"gsq-1", "gsq"}} {
		var added map[string]any
		okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", o.id, "--name", o.id+" 办公室", "--communities", o.communities)...)
		tokens[o.id] = added["token"].(string)
	}

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var out, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- run(ctx, hubArgs(hubDB, "serve", "--addr", "127.0.0.1:0", "--merge-at", "03:00", "--backup", backups, "--log-format", "json"),
			strings.NewReader(""), &out, &logs)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return addr.MatchString(out.String()) })
	hubURL := addr.FindString(out.String())

	// A missed night is caught up at start: the merge writes a backup.
	var backup string
	waitFor(t, "the catch-up merge", func() bool {
		files, _ := filepath.Glob(filepath.Join(backups, "*.db"))
		if len(files) > 0 && strings.Contains(logs.String(), "merge done") {
			backup = files[0]
			return true
		}
		return false
	})
	res := wx(t, hubArgs(hubDB, "restore", "--from", backup)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "hub serve", "refused while hub serve runs")

	sy1 := newOffice(t, "sy-1", tokens["sy-1"], hubURL)
	sy2 := newOffice(t, "sy-2", tokens["sy-2"], hubURL)
	gsq := newOffice(t, "gsq-1", tokens["gsq-1"], hubURL)
	wangID, zhaoID := testkit.IDNumberFor("370102", "19440315", 1), testkit.IDNumberFor("370102", "19380210", 3)
	wang := sy1.addCadre("王建国", wangID, "sy")
	gsq.addCadre("赵志强", zhaoID, "gsq", "--category", "离休")
	assert.Equal(t, float64(1), sy1.outbox())

	assert.Contains(t, sy1.ok("sync"), "推送 1 条")
	var rep map[string]any
	gsq.okJSON(&rep, "sync")
	assert.Equal(t, float64(1), rep["pushed"])
	assert.Equal(t, float64(0), rep["refused"])
	assert.Equal(t, []any{"gsq", "district"}, rep["scopes"])
	sy1.ok("sync")
	sy2.ok("sync")

	var hubCadres []map[string]any
	okJSON(t, &hubCadres, hubArgs(hubDB, "cadre", "list")...)
	assert.ElementsMatch(t, []string{"王建国", "赵志强"}, names(t, hubCadres))
	assert.Contains(t, ok(t, hubArgs(hubDB, "cadre", "show", zhaoID)...), zhaoID)
	var list []map[string]any
	sy1.okJSON(&list, "cadre", "list")
	assert.Equal(t, []string{"王建国"}, names(t, list), "each office sees only its communities")
	sy2.okJSON(&list, "cadre", "list")
	assert.Equal(t, []string{"王建国"}, names(t, list))
	gsq.okJSON(&list, "cadre", "list")
	assert.Equal(t, []string{"赵志强"}, names(t, list))
	var st map[string]any
	sy1.okJSON(&st, "status")
	assert.Equal(t, float64(0), st["outbox"])

	assert.Equal(t, "sy-1", st["office_id"])
	assert.NotNil(t, st["last_sync"])
	assert.NotNil(t, st["clock_offset_ms"])
	assert.Contains(t, sy1.ok("status", "--lang", "en"), "changes to push")

	// The same field edited in two offices of one community: a conflict,
	// listed in both, resolved in one, settled in both.
	sy1.ok("cadre", "edit", wang, "--phone", "111")
	sy2.ok("cadre", "edit", wangID, "--phone", "222")
	sy1.ok("sync")
	assert.Contains(t, sy2.ok("sync"), "1 个冲突待解决")
	sy1.ok("sync")
	var conflicts []map[string]any
	sy1.okJSON(&conflicts, "conflict", "list")
	require.Len(t, conflicts, 1)
	assert.Equal(t, "phone", conflicts[0]["field"])
	assert.Contains(t, sy1.ok("conflict", "list"), "电话")
	sy2.okJSON(&conflicts, "conflict", "list")
	require.Len(t, conflicts, 1)
	id := conflicts[0]["id"].(string)
	var w map[string]any
	sy2.okJSON(&w, "cadre", "show", wang)
	kept := w["phone"]
	sy1.ok("conflict", "resolve", id[:8], "--keep", "other")
	res = sy1.run("conflict", "resolve", id, "--keep", "other")
	assert.Equal(t, 1, res.code, "resolved already")
	sy1.ok("sync")
	sy2.ok("sync")
	assert.Equal(t, "[]\n", sy2.ok("conflict", "list", "--json"))
	sy1.okJSON(&w, "cadre", "show", wang)
	phone := w["phone"]
	assert.NotEqual(t, kept, phone, "the other value was kept")
	sy2.okJSON(&w, "cadre", "show", wang)
	assert.Equal(t, phone, w["phone"], "converged")

	// A cadre moves from sy to gsq with the office that holds it.
	sy1.ok("cadre", "edit", wang, "--community", "gsq")
	sy1.ok("sync")
	gsq.ok("sync")
	sy2.ok("sync")
	gsq.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"王建国", "赵志强"}, names(t, list))
	sy2.okJSON(&list, "cadre", "list")
	assert.Empty(t, list, "the cadre left sy-2's community")
	assert.Equal(t, "[]\n", sy1.ok("rejected", "--json"))

	// A cadre registered in a community the office does not cover is
	// refused as it is typed (what the hub refuses: rejected_test.go).
	refused := sy1.run(append([]string{"cadre", "add"}, cadreArgs("钱立新", testkit.IDNumberFor("370102", "19450101", 5), "gsq")...)...)
	assert.Equal(t, 1, refused.code)
	assert.Contains(t, refused.stderr, "gsq 不是本办公室的社区")
	assert.Equal(t, "[]\n", sy1.ok("rejected", "--json"))

	// The hub's merge sums up each office's syncs and backs up.
	var merged map[string]any
	okJSON(t, &merged, hubArgs(hubDB, "merge", "--backup", backups)...)
	require.Len(t, merged["offices"], 3)
	assert.Equal(t, true, merged["offices"].([]any)[0].(map[string]any)["synced"])
	assert.NotNil(t, merged["backup"])
	assert.Contains(t, ok(t, hubArgs(hubDB, "merge")...), "没有同步的办公室", "nobody synced since")

	// A revoked office is told what to do.
	ok(t, hubArgs(hubDB, "office", "revoke", "sy-2")...)
	res = sy2.run("sync")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "令牌")
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)

	for _, number := range []string{wangID, zhaoID} {
		assert.NotContains(t, logs.String(), number, "no ID number in the hub's log")
	}

	// Stopped, the hub is unreachable: the office keeps its work.
	stop()
	select {
	case code := <-served:
		assert.Equal(t, 0, code, logs.String())
	case <-time.After(15 * time.Second):
		t.Fatal("hub serve did not stop")
	}
	gsq.ok("cadre", "edit", zhaoID, "--phone", "333")
	res = gsq.run("sync", "--retries", "0")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "连不上 hub")
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	assert.Equal(t, float64(1), gsq.outbox(), "kept for the next sync")

	// Restored from the catch-up backup, taken before any cadre.
	ok(t, hubArgs(hubDB, "restore", "--from", backup)...)
	assert.Equal(t, "[]\n", ok(t, hubArgs(hubDB, "cadre", "list", "--json")...))
	_, err := os.Stat(hubDB)
	assert.NoError(t, err)
}
