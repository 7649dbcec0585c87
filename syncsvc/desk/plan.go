package desk

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// PlanInput says for which date the district's branches are planned.
type PlanInput struct {
	// On is the date of the plan: memberships that move end and begin on
	// it.
	On cadre.Date
}

// PlanView is a branch plan (党支部设置方案) as a person reviews it.
type PlanView struct {
	// Proposal is branch.Plan's proposal under the district's settings.
	Proposal branch.Proposal
	// Moves are Proposal.Moves as a clerk reads them: by the branch they
	// go to, in the plan's order, the memberships that end last, and by
	// name within each.
	Moves []branch.Move
	// CommunityNames are the names of the district's communities by code.
	CommunityNames map[string]string
	// BranchNames are the names of the branches, existing and planned, by
	// id.
	BranchNames map[uuid.UUID]string
	// Written says what ApplyPlan wrote; nil for a proposal.
	Written *store.PlanApplied
}

// ProposePlan proposes the district's branch setup: every retired Party
// member in exactly one branch. It writes nothing.
func ProposePlan(ctx context.Context, r *store.Replica, in PlanInput) (PlanView, error) {
	v, err := proposePlan(ctx, r, in.On)
	if err != nil {
		return PlanView{}, fmt.Errorf("propose the branch plan of %s: %w", in.On, err)
	}
	return v, nil
}

// ApplyPlan proposes the plan as ProposePlan does and writes it in one
// transaction: new and changed branches are stored, moved memberships end
// and begin, emptied branches are dissolved. An error leaves the database
// as it was; it is the storage's own, unwrapped, for it says what could
// not be written.
func ApplyPlan(ctx context.Context, r *store.Replica, in PlanInput) (PlanView, error) {
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return PlanView{}, fmt.Errorf("apply the branch plan of %s: %w", in.On, err)
	}
	var v PlanView
	var planErr error
	err = r.Update(ctx, func(tx *store.Tx) error {
		pin, err := tx.PlanInput(in.On)
		if err != nil {
			planErr = err
			return err
		}
		v = planView(pin, rules)
		written, err := tx.ApplyBranchPlan(v.Proposal)
		v.Written = &written
		return err
	})
	if planErr != nil {
		return PlanView{}, fmt.Errorf("apply the branch plan of %s: %w", in.On, planErr)
	}
	if err != nil {
		return PlanView{}, err
	}
	return v, nil
}

func proposePlan(ctx context.Context, r *store.Replica, on cadre.Date) (PlanView, error) {
	in, err := r.PlanInput(ctx, on)
	if err != nil {
		return PlanView{}, err
	}
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return PlanView{}, err
	}
	return planView(in, rules), nil
}

// planView plans the district's branches from what was read.
func planView(in branch.PlanInput, rules settings.Rules) PlanView {
	plan := branch.Plan(in, rules.Branch.Plan)
	v := PlanView{Proposal: plan, Moves: plan.MovesByDestination(), CommunityNames: map[string]string{}, BranchNames: map[uuid.UUID]string{}}
	for _, c := range in.Communities {
		v.CommunityNames[c.Code] = c.Name
	}
	for _, b := range in.Branches {
		v.BranchNames[b.ID] = b.Name
	}
	for _, pb := range plan.Branches {
		v.BranchNames[pb.Branch.ID] = pb.Branch.Name
	}
	return v
}
