package syncsvc_test

import (
	"crypto/sha256"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestOpenCreatesPrivateFiles(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "office.db")
	r, err := store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	c := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Stat(p)
		require.NoError(t, err, p)
		assert.Equal(t, testkit.PrivateMode(), st.Mode().Perm(), p)
	}
	require.NoError(t, r.Close())
	assert.NoError(t, r.Close(), "Close is safe twice")
	_, err = r.PutCadre(ctx, &c)
	assert.ErrorIs(t, err, syncsvc.ErrClosed)
}

func TestOpenKeepsNodeIdentityAndRole(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "hub.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	node := r.Node()
	require.NoError(t, r.Close())

	r, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	assert.Equal(t, node, r.Node())
	assert.Equal(t, syncsvc.RoleHub, r.Role())
	require.NoError(t, r.Close())

	_, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleOffice})
	assert.ErrorIs(t, err, syncsvc.ErrRoleMismatch)
}

func TestOpenRefusesNewerSchemaWithoutWriting(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "office.db")
	r, err := store.Open(ctx, path, syncsvc.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	_, err = db.Exec("PRAGMA user_version = 999")
	require.NoError(t, err)
	_, err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before := fileHash(t, path)

	_, err = store.Open(ctx, path, syncsvc.Options{})
	require.ErrorIs(t, err, syncsvc.ErrSchemaTooNew)
	assert.Contains(t, err.Error(), "999")
	var tooNew *syncsvc.SchemaTooNewError
	require.ErrorAs(t, err, &tooNew)
	assert.Equal(t, syncsvc.SchemaTooNewError{Path: path, File: 999, Program: syncsvc.SchemaVersion()}, *tooNew)
	_, err = os.Stat(filepath.Join(filepath.Dir(path), "backups"))
	assert.ErrorIs(t, err, os.ErrNotExist, "nothing copied either")
	assert.Equal(t, before, fileHash(t, path), "the newer database must not be written")
}

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return sha256.Sum256(b)
}

func TestRecordTypeDeclarationsAreChecked(t *testing.T) {
	t.Parallel()
	bad := []syncsvc.RecordType{
		{Name: "Visits", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()},
		{Name: "changes", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()},
		{Name: "visits", Fields: []syncsvc.Field{syncsvc.Col("id", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()},
		{Name: "visits", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Text), syncsvc.Col("a", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()},
		{Name: "visits", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Text)}},
		{Name: "visits", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Integer)}, Scope: syncsvc.ScopeByColumn("a")},
		{Name: "visits", Fields: []syncsvc.Field{syncsvc.Col("cadre_id", syncsvc.Text)}, Scope: syncsvc.ScopeByParent("nothing", "cadre_id")},
		{Name: "cadres", Fields: []syncsvc.Field{syncsvc.Col("a", syncsvc.Text)}, Scope: syncsvc.ScopeDistrict()},
	}
	for _, rt := range bad {
		_, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"), syncsvc.Options{Types: []syncsvc.RecordType{rt}})
		assert.ErrorIs(t, err, syncsvc.ErrInvalidType, rt.Name)
	}
}

func TestNewColumnsAreAddedAndOldOnesKept(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "office.db")
	v1 := syncsvc.RecordType{Name: "test_venues", Scope: syncsvc.ScopeDistrict(), Fields: []syncsvc.Field{syncsvc.Col("name", syncsvc.Text), syncsvc.Col("old", syncsvc.Text)}}
	r, err := store.Open(ctx, path, syncsvc.Options{Types: []syncsvc.RecordType{v1}})
	require.NoError(t, err)
	id := newID()
	_, err = r.Put(ctx, "test_venues", id, map[string]any{"name": "老年大学", "old": "kept"})
	require.NoError(t, err)
	require.NoError(t, r.Close())

	v2 := syncsvc.RecordType{Name: "test_venues", Scope: syncsvc.ScopeDistrict(), Fields: []syncsvc.Field{syncsvc.Col("name", syncsvc.Text), syncsvc.Col("capacity", syncsvc.Integer)}}
	r, err = store.Open(ctx, path, syncsvc.Options{Types: []syncsvc.RecordType{v2}})
	require.NoError(t, err)
	defer r.Close()
	_, err = r.Put(ctx, "test_venues", id, map[string]any{"capacity": 120})
	require.NoError(t, err)
	rec, err := r.Get(ctx, "test_venues", id)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "老年大学", "capacity": int64(120)}, rec.Values)

	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	var old string
	require.NoError(t, db.QueryRow("SELECT old FROM test_venues").Scan(&old))
	assert.Equal(t, "kept", old, "a column the program no longer declares is never dropped")
}

func TestConcurrentWritersAndReaders(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 10 {
				c := testkit.Cadre(g*100+i, "sy")
				if _, err := r.PutCadre(ctx, &c); err != nil {
					errs <- err
				}
				if _, err := r.Cadres(ctx, store.CadreFilter{Community: "sy"}); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	all, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 80)
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 80, n)
}

func TestSubscribeSeesCommittedChanges(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	var got []syncsvc.Change
	cancel := r.Subscribe(func(chs []syncsvc.Change) { got = append(got, chs...) })
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, c.ID, got[0].ID)
	assert.Equal(t, "sy", got[0].Scope)
	assert.NotZero(t, got[0].Seq)

	bad := testkit.Cadre(2, "sy")
	bad.Name = ""
	_, err = r.PutCadre(ctx, &bad)
	require.Error(t, err)
	assert.Len(t, got, 1, "nothing is published for a failed write")

	cancel()
	c.Phone = "12345"
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	assert.Len(t, got, 1, "a cancelled subscription hears nothing")
}

func TestClockNeverGoesBackAcrossRestart(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	path := filepath.Join(t.TempDir(), "office.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	c := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	first, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.NoError(t, r.Close())

	clk.Advance(-time.Hour) // the computer's clock was set back
	r, err = store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	defer r.Close()
	c.Name = "改名"
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	all, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, all, 2)
	require.Equal(t, "name", all[1].Fields[0].Name)
	assert.Greater(t, all[1].Fields[0].Stamp.HLC, first[0].Fields[0].Stamp.HLC)
	assert.Equal(t, first[0].Fields[0].Stamp, all[1].Fields[0].Prev)
}
