package nightly_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/report"
)

// BenchmarkNightlyMerge: the nightly merge of a district of 50 offices and
// 20,000 cadres with a year of meetings, visits and dues (the issue's
// target: under 60 s and 512 MiB). Building the district takes longer
// than the merge; run it once:
//
//	go test -run '^$' -bench NightlyMerge -benchtime 1x ./syncsvc/nightly
//
// peak-MiB is the process's peak resident memory during the merge (the
// peak is reset just before it, where Linux allows), under the soft memory
// limit the hub's process sets; GOMEMLIMIT=off measures without it.
func BenchmarkNightlyMerge(b *testing.B) {
	ctx := context.Background()
	sim := simulate(b, b.TempDir(), 50, 400, 7)
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
