package syncsvc_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestVersionMovesWithEveryCommittedWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	opts := syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow}
	r, err := store.Open(ctx, path, opts)
	require.NoError(t, err)
	defer r.Close()
	version := func() int64 {
		t.Helper()
		v, err := r.Version(ctx)
		require.NoError(t, err)
		return v
	}

	v0 := version()
	_, err = r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Equal(t, v0, version(), "a read commits nothing")

	c := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	v1 := version()
	assert.NotEqual(t, v0, v1, "this replica's own write")

	// Another opening of the file writes, as another process would.
	other, err := store.Open(ctx, path, opts)
	require.NoError(t, err)
	c.Phone = "0531-88880000"
	_, err = other.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	v2 := version()
	assert.NotEqual(t, v1, v2, "a write by another connection to the file")
	assert.Equal(t, v2, version())

	require.NoError(t, r.Close())
	_, err = r.Version(ctx)
	assert.ErrorIs(t, err, syncsvc.ErrClosed)
}

// TestCommitsCountEveryWriteAndTellOwnOnes: every write, by this replica
// or another opening of the file, counts one commit; OnCommit tells this
// replica's own, with their numbers and the tables they changed, and not
// the other's, so that a number not told of is another process's write.
func TestCommitsCountEveryWriteAndTellOwnOnes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "office.db")
	opts := syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow}
	r, err := store.Open(ctx, path, opts)
	require.NoError(t, err)
	defer r.Close()
	commits := func() int64 {
		t.Helper()
		n, err := r.Commits(ctx)
		require.NoError(t, err)
		return n
	}
	var told []syncsvc.Commit
	cancel := r.OnCommit(func(c syncsvc.Commit) { told = append(told, c) })

	n0 := commits()
	c := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	v := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: testkit.Date("2026-11-02")}
	_, err = r.PutVisit(ctx, &v)
	require.NoError(t, err)
	require.Equal(t, n0+2, commits())
	assert.Equal(t, []syncsvc.Commit{
		{Number: n0 + 1, Tables: []string{store.CadresTable}, Records: map[string][]uuid.UUID{store.CadresTable: {c.ID}}},
		{Number: n0 + 2, Tables: []string{store.VisitsTable}, Records: map[string][]uuid.UUID{store.VisitsTable: {v.ID}}},
	}, told)

	other, err := store.Open(ctx, path, opts)
	require.NoError(t, err)
	c.Phone = "0531-88880000"
	_, err = other.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.NoError(t, other.Close())
	assert.Equal(t, n0+3, commits(), "another process's write counts")
	assert.Len(t, told, 2, "and is not told")

	v.Notes = "谈心"
	_, err = r.PutVisit(ctx, &v)
	require.NoError(t, err)
	require.Len(t, told, 3)
	assert.Equal(t, syncsvc.Commit{Number: n0 + 4, Tables: []string{store.VisitsTable}, Records: map[string][]uuid.UUID{store.VisitsTable: {v.ID}}}, told[2])

	// A batch of more records of a table than MaxCommitRecords gives
	// the table, and none of its ids.
	batch := make([]*cadre.Cadre, syncsvc.MaxCommitRecords+1)
	for i := range batch {
		b := testkit.Cadre(100+i, "sy")
		batch[i] = &b
	}
	require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutCadres(batch)
		return err
	}))
	require.Len(t, told, 4)
	assert.Equal(t, []string{store.CadresTable}, told[3].Tables)
	assert.Nil(t, told[3].Records, "too many to give")
	// Exactly MaxCommitRecords are given.
	require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
		for _, b := range batch[:syncsvc.MaxCommitRecords] {
			b.Phone = "0531-66660000"
		}
		_, err := tx.PutCadres(batch[:syncsvc.MaxCommitRecords])
		return err
	}))
	require.Len(t, told, 5)
	assert.Len(t, told[4].Records[store.CadresTable], syncsvc.MaxCommitRecords)

	cancel()
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	assert.Len(t, told, 5, "a cancelled function is not told")
}
