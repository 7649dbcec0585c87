package nightly

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ClockTime is a time of day, HH:MM, in Asia/Shanghai.
type ClockTime struct {
	// Hour is 0-23 and Minute 0-59.
	Hour, Minute int
}

// ParseClockTime reads HH:MM.
func ParseClockTime(s string) (ClockTime, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return ClockTime{}, fmt.Errorf("time of day %q: %w", s, err)
	}
	return ClockTime{t.Hour(), t.Minute()}, nil
}

// String returns HH:MM.
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute) }

// Summary is one merge run with each office's syncs since the previous
// run.
type Summary struct {
	// Since is when the previous run started, zero for the first run.
	Since time.Time
	// Offices are each office's syncs since then, offices that did not
	// sync included, by office id.
	Offices []syncsvc.OfficeSummary
	// Backup is the verified backup written, "" for none.
	Backup string
	// Run is the run as recorded, with its steps.
	Run syncsvc.MergeRun
}

// RunDistrict runs the merge (Run) with the district's settings as the
// hub's replica holds them, the reports of package report when
// o.ReportDir is set (unless o.WriteReports is), and sums up each office's
// syncs since the previous run. Errors as Run's.
func RunDistrict(ctx context.Context, r *store.Replica, o Options) (Summary, error) {
	var since time.Time
	if last, err := r.LastMergeRun(ctx); err == nil {
		since = last.Started
	} else if !errors.Is(err, syncsvc.ErrNotFound) {
		return Summary{}, fmt.Errorf("nightly merge: %w", err)
	}
	sums, err := r.SyncSummary(ctx, since)
	if err != nil {
		return Summary{}, fmt.Errorf("nightly merge: %w", err)
	}
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return Summary{}, fmt.Errorf("nightly merge: %w", err)
	}
	if o.WriteReports == nil {
		o.WriteReports = func(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error) {
			return report.WriteWorkbooksWith(ctx, r, dir, on, report.DistrictSettings(rules))
		}
	}
	if o.Assign == nil {
		o.Assign = &rules.Assign
	}
	if o.Plan == nil {
		o.Plan = &rules.Branch.Plan
	}
	run, err := Run(ctx, r, o)
	if err != nil {
		return Summary{}, err
	}
	out := Summary{Since: since, Offices: sums, Run: run}
	for _, st := range run.Steps {
		if st.Name == StepBackup && st.Outcome == syncsvc.StepOK && len(st.Files) > 0 {
			out.Backup = st.Files[0]
		}
	}
	return out, nil
}

// Schedule runs RunDistrict daily at the time at, and once at start when no
// merge started since the most recent scheduled time (a missed night),
// until ctx ends. Runs follow each other on the caller's goroutine, and the
// merge lock keeps a run by hand from running beside one; a failed run is
// logged on o.Logger and the next starts clean. o.Now is the clock
// (time.Now when nil).
func Schedule(ctx context.Context, r *store.Replica, at ClockTime, o Options) {
	if o.Now == nil {
		o.Now = time.Now
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log.Info("merge scheduled", "daily_at", at.String(), "zone", "Asia/Shanghai")
	for {
		var last time.Time
		run, err := r.LastMergeRun(ctx)
		switch {
		case err == nil:
			last = run.Started
		case !errors.Is(err, syncsvc.ErrNotFound):
			log.Error("read the last merge", "err", err)
		}
		if err == nil || errors.Is(err, syncsvc.ErrNotFound) {
			if Due(o.Now(), last, at.Hour, at.Minute) {
				res, err := RunDistrict(ctx, r, o)
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					log.Error("merge failed", "err", err)
				default:
					logSummary(log, res)
				}
			}
		}
		now := o.Now()
		timer := time.NewTimer(Next(now, at.Hour, at.Minute).Sub(now))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

// logSummary logs each office's syncs and the run's outcome.
func logSummary(log *slog.Logger, res Summary) {
	var silent []string
	for _, s := range res.Offices {
		if !s.Synced {
			silent = append(silent, s.Office.ID)
			continue
		}
		log.Info("sync summary", "office", s.Office.ID, "pushes", s.Pushes, "applied", s.Applied, "refused", s.Refused,
			"conflicts", s.Conflicts, "pulled", s.Pulled)
	}
	attrs := []any{"run", res.Run.ID, "outcome", res.Run.Outcome, "offices", len(res.Offices), "did_not_sync", silent}
	if res.Backup != "" {
		attrs = append(attrs, "backup", res.Backup)
	}
	log.Info("merge done", attrs...)
}
