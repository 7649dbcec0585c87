package desk

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestMemoReadsAgainOnlyWhatWasWritten: after a visit recorded here the
// memo keeps the cadres and the other parts of their records it read, and
// reads the visits again; after another process's write it reads
// everything again.
func TestMemoReadsAgainOnlyWhatWasWritten(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return testkit.FixedNow() }
	path := filepath.Join(t.TempDir(), "office.db")
	rep, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleOffice, Now: now})
	require.NoError(t, err)
	defer rep.Close()
	c := testkit.Cadre(1, "sy")
	_, err = rep.PutCadre(ctx, &c)
	require.NoError(t, err)
	m := NewMemo(rep)
	defer m.Close()
	on := Today(now())
	read := func() *roll {
		t.Helper()
		_, err := m.VisitsDue(ctx, on, true)
		require.NoError(t, err)
		return m.cur
	}
	same := func(a, b any) bool { return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() }

	first := read()
	require.NotNil(t, first.cadres)
	_, err = RecordVisit(ctx, rep, now(), VisitInput{CadreID: c.ID, Kind: care.VisitHome, On: on})
	require.NoError(t, err)
	second := read()
	require.NotSame(t, first, second, "a new roll after the write")
	assert.Same(t, first.cadres, second.cadres, "the cadres are kept")
	assert.True(t, same(first.parts[store.PairsTable], second.parts[store.PairsTable]), "the pairs are kept")
	assert.True(t, same(first.parts[store.CadresTable], second.parts[store.CadresTable]), "the days the cadres were registered are kept")
	assert.False(t, same(first.parts[store.VisitsTable], second.parts[store.VisitsTable]), "the visits are read again")
	assert.Len(t, second.records[c.ID].Visits, 1)

	other, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleOffice, Now: now})
	require.NoError(t, err)
	_, err = other.PutHospitalStay(ctx, &care.HospitalStay{CadreID: c.ID, Admitted: on})
	require.NoError(t, err)
	require.NoError(t, other.Close())
	third := read()
	assert.NotSame(t, second.cadres, third.cadres, "another process's write: everything is read again")
	assert.False(t, same(second.parts[store.PairsTable], third.parts[store.PairsTable]))
	assert.Len(t, third.records[c.ID].Stays, 1)
}

// TestMemoPatchesTheCadresEdited: after a cadre is edited here the memo
// reads that cadre again, and keeps every other part it read and the
// visits due to the other cadres; after a batch of more cadres than a
// commit names, it reads the cadres whole.
func TestMemoPatchesTheCadresEdited(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return testkit.FixedNow() }
	path := filepath.Join(t.TempDir(), "office.db")
	rep, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleOffice, Now: now})
	require.NoError(t, err)
	defer rep.Close()
	on := Today(now())
	var cs []cadre.Cadre
	for n := range 3 {
		c := testkit.Cadre(n+1, "sy")
		_, err = rep.PutCadre(ctx, &c)
		require.NoError(t, err)
		_, err = rep.PutHospitalStay(ctx, &care.HospitalStay{CadreID: c.ID, Admitted: on.AddDays(-3)})
		require.NoError(t, err)
		cs = append(cs, c)
	}
	m := NewMemo(rep)
	defer m.Close()
	read := func() *roll {
		t.Helper()
		_, err := m.VisitsDue(ctx, on, false)
		require.NoError(t, err)
		_, err = m.ListCadres(ctx, CadreQuery{Text: "cs", Tier: AnyTier, On: on})
		require.NoError(t, err)
		return m.cur
	}
	same := func(a, b any) bool { return reflect.ValueOf(a).Pointer() == reflect.ValueOf(b).Pointer() }

	first := read()
	kept := first.dues[0].by[cs[2].ID]
	require.NotEmpty(t, kept, "the stay makes visits due")
	require.NotNil(t, first.cadres.initials)
	edited := cs[0]
	edited.Name = "赵六"
	_, err = rep.PutCadre(ctx, &edited)
	require.NoError(t, err)
	second := read()
	require.NotSame(t, first.cadres, second.cadres, "the cadres are patched")
	assert.Nil(t, second.patch)
	assert.Equal(t, []string{cs[1].Name, cs[2].Name, "赵六"}, []string{
		second.cadres.list[0].Name, second.cadres.list[1].Name, second.cadres.list[2].Name}, "the edited cadre moves to its place")
	assert.Equal(t, []string{first.cadres.keys[1], first.cadres.keys[2], NameKey("赵六")}, second.cadres.keys)
	assert.Equal(t, initials("赵六"), second.cadres.initials[2])
	for _, table := range []string{store.PairsTable, store.VisitsTable, store.HospitalStaysTable} {
		assert.True(t, same(first.parts[table], second.parts[table]), "%s kept", table)
	}
	assert.False(t, same(first.parts[store.CadresTable], second.parts[store.CadresTable]), "the registration days patched")
	assert.Len(t, second.records, 3)
	assert.Same(t, &kept[0], &second.dues[0].by[cs[2].ID][0], "the visits due to a cadre not edited are kept")
	assert.NotSame(t, &first.dues[0].by[cs[0].ID][0], &second.dues[0].by[cs[0].ID][0], "the edited cadre's are worked out again")

	// A batch of more than a commit names: everything of the cadres read.
	batch := make([]*cadre.Cadre, syncsvc.MaxCommitRecords+1)
	for i := range batch {
		b := testkit.Cadre(100+i, "sy")
		batch[i] = &b
	}
	require.NoError(t, rep.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutCadres(batch)
		return err
	}))
	third := read()
	assert.Nil(t, third.patch)
	assert.Len(t, third.cadres.list, 3+len(batch))
	assert.True(t, same(second.parts[store.PairsTable], third.parts[store.PairsTable]), "the pairs still kept")
	assert.NotSame(t, &second.dues[0].by[cs[2].ID][0], &third.dues[0].by[cs[2].ID][0], "every cadre's visits due worked out again")
}
