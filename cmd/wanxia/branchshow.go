package main

import (
	"cmp"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// memberJSON is a member of a branch.
type memberJSON struct {
	CadreID    uuid.UUID   `json:"cadre_id"`
	Name       string      `json:"name"`
	Party      cadre.Party `json:"party"`
	PartyLabel string      `json:"party_label"`
	Community  string      `json:"community"`
	Since      cadre.Date  `json:"since"`
}

// postJSON is a committee post.
type postJSON struct {
	ID        uuid.UUID   `json:"id"`
	Role      branch.Role `json:"role"`
	RoleLabel string      `json:"role_label"`
	CadreID   uuid.UUID   `json:"cadre_id"`
	Name      string      `json:"name"`
	TermStart cadre.Date  `json:"term_start"`
	EndedOn   cadre.Date  `json:"ended_on"`
}

func (a *app) toPostJSON(v desk.PostView) postJSON {
	p := v.Post
	return postJSON{ID: p.ID, Role: p.Role, RoleLabel: p.Role.Label(a.lang), CadreID: p.CadreID, Name: a.refName(v.Holder),
		TermStart: p.TermStart, EndedOn: p.EndedOn}
}

// findingJSON is one thing the committee check found.
type findingJSON struct {
	Code          branch.FindingCode `json:"code"`
	Label         string             `json:"label"`
	Severity      branch.Severity    `json:"severity"`
	SeverityLabel string             `json:"severity_label"`
	CadreID       string             `json:"cadre_id"`
	Name          string             `json:"name"`
	Role          branch.Role        `json:"role"`
	Due           cadre.Date         `json:"due"`
	Text          string             `json:"text"`
}

// meetingStatusJSON is one kind of meeting's state for the month.
type meetingStatusJSON struct {
	Kind       branch.MeetingKind      `json:"kind"`
	KindLabel  string                  `json:"kind_label"`
	From       branch.Month            `json:"from"`
	To         branch.Month            `json:"to"`
	State      branch.MeetingState     `json:"state"`
	StateLabel string                  `json:"state_label"`
	Meetings   []branch.MeetingSummary `json:"meetings"`
}

// deliveryItemJSON is a 送学上门 visit owed for a meeting.
type deliveryItemJSON struct {
	MeetingID   uuid.UUID            `json:"meeting_id"`
	MeetingKind branch.MeetingKind   `json:"meeting_kind"`
	KindLabel   string               `json:"kind_label"`
	MeetingOn   cadre.Date           `json:"meeting_on"`
	CadreID     uuid.UUID            `json:"cadre_id"`
	Name        string               `json:"name"`
	DueBy       cadre.Date           `json:"due_by"`
	DeliveredOn cadre.Date           `json:"delivered_on"`
	State       branch.DeliveryState `json:"state"`
	StateLabel  string               `json:"state_label"`
}

// trainingJSON is whether a post holder was trained this period.
type trainingJSON struct {
	CadreID    uuid.UUID    `json:"cadre_id"`
	Name       string       `json:"name"`
	Role       branch.Role  `json:"role"`
	RoleLabel  string       `json:"role_label"`
	From       branch.Month `json:"from"`
	To         branch.Month `json:"to"`
	Done       bool         `json:"done"`
	AttendedOn cadre.Date   `json:"attended_on"`
	Course     string       `json:"course"`
	DueBy      cadre.Date   `json:"due_by"`
}

// branchShowJSON is everything branch show reports.
type branchShowJSON struct {
	Branch     branchJSON          `json:"branch"`
	On         cadre.Date          `json:"on"`
	Month      branch.Month        `json:"month"`
	Members    []memberJSON        `json:"members"`
	Posts      []postJSON          `json:"posts"`
	Findings   []findingJSON       `json:"findings"`
	Meetings   []meetingStatusJSON `json:"meetings"`
	Deliveries []deliveryItemJSON  `json:"deliveries"`
	Training   []trainingJSON      `json:"training"`
}

func (a *app) branchShowCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("show BRANCH", "Show a branch: members, committee and its check, this month's meetings and 送学上门, the secretary's training (BRANCH: UUID or 8+ characters of it)", 1, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			report, err := desk.ShowBranch(ctx, r, desk.ShowBranchInput{BranchID: b.ID, On: on})
			if err != nil {
				return err
			}
			show := a.toBranchShowJSON(report)
			if asJSON {
				return a.printJSON(show)
			}
			return a.printBranchShow(show)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "show the branch as on this date, and the meetings of its month (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// toBranchShowJSON labels a branch report in the language asked for.
func (a *app) toBranchShowJSON(s desk.BranchReport) branchShowJSON {
	out := branchShowJSON{Branch: a.toBranchJSON(s.BranchView), On: s.On, Month: s.Month, Members: []memberJSON{}, Posts: []postJSON{},
		Findings: []findingJSON{}, Meetings: []meetingStatusJSON{}, Deliveries: []deliveryItemJSON{}, Training: []trainingJSON{}}
	for _, m := range s.Members {
		c := m.Cadre
		out.Members = append(out.Members, memberJSON{CadreID: c.ID, Name: c.Name, Party: c.Party, PartyLabel: c.Party.Label(a.lang),
			Community: c.Community, Since: m.Since})
	}
	for _, p := range s.Posts {
		out.Posts = append(out.Posts, a.toPostJSON(p))
	}
	for _, fv := range s.Findings {
		f := fv.Finding
		out.Findings = append(out.Findings, findingJSON{Code: f.Code, Label: f.Code.Label(a.lang), Severity: f.Severity,
			SeverityLabel: f.Severity.Label(a.lang), CadreID: idOrEmpty(f.CadreID), Name: a.refName(fv.Cadre), Role: f.Role,
			Due: f.Due, Text: f.Text.In(a.lang)})
	}
	for _, st := range s.Meetings {
		out.Meetings = append(out.Meetings, meetingStatusJSON{Kind: st.Kind, KindLabel: st.Kind.Label(a.lang), From: st.From, To: st.To,
			State: st.State, StateLabel: st.State.Label(a.lang), Meetings: nonNil(st.Meetings)})
	}
	for _, dv := range s.Deliveries {
		d := dv.Item
		out.Deliveries = append(out.Deliveries, deliveryItemJSON{MeetingID: d.MeetingID, MeetingKind: dv.Kind,
			KindLabel: dv.Kind.Label(a.lang), MeetingOn: dv.MeetingOn, CadreID: d.CadreID, Name: a.refName(dv.Cadre),
			DueBy: d.DueBy, DeliveredOn: d.DeliveredOn, State: d.State, StateLabel: d.State.Label(a.lang)})
	}
	for _, tv := range s.Training {
		t := tv.Status
		out.Training = append(out.Training, trainingJSON{CadreID: t.CadreID, Name: a.refName(tv.Holder), Role: t.Role,
			RoleLabel: t.Role.Label(a.lang), From: t.From, To: t.To, Done: t.Done, AttendedOn: t.AttendedOn, Course: t.Course, DueBy: t.DueBy})
	}
	return out
}
func (a *app) printBranchShow(s branchShowJSON) error {
	b := s.Branch
	a.printf("%s（%s）\n", "%s (%s)\n", b.Name, b.KindLabel)
	rows := [][]string{
		{"ID", b.ID.String()},
		{a.t("范围", "covers"), a.places(b)},
		{a.t("成立日期", "founded"), dateOrDash(b.FoundedOn)},
	}
	if !b.DissolvedOn.IsZero() {
		rows = append(rows, []string{a.t("撤销日期", "dissolved"), b.DissolvedOn.String()})
	}
	rows = append(rows, []string{a.t("截至", "as of"), s.On.String()})
	if err := writeTable(a.stdout, rows[0], rows[1:]); err != nil {
		return err
	}

	a.printf("\n党员（本机 %d 名）\n", "\nMembers (%d held here)\n", len(s.Members))
	if len(s.Members) == 0 {
		a.printf("  （没有）\n", "  (none)\n")
	} else {
		rows = rows[:0]
		for _, m := range s.Members {
			rows = append(rows, []string{"  " + m.Name, m.PartyLabel, m.Community, m.Since.String()})
		}
		if err := writeTable(a.stdout, []string{"  " + a.t("姓名", "name"), a.t("党员", "party"), a.t("社区", "community"), a.t("入支部", "since")}, rows); err != nil {
			return err
		}
	}

	a.printf("\n支部班子\n", "\nCommittee\n")
	if len(s.Posts) == 0 {
		a.printf("  （没有记录任职；用 wanxia office branch elect 记录换届选举）\n", "  (no posts recorded; record an election with wanxia office branch elect)\n")
	} else {
		rows = rows[:0]
		for _, p := range s.Posts {
			rows = append(rows, []string{"  " + p.RoleLabel, p.Name, p.TermStart.String()})
		}
		if err := writeTable(a.stdout, []string{"  " + a.t("职务", "post"), a.t("姓名", "name"), a.t("任职起始", "elected")}, rows); err != nil {
			return err
		}
	}
	a.printf("\n班子检查\n", "\nCommittee check\n")
	if len(s.Findings) == 0 {
		a.printf("  未发现问题\n", "  nothing found\n")
	}
	for _, f := range s.Findings {
		text := f.Text
		if f.Name != "" && !strings.Contains(text, f.Name) {
			text += a.tf("（%s）", " (%s)", f.Name)
		}
		a.printf("  %s  %s：%s\n", "  %s  %s: %s\n", f.SeverityLabel, f.Label, text)
	}

	a.printf("\n%s 会议\n", "\nMeetings of %s\n", s.Month)
	rows = rows[:0]
	for _, m := range s.Meetings {
		period := m.From.String()
		if m.To != m.From {
			period += "—" + m.To.String()
		}
		heldOn := make([]string, 0, len(m.Meetings))
		for _, h := range m.Meetings {
			heldOn = append(heldOn, a.tf("%s（出席%d/%d，因病%d，请假%d，无故缺席%d）", "%s (%d/%d attended, %d ill, %d excused, %d without reason)",
				h.On, h.Attended, h.Expected, h.Health, h.Excused, h.Unexcused))
		}
		rows = append(rows, []string{"  " + m.KindLabel, period, m.StateLabel, cmp.Or(strings.Join(heldOn, a.t("；", "; ")), "-")})
	}
	if err := writeTable(a.stdout, []string{"  " + a.t("类型", "kind"), a.t("周期", "period"), a.t("状态", "state"), a.t("召开", "held")}, rows); err != nil {
		return err
	}
	outstanding := 0
	for _, d := range s.Deliveries {
		if d.State == branch.NotDelivered {
			if outstanding == 0 {
				a.printf("\n送学上门（未完成）\n", "\nStudy to deliver at home (送学上门, outstanding)\n")
			}
			outstanding++
			a.printf("  %s  %s %s  应于 %s 前送达；送达后运行 wanxia office meeting deliver %s %s\n",
				"  %s  %s %s  due by %s; once done, run wanxia office meeting deliver %s %s\n",
				d.Name, d.KindLabel, d.MeetingOn, d.DueBy, d.MeetingID, d.CadreID)
		}
	}
	if outstanding == 0 && len(s.Deliveries) > 0 {
		a.printf("\n送学上门：本月 %d 人次均已送达\n", "\nStudy at home (送学上门): all %d delivered this month\n", len(s.Deliveries))
	}

	a.printf("\n书记培训\n", "\nSecretary's training\n")
	if len(s.Training) == 0 {
		a.printf("  （没有书记任职记录）\n", "  (no secretary recorded)\n")
	}
	for _, t := range s.Training {
		if t.Done {
			a.printf("  %s  %s  已参加 %s（%s）\n", "  %s  %s  attended %s (%s)\n", t.RoleLabel, t.Name, t.Course, t.AttendedOn)
		} else {
			a.printf("  %s  %s  未参加，应于 %s 前参加；参加后运行 wanxia office branch training\n",
				"  %s  %s  not yet trained, due by %s; record it with wanxia office branch training\n", t.RoleLabel, t.Name, t.DueBy)
		}
	}
	return nil
}
