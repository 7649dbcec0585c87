package report

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// Errors that callers test with errors.Is.
var (
	// ErrOptions: the options cannot make a report (no date, an unknown kind).
	ErrOptions = errors.New("invalid report options")
	// ErrHubOnly: the report needs the hub's replica (the sync summary).
	ErrHubOnly = errors.New("this report is made on the hub")
)

// Kind is one of the reports.
type Kind string

// Kinds of report, in the order a workbook of all of them lists them.
const (
	// Visits: visits overdue and due soon (走访提醒).
	Visits Kind = "visits"
	// Pairs: 1对5 pairing coverage and the helpers' load.
	Pairs Kind = "pairs"
	// Branches: branch coverage, committees and elections, meetings missed,
	// 送学上门 outstanding.
	Branches Kind = "branches"
	// Dues: Party dues in arrears.
	Dues Kind = "dues"
	// Nearby: four-nearby (四就近) coverage.
	Nearby Kind = "nearby"
	// Invitations: the spring forum invitation list.
	Invitations Kind = "invitations"
	// Completeness: per community, who lacks what in the cadres' records
	// (未填), most needed first, and who needs a first home visit to find
	// out.
	Completeness Kind = "completeness"
	// Sync: each office's syncs over a period (hub only).
	Sync Kind = "sync"
)

var kinds = cadre.NewEnum[Kind]("report",
	cadre.L("visits", "走访", "visits due"),
	cadre.L("pairs", "结对", "1-to-5 pairing"),
	cadre.L("branches", "党支部", "Party branches"),
	cadre.L("dues", "党费", "Party dues"),
	cadre.L("nearby", "四就近", "four nearby"),
	cadre.L("invitations", "邀请名单", "spring forum invitations"),
	cadre.L("completeness", "信息完整性", "record completeness"),
	cadre.L("sync", "同步", "sync summary"),
)

// ParseKind parses a code ("visits") or label ("走访").
func ParseKind(s string) (Kind, error) { return kinds.Parse(s) }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return kinds.Valid(k) }

// Label returns k's label in lang.
func (k Kind) Label(lang cadre.Lang) string { return kinds.Label(k, lang) }

// HubOnly reports whether the report needs the hub's replica.
func (k Kind) HubOnly() bool { return k == Sync }

// AllKinds returns every kind in order.
func AllKinds() []Kind {
	out := make([]Kind, 0, len(kinds.Values))
	for _, v := range kinds.Values {
		out = append(out, Kind(v.Code))
	}
	return out
}

// KindChoices lists the kinds as "code 标签, …" for messages.
func KindChoices() string { return kinds.Choices() }

// Settings are the rules' settings the reports apply. Each district may
// differ; DefaultSettings gives the numbers of the domain notes.
type Settings struct {
	// Schedule is for the visits report.
	Schedule care.ScheduleSettings
	// UpcomingDays is how far ahead the visits report lists visits not yet
	// overdue: 14 days.
	UpcomingDays int
	// Assign is for the pairs report; it never rebalances, since the report
	// shows the pairs as they stand.
	Assign care.AssignSettings
	// Branch is for the branches and dues reports.
	Branch branch.Settings
	// Venue is for the nearby report.
	Venue venue.Settings
}

// DefaultSettings returns every rule's default settings.
func DefaultSettings() Settings {
	return Settings{
		Schedule:     care.DefaultScheduleSettings(),
		UpcomingDays: 14,
		Assign:       care.DefaultAssignSettings(),
		Branch:       branch.DefaultSettings(),
		Venue:        venue.DefaultSettings(),
	}
}

// Options say what a report is made for.
type Options struct {
	// On is the date the report is made for (required): who is on the roll,
	// what is due and overdue, which months are owed.
	On cadre.Date
	// Now is when the report is made; it is printed, and it is the end of
	// the sync summary's period. Zero leaves it out.
	Now time.Time
	// Communities are the communities reported on (an office's); nil means
	// every community in the replica: the district on the hub, the
	// communities of the cadres held on an office.
	Communities []string
	// Since is the start of the sync summary's period; zero means the start
	// of the day before On, in Asia/Shanghai.
	Since time.Time
	// Settings are the rules' settings; nil means DefaultSettings().
	Settings *Settings
}

// Text is a phrase in both languages of the reports.
type Text struct {
	Zh string `json:"zh"`
	En string `json:"en"`
}

// In returns t in lang: English when asked for, Chinese otherwise.
func (t Text) In(lang cadre.Lang) string {
	if lang == cadre.English {
		return t.En
	}
	return t.Zh
}

// tf formats a Text from a format in each language and the same arguments.
func tf(zh, en string, args ...any) Text {
	return Text{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)}
}

// Label is an enumerated cell: JSON carries its code, people read its label.
type Label struct {
	Code string
	Text
}

// labelOf makes a Label from anything with a code and a Label method, as
// the enumerations of the domain packages have.
func labelOf[T ~string](v T, label func(T, cadre.Lang) string) Label {
	if v == "" {
		return Label{}
	}
	return Label{Code: string(v), Text: Text{Zh: label(v, cadre.Chinese), En: label(v, cadre.English)}}
}

// Yuan is an amount of money in fen, shown in yuan with two decimals
// (cadre.FormatYuan).
type Yuan int64

// Column is one column of a table.
type Column struct {
	// Key is the column's JSON key, snake_case.
	Key string
	// Zh and En are the headers.
	Zh, En string
	// Width is the column's width in a spreadsheet, in characters of the
	// default font (a Chinese character takes two).
	Width int
}

// Header returns the column's header in lang.
func (c Column) Header(lang cadre.Lang) string { return Text{c.Zh, c.En}.In(lang) }

// Table is one table of a report, and one sheet of a workbook.
type Table struct {
	// Key names the table in JSON, snake_case.
	Key string
	// Name is the table's title, and the sheet's name: at most 31
	// characters in either language, none of : \ / ? * [ ].
	Name Text
	// Columns are the columns, in order.
	Columns []Column
	// Rows hold one cell per column: string, int64, float64, cadre.Date,
	// bool, Label, Text or Yuan.
	Rows [][]any
	// Summary is a line under the table; empty when there is none.
	Summary Text
}

// add appends a row; it must have a cell per column.
func (t *Table) add(cells ...any) {
	if len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("report: table %s: %d cells for %d columns", t.Key, len(cells), len(t.Columns)))
	}
	t.Rows = append(t.Rows, cells)
}

// Community is a community as a report names it.
type Community struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Scope is what a report covers.
type Scope struct {
	// All is true when the report covers the whole replica.
	All bool
	// Hub is true when the replica is the hub's: All then means the
	// district.
	Hub bool
	// Communities are the communities covered, by code.
	Communities []Community
}

// Label says what the report covers, in both languages.
func (s Scope) Label() Text {
	names := make([]string, 0, len(s.Communities))
	for _, c := range s.Communities {
		names = append(names, c.Name)
	}
	zh, en := strings.Join(names, "、"), strings.Join(names, ", ")
	switch {
	case s.All && s.Hub && len(s.Communities) == 1:
		return Text{Zh: "全区（1 个社区）", En: "the district (1 community)"}
	case s.All && s.Hub:
		return tf("全区（%d 个社区）", "the district (%d communities)", len(s.Communities))
	case s.All:
		return Text{Zh: "本机（" + zh + "）", En: "this office (" + en + ")"}
	}
	return Text{Zh: zh, En: en}
}

// Report is one report: its kind, title, date, scope and tables.
type Report struct {
	Kind  Kind
	Title Text
	// On is the date the report is made for.
	On cadre.Date
	// Now is when it was made; zero when not given.
	Now   time.Time
	Scope Scope
	// Tables are the report's tables, at least one.
	Tables []*Table
}

// Build makes the report of kind k from the replica r. It reads r through
// syncsvc's exported API, in as few reads as the report needs, and applies
// the rules of the domain packages. Errors wrap ErrOptions for options that
// cannot make a report, ErrHubOnly for the sync summary on an office's
// replica, and what reading r failed with.
func Build(ctx context.Context, r *store.Replica, k Kind, o Options) (*Report, error) {
	return build(ctx, r, k, o, newCache(ctx, r))
}

func build(ctx context.Context, r *store.Replica, k Kind, o Options, c *cache) (*Report, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: unknown report %q; choose one of %s", ErrOptions, k, KindChoices())
	}
	if o.On.IsZero() || !o.On.Valid() {
		return nil, fmt.Errorf("%w: a report needs the date it is made for", ErrOptions)
	}
	if k.HubOnly() && r.Role() != syncsvc.RoleHub {
		return nil, fmt.Errorf("report %s: %w", k, ErrHubOnly)
	}
	b, err := newBuilder(ctx, r, o, c)
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", k, err)
	}
	build := map[Kind]func() ([]*Table, error){
		Visits: b.visits, Pairs: b.pairs, Branches: b.branches, Dues: b.dues,
		Nearby: b.nearby, Invitations: b.invitations, Completeness: b.completeness, Sync: b.sync,
	}[k]
	tables, err := build()
	if err != nil {
		return nil, fmt.Errorf("report %s: %w", k, err)
	}
	return &Report{Kind: k, Title: titles[k], On: o.On, Now: o.Now, Scope: b.scope, Tables: tables}, nil
}

// BuildAll makes every report the replica can make (all but the sync
// summary on an office), in the order of AllKinds.
func BuildAll(ctx context.Context, r *store.Replica, o Options) ([]*Report, error) {
	return buildAll(ctx, r, o, newCache(ctx, r))
}

// buildAll is BuildAll reading through c, which may serve other scopes too.
func buildAll(ctx context.Context, r *store.Replica, o Options, c *cache) ([]*Report, error) {
	var out []*Report
	for _, k := range kindsOf(r) {
		rep, err := build(ctx, r, k, o, c)
		if err != nil {
			return nil, err
		}
		out = append(out, rep)
	}
	return out, nil
}

// kindsOf returns the kinds the replica can make, in the order of
// AllKinds: all but the sync summary on an office.
func kindsOf(r *store.Replica) []Kind {
	var out []Kind
	for _, k := range AllKinds() {
		if !k.HubOnly() || r.Role() == syncsvc.RoleHub {
			out = append(out, k)
		}
	}
	return out
}

var titles = map[Kind]Text{
	Visits:       {"走访提醒：逾期与近期到期", "Visits overdue and due soon"},
	Pairs:        {"1对5结对覆盖情况", "1-to-5 pairing coverage"},
	Branches:     {"离退休干部党支部情况", "Retired cadres' Party branches"},
	Dues:         {"党费欠交情况", "Party dues in arrears"},
	Nearby:       {"四就近覆盖情况", "Four-nearby coverage"},
	Invitations:  {"春季座谈会邀请名单", "Spring forum invitation list"},
	Completeness: {"干部信息完整性：缺项与需入户了解的人", "Record completeness: unknown fields, and who to visit to find out"},
	Sync:         {"各办公室同步汇总", "Sync summary by office"},
}

// sortedCodes returns the codes sorted, without repeats or empties.
func sortedCodes(codes []string) []string {
	out := slices.DeleteFunc(slices.Clone(codes), func(s string) bool { return strings.TrimSpace(s) == "" })
	slices.Sort(out)
	return slices.Compact(out)
}
