package main

import (
	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// newReport plans d's branches on the date on and gathers the report in lang.
func newReport(d *district, on cadre.Date, lang cadre.Lang) report {
	plan := branch.Plan(branch.PlanInput{
		On: on, Cadres: d.cadres, Communities: d.communities, Branches: d.branches, Memberships: d.memberships,
	}, branch.DefaultPlanSettings())
	rep := report{On: on, Lang: lang, Branches: []branchLine{}, Moves: []moveLine{}, Dissolved: []dissolvedLine{},
		Committees: []committeeLine{}, DuesSince: duesSince, Dues: []duesLine{}}

	names := map[string]string{}
	for _, c := range d.communities {
		names[c.Code] = c.Name
	}
	branchNames := map[uuid.UUID]string{}
	for _, b := range d.branches {
		branchNames[b.ID] = b.Name
	}
	for _, pb := range plan.Branches {
		branchNames[pb.Branch.ID] = pb.Branch.Name
		rep.Members += len(pb.Members)
		rep.Branches = append(rep.Branches, newBranchLine(pb, names, lang))
	}
	for _, m := range plan.MovesByDestination() {
		rep.Moves = append(rep.Moves, moveLine{CadreID: m.CadreID, Name: m.Name, From: branchNames[m.From], To: branchNames[m.To],
			Reason: m.Reason, ReasonLabel: m.Reason.Label(lang), Text: m.Text.In(lang)})
	}
	for _, x := range plan.Dissolved {
		rep.Dissolved = append(rep.Dissolved, dissolvedLine{ID: x.BranchID, Name: x.Name, Text: x.Text.In(lang)})
	}

	cadres := map[uuid.UUID]cadre.Cadre{}
	for _, c := range d.cadres {
		cadres[c.ID] = c
	}
	for _, pb := range plan.Branches {
		members := make([]cadre.Cadre, len(pb.Members))
		for i, id := range pb.Members {
			members[i] = cadres[id]
		}
		line := committeeLine{BranchID: pb.Branch.ID, Branch: pb.Branch.Name, Findings: []findingLine{}}
		for _, f := range branch.CheckCommittee(pb.Branch, members, d.posts, on, branch.DefaultCommitteeSettings()) {
			line.Findings = append(line.Findings, findingLine{Code: f.Code, Label: f.Code.Label(lang),
				Severity: f.Severity, SeverityLabel: f.Severity.Label(lang), Holder: cadres[f.CadreID].Name, Due: f.Due, Text: f.Text.In(lang)})
		}
		rep.Committees = append(rep.Committees, line)
	}

	settings := branch.DefaultDuesSettings()
	settings.Since = duesSince
	for _, id := range d.duesShown {
		c := cadres[id]
		st := branch.Arrears(c, d.memberships, d.payments, d.reliefs, on, settings)
		rep.Dues = append(rep.Dues, newDuesLine(c, st, lang))
	}
	return rep
}

func newBranchLine(pb branch.PlannedBranch, names map[string]string, lang cadre.Lang) branchLine {
	b := pb.Branch
	line := branchLine{ID: b.ID, Name: b.Name, Kind: b.Kind, KindLabel: b.Kind.Label(lang),
		Communities: b.Communities, CommunityNames: make([]string, len(b.Communities)),
		Members: len(pb.Members), FullMembers: pb.FullMembers, MemberIDs: pb.Members,
		Change: pb.Change, ChangeLabel: pb.Change.Label(lang), Notes: make([]string, len(pb.Notes))}
	for i, code := range b.Communities {
		line.CommunityNames[i] = names[code]
	}
	for i, n := range pb.Notes {
		line.Notes[i] = n.In(lang)
	}
	return line
}

func newDuesLine(c cadre.Cadre, st branch.ArrearsStatus, lang cadre.Lang) duesLine {
	line := duesLine{CadreID: c.ID, Name: c.Name, Status: c.Status, StatusLabel: c.Status.Label(lang), StatusOn: c.StatusOn,
		PensionFen: c.PensionFen, StandardDueFen: branch.RetiredMonthlyDues(c.PensionFen), MonthlyDueFen: st.MonthlyDueFen,
		Unpaid: st.Unpaid, ArrearsFen: st.ArrearsFen, CreditFen: st.CreditFen, Consecutive: st.Consecutive,
		Action: st.Action, ActionLabel: st.Action.Label(lang), Text: st.Text.In(lang)}
	// ArrearsStatus gives the month's due after relief but not the relief
	// itself, so it is told from the difference.
	switch {
	case line.MonthlyDueFen == line.StandardDueFen:
		line.Relief = branch.ReliefNone
	case line.MonthlyDueFen == 0:
		line.Relief = branch.ReliefExempt
	default:
		line.Relief = branch.ReliefReduced
	}
	line.ReliefLabel = line.Relief.Label(lang)
	return line
}
