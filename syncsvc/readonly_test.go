package syncsvc_test

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// closedOffice makes an office replica holding one cadre in a folder of
// its own, closes it and returns its path and the cadre.
func closedOffice(t *testing.T) (string, cadre.Cadre) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "office.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Now: testkit.FixedNow})
	require.NoError(t, err)
	c := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.NoError(t, r.Close())
	return path, c
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(b)
}

// readsButRefusesWrites checks that r reads what closedOffice wrote and
// refuses a write with ErrReadOnly.
func readsButRefusesWrites(t *testing.T, r *store.Replica, path string, c cadre.Cadre) {
	t.Helper()
	assert.True(t, r.ReadOnly())
	got, err := r.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c.Name, got.Name)
	cs, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, cs, 1)
	_, err = r.ScheduleRecordsByCadre(ctx)
	require.NoError(t, err, "the reads of the reports work")

	c2 := testkit.Cadre(2, "sy")
	_, err = r.PutCadre(ctx, &c2)
	require.ErrorIs(t, err, syncsvc.ErrReadOnly)
	var ro *syncsvc.ReadOnlyError
	require.ErrorAs(t, err, &ro)
	assert.Equal(t, path, ro.Path)
	assert.False(t, ro.Upgrade)
	_, err = r.Cadre(ctx, c2.ID)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "nothing was written")
}

// TestReadOnlyOpenReadsAndRefusesWrites: in SQLite's read-only mode
// (Options.ReadOnly, which needs no permissions and so runs as root too) a
// replica reads, refuses writes with ErrReadOnly, and leaves the file and
// its folder as they were.
func TestReadOnlyOpenReadsAndRefusesWrites(t *testing.T) {
	t.Parallel()
	path, c := closedOffice(t)
	before := fileSum(t, path)
	r, err := store.Open(ctx, path, syncsvc.Options{Now: testkit.FixedNow, ReadOnly: true})
	require.NoError(t, err)
	readsButRefusesWrites(t, r, path, c)
	require.NoError(t, r.Close())
	assert.Equal(t, before, fileSum(t, path), "the file is unchanged")
	for _, side := range []string{"-wal", "-shm", "-journal"} {
		assert.NoFileExists(t, path+side)
	}

	_, err = store.Open(ctx, filepath.Join(t.TempDir(), "none.db"), syncsvc.Options{ReadOnly: true})
	assert.ErrorIs(t, err, os.ErrNotExist, "a missing file is not created for reading")
	_, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, ReadOnly: true})
	assert.ErrorIs(t, err, syncsvc.ErrRoleMismatch)
}

// TestReadOnlyOpenNeedsNoUpgrade: a read-only file that would need a write
// to be read by this program (an older schema, a record type it lacks) is
// refused with a ReadOnlyError that says so, and is not touched.
func TestReadOnlyOpenNeedsNoUpgrade(t *testing.T) {
	t.Parallel()
	path, _ := closedOffice(t)
	extra := syncsvc.RecordType{Name: "notes", Fields: []syncsvc.Field{syncsvc.Col("text", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()}
	_, err := store.Open(ctx, path, syncsvc.Options{ReadOnly: true, Types: []syncsvc.RecordType{extra}})
	var ro *syncsvc.ReadOnlyError
	require.ErrorAs(t, err, &ro)
	assert.True(t, ro.Upgrade)

	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec("PRAGMA user_version = 1")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before := fileSum(t, path)
	_, err = store.Open(ctx, path, syncsvc.Options{ReadOnly: true})
	require.ErrorAs(t, err, &ro)
	assert.True(t, ro.Upgrade)
	assert.Equal(t, before, fileSum(t, path))
}

// TestReadOnlyFileOpensForReading: a file of mode 0444 in a folder of mode
// 0555 — what a copy on a read-only share looks like — opens for reading
// by itself, and so does a read-only file alone (on Windows, the file's
// read-only attribute). chmod does not bind root, and a folder's mode means
// nothing on Windows: a case skips where its modes do not bind (the test
// above covers the same open through SQLite's read-only mode).
func TestReadOnlyFileOpensForReading(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		fileMode   os.FileMode
		folderMode os.FileMode
		binds      func(testing.TB) bool
	}{
		{"file and folder read-only", 0o444, 0o555, testkit.FolderModesBind},
		{"only the folder read-only", 0o600, 0o555, testkit.FolderModesBind},
		{"only the file read-only", 0o444, 0o700, testkit.FileModesBind},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.binds(t) {
				t.Skip("these modes do not bind here (root, or a folder on Windows)")
			}
			path, c := closedOffice(t)
			dir := filepath.Dir(path)
			require.NoError(t, os.Chmod(path, tc.fileMode))
			require.NoError(t, os.Chmod(dir, tc.folderMode))
			t.Cleanup(func() {
				_ = os.Chmod(dir, 0o700)
				_ = os.Chmod(path, 0o600)
			})
			r, err := store.Open(ctx, path, syncsvc.Options{Now: testkit.FixedNow})
			require.NoError(t, err)
			readsButRefusesWrites(t, r, path, c)
			require.NoError(t, r.Close())
		})
	}
}
