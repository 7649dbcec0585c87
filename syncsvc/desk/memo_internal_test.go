package desk

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
