package desk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

func TestPayDuesDefaultsToTheMonthsDues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a := putBranchCadre(t, r, 1, "王建国", "sy")
	putBranch(t, r, a)
	monthly := branch.RetiredMonthlyDues(a.PensionFen)
	require.Positive(t, monthly)

	v, err := desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: a.ID, Months: []branch.Month{branchMonth(t, "2026-10"), branchMonth(t, "2026-09")}, PaidOn: branchToday})
	require.NoError(t, err)
	assert.Equal(t, []branch.Month{branchMonth(t, "2026-09"), branchMonth(t, "2026-10")}, v.Payment.Months, "months in order")
	assert.Equal(t, 2*monthly, v.ExpectedFen)
	assert.Equal(t, 2*monthly, v.Payment.AmountFen, "the amount defaults to the months' dues")
	require.Len(t, v.MonthDues, 2)
	assert.Equal(t, branch.ReliefNone, v.MonthDues[0].Relief)
	pays, err := r.DuesPayments(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, []branch.DuesPayment{v.Payment}, pays)

	v, err = desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: a.ID, Months: []branch.Month{branchMonth(t, "2026-11")}, AmountFen: 5000, PaidOn: branchToday})
	require.NoError(t, err)
	assert.Equal(t, int64(5000), v.Payment.AmountFen, "an amount given is recorded as given")
	assert.Equal(t, monthly, v.ExpectedFen)
}

func TestPayDuesRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	member := putBranchCadre(t, r, 1, "王建国", "sy")

	outsider := putBranchCadre(t, r, 2, "李秀英", "sy")
	outsider.Party = cadre.PartyNone
	_, err := r.PutCadre(ctx, &outsider)
	require.NoError(t, err)

	dead := putBranchCadre(t, r, 3, "张伟", "sy")
	dead.Status, dead.StatusOn = cadre.StatusDeceased, cadre.NewDate(2026, 10, 15)
	_, err = r.PutCadre(ctx, &dead)
	require.NoError(t, err)

	poor := putBranchCadre(t, r, 4, "赵敏", "sy")
	poor.PensionFen = 0
	_, err = r.PutCadre(ctx, &poor)
	require.NoError(t, err)

	exempt := putBranchCadre(t, r, 5, "钱坤", "sy")
	rel, err := desk.RecordRelief(ctx, r, desk.ReliefInput{CadreID: exempt.ID, From: branchMonth(t, "2026-01"), Exempt: true,
		ApprovedBy: "支部委员会", ApprovedOn: cadre.NewDate(2025, 12, 20), Reason: " 重病 "})
	require.NoError(t, err)
	assert.Equal(t, branch.ReliefExempt, rel.Kind)
	assert.Equal(t, "重病", rel.Relief.Reason)

	nov := []branch.Month{branchMonth(t, "2026-11")}
	for _, tc := range []struct {
		who  cadre.Cadre
		on   []branch.Month
		want error
	}{
		{member, nil, desk.ErrNoMonths},
		{outsider, nov, desk.ErrNotPartyMember},
		{dead, nov, desk.ErrOffRoll},
		{poor, nov, desk.ErrNoPension},
		{exempt, nov, desk.ErrExempt},
	} {
		_, err := desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: tc.who.ID, Months: tc.on, PaidOn: branchToday})
		require.ErrorIs(t, err, tc.want, tc.who.Name)
		var pe *desk.PayDuesError
		require.True(t, errors.As(err, &pe))
		assert.Equal(t, tc.who.ID, pe.Cadre.ID)
		if tc.want == desk.ErrOffRoll {
			assert.Equal(t, branchMonth(t, "2026-11"), pe.Month)
		}
	}
	pays, err := r.DuesPayments(ctx, uuid.Nil)
	require.NoError(t, err)
	assert.Empty(t, pays, "nothing refused is written")

	// October began with the dead member on the roll.
	_, err = desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: dead.ID, Months: []branch.Month{branchMonth(t, "2026-10")}, PaidOn: branchToday})
	assert.NoError(t, err)
}

func TestArrearsMostSeriousFirst(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	paid, owing := putBranchCadre(t, r, 1, "安红", "sy"), putBranchCadre(t, r, 2, "王建国", "sy")
	putBranchCadre(t, r, 3, "不在支部", "sy")
	putBranch(t, r, paid, owing)
	var months []branch.Month
	for m := branchMonth(t, "2020-01"); m.Before(branchMonth(t, "2026-11")); m = m.Add(1) {
		months = append(months, m)
	}
	_, err := desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: paid.ID, Months: months, PaidOn: branchToday})
	require.NoError(t, err)

	list, err := desk.Arrears(ctx, r, desk.ArrearsInput{On: branchToday})
	require.NoError(t, err)
	require.Len(t, list, 2, "members only")
	assert.Equal(t, owing.ID, list[0].Cadre.ID, "the most serious first, though 安红 comes first by name")
	assert.Equal(t, branch.ActionReview, list[0].Status.Action)
	assert.Equal(t, branch.ActionNone, list[1].Status.Action)

	list, err = desk.Arrears(ctx, r, desk.ArrearsInput{CadreID: owing.ID, On: branchToday, Since: branchMonth(t, "2026-08")})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, []branch.Month{branchMonth(t, "2026-08"), branchMonth(t, "2026-09"), branchMonth(t, "2026-10")}, list[0].Status.Unpaid, "Since is honoured")
	assert.Equal(t, branch.ActionReminder, list[0].Status.Action)
}

func TestArrearsOfOneBranch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	here, there := putBranchCadre(t, r, 1, "安红", "sy"), putBranchCadre(t, r, 2, "王建国", "sy")
	b := putBranch(t, r, here)
	other := branch.Branch{Name: "原单位离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2019, 7, 1)}
	_, err := r.PutBranch(ctx, &other)
	require.NoError(t, err)
	_, err = r.PutMembership(ctx, &branch.Membership{CadreID: there.ID, BranchID: other.ID, From: cadre.NewDate(2020, 1, 1)})
	require.NoError(t, err)

	all, err := desk.Arrears(ctx, r, desk.ArrearsInput{On: branchToday})
	require.NoError(t, err)
	assert.Len(t, all, 2)
	one, err := desk.Arrears(ctx, r, desk.ArrearsInput{On: branchToday, BranchID: b.ID})
	require.NoError(t, err)
	require.Len(t, one, 1, "the branch's members only")
	assert.Equal(t, here.ID, one[0].Cadre.ID)
}
