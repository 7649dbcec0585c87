package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// benchSize is the size of the office the page benchmark serves: the
// issue's 20,000 cadres, or WANXIA_DESK_BENCH_CADRES (400 is a community
// office's).
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("WANXIA_DESK_BENCH_CADRES")); err == nil && n > 0 {
		return n
	}
	return 20_000
}

// benchDesk is an office of benchCadres cadres of community sy, a fifth of
// them paired with 800 helpers (the hub pairs them; the office pulls the
// pairs), with a visit to every tenth, a hospital stay of every fiftieth
// and a help case of every hundredth.
func benchDesk(b *testing.B) (*web.Server, *store.Replica, cadre.Cadre) {
	b.Helper()
	benchCadres := benchSize()
	dir := b.TempDir()
	hub, err := store.Open(ctx, filepath.Join(dir, "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: testkit.FixedNow})
	require.NoError(b, err)
	b.Cleanup(func() { hub.Close() })
	_, token, err := hub.AddOffice(ctx, "sy-1", "舜园社区办公室", []string{"sy"})
	require.NoError(b, err)
	h, err := syncsvc.NewHub(hub, syncsvc.HubOptions{})
	require.NoError(b, err)
	srv := httptest.NewServer(transport.Handler(h))
	b.Cleanup(srv.Close)
	rep, err := store.Open(ctx, filepath.Join(dir, "office.db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: testkit.FixedNow})
	require.NoError(b, err)
	b.Cleanup(func() { rep.Close() })
	conn := transport.Connection{HubURL: srv.URL, Token: token}
	require.NoError(b, conn.Save(ctx, rep, map[string]string{desk.MetaOfficeID: "sy-1"}))
	_, err = desk.Sync(ctx, rep, desk.SyncOptions{Retries: -1})
	require.NoError(b, err)

	cs := make([]*cadre.Cadre, benchCadres)
	for i := range cs {
		c := testkit.Cadre(i, "sy")
		c.Address = fmt.Sprintf("舜园小区%d号楼%d单元%d", i%50, i%6, 100+i%900)
		c.Phone = fmt.Sprintf("0531-8%07d", i)
		cs[i] = &c
	}
	for start := 0; start < len(cs); start += 2000 {
		require.NoError(b, rep.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.PutCadres(cs[start:min(start+2000, len(cs))])
			return err
		}))
	}
	_, err = desk.Sync(ctx, rep, desk.SyncOptions{Retries: -1})
	require.NoError(b, err)
	helpers := make([]care.Helper, max(1, benchCadres/25))
	for i := range helpers {
		helpers[i] = care.Helper{Name: fmt.Sprintf("帮扶人%03d", i), ActiveFrom: testkit.Date("2026-01-01")}
		_, err := hub.PutHelper(ctx, &helpers[i])
		require.NoError(b, err)
	}
	for i := 0; i < benchCadres; i += 5 {
		_, err := hub.PutPair(ctx, &care.Pair{HelperID: helpers[(i/5)%len(helpers)].ID, CadreID: cs[i].ID, From: testkit.Date("2026-10-01"), Reason: cadre.NeedElderly})
		require.NoError(b, err)
	}
	_, err = desk.Sync(ctx, rep, desk.SyncOptions{Retries: -1})
	require.NoError(b, err)
	for i := 0; i < benchCadres; i += 10 {
		_, err := desk.RecordVisit(ctx, rep, testkit.FixedNow(), desk.VisitInput{CadreID: cs[i].ID, Kind: care.VisitHome, On: testkit.Date("2026-10-15"), By: helpers[(i/5)%len(helpers)].ID})
		require.NoError(b, err)
	}
	for i := 0; i < benchCadres; i += 50 {
		_, err := desk.AdmitToHospital(ctx, rep, testkit.FixedNow(), desk.StayInput{CadreID: cs[i].ID, On: testkit.Date("2026-11-20")})
		require.NoError(b, err)
	}
	for i := 0; i < benchCadres; i += 100 {
		_, err := desk.OpenHelpCase(ctx, rep, testkit.FixedNow(), desk.HelpOpening{CadreID: cs[i].ID, Kind: care.HelpMedical, Urgent: i%300 == 0, At: testkit.At("2026-11-20 09:00")})
		require.NoError(b, err)
	}
	d, err := web.New(ctx, rep, web.Options{Now: testkit.FixedNow, AutoSync: -1})
	require.NoError(b, err)
	b.Cleanup(d.Close)
	return d, rep, *cs[0]
}

// BenchmarkDeskPages serves each page of the desk from an office of
// 20,000 cadres and reports its server time and size (the issue asks for
// every page under 100 ms and the biggest under 200 KB), and the processor
// time the process spent a page, garbage collection included: on a shared
// machine the wall time grows with the other work, the processor time
// does not.
func BenchmarkDeskPages(b *testing.B) {
	d, rep, first := benchDesk(b)
	pages := map[string]string{
		"today": "/today", "cadres": "/cadres", "cadres-page-100": "/cadres?page=100", "cadres-search": "/cadres?q=cs0&tier=5",
		"cadre": "/cadres/" + first.ID.String(), "edit": "/cadres/" + first.ID.String() + "/edit", "register": "/register",
		"roster": "/roster", "care": "/care", "conflicts": "/conflicts", "office": "/office",
		"care-visit": "/care/visit?cadre=" + first.ID.String(), "care-hospital": "/care/hospital", "care-help": "/care/help/new",
		"branch": "/branch", "reports": "/reports",
	}
	for _, k := range desk.ReportKinds(rep.Role()) {
		pages["report-"+string(k)] = "/reports/" + string(k)
	}
	// The pages that list every cadre keep what they read until the next
	// write: each page is asked for once before it is timed, and
	// "…-after-write" records a visit (not timed) before each request, so
	// that every request reads again what the write changed, as the first
	// one after a clerk's action does.
	for _, name := range []string{"today", "cadres-search", "report-visits", "report-pairs", "report-completeness"} {
		pages[name+"-after-write"] = pages[name]
	}
	// "…-after-edit" edits a cadre's phone number (not timed) before each
	// request instead: every page that lists the cadres reads them again.
	for _, name := range []string{"today", "cadres-search", "report-pairs", "report-completeness"} {
		pages[name+"-after-edit"] = pages[name]
	}
	edits := 0
	for name, path := range pages {
		b.Run(name, func(b *testing.B) {
			var size int
			var wall, cpu time.Duration
			d.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil))
			for b.Loop() {
				if strings.HasSuffix(name, "-after-write") {
					b.StopTimer()
					_, err := desk.RecordVisit(ctx, rep, testkit.FixedNow(), desk.VisitInput{CadreID: first.ID, Kind: care.VisitCall, On: testkit.Date("2026-11-02")})
					require.NoError(b, err)
					b.StartTimer()
				}
				if strings.HasSuffix(name, "-after-edit") {
					b.StopTimer()
					edits++
					c := first
					c.Phone = fmt.Sprintf("0531-6%07d", edits)
					_, err := rep.PutCadre(ctx, &c)
					require.NoError(b, err)
					b.StartTimer()
				}
				start, startCPU := time.Now(), testkit.CPUTime()
				rec := httptest.NewRecorder()
				d.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+path, nil))
				wall, cpu = wall+time.Since(start), cpu+testkit.CPUTime()-startCPU
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d\n%s", path, rec.Code, rec.Body.String())
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KB/page")
			b.ReportMetric(float64(wall.Microseconds())/1000/float64(b.N), "ms/page")
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/page")
		})
	}
}
