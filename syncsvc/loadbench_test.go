package syncsvc_test

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// TestHubChild is the hub process of BenchmarkDistrictSync: it serves a hub
// on loopback, prints its address and the offices' tokens, and runs until
// killed.
func TestHubChild(t *testing.T) {
	path := os.Getenv("WANXIA_HUB_CHILD")
	if path == "" {
		t.Skip("run by BenchmarkDistrictSync")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(syncsvc.GoMemoryLimit(384)) // as wanxia hub serve sets it
	}
	offices, _ := strconv.Atoi(os.Getenv("WANXIA_HUB_OFFICES"))
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	for i := range offices {
		_, token, err := r.AddOffice(ctx, fmt.Sprintf("o%d", i), fmt.Sprintf("办公室%d", i), []string{fmt.Sprintf("c%d", i)})
		require.NoError(t, err)
		fmt.Printf("token %s\n", token)
	}
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := transport.NewServer("", transport.Handler(hub))
	if prof := os.Getenv("WANXIA_HUB_CPUPROFILE"); prof != "" {
		stop := startHubProfile(t, prof, srv)
		defer stop()
	}
	fmt.Printf("listening %s\n", ln.Addr())
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		require.NoError(t, err)
	}
}

// startHubProfile CPU-profiles the hub child into path (WANXIA_HUB_CPUPROFILE)
// from now until it is told to stop: SIGTERM or SIGINT, or its stdin
// closing (the parent gone). Then the server is closed, so Serve returns
// and the returned stop flushes the profile before the process ends.
func startHubProfile(t *testing.T, path string, srv *http.Server) (stop func()) {
	f, err := os.Create(path)
	require.NoError(t, err)
	require.NoError(t, pprof.StartCPUProfile(f))
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	go func() { _, _ = io.Copy(io.Discard, os.Stdin); sigs <- syscall.SIGTERM }()
	go func() { <-sigs; _ = srv.Close() }()
	return func() {
		pprof.StopCPUProfile()
		require.NoError(t, f.Close())
	}
}

// wireBytes counts the bytes of request and response bodies: of the calls
// the hub answered, and apart those of the calls it turned away as busy
// (HTTP 503, a Connect Unavailable).
type wireBytes struct {
	sent, receive         atomic.Int64
	busy                  atomic.Int64 // calls turned away
	busySent, busyReceive atomic.Int64
}

// countingTransport counts the bytes of request and response bodies in n.
type countingTransport struct {
	base http.RoundTripper
	n    *wireBytes
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var sent atomic.Int64 // a unary call's body is sent before its answer comes
	if req.Body != nil {
		req.Body = countingBody{req.Body, &sent}
	}
	res, err := c.base.RoundTrip(req)
	if err == nil && res.StatusCode == http.StatusServiceUnavailable {
		c.n.busy.Add(1)
		c.n.busySent.Add(sent.Load())
		res.Body = countingBody{res.Body, &c.n.busyReceive}
		return res, err
	}
	c.n.sent.Add(sent.Load())
	if err == nil {
		res.Body = countingBody{res.Body, &c.n.receive}
	}
	return res, err
}

// BenchmarkDistrictSync: 50 offices with 400 cadres each make their first
// sync into one hub (a separate process), then 10,000 edits are made
// across the offices and synced. It reports the wall time of each phase,
// the bytes on the wire per change, and the hub process's peak resident
// memory (VmHWM).
func BenchmarkDistrictSync(b *testing.B) {
	const offices, perOffice, edits = 50, 400, 10000
	for range b.N {
		dir := b.TempDir()
		hub := startLoadHub(b, dir, offices)
		tokens, addr := hub.tokens, hub.addr

		counter := &wireBytes{}
		client := &http.Client{Transport: &countingTransport{base: h2cClient().Transport, n: counter}}
		replicas := make([]*store.Replica, offices)
		agents := make([]*syncsvc.Agent, offices)
		for i := range offices {
			r, err := store.Open(ctx, filepath.Join(dir, fmt.Sprintf("o%d.db", i)), syncsvc.Options{})
			require.NoError(b, err)
			defer r.Close()
			err = r.Update(ctx, func(tx *store.Tx) error {
				for j := range perOffice {
					c := testkit.Cadre(i*perOffice+j, fmt.Sprintf("c%d", i))
					c.Name = fmt.Sprintf("测试%05d", i*perOffice+j)
					if _, err := tx.PutCadre(&c); err != nil {
						return err
					}
				}
				return nil
			})
			require.NoError(b, err)
			replicas[i] = r
			agents[i], err = transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: "http://" + addr, Token: tokens[i], HTTPClient: client}, syncsvc.AgentOptions{})
			require.NoError(b, err)
		}

		syncAll := func() time.Duration {
			start := time.Now()
			var wg sync.WaitGroup
			sem := make(chan struct{}, 8) // offices sync at the same time, as at night
			for _, a := range agents {
				wg.Add(1)
				go func() {
					defer wg.Done()
					sem <- struct{}{}
					defer func() { <-sem }()
					_, err := a.Sync(ctx)
					if err != nil {
						b.Error(err)
					}
				}()
			}
			wg.Wait()
			return time.Since(start)
		}
		first := syncAll()
		firstBytes := counter.sent.Load() + counter.receive.Load()

		for i, r := range replicas {
			cs, err := r.Cadres(ctx, store.CadreFilter{})
			require.NoError(b, err)
			err = r.Update(ctx, func(tx *store.Tx) error {
				for e := i; e < edits; e += offices { // each edit is its own write and change
					c := cs[(e/offices)%len(cs)]
					c.Phone = strconv.Itoa(13800000000 + e)
					if _, err := tx.PutCadre(&c); err != nil {
						return err
					}
				}
				return nil
			})
			require.NoError(b, err)
		}
		counter.sent.Store(0)
		counter.receive.Store(0)
		second := syncAll()
		editBytes := counter.sent.Load() + counter.receive.Load()

		b.ReportMetric(first.Seconds(), "first-sync-s")
		b.ReportMetric(second.Seconds(), "edit-sync-s")
		// Every office pulls its community record and its own cadres back.
		b.ReportMetric(float64(firstBytes)/float64(offices*perOffice), "first-B/cadre")
		b.ReportMetric(float64(editBytes)/float64(edits), "edit-B/change")
		b.ReportMetric(hub.statusMiB(b, "VmHWM:"), "hub-peak-MiB")
	}
}

// BenchmarkHubLoad: N offices, each with its own replica of 40 cadres and
// an in-process agent with its own connection, make their first sync into
// one hub running as a separate process, all at once; then every office
// syncs again with nothing to do (an idle poll), eight at a time. N is 50;
// with WANXIA_LONG=1 it is 50, 500 and 1,000, and WANXIA_LOAD_OFFICES
// (a comma-separated list) and WANXIA_LOAD_CADRES (cadres per office)
// choose other sizes:
//
//	go test -run '^$' -bench HubLoad -benchtime 1x ./syncsvc
//	WANXIA_LONG=1 go test -run '^$' -bench HubLoad -benchtime 1x -timeout 1h ./syncsvc
//
// It reports each office's first sync (p50, p99), the calls that failed,
// the hub's CPU time (user and system, from /proc) for the first sync and
// per idle poll, the offices' CPU time (this process's, for the first
// sync), the write transactions the hub committed in the first sync
// (hub-commits: its pushes and records of syncs share them), the hub's peak resident memory (its VmHWM), the bytes on the wire
// per cadre of the first sync (request and response bodies of the calls
// the hub answered) and, apart, the calls it turned away as busy and their
// bytes per cadre.
// The hub's CPU time is the process's, so it counts every thread: the
// calls, SQLite, the garbage collector.
//
// To profile: WANXIA_HUB_CPUPROFILE=FILE profiles the hub's process (it is
// written when the benchmark stops the hub), and -cpuprofile the offices'
// agents, whose first sync carries the label phase=first:
//
//	WANXIA_HUB_CPUPROFILE=/tmp/hub.prof WANXIA_LOAD_OFFICES=500 go test -run '^$' -bench HubLoad -benchtime 1x -cpuprofile /tmp/offices.prof ./syncsvc
//	go tool pprof -top -cum syncsvc.test /tmp/hub.prof
//	go tool pprof -top -cum -tagfocus phase=first syncsvc.test /tmp/offices.prof
func BenchmarkHubLoad(b *testing.B) {
	sizes := []int{50}
	if os.Getenv("WANXIA_LONG") != "" {
		sizes = []int{50, 500, 1000}
	}
	if s := os.Getenv("WANXIA_LOAD_OFFICES"); s != "" {
		sizes = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			require.NoError(b, err, "WANXIA_LOAD_OFFICES")
			sizes = append(sizes, n)
		}
	}
	perOffice := 40
	if s := os.Getenv("WANXIA_LOAD_CADRES"); s != "" {
		var err error
		perOffice, err = strconv.Atoi(s)
		require.NoError(b, err, "WANXIA_LOAD_CADRES")
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("offices=%d", n), func(b *testing.B) {
			for range b.N {
				hubLoad(b, n, perOffice)
			}
		})
	}
}

// loadHub is the benchmarks' hub, served by a child process (TestHubChild).
type loadHub struct {
	cmd    *exec.Cmd
	addr   string
	tokens []string
}

// startLoadHub starts TestHubChild on a new hub database in dir with
// the given number of offices, o0 … (community c0 …).
func startLoadHub(b *testing.B, dir string, offices int) *loadHub {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHubChild$")
	cmd.Env = append(os.Environ(), "WANXIA_HUB_CHILD="+filepath.Join(dir, "hub.db"), "WANXIA_HUB_OFFICES="+strconv.Itoa(offices))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	require.NoError(b, err)
	stdin, err := cmd.StdinPipe() // closed at the end: a profiling child then stops
	require.NoError(b, err)
	require.NoError(b, cmd.Start())
	b.Cleanup(func() { // also when the benchmark fails early
		_ = cmd.Process.Signal(syscall.SIGTERM) // a profiling child writes its profile and ends
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	h := &loadHub{cmd: cmd}
	lines := bufio.NewScanner(out)
	for h.addr == "" && lines.Scan() {
		if tok, ok := strings.CutPrefix(lines.Text(), "token "); ok {
			h.tokens = append(h.tokens, tok)
		}
		if a, ok := strings.CutPrefix(lines.Text(), "listening "); ok {
			h.addr = a
		}
	}
	require.NotEmpty(b, h.addr, "the hub's address")
	require.Len(b, h.tokens, offices)
	return h
}

// cpu returns the CPU time the hub's process has used, user and system,
// all its threads.
func (h *loadHub) cpu(b *testing.B) time.Duration {
	b.Helper()
	return processCPU(b, strconv.Itoa(h.cmd.Process.Pid))
}

// processCPU returns the CPU time a process ("self" or a pid) has used,
// user and system, all its threads (/proc/PID/stat, in clock ticks of
// 10 ms).
func processCPU(b *testing.B, pid string) time.Duration {
	b.Helper()
	stat, err := os.ReadFile("/proc/" + pid + "/stat")
	require.NoError(b, err)
	// The fields after the command name, which is in parentheses.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	utime, err := strconv.ParseInt(fields[11], 10, 64)
	require.NoError(b, err)
	stime, err := strconv.ParseInt(fields[12], 10, 64)
	require.NoError(b, err)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// statusMiB reads a size from the hub process's /proc/PID/status in MiB
// ("VmHWM:", its peak resident set).
func (h *loadHub) statusMiB(b *testing.B, field string) float64 {
	b.Helper()
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", h.cmd.Process.Pid))
	require.NoError(b, err)
	for _, line := range strings.Split(string(status), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			require.NoError(b, err)
			return kb / 1024
		}
	}
	return 0
}

// officeReplicas creates n office replicas in dir, each a new node, each
// holding perOffice cadres of its community (c0 …). Creating a replica
// runs every migration in its own durable transaction: the replicas are
// copies of one empty replica, each given a node id of its own before it
// is first opened, as a new file would get.
func officeReplicas(b *testing.B, dir string, n, perOffice int) []*store.Replica {
	b.Helper()
	empty := filepath.Join(dir, "empty.db")
	r, err := store.Open(ctx, empty, syncsvc.Options{})
	require.NoError(b, err)
	require.NoError(b, r.Close())
	blank, err := os.ReadFile(empty)
	require.NoError(b, err)
	out := make([]*store.Replica, n)
	for i := range n {
		path := filepath.Join(dir, fmt.Sprintf("o%d.db", i))
		require.NoError(b, os.WriteFile(path, blank, 0o600))
		db, err := sql.Open("sqlite3", "file:"+path)
		require.NoError(b, err)
		_, err = db.Exec("UPDATE meta SET value = ? WHERE key = 'node'", uuid.Must(uuid.NewV7()).String())
		require.NoError(b, err)
		require.NoError(b, db.Close())
		r, err := store.Open(ctx, path, syncsvc.Options{})
		require.NoError(b, err)
		b.Cleanup(func() { r.Close() })
		err = r.Update(ctx, func(tx *store.Tx) error {
			for j := range perOffice {
				c := testkit.Cadre(i*perOffice+j, fmt.Sprintf("c%d", i))
				if _, err := tx.PutCadre(&c); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(b, err)
		out[i] = r
	}
	return out
}

// syncRound syncs every agent, at most parallel at a time, and returns
// each sync's time and the errors.
func syncRound(agents []*syncsvc.Agent, parallel int) ([]time.Duration, []error) {
	times := make([]time.Duration, len(agents))
	errs := make([]error, len(agents))
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i, a := range agents {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			start := time.Now()
			_, errs[i] = a.Sync(ctx)
			times[i] = time.Since(start)
		})
	}
	wg.Wait()
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	return times, failed
}

// fileCommits reads how many write transactions a replica's file has
// committed (Replica.Commits), from another process than the one writing it.
func fileCommits(b *testing.B, path string) int64 {
	b.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=5000")
	require.NoError(b, err)
	defer db.Close()
	var n int64
	require.NoError(b, db.QueryRow("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'commits'").Scan(&n))
	return n
}

// percentile returns the p-th percentile (0–100) of ds, by rank.
func percentile(ds []time.Duration, p float64) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p/100))]
}

// officesDir is where the offices' replicas are kept: a folder in
// /dev/shm where there is one. A thousand office computers have a disk
// each; here they would share the hub's, and their commits waiting for it
// would measure the disk, not the hub, whose database stays on disk.
func officesDir(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "wanxia-offices-")
	if err != nil {
		return b.TempDir()
	}
	b.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func hubLoad(b *testing.B, offices, perOffice int) {
	hubDir := b.TempDir()
	hub := startLoadHub(b, hubDir, offices)
	replicas := officeReplicas(b, officesDir(b), offices, perOffice)
	wire := &wireBytes{}
	agents := make([]*syncsvc.Agent, offices)
	for i, r := range replicas {
		// Each office has a connection of its own, as real offices do.
		client := &http.Client{Transport: &countingTransport{base: h2cClient().Transport, n: wire}}
		var err error
		agents[i], err = transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: "http://" + hub.addr, Token: hub.tokens[i], HTTPClient: client},
			syncsvc.AgentOptions{})
		require.NoError(b, err)
	}
	b.ResetTimer()
	cpu0, self0, commits0 := hub.cpu(b), processCPU(b, "self"), fileCommits(b, filepath.Join(hubDir, "hub.db"))
	start := time.Now()
	var times []time.Duration
	var errs []error
	// Labelled, so that a -cpuprofile shows the first sync apart from the
	// idle polls (go tool pprof -tagfocus phase=first).
	pprof.Do(ctx, pprof.Labels("phase", "first"), func(context.Context) {
		times, errs = syncRound(agents, offices) // all at once
	})
	wall := time.Since(start)
	cpu1, self1, commits1 := hub.cpu(b), processCPU(b, "self"), fileCommits(b, filepath.Join(hubDir, "hub.db"))
	firstBytes, busyBytes, busy := wire.sent.Load()+wire.receive.Load(), wire.busySent.Load()+wire.busyReceive.Load(), wire.busy.Load()
	for i, err := range errs {
		if i < 3 {
			b.Errorf("first sync: %v", err)
		}
	}
	// One round pulls what the offices that synced later pushed; then
	// every office polls with nothing to pull, in rounds enough for a
	// thousand polls (the CPU time is counted in 10 ms ticks).
	_, idleErrs := syncRound(agents, 8)
	rounds := max(1, 1000/offices)
	cpu2 := hub.cpu(b)
	for range rounds {
		_, errs := syncRound(agents, 8)
		idleErrs = append(idleErrs, errs...)
	}
	cpu3 := hub.cpu(b)
	b.StopTimer()
	for i, err := range idleErrs {
		if i < 3 {
			b.Errorf("idle poll: %v", err)
		}
	}
	b.ReportMetric(wall.Seconds(), "first-sync-s")
	b.ReportMetric(percentile(times, 50).Seconds(), "p50-s")
	b.ReportMetric(percentile(times, 99).Seconds(), "p99-s")
	b.ReportMetric(float64(len(errs)+len(idleErrs)), "errors")
	b.ReportMetric((cpu1 - cpu0).Seconds(), "hub-cpu-s")
	b.ReportMetric((self1 - self0).Seconds(), "offices-cpu-s")
	b.ReportMetric(float64(commits1-commits0), "hub-commits")
	b.ReportMetric(float64((cpu3-cpu2).Microseconds())/1000/float64(rounds*offices), "idle-hub-ms/sync")
	b.ReportMetric(hub.statusMiB(b, "VmHWM:"), "hub-peak-MiB")
	b.ReportMetric(float64(firstBytes)/float64(offices*perOffice), "first-B/cadre")
	b.ReportMetric(float64(busy), "busy-calls")
	b.ReportMetric(float64(busyBytes)/float64(offices*perOffice), "busy-B/cadre")
}
