package desk_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestParseFieldValueTakesTheFieldsKind(t *testing.T) {
	conflict := func(field string, example any) syncsvc.Conflict {
		c := syncsvc.Conflict{ID: uuid.New(), Table: store.CadresTable, Field: field}
		c.Current.Value = example
		return c
	}
	v, err := desk.ParseFieldValue(conflict("pension_fen", int64(100)), "5123.40")
	require.NoError(t, err)
	assert.EqualValues(t, 512340, v, "the pension is given in yuan and stored in fen")

	v, err = desk.ParseFieldValue(conflict("health", "good"), "慢性病")
	require.NoError(t, err)
	assert.Equal(t, "chronic", v, "an enumeration takes its Chinese label")

	v, err = desk.ParseFieldValue(conflict("address", []any{"a", 1.0, 2.0}), `["街道 1 号", 36, 117.5]`)
	require.NoError(t, err)
	assert.Equal(t, []any{"街道 1 号", int64(36), 117.5}, v, "fields stored together are a JSON list")

	_, err = desk.ParseFieldValue(conflict("address", []any{"a"}), "街道 1 号")
	assert.Error(t, err)

	err = desk.ResolveConflict(ctx, nil, desk.ConflictResolution{Conflict: conflict("children_nearby", false), Keep: syncsvc.KeepValue, Value: "也许"})
	var ve *desk.ValueError
	require.ErrorAs(t, err, &ve, "a value that does not fit is refused before the replica is asked")
	assert.Equal(t, "children_nearby", ve.Field)
}

func TestFindConflictAndRefusedRefuseABadReference(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	_, err := desk.FindConflict(ctx, r, "abc")
	assert.ErrorIs(t, err, desk.ErrBadRef)
	_, err = desk.FindConflict(ctx, r, "0123abcd")
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)

	_, err = desk.FindRefused(ctx, r, "王秀英")
	assert.ErrorIs(t, err, desk.ErrBadRef)
	_, err = desk.FindRefused(ctx, r, testkit.IDNumber(50))
	var re *desk.RefError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, desk.ByIDNumber, re.By)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)

	_, err = desk.FixRefusedCadre(ctx, r, syncsvc.RefusedRecord{Table: store.VisitsTable, State: syncsvc.RefusalOpen}, desk.CadreInput{})
	assert.ErrorIs(t, err, desk.ErrNotCadre)
	_, err = desk.FixRefusedCadre(ctx, r, syncsvc.RefusedRecord{Table: store.CadresTable, State: syncsvc.RefusalResent}, desk.CadreInput{})
	assert.ErrorIs(t, err, syncsvc.ErrNotRefused)
	_, err = desk.DiscardRefused(ctx, r, syncsvc.RefusedRecord{Table: store.CadresTable}, " ")
	assert.ErrorIs(t, err, desk.ErrReasonRequired)
}
