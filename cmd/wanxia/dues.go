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

// duesCmd is `office dues`.
func (a *app) duesCmd() *cobra.Command {
	cmd := a.group("dues", "Party dues (党费): pay, arrears, relief", "")
	cmd.AddCommand(a.duesPayCmd(), a.duesArrearsCmd(), a.duesReliefCmd())
	return cmd
}

// monthDueJSON is what one month owes.
type monthDueJSON struct {
	Month       branch.Month  `json:"month"`
	DueFen      int64         `json:"due_fen"`
	Relief      branch.Relief `json:"relief"`
	ReliefLabel string        `json:"relief_label"`
}

// paymentJSON is what dues pay recorded.
type paymentJSON struct {
	ID          uuid.UUID      `json:"id"`
	CadreID     uuid.UUID      `json:"cadre_id"`
	Name        string         `json:"name"`
	Months      []branch.Month `json:"months"`
	AmountFen   int64          `json:"amount_fen"`
	ExpectedFen int64          `json:"expected_fen"`
	PaidOn      cadre.Date     `json:"paid_on"`
	MonthDues   []monthDueJSON `json:"month_dues"`
}

func (a *app) duesPayCmd() *cobra.Command {
	var months []branch.Month
	var amount int64
	var paidOn cadre.Date
	var asJSON bool
	cmd := a.leaf("pay CADRE", "Record a dues payment for named months; the amount defaults to those months' dues (0.5% of the pension up to 5,000 yuan, 1% above; approved reductions and exemptions applied)", 1, func(cmd *cobra.Command, args []string) error {
		if len(months) == 0 {
			return a.usage("缺少选项 --months（交纳的月份，如 2026-09,2026-10）", "missing --months (the months paid for, e.g. 2026-09,2026-10)")
		}
		if cmd.Flags().Changed("amount") && amount <= 0 {
			return a.usage("--amount 要大于 0", "--amount must be more than 0")
		}
		paidOn = a.orToday(paidOn)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			v, err := desk.PayDues(ctx, r, desk.PayDuesInput{CadreID: c.ID, Months: months, AmountFen: amount, PaidOn: paidOn})
			if err != nil {
				return a.payDuesError(err)
			}
			out := paymentJSON{ID: v.Payment.ID, CadreID: c.ID, Name: v.Cadre.Name, Months: v.Payment.Months, AmountFen: v.Payment.AmountFen,
				ExpectedFen: v.ExpectedFen, PaidOn: v.Payment.PaidOn, MonthDues: []monthDueJSON{}}
			for _, d := range v.MonthDues {
				out.MonthDues = append(out.MonthDues, monthDueJSON{Month: d.Month, DueFen: d.DueFen, Relief: d.Relief, ReliefLabel: d.Relief.Label(a.lang)})
			}
			if asJSON {
				return a.printJSON(out)
			}
			parts := make([]string, len(out.MonthDues))
			for i, d := range out.MonthDues {
				parts[i] = d.Month.String() + " " + cadre.FormatYuan(d.DueFen) + a.t("元", " yuan")
				if d.Relief != branch.ReliefNone {
					parts[i] += a.tf("（%s）", " (%s)", d.ReliefLabel)
				}
			}
			a.printf("已记录 %s 交纳党费 %s 元（%s），交纳日期 %s\n", "recorded %s's dues payment of %s yuan (%s), paid on %s\n",
				c.Name, cadre.FormatYuan(out.AmountFen), strings.Join(parts, a.t("，", ", ")), paidOn)
			switch diff := out.AmountFen - out.ExpectedFen; {
			case diff > 0:
				a.printf("比应交的 %s 元多 %s 元：应退还或按本人意愿处理\n", "%[2]s yuan more than the %[1]s yuan due: refund it or apply it as the member asks\n",
					cadre.FormatYuan(out.ExpectedFen), cadre.FormatYuan(diff))
			case diff < 0:
				a.printf("比应交的 %s 元少 %s 元：这些月份尚未交足\n", "%[2]s yuan less than the %[1]s yuan due: these months are not fully paid\n",
					cadre.FormatYuan(out.ExpectedFen), cadre.FormatYuan(-diff))
			}
			return nil
		})
	})
	cmd.Flags().Var(&monthsFlag{&months}, "months", "the months paid for, YYYY-MM, comma-separated")
	cmd.Flags().Var(&yuanFlag{&amount}, "amount", "the amount paid in yuan (default: the months' dues)")
	cmd.Flags().Var(&dateFlag{&paidOn}, "paid-on", "the day it was paid (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// payDuesError words a payment the rules refuse.
func (a *app) payDuesError(err error) error {
	var pe *desk.PayDuesError
	if !errors.As(err, &pe) {
		return a.invalid(err, "党费记录", "the payment")
	}
	c := pe.Cadre
	switch pe.Err {
	case desk.ErrNotPartyMember:
		return a.fail(nil, "%s 不是党员（%s），不交党费", "%s is not a Party member (%s) and pays no dues", c.Name, c.Party.Label(a.lang))
	case desk.ErrOffRoll:
		return a.fail(nil, "%s 在 %s 已不在册（%s %s），该月不交党费：从 --months 中去掉它",
			"%s is off the roll in %s (%s %s) and owes no dues for it: leave it out of --months", c.Name, pe.Month, c.Status.Label(a.lang), c.StatusOn)
	case desk.ErrNoPension:
		return a.fail(nil, "没有登记 %s 的基本离退休费，算不出党费：用 wanxia office cadre edit --pension 登记，或用 --amount 给出金额",
			"no pension is recorded for %s, so the dues cannot be computed: record it with wanxia office cadre edit --pension, or give --amount", c.Name)
	case desk.ErrExempt:
		return a.fail(nil, "%s 这些月份已批准免交党费，不需要记录交纳", "%s is exempt from dues in these months: there is nothing to record", c.Name)
	}
	return err
}

// arrearsJSON is one member's dues position.
type arrearsJSON struct {
	CadreID       uuid.UUID            `json:"cadre_id"`
	Name          string               `json:"name"`
	Community     string               `json:"community"`
	On            cadre.Date           `json:"on"`
	PensionFen    int64                `json:"pension_fen"`
	MonthlyDueFen int64                `json:"monthly_due_fen"`
	Unpaid        []branch.Month       `json:"unpaid"`
	ArrearsFen    int64                `json:"arrears_fen"`
	CreditFen     int64                `json:"credit_fen"`
	Consecutive   int                  `json:"consecutive"`
	Action        branch.ArrearsAction `json:"action"`
	ActionLabel   string               `json:"action_label"`
	Text          string               `json:"text"`
	Months        []branch.MonthDue    `json:"months"`
}

func (a *app) duesArrearsCmd() *cobra.Command {
	var on cadre.Date
	var since string
	var asJSON bool
	cmd := a.leaf("arrears [CADRE]", "Show unpaid dues: for one cadre, or for every member held here, most serious first (3 months unpaid: a reminder; 6: referred to the branch, which decides)", 0, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		var sinceMonth branch.Month
		if since != "" {
			m, err := branch.ParseMonth(since)
			if err != nil {
				return a.usage("--since %q 不是月份，应写作 YYYY-MM", "--since %q is not a month: write YYYY-MM", since)
			}
			sinceMonth = m
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			var who uuid.UUID
			if len(args) == 1 {
				c, err := a.findCadre(ctx, r, args[0])
				if err != nil {
					return err
				}
				who = c.ID
			}
			list, err := desk.Arrears(ctx, r, desk.ArrearsInput{CadreID: who, On: on, Since: sinceMonth})
			if err != nil {
				return err
			}
			out := make([]arrearsJSON, 0, len(list))
			for _, x := range list {
				c, st := x.Cadre, x.Status
				out = append(out, arrearsJSON{CadreID: c.ID, Name: c.Name, Community: c.Community, On: on, PensionFen: c.PensionFen,
					MonthlyDueFen: st.MonthlyDueFen, Unpaid: nonNil(st.Unpaid), ArrearsFen: st.ArrearsFen, CreditFen: st.CreditFen,
					Consecutive: st.Consecutive, Action: st.Action, ActionLabel: st.Action.Label(a.lang), Text: st.Text.In(a.lang),
					Months: nonNil(st.Months)})
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（本机没有党支部成员的记录）\n", "(no branch members held here)\n")
				return nil
			}
			a.printf("党费交纳情况，截至 %s（核对至 %s）\n", "Party dues as of %s (months up to %s)\n", on, branch.MonthOf(on).Add(-1))
			rs, err := loadRefs(ctx, r, desk.KindCadre)
			if err != nil {
				return err
			}
			rows := make([][]string, 0, len(out))
			for _, x := range out {
				unpaid := a.t("无", "none")
				if len(x.Unpaid) > 0 {
					unpaid = a.tf("%d个月：%s", "%d: %s", len(x.Unpaid), branch.JoinMonths(x.Unpaid, a.t("、", ", ")))
				}
				amount := cadre.FormatYuan(x.ArrearsFen)
				if x.CreditFen > 0 {
					amount += a.tf("（多交 %s）", " (%s overpaid)", cadre.FormatYuan(x.CreditFen))
				}
				rows = append(rows, []string{rs.label(x.CadreID, x.Name), cadre.FormatYuan(x.MonthlyDueFen), unpaid, amount, x.ActionLabel, x.Text})
			}
			if err := writeTable(a.stdout, []string{a.t("姓名", "name"), a.t("月交(元)", "monthly (yuan)"), a.t("未交月份", "unpaid months"),
				a.t("欠交(元)", "owed (yuan)"), a.t("处理", "action"), a.t("说明", "why")}, rows); err != nil {
				return err
			}
			a.refNote(rs)
			return nil
		})
	})
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return a.usage("多余的参数 %q", "unexpected argument %q", args[1])
		}
		return nil
	}
	cmd.Flags().Var(&dateFlag{&on}, "on", "the date to compute for; its own month is not yet late (default today)")
	cmd.Flags().StringVar(&since, "since", "", "the first month examined, YYYY-MM: payments before the records were kept were never entered (default every month of membership)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// reliefJSON is what dues relief recorded.
type reliefJSON struct {
	ID          uuid.UUID     `json:"id"`
	CadreID     uuid.UUID     `json:"cadre_id"`
	Name        string        `json:"name"`
	From        branch.Month  `json:"from"`
	To          branch.Month  `json:"to"`
	Relief      branch.Relief `json:"relief"`
	ReliefLabel string        `json:"relief_label"`
	ReducedFen  int64         `json:"reduced_fen"`
	ApprovedBy  string        `json:"approved_by"`
	ApprovedOn  cadre.Date    `json:"approved_on"`
	Reason      string        `json:"reason"`
}

func (a *app) duesReliefCmd() *cobra.Command {
	var from, to branch.Month
	var exempt bool
	var reduced int64
	var approvedBy, reason string
	var approvedOn cadre.Date
	var asJSON bool
	cmd := a.leaf("relief CADRE", "Record the branch's approval that a member in real hardship pays a reduced due (--reduced YUAN) or none (--exempt) from --from to --to", 1, func(cmd *cobra.Command, args []string) error {
		given := cmd.Flags().Changed
		var missing []string
		for _, f := range []string{"from", "approved-by", "approved-on", "reason"} {
			if !given(f) {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		switch {
		case exempt == given("reduced"):
			return a.usage("给出 --exempt（免交）或 --reduced 金额（减交），二者选一", "give either --exempt or --reduced YUAN, one of them")
		case given("reduced") && reduced <= 0:
			return a.usage("--reduced 要大于 0；免交用 --exempt", "--reduced must be more than 0; use --exempt for none")
		case !to.IsZero() && to.Before(from):
			return a.usage("--to %s 早于 --from %s", "--to %s is before --from %s", to, from)
		case strings.TrimSpace(approvedBy) == "" || strings.TrimSpace(reason) == "":
			return a.usage("--approved-by 和 --reason 不能为空", "--approved-by and --reason may not be empty")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			v, err := desk.RecordRelief(ctx, r, desk.ReliefInput{CadreID: c.ID, From: from, To: to, Exempt: exempt, ReducedFen: reduced,
				ApprovedBy: approvedBy, ApprovedOn: approvedOn, Reason: reason})
			if err != nil {
				return a.invalid(err, "党费减免记录", "the relief")
			}
			rel := v.Relief
			out := reliefJSON{ID: rel.ID, CadreID: c.ID, Name: c.Name, From: from, To: to, Relief: v.Kind, ReliefLabel: v.Kind.Label(a.lang),
				ReducedFen: reduced, ApprovedBy: rel.ApprovedBy, ApprovedOn: approvedOn, Reason: rel.Reason}
			if asJSON {
				return a.printJSON(out)
			}
			span := a.tf("%s 起", "from %s", from)
			if !to.IsZero() {
				span = a.tf("%s 至 %s", "%s to %s", from, to)
			}
			what := out.ReliefLabel
			if !exempt {
				what = a.tf("减交，每月 %s 元", "reduced to %s yuan a month", cadre.FormatYuan(reduced))
			}
			a.printf("已记录 %s 党费%s（%s），%s %s 批准，理由：%s\n", "recorded %s's dues %s (%s), approved by %s on %s: %s\n",
				c.Name, what, span, out.ApprovedBy, approvedOn, out.Reason)
			return nil
		})
	})
	f := cmd.Flags()
	f.Var(&monthFlag{&from}, "from", "the first month relieved, YYYY-MM")
	f.Var(&monthFlag{&to}, "to", "the last month relieved, YYYY-MM (default: until further notice)")
	f.BoolVar(&exempt, "exempt", false, "nothing is due (免交)")
	f.Var(&yuanFlag{&reduced}, "reduced", "the monthly due instead, in yuan (减交)")
	f.StringVar(&approvedBy, "approved-by", "", "who approved it (the branch, and who signed)")
	f.Var(&dateFlag{&approvedOn}, "approved-on", "the day it was approved")
	f.StringVar(&reason, "reason", "", "why")
	jsonFlag(cmd, &asJSON)
	return cmd
}
