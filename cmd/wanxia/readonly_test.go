package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/wanxia/wanxia/syncsvc"
)

// TestHubVerbWithoutADatabaseSaysSo: a hub verb whose --db names no file
// says so, naming the file and hub init, and creates nothing; hub init
// creates the hub, after which the verbs work.
func TestHubVerbWithoutADatabaseSaysSo(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "typo-hub.db")
	for _, verb := range [][]string{
		{"office", "add", "--id", "sy-1", "--name", "舜园", "--communities", "sy"},
		{"community", "set", "sy", "--name", "舜园社区"},
		{"helper", "add", "--name", "王立军"},
		{"venue", "add", "--name", "活动室", "--kind", "activity_room", "--community", "sy", "--services", "activities"},
		{"admin-token"},
		{"serve", "--addr", "127.0.0.1:0"},
		{"cadre", "list"},
	} {
		res := wx(t, hubArgs(db, verb...)...)
		assert.Equal(t, 1, res.code, "%v: %s", verb, res.stderr)
		assert.Equal(t, "错误：没有数据库 "+db+"：要建立新的 hub，先运行 wanxia hub init --db "+db+"；已有的 hub 请用 --db 指明它的文件\n", res.stderr, verb)
		assert.Empty(t, res.stdout, verb)
	}
	res := wx(t, hubArgs(db, "office", "list", "--lang", "en")...)
	assert.Contains(t, res.stderr, "error: no database at "+db+": to start a new hub, run wanxia hub init --db "+db+" first")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing created: no database, no lock")

	var init hubInitJSON
	require.NoError(t, json.Unmarshal([]byte(ok(t, hubArgs(db, "init", "--json")...)), &init))
	assert.Equal(t, hubInitJSON{DB: db, Node: init.Node, Created: true}, init)
	assert.FileExists(t, db)
	ok(t, hubArgs(db, "office", "add", "--id", "sy-1", "--name", "舜园", "--communities", "sy")...)
	assert.Contains(t, ok(t, hubArgs(db, "init")...), "hub 数据库 "+db+" 已经存在（节点 "+init.Node+"），没有改动")

	office := filepath.Join(dir, "office.db")
	ok(t, "office", "init", "--db", office, "--hub", "http://127.0.0.1:1", "--office", "sy-1", "--token", "sy-1.secret")
	res = wx(t, hubArgs(office, "init")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "这个数据库属于另一类（hub / office）", "hub init does not take an office's file")
}

// TestReadOnlyReplicaCanBeRead: an office's replica whose file (0444) and
// folder (0555) cannot be written — a copy on a read-only share — is
// listed, shown, exported and reported on; a write is refused in Chinese,
// naming the file. chmod does not bind root: as root the test skips, and
// syncsvc's TestReadOnlyOpenReadsAndRefusesWrites covers the same open
// through SQLite's read-only mode.
func TestReadOnlyReplicaCanBeRead(t *testing.T) {
	if !testkit.FileModesBind(t) {
		t.Skip("a file's mode does not bind here (root)")
	}
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	who := testkit.IDNumberFor("370102", "19400315", 1)
	id := o.addCadre("王建国", who, "sy")
	dir := filepath.Dir(o.db)
	require.NoError(t, os.Chmod(o.db, 0o444))
	require.NoError(t, os.Chmod(dir, 0o555))
	t.Cleanup(func() {
		_ = os.Chmod(dir, 0o700)
		_ = os.Chmod(o.db, 0o600)
	})

	var list []map[string]any
	o.okJSON(&list, "cadre", "list")
	assert.Equal(t, []string{"王建国"}, names(t, list))
	assert.Contains(t, o.ok("cadre", "show", id), "王建国")
	out := filepath.Join(t.TempDir(), "roster.csv")
	o.ok("export", out)
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), who)
	assert.Contains(t, o.ok("report", "visits"), "走访提醒")
	o.ok("visit", "due")
	o.ok("status")

	res := o.run(append([]string{"cadre", "add"}, cadreArgs("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")...)...)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.True(t, strings.HasPrefix(res.stderr, "错误：数据库 "+o.db+" 是只读的（文件、所在文件夹或存储介质不可写）：可以查看、导出和出报表，不能录入、修改或同步"), res.stderr)
	res = o.run("cadre", "edit", id, "--phone", "0531-1", "--lang", "en")
	assert.Contains(t, res.stderr, "error: the database "+o.db+" is read-only")
	o.okJSON(&list, "cadre", "list")
	assert.Len(t, list, 1, "nothing was written")
}

// TestReadOnlyRefusalIsWorded: the refusals of a replica open for reading
// only, as the command words them (this runs as root too).
func TestReadOnlyRefusalIsWorded(t *testing.T) {
	a := &app{lang: "zh"}
	line, code := a.errorLine(nil, &syncsvc.ReadOnlyError{Path: "/mnt/share/sy.db"})
	assert.Equal(t, 1, code)
	assert.Equal(t, "错误：数据库 /mnt/share/sy.db 是只读的（文件、所在文件夹或存储介质不可写）：可以查看、导出和出报表，不能录入、修改或同步；要修改，请把文件复制到可写的文件夹，或请管理员改正权限", line)
	line, _ = a.errorLine(nil, &syncsvc.ReadOnlyError{Path: "/mnt/share/sy.db", Upgrade: true})
	assert.Contains(t, line, "错误：数据库 /mnt/share/sy.db 是只读的，而这个版本的 wanxia 要先升级它")
	a.lang = "en"
	line, _ = a.errorLine(nil, &syncsvc.ReadOnlyError{Path: "/mnt/share/sy.db"})
	assert.True(t, strings.HasPrefix(line, "error: the database /mnt/share/sy.db is read-only"), line)
}
