package atomicfile_test

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/atomicfile"
)

// privateMode is the mode a file readable by its owner only shows: 0600 on
// unix; Windows has no such modes (a file is private by its folder's
// access list, the user's own profile) and shows 0666 for any writable
// file.
func privateMode() fs.FileMode {
	if runtime.GOOS == "windows" {
		return 0o666
	}
	return 0o600
}

// names lists the entries of dir.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestWriteNewFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "花名册.csv")
	require.NoError(t, atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "姓名,身份证号\n")
		return err
	}))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "姓名,身份证号\n", string(b))
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, privateMode(), st.Mode().Perm(), "it holds ID numbers")
	assert.Equal(t, []string{"花名册.csv"}, names(t, dir), "no temporary file left")
}

func TestWriteReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.xlsx")
	require.NoError(t, os.WriteFile(path, []byte("old and longer than the new"), 0o600))
	require.NoError(t, atomicfile.WriteBytes(path, []byte("new")))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
	assert.Equal(t, []string{"report.xlsx"}, names(t, dir))
}

func TestWriteFailingHalfwayKeepsTheOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "branch-plan.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"old":true}`), 0o600))
	boom := errors.New("the workbook could not be made")
	err := atomicfile.Write(path, func(w io.Writer) error {
		if _, err := io.WriteString(w, strings.Repeat("half a file ", 10000)); err != nil {
			return err
		}
		return boom
	})
	assert.ErrorIs(t, err, boom, "the writer's own error")
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, `{"old":true}`, string(b), "the old file is whole")
	assert.Equal(t, []string{"branch-plan.json"}, names(t, dir), "no temporary file left")
}

func TestWriteFailingLeavesNoFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	err := atomicfile.Write(path, func(w io.Writer) error {
		io.WriteString(w, "part")
		return io.ErrShortWrite
	})
	assert.ErrorIs(t, err, io.ErrShortWrite)
	assert.Empty(t, names(t, dir), "neither the file nor a temporary one")
}

func TestWriteRenameFails(t *testing.T) {
	dir := t.TempDir()
	// A folder that is not empty cannot be replaced by a file.
	path := filepath.Join(dir, "taken")
	require.NoError(t, os.MkdirAll(filepath.Join(path, "inside"), 0o700))
	err := atomicfile.WriteBytes(path, []byte("x"))
	require.Error(t, err)
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.True(t, st.IsDir(), "what was at path is left")
	assert.Equal(t, []string{"taken"}, names(t, dir), "no temporary file left")
}

func TestWriteMissingFolder(t *testing.T) {
	dir := t.TempDir()
	called := false
	err := atomicfile.Write(filepath.Join(dir, "no-such-folder", "out.csv"), func(io.Writer) error {
		called = true
		return nil
	})
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.False(t, called, "nothing to write into")
	assert.Empty(t, names(t, dir))
}

func TestSyncDir(t *testing.T) {
	assert.NoError(t, atomicfile.SyncDir(t.TempDir()))
	assert.ErrorIs(t, atomicfile.SyncDir(filepath.Join(t.TempDir(), "missing")), fs.ErrNotExist)
}

// TestWriteOverAFileHeldOpen: a report left open in a spreadsheet program
// while it is written again. On unix the rename replaces it (the reader
// keeps the old file). On Windows a file held open without sharing its
// deletion cannot be replaced: the write is tried for RenameWait, then
// refused with ErrBusy, the old file whole and no temporary file left; once
// the program lets go, the same write succeeds.
func TestWriteOverAFileHeldOpen(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "走访报表.xlsx")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	held, err := os.Open(path)
	require.NoError(t, err)
	defer held.Close()

	start := time.Now()
	err = atomicfile.WriteBytes(path, []byte("new"))
	if runtime.GOOS == "windows" {
		assert.ErrorIs(t, err, atomicfile.ErrBusy)
		assert.GreaterOrEqual(t, time.Since(start), atomicfile.RenameWait, "tried again for a while first")
		b, rerr := os.ReadFile(path)
		require.NoError(t, rerr)
		assert.Equal(t, "old", string(b), "the old file is whole")
	} else {
		assert.NoError(t, err)
	}
	assert.Equal(t, []string{"走访报表.xlsx"}, names(t, dir), "no temporary file left")

	require.NoError(t, held.Close())
	require.NoError(t, atomicfile.WriteBytes(path, []byte("newer")))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "newer", string(b))
}

// TestWriteWaitsForAFileLetGo: a virus scanner or an indexer holds a file
// for a moment; a write that meets it (on Windows) waits and then succeeds.
func TestWriteWaitsForAFileLetGo(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "花名册.csv")
	require.NoError(t, os.WriteFile(path, []byte("old"), 0o600))
	held, err := os.Open(path)
	require.NoError(t, err)
	let := time.AfterFunc(atomicfile.RenameWait/4, func() { held.Close() })
	defer let.Stop()
	require.NoError(t, atomicfile.WriteBytes(path, []byte("new")))
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(b))
	assert.Equal(t, []string{"花名册.csv"}, names(t, dir))
}

// TestRenameOverAFolderFailsAtOnce: what no wait changes (a folder in the
// way) is not taken for a file held open: the rename fails at once.
func TestRenameOverAFolderFailsAtOnce(t *testing.T) {
	dir := t.TempDir()
	from := filepath.Join(dir, "new")
	require.NoError(t, os.WriteFile(from, []byte("x"), 0o600))
	to := filepath.Join(dir, "taken")
	require.NoError(t, os.MkdirAll(filepath.Join(to, "inside"), 0o700))
	start := time.Now()
	err := atomicfile.Rename(from, to)
	require.Error(t, err)
	assert.NotErrorIs(t, err, atomicfile.ErrBusy)
	assert.Less(t, time.Since(start), atomicfile.RenameWait/2)
}
