package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// withBranch registers members on an office's replica and puts them in a
// community branch of sy from since, as the district's branch plan brings
// them.
func withBranch(t *testing.T, rep *store.Replica, since string, names ...string) (branch.Branch, []cadre.Cadre) {
	t.Helper()
	var cs []cadre.Cadre
	for i, name := range names {
		c := named(40+i, name)
		c.PensionFen = 600_000
		cs = append(cs, c)
	}
	cs = registered(t, rep, cs...)
	b := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: testkit.Date("2019-07-01")}
	_, err := rep.PutBranch(ctx, &b)
	require.NoError(t, err)
	for _, c := range cs {
		_, err := rep.PutMembership(ctx, &branch.Membership{CadreID: c.ID, BranchID: b.ID, From: testkit.Date(since)})
		require.NoError(t, err)
	}
	return b, cs
}

// A clerk records a meeting with each member's attendance, the study
// taken to the member absent ill, a member's dues, and reads the 五好
// assessment, in the browser; each is stored as ticked.
func TestBrowserBranchMeetingDuesAndAssessment(t *testing.T) {
	d := newDistrict(t)
	o := d.a
	br, cs := withBranch(t, o.rep, "2026-06-01", "王建国", "李秀英", "张志强")
	b := webtest.NewTab(t, "sy-1")

	b.Open(o.url+"/branch", "main h1", "branch")
	assert.Equal(t, "/branch/"+br.ID.String(), b.Path(o.url), "a single branch opens at once")
	assert.Equal(t, br.Name, b.Text("main h1"))
	assert.Contains(t, b.Text("#members"), "张志强")

	b.Click(`a[href$="/meeting"]`, "#attendance", "meeting")
	b.Set("#f-kind", "theme_day")
	b.Set("#f-on", "2026-11-20")
	b.Fill("#f-topic", "学习党的二十届四中全会精神")
	b.Tick(`input[name="at_` + cs[1].ID.String() + `"][value="health"]`)
	b.Tick(`input[name="at_` + cs[2].ID.String() + `"][value="away"]`)
	b.Fill(`input[name="note_`+cs[2].ID.String()+`"]`, "探亲")
	b.Click("#save", ".banner--done", "recorded")
	assert.Contains(t, b.Text(".banner--done"), "出席 1，因病 1，请假 1，无故缺席 0")
	assert.Contains(t, b.Text(".banner--done"), "应送学上门：李秀英")
	ms, err := desk.ListMeetings(ctx, o.rep, desk.ListMeetingsInput{BranchID: br.ID})
	require.NoError(t, err)
	require.Len(t, ms, 1)
	m := ms[0].Meeting
	assert.Equal(t, branch.MeetingThemeDay, m.Kind)
	assert.Equal(t, "学习党的二十届四中全会精神", m.Topic)
	got := map[string]branch.Attendance{}
	for _, a := range ms[0].Attendance {
		got[a.Cadre.Name] = a.Attendance
	}
	assert.True(t, got["王建国"].Present)
	assert.Equal(t, branch.AbsenceHealth, got["李秀英"].Absence)
	assert.Equal(t, branch.AbsenceAway, got["张志强"].Absence)
	assert.Equal(t, "探亲", got["张志强"].Note)

	assert.Contains(t, b.Text("#held"), "学习党的二十届四中全会精神")
	field := "#f-on_" + m.ID.String() + "_" + cs[1].ID.String()
	b.Set(field, "2026-11-19")
	b.Click("#deliveries form button", ".error-summary", "delivered early")
	assert.Contains(t, b.Text(".error-summary"), "早于会议日期 2026-11-20")
	b.Set(field, "2026-11-25")
	b.Click("#deliveries form button", ".banner--done", "delivered")
	assert.Contains(t, b.Text(".banner--done"), "已记录送学上门：李秀英")
	ms, err = desk.ListMeetings(ctx, o.rep, desk.ListMeetingsInput{BranchID: br.ID})
	require.NoError(t, err)
	require.Len(t, ms[0].Deliveries, 1)
	assert.Equal(t, testkit.Date("2026-11-25"), ms[0].Deliveries[0].Delivery.On)
	assert.Equal(t, 0, b.Count("#deliveries form"), "nothing more is owed")

	b.Click(`a[href$="/dues"]`, "#dues", "dues")
	assert.Equal(t, 3, b.Count("#dues tbody tr"))
	assert.Equal(t, 15, b.Count("#dues .mark-no"), "three members, June to October unpaid")
	b.Click(`a[href$="/dues/`+cs[0].ID.String()+`"]`, "#f-months", "pay")
	assert.Equal(t, "王建国 交党费", b.Text("main h1"))
	assert.Equal(t, 5, b.Count(`#f-months input:checked`), "the unpaid months come ticked")
	b.Click("#save", ".banner--done", "paid")
	assert.Contains(t, b.Text(".banner--done"), "已记录 王建国 交纳党费 300.00 元（2026-06—2026-10）")
	assert.Equal(t, 10, b.Count("#dues .mark-no"))
	assert.Equal(t, 5, b.Count("#dues .mark-yes"))
	pays, err := o.rep.DuesPayments(ctx, cs[0].ID)
	require.NoError(t, err)
	require.Len(t, pays, 1)
	assert.Equal(t, int64(30_000), pays[0].AmountFen)
	assert.Len(t, pays[0].Months, 5)

	b.Open(o.url+"/branch/"+br.ID.String()+"/assess", ".record-card", "assess")
	assert.Contains(t, b.Text("main h1"), "2026年度五好")
	assert.Equal(t, 5, b.Count(".record-card"), "five criteria")
	assert.Positive(t, b.Count(".evidence li"), "with the evidence")
	assert.Contains(t, b.Text("main"), "本年度未记录群众意见")
	b.Fill("#f-fb_source", "居民座谈会")
	b.Fill("#f-fb_note", "支部活动多，大家满意")
	b.Click("#fb-save", ".banner--done", "feedback")
	assert.Contains(t, b.Text(".banner--done"), "已记录 "+br.Name+" 的群众反映（居民座谈会，2026-11-28）")
	assert.NotContains(t, b.Text("main"), "本年度未记录群众意见", "the opinion is evidence now")
	fb, err := o.rep.Feedback(ctx, br.ID)
	require.NoError(t, err)
	require.Len(t, fb, 1)
	assert.True(t, fb[0].Good)
	assert.Equal(t, "支部活动多，大家满意", fb[0].Note)
}

// The branch forms refuse what cannot be, beside the field, and store
// nothing.
func TestBranchFormsRefuse(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	b, cs := withBranch(t, s.rep, "2026-06-01", "王建国")
	base := "/branch/" + b.ID.String()

	p := s.post(base+"/meeting", url.Values{"kind": {""}, "on": {"11/20"}, "at_" + cs[0].ID.String(): {"present"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "请选择会议类型")
	assert.Contains(t, p.body, "“11/20”不是日期")
	p = s.post(base+"/dues/"+cs[0].ID.String(), url.Values{"amount": {"三十"}})
	assert.Contains(t, p.body, "请至少选一个月份")
	assert.Contains(t, p.body, "“三十”不是金额")
	p = s.post(base+"/feedback", url.Values{"fb_on": {"2026-11-28"}, "fb_good": {"true"}, "fb_source": {" "}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "请写明来源")
	p = s.post(base+"/training", url.Values{"tr_cadre": {""}, "tr_on": {"2026-11-28"}, "tr_course": {""}})
	assert.Contains(t, p.body, "请选择参加培训的党员")
	assert.Contains(t, p.body, "请写明培训班")
	ms, err := desk.ListMeetings(ctx, s.rep, desk.ListMeetingsInput{})
	require.NoError(t, err)
	assert.Empty(t, ms)
	p = s.post(base+"/training", url.Values{"tr_cadre": {cs[0].ID.String()}, "tr_on": {"2026-11-20"}, "tr_course": {"2026年度支部书记培训班"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	trs, err := s.rep.Trainings(ctx, cs[0].ID)
	require.NoError(t, err)
	require.Len(t, trs, 1)
	assert.Equal(t, "2026年度支部书记培训班", trs[0].Course)
	pays, err := s.rep.DuesPayments(ctx, cs[0].ID)
	require.NoError(t, err)
	assert.Empty(t, pays)

	for _, path := range []string{"/branch", base, base + "/meeting", base + "/dues", base + "/dues/" + cs[0].ID.String(), base + "/assess?year=2025", base + "?month=2026-10"} {
		p = s.get(path)
		assert.Contains(t, []int{http.StatusOK, http.StatusSeeOther}, p.status, path)
		assert.NotContains(t, p.body, "⟦", path)
	}
	assert.Equal(t, http.StatusNotFound, s.get("/branch/0194d6c5-0000-7000-8000-000000000000").status)
	s.post("/lang", url.Values{"lang": {"en"}, "back": {base}})
	p = s.get(base + "/dues")
	assert.Contains(t, p.body, "<h1>Party dues</h1>")
	assert.NotContains(t, p.body, "⟦")
}
