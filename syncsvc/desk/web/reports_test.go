package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/desk/web/webtest"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// cellsOf reads every cell of every sheet of a workbook, and the sheets'
// names.
func cellsOf(t *testing.T, path string) (sheets []string, text string) {
	t.Helper()
	f, err := excelize.OpenFile(path)
	require.NoError(t, err)
	defer f.Close()
	var b strings.Builder
	for _, sh := range f.GetSheetList() {
		rows, err := f.GetRows(sh)
		require.NoError(t, err)
		for _, row := range rows {
			b.WriteString(strings.Join(row, "\t") + "\n")
		}
	}
	return f.GetSheetList(), b.String()
}

// A clerk reads a report on its page and downloads it, and every report,
// as .xlsx workbooks that hold what the page shows.
func TestBrowserReportsAsPagesAndWorkbooks(t *testing.T) {
	d := newDistrict(t)
	o := d.a
	cs := registered(t, o.rep, named(1, "李秀英"), named(2, "王建国"))
	_, err := desk.AdmitToHospital(ctx, o.rep, testkit.FixedNow(), desk.StayInput{CadreID: cs[0].ID, On: testkit.Date("2026-11-20")})
	require.NoError(t, err)
	b := webtest.NewTab(t, "sy-1")

	b.Open(o.url+"/reports", "#reports", "reports")
	assert.Equal(t, len(desk.ReportKinds(syncsvc.RoleOffice)), b.Count("#reports tbody tr"), "every report the office has")
	assert.NotContains(t, b.Text("#reports"), "同步", "the hub's own report is not offered")
	b.Click(`#reports a[href^="/reports/visits?"]`, "main table", "visits")
	assert.Equal(t, "走访提醒：逾期与近期到期", b.Text("main h1"))
	assert.Contains(t, b.Text("main"), "日期：2026-11-28")
	assert.Contains(t, b.Text("main table"), "李秀英", "the hospital visit owed is listed")

	path := b.Download("#xlsx")
	assert.True(t, strings.HasSuffix(path, ".xlsx"), path)
	assert.Contains(t, path, "2026-11-28")
	_, text := cellsOf(t, path)
	assert.Contains(t, text, "李秀英", "the workbook holds what the page shows")
	assert.Contains(t, text, "住院探望")

	b.Open(o.url+"/reports", "#all", "reports again")
	path = b.Download("#all")
	sheets, text := cellsOf(t, path)
	assert.GreaterOrEqual(t, len(sheets), len(desk.ReportKinds(syncsvc.RoleOffice)), "one workbook with every report")
	assert.Contains(t, text, "王建国")
	assert.NotContains(t, text, cs[1].IDNumber, "ID numbers are masked")
}

func TestReportPagesInBothLanguages(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	registered(t, s.rep, named(1, "李秀英"))
	for _, k := range desk.ReportKinds(syncsvc.RoleOffice) {
		p := s.get("/reports/" + string(k) + "?on=2026-11-01")
		require.Equal(t, http.StatusOK, p.status, k)
		assert.NotContains(t, p.body, "⟦", k)
		assert.Contains(t, p.body, "2026-11-01", k)
	}
	assert.Equal(t, http.StatusNotFound, s.get("/reports/sync").status, "the hub's own report is not an office's")
	assert.Equal(t, http.StatusNotFound, s.get("/reports/nonsense/xlsx").status)
	res, err := s.c.Get(s.srv.URL + "/reports/dues/xlsx")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", res.Header.Get("Content-Type"))
	assert.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
	s.post("/lang", url.Values{"lang": {"en"}, "back": {"/reports"}})
	p := s.get("/reports/completeness")
	assert.Contains(t, p.body, "Record completeness")
	assert.NotContains(t, p.body, "⟦")
}
