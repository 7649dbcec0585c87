package desk_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestRegisterThenEditChangesOnlyTheFieldsGiven(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	c := testkit.Cadre(1, "shunyuan")
	c.Phone = "0531-88880001"
	saved, err := desk.RegisterCadre(ctx, r, allFields(c))
	require.NoError(t, err)
	require.True(t, saved.Changed)
	require.NotEqual(t, uuid.Nil, saved.Cadre.ID)

	edit := desk.CadreInput{Values: cadre.Cadre{Health: cadre.HealthChronic}, Set: []string{"health"}}
	edited, err := desk.EditCadre(ctx, r, saved.Cadre.ID, edit)
	require.NoError(t, err)
	assert.True(t, edited.Changed)
	got, err := r.Cadre(ctx, saved.Cadre.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.HealthChronic, got.Health, "the field given is changed")
	assert.Equal(t, "0531-88880001", got.Phone, "a field not given is kept")
	assert.Equal(t, c.Name, got.Name)

	again, err := desk.EditCadre(ctx, r, saved.Cadre.ID, edit)
	require.NoError(t, err)
	assert.False(t, again.Changed, "the same edit twice writes nothing the second time")
}

func TestEditAddressDropsThePositionUnlessGiven(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	c := testkit.Cadre(2, "shunyuan")
	c.Address, c.Location = "舜园街 1 号", &cadre.Location{Lat: 36.65, Lng: 117.0}
	in := allFields(c)
	in.Set = append(in.Set, "lat", "lng")
	saved, err := desk.RegisterCadre(ctx, r, in)
	require.NoError(t, err)
	require.NotNil(t, saved.Cadre.Location)

	moved, err := desk.EditCadre(ctx, r, saved.Cadre.ID, desk.CadreInput{Values: cadre.Cadre{Address: "舜园街 9 号"}, Set: []string{"address"}})
	require.NoError(t, err)
	assert.Nil(t, moved.Cadre.Location, "a new address without a position drops the old position")
}

func TestRegisterRefusesAnIDNumberRegisteredAlready(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	first := register(t, r, 3, "shunyuan")
	_, err := desk.RegisterCadre(ctx, r, allFields(testkit.Cadre(3, "shunyuan")))
	var dup *syncsvc.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, first.ID, dup.ExistingID)

	bad := testkit.Cadre(4, "shunyuan")
	bad.Name = ""
	_, err = desk.RegisterCadre(ctx, r, allFields(bad))
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve, "an invalid cadre is refused with the cadre package's problems")
}

func TestFindCadreByEachKindOfReference(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	c := register(t, r, 5, "shunyuan")

	for _, ref := range []string{c.ID.String(), c.ID.String()[:8], c.IDNumber, " " + c.IDNumber + " ", c.Name} {
		got, err := desk.FindCadre(ctx, r, ref)
		require.NoError(t, err, ref)
		assert.Equal(t, c.ID, got.ID, ref)
	}

	_, err := desk.FindCadre(ctx, r, "  ")
	assert.ErrorIs(t, err, desk.ErrBadRef)
	_, err = desk.FindCadre(ctx, r, "不在册的人")
	var re *desk.RefError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, desk.ByName, re.By)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)
	_, err = desk.FindCadre(ctx, r, testkit.IDNumber(6))
	require.ErrorAs(t, err, &re)
	assert.Equal(t, desk.ByIDNumber, re.By)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)

	_, err = desk.RemoveCadre(ctx, r, desk.CadreRemoval{ID: c.ID, Reason: "  "})
	assert.ErrorIs(t, err, desk.ErrReasonRequired)
	removed, err := desk.RemoveCadre(ctx, r, desk.CadreRemoval{ID: c.ID, Reason: " 录错了 "})
	require.NoError(t, err)
	assert.Equal(t, "录错了", removed.Reason)
	_, err = desk.FindCadre(ctx, r, c.ID.String())
	assert.True(t, errors.Is(err, syncsvc.ErrVoided), "a removed cadre is found as removed: %v", err)
}

func TestResolveDuplicateNeedsAReasonAndAPair(t *testing.T) {
	r := openReplica(t, syncsvc.RoleHub)
	a, b := register(t, r, 7, "shunyuan"), register(t, r, 8, "shunyuan")
	_, err := desk.ResolveDuplicate(ctx, r, desk.DuplicateResolution{Keep: a.ID, Void: b.ID})
	assert.ErrorIs(t, err, desk.ErrReasonRequired)
	_, err = desk.ResolveDuplicate(ctx, r, desk.DuplicateResolution{Keep: a.ID, Void: b.ID, Reason: "同一人"})
	assert.ErrorIs(t, err, store.ErrNotDuplicate, "two people are no duplicate")
	got, err := r.Cadre(ctx, b.ID)
	require.NoError(t, err, "nothing was voided")
	assert.Equal(t, b.Name, got.Name)
}
