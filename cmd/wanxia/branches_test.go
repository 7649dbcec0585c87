package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// testCadre is a valid retired cadre, a full Party member, numbered n.
func testCadre(t *testing.T, name string, n int, community string) cadre.Cadre {
	t.Helper()
	c := cadre.Cadre{Name: name, IDNumber: testkit.IDNumberFor("370102", "19480101", n), Category: cadre.Tuixiu, RetiredOn: cadre.NewDate(2008, 1, 1),
		Rank: cadre.RankSection, Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: community}
	c.Normalize()
	return c
}

// withDB opens a replica for a test to set up what the command reads.
func withDB(t *testing.T, path string, role syncsvc.Role, fn func(ctx context.Context, r *store.Replica)) {
	t.Helper()
	ctx := context.Background()
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role})
	require.NoError(t, err)
	defer func() { require.NoError(t, r.Close()) }()
	fn(ctx, r)
}

// newBranchHub is a hub with seven Party members: four in sy, enough for
// a branch of its own, two in gsq and one in hx, who must form a joint
// branch; hx's centre is nearest gsq's.
func newBranchHub(t *testing.T) string {
	t.Helper()
	db := newHubDB(t, t.TempDir())
	withDB(t, db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		for _, c := range []struct {
			code, name string
			lat, lng   float64
		}{{"sy", "舜园社区", 36.660, 117.000}, {"gsq", "杆石桥社区", 36.670, 117.030}, {"hx", "华信社区", 36.672, 117.034}} {
			require.NoError(t, r.SetCommunity(ctx, store.Community{Code: c.code, Name: c.name, Centre: &cadre.Location{Lat: c.lat, Lng: c.lng}}))
		}
		n := 0
		for _, p := range []struct{ name, community string }{
			{"王建国", "sy"}, {"李秀英", "sy"}, {"张志强", "sy"}, {"赵敏", "sy"}, {"钱进", "gsq"}, {"孙立", "gsq"}, {"周红", "hx"},
		} {
			n++
			c := testCadre(t, p.name, 2*n+1, p.community)
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
	})
	return db
}

func TestHubBranchPlanProposesThenApplies(t *testing.T) {
	db := newBranchHub(t)
	out := ok(t, hubArgs(db, "branch", "plan", "--on", "2026-11-28")...)
	assert.Contains(t, out, "离退休干部党支部设置方案，截至 2026-11-28")
	assert.Contains(t, out, "在册党员7名，拟设党支部2个；组织关系调整7人次")
	assert.Contains(t, out, "联合党支部  杆石桥社区(gsq)、华信社区(hx)  党员3名（正式党员3名）  新建")
	assert.Contains(t, out, "社区党支部  舜园社区(sy)  党员4名（正式党员4名）  新建")
	assert.Contains(t, out, "以上是方案，尚未写入")
	assert.Contains(t, out, "wanxia hub branch plan --apply --on 2026-11-28")

	var plan struct {
		On       string `json:"on"`
		Members  int    `json:"members"`
		Branches []struct {
			ID          string   `json:"id"`
			Kind        string   `json:"kind"`
			KindLabel   string   `json:"kind_label"`
			Communities []string `json:"communities"`
			Members     int      `json:"members"`
			FullMembers int      `json:"full_members"`
			Change      string   `json:"change"`
			Notes       []string `json:"notes"`
		} `json:"branches"`
		Moves []struct {
			Name   string `json:"name"`
			From   string `json:"from"`
			To     string `json:"to"`
			ToName string `json:"to_name"`
			Reason string `json:"reason"`
			Text   string `json:"text"`
		} `json:"moves"`
		Dissolved []any           `json:"dissolved"`
		Applied   bool            `json:"applied"`
		Written   json.RawMessage `json:"written"`
	}
	okJSON(t, &plan, hubArgs(db, "branch", "plan", "--on", "2026-11-28", "--lang", "en")...)
	require.Len(t, plan.Branches, 2)
	joint := plan.Branches[1]
	if plan.Branches[0].Kind == "joint" {
		joint = plan.Branches[0]
	}
	assert.Equal(t, "joint", joint.Kind)
	assert.Equal(t, "joint branch", joint.KindLabel)
	assert.Equal(t, []string{"gsq", "hx"}, joint.Communities)
	assert.Equal(t, 3, joint.FullMembers)
	assert.Len(t, plan.Moves, 7)
	assert.Equal(t, "", plan.Moves[0].From, "new members come from no branch")
	assert.Equal(t, "new_member", plan.Moves[0].Reason)
	assert.NotNil(t, plan.Dissolved)
	assert.Empty(t, plan.Dissolved)
	assert.False(t, plan.Applied)
	assert.Equal(t, "null", string(plan.Written))
	withDB(t, db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		bs, err := r.Branches(ctx, "")
		require.NoError(t, err)
		assert.Empty(t, bs, "without --apply nothing is written")
	})

	out = ok(t, hubArgs(db, "branch", "plan", "--on", "2026-11-28", "--apply")...)
	assert.Contains(t, out, "已写入：新建党支部2个，调整0个，撤销0个；终止组织关系0条，新建组织关系7条")
	withDB(t, db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		bs, err := r.Branches(ctx, "")
		require.NoError(t, err)
		assert.Len(t, bs, 2)
		ms, err := r.Memberships(ctx, store.MembershipFilter{})
		require.NoError(t, err)
		assert.Len(t, ms, 7)
	})

	var again struct {
		Moves   []any              `json:"moves"`
		Applied bool               `json:"applied"`
		Written *store.PlanApplied `json:"written"`
	}
	okJSON(t, &again, hubArgs(db, "branch", "plan", "--on", "2026-11-28", "--apply")...)
	assert.True(t, again.Applied)
	require.NotNil(t, again.Written)
	assert.Equal(t, store.PlanApplied{}, *again.Written, "a second --apply writes nothing")
	assert.NotNil(t, again.Moves)
	assert.Empty(t, again.Moves)
	out = ok(t, hubArgs(db, "branch", "plan", "--on", "2026-11-28", "--apply")...)
	assert.Contains(t, out, "没有需要写入的更改")
	assert.Contains(t, out, "（不需要调整）")

	res := wx(t, hubArgs(filepath.Join(t.TempDir(), "none.db"), "branch", "plan")...)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	assert.Contains(t, res.stderr, "没有数据库")
	res = wx(t, hubArgs(db, "branch", "plan", "--on", "2026-11-31")...)
	assert.Equal(t, 2, res.code, res.stderr)
	assert.Contains(t, res.stderr, "--on")
}

// branchOffice is an office replica with one community branch and its
// members, set up through the library as a sync from the hub would.
type branchOffice struct {
	*office
	branchID string
	ids      map[string]string // name → cadre UUID
	numbers  map[string]string // name → ID number
}

func newBranchOffice(t *testing.T) *branchOffice {
	t.Helper()
	o := &branchOffice{office: newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1"), ids: map[string]string{}, numbers: map[string]string{}}
	members := []struct {
		name, pension, from string
	}{
		{"王建国", "5123.40", "2026-09-01"}, // pays Sep and Oct: 51.23 a month
		{"李秀英", "5000", "2026-10-01"},    // 25.00 a month, the last base at 0.5%
		{"张志强", "5000.01", "2026-10-01"}, // 50.00 a month: 1% of the whole base
		{"赵敏", "4000", "2026-09-01"},     // ill; exempt from 2026-09
		{"孙立", "3000", "2026-08-01"},     // owes Aug–Oct: a reminder
		{"周红", "3000", "2026-05-01"},     // owes May–Oct: referred to the branch
	}
	for i, m := range members {
		o.numbers[m.name] = testkit.IDNumberFor("370102", "19480101", 2*i+1)
		o.ids[m.name] = o.addCadre(m.name, o.numbers[m.name], "sy", "--pension", m.pension)
	}
	withDB(t, o.db, syncsvc.RoleOffice, func(ctx context.Context, r *store.Replica) {
		b := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2019, 7, 1)}
		_, err := r.PutBranch(ctx, &b)
		require.NoError(t, err)
		o.branchID = b.ID.String()
		for _, m := range members {
			from, err := cadre.ParseDate(m.from)
			require.NoError(t, err)
			_, err = r.PutMembership(ctx, &branch.Membership{CadreID: uuid.MustParse(o.ids[m.name]), BranchID: b.ID, From: from})
			require.NoError(t, err)
		}
	})
	return o
}

func TestBranchListAndShow(t *testing.T) {
	o := newBranchOffice(t)
	out := o.ok("branch", "list", "--on", "2026-11-20")
	assert.Contains(t, out, "舜园社区离退休干部党支部")
	assert.Contains(t, out, "社区党支部")
	var list []map[string]any
	o.okJSON(&list, "branch", "list", "--on", "2026-11-20")
	require.Len(t, list, 1)
	assert.Equal(t, o.branchID, list[0]["id"])
	assert.Equal(t, "community", list[0]["kind"])
	assert.Equal(t, float64(6), list[0]["members"])
	assert.Equal(t, "", list[0]["secretary_name"])
	o.okJSON(&list, "branch", "list", "--on", "2026-09-15")
	assert.Equal(t, float64(4), list[0]["members"], "only memberships begun by then")

	out = o.ok("branch", "show", o.branchID[:8], "--on", "2026-11-20")
	for _, want := range []string{"舜园社区离退休干部党支部（社区党支部）", "党员（本机 6 名）", "周红", "正式党员", "2026-05-01",
		"未设书记", "2026-11 会议", "主题党日", "待召开", "没有书记任职记录"} {
		assert.Contains(t, out, want)
	}
	var show map[string]any
	o.okJSON(&show, "branch", "show", o.branchID, "--on", "2026-11-20", "--lang", "en")
	for _, key := range []string{"members", "posts", "findings", "meetings", "deliveries", "training"} {
		assert.IsType(t, []any{}, show[key], key)
	}
	assert.Len(t, show["members"], 6)
	assert.Equal(t, "no_secretary", show["findings"].([]any)[0].(map[string]any)["code"])
	assert.Equal(t, "no secretary", show["findings"].([]any)[0].(map[string]any)["label"])
}

func TestMeetingsAndStudyDeliveredAtHome(t *testing.T) {
	o := newBranchOffice(t)
	var m map[string]any
	o.okJSON(&m, "meeting", "add", "--branch", o.branchID[:8], "--kind", "主题党日", "--on", "2026-11-10", "--topic", "学习党的二十届四中全会精神",
		"--present", o.numbers["王建国"]+","+o.ids["李秀英"], "--present", o.numbers["张志强"],
		"--absent", o.numbers["赵敏"]+"=health,"+o.numbers["孙立"]+"=away:探亲", "--absent", o.numbers["周红"]+"=无故缺席")
	meetingID := m["id"].(string)
	assert.Equal(t, "theme_day", m["kind"])
	assert.Equal(t, "2026-11-10", m["on"])
	att := map[string]map[string]any{}
	for _, a := range m["attendance"].([]any) {
		att[a.(map[string]any)["name"].(string)] = a.(map[string]any)
	}
	require.Len(t, att, 6)
	assert.Equal(t, true, att["王建国"]["present"])
	assert.Equal(t, "health", att["赵敏"]["absence"])
	assert.Equal(t, "因病（送学上门）", att["赵敏"]["absence_label"])
	assert.Equal(t, "away", att["孙立"]["absence"])
	assert.Equal(t, "探亲", att["孙立"]["note"])
	assert.Equal(t, "unexcused", att["周红"]["absence"])

	out := o.ok("meeting", "add", "--branch", o.branchID, "--kind", "lecture", "--on", "2026-10-20", "--present", o.numbers["王建国"])
	assert.Contains(t, out, "已记录舜园社区离退休干部党支部 党课（2026-10-20）：出席1，因病0，请假0，无故缺席0")

	var list []map[string]any
	o.okJSON(&list, "meeting", "list", "--month", "2026-11")
	require.Len(t, list, 1)
	assert.Equal(t, meetingID, list[0]["id"])
	assert.Equal(t, "舜园社区离退休干部党支部", list[0]["branch_name"])
	assert.Len(t, list[0]["attendance"], 6)
	o.okJSON(&list, "meeting", "list", "--branch", o.branchID)
	assert.Len(t, list, 2)
	assert.Equal(t, "2026-10-20", list[0]["on"], "by day held")
	assert.Equal(t, "[]\n", o.ok("meeting", "list", "--month", "2026-12", "--json"))
	out = o.ok("meeting", "list", "--month", "2026-11")
	assert.Contains(t, out, "学习党的二十届四中全会精神")
	assert.Contains(t, out, "出席3，因病1，请假1，无故缺席1")

	show := o.ok("branch", "show", o.branchID, "--on", "2026-11-20")
	assert.Contains(t, show, "送学上门（未完成）")
	assert.Contains(t, show, "赵敏  主题党日 2026-11-10  应于 2026-11-30 前送达")
	assert.Contains(t, show, "已召开  2026-11-10（出席3/6，因病1，请假1，无故缺席1）")
	var js struct {
		Deliveries []struct {
			Name  string `json:"name"`
			State string `json:"state"`
		} `json:"deliveries"`
	}
	o.okJSON(&js, "branch", "show", o.branchID, "--on", "2026-11-20")
	require.Len(t, js.Deliveries, 1)
	assert.Equal(t, "赵敏", js.Deliveries[0].Name)
	assert.Equal(t, "not_delivered", js.Deliveries[0].State)

	res := o.run("meeting", "deliver", meetingID, o.numbers["赵敏"], "--on", "2026-11-09")
	assert.Equal(t, 2, res.code, "before the meeting: %s", res.stderr)
	out = o.ok("meeting", "deliver", meetingID, o.numbers["赵敏"], "--on", "2026-11-15", "--note", "支部书记上门领学")
	assert.Contains(t, out, "已记录送学上门：赵敏")
	assert.NotContains(t, out, "注意")
	show = o.ok("branch", "show", o.branchID, "--on", "2026-11-20")
	assert.NotContains(t, show, "送学上门（未完成）")
	assert.Contains(t, show, "送学上门：本月 1 人次均已送达")
	o.okJSON(&js, "branch", "show", o.branchID, "--on", "2026-11-20")
	require.Len(t, js.Deliveries, 1)
	assert.Equal(t, "delivered", js.Deliveries[0].State)
	o.okJSON(&list, "meeting", "list", "--month", "2026-11")
	require.Len(t, list[0]["deliveries"], 1)
	assert.Equal(t, "支部书记上门领学", list[0]["deliveries"].([]any)[0].(map[string]any)["note"])
}

func TestDuesPayDefaultsToTheMonthsDues(t *testing.T) {
	o := newBranchOffice(t)
	var p map[string]any
	// 5,123.40 yuan is above 5,000: 1% of the whole base, 51.234 → 51.23 yuan.
	o.okJSON(&p, "dues", "pay", o.numbers["王建国"], "--months", "2026-10,2026-09", "--paid-on", "2026-11-05")
	assert.Equal(t, float64(2*5123), p["amount_fen"])
	assert.Equal(t, float64(branch.RetiredMonthlyDues(512340)*2), p["amount_fen"])
	assert.Equal(t, []any{"2026-09", "2026-10"}, p["months"])
	// 5,000.00 is the last base at 0.5%: 25.00; 5,000.01 pays 1%: 50.00.
	o.okJSON(&p, "dues", "pay", o.numbers["李秀英"], "--months", "2026-10", "--paid-on", "2026-11-05")
	assert.Equal(t, float64(2500), p["amount_fen"])
	out := o.ok("dues", "pay", o.numbers["张志强"], "--months", "2026-10", "--paid-on", "2026-11-05")
	assert.Contains(t, out, "已记录 张志强 交纳党费 50.00 元（2026-10 50.00元），交纳日期 2026-11-05")
	out = o.ok("dues", "pay", o.ids["孙立"], "--months", "2026-07", "--amount", "20", "--paid-on", "2026-11-05")
	assert.Contains(t, out, "比应交的 15.00 元多 5.00 元")

	// An approved exemption makes the month's due nothing; a reduction, the reduced due.
	out = o.ok("dues", "relief", o.numbers["赵敏"], "--from", "2026-09", "--to", "2026-10", "--exempt",
		"--approved-by", "舜园社区离退休干部党支部", "--approved-on", "2026-08-25", "--reason", "长期住院，生活困难")
	assert.Contains(t, out, "已记录 赵敏 党费免交（2026-09 至 2026-10）")
	res := o.run("dues", "pay", o.numbers["赵敏"], "--months", "2026-09,2026-10", "--paid-on", "2026-11-05")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "免交")
	o.ok("dues", "relief", o.numbers["赵敏"], "--from", "2026-11", "--reduced", "5", "--approved-by", "支部委员会", "--approved-on", "2026-10-30", "--reason", "生活困难")
	o.okJSON(&p, "dues", "pay", o.numbers["赵敏"], "--months", "2026-10,2026-11", "--paid-on", "2026-11-05")
	assert.Equal(t, float64(500), p["amount_fen"], "October exempt, November reduced to 5.00")
	dues := p["month_dues"].([]any)
	assert.Equal(t, "exempt", dues[0].(map[string]any)["relief"])
	assert.Equal(t, "reduced", dues[1].(map[string]any)["relief"])

	var rel map[string]any
	o.okJSON(&rel, "dues", "relief", o.numbers["周红"], "--from", "2026-12", "--reduced", "1.50", "--approved-by", "支部委员会", "--approved-on", "2026-11-30", "--reason", "困难")
	assert.Equal(t, "reduced", rel["relief"])
	assert.Equal(t, float64(150), rel["reduced_fen"])
	assert.Equal(t, "", rel["to"], "until further notice")
}

func TestDuesArrears(t *testing.T) {
	o := newBranchOffice(t)
	o.ok("dues", "pay", o.numbers["王建国"], "--months", "2026-09,2026-10", "--paid-on", "2026-10-05")
	o.ok("dues", "pay", o.numbers["李秀英"], "--months", "2026-10", "--paid-on", "2026-10-05")
	o.ok("dues", "pay", o.numbers["张志强"], "--months", "2026-10", "--paid-on", "2026-10-05")
	o.ok("dues", "relief", o.numbers["赵敏"], "--from", "2026-09", "--exempt", "--approved-by", "支部", "--approved-on", "2026-08-25", "--reason", "重病")

	var all []struct {
		Name        string   `json:"name"`
		Unpaid      []string `json:"unpaid"`
		ArrearsFen  int64    `json:"arrears_fen"`
		Consecutive int      `json:"consecutive"`
		Action      string   `json:"action"`
		ActionLabel string   `json:"action_label"`
		Text        string   `json:"text"`
	}
	o.okJSON(&all, "dues", "arrears", "--on", "2026-11-15")
	require.Len(t, all, 6)
	assert.Equal(t, "周红", all[0].Name, "the most serious first")
	assert.Equal(t, []string{"2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"}, all[0].Unpaid)
	assert.Equal(t, "review", all[0].Action)
	assert.Equal(t, "提请组织处理", all[0].ActionLabel)
	assert.Equal(t, int64(6*1500), all[0].ArrearsFen)
	assert.Equal(t, "孙立", all[1].Name)
	assert.Equal(t, []string{"2026-08", "2026-09", "2026-10"}, all[1].Unpaid)
	assert.Equal(t, "reminder", all[1].Action)
	assert.Equal(t, 3, all[1].Consecutive)
	var rest []string
	for _, x := range all[2:] {
		assert.Equal(t, "none", x.Action, x.Name)
		assert.Empty(t, x.Unpaid, x.Name)
		assert.NotNil(t, x.Unpaid, "[] not null")
		rest = append(rest, x.Name)
	}
	assert.Equal(t, []string{"李秀英", "王建国", "张志强", "赵敏"}, rest, "then by name, in pinyin order")

	out := o.ok("dues", "arrears", "--on", "2026-11-15")
	lines := strings.Split(out, "\n")
	require.Greater(t, len(lines), 3)
	assert.Contains(t, lines[2], "周红")
	assert.Contains(t, lines[2], "6个月：2026-05—2026-10")
	assert.Contains(t, lines[2], "90.00")
	assert.Contains(t, lines[2], "提请组织处理")
	assert.Contains(t, lines[3], "孙立")
	assert.Contains(t, lines[3], "提醒交纳")

	o.okJSON(&all, "dues", "arrears", o.numbers["孙立"], "--on", "2026-11-15")
	require.Len(t, all, 1)
	assert.Equal(t, "reminder", all[0].Action)
	o.ok("dues", "pay", o.numbers["孙立"], "--months", "2026-08,2026-09,2026-10", "--paid-on", "2026-11-10")
	o.okJSON(&all, "dues", "arrears", o.numbers["孙立"], "--on", "2026-11-15")
	assert.Equal(t, "none", all[0].Action, "paid up")
	out = o.ok("dues", "arrears", o.numbers["孙立"], "--on", "2026-11-15", "--lang", "en")
	assert.Contains(t, out, "unpaid months")

	// Months before --since were kept on paper: not examined.
	o.okJSON(&all, "dues", "arrears", o.numbers["周红"], "--on", "2026-11-15", "--since", "2026-09")
	assert.Equal(t, []string{"2026-09", "2026-10"}, all[0].Unpaid)
	assert.Equal(t, "none", all[0].Action)
	res := o.run("dues", "arrears", "--since", "2026-13")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "YYYY-MM")
}

func TestBranchElectTrainingAndAssess(t *testing.T) {
	o := newBranchOffice(t)
	out := o.ok("branch", "elect", o.branchID, "--on", "2026-10-01", "--secretary", o.numbers["王建国"], "--deputy", o.ids["李秀英"])
	assert.Contains(t, out, "已记录舜园社区离退休干部党支部 2026-10-01 换届选举：书记 王建国，副书记 李秀英")
	show := o.ok("branch", "show", o.branchID, "--on", "2026-10-20")
	assert.Contains(t, show, "书记    王建国")
	assert.Contains(t, show, "副书记  李秀英")
	assert.NotContains(t, show, "未设书记")
	assert.Contains(t, show, "书记  王建国  未参加，应于 2026-12-31 前参加")
	var list []map[string]any
	o.okJSON(&list, "branch", "list", "--on", "2026-10-20")
	assert.Equal(t, "王建国", list[0]["secretary_name"])

	var again map[string]any
	o.okJSON(&again, "branch", "elect", o.branchID, "--on", "2026-10-01", "--secretary", o.numbers["王建国"], "--deputy", o.ids["李秀英"])
	assert.Equal(t, false, again["changed"], "the same election entered again changes nothing")

	var el struct {
		Ended   []map[string]any `json:"ended"`
		Elected []map[string]any `json:"elected"`
	}
	o.okJSON(&el, "branch", "elect", o.branchID, "--on", "2026-11-01", "--secretary", o.numbers["李秀英"])
	assert.Len(t, el.Ended, 2)
	assert.Equal(t, "2026-11-01", el.Ended[0]["ended_on"])
	require.Len(t, el.Elected, 1)
	assert.Equal(t, "李秀英", el.Elected[0]["name"])
	o.ok("branch", "training", o.numbers["李秀英"], "--course", "2026年度支部书记培训班", "--on", "2026-11-10")
	var show2 struct {
		Posts []struct {
			Role string `json:"role"`
			Name string `json:"name"`
		} `json:"posts"`
		Training []struct {
			Name   string `json:"name"`
			Done   bool   `json:"done"`
			Course string `json:"course"`
		} `json:"training"`
	}
	o.okJSON(&show2, "branch", "show", o.branchID, "--on", "2026-11-20")
	require.Len(t, show2.Posts, 1, "the earlier posts ended at the election")
	assert.Equal(t, "secretary", show2.Posts[0].Role)
	assert.Equal(t, "李秀英", show2.Posts[0].Name)
	require.Len(t, show2.Training, 1)
	assert.True(t, show2.Training[0].Done)
	assert.Equal(t, "2026年度支部书记培训班", show2.Training[0].Course)
	show = o.ok("branch", "show", o.branchID, "--on", "2026-11-20")
	assert.Contains(t, show, "书记  李秀英  已参加 2026年度支部书记培训班（2026-11-10）")

	out = o.ok("branch", "assess", o.branchID, "--year", "2026", "--on", "2026-11-20")
	assert.Contains(t, out, "舜园社区离退休干部党支部  2026年度五好离退休干部党支部评定（截至 2026-11-20）")
	for i, name := range []string{"支部班子好", "党员队伍好", "组织设置好", "活动开展好", "群众反映好"} {
		assert.Contains(t, out, "\n"+string(rune('1'+i))+". "+name+"  ")
	}
	assert.Contains(t, out, "按月交纳党费")
	assert.Contains(t, out, "评定结果供党组织研究决定")
	out = o.ok("branch", "assess", o.branchID, "--on", "2026-11-20", "--lang", "en")
	for _, name := range []string{"good committee", "good members", "good organisation", "good activities", "good feedback"} {
		assert.Contains(t, out, name)
	}
	var as struct {
		Year     int `json:"year"`
		Criteria []struct {
			Code       string `json:"code"`
			Name       string `json:"name"`
			State      string `json:"state"`
			Indicators []struct {
				Measure  string   `json:"measure"`
				Evidence []string `json:"evidence"`
			} `json:"indicators"`
		} `json:"criteria"`
	}
	o.okJSON(&as, "branch", "assess", o.branchID, "--on", "2026-11-20")
	assert.Equal(t, 2026, as.Year, "the year of --on")
	require.Len(t, as.Criteria, 5)
	assert.Equal(t, "支部班子好", as.Criteria[0].Name)
	assert.Equal(t, "feedback", as.Criteria[4].Code)
	assert.Equal(t, "unknown", as.Criteria[4].State, "no feedback recorded")
	for _, good := range []string{"--good", "--good", "--bad"} {
		o.ok("branch", "feedback", o.branchID, good, "--on", "2026-06-01", "--source", "居民座谈会")
	}
	o.okJSON(&as, "branch", "assess", o.branchID, "--on", "2026-11-20")
	assert.NotEqual(t, "unknown", as.Criteria[4].State, "three opinions recorded, two good")
	res := o.run("branch", "feedback", o.branchID, "--on", "2026-06-01", "--source", "x")
	assert.Equal(t, 2, res.code, "one of --good and --bad")
	for _, c := range as.Criteria {
		for _, ind := range c.Indicators {
			assert.NotNil(t, ind.Evidence, "%s: [] not null", ind.Measure)
		}
	}

	file := filepath.Join(t.TempDir(), "dues.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"name":{"zh":"党费标准","en":"dues"},"criteria":[{"code":"dues","name":{"zh":"按月交纳党费","en":"dues paid"},"indicators":[{"measure":"dues_paid","target":0.5}]}]}`), 0o600))
	o.okJSON(&as, "branch", "assess", o.branchID, "--on", "2026-11-20", "--criteria", file)
	require.Len(t, as.Criteria, 1)
	assert.Equal(t, "dues_paid", as.Criteria[0].Indicators[0].Measure)
	require.NoError(t, os.WriteFile(file, []byte(`{"name":{"zh":"x","en":"x"},"criteria":[{"code":"a","name":{"zh":"a","en":"a"},"indicators":[{"measure":"happiness","target":1}]}]}`), 0o600))
	res = o.run("branch", "assess", o.branchID, "--criteria", file)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	assert.Contains(t, res.stderr, "评定标准文件")
}

func TestBranchVerbsRefuseBadInput(t *testing.T) {
	o := newBranchOffice(t)
	unknownCadre := testkit.IDNumberFor("370102", "19500101", 99)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown meeting kind", []string{"meeting", "add", "--branch", o.branchID, "--kind", "茶话会", "--on", "2026-11-10"}, 2, "--kind"},
		{"missing --branch", []string{"meeting", "add", "--kind", "党课", "--on", "2026-11-10"}, 2, "--branch"},
		{"unknown absence", []string{"meeting", "add", "--branch", o.branchID, "--kind", "党课", "--on", "2026-11-10", "--absent", o.numbers["赵敏"] + "=sick"}, 2, "--absent"},
		{"absence without a reason", []string{"meeting", "add", "--branch", o.branchID, "--kind", "党课", "--on", "2026-11-10", "--absent", o.numbers["赵敏"]}, 2, "--absent"},
		{"listed twice", []string{"meeting", "add", "--branch", o.branchID, "--kind", "党课", "--on", "2026-11-10", "--present", o.numbers["赵敏"], "--absent", o.ids["赵敏"] + "=away"}, 2, "两次"},
		{"unknown cadre present", []string{"meeting", "add", "--branch", o.branchID, "--kind", "党课", "--on", "2026-11-10", "--present", unknownCadre}, 1, "没有身份证号为"},
		{"unknown branch", []string{"meeting", "add", "--branch", "ffffffff", "--kind", "党课", "--on", "2026-11-10"}, 1, "没有党支部 ffffffff"},
		{"bad month", []string{"meeting", "list", "--month", "2026-13"}, 2, "--month"},
		{"short branch reference", []string{"branch", "show", "01ab"}, 2, "8"},
		{"bad months", []string{"dues", "pay", o.numbers["王建国"], "--months", "2026/09"}, 2, "--months"},
		{"month named twice", []string{"dues", "pay", o.numbers["王建国"], "--months", "2026-09,2026-09"}, 2, "--months"},
		{"missing --months", []string{"dues", "pay", o.numbers["王建国"]}, 2, "--months"},
		{"unknown cadre pays", []string{"dues", "pay", unknownCadre, "--months", "2026-09"}, 1, "没有身份证号为"},
		{"exempt and reduced", []string{"dues", "relief", o.numbers["赵敏"], "--from", "2026-09", "--exempt", "--reduced", "5", "--approved-by", "x", "--approved-on", "2026-08-01", "--reason", "y"}, 2, "--exempt"},
		{"relief ends before it begins", []string{"dues", "relief", o.numbers["赵敏"], "--from", "2026-09", "--to", "2026-08", "--exempt", "--approved-by", "x", "--approved-on", "2026-08-01", "--reason", "y"}, 2, "--to"},
		{"two cadres for arrears", []string{"dues", "arrears", o.numbers["赵敏"], o.numbers["孙立"]}, 2, "多余的参数"},
		{"election without a secretary", []string{"branch", "elect", o.branchID, "--on", "2026-10-01"}, 2, "--secretary"},
		{"training without a course", []string{"branch", "training", o.numbers["赵敏"], "--on", "2026-10-01"}, 2, "--course"},
		{"assess a future year", []string{"branch", "assess", o.branchID, "--year", "2027", "--on", "2026-11-20"}, 2, "--year"},
		{"unknown meeting", []string{"meeting", "deliver", "0190aaaa-0000-7000-8000-000000000000", o.numbers["赵敏"]}, 1, "没有会议"},
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
	res := o.run("meeting", "list", "--month", "2026-13", "--lang", "en")
	assert.Contains(t, res.stderr, "usage: flag --month: bad value \"2026-13\"")
	assert.Contains(t, res.stderr, "see wanxia office meeting list --help")
}

// TestPaidOnDefaultsToToday checks that the day paid defaults to the
// command's today in Asia/Shanghai.
func TestPaidOnDefaultsToToday(t *testing.T) {
	o := newBranchOffice(t)
	var p map[string]any
	o.okJSON(&p, "dues", "pay", o.numbers["周红"], "--months", "2026-05")
	assert.Equal(t, "2026-11-28", p["paid_on"])
	assert.Equal(t, float64(1500), p["amount_fen"])
}

// TestBranchPlanReachesTheOffices runs the whole flow: offices register
// their cadres and sync, the hub plans and applies while it serves, and
// each office then sees its branch and records a meeting of it.
func TestBranchPlanReachesTheOffices(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	tokens := map[string]string{}
	for _, o := range []struct{ id, communities string }{{"sy-1", "sy"}, {"gsq-1", "gsq,hx"}} {
		var added map[string]any
		okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", o.id, "--name", o.id, "--communities", o.communities)...)
		tokens[o.id] = added["token"].(string)
	}
	ok(t, hubArgs(hubDB, "community", "set", "sy", "--name", "舜园社区", "--lat", "36.660", "--lng", "117.000")...)
	ok(t, hubArgs(hubDB, "community", "set", "gsq", "--name", "杆石桥社区", "--lat", "36.670", "--lng", "117.030")...)
	ok(t, hubArgs(hubDB, "community", "set", "hx", "--name", "华信社区", "--lat", "36.672", "--lng", "117.034")...)

	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var out, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- run(ctx, hubArgs(hubDB, "serve", "--addr", "127.0.0.1:0"), strings.NewReader(""), &out, &logs)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return addr.MatchString(out.String()) })
	hubURL := addr.FindString(out.String())

	sy := newOffice(t, "sy-1", tokens["sy-1"], hubURL)
	gsq := newOffice(t, "gsq-1", tokens["gsq-1"], hubURL)
	var syIDs []string
	for i, name := range []string{"王建国", "李秀英", "张志强"} {
		syIDs = append(syIDs, sy.addCadre(name, testkit.IDNumberFor("370102", "19480101", 2*i+1), "sy"))
	}
	gsq.addCadre("钱进", testkit.IDNumberFor("370102", "19480101", 21), "gsq")
	gsq.addCadre("孙立", testkit.IDNumberFor("370102", "19480101", 25), "gsq")
	gsq.addCadre("周红", testkit.IDNumberFor("370102", "19480101", 23), "hx")
	sy.ok("sync")
	gsq.ok("sync")

	assert.Contains(t, ok(t, hubArgs(hubDB, "branch", "plan", "--on", "2026-11-28", "--apply")...), "新建党支部2个")
	sy.ok("sync")
	gsq.ok("sync")

	var list []map[string]any
	sy.okJSON(&list, "branch", "list", "--on", "2026-11-28")
	require.Len(t, list, 1)
	assert.Equal(t, "community", list[0]["kind"])
	assert.Equal(t, float64(3), list[0]["members"])
	gsq.okJSON(&list, "branch", "list", "--on", "2026-11-28")
	require.Len(t, list, 1)
	assert.Equal(t, "joint", list[0]["kind"])
	assert.Equal(t, []any{"gsq", "hx"}, list[0]["communities"])
	assert.Equal(t, []any{"杆石桥社区", "华信社区"}, list[0]["community_names"])
	assert.Equal(t, float64(3), list[0]["members"])

	sy.okJSON(&list, "branch", "list", "--on", "2026-11-28")
	branchID := list[0]["id"].(string)
	sy.ok("meeting", "add", "--branch", branchID, "--kind", "theme_day", "--on", "2026-11-28", "--present", strings.Join(syIDs, ","))
	var rep map[string]any
	sy.okJSON(&rep, "sync")
	assert.Equal(t, float64(0), rep["refused"], "the hub takes the office's meeting")

	stop()
	assert.Equal(t, 0, <-served, logs.String())
}
