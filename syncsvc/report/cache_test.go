package report_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestCacheKeepsReportsUntilTheirTablesAreWritten: a Cache gives a report
// again, with the time asked, until it is told that a table the report
// read was written; told of another table, it keeps it; told of that one,
// or of every table, it builds it again as Build does.
func TestCacheKeepsReportsUntilTheirTablesAreWritten(t *testing.T) {
	r := testkit.OpenHub(t)
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	_, err = r.PutHospitalStay(ctx, &care.HospitalStay{CadreID: c.ID, Admitted: testkit.Today().AddDays(-1)})
	require.NoError(t, err)
	cache := report.NewCache(r, report.Sources{})
	o := report.Options{On: testkit.Today(), Now: testkit.FixedNow()}
	build := func(k report.Kind) (got, want *report.Report) {
		t.Helper()
		got, err := cache.Build(ctx, k, o)
		require.NoError(t, err)
		want, err = report.Build(ctx, r, k, o)
		require.NoError(t, err)
		return got, want
	}
	got, want := build(report.Visits)
	require.Equal(t, want, got)

	// A visit: the visits report's table, which the cache is not told of.
	_, err = r.PutVisit(ctx, &care.Visit{CadreID: c.ID, Kind: care.VisitHospital, On: testkit.Today()})
	require.NoError(t, err)
	cache.Forget([]string{store.HelpCasesTable})
	o.Now = o.Now.Add(time.Hour)
	got, want = build(report.Visits)
	assert.NotEqual(t, want, got, "kept: the cache was not told the visits were written")
	assert.Equal(t, o.Now, got.Now, "with the time asked")

	cache.Forget([]string{store.VisitsTable})
	got, want = build(report.Visits)
	assert.Equal(t, want, got, "built again once told")

	c.Name = "新名字"
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	cache.Forget(nil)
	for _, k := range []report.Kind{report.Visits, report.Pairs, report.Completeness, report.Sync} {
		got, want = build(k)
		assert.Equal(t, want, got, "%s: built again after every table is forgotten", k)
	}
}
