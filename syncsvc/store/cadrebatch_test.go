package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// PutCadres does for a batch what PutCadre does for each cadre: the
// derived id for a new cadre, a duplicate refused with the record that
// holds the number, an invalid cadre refused alone, an edit written, and
// a number twice in the batch decided one after the other.
func TestPutCadresIsPutCadreForEach(t *testing.T) {
	ctx := context.Background()
	r := testkit.OpenOffice(t)
	key := bytes.Repeat([]byte{7}, 32)
	require.NoError(t, r.SetDistrictKey(ctx, key))
	held := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &held)
	require.NoError(t, err)

	fresh, dup, bad, edit := testkit.Cadre(2, "sy"), testkit.Cadre(1, "sy"), testkit.Cadre(3, "sy"), held
	bad.Name = ""
	edit.Phone = "0531-1"
	twiceA, twiceB := testkit.Cadre(4, "sy"), testkit.Cadre(4, "sy")
	var res []store.PutResult
	require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
		res, err = tx.PutCadres([]*cadre.Cadre{&fresh, &dup, &bad, &edit, &twiceA, &twiceB})
		return err
	}))
	require.Len(t, res, 6)
	assert.NoError(t, res[0].Err)
	assert.True(t, res[0].Changed)
	assert.Equal(t, store.CadreIDFor(key, fresh.IDNumber), fresh.ID, "the id derived from the number")
	var de *syncsvc.DuplicateError
	require.ErrorAs(t, res[1].Err, &de)
	assert.Equal(t, held.ID, de.ExistingID)
	var ve *cadre.ValidationError
	require.ErrorAs(t, res[2].Err, &ve)
	assert.Equal(t, uuid.Nil, bad.ID, "nothing written for an invalid cadre")
	assert.NoError(t, res[3].Err)
	assert.True(t, res[3].Changed)
	assert.NoError(t, res[4].Err)
	require.ErrorAs(t, res[5].Err, &de, "the second registration of one number in a batch is a duplicate, as with PutCadre")
	assert.Equal(t, twiceA.ID, de.ExistingID)

	got, err := r.Read(ctx).CadresByIDNumbers([]string{held.IDNumber, fresh.IDNumber, bad.IDNumber})
	require.NoError(t, err)
	assert.Len(t, got, 2)
	assert.Equal(t, "0531-1", got[held.IDNumber].Phone)
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, n, "the first cadre, the new one, the edit and one of the twice-given")
}
