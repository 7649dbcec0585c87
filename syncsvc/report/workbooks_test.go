package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"

	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// TestReportsOfOneCacheAreThoseBuiltAlone: WriteWorkbooks builds the
// district's reports and every office's through one cache, which groups
// the records once and gives each office its part; each office's reports
// are the same as those built for it alone, whatever was built before
// them.
func TestReportsOfOneCacheAreThoseBuiltAlone(t *testing.T) {
	d := newDistrict(t)
	sync, _ := syncDistrict(t)
	for _, r := range []*store.Replica{d.r, sync} {
		communities, err := r.Communities(ctx)
		require.NoError(t, err)
		scopes := [][]string{nil}
		for _, c := range communities {
			scopes = append(scopes, []string{c.Code})
		}
		scopes = append(scopes, []string{communities[0].Code, communities[len(communities)-1].Code}, nil, []string{communities[0].Code})
		shared := report.NewScopeCache(ctx, r)
		for i, cs := range scopes {
			if i%3 == 2 {
				report.Release(shared) // what was let go is read again
			}
			o := report.Options{On: on, Now: now, Communities: cs}
			want, err := report.BuildAll(ctx, r, o)
			require.NoError(t, err)
			got, err := report.BuildAllWith(ctx, r, o, shared)
			require.NoError(t, err)
			assert.Equal(t, jsonOf(t, want), jsonOf(t, got), "communities %s", strings.Join(cs, ","))
		}
	}
}

func jsonOf(t *testing.T, reps []*report.Report) string {
	t.Helper()
	var buf bytes.Buffer
	for _, r := range reps {
		require.NoError(t, r.WriteJSON(&buf))
	}
	return buf.String()
}

// TestWorkbooksAreWriteXLSXOfBuildAll: WriteWorkbooks writes each report
// as soon as it is built, through one cache, and lets it go; the district's
// workbook and each office's hold the same sheets, cells and title as
// WriteXLSX of BuildAll's reports for that scope, built alone.
func TestWorkbooksAreWriteXLSXOfBuildAll(t *testing.T) {
	d := newDistrict(t)
	scopes := map[string][]string{report.DistrictWorkbook: nil}
	for _, o := range []struct {
		id          string
		communities []string
	}{{"o-sy", []string{"sy"}}, {"o-gsq-hx", []string{"gsq", "hx"}}} {
		_, _, err := d.r.AddOffice(ctx, o.id, o.id, o.communities)
		require.NoError(t, err)
		scopes[o.id+".xlsx"] = o.communities
	}
	dir := t.TempDir()
	files, err := report.WriteWorkbooks(ctx, d.r, dir, on)
	require.NoError(t, err)
	require.Len(t, files, len(scopes))
	assert.Equal(t, report.DistrictWorkbook, filepath.Base(files[0]), "the district's first")
	for _, path := range files {
		cs, ok := scopes[filepath.Base(path)]
		require.True(t, ok, path)
		reps, err := report.BuildAll(ctx, d.r, report.Options{On: on, Communities: cs})
		require.NoError(t, err)
		var want bytes.Buffer
		require.NoError(t, report.WriteXLSX(&want, cadre.Chinese, reps...))
		got, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, workbookCells(t, want.Bytes()), workbookCells(t, got), path)
	}
}

// workbookCells reads a workbook's title, and its sheets' names and cells
// in order.
func workbookCells(t *testing.T, b []byte) []string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	require.NoError(t, err)
	defer f.Close()
	props, err := f.GetDocProps()
	require.NoError(t, err)
	out := []string{"title " + props.Title}
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		require.NoError(t, err)
		require.NotEmpty(t, rows, sheet)
		out = append(out, "sheet "+sheet)
		for _, row := range rows {
			out = append(out, strings.Join(row, "\t"))
		}
	}
	return out
}

// TestWorkbooksNotWritten: when the workbooks cannot be written (the
// directory is a file), WriteWorkbooks says so for each and lists none.
func TestWorkbooksNotWritten(t *testing.T) {
	d := newDistrict(t)
	_, _, err := d.r.AddOffice(ctx, "o-sy", "o-sy", []string{"sy"})
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(dir, nil, 0o600))
	files, err := report.WriteWorkbooks(ctx, d.r, dir, on)
	require.Error(t, err)
	assert.Empty(t, files)
	assert.Contains(t, err.Error(), report.DistrictWorkbook)
	assert.Contains(t, err.Error(), "o-sy.xlsx")
}
