package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// wang's ID number, and the same with one digit mistyped.
var (
	wangID      = testkit.IDNumberFor("370102", "19440315", 13)
	wangIDWrong = wangID[:16] + "9" + wangID[17:]
)

// cadreNamed is the live cadre of rep with the name, nil when none.
func cadreNamed(t *testing.T, rep *store.Replica, name string) *cadre.Cadre {
	t.Helper()
	cs, err := rep.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	for _, c := range cs {
		if c.Name == name {
			return &c
		}
	}
	return nil
}

func TestBrowserRegisterAWrongIDNumberThenCorrectIt(t *testing.T) {
	d := newDistrict(t)
	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/register", "#f-name", "register")
	assert.Equal(t, "sy", b.Value("#f-community"), "the office's one community is chosen")
	b.Type("#f-name", "王建国")
	b.Type("#f-id_number", wangIDWrong)
	b.WaitText("#f-id_number-live", "校验位不符")
	b.Choose("#f-category", "tuixiu")
	b.Type("#f-retired_on", "2004-04")
	b.Choose("#f-party", "full")
	b.Type("#f-phone", "0531-86001234")
	b.Type("#f-address", "舜园小区3号楼2单元101")
	b.Click(`form[action="/register"] button.button`, ".error-summary", "register-wrong-id")

	assert.Contains(t, b.Text(".error-summary"), "身份证号")
	assert.Contains(t, b.FieldError("id_number"), "校验位不符", "the error beside the field")
	focused := webtest.Run(b, chromedp.Evaluate[string](`document.activeElement.className`))
	assert.Contains(t, focused, "error-summary", "the summary takes the focus")
	for sel, want := range map[string]string{"#f-name": "王建国", "#f-id_number": wangIDWrong, "#f-retired_on": "2004-04",
		"#f-phone": "0531-86001234", "#f-address": "舜园小区3号楼2单元101", "#f-category": "tuixiu", "#f-party": "full"} {
		assert.Equal(t, want, b.Value(sel), "%s keeps what was typed", sel)
	}
	assert.Nil(t, cadreNamed(t, d.a.rep, "王建国"), "nothing registered")

	b.Do(chromedp.Click(chromedp.CSS(`.error-summary a[href="#f-id_number"]`)))
	assert.Equal(t, "f-id_number", webtest.Run(b, chromedp.Evaluate[string](`document.activeElement.id`)), "the summary's link goes to the field")
	b.Type("#f-id_number", wangID)
	b.WaitText("#f-id_number-live", "1944-03-15")
	assert.Equal(t, "1944-03-15", b.Value("#f-birth_date"), "the birth date filled from the ID number")
	assert.Equal(t, "male", b.Value("#f-gender"), "the gender too")
	b.Shot("register-corrected")
	b.Click(`form[action="/register"] button.button`, ".banner--done", "registered")
	assert.Contains(t, b.Text(".banner--done"), "已登记：王建国")
	assert.Contains(t, b.Text("h1"), "王建国")
	assert.Contains(t, b.Text("main"), "1944-03-15")
	c := cadreNamed(t, d.a.rep, "王建国")
	require.NotNil(t, c)
	assert.Equal(t, cadre.NewDate(2004, 4, 1), c.RetiredOn)
	assert.Equal(t, "0531-86001234", c.Phone)
}

func TestBrowserImportARosterWithTwoBadRows(t *testing.T) {
	d := newDistrict(t)
	wrong := testkit.IDNumber(200)
	wrong = wrong[:16] + string('0'+(wrong[16]-'0'+1)%10) + wrong[17:]
	file := filepath.Join(t.TempDir(), "舜园社区名册.csv")
	require.NoError(t, os.WriteFile(file, rosterCSV(3, "张三,"+wrong+",退休,sy,2000-01", "李四,"+testkit.IDNumber(201)+",退休的,sy,2000-01"), 0o644))

	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/roster", "#f-file", "roster")
	b.Do(chromedp.SetUploadFiles(chromedp.CSS("#f-file"), []string{file}))
	assert.NotEmpty(t, b.Value("#f-as_of"), "the roster's time is taken from the file")
	b.Click(`form[action="/roster/preview"] button`, "#bad", "roster-preview")
	bad := b.Text("#bad")
	assert.Contains(t, bad, "校验位不符")
	assert.Contains(t, bad, "退休的")
	assert.Contains(t, bad, "离休、退休、军休", "the accepted forms")
	rows := webtest.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("#bad tbody tr").length`))
	assert.Equal(t, 2, rows)
	assert.Contains(t, b.Text("main"), "将新增的干部")
	cs, err := d.a.rep.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Empty(t, cs, "the check writes nothing")

	b.Click(`form[action="/roster/import"] button`, "h1", "roster-imported")
	assert.Contains(t, b.Text("h1"), "导入完成")
	cs, err = d.a.rep.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, cs, 3, "the good rows are imported")
	assert.Nil(t, cadreNamed(t, d.a.rep, "李四"))
}

func TestBrowserRecordADueVisitFromToday(t *testing.T) {
	d := newDistrict(t)
	saved, err := desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: testkit.Wang(), Set: desk.CadreFields})
	require.NoError(t, err)
	d.a.sync(t)
	helper := care.Helper{Name: "李帮扶", ActiveFrom: testkit.Date("2026-01-01")}
	_, err = d.hub.PutHelper(ctx, &helper)
	require.NoError(t, err)
	_, err = d.hub.PutPair(ctx, &care.Pair{HelperID: helper.ID, CadreID: saved.Cadre.ID, From: testkit.Date("2026-11-01"), Reason: cadre.NeedElderly})
	require.NoError(t, err)
	d.a.sync(t)
	_, err = desk.AdmitToHospital(ctx, d.a.rep, testkit.FixedNow(), desk.StayInput{CadreID: saved.Cadre.ID, On: testkit.Date("2026-11-27")})
	require.NoError(t, err, "an admission makes a hospital visit due within 3 days")
	li := testkit.Cadre(7, "sy")
	li.Name = "李秀英"
	liSaved, err := desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: li, Set: desk.CadreFields})
	require.NoError(t, err)
	_, err = desk.OpenHelpCase(ctx, d.a.rep, testkit.FixedNow(), desk.HelpOpening{CadreID: liSaved.Cadre.ID, Kind: care.HelpMedical, Urgent: true,
		At: testkit.At("2026-11-26 16:30"), Note: "夜间突发不适，需要陪同就医"})
	require.NoError(t, err)

	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/today", "#visits", "today")
	visits := b.Text("#visits")
	assert.Contains(t, visits, "帮扶人：李帮扶")
	assert.Contains(t, visits, "王建国")
	assert.Contains(t, visits, "住院探望")
	assert.NotContains(t, visits, "季度入户走访", "the quarter's visit is not due within the week")
	urgent := b.Text("#urgent")
	assert.Contains(t, urgent, "李秀英", "an urgent request nobody acted on")
	assert.Contains(t, urgent, "医疗")
	b.Click(`#visits button[aria-label*="王建国"]`, ".banner--done", "today-recorded")
	assert.Contains(t, b.Text(".banner--done"), "已记录：王建国，住院探望")
	assert.NotContains(t, b.Text("#visits"), "王建国", "the visit left the list")
	vs, err := d.a.rep.Visits(ctx, store.VisitFilter{CadreID: saved.Cadre.ID})
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, care.VisitHospital, vs[0].Kind)
	assert.Equal(t, helper.ID, vs[0].By, "made by the paired helper")
	assert.Equal(t, testkit.Today(), vs[0].On)
}

func TestBrowserSyncBringsTheOtherOfficesChange(t *testing.T) {
	d := newDistrict(t)
	saved, err := desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: testkit.Wang(), Set: desk.CadreFields})
	require.NoError(t, err)
	d.a.sync(t)
	d.b.sync(t)
	id := saved.Cadre.ID.String()

	other := webtest.NewTab(t, "sy-2")
	other.Open(d.b.url+"/cadres/"+id+"/edit", "#f-phone", "edit")
	other.Type("#f-phone", "0531-87654321")
	other.Click(`form[action$="/edit"] button.button`, ".banner--done", "edited")
	assert.Contains(t, other.Text(".banner--done"), "已保存 王建国 的修改")
	other.Open(d.b.url+"/today", "#sync", "today-before-sync")
	assert.Contains(t, other.Text("#sync"), "待发送的修改\n1")
	other.Do(chromedp.Click(chromedp.CSS("#sync button")))
	other.WaitText("#sync", "同步完成：发送 1 条修改")
	other.Shot("synced")

	here := webtest.NewTab(t, "sy-1")
	here.Open(d.a.url+"/cadres/"+id, "h1", "cadre-before")
	assert.Contains(t, here.Text("main"), "0531-86001234")
	here.Open(d.a.url+"/today", "#sync", "today")
	here.Do(chromedp.Click(chromedp.CSS("#sync button")))
	here.WaitText("#sync", "同步完成")
	here.Shot("synced")
	assert.Contains(t, here.Text("#sync"), "接收 1 条")
	here.Open(d.a.url+"/cadres/"+id, "h1", "cadre-after")
	assert.Contains(t, here.Text("main"), "0531-87654321", "the other office's change arrived")
}

func TestBrowserFormWithoutTheSessionTokenIsRefused(t *testing.T) {
	d := newDistrict(t)
	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/register", "#f-name", "register")
	b.Type("#f-name", "王建国")
	b.Type("#f-id_number", wangID)
	webtest.Run(b, chromedp.Evaluate[bool](`document.querySelector('form[action="/register"] input[name="_token"]').remove() === undefined`))
	b.Click(`form[action="/register"] button.button`, "h1", "refused")
	assert.Contains(t, b.Text("h1"), "这张表单没有被接受")
	assert.Contains(t, b.Text("main"), "什么都没有保存")
	assert.Nil(t, cadreNamed(t, d.a.rep, "王建国"))
	assert.True(t, strings.HasSuffix(webtest.Run(b, chromedp.Location()), "/register"))
}

func TestBrowserResolveAConflict(t *testing.T) {
	d := newDistrict(t)
	saved, err := desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: testkit.Wang(), Set: desk.CadreFields})
	require.NoError(t, err)
	id := saved.Cadre.ID
	d.a.sync(t)
	d.b.sync(t)
	phone := func(v string) desk.CadreInput {
		return desk.CadreInput{Values: cadre.Cadre{Phone: v}, Set: []string{"phone"}}
	}
	_, err = desk.EditCadre(ctx, d.a.rep, id, phone("0531-11111111"))
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, d.b.rep, id, phone("0531-22222222"))
	require.NoError(t, err)
	d.a.sync(t)
	d.b.sync(t)
	res := d.a.sync(t)
	require.Equal(t, 1, res.ConflictsOpen, "the hub saw two offices change the phone at once")

	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/conflicts", "#conflicts", "conflicts")
	c := b.Text("#conflicts .conflict")
	assert.Contains(t, c, "王建国：电话")
	assert.Contains(t, c, "0531-22222222")
	assert.Contains(t, c, "0531-11111111")
	assert.Contains(t, c, "本机", "who wrote each")
	assert.Contains(t, c, "另一台电脑")
	assert.Contains(t, c, "2026-11-28", "and when")
	// Keep this office's own number, whichever side it is on.
	side := webtest.Run(b, chromedp.Evaluate[string](`[...document.querySelectorAll("#conflicts .side")].find(s => s.innerText.includes("0531-11111111")).querySelector("button").value`))
	b.Click(`#conflicts .side button[value="`+side+`"]`, ".banner--done", "resolved")
	assert.Contains(t, b.Text(".banner--done"), "冲突已解决")
	assert.Contains(t, b.Text("#conflicts"), "没有待解决的冲突")
	got, err := d.a.rep.Cadre(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "0531-11111111", got.Phone)
	d.a.sync(t)
	d.b.sync(t)
	got, err = d.b.rep.Cadre(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "0531-11111111", got.Phone, "the other office has the value kept")
}

func TestBrowserCorrectAndResendARefusedRecord(t *testing.T) {
	d := newDistrictWith(t, true)
	number := testkit.IDNumberFor("370102", "19451120", 2)
	_, err := desk.RegisterCadre(ctx, d.a.rep, desk.CadreInput{Values: cadre.Cadre{Name: "王秀英", IDNumber: number, Community: "zzz", Phone: "0531-1234"},
		Set: []string{"name", "id_number", "community", "phone"}})
	require.NoError(t, err, "typed offline, before the office knew its communities")
	res := d.a.sync(t)
	require.Equal(t, 1, res.Report.Refused)

	b := webtest.NewTab(t, "sy-1")
	b.Open(d.a.url+"/conflicts", "#refused", "refused")
	refused := b.Text("#refused")
	assert.Contains(t, refused, "干部 王秀英")
	assert.Contains(t, refused, "社区 zzz 不是本办公室的社区")
	assert.Contains(t, refused, "0531-1234", "the content is shown")
	b.Click(`#refused a[href$="/fix"]`, "#f-community", "fix")
	assert.Equal(t, "zzz", b.Value("#f-community"), "the record as it is")
	b.Choose("#f-community", "sy")
	b.Click(`form[action$="/fix"] button.button`, ".banner--done", "fixed")
	assert.Contains(t, b.Text(".banner--done"), "已改正 王秀英")

	b.Open(d.a.url+"/today", "#sync", "today")
	b.Do(chromedp.Click(chromedp.CSS("#sync button")))
	b.WaitText("#sync", "同步完成")
	b.Shot("synced")
	b.Open(d.a.url+"/conflicts", "#refused", "refused-after")
	assert.Contains(t, b.Text("#refused"), "没有被退回的记录")
	hub, err := d.hub.CadresByIDNumber(ctx, number)
	require.NoError(t, err)
	require.Len(t, hub, 1, "the hub has the cadre now")
	assert.Equal(t, "sy", hub[0].Community)
	assert.Equal(t, "0531-1234", hub[0].Phone, "whole")
}
