package nightly_test

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/store"
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
// The district is built in the benchmark's process and its hub closed;
// the merge then runs as wanxia hub merge runs it, in a process of its
// own (TestNightlyChild, a child of the test binary), under the soft
// memory limit the hub's process sets (384 MiB for the process, of which
// Go's runtime is given 320: syncsvc.GoMemoryLimit; GOMEMLIMIT, when set,
// wins, and GOMEMLIMIT=off measures without a limit). The metrics are the
// child's: wall, the merge's time (ns/op is the same, plus starting the
// child); reports-s, the reports step's share; peak-MiB, the child's peak
// resident memory (VmHWM, from its start: the merge as the hub runs it,
// SQLite's caches included); go-peak-MiB, the most memory Go's runtime
// held in it; cpu-s, the CPU time it used (user and system, steadier than
// wall on a shared machine). WANXIA_NIGHTLY_DISTRICTS=dir keeps the
// districts built in dir and merges a copy of one already there instead
// of building it again. WANXIA_NIGHTLY_HEAPPROFILE=file has the child
// write a heap profile at the live heap's peak (go tool pprof
// -sample_index=inuse_space).
func BenchmarkNightlyMerge(b *testing.B) {
	for _, size := range nightlySizes(b) {
		b.Run(fmt.Sprintf("cadres=%d,offices=%d", size.cadres, size.offices), func(b *testing.B) {
			nightlyMerge(b, size)
		})
	}
}

func nightlyMerge(b *testing.B, size nightlySize) {
	dir := b.TempDir()
	hubDB := filepath.Join(dir, "hub.db")
	on := simulatedOn
	// The merge changes the hub (new pairs, the runs, compaction): each
	// iteration merges a copy of the district as built.
	built := filepath.Join(dir, "built.db")
	if keep := os.Getenv("WANXIA_NIGHTLY_DISTRICTS"); keep != "" {
		built = filepath.Join(keep, fmt.Sprintf("district-%d-%d-7.db", size.offices, size.cadres))
	}
	if _, err := os.Stat(built); err != nil {
		sim := simulate(b, dir, size.offices, size.cadres/size.offices, 7)
		require.NoError(b, sim.hub.Close())
		require.NoFileExists(b, hubDB+"-wal", "the hub, closed, left its log")
		require.NoError(b, copyFile(hubDB, built))
	}
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		require.NoError(b, copyFile(built, hubDB))
		out := b.TempDir()
		b.StartTimer()
		res := runNightlyChild(b, hubDB, on, out)
		b.StopTimer()
		for _, s := range res.Steps {
			b.Logf("%-13s %-8s %8s  peak %3.0f MiB  %s", s.Name, s.Outcome, s.Ended.Sub(s.Started), res.StepPeakMiB[s.Name], s.Detail)
		}
		b.ReportMetric(res.Wall, "wall")
		b.ReportMetric(res.ReportsS, "reports-s")
		b.ReportMetric(res.PeakMiB, "peak-MiB")
		b.ReportMetric(res.GoPeakMiB, "go-peak-MiB")
		b.ReportMetric(res.CPUS, "cpu-s")
		b.StartTimer()
	}
}

// nightlyChildResult is what TestNightlyChild prints, after
// nightlyChildPrefix, as one line of JSON.
type nightlyChildResult struct {
	Steps []syncsvc.MergeStep
	// Wall is the merge's time in seconds; ReportsS the reports step's.
	Wall, ReportsS float64
	// PeakMiB is the process's peak resident set (VmHWM); GoPeakMiB the
	// most Go's runtime held.
	PeakMiB, GoPeakMiB float64
	// CPUS is the CPU time the process used, user and system, in seconds:
	// steadier than the wall time on a shared machine.
	CPUS float64
	// StepPeakMiB is the process's peak resident set at the end of each
	// step: where the peak was reached.
	StepPeakMiB map[string]float64
}

// peakHandler adds the process's peak resident set so far to each merge
// step's line, and keeps it by step.
type peakHandler struct {
	slog.Handler
	peaks map[string]float64
}

func (h peakHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h peakHandler) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "step" {
			h.peaks[a.Value.String()] = testkit.StatusMiB("VmHWM:")
		}
		return true
	})
	return nil
}

const nightlyChildPrefix = "nightly-child "

// runNightlyChild runs the nightly merge of the hub database in a child
// process (TestNightlyChild) on the date on, writing its reports and
// backup into out, and returns what it measured; a failed step fails b.
func runNightlyChild(b *testing.B, hubDB string, on cadre.Date, out string) nightlyChildResult {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestNightlyChild$", "-test.v")
	cmd.Env = append(os.Environ(), "WANXIA_NIGHTLY_CHILD="+hubDB, "WANXIA_NIGHTLY_ON="+on.String(), "WANXIA_NIGHTLY_OUT="+out)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.Output()
	if err != nil {
		b.Fatalf("the merge's process: %v\n%s", err, stdout)
	}
	for line := range strings.Lines(string(stdout)) {
		// A line of the test's own output may share the line with it.
		if _, js, ok := strings.Cut(line, nightlyChildPrefix); ok {
			var res nightlyChildResult
			require.NoError(b, json.Unmarshal([]byte(js), &res))
			for _, s := range res.Steps {
				if s.Error != "" {
					b.Fatalf("%s: %s", s.Name, s.Error)
				}
			}
			return res
		}
	}
	b.Fatalf("the merge's process printed no result:\n%s", stdout)
	return nightlyChildResult{}
}

// TestNightlyChild is the merge's process of BenchmarkNightlyMerge: it
// opens the hub database WANXIA_NIGHTLY_CHILD, runs the nightly merge of
// the date WANXIA_NIGHTLY_ON with the reports (report.WriteWorkbooks) and
// a backup into WANXIA_NIGHTLY_OUT, under the hub's soft memory limit, and
// prints what it measured as a nightlyChildResult.
func TestNightlyChild(t *testing.T) {
	path := os.Getenv("WANXIA_NIGHTLY_CHILD")
	if path == "" {
		t.Skip("run by BenchmarkNightlyMerge")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(syncsvc.GoMemoryLimit(384)) // as wanxia hub merge sets it
	}
	on, err := cadre.ParseDate(os.Getenv("WANXIA_NIGHTLY_ON"))
	require.NoError(t, err)
	out := os.Getenv("WANXIA_NIGHTLY_OUT")
	ctx := context.Background()
	stop := sampleGoMemory(os.Getenv("WANXIA_NIGHTLY_HEAPPROFILE"))
	start := time.Now()
	hub, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: wallClock(on)})
	require.NoError(t, err)
	peaks := map[string]float64{}
	log := slog.New(peakHandler{slog.DiscardHandler, peaks})
	run, err := nightly.Run(ctx, hub, nightly.Options{Now: wallClock(on), BackupDir: out, ReportDir: out, WriteReports: report.WriteWorkbooks, Logger: log})
	require.NoError(t, err)
	require.NoError(t, hub.Close())
	res := nightlyChildResult{Steps: run.Steps, StepPeakMiB: peaks, Wall: time.Since(start).Seconds(), GoPeakMiB: stop(), PeakMiB: testkit.StatusMiB("VmHWM:")}
	res.CPUS = testkit.CPUTime().Seconds()
	for _, s := range run.Steps {
		if s.Name == nightly.StepReports {
			res.ReportsS = s.Ended.Sub(s.Started).Seconds()
		}
	}
	js, err := json.Marshal(res)
	require.NoError(t, err)
	fmt.Printf("\n%s%s\n", nightlyChildPrefix, js)
}

// copyFile copies the file from to the path to, through a temporary file
// so that to is whole or missing.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.CreateTemp(filepath.Dir(to), ".copy-*")
	if err != nil {
		return err
	}
	defer os.Remove(out.Name())
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", from, err)
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Rename(out.Name(), to)
}

// sampleGoMemory records the most memory the Go runtime holds (heap,
// stacks and its own, less what it returned to the system) until stopped,
// which returns it in MiB: the rest of the resident memory is SQLite's and
// the C library's. With a file named, it writes a heap profile there each
// time a garbage collection finds more live heap than any before (by
// 4 MiB or more), so that the last one written is the profile at the live
// heap's peak.
func sampleGoMemory(profile string) (stop func() float64) {
	done := make(chan struct{})
	var peak, livePeak uint64
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}, {Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			peak = max(peak, sample[0].Value.Uint64()-sample[1].Value.Uint64())
			if live := sample[2].Value.Uint64(); profile != "" && live > livePeak+4<<20 {
				livePeak = live
				if f, err := os.Create(profile); err == nil {
					_ = pprof.WriteHeapProfile(f) // as of the last collection
					f.Close()
				}
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() float64 {
		close(done)
		<-finished
		return float64(peak) / (1 << 20)
	}
}

// wallClock runs at the speed of the real clock from 02:00 on the date.
func wallClock(on cadre.Date) func() time.Time {
	start, real := time.Date(on.Year, on.Month, on.Day, 2, 0, 0, 0, syncsvc.Shanghai()), time.Now()
	return func() time.Time { return start.Add(time.Since(real)) }
}
