package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
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
			return cadre.WordedZH(fmt.Errorf("month %s is named twice", m), fmt.Sprintf("月份 %s 写了两次：每个月只写一次", m))
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

// findBranch resolves REF to a live branch: by its UUID, a unique prefix
// of 8+ characters, or a name no other branch has.
func (a *app) findBranch(ctx context.Context, r *store.Replica, ref string) (branch.Branch, error) {
	m, err := a.resolve(ctx, r, desk.KindBranch, branchNoun, ref)
	if err != nil {
		return branch.Branch{}, err
	}
	b, err := r.Branch(ctx, m.ID)
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
	p, err := desk.CadresByID(ctx, r)
	return people(p), err
}

// name is a cadre's name, or a mark that the cadre is not held here.
func (p people) name(a *app, id uuid.UUID) string {
	c, ok := p[id]
	return a.refName(desk.MemberRef{ID: id, Name: c.Name, Held: ok})
}

// refName names a cadre a desk view refers to as people.name does: "" for
// no one, a mark for a cadre not held here.
func (a *app) refName(m desk.MemberRef) string {
	if m.ID == uuid.Nil {
		return ""
	}
	if m.Held {
		return m.Name
	}
	return a.tf("（不在本机：%s）", "(not held here: %s)", m.ID.String()[:8])
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

func (a *app) toBranchJSON(v desk.BranchView) branchJSON {
	b := v.Branch
	return branchJSON{ID: b.ID, Name: b.Name, Kind: b.Kind, KindLabel: b.Kind.Label(a.lang), Communities: nonNil(b.Communities),
		CommunityNames: nonNil(v.CommunityNames), Units: nonNil(b.Units), FoundedOn: b.FoundedOn, DissolvedOn: b.DissolvedOn}
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
			list, err := desk.ListBranches(cmd.Context(), r, desk.ListBranchesInput{On: on})
			if err != nil {
				return err
			}
			out := make([]branchListJSON, 0, len(list))
			for _, b := range list {
				j := branchListJSON{branchJSON: a.toBranchJSON(b.BranchView), Members: b.Members, SecretaryName: b.Secretary.Name}
				if b.Secretary.ID != uuid.Nil {
					j.SecretaryID = b.Secretary.ID.String()
				}
				out = append(out, j)
			}
			if asJSON {
				return a.printJSON(out)
			}
			return a.printBranchList(out, on)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "count members and secretaries on this date (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printBranchList(out []branchListJSON, on cadre.Date) error {
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
}

// sortByName sorts in the order of names in Chinese (pinyin).
func sortByName[T any](s []T, name func(T) string) {
	c := chineseCollator()
	slices.SortStableFunc(s, func(x, y T) int { return c.CompareString(name(x), name(y)) })
}

// chineseCollator orders Chinese names by pinyin. A collator is not safe
// for concurrent use, so each sort takes its own.
func chineseCollator() *collate.Collator { return collate.New(language.Chinese) }
