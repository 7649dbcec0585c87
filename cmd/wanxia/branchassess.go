package main

import (
	"errors"
	"os"
	"strconv"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// assessmentJSON is an assessment with texts in the language asked for.
type assessmentJSON struct {
	BranchID   uuid.UUID       `json:"branch_id"`
	BranchName string          `json:"branch_name"`
	Year       int             `json:"year"`
	On         cadre.Date      `json:"on"`
	Set        string          `json:"set"`
	Met        bool            `json:"met"`
	Text       string          `json:"text"`
	Criteria   []criterionJSON `json:"criteria"`
}

type criterionJSON struct {
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	State      branch.AssessState `json:"state"`
	StateLabel string             `json:"state_label"`
	Score      int                `json:"score"`
	Indicators []indicatorJSON    `json:"indicators"`
}

type indicatorJSON struct {
	Measure      branch.Measure `json:"measure"`
	MeasureLabel string         `json:"measure_label"`
	Target       float64        `json:"target"`
	Assessable   bool           `json:"assessable"`
	Value        float64        `json:"value"`
	Met          bool           `json:"met"`
	Evidence     []string       `json:"evidence"`
}

func (a *app) branchAssessCmd() *cobra.Command {
	var year int
	var on cadre.Date
	var criteriaFile string
	var asJSON bool
	cmd := a.leaf("assess BRANCH", "Assess a branch for a year against the 五好 criteria (or --criteria FILE.json), listing the evidence; the title is for the Party organisation to confer", 1, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		if !cmd.Flags().Changed("year") {
			year = on.Year
		}
		if err := desk.CheckAssessYear(year, on); errors.Is(err, desk.ErrYearOutOfRange) {
			return a.usage("--year %d 不对：给出 %d 至 %d 之间的年份", "--year %d: give a year from %d to %d", year, desk.FirstAssessYear, on.Year)
		}
		criteria := branch.FiveGood()
		if criteriaFile != "" {
			data, err := os.ReadFile(criteriaFile)
			if err != nil {
				return a.fail(err, "读不了评定标准文件 %s：%v", "cannot read the criteria file %s: %v", criteriaFile, a.libText(err))
			}
			if criteria, err = branch.LoadCriteria(data); err != nil {
				return a.fail(err, "评定标准文件 %s 不能使用：%v；格式见 wanxia office branch assess --help", "the criteria file %s cannot be used: %v; see wanxia office branch assess --help", criteriaFile, a.libText(err))
			}
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			v, err := desk.AssessBranch(ctx, r, desk.AssessInput{BranchID: b.ID, Year: year, On: on, Criteria: criteria})
			if err != nil {
				return err
			}
			out := a.toAssessmentJSON(v)
			if asJSON {
				return a.printJSON(out)
			}
			return a.printAssessment(out)
		})
	})
	cmd.Flags().IntVar(&year, "year", 0, "the year assessed (default the year of --on)")
	cmd.Flags().Var(&dateFlag{&on}, "on", "the date of the assessment: in its own year only what was done by then counts (default today)")
	cmd.Flags().StringVar(&criteriaFile, "criteria", "", `a criteria set in JSON instead of 五好: {"name":{"zh":…,"en":…},"criteria":[{"code":…,"name":{…},"indicators":[{"measure":"dues_paid","target":0.95}]}]}`)
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) toAssessmentJSON(v desk.AssessmentView) assessmentJSON {
	res := v.Assessment
	out := assessmentJSON{BranchID: v.Branch.ID, BranchName: v.Branch.Name, Year: res.Year, On: v.On, Set: res.Set.In(a.lang), Met: res.Met,
		Text: res.Text.In(a.lang), Criteria: []criterionJSON{}}
	for _, c := range res.Criteria {
		cj := criterionJSON{Code: c.Code, Name: c.Name.In(a.lang), State: c.State, StateLabel: c.State.Label(a.lang), Score: c.Score, Indicators: []indicatorJSON{}}
		for _, ind := range c.Indicators {
			ij := indicatorJSON{Measure: ind.Measure, MeasureLabel: ind.Measure.Label(a.lang), Target: ind.Target,
				Assessable: ind.Assessable, Value: ind.Value, Met: ind.Met, Evidence: []string{}}
			for _, e := range ind.Evidence {
				ij.Evidence = append(ij.Evidence, e.In(a.lang))
			}
			cj.Indicators = append(cj.Indicators, ij)
		}
		out.Criteria = append(out.Criteria, cj)
	}
	return out
}

func (a *app) printAssessment(s assessmentJSON) error {
	a.printf("%s  %d年度%s评定（截至 %s）\n", "%s: %d assessment against the %s criteria (as of %s)\n", s.BranchName, s.Year, s.Set, s.On)
	for i, c := range s.Criteria {
		a.printf("\n%d. %s  %s  得分%d\n", "\n%d. %s  %s  score %d\n", i+1, c.Name, c.StateLabel, c.Score)
		for _, ind := range c.Indicators {
			value := a.t("无记录", "nothing recorded")
			if ind.Assessable {
				value = percent(ind.Value)
			}
			verdict := a.t("达到", "met")
			switch {
			case !ind.Assessable:
				verdict = a.t("无法评定", "cannot tell")
			case !ind.Met:
				verdict = a.t("未达到", "not met")
			}
			a.printf("   %s：%s（要求 %s）  %s\n", "   %s: %s (target %s)  %s\n", ind.MeasureLabel, value, percent(ind.Target), verdict)
			for _, e := range ind.Evidence {
				a.printf("      · %s\n", "      - %s\n", e)
			}
		}
	}
	a.printf("\n%s\n", "\n%s\n", s.Text)
	return nil
}

// percent shows a share as a whole percentage.
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }
