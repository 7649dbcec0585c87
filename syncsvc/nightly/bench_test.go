package nightly_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/report"
)

// The size of BenchmarkNightlyMerge's district, when not its standard ones.
var (
	nightlyOffices = flag.Int("nightly.offices", 0, "BenchmarkNightlyMerge: offices of the district (with -nightly.cadres; or WANXIA_NIGHTLY_OFFICES)")
	nightlyCadres  = flag.Int("nightly.cadres", 0, "BenchmarkNightlyMerge: cadres of the district, among its offices (with -nightly.offices; or WANXIA_NIGHTLY_CADRES)")
)

// nightlySize is the size of a simulated district.
type nightlySize struct{ offices, cadres int }

// nightlySizes are the districts BenchmarkNightlyMerge merges: the one its
// flags or environment give, else its standard ones, 20,000 cadres in 50
// offices and 50,000 in 125.
func nightlySizes(b *testing.B) []nightlySize {
	b.Helper()
	size := nightlySize{*nightlyOffices, *nightlyCadres}
	for _, v := range []struct {
		n   *int
		env string
	}{{&size.offices, "WANXIA_NIGHTLY_OFFICES"}, {&size.cadres, "WANXIA_NIGHTLY_CADRES"}} {
		if s := os.Getenv(v.env); *v.n == 0 && s != "" {
			n, err := strconv.Atoi(s)
			if err != nil {
				b.Fatalf("%s=%q: %v", v.env, s, err)
			}
			*v.n = n
		}
	}
	switch {
	case size.offices > 0 && size.cadres >= size.offices:
		return []nightlySize{size}
	case size.offices != 0 || size.cadres != 0:
		b.Fatalf("give the district's offices and cadres both, at least a cadre an office (got %d offices, %d cadres)", size.offices, size.cadres)
	}
	return []nightlySize{{50, 20_000}, {125, 50_000}}
}

// BenchmarkNightlyMerge: the nightly merge of a simulated district with a
// year of meetings, visits and dues: 20,000 cadres in 50 offices, and
// 50,000 in 125 (targets: under 30 s and 384 MiB), or the size given.
// Building a district takes longer than merging it; run each once:
//
//	go test -run '^$' -bench NightlyMerge -benchtime 1x -timeout 1h ./syncsvc/nightly
//	go test -run '^$' -bench 'NightlyMerge/cadres=50000' -benchtime 1x -timeout 1h ./syncsvc/nightly
//	go test -run '^$' -bench NightlyMerge -benchtime 1x ./syncsvc/nightly -args -nightly.offices 500 -nightly.cadres 20000
//	WANXIA_NIGHTLY_OFFICES=500 WANXIA_NIGHTLY_CADRES=20000 go test -run '^$' -bench NightlyMerge -benchtime 1x ./syncsvc/nightly
//
// peak-MiB is the process's peak resident memory during the merge (the
// peak is reset just before it, where Linux allows), under the soft memory
// limit the hub's process sets; GOMEMLIMIT=off measures without it.
// reports-s is the reports step's share of the time.
func BenchmarkNightlyMerge(b *testing.B) {
	for _, size := range nightlySizes(b) {
		b.Run(fmt.Sprintf("cadres=%d,offices=%d", size.cadres, size.offices), func(b *testing.B) {
			nightlyMerge(b, size)
		})
	}
}

func nightlyMerge(b *testing.B, size nightlySize) {
	ctx := context.Background()
	sim := simulate(b, b.TempDir(), size.offices, size.cadres/size.offices, 7)
	// As the hub's process runs (wanxia hub merge and hub serve set a soft
	// memory limit of 384 MiB unless GOMEMLIMIT is set).
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(384 << 20))
	}
	dir := b.TempDir()
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		debug.FreeOSMemory() // what building the district left behind
		testkit.ResetPeak()
		b.ReportMetric(testkit.StatusMiB("VmRSS:"), "start-MiB")
		stop := sampleGoMemory(b)
		b.StartTimer()
		run, err := nightly.Run(ctx, sim.hub, nightly.Options{Now: wallClock(sim.on), BackupDir: dir, ReportDir: dir, WriteReports: report.WriteWorkbooks})
		stop()
		if err != nil {
			b.Fatal(err)
		}
		for _, s := range run.Steps {
			if s.Error != "" {
				b.Fatalf("%s: %s", s.Name, s.Error)
			}
			b.Logf("%-13s %-8s %8s  %s", s.Name, s.Outcome, s.Ended.Sub(s.Started), s.Detail)
			if s.Name == "reports" {
				b.ReportMetric(s.Ended.Sub(s.Started).Seconds(), "reports-s")
			}
		}
	}
	if mib := testkit.StatusMiB("VmHWM:"); mib > 0 {
		b.ReportMetric(mib, "peak-MiB")
	}
}

// sampleGoMemory records the most memory the Go runtime held (heap, stacks
// and its own, less what it returned to the system) until stopped, as
// go-peak-MiB: the rest of the resident memory is SQLite's and the C
// library's.
func sampleGoMemory(b *testing.B) (stop func()) {
	done := make(chan struct{})
	var peak uint64
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64()-sample[1].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		b.ReportMetric(float64(peak)/(1<<20), "go-peak-MiB")
	}
}

// wallClock runs at the speed of the real clock from 02:00 on the date.
func wallClock(on cadre.Date) func() time.Time {
	start, real := time.Date(on.Year, on.Month, on.Day, 2, 0, 0, 0, syncsvc.Shanghai()), time.Now()
	return func() time.Time { return start.Add(time.Since(real)) }
}
