package report

import (
	"cmp"
	"slices"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// actionRank orders arrears most serious first.
func actionRank(a branch.ArrearsAction) int {
	return slices.Index([]branch.ArrearsAction{branch.ActionReview, branch.ActionReminder, branch.ActionNone}, a)
}

// arrearsRow is a member in arrears.
type arrearsRow struct {
	c      cadre.Cadre
	branch string
	st     branch.ArrearsStatus
}

// dues lists the members in scope who owe Party dues on On
// (branch.Arrears for every cadre with a membership), most serious first:
// referrals for organisational handling, then reminders, then the rest, each
// by consecutive months unpaid and the amount.
func (b *builder) dues() ([]*Table, error) {
	ix, err := b.c.DuesIndex()
	if err != nil {
		return nil, err
	}
	msBy, paysBy, reliefsBy, branchName := ix.memberships, ix.payments, ix.reliefs, ix.branchName
	var rows []arrearsRow
	members := 0
	var owed int64
	actions := map[branch.ArrearsAction]int{}
	for _, c := range b.scoped {
		mine := msBy[c.ID]
		if len(mine) == 0 {
			continue
		}
		members++
		st := branch.Arrears(c, mine, paysBy[c.ID], reliefsBy[c.ID], b.on, b.s.Branch.Dues)
		if len(st.Unpaid) == 0 {
			continue
		}
		// The branch the member owes to: the latest membership begun by On.
		var latest branch.Membership
		for _, m := range mine {
			if !m.From.After(b.on) && !m.From.Before(latest.From) {
				latest = m
			}
		}
		rows = append(rows, arrearsRow{c: c, branch: branchName[latest.BranchID], st: st})
		owed += st.ArrearsFen
		actions[st.Action]++
	}
	slices.SortStableFunc(rows, func(x, y arrearsRow) int {
		return cmp.Or(cmp.Compare(actionRank(x.st.Action), actionRank(y.st.Action)), cmp.Compare(y.st.Consecutive, x.st.Consecutive),
			cmp.Compare(y.st.ArrearsFen, x.st.ArrearsFen))
	})
	t := &Table{Key: "arrears", Name: Text{"党费：欠交", "Dues in arrears"}, Columns: []Column{
		{"action", "处理", "action", 16},
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"branch", "党支部", "branch", 30},
		{"monthly_due_yuan", "月交(元)", "monthly due (yuan)", 10},
		{"unpaid_months", "欠交月数", "months unpaid", 10},
		{"consecutive", "连续未交", "in a row", 10},
		{"months", "欠交月份", "months", 24},
		{"arrears_yuan", "欠交(元)", "owed (yuan)", 10},
		{"text", "说明", "explanation", 50},
	}}
	for _, r := range rows {
		t.add(labelOf(r.st.Action, branch.ArrearsAction.Label), b.community(r.c.Community), r.c.Name, r.branch, Yuan(r.st.MonthlyDueFen),
			int64(len(r.st.Unpaid)), int64(r.st.Consecutive), branch.JoinMonths(r.st.Unpaid, ", "), Yuan(r.st.ArrearsFen), Text(r.st.Text))
	}
	t.Summary = tf("有党支部记录的党员 %d 名，欠交 %d 名，合计 %s 元；提醒 %d 名，提请组织处理 %d 名",
		"%d members with a branch record, %d in arrears owing %s yuan; %d to remind, %d referred for handling",
		members, len(rows), cadre.FormatYuan(owed), actions[branch.ActionReminder], actions[branch.ActionReview])
	return []*Table{t}, nil
}
