// Package nightly is the district hub's nightly merge (docs/architecture.md "The nightly
// merge"): one dependable job that runs the district's work over the
// merged copy, in order — the day's sync summary, duplicate registrations,
// new 1对5 pairs, the branch plan as a proposal, the reports, compaction of
// the change log, and a verified backup — and records each step with its
// start, end and outcome on the hub, listable afterwards.
//
// A step that fails stops the steps that depend on it (they are recorded
// as skipped, with the reason), never the others; the next run starts
// clean. Decisions (new pairs, pairs that end) are ordinary changes that
// the offices pull the next morning; the branch plan is never applied here
// (a person applies it with `wanxia hub branch plan --apply`); reports are
// files, not replicated records. A second run with nothing new writes no
// replicated change.
package nightly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Step names, in the order they run.
const (
	StepSync       = "sync_summary"
	StepDuplicates = "duplicates"
	StepPairs      = "pairs"
	StepBranchPlan = "branch_plan"
	StepReports    = "reports"
	StepCompact    = "compact"
	StepBackup     = "backup"
)

// dependsOn lists, for each step, the steps that must have succeeded for
// it to run. New pairs are not made while the district may hold a person
// twice; the reports read the pairs and the plan.
var dependsOn = map[string][]string{
	StepPairs:      {StepDuplicates},
	StepBranchPlan: {StepDuplicates},
	StepReports:    {StepPairs, StepBranchPlan},
}

// Options configure a run. The zero value runs every step that needs no
// directory, with the default settings of docs/domain.md.
type Options struct {
	// Now is the clock (time.Now when nil); the run's date is its civil
	// date in Asia/Shanghai.
	Now func() time.Time
	// BackupDir receives a verified backup; empty skips the backup step.
	BackupDir string
	// ReportDir receives the reports and the branch plan, in a directory
	// per date; empty skips writing them.
	ReportDir string
	// Retention is how long the change log keeps departures: 180 days
	// when zero.
	Retention time.Duration
	// Assign and Plan are the district's settings; zero values take the
	// defaults. Rebalance is always off at night: valid pairs are never
	// reshuffled.
	Assign *care.AssignSettings
	Plan   *branch.PlanSettings
	// WriteReports writes the reports of the date into dir and returns the
	// files written; nil skips the reports step. (Package report provides
	// one; the command wires it, so that this package stays small.)
	WriteReports func(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error)
	// Logger receives a line per step (nothing personal).
	Logger *slog.Logger
}

// ErrRunning: another merge holds the hub's merge lock.
var ErrRunning = errors.New("another merge is running")

// Run runs the nightly merge on the hub's replica and returns the run as
// recorded. An error is returned only when the run could not be recorded
// or another merge is running; a failed step is in the run's steps.
func Run(ctx context.Context, r *store.Replica, o Options) (syncsvc.MergeRun, error) {
	release, err := syncsvc.Lock(r.Path() + ".merge")
	if errors.Is(err, syncsvc.ErrInUse) {
		return syncsvc.MergeRun{}, ErrRunning
	}
	if err != nil {
		return syncsvc.MergeRun{}, fmt.Errorf("nightly merge: %w", err)
	}
	defer release()
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Retention <= 0 {
		o.Retention = 180 * 24 * time.Hour
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	j := &job{r: r, o: o, done: map[string]syncsvc.StepOutcome{}}
	j.run = syncsvc.MergeRun{Started: o.Now(), Outcome: syncsvc.StepRunning, Steps: []syncsvc.MergeStep{}}
	j.on = civil(j.run.Started)
	if last, err := r.LastMergeRun(ctx); err == nil {
		j.since = last.Started
	} else if !errors.Is(err, syncsvc.ErrNotFound) {
		return syncsvc.MergeRun{}, err
	}
	if err := r.SaveMergeRun(ctx, &j.run); err != nil {
		return syncsvc.MergeRun{}, err
	}
	for _, s := range []struct {
		name string
		fn   func(context.Context) (string, error)
	}{
		{StepSync, j.syncSummary},
		{StepDuplicates, j.duplicates},
		{StepPairs, j.pairs},
		{StepBranchPlan, j.branchPlan},
		{StepReports, j.reports},
		{StepCompact, j.compact},
		{StepBackup, j.backup},
	} {
		if err := j.step(ctx, s.name, s.fn); err != nil {
			return j.run, err
		}
	}
	j.run.Ended = o.Now()
	j.run.Outcome = syncsvc.StepOK
	for _, s := range j.run.Steps {
		if s.Outcome == syncsvc.StepFailed {
			j.run.Outcome = syncsvc.StepFailed
		}
	}
	if err := r.SaveMergeRun(ctx, &j.run); err != nil {
		return j.run, err
	}
	return j.run, nil
}

// job is one run in progress.
type job struct {
	r     *store.Replica
	o     Options
	run   syncsvc.MergeRun
	on    cadre.Date
	since time.Time
	done  map[string]syncsvc.StepOutcome
	// dupIDs are the cadres registered more than once: no new pair for
	// them until a person resolves it.
	dupIDs map[uuid.UUID]bool
	// files are the files the running step wrote.
	files []string
}

// errNothing marks a step with nothing to do (no directory given): it is
// recorded as skipped, and counts as done for the steps after it.
type errNothing struct{ why string }

func (e errNothing) Error() string { return e.why }

// step runs one step unless a step it depends on did not succeed, and
// records it. Only a failure to record is returned.
func (j *job) step(ctx context.Context, name string, fn func(context.Context) (string, error)) error {
	s := syncsvc.MergeStep{Name: name, Started: j.o.Now(), Outcome: syncsvc.StepRunning, Files: []string{}}
	j.files = nil
	for _, dep := range dependsOn[name] {
		if j.done[dep] == syncsvc.StepFailed || (j.done[dep] == syncsvc.StepSkipped && !j.nothing(dep)) {
			s.Outcome, s.Error = syncsvc.StepSkipped, fmt.Sprintf("not run: step %s did not succeed", dep)
		}
	}
	if s.Outcome == syncsvc.StepRunning {
		detail, err := j.guard(ctx, fn)
		var none errNothing
		switch {
		case errors.As(err, &none):
			s.Outcome, s.Detail = syncsvc.StepSkipped, none.why
		case err != nil:
			s.Outcome, s.Error = syncsvc.StepFailed, err.Error()
		default:
			s.Outcome, s.Detail = syncsvc.StepOK, detail
		}
	}
	s.Ended = j.o.Now()
	s.Files = append(s.Files, j.files...)
	j.done[name] = s.Outcome
	j.run.Steps = append(j.run.Steps, s)
	j.o.Logger.Info("merge step", "step", name, "outcome", s.Outcome, "detail", s.Detail, "error", s.Error)
	return j.r.SaveMergeRun(ctx, &j.run)
}

// nothing reports whether a skipped step was skipped for having nothing to
// do, which is no failure.
func (j *job) nothing(name string) bool {
	for _, s := range j.run.Steps {
		if s.Name == name {
			return s.Outcome == syncsvc.StepSkipped && s.Error == ""
		}
	}
	return false
}

// guard runs a step, turning a panic into a failure of that step.
func (j *job) guard(ctx context.Context, fn func(context.Context) (string, error)) (detail string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("step crashed: %v", p)
		}
	}()
	return fn(ctx)
}

func (j *job) syncSummary(ctx context.Context) (string, error) {
	sums, err := j.r.SyncSummary(ctx, j.since)
	if err != nil {
		return "", err
	}
	var synced, silent, applied, refused, conflicts int
	for _, s := range sums {
		if s.Synced {
			synced++
		} else {
			silent++
		}
		applied += s.Applied
		refused += s.Refused
		conflicts += s.Conflicts
	}
	return fmt.Sprintf("%d offices synced, %d did not; %d changes applied, %d refused, %d conflicts", synced, silent, applied, refused, conflicts), nil
}

func (j *job) duplicates(ctx context.Context) (string, error) {
	groups, err := j.r.Duplicates(ctx)
	if err != nil {
		return "", err
	}
	j.dupIDs = map[uuid.UUID]bool{}
	for _, g := range groups {
		for _, e := range g.Entries {
			j.dupIDs[e.Cadre.ID] = true
		}
	}
	if len(groups) == 0 {
		return "no ID number registered twice", nil
	}
	return fmt.Sprintf("%d ID numbers registered more than once (%d records): resolve with wanxia hub duplicate resolve", len(groups), len(j.dupIDs)), nil
}

func (j *job) pairs(ctx context.Context) (string, error) {
	s := care.DefaultAssignSettings()
	if j.o.Assign != nil {
		s = *j.o.Assign
	}
	s.Rebalance = false
	if err := s.Validate(); err != nil {
		return "", fmt.Errorf("pairing settings: %w", err)
	}
	in, err := j.r.AssignInput(ctx, j.on)
	if err != nil {
		return "", err
	}
	res := care.Assign(in, s)
	// No new pair for a person registered twice until a person decides
	// which record stays.
	kept := res.Pairs[:0]
	for _, a := range res.Pairs {
		if !(a.New && j.dupIDs[a.CadreID]) {
			kept = append(kept, a)
		}
	}
	res.Pairs = kept
	applied, err := j.r.ApplyPairing(ctx, res)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d new pairs, %d pairs ended, %d cadres unpaired", applied.PairsCreated, applied.PairsEnded, len(res.Unpaired)), nil
}

func (j *job) branchPlan(ctx context.Context) (string, error) {
	s := branch.DefaultPlanSettings()
	if j.o.Plan != nil {
		s = *j.o.Plan
	}
	if err := s.Validate(); err != nil {
		return "", fmt.Errorf("branch plan settings: %w", err)
	}
	in, err := j.r.PlanInput(ctx, j.on)
	if err != nil {
		return "", err
	}
	p := branch.Plan(in, s)
	detail := fmt.Sprintf("%d branches proposed, %d moves, %d dissolved; not applied (wanxia hub branch plan --apply)", len(p.Branches), len(p.Moves), len(p.Dissolved))
	if j.o.ReportDir == "" || len(p.Moves) == 0 && len(p.Dissolved) == 0 {
		return detail, nil
	}
	dir, err := j.dateDir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "branch-plan.json")
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return "", err
	}
	if err := atomicfile.WriteBytes(path, b); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	j.files = append(j.files, path)
	return detail + "; proposal in " + path, nil
}

func (j *job) reports(ctx context.Context) (string, error) {
	if j.o.WriteReports == nil || j.o.ReportDir == "" {
		return "", errNothing{"no report directory given"}
	}
	dir, err := j.dateDir()
	if err != nil {
		return "", err
	}
	files, err := j.o.WriteReports(ctx, j.r, dir, j.on)
	// What the reports read is garbage once they are written; the garbage
	// collector, kept to the process's soft memory limit, would leave it
	// resident until the heap reached the limit again, and the backup's
	// SQLite caches, which it does not count, would come on top of it.
	debug.FreeOSMemory()
	j.files = append(j.files, files...)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d report files in %s", len(files), dir), nil
}

func (j *job) compact(ctx context.Context) (string, error) {
	n, err := j.r.CompactLog(ctx, j.o.Now().Add(-j.o.Retention))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d log entries older than %d days removed", n, int(j.o.Retention.Hours()/24)), nil
}

func (j *job) backup(ctx context.Context) (string, error) {
	if j.o.BackupDir == "" {
		return "", errNothing{"no backup directory given"}
	}
	path, err := j.r.Backup(ctx, j.o.BackupDir)
	if err != nil {
		return "", fmt.Errorf("%w (check that %s exists and the hub may write there)", err, j.o.BackupDir)
	}
	j.files = append(j.files, path)
	return "verified backup " + path, nil
}

// dateDir makes the report directory of the run's date.
func (j *job) dateDir() (string, error) {
	dir := filepath.Join(j.o.ReportDir, j.on.String())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("report directory: %w", err)
	}
	return dir, nil
}

func civil(t time.Time) cadre.Date {
	t = t.In(syncsvc.Shanghai())
	return cadre.NewDate(t.Year(), t.Month(), t.Day())
}

// Due reports whether a run is due at now for a daily merge at the given
// time of day (Asia/Shanghai): the most recent such time has passed and no
// run started after it. A hub that was down at that time catches up on
// start.
func Due(now, lastStarted time.Time, hour, minute int) bool {
	n := now.In(syncsvc.Shanghai())
	at := time.Date(n.Year(), n.Month(), n.Day(), hour, minute, 0, 0, syncsvc.Shanghai())
	if at.After(n) {
		at = at.AddDate(0, 0, -1)
	}
	return lastStarted.Before(at)
}

// Next returns the next time after now at which a daily merge at the given
// time of day (Asia/Shanghai) is due.
func Next(now time.Time, hour, minute int) time.Time {
	n := now.In(syncsvc.Shanghai())
	at := time.Date(n.Year(), n.Month(), n.Day(), hour, minute, 0, 0, syncsvc.Shanghai())
	if !at.After(n) {
		at = at.AddDate(0, 0, 1)
	}
	return at
}
