package windows_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// The Windows office's desk in a real browser: wanxia.exe office desk
// serves under Wine, and Linux's headless chromium (Wine programs share
// this machine's loopback) does what a clerk does in it, as the desk's own
// browser tests do in-process (syncsvc/desk/web/browser_test.go).

// deskInBrowser drives the desk of the Windows office, whose roster (王建国
// and 李秀英) was imported and synced with hub: a cadre registered with a
// wrong ID number, then corrected; 王建国, admitted to hospital the day
// before, visited from 今日; 王建国 found with the 干部 search; a form
// without the session token refused; 同步 pressed. Then wanxia.exe and the
// hub are asked what is stored.
//
// The desk runs on the real clock: the admission is recorded for the day
// before today, so that the prompt hospital visit is due this week on any
// date, and the assertions name no other date.
func deskInBrowser(t *testing.T, w *wine, hub *linuxHub) {
	b := webtest.NewTab(t, "sy-1") // skips here, before Wine starts anything, when there is no chromium
	started := time.Now()

	shanghai := syncsvc.Shanghai()
	yesterday := time.Now().In(shanghai).AddDate(0, 0, -1).Format("2006-01-02")
	res := w.wanxiaExe(t, "", "office", "hospital", "admit", "王建国", "--on", yesterday)
	require.Equal(t, 0, res.code, res.stderr)

	d := w.startWin(t, w.command(context.Background(), w.unix(`C:\晚霞`), w.unix(`C:\晚霞\wanxia.exe`), "office", "desk", "--no-browser", "--auto-sync", "-1s"), "")
	url := d.waitFor(t, deskOpened)
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			w.stopWanxia(t)
		}
	}
	defer stop()

	// Register a cadre with a mistyped ID number: the error beside the
	// field, nothing typed lost; corrected, the cadre is registered.
	zhao := testkit.IDNumberFor("370102", "19460712", 5)
	zhaoWrong := zhao[:16] + string('0'+(zhao[16]-'0'+1)%10) + zhao[17:]
	b.Open(url+"register", "#f-name", "register")
	assert.Equal(t, "sy", b.Value("#f-community"), "the office's one community is chosen")
	b.Type("#f-name", "赵志明")
	b.Type("#f-id_number", zhaoWrong)
	b.WaitText("#f-id_number-live", "校验位不符")
	b.Choose("#f-category", "tuixiu")
	b.Type("#f-retired_on", "2006-08")
	b.Choose("#f-party", "full")
	b.Type("#f-phone", "0531-86005678")
	b.Type("#f-address", "舜园小区5号楼1单元302")
	b.Click(`form[action="/register"] button.button`, ".error-summary", "register-wrong-id")
	assert.Contains(t, b.Text(".error-summary"), "身份证号")
	assert.Contains(t, b.FieldError("id_number"), "校验位不符", "the error beside the field")
	assert.Empty(t, b.FieldError("name"), "no error beside a field typed right")
	for sel, want := range map[string]string{"#f-name": "赵志明", "#f-retired_on": "2006-08", "#f-phone": "0531-86005678",
		"#f-address": "舜园小区5号楼1单元302", "#f-category": "tuixiu", "#f-party": "full"} {
		assert.Equal(t, want, b.Value(sel), "%s keeps what was typed", sel)
	}
	assert.True(t, b.Value("#f-id_number") == zhaoWrong, "the ID number keeps what was typed") // not printed
	b.Type("#f-id_number", zhao)
	b.WaitText("#f-id_number-live", "1946-07-12")
	assert.Equal(t, "1946-07-12", b.Value("#f-birth_date"), "the birth date filled from the ID number")
	b.Click(`form[action="/register"] button.button`, ".banner--done", "registered")
	assert.Contains(t, b.Text(".banner--done"), "已登记：赵志明")
	assert.Contains(t, b.Text("h1"), "赵志明")
	assert.Contains(t, b.Text("main"), "1946-07-12")

	// 今日 lists the hospital visit due to 王建国; one click records it,
	// and it leaves the list.
	admission := `#visits tr:has(input[name="due"][value="admission"])`
	b.Open(url+"today", "#visits", "today")
	require.Equal(t, 1, b.Count(admission), "the visit due on admission is listed")
	assert.Contains(t, b.Text(admission), "王建国")
	assert.Contains(t, b.Text(admission), "住院探望")
	dayBefore := time.Now().In(shanghai).Format("2006-01-02") // the click may fall either side of midnight
	b.Click(admission+` button[aria-label*="王建国"]`, ".banner--done", "today-recorded")
	assert.Contains(t, b.Text(".banner--done"), "已记录：王建国，住院探望")
	assert.Equal(t, 0, b.Count(admission), "the visit left the list")
	visitedOn := time.Now().In(shanghai).Format("2006-01-02")

	// The 干部 search finds the imported 王建国, and his page shows him.
	b.Open(url+"cadres", "#f-q", "cadres")
	b.Type("#f-q", "王建国")
	b.Click(`form.search button.button`, "main", "cadres-found")
	require.Equal(t, 1, b.Count(`main table a[href^="/cadres/"]`), "one cadre found")
	assert.Equal(t, "王建国", b.Text(`main table a[href^="/cadres/"]`))
	b.Click(`main table a[href^="/cadres/"]`, "h1", "wang")
	assert.Contains(t, b.Text("h1"), "王建国")
	assert.Contains(t, b.Text("main"), "1944-03-15", "the birth date the roster's ID number gives")

	// A form posted without the session token is refused, and nothing is
	// saved.
	b.Open(url+"register", "#f-name", "register-again")
	b.Type("#f-name", "孙立平")
	b.Type("#f-id_number", testkit.IDNumberFor("370102", "19480101", 7))
	webtest.Run(b, chromedp.Evaluate[bool](`document.querySelector('form[action="/register"] input[name="_token"]').remove() === undefined`))
	b.Click(`form[action="/register"] button.button`, "h1", "refused")
	assert.Equal(t, 403, webtest.Run(b, chromedp.Evaluate[int](`performance.getEntriesByType("navigation")[0].responseStatus`)))
	assert.Contains(t, b.Text("h1"), "这张表单没有被接受")
	assert.Contains(t, b.Text("main"), "什么都没有保存")

	// 同步 sends what the browser did to the hub on Linux, and says so.
	b.Open(url+"today", "#sync", "today-before-sync")
	outbox := regexp.MustCompile(`待发送的修改\s*(\d+)`)
	m := outbox.FindStringSubmatch(b.Text("#sync"))
	require.NotNil(t, m, "the sync panel counts the changes to send")
	pending, err := strconv.Atoi(m[1])
	require.NoError(t, err)
	assert.GreaterOrEqual(t, pending, 3, "the admission, the registration and the visit")
	b.Tick("#sync button")
	b.WaitText("#sync", "同步完成：发送 "+m[1]+" 条修改")
	b.Shot("synced")
	assert.Regexp(t, `待发送的修改\s*0`, b.Text("#sync"))
	t.Logf("the browser's steps on the desk under Wine took %s", time.Since(started).Round(time.Millisecond))
	stop()

	// What the browser did is stored: in the office's replica, as
	// wanxia.exe reads it, and at the hub.
	res = w.wanxiaExe(t, "", "office", "cadre", "list", "--json")
	require.Equal(t, 0, res.code, res.stderr)
	var cadres []struct {
		Name      string `json:"name"`
		IDNumber  string `json:"id_number"`
		RetiredOn string `json:"retired_on"`
		Phone     string `json:"phone"`
		Address   string `json:"address"`
		Category  string `json:"category"`
	}
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &cadres))
	var names []string
	for _, c := range cadres {
		names = append(names, c.Name)
		if c.Name == "赵志明" {
			assert.True(t, c.IDNumber == zhao, "赵志明 is stored with the corrected ID number") // not printed
			assert.Equal(t, "2006-08-01", c.RetiredOn)
			assert.Equal(t, "0531-86005678", c.Phone)
			assert.Equal(t, "舜园小区5号楼1单元302", c.Address)
			assert.Equal(t, "tuixiu", c.Category)
		}
	}
	assert.ElementsMatch(t, []string{"王建国", "李秀英", "赵志明"}, names, "赵志明 once, and nothing from the refused form")

	res = w.wanxiaExe(t, "", "office", "visit", "list", "王建国", "--json")
	require.Equal(t, 0, res.code, res.stderr)
	var visits []struct{ Kind, On string }
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &visits))
	require.Len(t, visits, 1)
	assert.Equal(t, "hospital", visits[0].Kind)
	assert.Contains(t, []string{dayBefore, visitedOn}, visits[0].On, "made today")

	var atHub []struct{ Name, Phone string }
	require.NoError(t, json.Unmarshal([]byte(hub.ok(t, "hub", "cadre", "list", "--db", hub.db, "--json")), &atHub))
	var phone string
	for _, c := range atHub {
		if c.Name == "赵志明" {
			phone = c.Phone
		}
	}
	assert.Equal(t, "0531-86005678", phone, "the hub has the cadre the browser registered, sent by its 同步")
}
