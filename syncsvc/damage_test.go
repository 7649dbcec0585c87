package syncsvc_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// damageHub writes a closed hub database of n cadres, in ten communities,
// at path.
func damageHub(tb testing.TB, path string, n int) {
	tb.Helper()
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(tb, err)
	base := syncsvc.HLCFromTime(time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
	for start := 0; start < n; start += 10_000 {
		batch := make([]syncsvc.Change, 0, 10_000)
		for i := start; i < min(n, start+10_000); i++ {
			community := fmt.Sprintf("c%d", i%10)
			vals := crashCadreValues(crashCadre(tb, i, community))
			ch := syncsvc.Change{Table: store.CadresTable, ID: uuid.Must(uuid.NewV7()), Scope: community}
			st := syncsvc.Stamp{HLC: base + int64(i), Node: benchRemote}
			for _, f := range benchFields {
				ch.Fields = append(ch.Fields, syncsvc.FieldChange{Name: f, Value: vals[f], Stamp: st})
			}
			batch = append(batch, ch)
		}
		_, err := r.Apply(ctx, batch, syncsvc.ApplyOptions{})
		require.NoError(tb, err)
	}
	require.NoError(tb, r.Close())
}

// BenchmarkDatabaseCheck measures the check hub serve runs on start
// (PRAGMA quick_check) against the full PRAGMA integrity_check, on a hub
// of 50,000 cadres.
func BenchmarkDatabaseCheck(b *testing.B) {
	path := filepath.Join(b.TempDir(), "hub.db")
	damageHub(b, path, 50_000)
	st, err := os.Stat(path)
	require.NoError(b, err)
	b.Logf("hub of 50,000 cadres: %.1f MiB", float64(st.Size())/(1<<20))
	for _, pragma := range []string{"quick_check", "integrity_check"} {
		b.Run(pragma, func(b *testing.B) {
			for b.Loop() {
				db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
				require.NoError(b, err)
				var res string
				require.NoError(b, db.QueryRow("PRAGMA "+pragma).Scan(&res))
				require.Equal(b, "ok", res)
				require.NoError(b, db.Close())
			}
		})
	}
	b.Run("CheckDatabase", func(b *testing.B) {
		for b.Loop() {
			require.NoError(b, syncsvc.CheckDatabase(ctx, path))
		}
	})
}

// flipMiddle flips every bit of n bytes in the middle of the file at path.
func flipMiddle(tb testing.TB, path string, n int) {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	require.Greater(tb, len(b), 2*n, "the file is too small to damage in the middle")
	mid := len(b)/2 - n/2
	for i := mid; i < mid+n; i++ {
		b[i] ^= 0xff
	}
	require.NoError(tb, os.WriteFile(path, b, 0o600))
}

// truncateTo cuts the file at path to size bytes.
func truncateTo(tb testing.TB, path string, size int64) {
	tb.Helper()
	require.NoError(tb, os.Truncate(path, size))
}

// copyDB copies a database file, and its -wal and -shm when there are, to
// to (with the same suffixes).
func copyDB(tb testing.TB, from, to string) {
	tb.Helper()
	for _, s := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(from + s)
		if errors.Is(err, fs.ErrNotExist) && s != "" {
			continue
		}
		require.NoError(tb, err)
		require.NoError(tb, os.WriteFile(to+s, b, 0o600))
	}
}

// damageHash is the SHA-256 of a file, "" when there is none.
func damageHash(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	require.NoError(tb, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// countCadres counts the cadres of a closed database.
func countCadres(tb testing.TB, path string, role syncsvc.Role) int {
	tb.Helper()
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role})
	require.NoError(tb, err)
	defer r.Close()
	all, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(tb, err)
	return len(all)
}

func TestCheckDatabaseFindsDamage(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	sound := filepath.Join(dir, "sound.db")
	damageHub(t, sound, 3000)
	require.NoError(t, syncsvc.CheckDatabase(ctx, sound))
	st, err := os.Stat(sound)
	require.NoError(t, err)

	damages := map[string]func(path string){
		"8 KiB flipped in the middle": func(p string) { flipMiddle(t, p, 8<<10) },
		"cut in half":                 func(p string) { truncateTo(t, p, st.Size()/2) },
		"cut inside the header":       func(p string) { truncateTo(t, p, 50) },
		"cut to nothing":              func(p string) { truncateTo(t, p, 0) },
		"not a database":              func(p string) { require.NoError(t, os.WriteFile(p, bytes.Repeat([]byte("wanxia "), 4096), 0o600)) },
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hub.db")
			copyDB(t, sound, path)
			damage(path)
			before := damageHash(t, path)
			err := syncsvc.CheckDatabase(ctx, path)
			require.ErrorIs(t, err, syncsvc.ErrDamaged)
			assert.True(t, syncsvc.IsDamaged(err))
			assert.Contains(t, err.Error(), path, "the error names the file")
			assert.Equal(t, before, damageHash(t, path), "the check writes nothing")
			assert.NoFileExists(t, path+"-wal", "the check leaves no WAL behind")
		})
	}

	t.Run("a live hub with changes in its WAL is sound", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "hub.db")
		copyDB(t, sound, path)
		r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
		require.NoError(t, err)
		defer r.Close()
		c := testkit.Cadre(90_001, "c1")
		_, err = r.PutCadre(ctx, &c)
		require.NoError(t, err)
		wal, err := os.Stat(path + "-wal")
		require.NoError(t, err)
		require.Positive(t, wal.Size())
		assert.NoError(t, syncsvc.CheckDatabase(ctx, path))
	})

	err = syncsvc.CheckDatabase(ctx, filepath.Join(dir, "missing.db"))
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.False(t, syncsvc.IsDamaged(err), "a missing file is not a damaged one")
}

// idNumberPattern matches an 18-character ID number.
var idNumberPattern = regexp.MustCompile(`\d{17}[\dXx]`)

func TestDamagedHubAnswersInternalAndLogs(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	damageHub(t, path, 3000)
	flipMiddle(t, path, 8<<10)
	var logs lockedLog
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err, "a damaged hub opens; only its damaged pages fail")
	defer r.Close()
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(transport.Handler(hub))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	_, token, err := r.AddOffice(ctx, "c1", "c1办公室", []string{"c1"})
	require.NoError(t, err)
	office := openReplica(t, syncsvc.RoleOffice, nil)
	agent, err := transport.NewAgent(office.Replica, transport.ClientConfig{HubURL: srv.URL, Token: token, HTTPClient: srv.Client()}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)

	_, err = agent.Sync(ctx)
	require.Error(t, err, "the office cannot pull the damaged community")
	assert.ErrorIs(t, err, syncsvc.ErrDamaged)
	assert.Contains(t, syncsvc.HubMessage(err), "the hub's database is damaged")
	assert.Contains(t, syncsvc.HubMessage(err), "wanxia hub restore")
	assert.Contains(t, logs.String(), `"level":"ERROR"`)
	assert.Contains(t, logs.String(), "the hub's database is damaged")
	assert.Contains(t, logs.String(), "malformed", "the log keeps SQLite's words")
	assert.False(t, idNumberPattern.MatchString(logs.String()), "no ID number in the log:\n%s", logs.String())
}

// lockedLog is a log a server writes while a test reads it.
type lockedLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// restoreNow is the time a test's restore names the file it keeps aside by.
func restoreNow() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, syncsvc.Shanghai()) }

// hubWithBackup writes a hub of n cadres at path, with an epoch, and a
// verified backup of it; it returns the backup and the epoch.
func hubWithBackup(t *testing.T, path string, n int) (backup, epoch string) {
	t.Helper()
	damageHub(t, path, n)
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	epoch, err = r.HubEpoch(ctx)
	require.NoError(t, err)
	backup, err = r.Backup(ctx, filepath.Join(filepath.Dir(path), "backups"))
	require.NoError(t, err)
	require.NoError(t, r.Close())
	return backup, epoch
}

func TestRestoreReplacesADamagedHub(t *testing.T) {
	t.Parallel()
	damages := map[string]func(path string){
		"8 KiB flipped in the middle": func(p string) { flipMiddle(t, p, 8<<10) },
		"cut in half": func(p string) {
			st, err := os.Stat(p)
			require.NoError(t, err)
			truncateTo(t, p, st.Size()/2)
		},
		"cut to nothing": func(p string) { truncateTo(t, p, 0) },
	}
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "hub.db")
			backup, epoch := hubWithBackup(t, path, 500)
			damage(path)
			// What a crash leaves beside the file: a WAL and its index.
			require.NoError(t, os.WriteFile(path+"-wal", []byte("the WAL of the damaged file"), 0o600))
			require.NoError(t, os.WriteFile(path+"-shm", []byte("its index"), 0o600))
			damagedHash, walHash := damageHash(t, path), damageHash(t, path+"-wal")
			require.ErrorIs(t, syncsvc.CheckDatabase(ctx, path), syncsvc.ErrDamaged)

			res, err := syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{Now: restoreNow})
			require.NoError(t, err)
			assert.True(t, res.Damaged)
			assert.Equal(t, syncsvc.RoleHub, res.Role)
			assert.Equal(t, path+".damaged-20261128-100000", res.Aside)
			assert.Equal(t, damagedHash, damageHash(t, res.Aside), "the damaged file is kept aside as it was")
			assert.Equal(t, walHash, damageHash(t, res.Aside+"-wal"), "with its WAL")
			assert.FileExists(t, res.Aside+"-shm")
			assert.NoFileExists(t, path+"-wal", "the old WAL never meets the restored file")

			require.NoError(t, syncsvc.CheckDatabase(ctx, path))
			assert.Equal(t, 500, countCadres(t, path, syncsvc.RoleHub))
			r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
			require.NoError(t, err)
			defer r.Close()
			now, err := r.HubEpoch(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, epoch, now, "a restored hub starts a new epoch")
			assert.Equal(t, res.HubEpoch, now)
			_, err = uuid.Parse(now)
			assert.NoError(t, err)
		})
	}

	t.Run("missing", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "hub.db")
		backup, _ := hubWithBackup(t, path, 50)
		require.NoError(t, os.Remove(path))
		res, err := syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{Now: restoreNow})
		require.NoError(t, err)
		assert.Empty(t, res.Aside)
		assert.False(t, res.Damaged)
		assert.NotEmpty(t, res.HubEpoch)
		assert.Equal(t, 50, countCadres(t, path, syncsvc.RoleHub))
	})

	t.Run("sound: kept aside too, with what came after the backup", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "hub.db")
		backup, _ := hubWithBackup(t, path, 50)
		r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
		require.NoError(t, err)
		late := testkit.Cadre(90_002, "c1")
		_, err = r.PutCadre(ctx, &late)
		require.NoError(t, err)
		require.NoError(t, r.Close())
		require.NoError(t, os.WriteFile(path+".replaced-20261128-100000", nil, 0o600), "a name already taken")

		res, err := syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{Now: restoreNow})
		require.NoError(t, err)
		assert.False(t, res.Damaged)
		assert.Equal(t, path+".replaced-20261128-100000-2", res.Aside)
		assert.Equal(t, 50, countCadres(t, path, syncsvc.RoleHub))
		assert.Equal(t, 51, countCadres(t, res.Aside, syncsvc.RoleHub), "the replaced file keeps the cadre added after the backup")
	})
}

func TestRestoreRefusesWhatItShouldNot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "hub.db")
	backup, _ := hubWithBackup(t, path, 50)

	officeA := openReplica(t, syncsvc.RoleOffice, nil)
	require.NoError(t, officeA.SetMeta(ctx, map[string]string{"office_id": "a"}))
	officeBackup, err := officeA.Backup(ctx, filepath.Join(dir, "office-backups"))
	require.NoError(t, err)
	officeB := openReplica(t, syncsvc.RoleOffice, nil)
	require.NoError(t, officeB.SetMeta(ctx, map[string]string{"office_id": "b"}))
	bPath := officeB.Path()
	require.NoError(t, officeB.Close())

	garbage := filepath.Join(dir, "garbage.db")
	require.NoError(t, os.WriteFile(garbage, bytes.Repeat([]byte("x"), 8192), 0o600))
	flipped := filepath.Join(dir, "flipped-backup.db")
	copyDB(t, backup, flipped)
	flipMiddle(t, flipped, 8<<10)

	cases := []struct {
		name, from, path string
		opts             syncsvc.RestoreOptions
		want             error
	}{
		{"an office's backup over the hub", officeBackup, path, syncsvc.RestoreOptions{}, syncsvc.ErrOtherReplica},
		{"an office's backup as a hub", officeBackup, filepath.Join(dir, "new-hub.db"), syncsvc.RestoreOptions{Role: syncsvc.RoleHub}, syncsvc.ErrOtherReplica},
		{"another office's backup", officeBackup, bPath, syncsvc.RestoreOptions{Role: syncsvc.RoleOffice, Same: []string{"office_id"}}, syncsvc.ErrOtherReplica},
		{"not a database", garbage, path, syncsvc.RestoreOptions{}, syncsvc.ErrBadBackup},
		{"a damaged backup", flipped, path, syncsvc.RestoreOptions{}, syncsvc.ErrBadBackup},
		{"no backup", filepath.Join(dir, "missing.db"), path, syncsvc.RestoreOptions{}, syncsvc.ErrBadBackup},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := damageHash(t, c.path)
			_, err := syncsvc.RestoreFile(ctx, c.from, c.path, c.opts)
			require.ErrorIs(t, err, c.want)
			assert.Equal(t, before, damageHash(t, c.path), "the database is as it was")
			matches, err := filepath.Glob(c.path + ".*-2026*")
			require.NoError(t, err)
			assert.Empty(t, matches, "nothing was set aside")
			restoring, err := filepath.Glob(c.path + ".restore-*")
			require.NoError(t, err)
			assert.Empty(t, restoring, "no copy is left half-way")
		})
	}

	t.Run("hub serve holds the lock", func(t *testing.T) {
		release, err := syncsvc.Lock(path)
		require.NoError(t, err)
		defer release()
		_, err = syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{})
		assert.ErrorIs(t, err, syncsvc.ErrInUse)
	})
}

const (
	holdPathEnv = "WANXIA_HOLD_DB"
	holdReady   = "holding the database"
)

// TestHoldDatabaseChild is the child process of
// TestRestoreRefusedWhileAnotherProcessHasTheFileOpen: it opens the
// replica named by WANXIA_HOLD_DB, reads it, and keeps it open until its
// stdin closes.
func TestHoldDatabaseChild(t *testing.T) {
	path := os.Getenv(holdPathEnv)
	if path == "" {
		t.Skip("the child process of TestRestoreRefusedWhileAnotherProcessHasTheFileOpen")
	}
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	_, err = r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	fmt.Println(holdReady)
	_, _ = io.Copy(io.Discard, os.Stdin)
	require.NoError(t, r.Close())
}

func TestRestoreRefusedWhileAnotherProcessHasTheFileOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hub.db")
	backup, _ := hubWithBackup(t, path, 20)

	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldDatabaseChild$")
	cmd.Env = append(os.Environ(), holdPathEnv+"="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	line, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err)
	require.Equal(t, holdReady, strings.TrimSpace(line))

	before := damageHash(t, path)
	_, err = syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{})
	require.ErrorIs(t, err, syncsvc.ErrInUse, "another process has the file open")
	assert.Equal(t, before, damageHash(t, path))

	require.NoError(t, stdin.Close())
	go io.Copy(io.Discard, stdout)
	require.NoError(t, cmd.Wait())
	_, err = syncsvc.RestoreFile(ctx, backup, path, syncsvc.RestoreOptions{})
	assert.NoError(t, err, "once it has closed the file")
}

// flipTable flips every byte of the root page of a table of the closed
// database at path.
func flipTable(t *testing.T, path, table string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(t, err)
	var root, size int64
	require.NoError(t, db.QueryRow("SELECT rootpage FROM sqlite_schema WHERE type='table' AND name=?", table).Scan(&root))
	require.NoError(t, db.QueryRow("PRAGMA page_size").Scan(&size))
	require.NoError(t, db.Close())
	require.Greater(t, root, int64(1))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	defer f.Close()
	page := make([]byte, size)
	_, err = f.ReadAt(page, (root-1)*size)
	require.NoError(t, err)
	for i := range page {
		page[i] ^= 0xff
	}
	_, err = f.WriteAt(page, (root-1)*size)
	require.NoError(t, err)
}

func TestDamageMetWhileCheckingTheTokenIsAnsweredAsDamage(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	_, token, err := r.AddOffice(ctx, "c1", "c1办公室", []string{"c1"})
	require.NoError(t, err)
	require.NoError(t, r.Close())
	flipTable(t, path, "offices")

	var logs lockedLog
	r, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer r.Close()
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(transport.Handler(hub))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	office := openReplica(t, syncsvc.RoleOffice, nil)
	agent, err := transport.NewAgent(office.Replica, transport.ClientConfig{HubURL: srv.URL, Token: token, HTTPClient: srv.Client()}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)

	_, err = agent.Sync(ctx)
	assert.ErrorIs(t, err, syncsvc.ErrDamaged)
	assert.Contains(t, syncsvc.HubMessage(err), "the hub's database is damaged")
	assert.Contains(t, logs.String(), "the hub's database is damaged")
	assert.Contains(t, logs.String(), "Hello", "the log names the call")
}
