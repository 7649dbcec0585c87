package nightly_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func TestParseClockTime(t *testing.T) {
	at, err := nightly.ParseClockTime("02:30")
	require.NoError(t, err)
	assert.Equal(t, nightly.ClockTime{Hour: 2, Minute: 30}, at)
	assert.Equal(t, "02:30", at.String())
	_, err = nightly.ParseClockTime("25:00")
	assert.Error(t, err)
}

// openHub opens an empty hub with one office, on a fixed clock.
func openHub(t *testing.T, now time.Time) *store.Replica {
	t.Helper()
	r, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "hub.db"),
		syncsvc.Options{Role: syncsvc.RoleHub, Now: func() time.Time { return now }})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	_, _, err = r.AddOffice(context.Background(), "shunyuan", "舜园社区办公室", []string{"shunyuan"})
	require.NoError(t, err)
	return r
}

func TestRunDistrictSumsUpSinceThePreviousRun(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 2, 30, 0, 0, syncsvc.Shanghai())
	r := openHub(t, now)
	o := nightly.Options{Now: func() time.Time { return now }}

	first, err := nightly.RunDistrict(ctx, r, o)
	require.NoError(t, err)
	assert.True(t, first.Since.IsZero(), "the first run has no previous one")
	require.Len(t, first.Offices, 1)
	assert.Equal(t, "shunyuan", first.Offices[0].Office.ID)
	assert.False(t, first.Offices[0].Synced)
	assert.Empty(t, first.Backup, "no backup directory, no backup")

	now = now.Add(24 * time.Hour)
	o.BackupDir = t.TempDir()
	second, err := nightly.RunDistrict(ctx, r, o)
	require.NoError(t, err)
	assert.True(t, second.Since.Equal(first.Run.Started), "the second run sums up since the first began")
	assert.Greater(t, second.Run.ID, first.Run.ID)
	assert.NotEmpty(t, second.Backup, "the verified backup is named")
}

// TestScheduleCatchesUpAMissedNight: started after the merge time with no
// run since, Schedule runs at once, then waits for the next night until
// its context ends.
func TestScheduleCatchesUpAMissedNight(t *testing.T) {
	now := time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai())
	r := openHub(t, now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		nightly.Schedule(ctx, r, nightly.ClockTime{Hour: 2, Minute: 30}, nightly.Options{Now: func() time.Time { return now }})
	}()
	require.Eventually(t, func() bool {
		_, err := r.LastMergeRun(context.Background())
		return err == nil
	}, 10*time.Second, 20*time.Millisecond, "the missed night is caught up on start")
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Schedule did not return when its context ended")
	}
	runs, err := r.MergeRuns(context.Background(), 10)
	require.NoError(t, err)
	assert.Len(t, runs, 1, "one run: the next is due tomorrow night")
}
