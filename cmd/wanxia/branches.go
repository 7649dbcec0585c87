package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// today is the date in Asia/Shanghai by the command's clock: the default
// of every --on.
func (a *app) today() cadre.Date { return cadre.DateOf(a.now().In(syncsvc.Shanghai())) }

// orToday is d, or today when d was not given.
func (a *app) orToday(d cadre.Date) cadre.Date {
	if d.IsZero() {
		return a.today()
	}
	return d
}

// nonNil returns s, or an empty list for JSON's [] when s is nil.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// idOrEmpty shows an id, or "" for none.
func idOrEmpty(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	return id.String()
}

// dateOrDash shows a date, or "-" when unset.
func dateOrDash(d cadre.Date) string {
	if d.IsZero() {
		return "-"
	}
	return d.String()
}

// monthFlag is a YYYY-MM month.
type monthFlag struct{ p *branch.Month }

func (f *monthFlag) Set(s string) error {
	m, err := branch.ParseMonth(strings.TrimSpace(s))
	if err != nil {
		return err
	}
	*f.p = m
	return nil
}

func (f *monthFlag) String() string {
	if f.p == nil {
		return ""
	}
	return f.p.String()
}

func (f *monthFlag) Type() string { return "YYYY-MM" }

// monthsFlag is a list of YYYY-MM months, comma-separated or repeated,
// each named once.
type monthsFlag struct{ p *[]branch.Month }

func (f *monthsFlag) Set(s string) error {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		m, err := branch.ParseMonth(strings.TrimSpace(part))
		if err != nil {
			return err
		}
		if slices.Contains(*f.p, m) {
			return fmt.Errorf("month %s is named twice", m)
		}
		*f.p = append(*f.p, m)
	}
	return nil
}

func (f *monthsFlag) String() string {
	if f.p == nil {
		return ""
	}
	out := make([]string, len(*f.p))
	for i, m := range *f.p {
		out[i] = m.String()
	}
	return strings.Join(out, ",")
}

func (f *monthsFlag) Type() string { return "YYYY-MM,…" }

// recordNoun names a kind of record in messages, with the verb that lists them.
type recordNoun struct {
	table, zh, en, list string
}

var (
	branchNoun  = recordNoun{store.BranchesTable, "党支部", "branch", "wanxia office branch list"}
	meetingNoun = recordNoun{store.MeetingsTable, "会议", "meeting", "wanxia office meeting list"}
)

// findID resolves REF, a UUID or a unique prefix of at least 8 of its
// characters, to the id of a live record.
func (a *app) findID(ctx context.Context, r *store.Replica, n recordNoun, ref string) (uuid.UUID, error) {
	ref = strings.TrimSpace(ref)
	prefix := strings.ToLower(ref)
	noun := a.t(n.zh, n.en)
	if len(prefix) < 8 || strings.Trim(prefix, "0123456789abcdef-") != "" {
		return uuid.Nil, a.usage("%q 不是%s的名字：给出 UUID 或它至少 8 个字符的开头",
			"%q names no %s: give a UUID or at least its first 8 characters", ref, noun)
	}
	ids, err := r.IDsWithPrefix(ctx, n.table, prefix, 2)
	if err != nil {
		return uuid.Nil, err
	}
	switch len(ids) {
	case 0:
		return uuid.Nil, a.notFound(syncsvc.ErrNotFound, n, ref)
	case 1:
		return ids[0], nil
	}
	return uuid.Nil, a.fail(syncsvc.ErrAmbiguous, "%s 是不止一个%s ID 的开头（%s 等）：多给几个字符",
		"%s starts more than one %s ID (%s, …): give more characters", ref, noun, ids[0])
}

func (a *app) notFound(err error, n recordNoun, ref string) error {
	return a.fail(err, "没有%s %s：用 %s 查看", "no %s %s: see %s", a.t(n.zh, n.en), ref, n.list)
}

// findBranch resolves REF to a live branch.
func (a *app) findBranch(ctx context.Context, r *store.Replica, ref string) (branch.Branch, error) {
	id, err := a.findID(ctx, r, branchNoun, ref)
	if err != nil {
		return branch.Branch{}, err
	}
	b, err := r.Branch(ctx, id)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		return b, a.notFound(err, branchNoun, ref)
	}
	return b, err
}

// findMeeting resolves REF to a live meeting with its attendance.
func (a *app) findMeeting(ctx context.Context, r *store.Replica, ref string) (branch.Meeting, error) {
	id, err := a.findID(ctx, r, meetingNoun, ref)
	if err != nil {
		return branch.Meeting{}, err
	}
	m, err := r.Meeting(ctx, id)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		return m, a.notFound(err, meetingNoun, ref)
	}
	return m, err
}

// invalid words a refusal of a branch record, field by field; other
// errors pass through.
func (a *app) invalid(err error, zh, en string) error {
	var ve *cadre.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	parts := make([]string, 0, len(ve.Problems))
	for _, p := range ve.Problems {
		parts = append(parts, p.Field+a.t("：", ": ")+cadre.Describe(p, a.lang))
	}
	return a.fail(err, "%s有误：%s", "%s is not valid: %s", a.t(zh, en), strings.Join(parts, a.t("；", "; ")))
}

// people are the cadres of a replica by id, for names.
type people map[uuid.UUID]cadre.Cadre

func loadPeople(ctx context.Context, r *store.Replica) (people, error) {
	cs, err := r.Cadres(ctx, store.CadreFilter{})
	if err != nil {
		return nil, err
	}
	p := people{}
	for _, c := range cs {
		p[c.ID] = c
	}
	return p, nil
}

// name is a cadre's name, or a mark that the cadre is not held here.
func (p people) name(a *app, id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	if c, ok := p[id]; ok {
		return c.Name
	}
	return a.tf("（不在本机：%s）", "(not held here: %s)", id.String()[:8])
}

// communityNames maps community codes to display names.
func communityNames(ctx context.Context, r *store.Replica) (map[string]string, error) {
	cs, err := r.Communities(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, c := range cs {
		out[c.Code] = c.Name
	}
	return out, nil
}

// branchJSON is a branch as scripts see it.
type branchJSON struct {
	ID             uuid.UUID   `json:"id"`
	Name           string      `json:"name"`
	Kind           branch.Kind `json:"kind"`
	KindLabel      string      `json:"kind_label"`
	Communities    []string    `json:"communities"`
	CommunityNames []string    `json:"community_names"`
	Units          []string    `json:"units"`
	FoundedOn      cadre.Date  `json:"founded_on"`
	DissolvedOn    cadre.Date  `json:"dissolved_on"`
}

func (a *app) toBranchJSON(b branch.Branch, names map[string]string) branchJSON {
	j := branchJSON{ID: b.ID, Name: b.Name, Kind: b.Kind, KindLabel: b.Kind.Label(a.lang), Communities: nonNil(b.Communities),
		CommunityNames: []string{}, Units: nonNil(b.Units), FoundedOn: b.FoundedOn, DissolvedOn: b.DissolvedOn}
	for _, code := range j.Communities {
		j.CommunityNames = append(j.CommunityNames, cmp.Or(names[code], code))
	}
	return j
}

// places shows what a branch covers: its communities by name and code,
// and its original units.
func (a *app) places(b branchJSON) string {
	out := make([]string, 0, len(b.Communities)+len(b.Units))
	for i, code := range b.Communities {
		s := b.CommunityNames[i]
		if s != code {
			s += "(" + code + ")"
		}
		out = append(out, s)
	}
	out = append(out, b.Units...)
	if len(out) == 0 {
		return "-"
	}
	return strings.Join(out, a.t("、", ", "))
}

// officeBranchCmd is `office branch`.
func (a *app) officeBranchCmd() *cobra.Command {
	cmd := a.group("branch", "Party branches (党支部) held here: list, show, assess, elect, training", "")
	cmd.AddCommand(a.branchListCmd(), a.branchShowCmd(), a.branchAssessCmd(), a.branchElectCmd(), a.branchTrainingCmd(), a.branchFeedbackCmd())
	return cmd
}

// branchListJSON is one branch of branch list.
type branchListJSON struct {
	branchJSON
	Members       int    `json:"members"`
	SecretaryID   string `json:"secretary_id"`
	SecretaryName string `json:"secretary_name"`
}

func (a *app) branchListCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("list", "List the branches held here, with their current members known here and their secretary", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			bs, err := r.Branches(ctx, "")
			if err != nil {
				return err
			}
			ppl, err := loadPeople(ctx, r)
			if err != nil {
				return err
			}
			names, err := communityNames(ctx, r)
			if err != nil {
				return err
			}
			out := make([]branchListJSON, 0, len(bs))
			for _, b := range bs {
				j := branchListJSON{branchJSON: a.toBranchJSON(b, names)}
				ms, err := r.Memberships(ctx, store.MembershipFilter{BranchID: b.ID})
				if err != nil {
					return err
				}
				for _, m := range ms {
					if _, known := ppl[m.CadreID]; known && m.Covers(on) {
						j.Members++
					}
				}
				posts, err := r.Posts(ctx, b.ID)
				if err != nil {
					return err
				}
				for _, p := range posts {
					if p.Role == branch.RoleSecretary && p.Current(on) {
						j.SecretaryID = p.CadreID.String()
						if c, ok := ppl[p.CadreID]; ok {
							j.SecretaryName = c.Name
						}
					}
				}
				out = append(out, j)
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（本机没有党支部：hub 用 wanxia hub branch plan --apply 设立，同步后可见）\n",
					"(no branches here: the hub sets them up with wanxia hub branch plan --apply; they arrive with a sync)\n")
				return nil
			}
			rows := make([][]string, 0, len(out))
			for _, b := range out {
				secretary := cmp.Or(b.SecretaryName, a.t("（不详）", "(unknown)"))
				if b.SecretaryID == "" {
					secretary = "-"
				}
				state := a.t("现有", "exists")
				if !b.DissolvedOn.IsZero() && !b.DissolvedOn.After(on) {
					state = a.tf("%s 撤销", "dissolved %s", b.DissolvedOn)
				}
				rows = append(rows, []string{b.ID.String(), b.Name, b.KindLabel, a.places(b.branchJSON), strconv.Itoa(b.Members), secretary, state})
			}
			return writeTable(a.stdout, []string{"ID", a.t("名称", "name"), a.t("类型", "kind"), a.t("社区", "communities"),
				a.t("党员(本机)", "members here"), a.t("书记", "secretary"), a.t("状态", "state")}, rows)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "count members and secretaries on this date (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

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

func (a *app) toPostJSON(p branch.Post, ppl people) postJSON {
	return postJSON{ID: p.ID, Role: p.Role, RoleLabel: p.Role.Label(a.lang), CadreID: p.CadreID, Name: ppl.name(a, p.CadreID),
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

// branchRecords are a branch's records in this replica.
type branchRecords struct {
	memberships []branch.Membership
	posts       []branch.Post
	meetings    []branch.Meeting
}

func readBranchRecords(ctx context.Context, r *store.Replica, id uuid.UUID) (branchRecords, error) {
	var rec branchRecords
	var err error
	if rec.memberships, err = r.Memberships(ctx, store.MembershipFilter{BranchID: id}); err != nil {
		return rec, err
	}
	if rec.posts, err = r.Posts(ctx, id); err != nil {
		return rec, err
	}
	rec.meetings, err = r.Meetings(ctx, store.MeetingFilter{BranchID: id})
	return rec, err
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
			show, err := a.branchShow(ctx, r, b, on)
			if err != nil {
				return err
			}
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

// branchShow gathers what branch show reports, with the rules applied.
func (a *app) branchShow(ctx context.Context, r *store.Replica, b branch.Branch, on cadre.Date) (branchShowJSON, error) {
	ppl, err := loadPeople(ctx, r)
	if err != nil {
		return branchShowJSON{}, err
	}
	names, err := communityNames(ctx, r)
	if err != nil {
		return branchShowJSON{}, err
	}
	rec, err := readBranchRecords(ctx, r, b.ID)
	if err != nil {
		return branchShowJSON{}, err
	}
	trainings, err := r.Trainings(ctx, uuid.Nil)
	if err != nil {
		return branchShowJSON{}, err
	}
	month := branch.MonthOf(on)
	out := branchShowJSON{Branch: a.toBranchJSON(b, names), On: on, Month: month, Members: []memberJSON{}, Posts: []postJSON{},
		Findings: []findingJSON{}, Meetings: []meetingStatusJSON{}, Deliveries: []deliveryItemJSON{}, Training: []trainingJSON{}}

	var current []cadre.Cadre
	for _, m := range rec.memberships {
		c, known := ppl[m.CadreID]
		if !known || !m.Covers(on) {
			continue
		}
		current = append(current, c)
		out.Members = append(out.Members, memberJSON{CadreID: c.ID, Name: c.Name, Party: c.Party, PartyLabel: c.Party.Label(a.lang),
			Community: c.Community, Since: m.From})
	}
	sortByName(out.Members, func(m memberJSON) string { return m.Name })
	for _, p := range rec.posts {
		if p.Current(on) {
			out.Posts = append(out.Posts, a.toPostJSON(p, ppl))
		}
	}
	slices.SortStableFunc(out.Posts, func(x, y postJSON) int { return cmp.Compare(roleOrder(x.Role), roleOrder(y.Role)) })
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return branchShowJSON{}, err
	}
	for _, f := range branch.CheckCommittee(b, current, rec.posts, on, rules.Branch.Committee) {
		out.Findings = append(out.Findings, findingJSON{Code: f.Code, Label: f.Code.Label(a.lang), Severity: f.Severity,
			SeverityLabel: f.Severity.Label(a.lang), CadreID: idOrEmpty(f.CadreID), Name: ppl.name(a, f.CadreID), Role: f.Role,
			Due: f.Due, Text: f.Text.In(a.lang)})
	}

	monthMembers := branch.MembersDuring(rec.memberships, month.Span(), ppl)
	held := map[uuid.UUID]branch.Meeting{}
	for _, m := range rec.meetings {
		held[m.ID] = m
	}
	for _, st := range branch.MeetingsDue(b, monthMembers, rec.meetings, month, rules.Branch.Meetings) {
		out.Meetings = append(out.Meetings, meetingStatusJSON{Kind: st.Kind, KindLabel: st.Kind.Label(a.lang), From: st.From, To: st.To,
			State: st.State, StateLabel: st.State.Label(a.lang), Meetings: nonNil(st.Meetings)})
		for _, d := range st.Deliveries {
			out.Deliveries = append(out.Deliveries, deliveryItemJSON{MeetingID: d.MeetingID, MeetingKind: st.Kind,
				KindLabel: st.Kind.Label(a.lang), MeetingOn: held[d.MeetingID].On, CadreID: d.CadreID, Name: ppl.name(a, d.CadreID),
				DueBy: d.DueBy, DeliveredOn: d.DeliveredOn, State: d.State, StateLabel: d.State.Label(a.lang)})
		}
	}
	for _, t := range branch.TrainingDue(b, rec.posts, trainings, on, rules.Branch.Training) {
		out.Training = append(out.Training, trainingJSON{CadreID: t.CadreID, Name: ppl.name(a, t.CadreID), Role: t.Role,
			RoleLabel: t.Role.Label(a.lang), From: t.From, To: t.To, Done: t.Done, AttendedOn: t.AttendedOn, Course: t.Course, DueBy: t.DueBy})
	}
	return out, nil
}

// committeeRoles are the posts in the order a committee is listed; the
// elect flags are named by their codes.
var committeeRoles = []branch.Role{branch.RoleSecretary, branch.RoleDeputy, branch.RoleOrganisation, branch.RolePublicity, branch.RoleDiscipline}

// roleOrder is a post's place in committeeRoles.
func roleOrder(r branch.Role) int { return slices.Index(committeeRoles, r) }

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

// assessmentJSON is an assessment with texts in the language asked for.
type assessmentJSON struct {
	BranchID   uuid.UUID       `json:"branch_id"`
	BranchName string          `json:"branch_name"`
	Year       int             `json:"year"`
	On         cadre.Date      `json:"on"`
	Set        string          `json:"set"`
	Met        bool            `json:"met"`
	Text       string          `json:"text"`
	Criteria   []criterionJSON `json:"criteria"`
}

type criterionJSON struct {
	Code       string             `json:"code"`
	Name       string             `json:"name"`
	State      branch.AssessState `json:"state"`
	StateLabel string             `json:"state_label"`
	Score      int                `json:"score"`
	Indicators []indicatorJSON    `json:"indicators"`
}

type indicatorJSON struct {
	Measure      branch.Measure `json:"measure"`
	MeasureLabel string         `json:"measure_label"`
	Target       float64        `json:"target"`
	Assessable   bool           `json:"assessable"`
	Value        float64        `json:"value"`
	Met          bool           `json:"met"`
	Evidence     []string       `json:"evidence"`
}

func (a *app) branchAssessCmd() *cobra.Command {
	var year int
	var on cadre.Date
	var criteriaFile string
	var asJSON bool
	cmd := a.leaf("assess BRANCH", "Assess a branch for a year against the 五好 criteria (or --criteria FILE.json), listing the evidence; the title is for the Party organisation to confer", 1, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		if !cmd.Flags().Changed("year") {
			year = on.Year
		}
		if year < 1949 || year > on.Year {
			return a.usage("--year %d 不对：给出 1949 至 %d 之间的年份", "--year %d: give a year from 1949 to %d", year, on.Year)
		}
		criteria := branch.FiveGood()
		if criteriaFile != "" {
			data, err := os.ReadFile(criteriaFile)
			if err != nil {
				return a.fail(err, "读不了评定标准文件 %s：%v", "cannot read the criteria file %s: %v", criteriaFile, err)
			}
			if criteria, err = branch.LoadCriteria(data); err != nil {
				return a.fail(err, "评定标准文件 %s 不能使用：%v；格式见 wanxia office branch assess --help", "the criteria file %s cannot be used: %v; see wanxia office branch assess --help", criteriaFile, err)
			}
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			in, err := assessmentInput(ctx, r, b, year, on)
			if err != nil {
				return err
			}
			res := branch.Assess(b, in, year, criteria)
			out := a.toAssessmentJSON(b, res, on)
			if asJSON {
				return a.printJSON(out)
			}
			return a.printAssessment(out)
		})
	})
	cmd.Flags().IntVar(&year, "year", 0, "the year assessed (default the year of --on)")
	cmd.Flags().Var(&dateFlag{&on}, "on", "the date of the assessment: in its own year only what was done by then counts (default today)")
	cmd.Flags().StringVar(&criteriaFile, "criteria", "", `a criteria set in JSON instead of 五好: {"name":{"zh":…,"en":…},"criteria":[{"code":…,"name":{…},"indicators":[{"measure":"dues_paid","target":0.95}]}]}`)
	jsonFlag(cmd, &asJSON)
	return cmd
}

// assessmentInput reads the evidence about b for year. Records of other
// branches and cadres may be included: each measure picks out its own.
func assessmentInput(ctx context.Context, r *store.Replica, b branch.Branch, year int, on cadre.Date) (branch.AssessmentInput, error) {
	in := branch.AssessmentInput{}
	if year == on.Year {
		in.On = on
	}
	ppl, err := loadPeople(ctx, r)
	if err != nil {
		return in, err
	}
	rec, err := readBranchRecords(ctx, r, b.ID)
	if err != nil {
		return in, err
	}
	in.Members = branch.MembersDuring(rec.memberships, cadre.Through(cadre.NewDate(year, time.January, 1), cadre.NewDate(year, time.December, 31)), ppl)
	in.Posts, in.Meetings = rec.posts, rec.meetings
	if in.Memberships, err = r.Memberships(ctx, store.MembershipFilter{}); err != nil {
		return in, err
	}
	if in.Payments, err = r.DuesPayments(ctx, uuid.Nil); err != nil {
		return in, err
	}
	if in.Reliefs, err = r.DuesReliefs(ctx, uuid.Nil); err != nil {
		return in, err
	}
	if in.Training, err = r.Trainings(ctx, uuid.Nil); err != nil {
		return in, err
	}
	in.Feedback, err = r.Feedback(ctx, b.ID)
	return in, err
}

func (a *app) toAssessmentJSON(b branch.Branch, res branch.Assessment, on cadre.Date) assessmentJSON {
	out := assessmentJSON{BranchID: b.ID, BranchName: b.Name, Year: res.Year, On: on, Set: res.Set.In(a.lang), Met: res.Met,
		Text: res.Text.In(a.lang), Criteria: []criterionJSON{}}
	for _, c := range res.Criteria {
		cj := criterionJSON{Code: c.Code, Name: c.Name.In(a.lang), State: c.State, StateLabel: c.State.Label(a.lang), Score: c.Score, Indicators: []indicatorJSON{}}
		for _, ind := range c.Indicators {
			ij := indicatorJSON{Measure: ind.Measure, MeasureLabel: ind.Measure.Label(a.lang), Target: ind.Target,
				Assessable: ind.Assessable, Value: ind.Value, Met: ind.Met, Evidence: []string{}}
			for _, e := range ind.Evidence {
				ij.Evidence = append(ij.Evidence, e.In(a.lang))
			}
			cj.Indicators = append(cj.Indicators, ij)
		}
		out.Criteria = append(out.Criteria, cj)
	}
	return out
}

func (a *app) printAssessment(s assessmentJSON) error {
	a.printf("%s  %d年度%s评定（截至 %s）\n", "%s: %d assessment against the %s criteria (as of %s)\n", s.BranchName, s.Year, s.Set, s.On)
	for i, c := range s.Criteria {
		a.printf("\n%d. %s  %s  得分%d\n", "\n%d. %s  %s  score %d\n", i+1, c.Name, c.StateLabel, c.Score)
		for _, ind := range c.Indicators {
			value := a.t("无记录", "nothing recorded")
			if ind.Assessable {
				value = percent(ind.Value)
			}
			verdict := a.t("达到", "met")
			switch {
			case !ind.Assessable:
				verdict = a.t("无法评定", "cannot tell")
			case !ind.Met:
				verdict = a.t("未达到", "not met")
			}
			a.printf("   %s：%s（要求 %s）  %s\n", "   %s: %s (target %s)  %s\n", ind.MeasureLabel, value, percent(ind.Target), verdict)
			for _, e := range ind.Evidence {
				a.printf("      · %s\n", "      - %s\n", e)
			}
		}
	}
	a.printf("\n%s\n", "\n%s\n", s.Text)
	return nil
}

// percent shows a share as a whole percentage.
func percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }

// electJSON is what branch elect recorded.
type electJSON struct {
	BranchID uuid.UUID  `json:"branch_id"`
	On       cadre.Date `json:"on"`
	Ended    []postJSON `json:"ended"`
	Elected  []postJSON `json:"elected"`
	Changed  bool       `json:"changed"`
}

func (a *app) branchElectCmd() *cobra.Command {
	var on cadre.Date
	refs := map[branch.Role]*string{}
	var asJSON bool
	cmd := a.leaf("elect BRANCH", "Record an election (换届选举): the current posts end on --on and the new holders take office (holders: UUID, 8+ characters of it, or ID number)", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if *refs[branch.RoleSecretary] == "" {
			missing = append(missing, "--secretary")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			elected := map[branch.Role]cadre.Cadre{}
			for _, role := range committeeRoles {
				if *refs[role] == "" {
					continue
				}
				c, err := a.findCadre(ctx, r, *refs[role])
				if err != nil {
					return err
				}
				elected[role] = c
			}
			return a.elect(ctx, r, b, on, elected, asJSON)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day of the election: the old posts end and the new begin")
	for _, role := range committeeRoles {
		refs[role] = new(string)
		cmd.Flags().StringVar(refs[role], string(role), "", "the "+role.Label(cadre.English)+" ("+role.Label(cadre.Chinese)+")")
	}
	jsonFlag(cmd, &asJSON)
	return cmd
}

// elect ends the posts held on the day and records the new ones, in one
// transaction. A post that began that very day cannot end that day: it is
// the same election entered again, so its holder is corrected in place.
func (a *app) elect(ctx context.Context, r *store.Replica, b branch.Branch, on cadre.Date, elected map[branch.Role]cadre.Cadre, asJSON bool) error {
	ppl, err := loadPeople(ctx, r)
	if err != nil {
		return err
	}
	out := electJSON{BranchID: b.ID, On: on, Ended: []postJSON{}, Elected: []postJSON{}}
	var refused error // a list the rules refuse: said as it is, not as invalid input
	// The posts are read in the transaction that writes the election, so
	// that two elections entered at once cannot both end the same posts.
	err = r.Update(ctx, func(tx *store.Tx) error {
		posts, err := tx.Posts(b.ID)
		if err != nil {
			return err
		}
		var ending, newPosts []branch.Post
		sameDay := map[branch.Role]branch.Post{}
		for _, p := range posts {
			switch {
			case !p.Current(on):
			case p.TermStart == on:
				if _, again := elected[p.Role]; !again {
					refused = a.fail(nil, "%s 已记录 %s 当天选出的%s %s，这次名单中没有这个职务：同一天选出的职务不能在当天结束；请给出包括该职务的完整名单",
						"%s already has a %s elected on %s (%s) whom this list leaves out: a post cannot end on the day it began; give the whole list, that post included",
						b.Name, on, p.Role.Label(a.lang), ppl.name(a, p.CadreID))
					return refused
				}
				sameDay[p.Role] = p
			default:
				p.EndedOn = on
				ending = append(ending, p)
			}
		}
		for role, c := range elected {
			p, again := sameDay[role]
			if !again {
				p = branch.Post{BranchID: b.ID, Role: role, TermStart: on}
			}
			p.CadreID = c.ID
			newPosts = append(newPosts, p)
		}
		slices.SortFunc(newPosts, func(x, y branch.Post) int { return cmp.Compare(roleOrder(x.Role), roleOrder(y.Role)) })
		all := append(slices.Clone(ending), newPosts...)
		for i := range all {
			changed, err := tx.PutPost(&all[i])
			if err != nil {
				return err
			}
			out.Changed = out.Changed || changed
			if i < len(ending) {
				out.Ended = append(out.Ended, a.toPostJSON(all[i], ppl))
			} else {
				out.Elected = append(out.Elected, a.toPostJSON(all[i], ppl))
			}
		}
		return nil
	})
	if refused != nil {
		return refused
	}
	if err != nil {
		return a.invalid(err, "任职记录", "the post")
	}
	if asJSON {
		return a.printJSON(out)
	}
	if !out.Changed {
		a.printf("没有变化：%s %s 的换届选举已经记录\n", "nothing changed: the election of %s on %s is recorded already\n", b.Name, on)
		return nil
	}
	holders := make([]string, len(out.Elected))
	for i, p := range out.Elected {
		holders[i] = p.RoleLabel + " " + p.Name
	}
	a.printf("已记录%s %s 换届选举：%s", "recorded the election of %s on %s: %s", b.Name, on, strings.Join(holders, a.t("，", ", ")))
	if len(out.Ended) > 0 {
		a.printf("；原任职务%d个于当日结束", "; %d earlier posts end that day", len(out.Ended))
	}
	a.printf("。用 wanxia office branch show 查看班子检查\n", ". See the committee check with wanxia office branch show\n")
	return nil
}

// trainingRecordJSON is what branch training recorded.
type trainingRecordJSON struct {
	ID      uuid.UUID  `json:"id"`
	CadreID uuid.UUID  `json:"cadre_id"`
	Name    string     `json:"name"`
	Course  string     `json:"course"`
	On      cadre.Date `json:"on"`
}

func (a *app) branchTrainingCmd() *cobra.Command {
	var course string
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("training CADRE", "Record that a cadre attended a training course, such as the yearly course for branch secretaries (支部书记培训班)", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if strings.TrimSpace(course) == "" {
			missing = append(missing, "--course")
		}
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			t := branch.TrainingAttendance{CadreID: c.ID, Course: strings.TrimSpace(course), On: on}
			if _, err := r.PutTraining(ctx, &t); err != nil {
				return a.invalid(err, "培训记录", "the training record")
			}
			if asJSON {
				return a.printJSON(trainingRecordJSON{ID: t.ID, CadreID: c.ID, Name: c.Name, Course: t.Course, On: t.On})
			}
			a.printf("已记录 %s 参加%s（%s）\n", "recorded that %s attended %s (%s)\n", c.Name, t.Course, t.On)
			return nil
		})
	})
	cmd.Flags().StringVar(&course, "course", "", "the course, e.g. 2026年度支部书记培训班")
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day attended (the last day of a longer course)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// feedbackJSON is a recorded opinion about a branch.
type feedbackJSON struct {
	ID       uuid.UUID  `json:"id"`
	BranchID uuid.UUID  `json:"branch_id"`
	On       cadre.Date `json:"on"`
	Good     bool       `json:"good"`
	Source   string     `json:"source"`
	Note     string     `json:"note"`
}

func (a *app) branchFeedbackCmd() *cobra.Command {
	var on cadre.Date
	var good, bad, asJSON bool
	var source, note string
	cmd := a.leaf("feedback BRANCH", "Record an opinion of the people a branch serves (群众反映), which the 五好 assessment counts", 1, func(cmd *cobra.Command, args []string) error {
		var missing []string
		if on.IsZero() {
			missing = append(missing, "--on")
		}
		if strings.TrimSpace(source) == "" {
			missing = append(missing, "--source")
		}
		if good == bad {
			missing = append(missing, "--good|--bad")
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s（--good 与 --bad 二选一）", "missing %s (one of --good and --bad)", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			b, err := a.findBranch(ctx, r, args[0])
			if err != nil {
				return err
			}
			f := branch.Feedback{BranchID: b.ID, On: on, Good: good, Source: strings.TrimSpace(source), Note: strings.TrimSpace(note)}
			if _, err := r.PutFeedback(ctx, &f); err != nil {
				return a.invalid(err, "群众反映", "the feedback")
			}
			if asJSON {
				return a.printJSON(feedbackJSON{ID: f.ID, BranchID: b.ID, On: f.On, Good: f.Good, Source: f.Source, Note: f.Note})
			}
			view := a.t("好评", "favourable")
			if !f.Good {
				view = a.t("意见", "unfavourable")
			}
			a.printf("已记录 %s 的群众反映（%s，%s，%s）\n", "recorded feedback about %s (%s, %s, %s)\n", b.Name, view, f.Source, f.On)
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day it was received")
	cmd.Flags().BoolVar(&good, "good", false, "the opinion was favourable")
	cmd.Flags().BoolVar(&bad, "bad", false, "the opinion was unfavourable")
	cmd.Flags().StringVar(&source, "source", "", "where it came from, e.g. 居民座谈会")
	cmd.Flags().StringVar(&note, "note", "", "what was said")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// sortByName sorts in the order of names in Chinese (pinyin).
func sortByName[T any](s []T, name func(T) string) {
	c := chineseCollator()
	slices.SortStableFunc(s, func(x, y T) int { return c.CompareString(name(x), name(y)) })
}
