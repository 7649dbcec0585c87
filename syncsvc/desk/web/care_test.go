package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// registered registers cadres on an office's replica, as the register
// page does.
func registered(t *testing.T, rep *store.Replica, cs ...cadre.Cadre) []cadre.Cadre {
	t.Helper()
	out := make([]cadre.Cadre, 0, len(cs))
	for _, c := range cs {
		saved, err := desk.RegisterCadre(ctx, rep, desk.CadreInput{Values: c, Set: desk.CadreFields})
		require.NoError(t, err)
		out = append(out, saved.Cadre)
	}
	return out
}

// named is testkit's cadre n of community sy, under another name.
func named(n int, name string) cadre.Cadre {
	c := testkit.Cadre(n, "sy")
	c.Name = name
	return c
}

// A clerk records a visit, a hospital stay and a help case from start to
// end in the browser; each is stored as typed, and the page lists what is
// open.
func TestBrowserCareVisitsAndHelp(t *testing.T) {
	d := newDistrict(t)
	_, err := desk.AddHelper(ctx, d.hub, desk.HelperInput{Name: "刘帮扶", From: testkit.Date("2026-01-01")})
	require.NoError(t, err)
	o := d.a
	cs := registered(t, o.rep, named(1, "王建国"), named(2, "李秀英"), named(3, "王建功"))
	o.sync(t) // the helper arrives
	b := webtest.NewTab(t, "sy-1")

	b.Open(o.url+"/care", "main h1", "care")
	assert.Equal(t, "走访与帮扶", b.Text("main h1"))
	assert.Contains(t, b.Text("nav [aria-current=page]"), "走访与帮扶")
	b.Click(`a[href="/care/visit"]`, "#f-cadre", "visit")
	b.Fill("#f-cadre", "wjg") // pinyin initials name no one alone
	b.Set("#f-kind", "home")
	b.Set("#f-on", "2026-11-27")
	b.Fill("#f-notes", "身体尚好，要求代购药品")
	b.Click("#save", ".error-summary", "choose")
	assert.Contains(t, b.Text(".error-summary"), "没有叫“wjg”的干部")
	assert.Equal(t, 2, b.Count(`input[name="cadre_id"]`), "王建国 and 王建功 are offered")
	assert.Equal(t, "身体尚好，要求代购药品", b.Value("#f-notes"), "nothing typed is lost")
	b.Tick(`input[name="cadre_id"][value="` + cs[0].ID.String() + `"]`)
	b.ChooseText("#f-by", "刘帮扶")
	b.Click("#save", ".banner--done", "visited")
	assert.Equal(t, "/care", b.Path(o.url))
	assert.Contains(t, b.Text(".banner--done"), "已记录：王建国，入户走访（2026-11-27）")
	vs, _, err := desk.ListVisits(ctx, o.rep, store.VisitFilter{CadreID: cs[0].ID}, 0)
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, care.VisitHome, vs[0].Visit.Kind)
	assert.Equal(t, testkit.Date("2026-11-27"), vs[0].Visit.On)
	assert.Equal(t, "刘帮扶", vs[0].ByName)
	assert.Equal(t, "身体尚好，要求代购药品", vs[0].Visit.Notes)
	assert.Contains(t, b.Text("#visits"), "王建国")

	b.Click(`a[href="/care/hospital"]`, "#f-cadre", "hospital")
	b.Fill("#f-cadre", "李秀英")
	b.Tick(`input[name="event"][value="admit"]`)
	b.Set("#f-on", "2026-11-25")
	b.Click("#save", ".banner--done", "admitted")
	assert.Contains(t, b.Text(".banner--done"), "已登记：李秀英 于 2026-11-25 入院")
	assert.Contains(t, b.Text("#hospital"), "李秀英")
	b.Click(`#hospital a[href*="event=discharge"]`, ".choices", "discharge")
	assert.Contains(t, b.Text(".choices"), "李秀英", "the cadre comes with the link")
	b.Set("#f-on", "2026-11-24")
	b.Click("#save", ".error-summary", "before admission")
	assert.Contains(t, b.Text(".error-summary"), "早于入院日期 2026-11-25")
	b.Set("#f-on", "2026-11-28")
	b.Click("#save", ".banner--done", "discharged")
	assert.Contains(t, b.Text(".banner--done"), "已登记：李秀英 于 2026-11-28 出院（2026-11-25 入院，住院 3 天）")
	stays, err := o.rep.HospitalStays(ctx, cs[1].ID)
	require.NoError(t, err)
	require.Len(t, stays, 1)
	assert.Equal(t, testkit.Date("2026-11-28"), stays[0].Discharged)
	assert.Contains(t, b.Text("#hospital"), "没有正在住院的")

	b.Click(`a[href="/care/help/new"]`, "#f-cadre", "help")
	b.Fill("#f-cadre", cs[2].IDNumber) // by the ID number, sent by POST
	b.Set("#f-kind", "medical")
	b.Tick("#f-urgent")
	b.Fill("#f-note", "夜间胸闷，需陪同就医")
	b.Click("#save", ".banner--done", "opened")
	assert.Contains(t, b.Text(".banner--done"), "已登记 王建功 的医疗求助（紧急")
	assert.NotContains(t, b.Path(o.url), cs[2].IDNumber, "no ID number in an address")
	b.Fill("#f-act_note", "已联系社区医院")
	b.Click("#act", ".banner--done", "acted")
	assert.Contains(t, b.Text(".banner--done"), "状态：处理中")
	b.Click("#close", ".error-summary", "no outcome")
	assert.Contains(t, b.Text(".error-summary"), "请写明结果")
	b.Fill("#f-resolution", "已陪同就医，病情稳定")
	b.Click("#close", ".banner--done", "closed")
	assert.Equal(t, "/care", b.Path(o.url))
	assert.Contains(t, b.Text(".banner--done"), "王建功 的医疗求助已结案（已解决）")
	hcs, err := o.rep.HelpCases(ctx, store.HelpFilter{CadreID: cs[2].ID})
	require.NoError(t, err)
	require.Len(t, hcs, 1)
	assert.Equal(t, care.HelpResolved, hcs[0].Status)
	assert.True(t, hcs[0].Urgent)
	assert.Contains(t, hcs[0].Note, "已联系社区医院")
	assert.Equal(t, "已陪同就医，病情稳定", hcs[0].Resolution)
	assert.Contains(t, b.Text("#help"), "没有未结案的求助")
}

// The care forms refuse what cannot be, beside the field, keep what was
// typed, and store nothing.
func TestCareFormsRefuseAndKeepWhatWasTyped(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	cs := registered(t, s.rep, named(1, "王建国"))

	p := s.post("/care/visit", url.Values{"cadre": {"王建国"}, "kind": {"home"}, "on": {"2026-11-29"}, "notes": {"明天再去"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "晚于今天（2026-11-28）")
	assert.Contains(t, p.body, `href="#f-on"`)
	assert.Contains(t, p.body, "明天再去")
	p = s.post("/care/visit", url.Values{"cadre": {"赵钱孙"}, "kind": {"home"}, "on": {"2026-11-28"}})
	assert.Contains(t, p.body, "本机没有找到干部“赵钱孙”")
	p = s.post("/care/hospital", url.Values{"cadre": {"王建国"}, "event": {"discharge"}, "on": {"2026-11-28"}})
	assert.Contains(t, p.body, "王建国 没有未出院的住院记录")
	p = s.post("/care/help", url.Values{"cadre": {"王建国"}, "kind": {""}, "at": {"昨天"}})
	assert.Contains(t, p.body, "请选择求助类别")
	assert.Contains(t, p.body, "“昨天”不是时间")
	vs, _, err := desk.ListVisits(ctx, s.rep, store.VisitFilter{CadreID: cs[0].ID}, 0)
	require.NoError(t, err)
	assert.Empty(t, vs)
	hcs, err := s.rep.HelpCases(ctx, store.HelpFilter{})
	require.NoError(t, err)
	assert.Empty(t, hcs, "nothing stored from the forms refused")

	p = s.post("/care/help", url.Values{"cadre": {"王建国"}, "kind": {"economic"}, "_token": {""}})
	assert.Equal(t, http.StatusForbidden, p.status, "no form without the session's token")

	p = s.get("/care?cadre=" + cs[0].ID.String())
	assert.Contains(t, p.body, "为 王建国 记录", "a cadre's page opens the forms for the cadre")
	assert.Contains(t, p.body, `href="/care/visit?cadre=`+cs[0].ID.String()+`"`)
	p = s.post("/care/help", url.Values{"cadre": {cs[0].IDNumber}, "kind": {"economic"}})
	assert.Equal(t, http.StatusSeeOther, p.status, "a cadre named by the ID number")
	assert.NotContains(t, p.location, cs[0].IDNumber)
	assert.NotContains(t, s.log.String(), cs[0].IDNumber, "no ID number in the log")
	for _, path := range []string{"/care", "/care/visit", "/care/hospital", "/care/help/new"} {
		p = s.get(path)
		assert.Equal(t, http.StatusOK, p.status, path)
		assert.NotContains(t, p.body, "⟦", path)
	}
	assert.Equal(t, http.StatusNotFound, s.get("/care/help/0194d6c5-0000-7000-8000-000000000000").status)
	s.post("/lang", url.Values{"lang": {"en"}, "back": {"/care"}})
	p = s.get("/care")
	assert.Contains(t, p.body, "<h1>Visits and help</h1>")
	assert.Empty(t, hanOutside(strings.ReplaceAll(p.body, "王建国", "")), "an English page has no Chinese of the desk's own (names are the records')")
}
