package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// fieldProblem returns the problem the store reported for field, failing
// the test when there is none.
func fieldProblem(t *testing.T, err error, field string) *cadre.FieldError {
	t.Helper()
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	for _, p := range ve.Problems {
		if p.Field == field {
			return p
		}
	}
	t.Fatalf("no problem with %s in %v", field, err)
	return nil
}

func TestACadreWithGapsIsStoredWithItsGaps(t *testing.T) {
	ctx := context.Background()
	r := testkit.OpenHub(t)
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园"}))
	c := cadre.Cadre{Name: "王建国", IDNumber: testkit.IDNumber(1), Community: "sy"}
	c.Normalize()
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)

	got, err := r.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	assert.Empty(t, got.Category)
	assert.Empty(t, got.Health)
	assert.Empty(t, got.Party)
	assert.Empty(t, got.Rank)
	assert.Empty(t, got.Living)
	assert.True(t, got.RetiredOn.IsZero())
	assert.Equal(t, cadre.StatusActive, got.Status, "a new record is on the roll")
	assert.NotEmpty(t, got.BirthDate, "from the ID number")
}

func TestUnsafeTextIsRefusedInEveryRecord(t *testing.T) {
	ctx := context.Background()
	r := testkit.OpenHub(t)
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园"}))

	c := testkit.Cadre(1, "sy")
	c.Name = "王\u200b六"
	_, err := r.PutCadre(ctx, &c)
	p := fieldProblem(t, err, "name")
	assert.Contains(t, p.Message(cadre.Chinese), "零宽空格")
	assert.Contains(t, p.Message(cadre.English), "zero-width space")

	c = testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)

	// A visit's notes may hold line breaks, never an escape.
	v := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: testkit.Today(), Notes: "血压偏高\n下周再去"}
	_, err = r.PutVisit(ctx, &v)
	require.NoError(t, err)
	bad := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: testkit.Today(), Notes: "\x1b[2J清屏"}
	_, err = r.PutVisit(ctx, &bad)
	assert.Contains(t, fieldProblem(t, err, "notes").Message(cadre.Chinese), "ESC")

	// A helper's name (district data) holds one line and no NUL.
	for _, name := range []string{"张\x00三", "张\n三"} {
		h := care.Helper{Name: name, Capacity: 5, ActiveFrom: testkit.Today()}
		_, err = r.PutHelper(ctx, &h)
		assert.Error(t, err, "%q", name)
		assert.ErrorIs(t, err, cadre.ErrInvalid, "%q", name)
	}
	hs, err := r.Helpers(ctx, store.HelperFilter{})
	require.NoError(t, err)
	assert.Empty(t, hs, "nothing was stored")
}

func TestTheEngineRefusesUnsafeTextOnItsOwn(t *testing.T) {
	ctx := context.Background()
	r := testkit.OpenHub(t)
	id := store.CommunityID("sy")
	err := r.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Put(store.CommunitiesTable, id, map[string]any{"code": "sy", "name": "舜园\u200b", "street": "舜玉路街道"})
		return err
	})
	var le *syncsvc.LimitError
	require.True(t, errors.As(err, &le), "%v", err)
	assert.ErrorIs(t, err, syncsvc.ErrUnsafeText)
	assert.NotErrorIs(t, err, syncsvc.ErrTooLarge)
	assert.Contains(t, le.Chinese(), "零宽空格")
}

func TestCareDatesLieInTheCadresLife(t *testing.T) {
	ctx := context.Background()
	r := testkit.OpenHub(t)
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园"}))
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)

	early := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: cadre.NewDate(1900, 1, 1)}
	_, err = r.PutVisit(ctx, &early)
	assert.ErrorIs(t, err, cadre.ErrOrder)
	assert.Contains(t, fieldProblem(t, err, "on").Message(cadre.Chinese), "出生日期")
	stay := care.HospitalStay{CadreID: c.ID, Admitted: cadre.NewDate(1900, 1, 1)}
	_, err = r.PutHospitalStay(ctx, &stay)
	assert.ErrorIs(t, err, cadre.ErrOrder)

	died := testkit.Date("2026-11-01")
	c.Status, c.StatusOn = cadre.StatusDeceased, died
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	late := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: died.AddDays(3)}
	_, err = r.PutVisit(ctx, &late)
	assert.Contains(t, fieldProblem(t, err, "on").Message(cadre.Chinese), "去世")
	condolence := care.Visit{CadreID: c.ID, Kind: care.VisitCondolence, On: died.AddDays(3)}
	_, err = r.PutVisit(ctx, &condolence)
	assert.NoError(t, err, "a condolence visit comes after the death")
	onTheDay := care.Visit{CadreID: c.ID, Kind: care.VisitHospital, On: died}
	_, err = r.PutVisit(ctx, &onTheDay)
	assert.NoError(t, err, "the day of death itself is in the life")
}
