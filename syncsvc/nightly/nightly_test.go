package nightly_test

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func outcomes(run syncsvc.MergeRun) map[string]syncsvc.StepOutcome {
	out := map[string]syncsvc.StepOutcome{}
	for _, s := range run.Steps {
		out[s.Name] = s.Outcome
	}
	return out
}

// TestMergeTwice: a simulated district (three offices, a year of meetings,
// visits and dues) merged twice. The first run may add pairs; the second,
// with nothing new, writes no replicated change.
func TestMergeTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sim := simulate(t, dir, 3, 40, 1)
	// The first office registers, offline, a cadre who needs a pair and
	// arrived after the pairing a year ago, and syncs.
	hub, err := syncsvc.NewHub(sim.hub.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	office, err := store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Now: simClock(sim.on)})
	require.NoError(t, err)
	defer office.Close()
	late := simCadre(t, rand.New(rand.NewPCG(9, 9)), 9999, "c00", cadre.Location{Lat: 36.60, Lng: 116.95})
	late.Category = cadre.Lixiu
	_, err = office.PutCadre(ctx, &late)
	require.NoError(t, err)
	out, err := office.Outbox(ctx, 100)
	require.NoError(t, err)
	pushed, err := hub.Push(ctx, sim.offices[0], office.Node(), out)
	require.NoError(t, err)
	require.Empty(t, pushed.Refused)
	h := care.Helper{Name: "新任帮扶人", Base: &cadre.Location{Lat: 36.60, Lng: 116.95}, ActiveFrom: sim.on.AddDays(-3)}
	_, err = sim.hub.PutHelper(ctx, &h)
	require.NoError(t, err)

	o := nightly.Options{Now: simClock(sim.on), BackupDir: filepath.Join(dir, "backups")}
	require.NoError(t, os.MkdirAll(o.BackupDir, 0o700))
	first, err := nightly.Run(ctx, sim.hub, o)
	require.NoError(t, err)
	for _, s := range first.Steps {
		t.Logf("%s %s %s %s", s.Name, s.Outcome, s.Detail, s.Error)
	}
	assert.Equal(t, syncsvc.StepOK, first.Outcome)
	names := make([]string, 0, len(first.Steps))
	assert.Contains(t, first.Steps[0].Detail, "1 offices synced, 2 did not", "the day's sync summary")
	for _, s := range first.Steps {
		names = append(names, s.Name)
		assert.False(t, s.Ended.Before(s.Started), s.Name)
	}
	assert.Equal(t, []string{nightly.StepSync, nightly.StepDuplicates, nightly.StepPairs, nightly.StepBranchPlan, nightly.StepReports, nightly.StepCompact, nightly.StepBackup}, names)
	assert.Equal(t, syncsvc.StepSkipped, outcomes(first)[nightly.StepReports], "no report directory: nothing to do, not a failure")
	pairs, err := sim.hub.Pairs(ctx, store.PairFilter{CadreID: late.ID, OpenOn: sim.on})
	require.NoError(t, err)
	assert.Len(t, pairs, 1, "the newcomer is paired at night")

	seq, err := sim.hub.LastSeq(ctx)
	require.NoError(t, err)
	second, err := nightly.Run(ctx, sim.hub, o)
	require.NoError(t, err)
	assert.Equal(t, syncsvc.StepOK, second.Outcome)
	again, err := sim.hub.LastSeq(ctx)
	require.NoError(t, err)
	assert.Equal(t, seq, again, "a second run with nothing new writes nothing")
	for _, s := range second.Steps {
		if s.Name == nightly.StepPairs {
			assert.Contains(t, s.Detail, "0 new pairs, 0 pairs ended")
		}
	}

	runs, err := sim.hub.MergeRuns(ctx, 10)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, second.ID, runs[0].ID, "newest first")
	assert.Len(t, runs[1].Steps, 7)
}

// TestFailingStep: a backup directory that cannot be written fails the
// backup step alone, with what to do; the other steps run. Bad pairing
// settings fail the pairing, and the reports that depend on it are
// skipped with the reason, while the branch plan still runs.
func TestFailingStep(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sim := simulate(t, dir, 2, 20, 2)
	blocker := filepath.Join(dir, "not-a-dir")
	require.NoError(t, os.WriteFile(blocker, []byte("x"), 0o600))
	run, err := nightly.Run(ctx, sim.hub, nightly.Options{Now: simClock(sim.on), BackupDir: filepath.Join(blocker, "backups")})
	require.NoError(t, err)
	assert.Equal(t, syncsvc.StepFailed, run.Outcome)
	got := outcomes(run)
	assert.Equal(t, syncsvc.StepFailed, got[nightly.StepBackup])
	for _, name := range []string{nightly.StepSync, nightly.StepDuplicates, nightly.StepPairs, nightly.StepBranchPlan, nightly.StepCompact} {
		assert.Equal(t, syncsvc.StepOK, got[name], name)
	}
	last := run.Steps[len(run.Steps)-1]
	assert.Contains(t, last.Error, "check that")

	bad := care.DefaultAssignSettings()
	bad.Capacity = -1
	reportsRan := false
	run, err = nightly.Run(ctx, sim.hub, nightly.Options{Now: simClock(sim.on), Assign: &bad, ReportDir: filepath.Join(dir, "reports"),
		WriteReports: func(context.Context, *store.Replica, string, cadre.Date) ([]string, error) {
			reportsRan = true
			return nil, nil
		}})
	require.NoError(t, err)
	got = outcomes(run)
	assert.Equal(t, syncsvc.StepFailed, got[nightly.StepPairs])
	assert.Equal(t, syncsvc.StepOK, got[nightly.StepBranchPlan], "the plan does not depend on the pairs")
	assert.Equal(t, syncsvc.StepSkipped, got[nightly.StepReports])
	assert.False(t, reportsRan)
	for _, s := range run.Steps {
		if s.Name == nightly.StepReports {
			assert.Contains(t, s.Error, nightly.StepPairs)
		}
	}

	// The next run starts clean.
	run, err = nightly.Run(ctx, sim.hub, nightly.Options{Now: simClock(sim.on)})
	require.NoError(t, err)
	assert.Equal(t, syncsvc.StepOK, run.Outcome)
}

func TestDueAndNext(t *testing.T) {
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, syncsvc.Shanghai())
		require.NoError(t, err)
		return tm
	}
	// Merges at 02:30.
	assert.True(t, nightly.Due(at("2026-11-28 09:00"), at("2026-11-27 02:30"), 2, 30), "last night's merge was missed: catch up")
	assert.False(t, nightly.Due(at("2026-11-28 09:00"), at("2026-11-28 02:30"), 2, 30), "done tonight")
	assert.False(t, nightly.Due(at("2026-11-28 02:00"), at("2026-11-27 02:31"), 2, 30), "not yet time")
	assert.True(t, nightly.Due(at("2026-11-28 02:00"), time.Time{}, 2, 30), "never merged")
	assert.Equal(t, at("2026-11-29 02:30"), nightly.Next(at("2026-11-28 02:30"), 2, 30))
	assert.Equal(t, at("2026-11-28 02:30"), nightly.Next(at("2026-11-28 02:29"), 2, 30))
	// A clock in another zone: 23:00 UTC is 07:00 the next day in Shanghai.
	utc := time.Date(2026, 11, 28, 23, 0, 0, 0, time.UTC)
	assert.True(t, at("2026-11-30 02:30").Equal(nightly.Next(utc, 2, 30)))
	assert.True(t, nightly.Due(utc, at("2026-11-28 02:30"), 2, 30), "the 29th's 02:30 has passed in Shanghai")
}
