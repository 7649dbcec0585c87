package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// damageFile flips every bit of 8 KiB in the middle of a file.
func damageFile(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Greater(t, len(b), 64<<10, "the file is too small to damage in the middle")
	for i := len(b)/2 - 4096; i < len(b)/2+4096; i++ {
		b[i] ^= 0xff
	}
	require.NoError(t, os.WriteFile(path, b, 0o600))
}

// hashOf is the SHA-256 of a file.
func hashOf(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// hubEpoch reads the hub's epoch.
func hubEpoch(t *testing.T, db string) string {
	t.Helper()
	r, err := store.Open(context.Background(), db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer r.Close()
	epoch, err := r.HubEpoch(context.Background())
	require.NoError(t, err)
	return epoch
}

// damagedHub builds a hub of 300 cadres at dir/hub.db with a backup made by
// hub merge --backup in dir/backups, and returns the database, the backup
// and the hub's epoch.
func damagedHub(t *testing.T, dir string) (db, backup, epoch string) {
	t.Helper()
	db = newHubDB(t, dir)
	ok(t, hubArgs(db, "office", "add", "--id", "sy-1", "--name", "舜园社区办公室", "--communities", "sy")...)
	r, err := store.Open(context.Background(), db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	born := cadre.NewDate(1935, 1, 1)
	for i := range 300 {
		day := born.AddDays(i * 23)
		c := cadre.Cadre{Name: fmt.Sprintf("测试%03d", i), IDNumber: testkit.IDNumberFor("370102", fmt.Sprintf("%04d%02d%02d", day.Year, day.Month, day.Day), 100+i),
			Category: cadre.Tuixiu, Rank: cadre.RankSection, Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: "sy"}
		c.Normalize()
		c.RetiredOn = c.BirthDate.AddDays(60 * 365)
		_, err := r.PutCadre(context.Background(), &c)
		require.NoError(t, err)
	}
	require.NoError(t, r.Close())
	epoch = hubEpoch(t, db)
	var merged mergeResult
	okJSON(t, &merged, hubArgs(db, "merge", "--backup", filepath.Join(dir, "backups"))...)
	require.NotNil(t, merged.Backup)
	return db, *merged.Backup, epoch
}

func TestServeRefusesADamagedHubAndRestoreReplacesIt(t *testing.T) {
	dir := t.TempDir()
	db, backup, epoch := damagedHub(t, dir)
	damageFile(t, db)
	damaged := hashOf(t, db)

	res := wx(t, hubArgs(db, "serve", "--addr", "127.0.0.1:0")...)
	require.Equal(t, 1, res.code, res.stderr)
	assert.Empty(t, res.stdout, "the hub did not start")
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %s", res.stderr)
	assert.True(t, strings.HasPrefix(res.stderr, "错误：hub 数据库 "+db+" 已损坏，hub 没有启动"), res.stderr)
	assert.Contains(t, res.stderr, "wanxia hub restore --db "+db+" --from "+backup+"；", "names the newest backup beside the database")
	assert.Contains(t, res.stderr, "不会删除")

	res = wx(t, append(hubArgs(db, "serve", "--addr", "127.0.0.1:0"), "--lang", "en")...)
	require.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "error: the hub's database "+db+" is damaged; the hub did not start")
	assert.Contains(t, res.stderr, "wanxia hub restore --db "+db+" --from "+backup+";")
	assert.Equal(t, damaged, hashOf(t, db), "refusing writes nothing")

	out := ok(t, hubArgs(db, "restore", "--from", backup)...)
	aside := db + ".damaged-20261128-100000"
	assert.Contains(t, out, "已用备份 "+backup+" 恢复 hub 数据库 "+db)
	assert.Contains(t, out, "损坏的数据库已改名留在 "+aside)
	assert.Contains(t, out, "新的纪元")
	assert.Equal(t, damaged, hashOf(t, aside), "the damaged file is kept as it was")
	assert.NotEqual(t, epoch, hubEpoch(t, db), "a restored hub starts a new epoch")
	var cadres []map[string]any
	okJSON(t, &cadres, hubArgs(db, "cadre", "list")...)
	assert.Len(t, cadres, 300)

	// And it serves again.
	ctx, stop := context.WithCancel(context.Background())
	var stdout, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- runAt(ctx, testkit.FixedNow, hubArgs(db, "serve", "--addr", "127.0.0.1:0"), strings.NewReader(""), &stdout, &logs)
	}()
	waitFor(t, "hub serve to listen", func() bool { return strings.Contains(stdout.String(), "hub 正在") })
	assert.Contains(t, logs.String(), "database checked")
	stop()
	assert.Equal(t, 0, <-served, logs.String())
}

func TestServeRefusesATruncatedHubAndRestoreReplacesIt(t *testing.T) {
	dir := t.TempDir()
	db, backup, epoch := damagedHub(t, dir)
	// A backup folder hub serve was not told of, and not beside the file.
	elsewhere := filepath.Join(t.TempDir(), "kept-elsewhere.db")
	require.NoError(t, os.Rename(backup, elsewhere))
	st, err := os.Stat(db)
	require.NoError(t, err)
	require.NoError(t, os.Truncate(db, st.Size()/2))

	res := wx(t, hubArgs(db, "serve", "--addr", "127.0.0.1:0")...)
	require.Equal(t, 1, res.code, res.stderr)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %s", res.stderr)
	assert.Contains(t, res.stderr, "hub 数据库 "+db+" 已损坏")
	assert.Contains(t, res.stderr, "wanxia hub restore --db "+db+" --from 备份文件", "no backup known: it says what to give")
	res = wx(t, hubArgs(db, "cadre", "list")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "数据库文件已损坏", "every verb names the damage")
	assert.Contains(t, res.stderr, "wanxia hub restore --from")

	var restored restoreJSON
	okJSON(t, &restored, hubArgs(db, "restore", "--from", elsewhere)...)
	assert.True(t, restored.Damaged)
	require.NotNil(t, restored.Aside)
	assert.FileExists(t, *restored.Aside)
	assert.NotEmpty(t, restored.HubEpoch)
	assert.NotEqual(t, epoch, restored.HubEpoch)
	assert.Equal(t, restored.HubEpoch, hubEpoch(t, db))
	var cadres []map[string]any
	okJSON(t, &cadres, hubArgs(db, "cadre", "list")...)
	assert.Len(t, cadres, 300)
}

func TestHubRestoreRefusesWhatIsNotAHubBackup(t *testing.T) {
	dir := t.TempDir()
	db, backup, _ := damagedHub(t, dir)
	before := hashOf(t, db)
	bad := filepath.Join(dir, "bad.db")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Repeat("not a database ", 1000)), 0o600))

	res := wx(t, hubArgs(db, "restore", "--from", bad)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "备份 "+bad+" 没有通过检查")
	assert.Contains(t, res.stderr, "原数据库未动")

	officeDB := filepath.Join(dir, "office.db")
	r, err := store.Open(context.Background(), officeDB, syncsvc.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	res = wx(t, hubArgs(db, "restore", "--from", officeDB)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, officeDB+" 是办公室的数据库，不是区 hub的备份")

	release, err := syncsvc.Lock(db)
	require.NoError(t, err)
	res = wx(t, hubArgs(db, "restore", "--from", backup)...)
	require.NoError(t, release())
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "正被 wanxia hub serve 或另一个 wanxia 进程使用")

	assert.Equal(t, before, hashOf(t, db), "every refusal leaves the database alone")
	matches, err := filepath.Glob(db + ".*")
	require.NoError(t, err)
	for _, m := range matches {
		assert.True(t, strings.HasSuffix(m, ".lock"), "nothing set aside: %s", m)
	}
}

// officeAtHub registers an office of community sy at a hub served over
// httptest and initialises its replica.
func officeAtHub(t *testing.T, hubDB, id string) *office {
	t.Helper()
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", id, "--name", id+"办公室", "--communities", "sy")...)
	r, err := store.Open(context.Background(), hubDB, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(func() {
		srv.Close()
		assert.NoError(t, r.Close())
	})
	return newOffice(t, id, added["token"].(string), srv.URL)
}

func TestOfficeBackupAndRestore(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	sy := officeAtHub(t, hubDB, "sy-1")
	sy.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy")
	sy.addCadre("李秀英", testkit.IDNumberFor("370102", "19491231", 2), "sy")

	var b officeBackupJSON
	sy.okJSON(&b, "backup")
	assert.Equal(t, "sy-1", b.Office)
	assert.Equal(t, filepath.Join(filepath.Dir(sy.db), "backups"), filepath.Dir(b.Backup), "a backups folder beside the replica")
	require.NoError(t, syncsvc.VerifyBackup(context.Background(), b.Backup, syncsvc.RoleOffice))
	out := sy.ok("backup", filepath.Join(t.TempDir(), "usb"))
	assert.Contains(t, out, "已备份办公室 sy-1 的数据库 "+sy.db)

	sy.addCadre("张志强", testkit.IDNumberFor("370102", "19280512", 3), "sy")
	out = sy.ok("restore", "--from", b.Backup)
	aside := sy.db + ".replaced-20261128-100000"
	assert.Contains(t, out, "已用备份 "+b.Backup+" 恢复办公室 sy-1 的数据库 "+sy.db)
	assert.Contains(t, out, "原来的数据库已改名留在 "+aside)
	assert.Contains(t, out, "下次运行 wanxia office sync 时，会把 hub 缺少的更改再发一遍")
	var list []map[string]any
	sy.okJSON(&list, "cadre", "list")
	assert.ElementsMatch(t, []string{"王建国", "李秀英"}, names(t, list), "the data as it was at the backup")
	kept, err := store.Open(context.Background(), aside, syncsvc.Options{})
	require.NoError(t, err)
	all, err := kept.Cadres(context.Background(), store.CadreFilter{})
	require.NoError(t, err)
	require.NoError(t, kept.Close())
	assert.Len(t, all, 3, "the replaced file keeps the cadre added after the backup")

	// Another office's backup is refused, and so is the hub's.
	other := officeAtHub(t, hubDB, "sy-2")
	var ob officeBackupJSON
	other.okJSON(&ob, "backup")
	before := hashOf(t, sy.db)
	res := sy.run("restore", "--from", ob.Backup)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "备份 "+ob.Backup+" 属于办公室 sy-2，不是本办公室 sy-1 的；没有恢复，原数据库未动")
	res = sy.run("restore", "--from", ob.Backup, "--lang", "en")
	assert.Contains(t, res.stderr, "belongs to office sy-2, not to this office sy-1")
	var hubBackup mergeResult
	okJSON(t, &hubBackup, hubArgs(hubDB, "merge", "--backup", filepath.Join(t.TempDir(), "hub-backups"))...)
	require.NotNil(t, hubBackup.Backup)
	res = sy.run("restore", "--from", *hubBackup.Backup)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "是区 hub的数据库，不是办公室的备份")
	assert.Equal(t, before, hashOf(t, sy.db))

	// Not while another process has the replica.
	release, err := syncsvc.Lock(sy.db)
	require.NoError(t, err)
	res = sy.run("restore", "--from", b.Backup)
	require.NoError(t, release())
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "正被另一个 wanxia 进程使用")

	res = sy.run("restore")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "缺少选项 --from")
	res = sy.run("backup", "a", "b")
	assert.Equal(t, 2, res.code)
}

func TestOfficeRestoreReplacesADamagedReplica(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	sy := officeAtHub(t, hubDB, "sy-1")
	for i := range 150 {
		sy.addCadre("干部", testkit.IDNumberFor("370102", "19450101", i+1), "sy")
	}
	var b officeBackupJSON
	sy.okJSON(&b, "backup")
	damageFile(t, sy.db)
	damaged := hashOf(t, sy.db)

	var restored restoreJSON
	sy.okJSON(&restored, "restore", "--from", b.Backup)
	assert.True(t, restored.Damaged)
	assert.Equal(t, "sy-1", restored.Office)
	require.NotNil(t, restored.Aside)
	assert.Equal(t, sy.db+".damaged-20261128-100000", *restored.Aside)
	assert.Equal(t, damaged, hashOf(t, *restored.Aside))
	assert.Empty(t, restored.HubEpoch, "an office has no epoch")
	var list []map[string]any
	sy.okJSON(&list, "cadre", "list")
	assert.Len(t, list, 150)
}
