package main

import (
	"errors"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// programCmd is `hub program`.
func (a *app) programCmd() *cobra.Command {
	cmd := a.group("program", "The four-nearby program (四就近) community by community: enrol, list", "")
	cmd.AddCommand(a.programEnrolCmd(), a.programListCmd())
	return cmd
}

// enrolmentJSON is a community's enrolment in the program as scripts see it.
type enrolmentJSON struct {
	ID            uuid.UUID   `json:"id"`
	Community     string      `json:"community"`
	CommunityName string      `json:"community_name"`
	Stage         venue.Stage `json:"stage"`
	StageLabel    string      `json:"stage_label"`
	Since         cadre.Date  `json:"since"`
	Until         cadre.Date  `json:"until"`
	// InForce is whether the enrolment holds on the day the verb looked at.
	InForce bool `json:"in_force"`
}

func (a *app) toEnrolmentJSON(e venue.Enrolment, names map[string]string, on cadre.Date) enrolmentJSON {
	return enrolmentJSON{ID: e.ID, Community: e.Community, CommunityName: a.communityLabel(names, e.Community), Stage: e.Stage,
		StageLabel: e.Stage.Label(a.lang), Since: e.Since, Until: e.Until, InForce: e.InForce(on)}
}

func (a *app) programEnrolCmd() *cobra.Command {
	var e venue.Enrolment
	var asJSON bool
	cmd := a.leaf("enrol COMMUNITY", "Enrol a community in the four-nearby program from --since (default today); run again with the same --since to change its stage or end it with --until", 1, func(cmd *cobra.Command, args []string) error {
		code, err := a.communityCode("COMMUNITY", args[0], false)
		if err != nil {
			return err
		}
		given := cmd.Flags().Changed
		e.Community, e.Since = code, a.orToday(e.Since)
		if !e.Until.IsZero() && !e.Until.After(e.Since) {
			return a.usage("--until %s 要晚于 --since %s（--until 是退出四就近的第一天）", "--until %s must be after --since %s (--until is the first day out of the program)", e.Until, e.Since)
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			names, err := desk.CommunityNames(ctx, r)
			if err != nil {
				return err
			}
			in := desk.EnrolmentInput{Community: code, Since: e.Since, Until: e.Until, SetUntil: given("until")}
			if given("stage") {
				in.Stage = e.Stage
			}
			res, err := desk.Enrol(ctx, r, in)
			var ee *desk.EnrolmentError
			switch {
			case errors.Is(err, desk.ErrUnknownCommunity):
				return a.knownCommunity(names, code)
			case errors.As(err, &ee):
				old := ee.Other
				return a.fail(nil, "%s 已有四就近记录（%s，%s 起%s）与之重叠：要修改那条记录，用 --since %s 再运行",
					"%s has a program enrolment (%s, from %s%s) that overlaps: to change it, run again with --since %s",
					a.communityLabel(names, code), old.Stage.Label(a.lang), old.Since, a.untilText(old.Until), old.Since)
			case err != nil:
				return a.invalid(err, "四就近记录", "the enrolment")
			}
			next, changed := res.Enrolment, res.Changed
			j := a.toEnrolmentJSON(next, names, a.today())
			if asJSON {
				return a.printJSON(struct {
					enrolmentJSON
					Changed bool `json:"changed"`
				}{j, changed})
			}
			if !changed {
				a.printf("没有变化：%s 已于 %s 起纳入四就近（%s）\n", "nothing changed: %s is in the four-nearby program from %s (%s) already\n", j.CommunityName, j.Since, j.StageLabel)
				return nil
			}
			a.printf("已将 %s 纳入四就近（%s），%s 起%s；办公室同步后可见\n", "enrolled %s in the four-nearby program (%s) from %s%s; offices see it after they sync\n",
				j.CommunityName, j.StageLabel, j.Since, a.untilText(j.Until))
			return nil
		})
	})
	f := cmd.Flags()
	f.Var(&enumFlag[venue.Stage]{&e.Stage, venue.ParseStage}, "stage", "pilot 试点 or extended 推广 (default extended)")
	f.Var(&dateFlag{&e.Since}, "since", "the first day the community is in the program (default today)")
	f.Var(&dateFlag{&e.Until}, "until", "the first day it is no longer in the program (default: no end)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// untilText words the end of an enrolment after its start: "，2027-01-01 起退出".
func (a *app) untilText(until cadre.Date) string {
	if until.IsZero() {
		return ""
	}
	return a.tf("，%s 起退出", ", out from %s", until)
}

func (a *app) programListCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("list", "List the communities' enrolments in the four-nearby program, with whether each holds on a day", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			names, err := desk.CommunityNames(ctx, r)
			if err != nil {
				return err
			}
			es, err := r.Enrolments(ctx)
			if err != nil {
				return err
			}
			out := make([]enrolmentJSON, 0, len(es))
			for _, e := range es {
				out = append(out, a.toEnrolmentJSON(e, names, on))
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（还没有社区纳入四就近：用 wanxia hub program enrol 社区 纳入）\n", "(no community is in the four-nearby program: enrol one with wanxia hub program enrol COMMUNITY)\n")
				return nil
			}
			rows := make([][]string, 0, len(out))
			for _, e := range out {
				state := a.t("纳入中", "in")
				switch {
				case e.Since.After(on):
					state = a.t("尚未开始", "not yet")
				case !e.InForce:
					state = a.t("已退出", "out")
				}
				rows = append(rows, []string{e.CommunityName, e.StageLabel, e.Since.String(), dateOrDash(e.Until), state})
			}
			a.printf("四就近社区（%s）\n", "Communities in the four-nearby program on %s\n", on)
			return writeTable(a.stdout, []string{a.t("社区", "community"), a.t("阶段", "stage"), a.t("纳入", "since"),
				a.t("退出", "until"), a.t("状态", "state")}, rows)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day the state is shown for (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}
