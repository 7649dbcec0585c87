package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// servedHub runs `wanxia hub serve` in the test on a fixed loopback
// address, so that it can be stopped and started again where the offices
// expect it.
type servedHub struct {
	t     *testing.T
	db    string
	addr  string
	stop  context.CancelFunc
	ended chan int
}

func serveHubAt(t *testing.T, db string) *servedHub {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	h := &servedHub{t: t, db: db, addr: ln.Addr().String()}
	ln.Close()
	h.start()
	t.Cleanup(h.halt)
	return h
}

func (h *servedHub) url() string { return "http://" + h.addr }

func (h *servedHub) start() {
	h.t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	var out, logs lockedBuffer
	h.stop, h.ended = stop, make(chan int, 1)
	go func() {
		h.ended <- runAt(ctx, testkit.FixedNow, hubArgs(h.db, "serve", "--addr", h.addr), strings.NewReader(""), &out, &logs)
	}()
	listening := regexp.MustCompile(regexp.QuoteMeta(h.url()))
	waitFor(h.t, "hub serve to listen", func() bool { return listening.MatchString(out.String()) })
}

func (h *servedHub) halt() {
	if h.stop != nil {
		h.stop()
		<-h.ended
		h.stop = nil
	}
}

// TestRestoredHubAndCopiedBackReplicaSayWhatHappened runs points 1 and 2
// of issue 12 as an operator would: three offices of one community sync;
// the hub is restored from the backup taken half way; one office edits
// phones and syncs; every office gets the edits and each says what
// happened. Then an office's file is put back from an older copy: its new
// cadres all reach the hub, and it says so.
func TestRestoredHubAndCopiedBackReplicaSayWhatHappened(t *testing.T) {
	dir := t.TempDir()
	hubDB := newHubDB(t, dir)
	tokens := map[string]string{}
	for _, id := range []string{"o1", "o2", "o3"} {
		var added map[string]any
		okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", id, "--name", id+" 办公室", "--communities", "sy")...)
		tokens[id] = added["token"].(string)
	}
	h := serveHubAt(t, hubDB)
	offices := map[string]*office{}
	for _, id := range []string{"o1", "o2", "o3"} {
		offices[id] = newOffice(t, id, tokens[id], h.url())
	}
	each := func(fn func(id string, o *office)) {
		for _, id := range []string{"o1", "o2", "o3"} {
			fn(id, offices[id])
		}
	}
	n := 0
	addSome := func(o *office, k int) {
		for range k {
			o.addCadre(fmt.Sprintf("干部%03d", n), testkit.IDNumberFor("370102", fmt.Sprintf("1940%02d%02d", 1+n%12, 1+n%28), 100+n), "sy")
			n++
		}
	}
	each(func(_ string, o *office) { addSome(o, 5) })
	each(func(_ string, o *office) { o.ok("sync") })
	each(func(_ string, o *office) { o.ok("sync") })
	var merged mergeResult
	okJSON(t, &merged, hubArgs(hubDB, "merge", "--backup", filepath.Join(dir, "backups"))...)
	require.NotNil(t, merged.Backup)
	each(func(_ string, o *office) { addSome(o, 5) })
	each(func(_ string, o *office) { o.ok("sync") })
	each(func(_ string, o *office) { o.ok("sync") })

	h.halt()
	ok(t, hubArgs(hubDB, "restore", "--from", *merged.Backup)...)
	h.start()
	var list []map[string]any
	okJSON(t, &list, hubArgs(hubDB, "cadre", "list")...)
	require.Len(t, list, 15, "the hub went back to the backup")

	o1 := offices["o1"]
	var mine []map[string]any
	o1.okJSON(&mine, "cadre", "list")
	edited := map[string]string{}
	for i, c := range mine[:5] {
		phone := fmt.Sprintf("1380000%04d", i)
		o1.ok("cadre", "edit", c["id"].(string), "--phone", phone)
		edited[c["id"].(string)] = phone
	}
	each(func(id string, o *office) {
		out := o.ok("sync")
		assert.Contains(t, out, "hub 的数据库已从备份恢复过", "%s says what happened", id)
		assert.Contains(t, out, "没有丢失任何内容")
	})
	each(func(id string, o *office) {
		var got []map[string]any
		o.okJSON(&got, "cadre", "list")
		assert.Len(t, got, 30, "%s holds every cadre", id)
		for _, c := range got {
			if phone, ok := edited[c["id"].(string)]; ok {
				assert.Equal(t, phone, c["phone"], "%s received the edit", id)
			}
		}
	})
	okJSON(t, &list, hubArgs(hubDB, "cadre", "list")...)
	assert.Len(t, list, 30, "the cadres written after the backup came back to the hub")

	// o2's file is copied aside after a sync; 5 cadres are added and
	// synced; the copy is put back; 6 are added and synced.
	o2 := offices["o2"]
	o2.ok("sync")
	copyFileTo(t, o2.db, o2.db+".copy")
	addSome(o2, 5)
	o2.ok("sync")
	copyFileTo(t, o2.db+".copy", o2.db)
	os.Remove(o2.db + "-wal")
	os.Remove(o2.db + "-shm")
	addSome(o2, 6)
	var synced syncJSON
	o2.okJSON(&synced, "sync")
	assert.Equal(t, "replica_restored", synced.Recovery)
	okJSON(t, &list, hubArgs(hubDB, "cadre", "list")...)
	assert.Len(t, list, 41, "none of the 11 is lost")
	var status map[string]any
	o2.okJSON(&status, "status")
	assert.Equal(t, float64(0), status["outbox"], "nothing waits")
	o2.okJSON(&mine, "cadre", "list")
	assert.Len(t, mine, 41, "the five the file had lost came back")
	out := o2.ok("sync")
	assert.NotContains(t, out, "旧", "once is enough")
}

func copyFileTo(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, in)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// TestAComputerOfAnotherOfficeIsToldSo: a replica that synced as s1 and was
// then initialised, with the hub down, with s2's token is refused at its
// next sync in words a clerk understands, and nothing is lost.
func TestAComputerOfAnotherOfficeIsToldSo(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	tokens := map[string]string{}
	for _, id := range []string{"s1", "s2"} {
		var added map[string]any
		okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", id, "--name", id+" 办公室", "--communities", "sy")...)
		tokens[id] = added["token"].(string)
	}
	h := serveHubAt(t, hubDB)
	s1 := newOffice(t, "s1", tokens["s1"], h.url())
	s1.addCadre("王秀英", testkit.IDNumberFor("370102", "19400101", 102), "sy")
	s1.ok("sync")
	s1.addCadre("李建国", testkit.IDNumberFor("370102", "19410202", 103), "sy")

	h.halt()
	s1.ok("init", "--hub", h.url(), "--office", "s1", "--token", tokens["s2"])
	h.start()
	res := s1.run("sync")
	require.Equal(t, 1, res.code, res.stdout)
	assert.Contains(t, res.stderr, "这台电脑已登记在另一个办公室名下")
	assert.Contains(t, res.stderr, "本机数据都在，未丢失")
	assert.NotContains(t, res.stderr, "node", "no identities or English in the clerk's line")
	var status map[string]any
	s1.okJSON(&status, "status")
	assert.Equal(t, float64(1), status["outbox"], "the unsynced cadre waits")

	out := s1.ok("init", "--hub", h.url(), "--office", "s1", "--token", tokens["s1"])
	assert.Contains(t, out, "令牌已向 hub 核对：办公室 s1（s1 办公室），社区 sy\n", "the district's own data is no community")
	s1.ok("sync")
	var list []map[string]any
	okJSON(t, &list, hubArgs(hubDB, "cadre", "list")...)
	assert.Len(t, list, 2)
}

// TestADamagedHubIsSaidInChinese: the hub's answer that its database is
// damaged reads, at the office, as what it is and what to do.
func TestADamagedHubIsSaidInChinese(t *testing.T) {
	for _, lang := range []cadre.Lang{cadre.Chinese, cadre.English} {
		var out bytes.Buffer
		a := &app{stdout: &out, stderr: &out, lang: lang, now: testkit.FixedNow}
		err := a.syncFailed(context.Background(), syncsvc.NewHubError(syncsvc.ErrDamaged,
			"database file is damaged: the hub's database is damaged; its administrator must restore it"), syncsvc.SyncReport{}, "http://127.0.0.1:1")
		require.Error(t, err)
		if lang == cadre.Chinese {
			assert.Contains(t, err.Error(), "hub 的数据库损坏了，这次没有同步")
			assert.Contains(t, err.Error(), "本机数据都在，未丢失")
			assert.NotContains(t, err.Error(), "database file is damaged")
		} else {
			assert.Contains(t, err.Error(), "the hub's database is damaged and nothing was synced")
		}
	}
}

// TestOnePersonInTwoCommunitiesIsSaidSo: a person registered in sy and
// then, by another office, in gsq is one record (the id comes from the ID
// number) that the hub keeps in sy; gsq's registration is refused and kept,
// and the reason says the person belongs to another community.
func TestOnePersonInTwoCommunitiesIsSaidSo(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	tokens := map[string]string{}
	for _, o := range []struct{ id, community string }{{"sy-1", "sy"}, {"gsq-1", "gsq"}} {
		var added map[string]any
		okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", o.id, "--name", o.id, "--communities", o.community)...)
		tokens[o.id] = added["token"].(string)
	}
	h := serveHubAt(t, hubDB)
	sy, gsq := newOffice(t, "sy-1", tokens["sy-1"], h.url()), newOffice(t, "gsq-1", tokens["gsq-1"], h.url())
	number := testkit.IDNumberFor("370102", "19380303", 104)
	sy.addCadre("赵桂芳", number, "sy")
	sy.ok("sync")
	gsq.addCadre("赵桂芳", number, "gsq")
	res := gsq.run("sync")
	assert.Equal(t, 1, res.code, "a refusal is work that failed")
	var list []struct {
		Name   string `json:"name"`
		Reason string `json:"reason"`
	}
	gsq.okJSON(&list, "rejected")
	require.Len(t, list, 1, "kept, not deleted")
	assert.Equal(t, "赵桂芳", list[0].Name)
	assert.Contains(t, list[0].Reason, "这位干部属于别的社区")
	var all []map[string]any
	okJSON(t, &all, hubArgs(hubDB, "cadre", "list")...)
	assert.Len(t, all, 1, "one person, one record")
}
