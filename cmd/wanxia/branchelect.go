package main

import (
	"errors"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// electJSON is what branch elect recorded.
type electJSON struct {
	BranchID uuid.UUID  `json:"branch_id"`
	On       cadre.Date `json:"on"`
	Ended    []postJSON `json:"ended"`
	Elected  []postJSON `json:"elected"`
	Changed  bool       `json:"changed"`
}

func (a *app) branchElectCmd() *cobra.Command {
	var on cadre.Date
	refs := map[branch.Role]*string{}
	var asJSON bool
	cmd := a.leaf("elect BRANCH", "Record an election (换届选举): the current posts end on --on and the new holders take office (holders: UUID, 8+ characters of it, or ID number)", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if *refs[branch.RoleSecretary] == "" {
			missing = append(missing, "--secretary")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			holders := map[branch.Role]uuid.UUID{}
			for _, role := range desk.CommitteeRoles() {
				if *refs[role] == "" {
					continue
				}
				c, err := a.findCadre(ctx, r, *refs[role])
				if err != nil {
					return err
				}
				holders[role] = c.ID
			}
			e, err := desk.Elect(ctx, r, desk.ElectInput{BranchID: b.ID, On: on, Holders: holders})
			if err != nil {
				return a.electionError(err)
			}
			return a.printElection(e, asJSON)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day of the election: the old posts end and the new begin")
	for _, role := range desk.CommitteeRoles() {
		refs[role] = new(string)
		cmd.Flags().StringVar(refs[role], string(role), "", "the "+role.Label(cadre.English)+" ("+role.Label(cadre.Chinese)+")")
	}
	jsonFlag(cmd, &asJSON)
	return cmd
}

// electionError words a refused election: a list that leaves out a post
// elected that day is said as it is, not as invalid input.
func (a *app) electionError(err error) error {
	var left *desk.OmittedPostError
	if errors.As(err, &left) {
		return a.fail(nil, "%s 已记录 %s 当天选出的%s %s，这次名单中没有这个职务：同一天选出的职务不能在当天结束；请给出包括该职务的完整名单",
			"%s already has a %s elected on %s (%s) whom this list leaves out: a post cannot end on the day it began; give the whole list, that post included",
			left.Branch.Name, left.Post.TermStart, left.Post.Role.Label(a.lang), a.refName(left.Holder))
	}
	return a.invalid(err, "任职记录", "the post")
}

// printElection shows what an election recorded.
func (a *app) printElection(e desk.Election, asJSON bool) error {
	out := electJSON{BranchID: e.Branch.ID, On: e.On, Ended: []postJSON{}, Elected: []postJSON{}, Changed: e.Changed}
	for _, p := range e.Ended {
		out.Ended = append(out.Ended, a.toPostJSON(p))
	}
	for _, p := range e.Elected {
		out.Elected = append(out.Elected, a.toPostJSON(p))
	}
	b, on := e.Branch, e.On
	if asJSON {
		return a.printJSON(out)
	}
	if !out.Changed {
		a.printf("没有变化：%s %s 的换届选举已经记录\n", "nothing changed: the election of %s on %s is recorded already\n", b.Name, on)
		return nil
	}
	holders := make([]string, len(out.Elected))
	for i, p := range out.Elected {
		holders[i] = p.RoleLabel + " " + p.Name
	}
	a.printf("已记录%s %s 换届选举：%s", "recorded the election of %s on %s: %s", b.Name, on, strings.Join(holders, a.t("，", ", ")))
	if len(out.Ended) > 0 {
		a.printf("；原任职务%d个于当日结束", "; %d earlier posts end that day", len(out.Ended))
	}
	a.printf("。用 wanxia office branch show 查看班子检查\n", ". See the committee check with wanxia office branch show\n")
	return nil
}
