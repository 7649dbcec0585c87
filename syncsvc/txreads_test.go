package syncsvc_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestTxCadreByIDNumber: a use case finds a cadre by ID number through its
// own transaction, and a voided one is not found.
func TestTxCadreByIDNumber(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	other := testkit.Cadre(2, "sy")
	err = r.Update(ctx, func(tx *store.Tx) error {
		got, err := tx.CadreByIDNumber(" " + c.IDNumber + " ")
		require.NoError(t, err)
		assert.Equal(t, c.ID, got.ID)
		_, err = tx.CadreByIDNumber(other.IDNumber)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound)
		return nil
	})
	require.NoError(t, err)
	require.NoError(t, r.VoidCadre(ctx, c.ID, "entered by mistake"))
	err = r.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.CadreByIDNumber(c.IDNumber)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound, "a voided cadre holds no ID number")
		return nil
	})
	require.NoError(t, err)
}
