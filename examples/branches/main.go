// Command branches plans the Party branches (党支部) of a small made-up
// district with the pure branch package and prints what an office would
// read: the proposed branches with every membership move explained, the
// findings about each branch's committee and term, and the Party dues and
// arrears of a few members.
//
//	go run ./examples/branches [--on YYYY-MM-DD] [--lang zh|en] [--json]
//
// The district (district.go) has seven communities of Jinan's old town and
// 128 retired cadres. It is built so that every rule shows: a community
// over the 50-member limit is split, one left with two full members joins
// its neighbour in a joint branch, a member who moved house changes branch
// and one who died leaves the roll, one committee's term is over and
// another's ends soon, a branch that needs a committee has only a
// secretary, and members owe 0, 2, 3 and 6 months of dues, one with a
// reduction and one exempt. The records stand as in late November 2026.
//
// Labels are in Chinese for office staff, or in English with --lang en;
// --json prints the same report as one JSON object.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// errUsage marks a wrong command line, for exit code 2.
var errUsage = errors.New("bad usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(stderr, "branches:", err)
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// options are what the command line asks for.
type options struct {
	on   cadre.Date
	lang cadre.Lang
	json bool
}

// run plans the made-up district's branches on the date the arguments
// name and prints the report to stdout.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseArgs(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := newReport(newDistrict(), opts.on, opts.lang)
	if opts.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	printReport(stdout, wordsFor(opts.lang), rep)
	return nil
}

// parseArgs reads the flags. Help goes to stdout because it was asked for.
func parseArgs(args []string, stdout io.Writer) (options, error) {
	fs := flag.NewFlagSet("branches", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // run reports a mistake in one line, not with the whole usage
	on := fs.String("on", "", "plan for `YYYY-MM-DD` (default today in Asia/Shanghai)")
	lang := fs.String("lang", "zh", "language of the report: zh or en")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, "usage: go run ./examples/branches [--on YYYY-MM-DD] [--lang zh|en] [--json]")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return options{}, err
	} else if err != nil {
		return options{}, fmt.Errorf("%w: %w; see --help", errUsage, err)
	}
	if fs.NArg() > 0 {
		return options{}, fmt.Errorf("%w: unexpected argument %q: the district is built in; see --help", errUsage, fs.Arg(0))
	}
	opts := options{json: *asJSON}
	var err error
	if opts.lang, err = cadre.ParseLang(*lang); err != nil {
		return options{}, fmt.Errorf("%w: --lang: %w", errUsage, err)
	}
	if opts.on, err = planDate(*on); err != nil {
		return options{}, fmt.Errorf("%w: --on: %w", errUsage, err)
	}
	return opts, nil
}

// planDate returns the date on, or today in Shanghai when on is "".
func planDate(on string) (cadre.Date, error) {
	if on != "" {
		return cadre.ParseDate(on)
	}
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		// No time zone database on this machine; China has kept +08:00
		// without daylight saving since 1991, so a fixed zone is exact.
		loc = time.FixedZone("CST", 8*3600)
	}
	return cadre.DateOf(time.Now().In(loc)), nil
}

// report is what the program shows, with labels and texts in one
// language; the text output and the JSON output are two renderings of it.
type report struct {
	On         cadre.Date      `json:"on"`
	Lang       cadre.Lang      `json:"lang"`
	Members    int             `json:"members"`
	Branches   []branchLine    `json:"branches"`
	Moves      []moveLine      `json:"moves"`
	Dissolved  []dissolvedLine `json:"dissolved"`
	Committees []committeeLine `json:"committees"`
	DuesSince  branch.Month    `json:"dues_since"`
	Dues       []duesLine      `json:"dues"`
}

// branchLine is one proposed branch.
type branchLine struct {
	ID             uuid.UUID           `json:"id"`
	Name           string              `json:"name"`
	Kind           branch.Kind         `json:"kind"`
	KindLabel      string              `json:"kind_label"`
	Communities    []string            `json:"communities"`
	CommunityNames []string            `json:"community_names"`
	Members        int                 `json:"members"`
	FullMembers    int                 `json:"full_members"`
	MemberIDs      []uuid.UUID         `json:"member_ids"`
	Change         branch.BranchChange `json:"change"`
	ChangeLabel    string              `json:"change_label"`
	Notes          []string            `json:"notes"`
}

// moveLine is one proposed change of membership; From or To is "" when
// the member has no branch or the membership ends.
type moveLine struct {
	CadreID     uuid.UUID         `json:"cadre_id"`
	Name        string            `json:"name"`
	From        string            `json:"from"`
	To          string            `json:"to"`
	Reason      branch.MoveReason `json:"reason"`
	ReasonLabel string            `json:"reason_label"`
	Text        string            `json:"text"`
}

// dissolvedLine is an existing branch the plan leaves without members.
type dissolvedLine struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
	Text string    `json:"text"`
}

// committeeLine is what CheckCommittee found about one proposed branch.
type committeeLine struct {
	BranchID uuid.UUID     `json:"branch_id"`
	Branch   string        `json:"branch"`
	Findings []findingLine `json:"findings"`
}

type findingLine struct {
	Code          branch.FindingCode `json:"code"`
	Label         string             `json:"label"`
	Severity      branch.Severity    `json:"severity"`
	SeverityLabel string             `json:"severity_label"`
	// Holder is the name of the post holder concerned, if any.
	Holder string     `json:"holder"`
	Due    cadre.Date `json:"due"`
	Text   string     `json:"text"`
}

// duesLine is one member's dues position.
type duesLine struct {
	CadreID     uuid.UUID    `json:"cadre_id"`
	Name        string       `json:"name"`
	Status      cadre.Status `json:"status"`
	StatusLabel string       `json:"status_label"`
	StatusOn    cadre.Date   `json:"status_on"`
	PensionFen  int64        `json:"pension_fen"`
	// StandardDueFen is the due at the pension, before any relief.
	StandardDueFen int64 `json:"standard_due_fen"`
	// MonthlyDueFen is the due of the report's month, after relief.
	MonthlyDueFen int64                `json:"monthly_due_fen"`
	Relief        branch.Relief        `json:"relief"`
	ReliefLabel   string               `json:"relief_label"`
	Unpaid        []branch.Month       `json:"unpaid"`
	ArrearsFen    int64                `json:"arrears_fen"`
	CreditFen     int64                `json:"credit_fen"`
	Consecutive   int                  `json:"consecutive"`
	Action        branch.ArrearsAction `json:"action"`
	ActionLabel   string               `json:"action_label"`
	Text          string               `json:"text"`
}

// newReport plans d's branches on the date on and gathers the report in lang.
func newReport(d *district, on cadre.Date, lang cadre.Lang) report {
	plan := branch.Plan(branch.PlanInput{
		On: on, Cadres: d.cadres, Communities: d.communities, Branches: d.branches, Memberships: d.memberships,
	}, branch.DefaultPlanSettings())
	rep := report{On: on, Lang: lang, Branches: []branchLine{}, Moves: []moveLine{}, Dissolved: []dissolvedLine{},
		Committees: []committeeLine{}, DuesSince: duesSince, Dues: []duesLine{}}

	names := map[string]string{}
	for _, c := range d.communities {
		names[c.Code] = c.Name
	}
	branchNames := map[uuid.UUID]string{}
	for _, b := range d.branches {
		branchNames[b.ID] = b.Name
	}
	for _, pb := range plan.Branches {
		branchNames[pb.Branch.ID] = pb.Branch.Name
		rep.Members += len(pb.Members)
		rep.Branches = append(rep.Branches, newBranchLine(pb, names, lang))
	}
	for _, m := range byDestination(plan) {
		rep.Moves = append(rep.Moves, moveLine{CadreID: m.CadreID, Name: m.Name, From: branchNames[m.From], To: branchNames[m.To],
			Reason: m.Reason, ReasonLabel: m.Reason.Label(lang), Text: m.Text.In(lang)})
	}
	for _, x := range plan.Dissolved {
		rep.Dissolved = append(rep.Dissolved, dissolvedLine{ID: x.BranchID, Name: x.Name, Text: x.Text.In(lang)})
	}

	cadres := map[uuid.UUID]cadre.Cadre{}
	for _, c := range d.cadres {
		cadres[c.ID] = c
	}
	for _, pb := range plan.Branches {
		members := make([]cadre.Cadre, len(pb.Members))
		for i, id := range pb.Members {
			members[i] = cadres[id]
		}
		line := committeeLine{BranchID: pb.Branch.ID, Branch: pb.Branch.Name, Findings: []findingLine{}}
		for _, f := range branch.CheckCommittee(pb.Branch, members, d.posts, on, branch.DefaultCommitteeSettings()) {
			line.Findings = append(line.Findings, findingLine{Code: f.Code, Label: f.Code.Label(lang),
				Severity: f.Severity, SeverityLabel: f.Severity.Label(lang), Holder: cadres[f.CadreID].Name, Due: f.Due, Text: f.Text.In(lang)})
		}
		rep.Committees = append(rep.Committees, line)
	}

	settings := branch.DefaultDuesSettings()
	settings.Since = duesSince
	for _, id := range d.duesShown {
		c := cadres[id]
		st := branch.Arrears(c, d.memberships, d.payments, d.reliefs, on, settings)
		rep.Dues = append(rep.Dues, newDuesLine(c, st, lang))
	}
	return rep
}

// byDestination returns the plan's moves as an office reads them: by the
// branch they go to, in the plan's order, the memberships that end last,
// and by name in pinyin order within each. Plan sorts them by cadre ID,
// which is stable but reads as no order at all.
func byDestination(plan branch.Proposal) []branch.Move {
	index := map[uuid.UUID]int{uuid.Nil: len(plan.Branches)}
	for i, pb := range plan.Branches {
		index[pb.Branch.ID] = i
	}
	names := collate.New(language.Chinese)
	moves := slices.Clone(plan.Moves)
	slices.SortStableFunc(moves, func(a, b branch.Move) int {
		return cmp.Or(cmp.Compare(index[a.To], index[b.To]), names.CompareString(a.Name, b.Name))
	})
	return moves
}

func newBranchLine(pb branch.PlannedBranch, names map[string]string, lang cadre.Lang) branchLine {
	b := pb.Branch
	line := branchLine{ID: b.ID, Name: b.Name, Kind: b.Kind, KindLabel: b.Kind.Label(lang),
		Communities: b.Communities, CommunityNames: make([]string, len(b.Communities)),
		Members: len(pb.Members), FullMembers: pb.FullMembers, MemberIDs: pb.Members,
		Change: pb.Change, ChangeLabel: pb.Change.Label(lang), Notes: make([]string, len(pb.Notes))}
	for i, code := range b.Communities {
		line.CommunityNames[i] = names[code]
	}
	for i, n := range pb.Notes {
		line.Notes[i] = n.In(lang)
	}
	return line
}

func newDuesLine(c cadre.Cadre, st branch.ArrearsStatus, lang cadre.Lang) duesLine {
	line := duesLine{CadreID: c.ID, Name: c.Name, Status: c.Status, StatusLabel: c.Status.Label(lang), StatusOn: c.StatusOn,
		PensionFen: c.PensionFen, StandardDueFen: branch.RetiredMonthlyDues(c.PensionFen), MonthlyDueFen: st.MonthlyDueFen,
		Unpaid: st.Unpaid, ArrearsFen: st.ArrearsFen, CreditFen: st.CreditFen, Consecutive: st.Consecutive,
		Action: st.Action, ActionLabel: st.Action.Label(lang), Text: st.Text.In(lang)}
	// ArrearsStatus gives the month's due after relief but not the relief
	// itself, so it is told from the difference.
	switch {
	case line.MonthlyDueFen == line.StandardDueFen:
		line.Relief = branch.ReliefNone
	case line.MonthlyDueFen == 0:
		line.Relief = branch.ReliefExempt
	default:
		line.Relief = branch.ReliefReduced
	}
	line.ReliefLabel = line.Relief.Label(lang)
	return line
}

// words are the texts of the report in one language.
type words struct {
	lang          cadre.Lang
	heading       string // date
	summary       string // members, branches, moves, dissolved
	branches      string
	branch        string // name, kind, communities, members, full members, change
	joiner        string // between communities and months
	note          string
	moves         string
	dissolved     string
	dissolvedLine string // name, why
	committees    string
	finding       string // severity, label, text
	holder        string // name
	noFinding     string
	dues          string // first month examined, last month examined
	duesLine      string // name, pension, due, unpaid, action, text
	monthly       string // due, relief
	relieved      string // relief, standard due
	notOnRoll     string // status, date
	unpaid        string // months, list, amount
	noUnpaid      string
	credit        string // amount
}

var chinese = words{
	lang:          cadre.Chinese,
	heading:       "示例城区离退休干部党支部设置方案，截至 %s\n",
	summary:       "在册党员%d名，拟设党支部%d个；组织关系调整%d人次，撤销党支部%d个\n",
	branches:      "\n一、党支部\n",
	branch:        "%s  %s  %s  党员%d名（正式党员%d名）  %s\n",
	joiner:        "、",
	note:          "    · %s\n",
	moves:         "\n二、组织关系调整\n",
	dissolved:     "\n撤销的党支部\n",
	dissolvedLine: "  %s：%s\n",
	committees:    "\n三、支部班子\n",
	finding:       "    %s  %s：%s\n",
	holder:        "（%s）",
	noFinding:     "    未发现问题\n",
	dues:          "\n四、党费（核对 %s 至 %s）\n",
	duesLine:      "%s  基本离退休费%s元  %s  %s  %s：%s",
	monthly:       "月交党费%s元%s",
	relieved:      "（%s，标准%s元）",
	notOnRoll:     "%s %s，党费至此终止",
	unpaid:        "未交%d个月（%s）共%s元",
	noUnpaid:      "无欠交",
	credit:        "  多交%s元，应退还或按本人（家属）意愿处理",
}

var english = words{
	lang:          cadre.English,
	heading:       "Proposed Party branches of the sample district's retired cadres, as of %s\n",
	summary:       "%d members on the roll in %d branches; %d membership changes, %d branches dissolved\n",
	branches:      "\n1. Branches\n",
	branch:        "%s  %s  %s  %d members (%d full)  %s\n",
	joiner:        ", ",
	note:          "    - %s\n",
	moves:         "\n2. Membership changes\n",
	dissolved:     "\nBranches dissolved\n",
	dissolvedLine: "  %s: %s\n",
	committees:    "\n3. Committees\n",
	finding:       "    %s  %s — %s\n",
	holder:        " (%s)",
	noFinding:     "    nothing found\n",
	dues:          "\n4. Party dues (checked %s to %s)\n",
	duesLine:      "%s  pension %s yuan  %s  %s  %s: %s",
	monthly:       "dues %s yuan a month%s",
	relieved:      " (%s; standard %s yuan)",
	notOnRoll:     "%s %s: dues end",
	unpaid:        "%d months unpaid (%s), %s yuan",
	noUnpaid:      "nothing unpaid",
	credit:        "  overpaid %s yuan: refund it or apply it as the member (or family) asks",
}

func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return english
	}
	return chinese
}

// printReport prints rep as text.
func printReport(w io.Writer, t words, rep report) {
	fmt.Fprintf(w, t.heading, rep.On)
	fmt.Fprintf(w, t.summary, rep.Members, len(rep.Branches), len(rep.Moves), len(rep.Dissolved))

	fmt.Fprint(w, t.branches)
	for _, b := range rep.Branches {
		fmt.Fprintf(w, t.branch, b.Name, b.KindLabel, communityList(t, b), b.Members, b.FullMembers, b.ChangeLabel)
		for _, n := range b.Notes {
			fmt.Fprintf(w, t.note, n)
		}
	}
	fmt.Fprint(w, t.moves)
	for _, m := range rep.Moves {
		fmt.Fprintln(w, "  "+m.Text)
	}
	if len(rep.Dissolved) > 0 {
		fmt.Fprint(w, t.dissolved)
		for _, x := range rep.Dissolved {
			fmt.Fprintf(w, t.dissolvedLine, x.Name, x.Text)
		}
	}

	fmt.Fprint(w, t.committees)
	for _, c := range rep.Committees {
		fmt.Fprintln(w, "  "+c.Branch)
		if len(c.Findings) == 0 {
			fmt.Fprint(w, t.noFinding)
		}
		for _, f := range c.Findings {
			text := f.Text
			if f.Holder != "" && !strings.Contains(text, f.Holder) {
				text += fmt.Sprintf(t.holder, f.Holder)
			}
			fmt.Fprintf(w, t.finding, f.SeverityLabel, f.Label, text)
		}
	}

	fmt.Fprintf(w, t.dues, rep.DuesSince, monthBefore(rep.On))
	for _, d := range rep.Dues {
		fmt.Fprintln(w, "  "+duesText(t, d))
	}
}

func communityList(t words, b branchLine) string {
	out := make([]string, len(b.Communities))
	for i, code := range b.Communities {
		out[i] = b.CommunityNames[i]
		if t.lang == cadre.English {
			out[i] += " (" + code + ")"
		}
	}
	return strings.Join(out, t.joiner)
}

// monthBefore is the last month Arrears examines on the date on: a month
// may be paid until its end.
func monthBefore(on cadre.Date) branch.Month { return branch.MonthOf(on).Add(-1) }

func duesText(t words, d duesLine) string {
	var due string
	switch {
	case d.Status != cadre.StatusActive:
		// Arrears still gives the due at the pension: nothing is owed, but
		// the due would mislead.
		due = fmt.Sprintf(t.notOnRoll, d.StatusLabel, d.StatusOn)
	case d.Relief != branch.ReliefNone:
		due = fmt.Sprintf(t.monthly, cadre.FormatYuan(d.MonthlyDueFen), fmt.Sprintf(t.relieved, d.ReliefLabel, cadre.FormatYuan(d.StandardDueFen)))
	default:
		due = fmt.Sprintf(t.monthly, cadre.FormatYuan(d.MonthlyDueFen), "")
	}
	unpaid := t.noUnpaid
	if len(d.Unpaid) > 0 {
		months := make([]string, len(d.Unpaid))
		for i, m := range d.Unpaid {
			months[i] = m.String()
		}
		unpaid = fmt.Sprintf(t.unpaid, len(d.Unpaid), strings.Join(months, t.joiner), cadre.FormatYuan(d.ArrearsFen))
	}
	s := fmt.Sprintf(t.duesLine, d.Name, cadre.FormatYuan(d.PensionFen), due, unpaid, d.ActionLabel, d.Text)
	if d.CreditFen > 0 {
		s += fmt.Sprintf(t.credit, cadre.FormatYuan(d.CreditFen))
	}
	return s
}
