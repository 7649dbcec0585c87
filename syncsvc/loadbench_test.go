package syncsvc_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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
	fmt.Printf("listening %s\n", ln.Addr())
	require.NoError(t, transport.NewServer("", transport.Handler(hub)).Serve(ln))
}

// countingTransport counts the bytes of request and response bodies.
type countingTransport struct {
	base    http.RoundTripper
	sent    atomic.Int64
	receive atomic.Int64
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
	if req.Body != nil {
		req.Body = countingBody{req.Body, &c.sent}
	}
	res, err := c.base.RoundTrip(req)
	if err == nil {
		res.Body = countingBody{res.Body, &c.receive}
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
		cmd := exec.Command(os.Args[0], "-test.run=^TestHubChild$")
		cmd.Env = append(os.Environ(), "WANXIA_HUB_CHILD="+filepath.Join(dir, "hub.db"), "WANXIA_HUB_OFFICES="+strconv.Itoa(offices))
		out, err := cmd.StdoutPipe()
		require.NoError(b, err)
		require.NoError(b, cmd.Start())
		b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() }) // also when the benchmark fails early
		var tokens []string
		var addr string
		lines := bufio.NewScanner(out)
		for addr == "" && lines.Scan() {
			if tok, ok := strings.CutPrefix(lines.Text(), "token "); ok {
				tokens = append(tokens, tok)
			}
			if a, ok := strings.CutPrefix(lines.Text(), "listening "); ok {
				addr = a
			}
		}
		require.NotEmpty(b, addr)

		counter := &countingTransport{base: h2cClient().Transport}
		client := &http.Client{Transport: counter}
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

		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		require.NoError(b, err)
		var hwmKB float64
		for _, line := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
				hwmKB, _ = strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			}
		}
		b.ReportMetric(first.Seconds(), "first-sync-s")
		b.ReportMetric(second.Seconds(), "edit-sync-s")
		// Every office pulls its community record and its own cadres back.
		b.ReportMetric(float64(firstBytes)/float64(offices*perOffice), "first-B/cadre")
		b.ReportMetric(float64(editBytes)/float64(edits), "edit-B/change")
		b.ReportMetric(hwmKB/1024, "hub-peak-MiB")
	}
}
