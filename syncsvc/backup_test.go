package syncsvc_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestBackupIsCheckedAndRestores(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "hub.db")
	hub, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	for i := range 5 {
		c := testkit.Cadre(i, "sy")
		_, err := hub.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	backup, err := hub.Backup(ctx, filepath.Join(dir, "backups"))
	require.NoError(t, err)
	st, err := os.Stat(backup)
	require.NoError(t, err)
	assert.Equal(t, testkit.PrivateMode(), st.Mode().Perm())

	late := testkit.Cadre(9, "sy")
	_, err = hub.PutCadre(ctx, &late)
	require.NoError(t, err)

	release, err := syncsvc.Lock(path)
	require.NoError(t, err)
	assert.ErrorIs(t, syncsvc.Restore(ctx, backup, path), syncsvc.ErrInUse, "no restore while hub serve holds the database")
	require.NoError(t, release())
	require.NoError(t, hub.Close())

	require.NoError(t, syncsvc.Restore(ctx, backup, path))
	hub, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer hub.Close()
	all, err := hub.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 5, "the database is as it was at the backup")

	bad := filepath.Join(dir, "not-a-db")
	require.NoError(t, os.WriteFile(bad, []byte("hello"), 0o600))
	assert.Error(t, syncsvc.Restore(ctx, bad, path))
	all, err = hub.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 5, "a failed restore leaves the database alone")
}

func TestBackupIntoAnUnwritableDirectoryFails(t *testing.T) {
	t.Parallel()
	if !testkit.FolderModesBind(t) {
		t.Skip("a folder's mode does not bind here (root, or Windows)")
	}
	hub := openReplica(t, syncsvc.RoleHub, nil)
	dir := t.TempDir()
	require.NoError(t, os.Chmod(dir, 0o500))
	_, err := hub.Backup(ctx, filepath.Join(dir, "x"))
	assert.Error(t, err)
}

func TestSyncSummaryAndRestartedHub(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		start := h.clk.Now()
		a, agentA := h.office(t, "sy", "sy")
		h.office(t, "gsq", "gsq")
		for i := range 4 {
			c := testkit.Cadre(i, "sy")
			_, err := a.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		syncOK(t, agentA)
		h.clk.Advance(time.Minute)
		sum, err := h.r.SyncSummary(ctx, start)
		require.NoError(t, err)
		require.Len(t, sum, 2)
		assert.Equal(t, "gsq", sum[0].Office.ID)
		assert.False(t, sum[0].Synced, "gsq did not sync")
		assert.True(t, sum[1].Synced)
		assert.Equal(t, 4, sum[1].Applied)
		assert.Equal(t, 1, sum[1].Pushes)
		assert.Positive(t, sum[1].Pulled, "it pulled the community record")
	})
}

// TestBackupsInOneMillisecondTakeFreeNames: two backups the clock puts in
// the same millisecond (a fixed clock here; a coarse one on Windows) are
// two files, both checked.
func TestBackupsInOneMillisecondTakeFreeNames(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Now: testkit.FixedNow})
	dir := filepath.Join(t.TempDir(), "备份")
	first, err := r.Backup(ctx, dir)
	require.NoError(t, err)
	second, err := r.Backup(ctx, dir)
	require.NoError(t, err)
	assert.Equal(t, "wanxia-office-20261128-020000.000.db", filepath.Base(first))
	assert.Equal(t, "wanxia-office-20261128-020000.000-2.db", filepath.Base(second))
	for _, b := range []string{first, second} {
		assert.NoError(t, syncsvc.VerifyBackup(ctx, b, syncsvc.RoleOffice))
	}
}
