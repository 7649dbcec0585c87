package main

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// visitCmd is `office visit`.
func (a *app) visitCmd() *cobra.Command {
	cmd := a.group("visit", "Visits (走访): the visits due, add a visit made, list the visits", "")
	cmd.AddCommand(a.visitDueCmd(), a.visitAddCmd(), a.visitListCmd())
	return cmd
}

// hospitalCmd is `office hospital`.
func (a *app) hospitalCmd() *cobra.Command {
	cmd := a.group("hospital", "Hospital stays (住院): admit, discharge; each makes a visit due", "")
	cmd.AddCommand(a.admitCmd(), a.dischargeCmd())
	return cmd
}

// helperNames maps the helpers held here to their names.
func helperNames(ctx context.Context, r *store.Replica) (map[uuid.UUID]string, error) {
	return desk.HelperNames(ctx, r)
}

// visitJSON is a visit as scripts see it; By is "" for someone not on the
// helper list.
type visitJSON struct {
	ID        uuid.UUID      `json:"id"`
	CadreID   uuid.UUID      `json:"cadre_id"`
	Name      string         `json:"name"`
	Kind      care.VisitKind `json:"kind"`
	KindLabel string         `json:"kind_label"`
	On        cadre.Date     `json:"on"`
	By        string         `json:"by"`
	ByName    string         `json:"by_name"`
	Notes     string         `json:"notes"`
}

func (a *app) toVisitJSON(v care.Visit, ppl people, helpers map[uuid.UUID]string) visitJSON {
	j := visitJSON{ID: v.ID, CadreID: v.CadreID, Name: ppl.name(a, v.CadreID), Kind: v.Kind, KindLabel: v.Kind.Label(a.lang), On: v.On,
		By: idOrEmpty(v.By), ByName: a.t("其他人员", "not a listed helper"), Notes: v.Notes}
	if v.By != uuid.Nil {
		j.ByName = cmp.Or(helpers[v.By], a.tf("（不在本机：%s）", "(not held here: %s)", v.By.String()[:8]))
	}
	return j
}

// dueJSON is one visit owed, as visit due lists it.
type dueJSON struct {
	CadreID     uuid.UUID    `json:"cadre_id"`
	Name        string       `json:"name"`
	Kind        care.DueKind `json:"kind"`
	KindLabel   string       `json:"kind_label"`
	Milestone   int          `json:"milestone"`
	DueOn       cadre.Date   `json:"due_on"`
	WindowStart cadre.Date   `json:"window_start"`
	WindowEnd   cadre.Date   `json:"window_end"`
	Overdue     bool         `json:"overdue"`
	// State is overdue, open or done.
	State       string     `json:"state"`
	StateLabel  string     `json:"state_label"`
	HelperID    string     `json:"helper_id"`
	HelperName  string     `json:"helper_name"`
	StayID      string     `json:"stay_id"`
	SatisfiedBy *visitJSON `json:"satisfied_by"`
}

// dueKindLabel is a due's kind, with the age of a birthday.
func (a *app) dueKindLabel(d care.Due) string {
	label := d.Kind.Label(a.lang)
	if d.Milestone > 0 {
		label += a.tf("（%d岁）", " (%d)", d.Milestone)
	}
	return label
}

func (a *app) toDueJSON(d care.Due, ppl people, helpers map[uuid.UUID]string, helper uuid.UUID) dueJSON {
	j := dueJSON{CadreID: d.CadreID, Name: ppl.name(a, d.CadreID), Kind: d.Kind, KindLabel: a.dueKindLabel(d), Milestone: d.Milestone,
		DueOn: d.DueOn, WindowStart: d.WindowStart, WindowEnd: d.WindowEnd, Overdue: d.Overdue,
		State: "open", StateLabel: a.t("待走访", "open"), HelperID: idOrEmpty(helper), StayID: idOrEmpty(d.StayID)}
	if helper != uuid.Nil {
		j.HelperName = cmp.Or(helpers[helper], helper.String()[:8])
	}
	switch {
	case d.SatisfiedBy != nil:
		v := a.toVisitJSON(*d.SatisfiedBy, ppl, helpers)
		j.SatisfiedBy, j.State, j.StateLabel = &v, "done", a.t("已完成", "done")
	case d.Overdue:
		j.State, j.StateLabel = "overdue", a.t("逾期", "overdue")
	}
	return j
}

// dueOrder lists overdue visits first, then by due date, then by cadre
// name; the kinds of one cadre keep Schedule's order.
func dueOrder(ds []dueJSON) {
	sortByName(ds, func(d dueJSON) string { return d.Name })
	slices.SortStableFunc(ds, func(x, y dueJSON) int {
		if x.Overdue != y.Overdue {
			if x.Overdue {
				return -1
			}
			return 1
		}
		return x.DueOn.Compare(y.DueOn)
	})
}

func (a *app) visitDueCmd() *cobra.Command {
	var on cadre.Date
	var all, asJSON bool
	cmd := a.leaf("due", "List the visits due for the cadres held here around a day, overdue first: regular visits of paired cadres, hospital stays, holidays (春节, 重阳节), seasons, milestone birthdays, condolences", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			dv, err := desk.VisitsDue(cmd.Context(), r, on, all)
			if err != nil {
				return err
			}
			ppl := people{}
			for _, d := range dv.Dues {
				ppl[d.Cadre.ID] = d.Cadre
			}
			out := make([]dueJSON, 0, len(dv.Dues))
			for _, d := range dv.Dues {
				out = append(out, a.toDueJSON(d.Due, ppl, dv.HelperNames, d.Helper))
			}
			dueOrder(out)
			if asJSON {
				return a.printJSON(out)
			}
			rs, err := loadRefs(cmd.Context(), r, desk.KindCadre)
			if err != nil {
				return err
			}
			return a.printDues(out, on, all, rs)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day to list for (default today)")
	cmd.Flags().BoolVar(&all, "all", false, "also list the visits already made, with the visit that counted")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// printDues prints the visits due, each cadre with what to type to name
// it (rs).
func (a *app) printDues(ds []dueJSON, on cadre.Date, all bool, rs *refs) error {
	counts := map[string]int{}
	for _, d := range ds {
		counts[d.State]++
	}
	a.printf("应走访事项（%s）：逾期 %d 项，待走访 %d 项", "Visits due as of %s: %d overdue, %d open", on, counts["overdue"], counts["open"])
	if all {
		a.printf("，已完成 %d 项", ", %d done", counts["done"])
	}
	a.printf("\n", "\n")
	if len(ds) == 0 {
		a.printf("（没有待走访事项）\n", "(nothing due)\n")
		return nil
	}
	header := []string{a.t("状态", "state"), a.t("走访事项", "visit"), a.t("应于", "due"), a.t("时间窗口", "window"),
		a.t("干部", "cadre"), a.t("帮扶人", "helper")}
	if all {
		header = append(header, a.t("完成情况", "made"))
	}
	rows := make([][]string, 0, len(ds))
	for _, d := range ds {
		row := []string{d.StateLabel, d.KindLabel, d.DueOn.String(), a.tf("%s 至 %s", "%s to %s", d.WindowStart, d.WindowEnd),
			rs.label(d.CadreID, d.Name), orDash(d.HelperName)}
		if all {
			made := "-"
			if v := d.SatisfiedBy; v != nil {
				made = a.tf("%s %s（%s）", "%s %s (%s)", v.On, v.KindLabel, v.ByName)
			}
			row = append(row, made)
		}
		rows = append(rows, row)
	}
	if err := writeTable(a.stdout, header, rows); err != nil {
		return err
	}
	a.refNote(rs)
	if counts["overdue"]+counts["open"] > 0 {
		a.printf("走访后运行 wanxia office visit add 干部 --kind 类型 --on 日期 记录\n", "once visited, record it with wanxia office visit add CADRE --kind KIND --on DATE\n")
	}
	return nil
}

// visitAddJSON is what visit add recorded and the dues it counts for.
type visitAddJSON struct {
	visitJSON
	Satisfies []dueJSON `json:"satisfies"`
}

// notAfterToday refuses a day in the future for something that happened.
func (a *app) notAfterToday(flag string, d cadre.Date) error {
	if t := a.today(); d.After(t) {
		return a.usage("%s %s 晚于今天（%s）：只能记录已经发生的事", "%s %s is after today (%s): record only what has happened", flag, d, t)
	}
	return nil
}

func (a *app) visitAddCmd() *cobra.Command {
	var kind care.VisitKind
	var on cadre.Date
	var by, notes string
	var asJSON bool
	cmd := a.leaf("add CADRE", "Record a visit made to a cadre (CADRE: UUID, 8+ characters of it, or ID number); it counts for the visits due that it fits", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		for _, f := range []string{"kind", "on"} {
			if !cmd.Flags().Changed(f) {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		if err := a.notAfterToday("--on", on); err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			in := desk.VisitInput{CadreID: c.ID, Kind: kind, On: on, Notes: notes}
			if strings.TrimSpace(by) != "" {
				h, err := a.findHelper(ctx, r, officeHelperNoun, by)
				if err != nil {
					return err
				}
				in.By = h.ID
			}
			rec, err := desk.RecordVisit(ctx, r, a.now(), in)
			if err != nil {
				return a.invalid(err, "走访记录", "the visit")
			}
			return a.reportVisit(rec, asJSON)
		})
	})
	f := cmd.Flags()
	f.Var(&enumFlag[care.VisitKind]{&kind, care.ParseVisitKind}, "kind",
		"home 入户走访, call 电话或视频联系, hospital 住院探望, holiday 节日走访, birthday 祝寿, condolence 吊唁慰问, seasonal 季节慰问")
	f.Var(&dateFlag{&on}, "on", "the day of the visit")
	f.StringVar(&by, "by", "", "the helper who made it: UUID, 8+ characters of it, or the name (default: someone not on the helper list)")
	f.StringVar(&notes, "notes", "", "what was found and what was promised")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// reportVisit prints a visit recorded and the dues it now counts for.
func (a *app) reportVisit(rec desk.RecordedVisit, asJSON bool) error {
	c, v := rec.Cadre, rec.Visit
	ppl := people{c.ID: c}
	out := visitAddJSON{visitJSON: a.toVisitJSON(v, ppl, rec.HelperNames), Satisfies: []dueJSON{}}
	for _, d := range rec.Satisfies {
		out.Satisfies = append(out.Satisfies, a.toDueJSON(d.Due, ppl, rec.HelperNames, d.Helper))
	}
	if asJSON {
		return a.printJSON(out)
	}
	who := ""
	if v.By != uuid.Nil {
		who = a.tf("，%s", ", by %s", out.ByName)
	}
	a.printf("已记录 %s %s（%s%s）\n", "recorded a %[2]s to %[1]s (%[3]s%[4]s)\n", c.Name, out.KindLabel, v.On, who)
	a.printf("走访 ID：%s\n", "visit id: %s\n", v.ID)
	for _, d := range out.Satisfies {
		a.printf("  计入：%s（应于 %s）\n", "  counts for: %s (due %s)\n", d.KindLabel, d.DueOn)
	}
	return nil
}

func (a *app) visitListCmd() *cobra.Command {
	var from, to cadre.Date
	var asJSON bool
	cmd := a.leaf("list [CADRE]", "List the visits made, by day: to one cadre or to every cadre held here", 0, func(cmd *cobra.Command, args []string) error {
		if !from.IsZero() && !to.IsZero() && to.Before(from) {
			return a.usage("--to %s 早于 --from %s", "--to %s is before --from %s", to, from)
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			f := store.VisitFilter{From: from, To: to}
			if len(args) == 1 {
				c, err := a.findCadre(ctx, r, args[0])
				if err != nil {
					return err
				}
				f.CadreID = c.ID
			}
			vs, err := r.Visits(ctx, f)
			if err != nil {
				return err
			}
			ppl, err := loadPeople(ctx, r)
			if err != nil {
				return err
			}
			helpers, err := helperNames(ctx, r)
			if err != nil {
				return err
			}
			out := make([]visitJSON, 0, len(vs))
			for _, v := range vs {
				out = append(out, a.toVisitJSON(v, ppl, helpers))
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（没有走访记录）\n", "(no visits)\n")
				return nil
			}
			rows := make([][]string, 0, len(out))
			for _, v := range out {
				rows = append(rows, []string{v.On.String(), v.Name, v.KindLabel, v.ByName, orDash(v.Notes)})
			}
			return writeTable(a.stdout, []string{a.t("日期", "on"), a.t("干部", "cadre"), a.t("方式", "kind"), a.t("走访人", "by"), a.t("情况", "notes")}, rows)
		})
	})
	cmd.Args = func(cmd *cobra.Command, args []string) error {
		if len(args) > 1 {
			return a.usage("多余的参数 %q", "unexpected argument %q", args[1])
		}
		return nil
	}
	cmd.Flags().Var(&dateFlag{&from}, "from", "the first day listed")
	cmd.Flags().Var(&dateFlag{&to}, "to", "the last day listed")
	jsonFlag(cmd, &asJSON)
	return cmd
}
