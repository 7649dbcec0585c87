package syncsvc_test

import (
	"compress/gzip"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// oldReplica copies a replica written by wanxia at schema 7 (made by
// testdata/schema7/make.sh: "office" or "hub") into a new folder with a
// Chinese name, and returns its path.
func oldReplica(t *testing.T, which string) string {
	t.Helper()
	in, err := os.Open(filepath.Join("testdata", "schema7", which+".db.gz"))
	require.NoError(t, err)
	defer in.Close()
	zr, err := gzip.NewReader(in)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "晚霞数据")
	require.NoError(t, os.Mkdir(dir, 0o700))
	path := filepath.Join(dir, which+".db")
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	return path
}

// schemaOf reads the schema version of the database file at path.
func schemaOf(t *testing.T, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro")
	require.NoError(t, err)
	defer db.Close()
	var v int
	require.NoError(t, db.QueryRow("PRAGMA user_version").Scan(&v))
	return v
}

// TestOlderOfficeReplicaIsBackedUpThenUpgraded: a newer program opens the
// file an older one wrote (schema 7, two cadres, one of them not yet
// synced): it first writes a checked copy into backups beside it, then
// migrates; the cadres, the node and the change waiting to be sent are all
// there, and the copy is the file as it was. Opening again migrates and
// copies nothing.
func TestOlderOfficeReplicaIsBackedUpThenUpgraded(t *testing.T) {
	t.Parallel()
	path := oldReplica(t, "office")
	require.Equal(t, 7, schemaOf(t, path))
	before := fileHash(t, path)

	r, err := store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	up := r.Upgraded()
	require.NotNil(t, up, "an older file is upgraded")
	assert.Equal(t, 7, up.From)
	assert.Equal(t, syncsvc.SchemaVersion(), up.To)
	assert.Equal(t, filepath.Join(filepath.Dir(path), "backups"), filepath.Dir(up.Backup))
	assert.Regexp(t, `^wanxia-office-\d{8}-\d{6}\.\d{3}-schema-7\.db$`, filepath.Base(up.Backup))
	node := r.Node()

	cadres, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	var names []string
	for _, c := range cadres {
		names = append(names, c.Name)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"张志强", "李秀英"}, names, "every cadre kept")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "the change not yet synced still waits to be sent")
	require.NoError(t, r.Close())
	assert.Equal(t, syncsvc.SchemaVersion(), schemaOf(t, path))

	// The copy is the old file: its schema, and it passes a restore's check.
	assert.Equal(t, 7, schemaOf(t, up.Backup))
	require.NoError(t, syncsvc.VerifyBackup(ctx, up.Backup, syncsvc.RoleOffice))
	listed, err := syncsvc.Backups(filepath.Dir(up.Backup), syncsvc.RoleOffice)
	require.NoError(t, err)
	assert.Equal(t, []string{up.Backup}, listed, "office restore finds it among the backups")
	assert.NotEqual(t, before, fileHash(t, path), "the file itself was migrated")

	r, err = store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	assert.Nil(t, r.Upgraded(), "already at this schema")
	assert.Equal(t, node, r.Node(), "the same computer, not a new node")
	require.NoError(t, r.Close())
	entries, err := os.ReadDir(filepath.Dir(up.Backup))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no second copy")
}

// TestOlderHubReplicaIsUpgraded: the hub's file from the same older
// program keeps its office and the records it was sent.
func TestOlderHubReplicaIsUpgraded(t *testing.T) {
	t.Parallel()
	path := oldReplica(t, "hub")
	backups := filepath.Join(t.TempDir(), "备份")
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, UpgradeBackups: backups})
	require.NoError(t, err)
	defer r.Close()
	require.NotNil(t, r.Upgraded())
	assert.Equal(t, backups, filepath.Dir(r.Upgraded().Backup), "the folder asked for")
	assert.Equal(t, 7, schemaOf(t, r.Upgraded().Backup))
	offices, err := r.Offices(ctx)
	require.NoError(t, err)
	require.Len(t, offices, 1)
	assert.Equal(t, "sy", offices[0].ID)
	cadres, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	require.Len(t, cadres, 1, "the cadre the office had pushed")
	assert.Equal(t, "李秀英", cadres[0].Name)
}

// TestNoUpgradeWithoutItsBackup: when the copy cannot be written (here
// the backups folder is taken by a file), nothing is migrated: the file is
// left exactly as the older program wrote it.
func TestNoUpgradeWithoutItsBackup(t *testing.T) {
	t.Parallel()
	path := oldReplica(t, "office")
	blocker := filepath.Join(t.TempDir(), "backups")
	require.NoError(t, os.WriteFile(blocker, []byte("not a folder"), 0o600))
	before := fileHash(t, path)
	_, err := store.Open(ctx, path, syncsvc.Options{UpgradeBackups: blocker})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "back up before upgrading schema 7")
	assert.Equal(t, 7, schemaOf(t, path))
	assert.Equal(t, before, fileHash(t, path), "not a byte changed")
}

// TestEverySchemaUpgrades: a file at each older schema, made from the
// migrations as they were released, opens, is copied first, and reaches
// this program's schema.
func TestEverySchemaUpgrades(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob(filepath.Join("migrations", "*.sql"))
	require.NoError(t, err)
	sort.Strings(files)
	require.Len(t, files, syncsvc.SchemaVersion())
	for v := 1; v < len(files); v++ {
		t.Run(fmt.Sprintf("schema %d", v), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "office.db")
			db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
			require.NoError(t, err)
			for _, f := range files[:v] {
				src, err := os.ReadFile(f)
				require.NoError(t, err)
				_, err = db.Exec(string(src))
				require.NoError(t, err, f)
			}
			// What every program has written into meta since schema 1.
			_, err = db.Exec(`INSERT INTO meta (key, value) VALUES ('role', 'office'), ('node', ?), ('hlc', '0')`, uuid.NewString())
			require.NoError(t, err)
			_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", v))
			require.NoError(t, err)
			require.NoError(t, db.Close())

			r, err := store.Open(ctx, path, syncsvc.Options{})
			require.NoError(t, err)
			defer r.Close()
			require.NotNil(t, r.Upgraded())
			assert.Equal(t, v, r.Upgraded().From)
			assert.Equal(t, v, schemaOf(t, r.Upgraded().Backup))
			assert.Equal(t, syncsvc.SchemaVersion(), schemaOf(t, path))
		})
	}
}

// TestTwoOpensUpgradeOneFileOnce: two opens of one older file at the
// same moment (a clerk double-clicking twice after an update) both
// succeed, and each migration runs once.
func TestTwoOpensUpgradeOneFileOnce(t *testing.T) {
	t.Parallel()
	path := oldReplica(t, "office")
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			r, err := store.Open(ctx, path, syncsvc.Options{BusyTimeout: 20 * time.Second})
			if err == nil {
				err = r.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	assert.Equal(t, syncsvc.SchemaVersion(), schemaOf(t, path))
}
