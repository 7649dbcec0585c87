package syncsvc_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
