package branch

import (
	"cmp"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// retiredRateBoundFen is the base up to which (inclusive) retired members pay
// 0.5 %; above it they pay 1 % of the whole base. The rates are national
// (中组发〔2008〕3号), so they are constants, not settings.
const retiredRateBoundFen = 500_000

// RetiredMonthlyDues returns the monthly Party dues, in fen, of a retired
// member whose monthly basic pension (基本离退休费, allowances excluded) is
// baseFen: 0.5 % of a base up to and including 5,000 yuan (500,000 fen), and
// 1 % of the whole base above it, rounded to the nearest fen with halves up.
// The arithmetic is integer, so 123,401 fen gives 617.005 and so 617 fen.
//
// The rate applies to the whole base, so the due doubles at the boundary:
// 500,000 fen owes 2,500 fen (25.00 yuan) and 500,001 fen owes 5,000 fen
// (see the example). A base of zero or less owes nothing.
func RetiredMonthlyDues(baseFen int64) int64 {
	switch {
	case baseFen <= 0:
		return 0
	case baseFen <= retiredRateBoundFen:
		return (baseFen*5 + 500) / 1000
	default:
		// Split so that no base, however large, overflows on the way.
		return baseFen/100 + (baseFen%100+50)/100
	}
}

// DuesPayment records money paid for one or more named months. Payments are
// facts that accumulate: a correction is a new payment or a voided one,
// never an edit of the amount.
type DuesPayment struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// CadreID is who paid.
	CadreID uuid.UUID `json:"cadre_id"`
	// Months are the months the payment is for; one payment may cover several.
	Months []Month `json:"months"`
	// AmountFen is the amount paid, in fen.
	AmountFen int64 `json:"amount_fen"`
	// PaidOn is the day it was paid.
	PaidOn cadre.Date `json:"paid_on"`
}

// Validate checks p and reports every problem as a *cadre.ValidationError.
func (p DuesPayment) Validate() error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", p.CadreID)
	if len(p.Months) == 0 {
		ps.Add("months", cadre.ErrRequired)
	}
	seen := map[Month]bool{}
	for _, m := range p.Months {
		if !m.Valid() {
			ps.Addf("months", cadre.ErrInvalid, "%q is not a month", m.String())
		} else if seen[m] {
			ps.Addf("months", cadre.ErrInvalid, "%s is named twice", m)
		}
		seen[m] = true
	}
	if p.AmountFen <= 0 {
		ps.Addf("amount_fen", cadre.ErrInvalid, "the amount must be positive")
	}
	checkRequiredDate(&ps, "paid_on", p.PaidOn)
	return ps.Err()
}

// DuesRelief is a branch's approval that a member in real hardship pays a
// reduced due, or nothing, for the months From to To.
type DuesRelief struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// CadreID is the member relieved.
	CadreID uuid.UUID `json:"cadre_id"`
	// From is the first month relieved.
	From Month `json:"from"`
	// To is the last month relieved (inclusive); zero until further notice.
	To Month `json:"to"`
	// Exempt is true when nothing is due (免交).
	Exempt bool `json:"exempt"`
	// ReducedFen is the monthly due owed instead (减交), when not exempt.
	ReducedFen int64 `json:"reduced_fen"`
	// ApprovedBy names who approved it (the branch, and who signed).
	ApprovedBy string `json:"approved_by"`
	// ApprovedOn is the day it was approved.
	ApprovedOn cadre.Date `json:"approved_on"`
	// Reason says why.
	Reason string `json:"reason"`
}

// Validate checks r and reports every problem as a *cadre.ValidationError.
func (r DuesRelief) Validate() error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", r.CadreID)
	switch {
	case !r.From.Valid():
		ps.Add("from", cadre.ErrRequired)
	case !r.To.IsZero() && !r.To.Valid():
		ps.Addf("to", cadre.ErrInvalid, "%q is not a month", r.To.String())
	case !r.To.IsZero() && r.To.Before(r.From):
		ps.Addf("to", cadre.ErrOrder, "%s is before %s", r.To, r.From)
	}
	switch {
	case r.Exempt && r.ReducedFen != 0:
		ps.Addf("reduced_fen", cadre.ErrInvalid, "an exemption has no reduced due")
	case !r.Exempt && r.ReducedFen <= 0:
		ps.Addf("reduced_fen", cadre.ErrInvalid, "a reduction needs a positive reduced due; use an exemption for none")
	}
	if strings.TrimSpace(r.ApprovedBy) == "" {
		ps.Add("approved_by", cadre.ErrRequired)
	}
	checkRequiredDate(&ps, "approved_on", r.ApprovedOn)
	return ps.Err()
}

func (r DuesRelief) covers(m Month) bool {
	return !m.Before(r.From) && (r.To.IsZero() || !m.After(r.To))
}

// Relief is how a month's due was relieved.
type Relief string

// Reliefs.
const (
	ReliefNone    Relief = "none"
	ReliefReduced Relief = "reduced"
	ReliefExempt  Relief = "exempt"
)

var reliefs = cadre.NewEnum[Relief]("relief",
	cadre.L("none", "按标准交纳", "full due"),
	cadre.L("reduced", "减交", "reduced"),
	cadre.L("exempt", "免交", "exempt"),
)

// Label returns r's label in lang.
func (r Relief) Label(lang cadre.Lang) string { return reliefs.Label(r, lang) }

// ArrearsAction is what arrears call for.
type ArrearsAction string

// Actions, from none to the most serious.
const (
	ActionNone     ArrearsAction = "none"
	ActionReminder ArrearsAction = "reminder"
	ActionReview   ArrearsAction = "review"
)

var actions = cadre.NewEnum[ArrearsAction]("action",
	cadre.L("none", "无", "none"),
	cadre.L("reminder", "提醒交纳", "remind to pay"),
	cadre.L("review", "提请组织处理", "refer to the branch for handling"),
)

// Label returns a's label in lang.
func (a ArrearsAction) Label(lang cadre.Lang) string { return actions.Label(a, lang) }

// DuesSettings holds the district's settings for arrears.
type DuesSettings struct {
	// ReminderMonths is the number of consecutive unpaid months from which a
	// member is reminded.
	ReminderMonths int
	// ReviewMonths is the number of consecutive unpaid months from which the
	// member is referred to the branch for organisational handling (the
	// 自行脱党 review). A person decides; the software only flags.
	ReviewMonths int
	// Since is the first month examined; months before it are ignored,
	// because payments before the records were kept were never entered.
	// Zero examines every month of membership.
	Since Month
}

// DefaultDuesSettings returns the settings of the domain notes: a reminder
// after 3 consecutive unpaid months, a review after 6, every month examined.
func DefaultDuesSettings() DuesSettings {
	return DuesSettings{ReminderMonths: 3, ReviewMonths: 6}
}

// MonthDue is one month a member owed dues for, and what was paid.
type MonthDue struct {
	// Month is the month.
	Month Month `json:"month"`
	// DueFen is what the month owes: the full due, the approved reduced due,
	// or 0 when exempt.
	DueFen int64 `json:"due_fen"`
	// Relief is how the due was relieved.
	Relief Relief `json:"relief"`
	// PaidFen is what payments naming the month gave it, at most DueFen.
	PaidFen int64 `json:"paid_fen"`
	// Paid is whether PaidFen covers DueFen.
	Paid bool `json:"paid"`
}

// ArrearsStatus is a member's dues position on a date, computed when read.
type ArrearsStatus struct {
	// CadreID is the member.
	CadreID uuid.UUID `json:"cadre_id"`
	// On is the date the status is computed for.
	On cadre.Date `json:"on"`
	// MonthlyDueFen is the due of On's month at the current pension and any
	// relief approved for that month; 0 once the member died or moved away.
	MonthlyDueFen int64 `json:"monthly_due_fen"`
	// Relief is how On's month's due is relieved.
	Relief Relief `json:"relief"`
	// Months are the months owed, oldest first, up to the month before On's:
	// a month may be paid until its end, so On's own month is not yet late.
	Months []MonthDue `json:"months"`
	// Unpaid are the owed months not yet covered, oldest first.
	Unpaid []Month `json:"unpaid"`
	// ArrearsFen is what the unpaid months still lack.
	ArrearsFen int64 `json:"arrears_fen"`
	// CreditFen is money paid beyond the dues of the months it named, which
	// the branch should refund or apply as the member asks.
	CreditFen int64 `json:"credit_fen"`
	// Consecutive is the number of unpaid months in a row ending with the
	// month before On's.
	Consecutive int `json:"consecutive"`
	// Action is what Consecutive calls for.
	Action ArrearsAction `json:"action"`
	// Text explains Action.
	Text Text `json:"text"`
}

// Arrears computes c's dues position on the date on, from c's memberships,
// payments and approved reliefs (records of other cadres are ignored, so
// callers may pass a branch's whole set).
//
// A month is owed when c was a member of some branch on its first day and
// was still on the roll that day: a member transferred in mid-month paid that
// month where they came from, and membership and dues end on the date of
// death or of moving away, so no month after it is owed. Months before
// s.Since and from On's month on are not examined.
//
// A month counts as paid when its full due (RetiredMonthlyDues of c's
// PensionFen), or its approved reduced due, is covered; an exempt month needs
// nothing. Payments are applied in the order paid to the months they name,
// oldest month first, each month taking at most what it still lacks.
// Payments made and reliefs approved after on are not yet known on on; of
// reliefs covering the same month, the latest approved holds.
//
// Consecutive unpaid months ending with the month before On's lead to a
// reminder from s.ReminderMonths and to a referral for organisational
// handling from s.ReviewMonths. A referral is a flag for the branch: people
// decide what follows, never the software.
func Arrears(c cadre.Cadre, memberships []Membership, payments []DuesPayment, reliefs []DuesRelief, on cadre.Date, s DuesSettings) ArrearsStatus {
	d := newDuesBook(c, memberships, reliefs, on)
	st := ArrearsStatus{CadreID: c.ID, On: on, Months: []MonthDue{}, Unpaid: []Month{}}
	st.MonthlyDueFen, st.Relief = d.due(MonthOf(on))
	if !c.OnRoll(on) {
		st.MonthlyDueFen, st.Relief = 0, ReliefNone
	}
	paid, credit := d.allocate(payments)
	st.CreditFen = credit
	last := MonthOf(on).Add(-1)
	for m := d.firstOwed(s.Since); !m.IsZero() && !m.After(last); m = m.Add(1) {
		if !d.owed(m) {
			continue
		}
		due, relief := d.due(m)
		md := MonthDue{Month: m, DueFen: due, Relief: relief, PaidFen: paid[m], Paid: paid[m] >= due}
		st.Months = append(st.Months, md)
		if !md.Paid {
			st.Unpaid = append(st.Unpaid, m)
			st.ArrearsFen += due - md.PaidFen
		}
	}
	st.Consecutive = consecutiveUnpaid(st.Months, last)
	st.Action, st.Text = arrearsAction(st.Consecutive, len(st.Unpaid), s)
	return st
}

// MonthlyDue returns month m's due for c as it is known on the date on,
// and how it is relieved: the full due at c's pension (RetiredMonthlyDues),
// or what the latest relief approved by on and covering m sets — a reduced
// due, or nothing when exempt. Reliefs of other cadres are ignored. It does
// not ask whether m is owed at all (Arrears does: a member on the roll on
// the month's first day).
func MonthlyDue(c cadre.Cadre, reliefs []DuesRelief, m Month, on cadre.Date) (int64, Relief) {
	return newDuesBook(c, nil, reliefs, on).due(m)
}

// duesBook holds one cadre's records for Arrears.
type duesBook struct {
	c           cadre.Cadre
	on          cadre.Date
	memberships []Membership
	reliefs     []DuesRelief // latest approval first
}

func newDuesBook(c cadre.Cadre, memberships []Membership, rs []DuesRelief, on cadre.Date) duesBook {
	d := duesBook{c: c, on: on}
	for _, m := range memberships {
		if m.CadreID == c.ID {
			d.memberships = append(d.memberships, m)
		}
	}
	for _, r := range rs {
		if r.CadreID == c.ID && !r.ApprovedOn.IsZero() && !r.ApprovedOn.After(on) {
			d.reliefs = append(d.reliefs, r)
		}
	}
	slices.SortFunc(d.reliefs, func(a, b DuesRelief) int {
		if c := b.ApprovedOn.Compare(a.ApprovedOn); c != 0 {
			return c
		}
		return compareUUID(b.ID, a.ID)
	})
	return d
}

// firstOwed returns the first month that may be owed: the first full month
// of the earliest membership, or since when later; zero without memberships.
func (d duesBook) firstOwed(since Month) Month {
	var first Month
	for _, m := range d.memberships {
		f := MonthOf(m.From)
		if m.From.Day > 1 {
			f = f.Add(1)
		}
		if first.IsZero() || f.Before(first) {
			first = f
		}
	}
	if !first.IsZero() && since.After(first) {
		return since
	}
	return first
}

// owed reports whether month m owes dues: member on its first day, and on the roll.
func (d duesBook) owed(m Month) bool {
	day := m.First()
	if !d.c.OnRoll(day) {
		return false
	}
	for _, ms := range d.memberships {
		if ms.Covers(day) {
			return true
		}
	}
	return false
}

// due returns month m's due and how it was relieved.
func (d duesBook) due(m Month) (int64, Relief) {
	for _, r := range d.reliefs {
		if !r.covers(m) {
			continue
		}
		if r.Exempt {
			return 0, ReliefExempt
		}
		return r.ReducedFen, ReliefReduced
	}
	return RetiredMonthlyDues(d.c.PensionFen), ReliefNone
}

// allocate applies the payments known on d.on to the months they name and
// returns what each month received and what was left over.
func (d duesBook) allocate(payments []DuesPayment) (map[Month]int64, int64) {
	paid := map[Month]int64{}
	var credit int64
	for _, p := range d.ownPayments(payments) {
		left := p.AmountFen
		months := slices.Clone(p.Months)
		slices.SortFunc(months, Month.Compare)
		for _, m := range slices.Compact(months) {
			need := int64(0)
			if d.owed(m) {
				due, _ := d.due(m)
				need = max(due-paid[m], 0)
			}
			give := min(need, left)
			paid[m] += give
			left -= give
		}
		credit += max(left, 0)
	}
	return paid, credit
}

// ownPayments returns the cadre's payments known on d.on, in the order paid.
func (d duesBook) ownPayments(payments []DuesPayment) []DuesPayment {
	var own []DuesPayment
	for _, p := range payments {
		if p.CadreID == d.c.ID && !p.PaidOn.After(d.on) {
			own = append(own, p)
		}
	}
	slices.SortFunc(own, func(a, b DuesPayment) int {
		return cmp.Or(a.PaidOn.Compare(b.PaidOn), compareUUID(a.ID, b.ID))
	})
	return own
}

// consecutiveUnpaid counts the unpaid months in a row that end with last.
func consecutiveUnpaid(months []MonthDue, last Month) int {
	n := 0
	for i := len(months) - 1; i >= 0; i-- {
		if months[i].Month != last.Add(-n) || months[i].Paid {
			break
		}
		n++
	}
	return n
}

// arrearsAction words what consecutive unpaid months (and unpaid months in
// all) call for.
func arrearsAction(consecutive, unpaid int, s DuesSettings) (ArrearsAction, Text) {
	switch {
	case consecutive >= s.ReviewMonths:
		return ActionReview, textf(
			"连续%d个月未交纳党费，提请党支部按规定研究处理（是否按自行脱党处理由党组织决定，软件不作处置）", []any{consecutive},
			"%d consecutive months unpaid: refer to the branch for organisational handling (whether to treat it as leaving the Party is for the Party organisation to decide, never the software)", []any{consecutive})
	case consecutive >= s.ReminderMonths:
		return ActionReminder, textf(
			"连续%d个月未交纳党费，请提醒交纳", []any{consecutive},
			"%d consecutive months unpaid: remind the member to pay", []any{consecutive})
	case consecutive > 0 && unpaid > consecutive:
		return ActionNone, textf("欠交%d个月党费，其中最近连续%d个月", []any{unpaid, consecutive},
			"%d month(s) unpaid, the last %d in a row", []any{unpaid, consecutive})
	case consecutive > 0:
		return ActionNone, textf("欠交%d个月党费", []any{consecutive}, "%d month(s) unpaid", []any{consecutive})
	case unpaid > 0:
		return ActionNone, textf("欠交%d个月党费，请补交", []any{unpaid},
			"%d month(s) unpaid: ask for them to be made up", []any{unpaid})
	default:
		return ActionNone, Text{Zh: "党费已按月交纳", En: "dues paid up"}
	}
}
