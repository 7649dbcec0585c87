package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// officeSummaryJSON is one office's syncs since the last merge.
type officeSummaryJSON struct {
	Office    string  `json:"office"`
	Name      string  `json:"name"`
	Synced    bool    `json:"synced"`
	Pushes    int     `json:"pushes"`
	Applied   int     `json:"applied"`
	Refused   int     `json:"refused"`
	Conflicts int     `json:"conflicts"`
	Pulled    int     `json:"pulled"`
	LastSync  *string `json:"last_sync"`
}

// mergeResult is what one merge did: each office's syncs since the last
// merge, the backup, and the run with its steps.
type mergeResult struct {
	Since   *string             `json:"since"`
	At      string              `json:"at"`
	Offices []officeSummaryJSON `json:"offices"`
	Backup  *string             `json:"backup"`
	Run     syncsvc.MergeRun    `json:"run"`
}

// mergeOptions are where a merge writes.
type mergeOptions struct {
	backupDir, reportDir string
	logger               *slog.Logger
}

// clockTime is a time of day, HH:MM, in Shanghai.
type clockTime = nightly.ClockTime

func parseClockTime(s string) (clockTime, error) { return nightly.ParseClockTime(s) }

// nightlyOptions are the options of package nightly for o.
func (o mergeOptions) nightly() nightly.Options {
	return nightly.Options{BackupDir: o.backupDir, ReportDir: o.reportDir, Logger: o.logger}
}

// mergeLoop runs the merge daily at the time at (nightly.Schedule), on
// the wall clock: a server's schedule is real time, whatever the command's
// clock says.
func (a *app) mergeLoop(ctx context.Context, r *store.Replica, at clockTime, o mergeOptions, log *slog.Logger) {
	o.logger = log
	nightly.Schedule(ctx, r, at, o.nightly())
}

// errMergeRunning: another merge holds the merge lock.
var errMergeRunning = nightly.ErrRunning

// runMerge runs the nightly merge with the district's settings
// (nightly.RunDistrict) and shows it for scripts.
func runMerge(ctx context.Context, r *store.Replica, o mergeOptions) (mergeResult, error) {
	sum, err := nightly.RunDistrict(ctx, r, o.nightly())
	if err != nil {
		return mergeResult{}, err
	}
	res := mergeResult{Since: jsonTime(sum.Since), At: sum.Run.Started.UTC().Format(time.RFC3339), Offices: make([]officeSummaryJSON, 0, len(sum.Offices)), Run: sum.Run}
	for _, s := range sum.Offices {
		res.Offices = append(res.Offices, officeSummaryJSON{Office: s.Office.ID, Name: s.Office.Name, Synced: s.Synced,
			Pushes: s.Pushes, Applied: s.Applied, Refused: s.Refused, Conflicts: s.Conflicts, Pulled: s.Pulled, LastSync: jsonTime(s.LastSync)})
	}
	if sum.Backup != "" {
		res.Backup = &sum.Backup
	}
	return res, nil
}

func (a *app) mergeCmd() *cobra.Command {
	var o mergeOptions
	var asJSON bool
	cmd := a.leaf("merge", "The nightly merge: sync summary, duplicate registrations, new 1对5 pairs, the branch plan as a proposal, reports (--reports), log compaction and a verified backup (--backup), each step recorded", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			res, err := runMerge(cmd.Context(), r, o)
			if errors.Is(err, errMergeRunning) {
				return a.fail(err, "另一次合并正在进行：等它结束", "another merge is running: wait for it to finish")
			}
			if err != nil {
				return err
			}
			if asJSON {
				err = a.printJSON(res)
			} else {
				err = a.printMerge(res)
			}
			if err == nil && res.Run.Outcome == syncsvc.StepFailed {
				return a.fail(errors.New("merge step failed"), "合并有步骤失败，见上；其余步骤已完成，下次合并重新开始", "a merge step failed (see above); the other steps are done and the next merge starts clean")
			}
			return err
		})
	})
	cmd.Flags().StringVar(&o.backupDir, "backup", "", "write a verified backup into this directory")
	cmd.Flags().StringVar(&o.reportDir, "reports", "", "write the reports and the branch plan into this directory, one folder per date")
	jsonFlag(cmd, &asJSON)
	cmd.AddCommand(a.mergeListCmd())
	return cmd
}

// stepLabels name the merge steps for people.
var stepLabels = map[string][2]string{
	nightly.StepSync:       {"同步汇总", "sync summary"},
	nightly.StepDuplicates: {"重复登记", "duplicate registrations"},
	nightly.StepPairs:      {"1对5结对", "1对5 pairing"},
	nightly.StepBranchPlan: {"党支部设置方案", "branch plan"},
	nightly.StepReports:    {"报表", "reports"},
	nightly.StepCompact:    {"压缩变更日志", "log compaction"},
	nightly.StepBackup:     {"备份", "backup"},
}

var outcomeLabels = map[syncsvc.StepOutcome][2]string{
	syncsvc.StepOK: {"完成", "ok"}, syncsvc.StepFailed: {"失败", "failed"},
	syncsvc.StepSkipped: {"跳过", "skipped"}, syncsvc.StepRunning: {"进行中", "running"},
}

func (a *app) label(m map[string][2]string, k string) string {
	if l, ok := m[k]; ok {
		return a.t(l[0], l[1])
	}
	return k
}

func (a *app) printSteps(run syncsvc.MergeRun) error {
	rows := make([][]string, 0, len(run.Steps))
	for _, s := range run.Steps {
		o := outcomeLabels[s.Outcome]
		say := a.mergeText(s.Detail, false)
		if s.Error != "" {
			say = a.mergeText(s.Error, true)
		}
		rows = append(rows, []string{a.label(stepLabels, s.Name), a.t(o[0], o[1]), showTime(s.Started), s.Ended.Sub(s.Started).Round(time.Millisecond).String(), say})
	}
	return writeTable(a.stdout, []string{a.t("步骤", "step"), a.t("结果", "outcome"), a.t("开始", "started"), a.t("用时", "took"), a.t("说明", "detail")}, rows)
}

func (a *app) mergeListCmd() *cobra.Command {
	var limit int
	var asJSON bool
	cmd := a.leaf("list", "List the recent merge runs with their steps, newest first", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			runs, err := r.MergeRuns(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(runs)
			}
			if len(runs) == 0 {
				a.printf("（还没有合并过）\n", "(no merge has run yet)\n")
				return nil
			}
			for i, run := range runs {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				o := outcomeLabels[run.Outcome]
				a.printf("第%d次合并  %s  %s\n", "merge %d  %s  %s\n", run.ID, showTime(run.Started), a.t(o[0], o[1]))
				if err := a.printSteps(run); err != nil {
					return err
				}
			}
			return nil
		})
	})
	cmd.Flags().IntVar(&limit, "limit", 10, "how many runs to list")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printMerge(res mergeResult) error {
	if res.Since == nil {
		a.printf("各办公室的同步（第一次合并）：\n", "Each office's syncs (first merge):\n")
	} else {
		since, _ := time.Parse(time.RFC3339, *res.Since)
		a.printf("自 %s 以来各办公室的同步：\n", "Each office's syncs since %s:\n", showTime(since))
	}
	rows := make([][]string, 0, len(res.Offices))
	var silent []string
	for _, s := range res.Offices {
		if !s.Synced {
			silent = append(silent, s.Office)
		}
		last := "-"
		if s.LastSync != nil {
			t, _ := time.Parse(time.RFC3339, *s.LastSync)
			last = showTime(t)
		}
		rows = append(rows, []string{s.Office, s.Name, strconv.Itoa(s.Pushes), strconv.Itoa(s.Applied), strconv.Itoa(s.Refused),
			strconv.Itoa(s.Conflicts), strconv.Itoa(s.Pulled), last})
	}
	if len(rows) == 0 {
		a.printf("（没有办公室）\n", "(no offices)\n")
	} else if err := writeTable(a.stdout, []string{a.t("办公室", "office"), a.t("名称", "name"), a.t("推送次数", "pushes"),
		a.t("收到更改", "applied"), a.t("拒绝", "refused"), a.t("冲突", "conflicts"), a.t("拉取更改", "pulled"), a.t("最近同步", "last sync")}, rows); err != nil {
		return err
	}
	if len(silent) > 0 {
		a.printf("没有同步的办公室：%v\n", "offices that did not sync: %v\n", silent)
	}
	if res.Backup != nil {
		a.printf("备份（已检查）：%s\n", "backup (checked): %s\n", *res.Backup)
	}
	a.printf("\n合并步骤（第%d次）：\n", "\nMerge steps (run %d):\n", res.Run.ID)
	return a.printSteps(res.Run)
}
