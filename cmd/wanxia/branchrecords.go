package main

import (
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// trainingRecordJSON is what branch training recorded.
type trainingRecordJSON struct {
	ID      uuid.UUID  `json:"id"`
	CadreID uuid.UUID  `json:"cadre_id"`
	Name    string     `json:"name"`
	Course  string     `json:"course"`
	On      cadre.Date `json:"on"`
}

func (a *app) branchTrainingCmd() *cobra.Command {
	var course string
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("training CADRE", "Record that a cadre attended a training course, such as the yearly course for branch secretaries (支部书记培训班)", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if strings.TrimSpace(course) == "" {
			missing = append(missing, "--course")
		}
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			rec, err := desk.RecordTraining(ctx, r, desk.TrainingInput{CadreID: c.ID, Course: course, On: on})
			if err != nil {
				return a.invalid(err, "培训记录", "the training record")
			}
			t := rec.Attendance
			if asJSON {
				return a.printJSON(trainingRecordJSON{ID: t.ID, CadreID: c.ID, Name: c.Name, Course: t.Course, On: t.On})
			}
			a.printf("已记录 %s 参加%s（%s）\n", "recorded that %s attended %s (%s)\n", c.Name, t.Course, t.On)
			return nil
		})
	})
	cmd.Flags().StringVar(&course, "course", "", "the course, e.g. 2026年度支部书记培训班")
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day attended (the last day of a longer course)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// feedbackJSON is a recorded opinion about a branch.
type feedbackJSON struct {
	ID       uuid.UUID  `json:"id"`
	BranchID uuid.UUID  `json:"branch_id"`
	On       cadre.Date `json:"on"`
	Good     bool       `json:"good"`
	Source   string     `json:"source"`
	Note     string     `json:"note"`
}

func (a *app) branchFeedbackCmd() *cobra.Command {
	var on cadre.Date
	var good, bad, asJSON bool
	var source, note string
	cmd := a.leaf("feedback BRANCH", "Record an opinion of the people a branch serves (群众反映), which the 五好 assessment counts", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if strings.TrimSpace(source) == "" {
			missing = append(missing, "--source")
		}
		if good == bad {
			missing = append(missing, "--good|--bad")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s（--good 与 --bad 二选一）", "missing %s (one of --good and --bad)", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			rec, err := desk.RecordFeedback(ctx, r, desk.FeedbackInput{BranchID: b.ID, On: on, Good: good, Source: source, Note: note})
			if err != nil {
				return a.invalid(err, "群众反映", "the feedback")
			}
			f := rec.Feedback
			if asJSON {
				return a.printJSON(feedbackJSON{ID: f.ID, BranchID: b.ID, On: f.On, Good: f.Good, Source: f.Source, Note: f.Note})
			}
			view := a.t("好评", "favourable")
			if !f.Good {
				view = a.t("意见", "unfavourable")
			}
			a.printf("已记录 %s 的群众反映（%s，%s，%s）\n", "recorded feedback about %s (%s, %s, %s)\n", b.Name, view, f.Source, f.On)
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day it was received")
	cmd.Flags().BoolVar(&good, "good", false, "the opinion was favourable")
	cmd.Flags().BoolVar(&bad, "bad", false, "the opinion was unfavourable")
	cmd.Flags().StringVar(&source, "source", "", "where it came from, e.g. 居民座谈会")
	cmd.Flags().StringVar(&note, "note", "", "what was said")
	jsonFlag(cmd, &asJSON)
	return cmd
}
