package main

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// hubBranchCmd is `hub branch`: the district's branch setup.
func (a *app) hubBranchCmd() *cobra.Command {
	cmd := a.group("branch", "Party branches (党支部) of the whole district: plan", "")
	cmd.AddCommand(a.branchPlanCmd())
	return cmd
}

// planJSON is a branch plan as scripts see it; Written is set by --apply.
type planJSON struct {
	On        cadre.Date          `json:"on"`
	Members   int                 `json:"members"`
	Branches  []plannedBranchJSON `json:"branches"`
	Moves     []moveJSON          `json:"moves"`
	Dissolved []dissolutionJSON   `json:"dissolved"`
	Applied   bool                `json:"applied"`
	Written   *store.PlanApplied  `json:"written"`
}

type plannedBranchJSON struct {
	ID             uuid.UUID           `json:"id"`
	Name           string              `json:"name"`
	Kind           branch.Kind         `json:"kind"`
	KindLabel      string              `json:"kind_label"`
	Communities    []string            `json:"communities"`
	CommunityNames []string            `json:"community_names"`
	Units          []string            `json:"units"`
	Members        int                 `json:"members"`
	FullMembers    int                 `json:"full_members"`
	MemberIDs      []uuid.UUID         `json:"member_ids"`
	Change         branch.BranchChange `json:"change"`
	ChangeLabel    string              `json:"change_label"`
	Notes          []string            `json:"notes"`
}

// moveJSON is one proposed change of membership; From or To is "" when the
// member has no branch or the membership ends.
type moveJSON struct {
	CadreID     string            `json:"cadre_id"`
	Name        string            `json:"name"`
	From        string            `json:"from"`
	FromName    string            `json:"from_name"`
	To          string            `json:"to"`
	ToName      string            `json:"to_name"`
	Reason      branch.MoveReason `json:"reason"`
	ReasonLabel string            `json:"reason_label"`
	Text        string            `json:"text"`
}

type dissolutionJSON struct {
	BranchID uuid.UUID `json:"branch_id"`
	Name     string    `json:"name"`
	Text     string    `json:"text"`
}

func (a *app) branchPlanCmd() *cobra.Command {
	var on cadre.Date
	var apply, asJSON bool
	cmd := a.leaf("plan", "Propose the district's branch setup (党支部设置方案): every retired Party member in exactly one branch; --apply writes it", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			var plan desk.PlanView
			var err error
			if apply {
				if plan, err = desk.ApplyPlan(ctx, r, desk.PlanInput{On: on}); err != nil {
					return a.fail(err, "方案没有写入（数据库未改动）：%v", "the plan was not written (the database is as it was): %v", a.libText(err))
				}
			} else if plan, err = desk.ProposePlan(ctx, r, desk.PlanInput{On: on}); err != nil {
				return err
			}
			out := a.planReport(plan)
			if asJSON {
				return a.printJSON(out)
			}
			return a.printPlan(out)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "plan for this date (default today in Asia/Shanghai)")
	cmd.Flags().BoolVar(&apply, "apply", false, "write the plan: store new and changed branches, move memberships, dissolve empty branches")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// planReport gathers a plan with labels in the language asked for.
func (a *app) planReport(v desk.PlanView) planJSON {
	plan := v.Proposal
	out := planJSON{On: plan.On, Branches: []plannedBranchJSON{}, Moves: []moveJSON{}, Dissolved: []dissolutionJSON{},
		Applied: v.Written != nil, Written: v.Written}
	for _, pb := range plan.Branches {
		b := pb.Branch
		out.Members += len(pb.Members)
		j := plannedBranchJSON{ID: b.ID, Name: b.Name, Kind: b.Kind, KindLabel: b.Kind.Label(a.lang),
			Communities: nonNil(b.Communities), CommunityNames: []string{}, Units: nonNil(b.Units),
			Members: len(pb.Members), FullMembers: pb.FullMembers, MemberIDs: nonNil(pb.Members), Change: pb.Change,
			ChangeLabel: pb.Change.Label(a.lang), Notes: []string{}}
		for _, code := range j.Communities {
			j.CommunityNames = append(j.CommunityNames, cmp.Or(v.CommunityNames[code], code))
		}
		for _, n := range pb.Notes {
			j.Notes = append(j.Notes, n.In(a.lang))
		}
		out.Branches = append(out.Branches, j)
	}
	for _, m := range v.Moves {
		out.Moves = append(out.Moves, moveJSON{CadreID: m.CadreID.String(), Name: m.Name,
			From: idOrEmpty(m.From), FromName: v.BranchNames[m.From], To: idOrEmpty(m.To), ToName: v.BranchNames[m.To],
			Reason: m.Reason, ReasonLabel: m.Reason.Label(a.lang), Text: m.Text.In(a.lang)})
	}
	for _, d := range plan.Dissolved {
		out.Dissolved = append(out.Dissolved, dissolutionJSON{BranchID: d.BranchID, Name: d.Name, Text: d.Text.In(a.lang)})
	}
	return out
}

func (a *app) printPlan(p planJSON) error {
	a.printf("离退休干部党支部设置方案，截至 %s\n", "Proposed Party branches of the retired cadres, as of %s\n", p.On)
	a.printf("在册党员%d名，拟设党支部%d个；组织关系调整%d人次，撤销党支部%d个\n",
		"%d members on the roll in %d branches; %d membership changes, %d branches dissolved\n",
		p.Members, len(p.Branches), len(p.Moves), len(p.Dissolved))
	a.printf("\n一、党支部\n", "\n1. Branches\n")
	if len(p.Branches) == 0 {
		a.printf("  （没有党员，不设党支部）\n", "  (no Party members, no branches)\n")
	}
	for _, b := range p.Branches {
		places := make([]string, len(b.Communities))
		for i, code := range b.Communities {
			places[i] = b.CommunityNames[i]
			if places[i] != code {
				places[i] += "(" + code + ")"
			}
		}
		places = append(places, b.Units...)
		a.printf("  %s  %s  %s  党员%d名（正式党员%d名）  %s\n", "  %s  %s  %s  %d members (%d full)  %s\n",
			b.Name, b.KindLabel, strings.Join(places, a.t("、", ", ")), b.Members, b.FullMembers, b.ChangeLabel)
		for _, n := range b.Notes {
			a.printf("      · %s\n", "      - %s\n", n)
		}
	}
	a.printf("\n二、组织关系调整\n", "\n2. Membership changes\n")
	if len(p.Moves) == 0 {
		a.printf("  （不需要调整）\n", "  (none needed)\n")
	}
	for _, m := range p.Moves {
		fmt.Fprintf(a.stdout, "  %s\n", m.Text)
	}
	if len(p.Dissolved) > 0 {
		a.printf("\n三、撤销的党支部\n", "\n3. Branches dissolved\n")
		for _, d := range p.Dissolved {
			a.printf("  %s：%s\n", "  %s: %s\n", d.Name, d.Text)
		}
	}
	fmt.Fprintln(a.stdout)
	if !p.Applied {
		a.printf("以上是方案，尚未写入。经研究决定采用后，运行 wanxia hub branch plan --apply --on %s 写入\n",
			"This is a proposal; nothing was written. Once it is decided on, run wanxia hub branch plan --apply --on %s to write it\n", p.On)
		return nil
	}
	w := p.Written
	if *w == (store.PlanApplied{}) {
		a.printf("没有需要写入的更改：方案已经实施\n", "nothing to write: the plan is already in place\n")
		return nil
	}
	a.printf("已写入：新建党支部%d个，调整%d个，撤销%d个；终止组织关系%d条，新建组织关系%d条。办公室同步后可见\n",
		"written: %d branches created, %d changed, %d dissolved; %d memberships ended, %d begun. Offices see it after they sync\n",
		w.BranchesCreated, w.BranchesChanged, w.BranchesDissolved, w.MembershipsEnded, w.MembershipsBegun)
	return nil
}
