package branch_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestRetiredMonthlyDues(t *testing.T) {
	for _, tc := range []struct {
		base, want int64
	}{
		{-100, 0},
		{0, 0},
		{99, 0},             // 0.495 fen → 0
		{100, 1},            // 0.5 fen, half up → 1
		{123_401, 617},      // 617.005 → 617
		{123_500, 618},      // 617.5 → 618
		{499_999, 2_500},    // 2499.995 → 2500
		{500_000, 2_500},    // 5000 yuan is still 0.5 %: 25.00 yuan
		{500_001, 5_000},    // above 5000 yuan: 1 % of the whole base, 5000.01 → 5000
		{500_049, 5_000},    // 5000.49 → 5000
		{500_050, 5_001},    // 5000.5 → 5001
		{1_000_000, 10_000}, // 10,000 yuan → 100 yuan
		{math.MaxInt64, 92233720368547758},
	} {
		assert.Equal(t, tc.want, branch.RetiredMonthlyDues(tc.base), "base %d", tc.base)
	}
}

// duesCase is one cadre paying 2,000 fen a month (pension 400,000 fen),
// member since 2025-01-01.
type duesCase struct {
	c        cadre.Cadre
	ms       []branch.Membership
	payments []branch.DuesPayment
	reliefs  []branch.DuesRelief
}

func newDuesCase(t *testing.T) *duesCase {
	c := person("dues", "sy", cadre.PartyFull)
	return &duesCase{c: c, ms: memberships(id("branch"), testkit.Date("2025-01-01"), c)}
}

// pay records one payment of the full due for each month named.
func (d *duesCase) pay(t *testing.T, paidOn string, months ...string) {
	var ms []branch.Month
	for _, m := range months {
		ms = append(ms, month(t, m))
	}
	d.payments = append(d.payments, branch.DuesPayment{
		ID: uuid.New(), CadreID: d.c.ID, Months: ms, AmountFen: int64(2000 * len(ms)), PaidOn: testkit.Date(paidOn),
	})
}

func (d *duesCase) status(t *testing.T, on string) branch.ArrearsStatus {
	return branch.Arrears(d.c, d.ms, d.payments, d.reliefs, testkit.Date(on), branch.DefaultDuesSettings())
}

func TestArrearsConsecutiveMonths(t *testing.T) {
	// Paid up to the month before the unpaid run; checked on 2026-12-10,
	// so November is the last month that can be late.
	for _, tc := range []struct {
		unpaid int
		action branch.ArrearsAction
	}{
		{0, branch.ActionNone},
		{2, branch.ActionNone},
		{3, branch.ActionReminder},
		{5, branch.ActionReminder},
		{6, branch.ActionReview},
		{7, branch.ActionReview},
	} {
		d := newDuesCase(t)
		last := branch.NewMonth(2026, 11).Add(-tc.unpaid)
		for m := branch.NewMonth(2025, 1); !m.After(last); m = m.Add(1) {
			d.pay(t, m.Last().String(), m.String())
		}
		st := d.status(t, "2026-12-10")
		assert.Equal(t, tc.unpaid, st.Consecutive, "unpaid %d", tc.unpaid)
		assert.Equal(t, tc.action, st.Action, "unpaid %d", tc.unpaid)
		assert.Len(t, st.Unpaid, tc.unpaid)
		assert.Equal(t, int64(2000*tc.unpaid), st.ArrearsFen)
		assert.Len(t, st.Months, 23, "2025-01 to 2026-11")
		assert.Equal(t, int64(2000), st.MonthlyDueFen)
	}
}

func TestArrearsReviewIsForAPerson(t *testing.T) {
	d := newDuesCase(t)
	st := d.status(t, "2025-07-15")
	require.Equal(t, branch.ActionReview, st.Action)
	assert.Contains(t, st.Text.Zh, "软件不作处置")
	assert.Contains(t, st.Text.En, "never the software")
}

func TestArrearsCurrentMonthIsNotLate(t *testing.T) {
	d := newDuesCase(t)
	d.pay(t, "2025-01-05", "2025-01", "2025-02")
	st := d.status(t, "2025-03-31")
	assert.Equal(t, 0, st.Consecutive, "March may still be paid until its end")
	assert.Empty(t, st.Unpaid)
}

func TestArrearsOnePaymentCoversSeveralMonths(t *testing.T) {
	d := newDuesCase(t)
	// 5,000 fen for three months of 2,000: January and February are paid,
	// March gets 1,000 and is not.
	d.payments = append(d.payments, branch.DuesPayment{ID: id("p1"), CadreID: d.c.ID,
		Months: []branch.Month{month(t, "2025-03"), month(t, "2025-01"), month(t, "2025-02")}, AmountFen: 5000, PaidOn: testkit.Date("2025-03-01")})
	st := d.status(t, "2025-04-02")
	require.Len(t, st.Months, 3)
	assert.True(t, st.Months[0].Paid)
	assert.True(t, st.Months[1].Paid)
	assert.False(t, st.Months[2].Paid)
	assert.Equal(t, int64(1000), st.Months[2].PaidFen)
	assert.Equal(t, int64(1000), st.ArrearsFen)
	assert.Equal(t, 1, st.Consecutive)

	// A second payment tops March up; the 500 fen beyond it are credit.
	d.payments = append(d.payments, branch.DuesPayment{ID: id("p2"), CadreID: d.c.ID,
		Months: []branch.Month{month(t, "2025-03")}, AmountFen: 1500, PaidOn: testkit.Date("2025-03-20")})
	st = d.status(t, "2025-04-02")
	assert.Empty(t, st.Unpaid)
	assert.Equal(t, int64(500), st.CreditFen)
}

func TestArrearsReducedAndExemptMonths(t *testing.T) {
	d := newDuesCase(t)
	d.reliefs = []branch.DuesRelief{
		{ID: id("r1"), CadreID: d.c.ID, From: month(t, "2025-01"), To: month(t, "2025-03"), ReducedFen: 500, ApprovedBy: "支部委员会", ApprovedOn: testkit.Date("2024-12-20")},
		{ID: id("r2"), CadreID: d.c.ID, From: month(t, "2025-04"), To: month(t, "2025-06"), Exempt: true, ApprovedBy: "支部委员会", ApprovedOn: testkit.Date("2024-12-20")},
	}
	d.payments = []branch.DuesPayment{
		{ID: id("p"), CadreID: d.c.ID, Months: []branch.Month{month(t, "2025-01"), month(t, "2025-02")}, AmountFen: 1000, PaidOn: testkit.Date("2025-02-01")},
	}
	st := d.status(t, "2025-07-01")
	require.Len(t, st.Months, 6)
	assert.Equal(t, branch.ReliefReduced, st.Months[0].Relief)
	assert.Equal(t, int64(500), st.Months[0].DueFen)
	assert.True(t, st.Months[0].Paid, "the reduced due was paid")
	assert.True(t, st.Months[1].Paid)
	assert.False(t, st.Months[2].Paid, "March owes its reduced due")
	for _, m := range st.Months[3:] {
		assert.Equal(t, branch.ReliefExempt, m.Relief)
		assert.True(t, m.Paid, "%s is exempt and needs nothing", m.Month)
	}
	assert.Equal(t, []branch.Month{month(t, "2025-03")}, st.Unpaid)
	assert.Equal(t, int64(500), st.ArrearsFen)
	assert.Equal(t, 0, st.Consecutive, "exempt months break the run")
	assert.Equal(t, int64(2000), st.MonthlyDueFen, "July has no relief")
}

func TestArrearsReliefKnownOnlyOnceApproved(t *testing.T) {
	d := newDuesCase(t)
	d.reliefs = []branch.DuesRelief{{ID: id("r"), CadreID: d.c.ID, From: month(t, "2025-01"), Exempt: true, ApprovedBy: "支部", ApprovedOn: testkit.Date("2025-05-10")}}
	before := d.status(t, "2025-05-01")
	assert.Equal(t, 4, before.Consecutive)
	after := d.status(t, "2025-05-10")
	assert.Equal(t, 0, after.Consecutive, "approved: January to April are exempt")
	assert.Equal(t, int64(0), after.MonthlyDueFen, "an open-ended exemption covers May")

	// A later approval supersedes an earlier one for the same months.
	d.reliefs = append(d.reliefs, branch.DuesRelief{ID: id("r2"), CadreID: d.c.ID, From: month(t, "2025-03"), To: month(t, "2025-04"), ReducedFen: 300, ApprovedBy: "支部", ApprovedOn: testkit.Date("2025-05-20")})
	st := d.status(t, "2025-06-01")
	assert.Equal(t, []branch.Month{month(t, "2025-03"), month(t, "2025-04")}, st.Unpaid)
	assert.Equal(t, int64(600), st.ArrearsFen)
}

func TestArrearsPaymentsAfterOnAreNotYetKnown(t *testing.T) {
	d := newDuesCase(t)
	d.pay(t, "2025-05-02", "2025-01", "2025-02", "2025-03", "2025-04")
	assert.Equal(t, 4, d.status(t, "2025-05-01").Consecutive)
	assert.Equal(t, 0, d.status(t, "2025-05-02").Consecutive)
}

func TestArrearsEndOnDeath(t *testing.T) {
	for _, tc := range []struct {
		died      string
		lastOwed  string
		owedCount int
	}{
		{"2025-04-10", "2025-04", 4}, // on the roll on 1 April: April is owed
		{"2025-04-01", "2025-03", 3}, // died on the 1st: April is not
	} {
		d := newDuesCase(t)
		d.c.Status, d.c.StatusOn = cadre.StatusDeceased, testkit.Date(tc.died)
		st := d.status(t, "2026-01-15")
		require.Len(t, st.Months, tc.owedCount, tc.died)
		assert.Equal(t, tc.lastOwed, st.Months[len(st.Months)-1].Month.String())
		assert.Equal(t, 0, st.Consecutive, "no dues after death, so no run up to December")
		assert.Equal(t, branch.ActionNone, st.Action)
		assert.Equal(t, int64(2000*tc.owedCount), st.ArrearsFen, "what was owed while alive stays owed")
		assert.Equal(t, fmt.Sprintf("欠交%d个月党费，请补交", tc.owedCount), st.Text.Zh, "never 'paid up' while months are unpaid")
		assert.Zero(t, st.MonthlyDueFen, "nothing is due after death")
	}
}

func TestArrearsMembershipBounds(t *testing.T) {
	c := person("x", "sy", cadre.PartyFull)
	ms := []branch.Membership{
		// Transferred in on 15 March: March was paid where the member came from.
		{ID: id("a"), CadreID: c.ID, BranchID: id("A"), From: testkit.Date("2025-03-15"), To: testkit.Date("2025-06-01")},
		// Moved to another branch of the district on 1 June: no gap.
		{ID: id("b"), CadreID: c.ID, BranchID: id("B"), From: testkit.Date("2025-06-01")},
		// Another cadre's membership is ignored.
		{ID: id("c"), CadreID: id("other"), BranchID: id("B"), From: testkit.Date("2020-01-01")},
	}
	st := branch.Arrears(c, ms, nil, nil, testkit.Date("2025-09-01"), branch.DefaultDuesSettings())
	require.NotEmpty(t, st.Months)
	assert.Equal(t, "2025-04", st.Months[0].Month.String())
	assert.Len(t, st.Months, 5, "April to August")

	s := branch.DefaultDuesSettings()
	s.Since = month(t, "2025-07")
	st = branch.Arrears(c, ms, nil, nil, testkit.Date("2025-09-01"), s)
	assert.Len(t, st.Months, 2, "months before Since are not examined")

	none := branch.Arrears(person("y", "sy", cadre.PartyFull), ms, nil, nil, testkit.Date("2025-09-01"), branch.DefaultDuesSettings())
	assert.Empty(t, none.Months)
	assert.NotNil(t, none.Unpaid, "an empty list, never null")
}

func TestEndMemberships(t *testing.T) {
	c := person("x", "sy", cadre.PartyFull)
	ms := []branch.Membership{
		{ID: id("open"), CadreID: c.ID, BranchID: id("A"), From: testkit.Date("2020-01-01")},
		{ID: id("closed"), CadreID: c.ID, BranchID: id("B"), From: testkit.Date("2010-01-01"), To: testkit.Date("2020-01-01")},
		{ID: id("other"), CadreID: id("y"), BranchID: id("A"), From: testkit.Date("2020-01-01")},
	}
	assert.Empty(t, branch.EndMemberships(c, ms), "an active cadre keeps them")
	c.Status, c.StatusOn = cadre.StatusDeceased, testkit.Date("2026-03-04")
	got := branch.EndMemberships(c, ms)
	require.Len(t, got, 1)
	assert.Equal(t, id("open"), got[0].ID)
	assert.Equal(t, testkit.Date("2026-03-04"), got[0].To)
	assert.False(t, got[0].Covers(testkit.Date("2026-03-04")), "not a member on the day of death")
	assert.True(t, got[0].Covers(testkit.Date("2026-03-03")))
}

func TestMonthlyDue(t *testing.T) {
	c := person("dues", "sy", cadre.PartyFull)
	c.PensionFen = 500_001
	reliefs := []branch.DuesRelief{
		{ID: id("r1"), CadreID: c.ID, From: month(t, "2026-01"), ReducedFen: 1000, ApprovedBy: "支委会", ApprovedOn: testkit.Date("2025-12-20"), Reason: "困难"},
		{ID: id("r2"), CadreID: c.ID, From: month(t, "2026-06"), Exempt: true, ApprovedBy: "支委会", ApprovedOn: testkit.Date("2026-06-10"), Reason: "重病"},
		{ID: id("r3"), CadreID: id("other"), From: month(t, "2025-01"), Exempt: true, ApprovedBy: "支委会", ApprovedOn: testkit.Date("2025-01-01"), Reason: "x"},
	}
	for _, tc := range []struct {
		m, on  string
		fen    int64
		relief branch.Relief
	}{
		{"2025-12", "2026-11-28", 5000, branch.ReliefNone}, // before any relief: 1% of 5,000.01 yuan
		{"2026-03", "2026-11-28", 1000, branch.ReliefReduced},
		{"2026-07", "2026-06-09", 1000, branch.ReliefReduced}, // the exemption is not yet approved
		{"2026-07", "2026-06-10", 0, branch.ReliefExempt},     // the latest approval holds
	} {
		fen, relief := branch.MonthlyDue(c, reliefs, month(t, tc.m), testkit.Date(tc.on))
		assert.Equal(t, tc.fen, fen, "%s on %s", tc.m, tc.on)
		assert.Equal(t, tc.relief, relief, "%s on %s", tc.m, tc.on)
	}
}
