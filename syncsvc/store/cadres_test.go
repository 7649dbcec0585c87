package store_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// fullCadre sets every field of the record to a non-zero value.
func fullCadre(t *testing.T) cadre.Cadre {
	c := testkit.Cadre(7, "sy")
	c.Name = "王建国"
	c.Category = cadre.Lixiu
	c.Rank = cadre.RankCountyDeputyPlus
	c.PartyJoinedOn = c.BirthDate.AddDays(20 * 365)
	c.Health = cadre.HealthSerious
	c.Living = cadre.LivingAlone
	c.ChildrenNearby = true
	c.Difficulty = true
	c.Address = "舜园小区3号楼2单元101"
	c.Location = &cadre.Location{Lat: 36.651234, Lng: 117.012345}
	c.Phone = "0531-86001234"
	c.EmergencyContact = "王小明 13800000000"
	c.OriginalUnit = "区财政局"
	c.PensionFen = 512340
	c.Status = cadre.StatusDeceased
	c.StatusOn = cadre.NewDate(2026, 10, 1)
	return c
}

func TestCadreRoundTripsEveryField(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.NewClock(testkit.At("2026-11-28 09:00")).Now})
	c := fullCadre(t)
	changed, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	assert.True(t, changed)
	assert.Equal(t, byte(7), c.ID[6]>>4, "a new cadre gets a UUID v7")

	got, err := r.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)

	byID, err := r.CadreByIDNumber(ctx, c.IDNumber)
	require.NoError(t, err)
	assert.Equal(t, c, byID)

	minimal := testkit.Cadre(8, "gsq")
	_, err = r.PutCadre(ctx, &minimal)
	require.NoError(t, err)
	got, err = r.Cadre(ctx, minimal.ID)
	require.NoError(t, err)
	assert.Equal(t, minimal, got, "empty optional fields come back empty, not as zero values of another kind")
}

func TestPutCadreValidatesFirst(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.NewClock(testkit.At("2026-11-28 09:00")).Now})
	c := testkit.Cadre(1, "sy")
	c.Health = "ill"
	c.PensionFen = -5
	_, err := r.PutCadre(ctx, &c)
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"health", "pension_fen"}, ve.Fields())
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing is written for an invalid record")
	all, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Empty(t, all)
}

func TestIDNumberIsUniqueInAReplica(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.NewClock(testkit.At("2026-11-28 09:00")).Now})
	first := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &first)
	require.NoError(t, err)

	second := testkit.Cadre(1, "gsq")
	second.Name = "另一人"
	_, err = r.PutCadre(ctx, &second)
	var dup *syncsvc.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.ErrorIs(t, err, syncsvc.ErrDuplicateIDNumber)
	assert.Equal(t, first.ID, dup.ExistingID)
	assert.NotContains(t, err.Error(), first.IDNumber, "the ID number stays out of error messages")

	require.NoError(t, r.VoidCadre(ctx, first.ID, "录入重复"))
	second.ID = uuid.Nil
	_, err = r.PutCadre(ctx, &second)
	assert.NoError(t, err, "a voided record no longer holds its number")
}

func TestListSearchAndVoid(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.NewClock(testkit.At("2026-11-28 09:00")).Now})
	put := func(n int, community, name string, status cadre.Status) cadre.Cadre {
		c := testkit.Cadre(n, community)
		c.Name = name
		if status != cadre.StatusActive {
			c.Status, c.StatusOn = status, cadre.NewDate(2026, 1, 5)
		}
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		return c
	}
	a := put(1, "sy", "张三", cadre.StatusActive)
	b := put(2, "sy", "李四", cadre.StatusDeceased)
	put(3, "gsq", "张三丰", cadre.StatusActive)

	sy, err := r.Cadres(ctx, store.CadreFilter{Community: "sy"})
	require.NoError(t, err)
	assert.Equal(t, []string{"张三", "李四"}, testkit.Names(sy))
	active, err := r.Cadres(ctx, store.CadreFilter{Community: "sy", Status: cadre.StatusActive})
	require.NoError(t, err)
	assert.Equal(t, []string{"张三"}, testkit.Names(active))

	found, err := r.SearchCadres(ctx, "张三", 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"张三", "张三丰"}, testkit.Names(found))
	found, err = r.SearchCadres(ctx, b.IDNumber[:14], 0)
	require.NoError(t, err)
	assert.Equal(t, []string{"李四"}, testkit.Names(found))
	found, err = r.SearchCadres(ctx, "%", 0)
	require.NoError(t, err)
	assert.Empty(t, found, "LIKE wildcards are matched literally")

	require.ErrorIs(t, r.VoidCadre(ctx, a.ID, "  "), syncsvc.ErrInvalidChange, "a void needs a reason")
	require.NoError(t, r.VoidCadre(ctx, a.ID, "录入错误"))
	_, err = r.Cadre(ctx, a.ID)
	assert.ErrorIs(t, err, syncsvc.ErrVoided)
	sy, err = r.Cadres(ctx, store.CadreFilter{Community: "sy"})
	require.NoError(t, err)
	assert.Equal(t, []string{"李四"}, testkit.Names(sy))
	rec, err := r.Get(ctx, store.CadresTable, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "录入错误", rec.VoidReason)

	_, err = r.Cadre(ctx, newID())
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)
	assert.ErrorIs(t, r.VoidCadre(ctx, newID(), "x"), syncsvc.ErrNotFound)
}

func TestUnknownTypeIsAnError(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: nil})
	_, err := r.Put(ctx, "nothing", newID(), map[string]any{"a": "b"})
	assert.True(t, errors.Is(err, syncsvc.ErrUnknownType))
	_, err = r.Put(ctx, store.CadresTable, newID(), map[string]any{"nonsense": "b"})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
	_, err = r.Put(ctx, store.CadresTable, newID(), map[string]any{"pension_fen": "many"})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
	_, err = r.Put(ctx, store.CadresTable, newID(), map[string]any{"address": "only one of three"})
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
}

func TestUpdateCommitsTogetherOrNotAtAll(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: nil})
	a, b := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy")
	err := r.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PutCadre(&a); err != nil {
			return err
		}
		a.Phone = "1"
		if _, err := tx.PutCadre(&a); err != nil { // the same record twice
			return err
		}
		_, err := tx.PutCadre(&b)
		return err
	})
	require.NoError(t, err)
	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, out, 3)
	assert.Equal(t, "phone", out[1].Fields[0].Name)
	assert.Equal(t, 1, out[1].Fields[0].Stamp.Compare(out[0].Fields[0].Stamp), "a second write in one transaction is stamped after the first")

	c := testkit.Cadre(3, "sy")
	bad := testkit.Cadre(4, "sy")
	bad.Name = ""
	err = r.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PutCadre(&c); err != nil {
			return err
		}
		_, err := tx.PutCadre(&bad)
		return err
	})
	require.Error(t, err)
	_, err = r.Cadre(ctx, c.ID)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "nothing of a failed transaction is kept")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
}

func TestIDsWithPrefix(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: nil})
	var ids []uuid.UUID
	for i := range 3 {
		c := testkit.Cadre(i, "sy")
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	got, err := r.IDsWithPrefix(ctx, store.CadresTable, ids[1].String(), 2)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{ids[1]}, got)
	got, err = r.IDsWithPrefix(ctx, store.CadresTable, strings.ToUpper(ids[2].String()[:30]), 2)
	require.NoError(t, err)
	assert.Equal(t, []uuid.UUID{ids[2]}, got, "prefixes are not case-sensitive")
	got, err = r.IDsWithPrefix(ctx, store.CadresTable, ids[0].String()[:4], 2)
	require.NoError(t, err)
	assert.Len(t, got, 2, "ids made within a minute share their first characters")
	require.NoError(t, r.VoidCadre(ctx, ids[1], "错录"))
	got, err = r.IDsWithPrefix(ctx, store.CadresTable, ids[1].String(), 2)
	require.NoError(t, err)
	assert.Empty(t, got, "voided records are not named")
	_, err = r.IDsWithPrefix(ctx, store.CadresTable, "zz", 2)
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
}

// TestCadresOfReadsAsCadresDo: CadresOf gives the live cadres among the
// ids in Cadres' order (CompareCadres), more than one query's worth of
// ids among them, and their part of the schedule records as
// ScheduleRecordsParts reads it; a voided cadre and an unknown id are in
// neither.
func TestCadresOfReadsAsCadresDo(t *testing.T) {
	t.Parallel()
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.NewClock(testkit.At("2026-11-28 09:00")).Now})
	batch := make([]*cadre.Cadre, 600)
	for i := range batch {
		c := testkit.Cadre(i+1, "sy")
		c.Name = []string{"王", "李", "张", "赵"}[i%4] + c.Name
		batch[i] = &c
	}
	require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutCadres(batch)
		return err
	}))
	require.NoError(t, r.VoidCadre(ctx, batch[5].ID, "登记错了"))
	ids := []uuid.UUID{newID()}
	for _, c := range batch {
		ids = append(ids, c.ID)
	}
	all, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	require.Len(t, all, 599)
	assert.True(t, slices.IsSortedFunc(all, store.CompareCadres), "CompareCadres is Cadres' order")

	got, part, err := r.CadresOf(ctx, ids)
	require.NoError(t, err)
	assert.Equal(t, all, got)
	parts, err := r.ScheduleRecordsParts(ctx, store.CadresTable)
	require.NoError(t, err)
	assert.Equal(t, parts[store.CadresTable], part)

	some, part, err := r.CadresOf(ctx, []uuid.UUID{batch[5].ID, batch[7].ID})
	require.NoError(t, err)
	assert.Equal(t, []cadre.Cadre{all[slices.IndexFunc(all, func(c cadre.Cadre) bool { return c.ID == batch[7].ID })]}, some)
	assert.Len(t, part, 1)
}
