package testkit_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestIDNumbersPassCadresOwnCheckAndAreDistinct(t *testing.T) {
	seen := map[string]int{}
	// Around the places where the scheme wraps: the birth day (every
	// 12,000), the sequence (every 900) and the region (every 36,000).
	for _, start := range []int{0, 11_500, 23_900, 35_500, 71_700, 99_999_000} {
		for n := start; n < start+1_000; n++ {
			id := testkit.IDNumber(n)
			info, err := cadre.ParseIDNumber(id)
			require.NoError(t, err, "n=%d: %s", n, id)
			prev, dup := seen[id]
			require.False(t, dup, "n=%d and n=%d give %s", prev, n, id)
			seen[id] = n
			wantGender := cadre.Female
			if n%2 == 1 {
				wantGender = cadre.Male
			}
			assert.Equal(t, wantGender, info.Gender, "n=%d", n)
			assert.True(t, info.BirthDate.Year >= 1930 && info.BirthDate.Year <= 1962, "n=%d born %s", n, info.BirthDate)
		}
	}
	assert.Equal(t, testkit.IDNumber(42), testkit.IDNumber(42), "deterministic")
	// The numbers the tests of syncsvc and the command have always used.
	assert.Equal(t, testkit.IDNumberFor("370102", "19300101", 100), testkit.IDNumber(0))
	assert.Equal(t, testkit.IDNumberFor("370102", "19300207", 101), testkit.IDNumber(1))
	assert.Panics(t, func() { testkit.IDNumber(-1) })
	assert.Panics(t, func() { testkit.IDNumber(100_000_000) })
}

func TestIDNumberForCarriesTheRightCheckCharacterOnly(t *testing.T) {
	id := testkit.IDNumberFor("370102", "19440315", 13)
	assert.Equal(t, "370102194403150135", id)
	require.NoError(t, cadre.ValidateIDNumber(id))
	// Wrong in every way but the check character.
	assert.ErrorIs(t, cadre.ValidateIDNumber(testkit.IDNumberFor("370102", "19440230", 13)), cadre.ErrIDDate)
	assert.ErrorIs(t, cadre.ValidateIDNumber(testkit.IDNumberFor("990102", "19440315", 13)), cadre.ErrIDProvince)
	// A changed digit breaks the check.
	bad := []byte(id)
	bad[15] = '7'
	assert.ErrorIs(t, cadre.ValidateIDNumber(string(bad)), cadre.ErrIDCheck)
	assert.Panics(t, func() { testkit.IDNumberFor("3701", "19440315", 13) })
	assert.Panics(t, func() { testkit.IDNumberFor("370102", "1944031x", 13) })
	assert.Panics(t, func() { testkit.IDNumberFor("370102", "19440315", 1000) })
}

func TestBuiltCadresAreValid(t *testing.T) {
	for _, c := range append(testkit.Cadres(0, 300, "sy"), testkit.Wang()) {
		require.NoError(t, c.Validate(testkit.FixedNow()), c.Name)
		assert.Equal(t, cadre.StatusActive, c.Status, c.Name)
	}
	c := testkit.Cadre(7, "gsq")
	assert.Equal(t, "测试007", c.Name)
	assert.Equal(t, "gsq", c.Community)
	assert.Equal(t, cadre.Male, c.Gender)
	assert.Equal(t, c, testkit.Cadre(7, "gsq"), "deterministic")
	assert.NotEqual(t, c.IDNumber, testkit.Cadre(8, "gsq").IDNumber)
}

func TestFixedClockAndDates(t *testing.T) {
	now := testkit.FixedNow()
	assert.Equal(t, "2026-11-28 10:00 +0800", now.Format("2006-01-02 15:04 -0700"))
	assert.Equal(t, time.Saturday, now.Weekday())
	assert.Equal(t, cadre.NewDate(2026, 11, 28), testkit.Today())
	assert.Equal(t, now, testkit.At("2026-11-28 10:00"))
	assert.Equal(t, cadre.NewDate(2026, 2, 28), testkit.Date("2026-02-28"))
	assert.Panics(t, func() { testkit.Date("2026-02-30") })
	assert.Panics(t, func() { testkit.At("10:00") })
	clock := testkit.Fixed(now)
	assert.Equal(t, now, clock())
	assert.Equal(t, now, clock())
}

func TestClockMovesOnlyWhenTold(t *testing.T) {
	start := testkit.At("2026-07-10 08:00")
	c := testkit.NewClock(start)
	assert.Equal(t, start, c.Now())
	assert.Equal(t, start, c.Now())
	c.Advance(90 * time.Minute)
	assert.Equal(t, testkit.At("2026-07-10 09:30"), c.Now())
	c.Set(start)
	assert.Equal(t, start, c.Now())

	tick := testkit.Ticking(start, time.Second)
	assert.Equal(t, start.Add(time.Second), tick.Now())
	assert.Equal(t, start.Add(2*time.Second), tick.Now())

	// Safe for concurrent use: every reading of a ticking clock is distinct.
	var wg sync.WaitGroup
	var mu sync.Mutex
	seen := map[time.Time]bool{}
	for range 8 {
		wg.Go(func() {
			for range 100 {
				now := tick.Now()
				mu.Lock()
				seen[now] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	assert.Len(t, seen, 800)
}

func TestOpenedReplicasAreRealAndUseTheirClock(t *testing.T) {
	ctx := context.Background()
	hub, office := testkit.OpenHub(t), testkit.OpenOffice(t)
	assert.Equal(t, syncsvc.RoleHub, hub.Role())
	assert.Equal(t, syncsvc.RoleOffice, office.Role())

	c := testkit.Cadre(1, "sy")
	_, err := office.PutCadre(ctx, &c)
	require.NoError(t, err)
	got, err := office.CadreByIDNumber(ctx, c.IDNumber)
	require.NoError(t, err)
	assert.Equal(t, c.Name, got.Name)

	assert.Equal(t, testkit.FixedNow().UnixMilli(), stampOf(t, office).UnixMilli(), "the write is stamped by the fixed clock")

	clock := testkit.NewClock(testkit.At("2026-07-10 08:00"))
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clock.Now})
	assert.NotEqual(t, office.Node(), r.Node(), "each call opens a replica of its own")
	assert.NotEqual(t, office.Path(), r.Path())
	c2 := testkit.Cadre(2, "sy")
	_, err = r.PutCadre(ctx, &c2)
	require.NoError(t, err)
	assert.Equal(t, clock.Now().UnixMilli(), stampOf(t, r).UnixMilli(), "the write is stamped by the clock given")
}

// stampOf returns the time of the first field change in r's outbox.
func stampOf(t *testing.T, r *store.Replica) time.Time {
	t.Helper()
	out, err := r.Outbox(context.Background(), 10)
	require.NoError(t, err)
	require.NotEmpty(t, out)
	require.NotEmpty(t, out[0].Fields)
	return out[0].Fields[0].Stamp.Time()
}
