package report_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
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

// TestCacheKeepsThePairingThroughEditsThatCannotChangeIt: told which
// cadres were written, a Cache keeps care.Assign's answer while none of
// them changed in what Assign reads (a phone, a name), and works it out
// again when one did (a need tier, a status); its reports are Build's
// either way, the cadres put in their places in the lists. Told of other
// tables, of more cadres than a commit names, or not told the ids, it
// reads everything again.
func TestCacheKeepsThePairingThroughEditsThatCannotChangeIt(t *testing.T) {
	r := testkit.OpenHub(t)
	var cs []cadre.Cadre
	for n := range 5 {
		c := testkit.Cadre(n, []string{"sy", "hy"}[n%2])
		c.Category = cadre.Lixiu // tier 1: each needs a pair
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		cs = append(cs, c)
	}
	calm := testkit.Cadre(9, "sy") // needs no pair
	_, err := r.PutCadre(ctx, &calm)
	require.NoError(t, err)
	// Room for three of the five: who is paired depends on the tiers.
	h := care.Helper{Name: "王立军", Capacity: 3, ActiveFrom: testkit.Date("2026-01-01")}
	_, err = r.PutHelper(ctx, &h)
	require.NoError(t, err)
	cache := report.NewCache(r, report.Sources{})
	o := report.Options{On: testkit.Today(), Now: testkit.FixedNow()}
	kinds := []report.Kind{report.Pairs, report.Completeness, report.Visits}
	same := func(msg string) []*report.Report {
		t.Helper()
		var got []*report.Report
		for _, k := range kinds {
			g, err := cache.Build(ctx, k, o)
			require.NoError(t, err)
			want, err := report.Build(ctx, r, k, o)
			require.NoError(t, err)
			assert.Equal(t, want, g, "%s: %s", msg, k)
			got = append(got, g)
		}
		return got
	}
	put := func(c *cadre.Cadre) []uuid.UUID {
		t.Helper()
		_, err := r.PutCadre(ctx, c)
		require.NoError(t, err)
		return []uuid.UUID{c.ID}
	}
	written := []string{store.CadresTable}

	first := same("at first")
	pairing := report.Pairing(cache)
	require.NotNil(t, pairing)

	cs[1].Phone = "13900001111"
	cache.ForgetCadres(written, put(&cs[1]))
	same("after a phone is edited")
	assert.Same(t, pairing, report.Pairing(cache), "a phone: the pairing is kept")

	cs[3].Name = "阿一" // to the start of its community's list
	ids := put(&cs[3])
	calm.Phone = "13900002222"
	cache.ForgetCadres(written, append(ids, put(&calm)...))
	same("after a name that moves a cadre and another's phone are edited")
	assert.Same(t, pairing, report.Pairing(cache), "a name and a phone: the pairing is kept")

	// Two edits told between two builds, the second of a need tier.
	cs[0].Phone = "13900003333"
	cache.ForgetCadres(written, put(&cs[0]))
	calm.Category = cadre.Lixiu // now needs a pair
	cache.ForgetCadres(written, put(&calm))
	got := same("after a cadre comes to need a pair")
	assert.NotSame(t, pairing, report.Pairing(cache), "a need: the pairing is worked out again")
	assert.NotEqual(t, first[0].Tables, got[0].Tables, "the pairs report shows it")

	pairing = report.Pairing(cache)
	cs[2].Health = cadre.HealthSerious // tier 1 still, another need
	cache.ForgetCadres(written, put(&cs[2]))
	same("after a need is edited")
	assert.NotSame(t, pairing, report.Pairing(cache), "a health: the pairing is worked out again")

	pairing = report.Pairing(cache)
	cs[4].Status, cs[4].StatusOn = cadre.StatusDeceased, testkit.Today().AddDays(-1)
	cache.ForgetCadres(written, put(&cs[4]))
	same("after a cadre dies")
	assert.NotSame(t, pairing, report.Pairing(cache), "a status: the pairing is worked out again")

	pairing = report.Pairing(cache)
	require.NoError(t, r.VoidCadre(ctx, cs[3].ID, "登记错了"))
	cache.ForgetCadres(written, []uuid.UUID{cs[3].ID})
	same("after a cadre is voided")
	assert.NotSame(t, pairing, report.Pairing(cache), "a cadre gone: the pairing is worked out again")

	// A phone and the helpers written together; a phone told without its
	// id; a phone among more ids than a commit names: all read again.
	for _, tell := range []func(id uuid.UUID){
		func(id uuid.UUID) {
			cache.ForgetCadres([]string{store.CadresTable, store.HelpersTable}, []uuid.UUID{id})
		},
		func(uuid.UUID) { cache.ForgetCadres(written, nil) },
		func(id uuid.UUID) {
			many := make([]uuid.UUID, syncsvc.MaxCommitRecords+1)
			for i := range many {
				many[i] = uuid.New()
			}
			cache.ForgetCadres(written, append(many[:len(many)-1], id))
		},
	} {
		pairing = report.Pairing(cache)
		cs[1].Phone += "1"
		tell(put(&cs[1])[0])
		same("after a phone is edited and the cache told less")
		assert.NotSame(t, pairing, report.Pairing(cache), "the pairing is worked out again")
	}

	// A name edited but the cache told of the visits only: it keeps the
	// reports, as Forget does.
	cs[1].Name = "新名字"
	put(&cs[1])
	cache.ForgetCadres([]string{store.VisitsTable}, []uuid.UUID{cs[1].ID})
	g, err := cache.Build(ctx, report.Completeness, o)
	require.NoError(t, err)
	want, err := report.Build(ctx, r, report.Completeness, o)
	require.NoError(t, err)
	assert.NotEqual(t, want, g, "kept: the cache was not told the cadres were written")
}
