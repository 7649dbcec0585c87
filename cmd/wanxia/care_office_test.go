package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// careOffice is an office of sy that syncs with a hub served over
// httptest, with four cadres: three who need a pair and 潘建新, who needs
// none. ids and numbers are by name.
type careOffice struct {
	*office
	hubDB   string
	ids     map[string]string
	numbers map[string]string
}

// newCareOffice registers the office at a new hub, serves the hub, and
// adds the office's cadres.
func newCareOffice(t *testing.T) *careOffice {
	t.Helper()
	hubDB := newHubDB(t, t.TempDir())
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "舜园社区办公室", "--communities", "sy")...)
	r, err := store.Open(context.Background(), hubDB, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(func() {
		srv.Close()
		assert.NoError(t, r.Close())
	})
	// The office began, and registered its cadres, on 1 September: what
	// fell due since is owed (a visit is owed from the day it could be
	// known, docs/domain.md).
	o := &careOffice{office: &office{t: t, db: filepath.Join(t.TempDir(), "sy-1.db")}, hubDB: hubDB, ids: map[string]string{}, numbers: map[string]string{}}
	okAt(t, careRegistered, "office", "init", "--db", o.db, "--hub", srv.URL, "--office", "sy-1", "--token", added["token"].(string))
	for _, c := range []struct {
		name, birth string
		seq         int
		extra       []string
	}{
		{"周桂兰", "19520418", 4, []string{"--health", "serious", "--lat", "36.6524", "--lng", "117.0391"}}, // tier 2
		{"王建国", "19400315", 1, []string{"--lat", "36.6509", "--lng", "117.0459"}},                        // 86, alone: tier 3
		{"曹秀珍", "19361205", 2, []string{"--lat", "36.6502", "--lng", "117.0403"}},                        // 90 on 2026-12-05
		{"潘建新", "19530808", 3, nil}, // 73: no pair
	} {
		o.numbers[c.name] = testkit.IDNumberFor("370102", c.birth, c.seq)
		var added map[string]any
		require.NoError(t, json.Unmarshal([]byte(okAt(t, careRegistered, append(append([]string{"office", "cadre", "add"},
			cadreArgs(c.name, o.numbers[c.name], "sy", c.extra...)...), "--db", o.db, "--json")...)), &added))
		o.ids[c.name] = added["id"].(string)
	}
	return o
}

// careRegistered is when the careOffice began and registered its cadres.
var careRegistered = time.Date(2026, 9, 1, 10, 0, 0, 0, syncsvc.Shanghai())

// pairAtHub sends the cadres to the hub, pairs them with one helper from
// 2026-10-01, and brings the helper and the pairs back.
func (o *careOffice) pairAtHub(t *testing.T) {
	t.Helper()
	o.ok("sync")
	ok(t, hubArgs(o.hubDB, "helper", "add", "--name", "王立军", "--lat", "36.6615", "--lng", "117.0195", "--from", "2026-01-01")...)
	assert.Contains(t, ok(t, hubArgs(o.hubDB, "pair", "assign", "--on", "2026-10-01", "--apply")...), "新建结对 3 个")
	o.ok("sync")
}

// dueItem is one item of visit due --json.
type dueItem struct {
	Name        string `json:"name"`
	Kind        string `json:"kind"`
	KindLabel   string `json:"kind_label"`
	Milestone   int    `json:"milestone"`
	DueOn       string `json:"due_on"`
	WindowStart string `json:"window_start"`
	WindowEnd   string `json:"window_end"`
	Overdue     bool   `json:"overdue"`
	State       string `json:"state"`
	StateLabel  string `json:"state_label"`
	HelperName  string `json:"helper_name"`
	StayID      string `json:"stay_id"`
	SatisfiedBy *struct {
		Kind   string `json:"kind"`
		On     string `json:"on"`
		ByName string `json:"by_name"`
	} `json:"satisfied_by"`
}

func (o *careOffice) dues(t *testing.T, args ...string) []dueItem {
	t.Helper()
	var out []dueItem
	o.okJSON(&out, append([]string{"visit", "due"}, args...)...)
	return out
}

// brief shows a due as state, kind, cadre and date.
func brief(ds []dueItem) []string {
	out := []string{}
	for _, d := range ds {
		out = append(out, d.StateLabel+" "+d.KindLabel+" "+d.Name+" "+d.DueOn)
	}
	return out
}

func TestPairsAndVisitsDueAtTheOffice(t *testing.T) {
	o := newCareOffice(t)
	o.pairAtHub(t)

	var pairs []map[string]any
	o.okJSON(&pairs, "pair", "list", "--on", "2026-11-28")
	assert.Equal(t, []string{"曹秀珍", "王建国", "周桂兰"}, names(t, pairs))
	for _, p := range pairs {
		assert.Equal(t, "王立军", p["helper_name"])
		assert.Equal(t, "2026-10-01", p["since"])
	}
	assert.Equal(t, float64(2), pairs[2]["tier"])
	assert.Equal(t, "serious_health", pairs[2]["reason"])
	out := o.ok("pair", "list", "--on", "2026-11-28")
	assert.Contains(t, out, "结对帮扶（2026-11-28，3 对）")
	assert.Regexp(t, `周桂兰\s+第2档 重病或失能\s+王立军\s+2026-10-01\s+重病或失能`, out)
	assert.Equal(t, "[]\n", o.ok("pair", "list", "--on", "2026-09-30", "--json"))

	// The Double Ninth visits of 2026 (10-18) went to all but 曹秀珍, and
	// 王建国 had a call too. A visit at home counts as the month's contact
	// and the quarter's home visit as well (care.DueKind.Accepts).
	for _, name := range []string{"周桂兰", "王建国", "潘建新"} {
		o.ok("visit", "add", o.numbers[name], "--kind", "节日走访", "--on", "2026-10-16")
	}
	o.ok("visit", "add", o.ids["王建国"], "--kind", "call", "--on", "2026-10-20", "--by", "王立军", "--notes", "身体尚好")

	assert.Equal(t, []string{
		"逾期 重阳节走访 曹秀珍 2026-10-18",
		"逾期 月度电话或视频联系 曹秀珍 2026-10-31",
		"待走访 月度电话或视频联系 曹秀珍 2026-11-30",
		"待走访 月度电话或视频联系 王建国 2026-11-30",
		"待走访 月度电话或视频联系 周桂兰 2026-11-30",
		"待走访 逢十寿辰（90岁） 曹秀珍 2026-12-05",
		"待走访 季度入户走访 曹秀珍 2026-12-31",
	}, brief(o.dues(t, "--on", "2026-11-28")), "overdue first, then by due date, then by name in pinyin order")
	ds := o.dues(t, "--on", "2026-11-28")
	assert.Equal(t, "2026-10-04", ds[0].WindowStart)
	assert.Equal(t, "2026-10-25", ds[0].WindowEnd)
	assert.Equal(t, "王立军", ds[0].HelperName)
	assert.Equal(t, "overdue", ds[0].State)
	assert.True(t, ds[1].Overdue)
	assert.False(t, ds[2].Overdue)
	assert.Equal(t, "birthday", ds[5].Kind)
	assert.Equal(t, 90, ds[5].Milestone)

	lines := strings.Split(o.ok("visit", "due", "--on", "2026-11-28"), "\n")
	assert.Equal(t, "应走访事项（2026-11-28）：逾期 2 项，待走访 5 项", lines[0])
	assert.Equal(t, []string{"状态", "走访事项", "应于", "时间窗口", "干部", "帮扶人"}, strings.Fields(lines[1]))
	assert.Equal(t, []string{"逾期", "重阳节走访", "2026-10-18", "2026-10-04", "至", "2026-10-25", "曹秀珍", "王立军"}, strings.Fields(lines[2]))
	assert.Equal(t, []string{"待走访", "逢十寿辰（90岁）", "2026-12-05", "2026-11-21", "至", "2026-12-12", "曹秀珍", "王立军"}, strings.Fields(lines[7]))
	assert.Contains(t, lines[9], "wanxia office visit add")

	out = o.ok("visit", "add", o.numbers["曹秀珍"], "--kind", "入户走访", "--on", "2026-11-20", "--by", "王立军")
	assert.Contains(t, out, "已记录 曹秀珍 入户走访（2026-11-20，王立军）")
	assert.Contains(t, out, "  计入：月度电话或视频联系（应于 2026-11-30）\n  计入：季度入户走访（应于 2026-12-31）\n")
	assert.Equal(t, []string{
		"逾期 重阳节走访 曹秀珍 2026-10-18",
		"逾期 月度电话或视频联系 曹秀珍 2026-10-31",
		"待走访 月度电话或视频联系 王建国 2026-11-30",
		"待走访 月度电话或视频联系 周桂兰 2026-11-30",
		"待走访 逢十寿辰（90岁） 曹秀珍 2026-12-05",
	}, brief(o.dues(t, "--on", "2026-11-28")), "the visit takes two items off; a late visit does not make up October")

	var done []dueItem
	for _, d := range o.dues(t, "--on", "2026-11-28", "--all") {
		if d.SatisfiedBy != nil {
			done = append(done, d)
		}
	}
	assert.Equal(t, []string{
		"已完成 月度电话或视频联系 曹秀珍 2026-11-30", "已完成 季度入户走访 曹秀珍 2026-12-31",
		"已完成 季度入户走访 王建国 2026-12-31", "已完成 季度入户走访 周桂兰 2026-12-31",
	}, brief(done))
	require.Len(t, done, 4)
	assert.Equal(t, "王立军", done[0].SatisfiedBy.ByName)
	assert.Equal(t, "2026-11-20", done[0].SatisfiedBy.On)
	assert.Equal(t, "holiday", done[3].SatisfiedBy.Kind)
	assert.Equal(t, "其他人员", done[3].SatisfiedBy.ByName)
	out = o.ok("visit", "due", "--on", "2026-11-28", "--all")
	assert.Contains(t, out, "逾期 2 项，待走访 3 项，已完成 4 项")
	assert.Regexp(t, `已完成\s+季度入户走访\s+2026-12-31\s+2026-10-01 至 2026-12-31\s+曹秀珍\s+王立军\s+2026-11-20 入户走访（王立军）`, out)

	var visits []map[string]any
	o.okJSON(&visits, "visit", "list")
	require.Len(t, visits, 5)
	assert.Equal(t, "2026-10-16", visits[0]["on"], "by day")
	assert.Equal(t, "home", visits[4]["kind"])
	assert.Equal(t, "王立军", visits[4]["by_name"])
	o.okJSON(&visits, "visit", "list", o.ids["曹秀珍"])
	require.Len(t, visits, 1)
	assert.Equal(t, "曹秀珍", visits[0]["name"])
	o.okJSON(&visits, "visit", "list", "--from", "2026-10-17", "--to", "2026-10-31")
	require.Len(t, visits, 1)
	assert.Equal(t, "身体尚好", visits[0]["notes"])
	assert.Equal(t, "[]\n", o.ok("visit", "list", "--from", "2026-12-01", "--json"))
	out = o.ok("visit", "list", "--lang", "en")
	assert.Contains(t, out, "phone or video call")
	assert.Contains(t, out, "not a listed helper")

	out = o.ok("visit", "due", "--on", "2026-11-28", "--lang", "en")
	assert.Contains(t, out, "Visits due as of 2026-11-28: 2 overdue, 3 open")
	assert.Regexp(t, `overdue\s+Double Ninth visit\s+2026-10-18\s+2026-10-04 to 2026-10-25\s+曹秀珍`, out)
	assert.Contains(t, out, "milestone birthday visit (90)")
	out = o.ok("pair", "list", "--on", "2026-11-28", "--lang", "en")
	assert.Regexp(t, `周桂兰\s+tier 2 seriously ill or dependent\s+王立军`, out)
}

func TestSpringFestivalIsDueFromTheLunarCalendar(t *testing.T) {
	o := newCareOffice(t)
	ds := o.dues(t, "--on", "2027-02-01")
	var pan []dueItem
	for _, d := range ds {
		if d.Name == "潘建新" {
			pan = append(pan, d)
		}
	}
	assert.Equal(t, []string{"逾期 冬送温暖 潘建新 2027-01-31", "待走访 春节走访 潘建新 2027-02-06"}, brief(pan))
	assert.Equal(t, "spring_festival", pan[1].Kind)
	assert.Equal(t, "2027-01-23", pan[1].WindowStart)
	assert.Equal(t, "2027-02-13", pan[1].WindowEnd)
	assert.Empty(t, pan[1].HelperName, "unpaired")
	out := o.ok("visit", "due", "--on", "2027-02-01")
	assert.Regexp(t, `待走访\s+春节走访\s+2027-02-06\s+2027-01-23 至 2027-02-13\s+潘建新\s+-`, out)
	assert.Less(t, strings.Index(out, "冬送温暖"), strings.Index(out, "春节走访"), "overdue first")
	assert.Contains(t, o.ok("visit", "due", "--on", "2027-02-01", "--lang", "en"), "Spring Festival visit")
}

func TestHospitalStaysMakeVisitsDue(t *testing.T) {
	o := newCareOffice(t)
	who := o.numbers["周桂兰"]
	res := o.run("hospital", "discharge", who, "--on", "2026-11-25")
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "周桂兰 没有未出院的住院记录：先用 wanxia office hospital admit 记录入院")

	// Each is entered on the day it happened (a visit is owed from the day
	// it could be known: TestLateEntriesAreDueFromTheirEntry).
	out := o.okAt("2026-11-20", "hospital", "admit", who, "--on", "2026-11-20")
	assert.Contains(t, out, "已记录 周桂兰 于 2026-11-20 入院\n应于 2026-11-23 前住院探望")
	res = o.run("hospital", "admit", who, "--on", "2026-11-21")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "尚未出院")

	stayDues := func(on string) []dueItem {
		var out []dueItem
		for _, d := range o.dues(t, "--on", on) {
			if d.StayID != "" {
				out = append(out, d)
			}
		}
		return out
	}
	assert.Equal(t, []string{"待走访 住院探望 周桂兰 2026-11-23"}, brief(stayDues("2026-11-21")))

	res = o.run("hospital", "discharge", who, "--on", "2026-11-19")
	assert.Equal(t, 2, res.code, "before the admission: %s", res.stderr)
	var stay map[string]any
	require.NoError(t, json.Unmarshal([]byte(o.okAt("2026-11-25", "hospital", "discharge", who, "--on", "2026-11-25", "--json")), &stay))
	assert.Equal(t, "2026-11-20", stay["admitted"])
	assert.Equal(t, "2026-11-25", stay["discharged"])
	due := stay["due"].(map[string]any)
	assert.Equal(t, "discharge", due["kind"])
	assert.Equal(t, "2026-12-02", due["due_on"])
	assert.Equal(t, []string{"逾期 住院探望 周桂兰 2026-11-23", "待走访 出院回访 周桂兰 2026-12-02"}, brief(stayDues("2026-11-26")),
		"the admission visit was missed; overdue first")

	out = o.okAt("2026-11-26", "visit", "add", who, "--kind", "call", "--on", "2026-11-26")
	assert.Contains(t, out, "计入：出院回访（应于 2026-12-02）")
	assert.Equal(t, []string{"逾期 住院探望 周桂兰 2026-11-23"}, brief(stayDues("2026-11-27")))

	out = o.okAt("2026-11-27", "hospital", "admit", o.ids["王建国"], "--on", "2026-11-27")
	assert.Contains(t, out, "应于 2026-11-30 前住院探望")
	out = o.ok("hospital", "discharge", o.ids["王建国"], "--on", "2026-11-28", "--lang", "en")
	assert.Contains(t, out, "recorded that 王建国 went home on 2026-11-28 (admitted 2026-11-27, 1 days)")
	assert.Contains(t, out, "a follow-up after discharge (a home visit or call) is due by 2026-12-05")
}

// helpList is office help list --json.
type helpList struct {
	Unattended int `json:"unattended"`
	Cases      []struct {
		ID            string  `json:"id"`
		Kind          string  `json:"kind"`
		Urgent        bool    `json:"urgent"`
		Status        string  `json:"status"`
		Unattended    bool    `json:"unattended"`
		FirstActionAt *string `json:"first_action_at"`
		Note          string  `json:"note"`
		Resolution    string  `json:"resolution"`
	} `json:"cases"`
	Summary []struct {
		Kind   string `json:"kind"`
		Open   int    `json:"open"`
		Urgent int    `json:"urgent"`
		Closed int    `json:"closed"`
	} `json:"summary"`
}

func TestUrgentHelpUnattendedIsFlagged(t *testing.T) {
	o := newCareOffice(t)
	now := testkit.FixedNow()
	ago := func(h time.Duration) string { return now.Add(-h).Format("2006-01-02 15:04") }
	open := func(args ...string) string {
		var c map[string]any
		o.okJSON(&c, append([]string{"help", "open", o.numbers["王建国"]}, args...)...)
		return c["id"].(string)
	}
	late := open("--kind", "economic", "--urgent", "--at", ago(25*time.Hour), "--note", "医药费负担重")
	recent := open("--kind", "医疗", "--urgent", "--at", ago(23*time.Hour))
	chores := open("--kind", "家政", "--note", "需要保洁")
	closed := open("--kind", "spiritual", "--urgent", "--at", ago(30*time.Hour))
	out := o.ok("help", "close", closed[:24], "--resolution", "已上门谈心")
	assert.Contains(t, out, "王建国 的精神帮扶事项已结案（已解决")

	var l helpList
	o.okJSON(&l, "help", "list")
	assert.Equal(t, 1, l.Unattended)
	require.Len(t, l.Cases, 4)
	assert.Equal(t, late, l.Cases[0].ID, "flagged first")
	assert.True(t, l.Cases[0].Unattended)
	for _, c := range l.Cases[1:] {
		assert.False(t, c.Unattended, "%s: acted on in time, closed, or not urgent", c.Kind)
	}
	assert.Equal(t, "医药费负担重", l.Cases[0].Note)
	assert.Empty(t, l.Cases[0].Resolution)
	for _, c := range l.Cases {
		if c.ID == closed {
			assert.Empty(t, c.Note)
			assert.Equal(t, "已上门谈心", c.Resolution, "close writes the resolution only")
		}
	}
	type counts struct{ open, urgent, closed int }
	summary := map[string]counts{}
	for _, k := range l.Summary {
		summary[k.Kind] = counts{k.Open, k.Urgent, k.Closed}
	}
	assert.Equal(t, map[string]counts{"economic": {1, 1, 0}, "medical": {1, 1, 0}, "housekeeping": {1, 0, 0}, "spiritual": {0, 0, 1}}, summary)

	out = o.ok("help", "list")
	assert.Contains(t, out, "有 1 件紧急事项超过 24 小时无人处理，列在最前")
	lines := strings.Split(out, "\n")
	require.Greater(t, len(lines), 3)
	assert.True(t, strings.HasPrefix(lines[3], "超过24小时未处理  "+late), lines[3])
	assert.Contains(t, out, "按类别汇总")
	assert.Regexp(t, `家政\s+1\s+0\s+0`, out)
	assert.Regexp(t, `精神\s+0\s+0\s+1`, out)
	o.okJSON(&l, "help", "list", "--open")
	assert.Len(t, l.Cases, 3, "the closed case is left out")

	var acted map[string]any
	o.okJSON(&acted, "help", "act", late, "--note", "已联系社区医院", "--at", ago(time.Hour))
	assert.Equal(t, "in_progress", acted["status"])
	assert.NotNil(t, acted["first_action_at"])
	assert.Equal(t, "医药费负担重；"+ago(time.Hour)+" 已联系社区医院", acted["note"], "act adds the time and what was done")
	assert.Empty(t, acted["resolution"])
	assert.NotContains(t, acted, "notes")
	o.okJSON(&acted, "help", "act", late)
	assert.Equal(t, "医药费负担重；"+ago(time.Hour)+" 已联系社区医院", acted["note"], "no --note, nothing added")
	o.okJSON(&l, "help", "list")
	assert.Equal(t, 0, l.Unattended, "acted on")
	assert.NotContains(t, o.ok("help", "list"), "超过24小时未处理")

	out = o.ok("help", "close", chores, "--resolution", "已安排家政服务", "--status", "已解决")
	assert.Contains(t, out, "已结案")
	o.okJSON(&l, "help", "list")
	for _, c := range l.Cases {
		if c.ID == chores {
			assert.Equal(t, "resolved", c.Status)
			assert.Equal(t, "需要保洁", c.Note, "closing leaves the note as it was")
			assert.Equal(t, "已安排家政服务", c.Resolution)
		}
	}
	res := o.run("help", "close", chores, "--resolution", "again")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "已于")

	// An urgent case closed without a recorded action is not flagged either.
	o.ok("help", "close", recent, "--resolution", "已送医", "--status", "explained")
	out = o.ok("help", "list", "--lang", "en")
	assert.Contains(t, out, "Help cases as of")
	assert.Contains(t, out, "By kind")
	assert.Regexp(t, `housekeeping\s+0\s+0\s+1`, out)
	assert.Contains(t, out, "explained (cannot be resolved)")
	assert.Regexp(t, `note\s+resolution`, out)
	assert.Regexp(t, `需要保洁\s+已安排家政服务`, out, "the note and the resolution in columns of their own")
	assert.Regexp(t, `医药费负担重；\S+ \S+ 已联系社区医院\s+-`, out)
}

func TestOfficeCareVerbsRefuseBadInput(t *testing.T) {
	o := newCareOffice(t)
	who := o.numbers["周桂兰"]
	unknown := testkit.IDNumberFor("370102", "19500101", 99)
	var hc map[string]any
	o.okJSON(&hc, "help", "open", who, "--kind", "medical")
	caseID := hc["id"].(string)
	future := testkit.FixedNow().Add(48 * time.Hour)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown help kind", []string{"help", "open", who, "--kind", "法律"}, 2, "--kind"},
		{"missing help kind", []string{"help", "open", who}, 2, "--kind"},
		{"bad time", []string{"help", "open", who, "--kind", "medical", "--at", "2026-13-01 10:00"}, 2, "--at"},
		{"date without time", []string{"help", "open", who, "--kind", "medical", "--at", "2026-11-01"}, 2, "HH:MM"},
		{"time to come", []string{"help", "open", who, "--kind", "medical", "--at", future.Format("2006-01-02 15:04")}, 2, "晚于现在"},
		{"unknown cadre", []string{"help", "open", unknown, "--kind", "medical"}, 1, "没有身份证号为"},
		{"close without resolution", []string{"help", "close", caseID}, 2, "--resolution"},
		{"close as open", []string{"help", "close", caseID, "--resolution", "x", "--status", "open"}, 2, "--status"},
		{"close before it opened", []string{"help", "close", caseID, "--resolution", "x", "--at", "2020-01-01 08:00"}, 2, "早于"},
		{"unknown case", []string{"help", "act", "0190aaaa-0000-7000-8000-000000000000"}, 1, "没有帮扶事项"},
		{"short case id", []string{"help", "act", "0190"}, 2, "8"},
		{"unknown visit kind", []string{"visit", "add", who, "--kind", "party", "--on", "2026-11-01"}, 2, "--kind"},
		{"visit without --on", []string{"visit", "add", who, "--kind", "home"}, 2, "--on"},
		{"visit to come", []string{"visit", "add", who, "--kind", "home", "--on", future.Format("2006-01-02")}, 2, "晚于今天"},
		{"unknown helper", []string{"visit", "add", who, "--kind", "home", "--on", "2026-11-01", "--by", "王二"}, 1, "没有帮扶人 王二"},
		{"unknown helper id", []string{"visit", "add", who, "--kind", "home", "--on", "2026-11-01", "--by", "0190aaaa"}, 1, "没有帮扶人"},
		{"unknown cadre visited", []string{"visit", "add", unknown, "--kind", "home", "--on", "2026-11-01"}, 1, "没有身份证号为"},
		{"bad due date", []string{"visit", "due", "--on", "2026-02-30"}, 2, "--on"},
		{"two cadres to list", []string{"visit", "list", who, o.ids["王建国"]}, 2, "多余的参数"},
		{"list ends before it begins", []string{"visit", "list", "--from", "2026-11-02", "--to", "2026-11-01"}, 2, "--to"},
		{"admit without --on", []string{"hospital", "admit", who}, 2, "--on"},
		{"admit without a cadre", []string{"hospital", "admit", "--on", "2026-11-01"}, 2, "CADRE"},
		{"discharge with no stay", []string{"hospital", "discharge", who, "--on", "2026-11-01"}, 1, "没有未出院的住院记录"},
		{"pairing is the hub's", []string{"pair", "assign"}, 2, "没有动词"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := o.run(tc.args...)
			assert.Equal(t, tc.code, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.Contains(t, res.stderr, tc.want)
		})
	}
	res := o.run("help", "open", who, "--kind", "law", "--lang", "en")
	assert.Contains(t, res.stderr, `usage: flag --kind: bad value "law"`)
	assert.Contains(t, res.stderr, "see wanxia office help open --help")
	for _, verb := range [][]string{{"pair", "list"}, {"visit", "due"}, {"visit", "add"}, {"visit", "list"}, {"hospital", "admit"},
		{"hospital", "discharge"}, {"help", "open"}, {"help", "act"}, {"help", "close"}, {"help", "list"}} {
		assert.Contains(t, o.ok(append(verb, "--help")...), "用法：", verb)
	}
}

func TestEmptyCareListsAreArrays(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	for _, verb := range [][]string{{"pair", "list"}, {"visit", "due"}, {"visit", "due", "--all"}, {"visit", "list"}} {
		assert.Equal(t, "[]\n", o.ok(append(verb, "--json")...), verb)
	}
	var l map[string]any
	o.okJSON(&l, "help", "list")
	assert.Equal(t, []any{}, l["cases"])
	assert.Len(t, l["summary"], 4, "every kind, even with no case")
	assert.Equal(t, float64(24), l["urgent_within_hours"])
	assert.Contains(t, o.ok("visit", "due"), "（没有待走访事项）")

	hubDB := newHubDB(t, t.TempDir())
	ok(t, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "x", "--communities", "sy")...)
	assert.Equal(t, "[]\n", ok(t, hubArgs(hubDB, "helper", "list", "--json")...))
	var p map[string]any
	okJSON(t, &p, hubArgs(hubDB, "pair", "assign")...)
	for _, key := range []string{"helpers", "ended", "unpaired"} {
		assert.Equal(t, []any{}, p[key], key)
	}
	assert.Contains(t, ok(t, hubArgs(hubDB, "pair", "assign")...), "没有在岗的帮扶人")
}

// TestVisitDueAllListsOverdueBeforeDone: with --all a visit made can be due
// earlier than one overdue; the overdue one still comes first.
func TestVisitDueAllListsOverdueBeforeDone(t *testing.T) {
	o := newCareOffice(t)
	var c map[string]any // 80 on 2026-11-20, registered before 重阳节
	require.NoError(t, json.Unmarshal([]byte(o.okAt("2026-10-01", append([]string{"cadre", "add", "--json"}, cadreArgs("马学军", testkit.IDNumberFor("370102", "19461120", 5), "sy")...)...)), &c))
	id := c["id"].(string)
	o.okAt("2026-11-20", "visit", "add", id, "--kind", "birthday", "--on", "2026-11-20")
	o.okAt("2026-11-21", "hospital", "admit", id, "--on", "2026-11-21")
	var mine []dueItem
	for _, d := range o.dues(t, "--on", "2026-11-26", "--all") {
		if d.Name == "马学军" {
			mine = append(mine, d)
		}
	}
	assert.Equal(t, []string{"逾期 重阳节走访 马学军 2026-10-18", "逾期 住院探望 马学军 2026-11-24", "已完成 逢十寿辰（80岁） 马学军 2026-11-20"}, brief(mine))
	out := o.ok("visit", "due", "--on", "2026-11-26", "--all")
	assert.Less(t, strings.Index(out, "住院探望"), strings.Index(out, "逢十寿辰"))
}
