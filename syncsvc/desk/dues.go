package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Conditions PayDues refuses, each carried by a *PayDuesError.
var (
	// ErrNoMonths: a payment names no month.
	ErrNoMonths = errors.New("no month is paid for")
	// ErrNotPartyMember: the cadre is not a Party member and pays no dues.
	ErrNotPartyMember = errors.New("not a Party member")
	// ErrOffRoll: the cadre is off the roll in a month paid for (dead or
	// moved away on its first day), which owes no dues.
	ErrOffRoll = errors.New("off the roll in a month paid for")
	// ErrNoPension: no amount was given and none can be computed, for no
	// pension is recorded.
	ErrNoPension = errors.New("no pension recorded to compute the dues from")
	// ErrExempt: no amount was given and the months are exempt: there is
	// nothing to record.
	ErrExempt = errors.New("the months are exempt from dues")
)

// PayDuesError is a payment PayDues refuses: Err is one of its sentinel
// errors, with the cadre and, for ErrOffRoll, the month.
type PayDuesError struct {
	Err   error
	Cadre cadre.Cadre
	Month branch.Month
}

// Error says what was refused and why.
func (e *PayDuesError) Error() string {
	if e.Err == ErrOffRoll {
		return fmt.Sprintf("dues of %s for %s: %v", e.Cadre.ID, e.Month, e.Err)
	}
	return fmt.Sprintf("dues of %s: %v", e.Cadre.ID, e.Err)
}

// Unwrap returns Err.
func (e *PayDuesError) Unwrap() error { return e.Err }

// PayDuesInput is a dues payment.
type PayDuesInput struct {
	// CadreID is the member who paid.
	CadreID uuid.UUID
	// Months are the months paid for, each once.
	Months []branch.Month
	// AmountFen is the amount paid, in fen; 0 means the months' dues.
	AmountFen int64
	// PaidOn is the day it was paid.
	PaidOn cadre.Date
}

// MonthDue is what one month owes, with the relief that applies.
type MonthDue = branch.MonthDue

// DuesPaymentView is what PayDues recorded.
type DuesPaymentView struct {
	// Payment is the record written; its months are in order.
	Payment branch.DuesPayment
	// Cadre is the member.
	Cadre cadre.Cadre
	// ExpectedFen is what the months owe.
	ExpectedFen int64
	// MonthDues are what each month owes, in order.
	MonthDues []MonthDue
}

// PayDues records a dues payment for named months. The months' dues are
// computed with the reliefs approved by the day paid (0.5% of the pension
// up to 5,000 yuan, 1% above; reductions and exemptions applied); the
// amount defaults to them. The cadre is read, checked and the payment
// written in one transaction.
func PayDues(ctx context.Context, r *store.Replica, in PayDuesInput) (DuesPaymentView, error) {
	out, err := payDues(ctx, r, in)
	if err != nil {
		return DuesPaymentView{}, fmt.Errorf("record a dues payment of %s: %w", in.CadreID, err)
	}
	return out, nil
}

func payDues(ctx context.Context, r *store.Replica, in PayDuesInput) (DuesPaymentView, error) {
	months := slices.Clone(in.Months)
	slices.SortFunc(months, branch.Month.Compare)
	var out DuesPaymentView
	err := r.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Cadre(in.CadreID)
		if err != nil {
			return err
		}
		reliefs, err := tx.DuesReliefs(in.CadreID)
		if err != nil {
			return err
		}
		switch {
		case len(months) == 0:
			return &PayDuesError{Err: ErrNoMonths, Cadre: c}
		case !c.Party.IsMember():
			return &PayDuesError{Err: ErrNotPartyMember, Cadre: c}
		}
		out = DuesPaymentView{Cadre: c, MonthDues: []MonthDue{}}
		for _, m := range months {
			if !c.OnRoll(m.First()) {
				return &PayDuesError{Err: ErrOffRoll, Cadre: c, Month: m}
			}
			due, relief := branch.MonthlyDue(c, reliefs, m, in.PaidOn)
			out.ExpectedFen += due
			out.MonthDues = append(out.MonthDues, MonthDue{Month: m, DueFen: due, Relief: relief})
		}
		amount := cmp.Or(in.AmountFen, out.ExpectedFen)
		if amount == 0 {
			if c.PensionFen == 0 {
				return &PayDuesError{Err: ErrNoPension, Cadre: c}
			}
			return &PayDuesError{Err: ErrExempt, Cadre: c}
		}
		out.Payment = branch.DuesPayment{CadreID: c.ID, Months: months, AmountFen: amount, PaidOn: in.PaidOn}
		_, err = tx.PutDuesPayment(&out.Payment)
		return err
	})
	return out, err
}

// ArrearsInput says whose dues to examine, and as of when.
type ArrearsInput struct {
	// CadreID is the one cadre examined; uuid.Nil examines every member
	// held here.
	CadreID uuid.UUID
	// On is the date examined; its own month is not yet late.
	On cadre.Date
	// Since is the first month examined (payments before the records were
	// kept were never entered); zero examines every month of membership.
	Since branch.Month
}

// ArrearsView is one member's dues position.
type ArrearsView struct {
	// Cadre is the member.
	Cadre cadre.Cadre
	// Status is branch.Arrears's answer, under the district's settings.
	Status branch.ArrearsStatus
}

// Arrears reports unpaid dues, for one cadre or for every member held
// here, the most serious first (a reminder after 3 months unpaid; referred
// to the branch after 6, as the district sets them), then by name.
func Arrears(ctx context.Context, r *store.Replica, in ArrearsInput) ([]ArrearsView, error) {
	out, err := arrears(ctx, r, in)
	if err != nil {
		return nil, fmt.Errorf("dues arrears on %s: %w", in.On, err)
	}
	return out, nil
}

func arrears(ctx context.Context, r *store.Replica, in ArrearsInput) ([]ArrearsView, error) {
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return nil, err
	}
	duesSettings := rules.Branch.Dues
	duesSettings.Since = in.Since
	ms, err := r.Memberships(ctx, store.MembershipFilter{})
	if err != nil {
		return nil, err
	}
	pays, err := r.DuesPayments(ctx, uuid.Nil)
	if err != nil {
		return nil, err
	}
	reliefs, err := r.DuesReliefs(ctx, uuid.Nil)
	if err != nil {
		return nil, err
	}
	var who []cadre.Cadre
	if in.CadreID != uuid.Nil {
		c, err := r.Cadre(ctx, in.CadreID)
		if err != nil {
			return nil, err
		}
		who = append(who, c)
	} else {
		members, err := r.Members(ctx)
		if err != nil {
			return nil, err
		}
		ppl := make(map[uuid.UUID]cadre.Cadre, len(members))
		for _, c := range members {
			ppl[c.ID] = c
		}
		seen := map[uuid.UUID]bool{}
		for _, m := range ms {
			if c, ok := ppl[m.CadreID]; ok && !seen[c.ID] {
				seen[c.ID] = true
				who = append(who, c)
			}
		}
	}
	out := make([]ArrearsView, 0, len(who))
	for _, c := range who {
		out = append(out, ArrearsView{Cadre: c, Status: branch.Arrears(c, ms, pays, reliefs, in.On, duesSettings)})
	}
	sortByPinyin(out, func(x ArrearsView) string { return x.Cadre.Name })
	slices.SortStableFunc(out, func(x, y ArrearsView) int {
		return cmp.Compare(actionRank(x.Status.Action), actionRank(y.Status.Action))
	})
	return out, nil
}

// actionRank orders actions from the most serious.
func actionRank(x branch.ArrearsAction) int {
	return slices.Index([]branch.ArrearsAction{branch.ActionReview, branch.ActionReminder, branch.ActionNone}, x)
}

// ReliefInput is the branch's approval that a member in real hardship pays
// a reduced due or none.
type ReliefInput struct {
	// CadreID is the member.
	CadreID uuid.UUID
	// From is the first month relieved.
	From branch.Month
	// To is the last month relieved; zero means until further notice.
	To branch.Month
	// Exempt is whether nothing is due (免交); otherwise ReducedFen is.
	Exempt bool
	// ReducedFen is the monthly due instead, in fen (减交).
	ReducedFen int64
	// ApprovedBy is who approved it (the branch, and who signed).
	ApprovedBy string
	// ApprovedOn is the day it was approved.
	ApprovedOn cadre.Date
	// Reason is why.
	Reason string
}

// ReliefView is what RecordRelief recorded.
type ReliefView struct {
	// Relief is the record written.
	Relief branch.DuesRelief
	// Kind is whether it exempts or reduces.
	Kind branch.Relief
	// Cadre is the member.
	Cadre cadre.Cadre
}

// RecordRelief records an approved reduction or exemption of a member's
// dues.
func RecordRelief(ctx context.Context, r *store.Replica, in ReliefInput) (ReliefView, error) {
	out := ReliefView{Kind: branch.ReliefReduced}
	if in.Exempt {
		out.Kind = branch.ReliefExempt
	}
	err := r.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Cadre(in.CadreID)
		if err != nil {
			return err
		}
		out.Cadre = c
		out.Relief = branch.DuesRelief{CadreID: c.ID, From: in.From, To: in.To, Exempt: in.Exempt, ReducedFen: in.ReducedFen,
			ApprovedBy: strings.TrimSpace(in.ApprovedBy), ApprovedOn: in.ApprovedOn, Reason: strings.TrimSpace(in.Reason)}
		_, err = tx.PutDuesRelief(&out.Relief)
		return err
	})
	if err != nil {
		return ReliefView{}, fmt.Errorf("record a dues relief of %s: %w", in.CadreID, err)
	}
	return out, nil
}
