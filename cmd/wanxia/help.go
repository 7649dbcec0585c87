package main

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

var helpNoun = recordNoun{store.HelpCasesTable, "帮扶事项", "help case", "wanxia office help list"}

// helpCmd is `office help`.
func (a *app) helpCmd() *cobra.Command {
	cmd := a.group("help", "Help cases (帮扶: economic, medical, housekeeping, spiritual): open, act, close, list", "")
	cmd.AddCommand(a.helpOpenCmd(), a.helpActCmd(), a.helpCloseCmd(), a.helpListCmd())
	return cmd
}

// timeFlag is a civil time, "YYYY-MM-DD HH:MM", in Asia/Shanghai.
type timeFlag struct{ p *time.Time }

func (f *timeFlag) Set(s string) error {
	t, err := desk.ParseCivilTime(s)
	if err != nil {
		return err
	}
	*f.p = t
	return nil
}

func (f *timeFlag) String() string {
	if f.p == nil {
		return ""
	}
	return display.Time(*f.p, "")
}

func (f *timeFlag) Type() string { return `"YYYY-MM-DD HH:MM"` }

// helpError words an action that does not fit a help case.
func (a *app) helpError(err error, closing bool) error {
	var he *desk.HelpCaseError
	if !errors.As(err, &he) {
		return a.invalid(err, "帮扶事项", "the help case")
	}
	hc, at := he.Case, he.At
	switch {
	case errors.Is(err, desk.ErrCaseClosed) && closing:
		return a.fail(nil, "这件帮扶事项已于 %s 结案（%s）", "that help case was closed at %s already (%s)", showTime(hc.Closed), hc.Status.Label(a.lang))
	case errors.Is(err, desk.ErrCaseClosed):
		return a.fail(nil, "这件帮扶事项已于 %s 结案（%s）", "that help case was closed at %s (%s)", showTime(hc.Closed), hc.Status.Label(a.lang))
	case errors.Is(err, desk.ErrFuture):
		return a.usage("--at %s 晚于现在：只能记录已经发生的事", "--at %s is later than now: record only what has happened", showTime(at))
	case errors.Is(err, desk.ErrBeforeOpened):
		return a.usage("--at %s 早于登记这件事的时间 %s", "--at %s is before the case was opened at %s", showTime(at), showTime(hc.Opened))
	case errors.Is(err, desk.ErrBeforeFirstAction):
		return a.usage("--at %s 早于首次处理时间 %s", "--at %s is before the first action at %s", showTime(at), showTime(hc.FirstActionAt))
	case errors.Is(err, desk.ErrNotClosing):
		return a.usage("--status 应为 resolved（已解决）或 explained（已解释说明）", "--status must be resolved or explained")
	}
	return err
}

// helpCaseJSON is a help case as scripts see it: Note is what was asked
// and done along the way (open and act), Resolution how it ended (close).
type helpCaseJSON struct {
	ID            uuid.UUID       `json:"id"`
	CadreID       uuid.UUID       `json:"cadre_id"`
	Name          string          `json:"name"`
	Kind          care.HelpKind   `json:"kind"`
	KindLabel     string          `json:"kind_label"`
	Urgent        bool            `json:"urgent"`
	Status        care.HelpStatus `json:"status"`
	StatusLabel   string          `json:"status_label"`
	Opened        *string         `json:"opened"`
	FirstActionAt *string         `json:"first_action_at"`
	Closed        *string         `json:"closed"`
	Note          string          `json:"note"`
	Resolution    string          `json:"resolution"`
	// Unattended is true for an urgent case nobody acted on in time, as of
	// the moment it was listed.
	Unattended bool `json:"unattended"`
}

func (a *app) toHelpJSON(c care.HelpCase, ppl people, unattended bool) helpCaseJSON {
	return helpCaseJSON{ID: c.ID, CadreID: c.CadreID, Name: ppl.name(a, c.CadreID), Kind: c.Kind, KindLabel: c.Kind.Label(a.lang),
		Urgent: c.Urgent, Status: c.Status, StatusLabel: c.Status.Label(a.lang), Opened: jsonTime(c.Opened),
		FirstActionAt: jsonTime(c.FirstActionAt), Closed: jsonTime(c.Closed), Note: c.Note, Resolution: c.Resolution, Unattended: unattended}
}

// findHelpCase resolves REF to a live help case.
func (a *app) findHelpCase(ctx context.Context, r *store.Replica, ref string) (care.HelpCase, error) {
	id, err := a.findID(ctx, r, helpNoun, ref)
	if err != nil {
		return care.HelpCase{}, err
	}
	c, err := r.HelpCase(ctx, id)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		return c, a.notFound(err, helpNoun, ref)
	}
	return c, err
}

// printHelpCase prints a case stored.
func (a *app) printHelpCase(ctx context.Context, r *store.Replica, c care.HelpCase, asJSON bool, done func(j helpCaseJSON)) error {
	ppl, err := loadPeople(ctx, r)
	if err != nil {
		return err
	}
	j := a.toHelpJSON(c, ppl, false)
	if asJSON {
		return a.printJSON(j)
	}
	done(j)
	return nil
}

func (a *app) helpOpenCmd() *cobra.Command {
	var kind care.HelpKind
	var urgent, asJSON bool
	var at time.Time
	var note string
	cmd := a.leaf("open CADRE", "Open a help case for a cadre (CADRE: UUID, 8+ characters of it, or ID number); --urgent for a special case handled at once (特事特办), which must be acted on within 24 hours", 1, func(cmd *cobra.Command, args []string) error {
		if !cmd.Flags().Changed("kind") {
			return a.usage("缺少选项 --kind（economic 经济、medical 医疗、housekeeping 家政、spiritual 精神）", "missing --kind (economic, medical, housekeeping, spiritual)")
		}
		if at.After(a.now()) {
			return a.usage("--at %s 晚于现在：只能记录已经发生的事", "--at %s is later than now: record only what has happened", showTime(at))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			hc, err := desk.OpenHelpCase(ctx, r, a.now(), desk.HelpOpening{CadreID: c.ID, Kind: kind, Urgent: urgent, At: at, Note: note})
			if err != nil {
				return a.helpError(err, false)
			}
			opened := hc.Opened
			return a.printHelpCase(ctx, r, hc, asJSON, func(j helpCaseJSON) {
				urgency := ""
				if urgent {
					urgency = a.t("（紧急，特事特办）", " (urgent)")
				}
				a.printf("已登记 %s 的%s帮扶事项%s，%s\n", "opened a %[2]s help case%[3]s for %[1]s at %[4]s\n", c.Name, j.KindLabel, urgency, showTime(opened))
				a.printf("帮扶事项 ID：%s\n", "help case id: %s\n", j.ID)
				if urgent {
					a.printf("须在 24 小时内处理；处理后运行 wanxia office help act %s 记录\n", "it must be acted on within 24 hours; then run wanxia office help act %s\n", j.ID)
				}
			})
		})
	})
	f := cmd.Flags()
	f.Var(&enumFlag[care.HelpKind]{&kind, care.ParseHelpKind}, "kind", "economic 经济, medical 医疗, housekeeping 家政, spiritual 精神")
	f.BoolVar(&urgent, "urgent", false, "a special case to handle at once (特事特办)")
	f.Var(&timeFlag{&at}, "at", `when the request came, "YYYY-MM-DD HH:MM" (default now)`)
	f.StringVar(&note, "note", "", "what is asked; starts the case's note, which act --note continues (the outcome goes in close --resolution)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) helpActCmd() *cobra.Command {
	var at time.Time
	var note string
	var asJSON bool
	cmd := a.leaf("act ID", "Record that someone has acted on a help case (it is then in progress), so that an urgent case no longer waits unattended", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			hc, err := a.findHelpCase(ctx, r, args[0])
			if err != nil {
				return err
			}
			acted, err := desk.ActOnHelpCase(ctx, r, a.now(), desk.HelpAction{CaseID: hc.ID, At: at, Note: note})
			if err != nil {
				return a.helpError(err, false)
			}
			hc, when, first := acted.Case, acted.At, acted.First
			return a.printHelpCase(ctx, r, hc, asJSON, func(j helpCaseJSON) {
				a.printf("已记录对 %s 的%s帮扶事项的处理（%s），状态：%s\n", "recorded action on %[1]s's %[2]s help case (%[3]s); status: %[4]s\n",
					j.Name, j.KindLabel, showTime(when), j.StatusLabel)
				if !first {
					a.printf("首次处理时间：%s\n", "first acted on: %s\n", showTime(hc.FirstActionAt))
				}
			})
		})
	})
	cmd.Flags().Var(&timeFlag{&at}, "at", `when it was done, "YYYY-MM-DD HH:MM" (default now)`)
	cmd.Flags().StringVar(&note, "note", "", `what was done, added to the case's note after "；" and the time (e.g. "2026-11-28 09:30 已联系社区医院")`)
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) helpCloseCmd() *cobra.Command {
	var at time.Time
	var resolution string
	status := care.HelpResolved
	var asJSON bool
	cmd := a.leaf("close ID", "Close a help case: resolved, or explained to the cadre where it cannot be resolved (--status explained)", 1, func(cmd *cobra.Command, args []string) error {
		switch {
		case strings.TrimSpace(resolution) == "":
			return a.usage("缺少选项 --resolution（做了什么，或不能解决的原因）", "missing --resolution (what was done, or why it cannot be)")
		case !status.Closed():
			return a.usage("--status 应为 resolved（已解决）或 explained（已解释说明）", "--status must be resolved or explained")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			hc, err := a.findHelpCase(ctx, r, args[0])
			if err != nil {
				return err
			}
			closed, err := desk.CloseHelpCase(ctx, r, a.now(), desk.HelpClosing{CaseID: hc.ID, Status: status, At: at, Resolution: resolution})
			if err != nil {
				return a.helpError(err, true)
			}
			when := closed.At
			return a.printHelpCase(ctx, r, closed.Case, asJSON, func(j helpCaseJSON) {
				a.printf("%s 的%s帮扶事项已结案（%s，%s）\n", "closed %[1]s's %[2]s help case (%[3]s, %[4]s)\n", j.Name, j.KindLabel, j.StatusLabel, showTime(when))
			})
		})
	})
	f := cmd.Flags()
	f.StringVar(&resolution, "resolution", "", "how the case ended: what was done, or why it cannot be done (the note keeps what open and act wrote)")
	f.Var(&enumFlag[care.HelpStatus]{&status, care.ParseHelpStatus}, "status", "resolved 已解决 (default), or explained 已解释说明 where it cannot be resolved")
	f.Var(&timeFlag{&at}, "at", `when it was closed, "YYYY-MM-DD HH:MM" (default now)`)
	jsonFlag(cmd, &asJSON)
	return cmd
}

// helpListJSON is what help list reports.
type helpListJSON struct {
	AsOf              *string           `json:"as_of"`
	UrgentWithinHours float64           `json:"urgent_within_hours"`
	Unattended        int               `json:"unattended"`
	Cases             []helpCaseJSON    `json:"cases"`
	Summary           []helpSummaryJSON `json:"summary"`
}

type helpSummaryJSON struct {
	Kind      care.HelpKind `json:"kind"`
	KindLabel string        `json:"kind_label"`
	Open      int           `json:"open"`
	Urgent    int           `json:"urgent"`
	Closed    int           `json:"closed"`
}

func (a *app) helpListCmd() *cobra.Command {
	var open, asJSON bool
	cmd := a.leaf("list", "List the help cases, urgent ones nobody acted on within 24 hours first, then a count per kind", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			now := a.now()
			l, err := desk.HelpCases(ctx, r, now, open)
			if err != nil {
				return err
			}
			ppl, err := loadPeople(ctx, r)
			if err != nil {
				return err
			}
			out := helpListJSON{AsOf: jsonTime(now), UrgentWithinHours: l.UrgentWithin.Hours(), Unattended: len(l.Unattended), Cases: []helpCaseJSON{}, Summary: []helpSummaryJSON{}}
			for _, c := range l.Unattended {
				out.Cases = append(out.Cases, a.toHelpJSON(c, ppl, true))
			}
			for _, c := range l.Others {
				out.Cases = append(out.Cases, a.toHelpJSON(c, ppl, false))
			}
			for _, k := range l.Summary {
				out.Summary = append(out.Summary, helpSummaryJSON{Kind: k.Kind, KindLabel: k.Kind.Label(a.lang), Open: k.Open, Urgent: k.Urgent, Closed: k.Closed})
			}
			if asJSON {
				return a.printJSON(out)
			}
			return a.printHelpList(out, now, l.UrgentWithin)
		})
	})
	cmd.Flags().BoolVar(&open, "open", false, "only the cases not yet closed")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printHelpList(l helpListJSON, now time.Time, within time.Duration) error {
	hours := strconv.FormatFloat(within.Hours(), 'f', -1, 64)
	a.printf("帮扶事项（截至 %s）\n", "Help cases as of %s\n", showTime(now))
	if l.Unattended > 0 {
		a.printf("有 %d 件紧急事项超过 %s 小时无人处理，列在最前：处理后运行 wanxia office help act ID 记录\n",
			"%d urgent cases have waited more than %s hours with nobody acting, listed first: once acted on, run wanxia office help act ID\n", l.Unattended, hours)
	}
	if len(l.Cases) == 0 {
		a.printf("（没有帮扶事项）\n", "(no help cases)\n")
	} else {
		rows := make([][]string, 0, len(l.Cases))
		for _, c := range l.Cases {
			mark := ""
			switch {
			case c.Unattended:
				mark = a.tf("超过%s小时未处理", "unattended > %sh", hours)
			case c.Urgent:
				mark = a.t("紧急", "urgent")
			}
			rows = append(rows, []string{mark, c.ID.String(), showStamp(c.Opened), c.Name, c.KindLabel, c.StatusLabel,
				showStamp(c.FirstActionAt), orDash(c.Note), orDash(c.Resolution)})
		}
		if err := writeTable(a.stdout, []string{a.t("提醒", "flag"), "ID", a.t("登记时间", "opened"), a.t("干部", "cadre"),
			a.t("类别", "kind"), a.t("状态", "status"), a.t("首次处理", "first action"), a.t("情况", "note"), a.t("结果", "resolution")}, rows); err != nil {
			return err
		}
	}
	a.printf("\n按类别汇总\n", "\nBy kind\n")
	rows := make([][]string, 0, len(l.Summary))
	for _, k := range l.Summary {
		rows = append(rows, []string{k.KindLabel, strconv.Itoa(k.Open), strconv.Itoa(k.Urgent), strconv.Itoa(k.Closed)})
	}
	return writeTable(a.stdout, []string{a.t("类别", "kind"), a.t("未结", "open"), a.t("其中紧急", "urgent"), a.t("已结", "closed")}, rows)
}

// showStamp shows a JSON time as a Shanghai civil time, "-" when unset.
func showStamp(s *string) string {
	if s == nil {
		return "-"
	}
	t, err := time.Parse(time.RFC3339, *s)
	if err != nil {
		return *s
	}
	return showTime(t)
}
