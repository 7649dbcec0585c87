package main

import (
	"compress/gzip"
	"crypto/sha256"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
)

// schema7 copies a replica that wanxia wrote at schema 7 (office or hub;
// syncsvc/testdata/schema7/make.sh made them with the program of that
// time) to path.
func schema7(t *testing.T, which, path string) {
	t.Helper()
	in, err := os.Open(filepath.Join("..", "..", "syncsvc", "testdata", "schema7", which+".db.gz"))
	require.NoError(t, err)
	defer in.Close()
	zr, err := gzip.NewReader(in)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}

// metaOf reads one meta value of a replica file, as a person with the
// sqlite3 shell would.
func metaOf(t *testing.T, path, key string) string {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var v string
	require.NoError(t, db.QueryRow("SELECT value FROM meta WHERE key = ?", key).Scan(&v))
	return v
}

// TestUpdateKeepsTheOfficesData: an office updates wanxia. The first verb
// of the new program upgrades the replica the old one wrote (schema 7) and
// says so on stderr, naming the copy it kept; every cadre is there, and
// the cadre registered but not yet synced reaches the hub — itself an old
// hub's file, upgraded the same way — at the next sync.
func TestUpdateKeepsTheOfficesData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "晚霞数据")
	officeDB, hubDB := filepath.Join(dir, "wanxia-office.db"), filepath.Join(t.TempDir(), "wanxia-hub.db")
	schema7(t, "office", officeDB)
	schema7(t, "hub", hubDB)

	res := wx(t, "office", "cadre", "list", "--db", officeDB, "--json")
	require.Equal(t, 0, res.code, res.stderr)
	var cadres []map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &cadres), "stdout stays JSON")
	got := names(t, cadres)
	sort.Strings(got)
	assert.Equal(t, []string{"张志强", "李秀英"}, got)
	backups, err := filepath.Glob(filepath.Join(dir, "backups", "wanxia-office-*-schema-7.db"))
	require.NoError(t, err)
	require.Len(t, backups, 1)
	assert.Equal(t, fmt.Sprintf("数据库 %s 已从第 7 版升级到第 %d 版（这个版本的 wanxia 需要）；升级前的数据库备份在 %s\n", officeDB, syncsvc.SchemaVersion(), backups[0]), res.stderr)
	res = wx(t, "office", "cadre", "list", "--db", officeDB)
	assert.Empty(t, res.stderr, "upgraded once")

	// The old hub, upgraded by hub serve, and the office pointed at it
	// again with the token it kept.
	h := serveHubAt(t, hubDB)
	hubBackups, err := filepath.Glob(filepath.Join(filepath.Dir(hubDB), "backups", "wanxia-hub-*-schema-7.db"))
	require.NoError(t, err)
	assert.Len(t, hubBackups, 1, "the hub kept its copy too")
	ok(t, "office", "init", "--db", officeDB, "--hub", h.url(), "--office", "sy", "--token", metaOf(t, officeDB, "x:token"))
	var status map[string]any
	okJSON(t, &status, "office", "status", "--db", officeDB)
	assert.EqualValues(t, 1, status["outbox"], "张志强 still waits to be sent")
	ok(t, "office", "sync", "--db", officeDB)
	var atHub []map[string]any
	okJSON(t, &atHub, hubArgs(hubDB, "cadre", "list")...)
	got = names(t, atHub)
	sort.Strings(got)
	assert.Equal(t, []string{"张志强", "李秀英"}, got)
}

// TestOlderProgramRefusesANewerReplica: a replica written by a newer
// wanxia (its schema above this program's) is refused in Chinese, naming
// both versions, and not a byte of it changes.
func TestOlderProgramRefusesANewerReplica(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	db, err := sql.Open("sqlite3", o.db)
	require.NoError(t, err)
	newer := syncsvc.SchemaVersion() + 1
	_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", newer))
	require.NoError(t, err)
	_, err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before := hashFile(t, o.db)

	res := o.run("cadre", "list")
	assert.Equal(t, 1, res.code)
	assert.Equal(t, fmt.Sprintf("错误：数据库 %s 由更新版本的 wanxia 写成（数据库第 %d 版，这个 wanxia 只认识到第 %d 版），没有读取也没有改动它：请换用新版本的 wanxia（与写成它的版本相同或更新）\n",
		o.db, newer, syncsvc.SchemaVersion()), res.stderr)
	res = o.run("sync", "--lang", "en")
	assert.Contains(t, res.stderr, fmt.Sprintf("was written by a newer wanxia (schema %d; this wanxia knows up to %d) and was neither read nor changed", newer, syncsvc.SchemaVersion()))
	assert.Equal(t, before, hashFile(t, o.db))
	_, err = os.Stat(filepath.Join(filepath.Dir(o.db), "backups"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func hashFile(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(b)
}
