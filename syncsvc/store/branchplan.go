package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// PlanInput reads what branch.Plan plans from: every live cadre, the
// communities with their centres, the branches and the memberships in this
// replica, as one consistent read. On the hub that is the whole district.
func (r *Replica) PlanInput(ctx context.Context, on cadre.Date) (in branch.PlanInput, err error) {
	err = r.View(ctx, func(v *syncsvc.View) error {
		in, err = ReadView(v).PlanInput(on)
		return err
	})
	return in, err
}

// PlanInput is Replica.PlanInput through the reader: within a transaction,
// the plan is read and applied in one.
func (rd Reads) PlanInput(on cadre.Date) (branch.PlanInput, error) {
	in := branch.PlanInput{On: on}
	var err error
	if in.Cadres, err = cadres(rd.rd, "ORDER BY id"); err != nil {
		return branch.PlanInput{On: on}, fmt.Errorf("read plan input: %w", err)
	}
	comms, err := communities(rd.rd)
	if err != nil {
		return branch.PlanInput{On: on}, fmt.Errorf("read plan input: %w", err)
	}
	for _, c := range comms {
		in.Communities = append(in.Communities, branch.Community{Code: c.Code, Name: c.Name, Centre: c.Centre})
	}
	if in.Branches, err = branchKind.list(rd.rd, "ORDER BY id"); err != nil {
		return branch.PlanInput{On: on}, fmt.Errorf("read plan input: %w", err)
	}
	if in.Memberships, err = memberships(rd.rd, MembershipFilter{}); err != nil {
		return branch.PlanInput{On: on}, fmt.Errorf("read plan input: %w", err)
	}
	return in, nil
}

// PlanApplied counts what ApplyBranchPlan wrote.
type PlanApplied struct {
	BranchesCreated   int `json:"branches_created"`
	BranchesChanged   int `json:"branches_changed"`
	BranchesDissolved int `json:"branches_dissolved"`
	MembershipsEnded  int `json:"memberships_ended"`
	MembershipsBegun  int `json:"memberships_begun"`
}

// ApplyBranchPlan writes a plan a person has decided to apply, in one
// transaction, as ordinary changes that the offices pull: new and changed
// branches are stored; each move ends the member's membership of the branch
// it leaves on the plan's date and begins one in the branch it joins; a
// dissolved branch gets that date as its end. A membership that began on
// the plan's date itself is voided instead of ended (it never held). Nothing
// is written if any part fails. Applying the same plan twice writes nothing
// the second time: the moves it proposes are then already made.
func (r *Replica) ApplyBranchPlan(ctx context.Context, p branch.Proposal) (out PlanApplied, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		out, err = tx.ApplyBranchPlan(p)
		return err
	})
	return out, err
}

// ApplyBranchPlan is Replica.ApplyBranchPlan within the transaction.
func (tx *Tx) ApplyBranchPlan(p branch.Proposal) (PlanApplied, error) {
	out, err := tx.applyBranchPlan(p)
	if err != nil {
		return PlanApplied{}, fmt.Errorf("apply branch plan of %s: %w", p.On, err)
	}
	return out, nil
}

func (t *Tx) applyBranchPlan(p branch.Proposal) (PlanApplied, error) {
	tx := t.Tx
	var out PlanApplied
	for i := range p.Branches {
		pb := p.Branches[i]
		if pb.Change == branch.BranchUnchanged {
			continue
		}
		b := pb.Branch
		changed, err := branchKind.put(tx, &b)
		if err != nil {
			return PlanApplied{}, err
		}
		if changed && pb.Change == branch.BranchNew {
			out.BranchesCreated++
		} else if changed {
			out.BranchesChanged++
		}
	}
	for _, mv := range p.Moves {
		if mv.From != uuid.Nil {
			n, err := endMembership(tx, mv.CadreID, mv.From, p.On)
			if err != nil {
				return PlanApplied{}, err
			}
			out.MembershipsEnded += n
		}
		if mv.To != uuid.Nil {
			m := branch.Membership{CadreID: mv.CadreID, BranchID: mv.To, From: p.On}
			if _, err := membershipKind.put(tx, &m); err != nil {
				return PlanApplied{}, fmt.Errorf("move %s (%s): %w", mv.Name, mv.Reason, err)
			}
			out.MembershipsBegun++
		}
	}
	for _, d := range p.Dissolved {
		b, err := branchKind.get(tx, d.BranchID)
		if err != nil {
			return PlanApplied{}, err
		}
		if !b.DissolvedOn.IsZero() {
			continue
		}
		b.DissolvedOn = p.On
		if _, err := branchKind.put(tx, &b); err != nil {
			return PlanApplied{}, err
		}
		out.BranchesDissolved++
	}
	return out, nil
}

// endMembership ends the cadre's memberships of a branch that hold on the
// date on, and returns how many it ended.
func endMembership(tx *syncsvc.Tx, cadreID, branchID uuid.UUID, on cadre.Date) (int, error) {
	ms, err := memberships(tx, MembershipFilter{CadreID: cadreID, BranchID: branchID})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if !m.Covers(on) {
			continue
		}
		n++
		if !on.After(m.From) {
			if err := tx.Void(MembershipsTable, m.ID, "replaced by the branch plan on the day it began"); err != nil {
				return 0, fmt.Errorf("void membership %s: %w", m.ID, err)
			}
			continue
		}
		m.To = on
		if _, err := membershipKind.put(tx, &m); err != nil {
			return 0, err
		}
	}
	return n, nil
}
