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
// --json prints the same report as one JSON object. The exit code is 2
// when the command line is wrong.
//
// The files: district.go describes the communities and the people the
// rules need; build.go makes the records from them, drawing the other
// members with a seeded demo.Generator; dues.go records the year's dues;
// plan.go runs the rules and gathers the report (main.go declares it);
// text.go prints it in either language. Package demo holds the command
// line the examples share.
package main

import (
	"context"
	"io"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
)

// command is the program's command line; see the package comment.
var command = demo.Command{
	Name:  "branches",
	Usage: "go run ./examples/branches [--on YYYY-MM-DD] [--lang zh|en] [--json]",
	On:    "plan for",
	JSON:  true,
}

func main() { command.Main(run) }

// run plans the made-up district's branches on the date the arguments
// name and prints the report to stdout.
func run(ctx context.Context, args []string, stdout, _ io.Writer) error {
	f, err := command.Parse(args, stdout)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rep := newReport(newDistrict(), f.On, f.Lang)
	if f.JSON {
		return demo.PrintJSON(stdout, rep)
	}
	printReport(stdout, wordsFor(f.Lang), rep)
	return nil
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
