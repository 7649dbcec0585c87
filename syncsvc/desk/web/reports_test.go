package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestEveryReportIsAPageAndAWorkbook(t *testing.T) {
	s := officeOf(t, "sy")
	wang := testkit.Wang()
	wang.Rank = cadre.RankCountyDeputyPlus // invited to the spring forum
	_, err := s.rep.PutCadre(ctx, &wang)
	require.NoError(t, err)
	list := s.get("/reports")
	require.Equal(t, http.StatusOK, list.status)
	for _, kind := range []string{"visits", "pairs", "branches", "dues", "nearby", "invitations"} {
		assert.Contains(t, list.body, `href="/reports/`+kind+`"`, kind)
		page := s.get("/reports/" + kind)
		require.Equal(t, http.StatusOK, page.status, kind)
		assert.Contains(t, page.body, "日期：2026-11-28", kind)
		assert.NotContains(t, page.body, "⟦", kind)
		wb := s.get("/reports/" + kind + ".xlsx")
		require.Equal(t, http.StatusOK, wb.status, kind)
		f, err := excelize.OpenReader(strings.NewReader(wb.body))
		require.NoError(t, err, kind)
		assert.NotEmpty(t, f.GetSheetList(), kind)
	}
	assert.Contains(t, s.get("/reports/invitations").body, "王建国", "a report lists the office's cadres")
	all := s.get("/reports/all.xlsx")
	require.Equal(t, http.StatusOK, all.status)
	f, err := excelize.OpenReader(strings.NewReader(all.body))
	require.NoError(t, err)
	assert.Greater(t, len(f.GetSheetList()), 5, "every report in one workbook")
	assert.Equal(t, http.StatusNotFound, s.get("/reports/sync").status, "the hub's own report is not an office's")
}
