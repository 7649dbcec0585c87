package syncsvc

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// StepOutcome is how a step of the nightly merge ended.
type StepOutcome string

// Step outcomes.
const (
	StepOK      StepOutcome = "ok"
	StepFailed  StepOutcome = "failed"
	StepSkipped StepOutcome = "skipped" // a step it depends on failed, or it has nothing to do
	StepRunning StepOutcome = "running"
)

// MergeStep is one step of a nightly merge run.
type MergeStep struct {
	Name    string      `json:"name"`
	Started time.Time   `json:"started"`
	Ended   time.Time   `json:"ended"`
	Outcome StepOutcome `json:"outcome"`
	// Detail says what the step found or did, for people.
	Detail string `json:"detail"`
	// Error is why it failed, or why it was skipped.
	Error string `json:"error"`
	// Files are the files the step wrote (a backup, reports, a plan).
	Files []string `json:"files"`
}

// MergeRun is one run of the nightly merge and its steps, in order.
type MergeRun struct {
	ID      int64       `json:"id"`
	Started time.Time   `json:"started"`
	Ended   time.Time   `json:"ended"`
	Outcome StepOutcome `json:"outcome"`
	Steps   []MergeStep `json:"steps"`
}

// SaveMergeRun records a run on the hub: a new one (ID 0) gets its ID; a
// known one is updated, so that a run is recorded step by step and a crash
// leaves what was done. Runs are the hub's own record and do not sync.
func (r *Replica) SaveMergeRun(ctx context.Context, run *MergeRun) error {
	if err := r.requireHub(); err != nil {
		return err
	}
	steps, err := json.Marshal(run.Steps)
	if err != nil {
		return fmt.Errorf("save merge run: %w", err)
	}
	ended := ""
	if !run.Ended.IsZero() {
		ended = run.Ended.UTC().Format(time.RFC3339Nano)
	}
	return r.write(ctx, func(w *writeTx) error {
		if run.ID == 0 {
			res, err := w.exec("INSERT INTO merge_runs(started, ended, outcome, steps) VALUES(?, ?, ?, ?)",
				run.Started.UTC().Format(time.RFC3339Nano), nullText(ended), string(run.Outcome), string(steps))
			if err != nil {
				return fmt.Errorf("save merge run: %w", err)
			}
			run.ID, err = res.LastInsertId()
			return err
		}
		_, err := w.exec("UPDATE merge_runs SET ended=?, outcome=?, steps=? WHERE id=?", nullText(ended), string(run.Outcome), string(steps), run.ID)
		if err != nil {
			return fmt.Errorf("save merge run %d: %w", run.ID, err)
		}
		return nil
	})
}

// MergeRuns lists the most recent runs first, at most limit (default 30).
func (r *Replica) MergeRuns(ctx context.Context, limit int) ([]MergeRun, error) {
	if limit <= 0 {
		limit = 30
	}
	return r.mergeRuns(ctx, "ORDER BY id DESC LIMIT ?", limit)
}

// LastMergeRun returns the most recent run that finished (ok or not);
// ErrNotFound when none has.
func (r *Replica) LastMergeRun(ctx context.Context) (MergeRun, error) {
	runs, err := r.mergeRuns(ctx, "WHERE ended IS NOT NULL ORDER BY id DESC LIMIT 1")
	if err != nil {
		return MergeRun{}, err
	}
	if len(runs) == 0 {
		return MergeRun{}, fmt.Errorf("last merge run: %w", ErrNotFound)
	}
	return runs[0], nil
}

func (r *Replica) mergeRuns(ctx context.Context, clause string, args ...any) ([]MergeRun, error) {
	rows, err := r.rdb.QueryContext(ctx, "SELECT id, started, COALESCE(ended, ''), outcome, steps FROM merge_runs "+clause, args...)
	if err != nil {
		return nil, fmt.Errorf("list merge runs: %w", err)
	}
	defer rows.Close()
	out := []MergeRun{}
	for rows.Next() {
		var run MergeRun
		var started, ended, outcome, steps string
		if err := rows.Scan(&run.ID, &started, &ended, &outcome, &steps); err != nil {
			return nil, fmt.Errorf("list merge runs: %w", err)
		}
		run.Outcome = StepOutcome(outcome)
		run.Started, _ = time.Parse(time.RFC3339Nano, started)
		if ended != "" {
			run.Ended, _ = time.Parse(time.RFC3339Nano, ended)
		}
		if err := json.Unmarshal([]byte(steps), &run.Steps); err != nil {
			return nil, fmt.Errorf("merge run %d: %w: steps unreadable", run.ID, errCorrupt)
		}
		out = append(out, run)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list merge runs: %w", err)
	}
	return out, nil
}

// nullText stores an empty text as NULL.
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}
