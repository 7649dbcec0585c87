package syncsvc_test

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"net"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// faultProxy is a TCP proxy on loopback in front of a hub served over
// plain HTTP/1.1, which does to the traffic what the test asks: it stalls
// a connection as soon as the client sends a given call (the connection
// stays open, nothing more is forwarded either way), or cuts answers short
// in the middle of their body.
type faultProxy struct {
	t      *testing.T
	ln     net.Listener
	target string
	// stallOn, when set, is a path whose request stalls its connection.
	stallOn atomic.Value
	// cut is how many answers are still to be cut short (headers and one
	// byte of the body, then the connection is closed).
	cut   atomic.Int64
	stall atomic.Int64 // connections stalled so far
	mu    sync.Mutex
	conns []net.Conn
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &faultProxy{t: t, ln: ln, target: target}
	p.stallOn.Store("")
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.mu.Lock()
			p.conns = append(p.conns, c)
			p.mu.Unlock()
			go p.serve(c)
		}
	}()
	t.Cleanup(p.close)
	return p
}

func (p *faultProxy) url() string { return "http://" + p.ln.Addr().String() }

func (p *faultProxy) close() {
	p.ln.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
}

func (p *faultProxy) serve(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer up.Close()
	go func() { // client to hub, until the stalling call
		buf := make([]byte, 32<<10)
		for {
			n, err := c.Read(buf)
			if n > 0 {
				if s := p.stallOn.Load().(string); s != "" && bytes.Contains(buf[:n], []byte(s)) {
					p.stall.Add(1)
					_, _ = io.Copy(io.Discard, c) // hold the connection until the client gives up
					return
				}
				if _, werr := up.Write(buf[:n]); werr != nil {
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	br := bufio.NewReader(up)
	if p.cut.Add(-1) < 0 {
		p.cut.Add(1)
		_, _ = io.Copy(c, br)
		return
	}
	// Cut the first answer short: its headers and one byte of its body.
	var head []byte
	for {
		line, err := br.ReadBytes('\n')
		head = append(head, line...)
		if err != nil {
			return
		}
		if len(line) <= 2 {
			break
		}
	}
	b, err := br.ReadByte()
	if err != nil {
		return
	}
	_, _ = c.Write(append(head, b))
}

// plainHub is a hub served over plain HTTP/1.1 on loopback, as an office
// reaches it through a proxy.
func plainHub(t *testing.T) (*store.Replica, *httptest.Server, *testkit.Clock) {
	t.Helper()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(srv.Close)
	return r, srv, clk
}

// officeBehind is an office replica whose agent reaches the hub at url with
// a short deadline per call and quick retries; progress is recorded.
func officeBehind(t *testing.T, hubR *store.Replica, clk *testkit.Clock, url string, timeout time.Duration) (*store.Replica, *syncsvc.Agent, *[]syncsvc.Progress) {
	t.Helper()
	_, token, err := hubR.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	r := openReplica(t, syncsvc.RoleOffice, clk.Now)
	var mu sync.Mutex
	var seen []syncsvc.Progress
	a, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: url, Token: token}, syncsvc.AgentOptions{CallTimeout: timeout, Retries: 2, RetryDelay: 10 * time.Millisecond, Progress: func(p syncsvc.Progress) { mu.Lock(); seen = append(seen, p); mu.Unlock() }})
	require.NoError(t, err)
	return r, a, &seen
}

func TestAStalledHubEndsTheSyncWithinItsDeadline(t *testing.T) {
	// A listener that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() { _, _ = io.Copy(io.Discard, c) }()
		}
	}()
	hubR, _, clk := plainHub(t)
	r, agent, seen := officeBehind(t, hubR, clk, "http://"+ln.Addr().String(), 300*time.Millisecond)
	x := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &x)
	require.NoError(t, err)

	start := time.Now()
	_, err = agent.Sync(ctx)
	took := time.Since(start)
	require.Error(t, err)
	assert.Less(t, took, 5*time.Second, "two attempts of 300 ms, not forever")
	assert.GreaterOrEqual(t, took, 600*time.Millisecond, "each attempt waited its deadline")
	assert.True(t, syncsvc.IsUnavailable(err), "a stall is the hub unavailable: %v", err)
	assert.True(t, syncsvc.IsNetworkFault(err))
	assert.Contains(t, err.Error(), "did not answer within 300ms")
	var retries []int
	for _, p := range *seen {
		if p.Phase == "retry" {
			retries = append(retries, p.Done)
			assert.Equal(t, 2, p.Total)
		}
	}
	assert.Equal(t, []int{1}, retries, "the retry is shown; a second stall in a row ends the sync")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n, "nothing lost")
}

func TestAPushThatStallsIsGivenUpAndNothingIsLost(t *testing.T) {
	hubR, srv, clk := plainHub(t)
	p := newFaultProxy(t, srv.Listener.Addr().String())
	r, agent, _ := officeBehind(t, hubR, clk, p.url(), 300*time.Millisecond)
	p.stallOn.Store("/wanxia.sync.v1.SyncService/Push")
	for i := range 3 {
		x := testkit.Cadre(i, "sy")
		_, err := r.PutCadre(ctx, &x)
		require.NoError(t, err)
	}
	start := time.Now()
	_, err := agent.Sync(ctx)
	require.Error(t, err)
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.True(t, syncsvc.IsUnavailable(err), "%v", err)
	assert.GreaterOrEqual(t, p.stall.Load(), int64(2), "both attempts stalled at the push")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	all, err := hubR.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Empty(t, all)

	p.stallOn.Store("")
	syncOK(t, agent)
	n, err = r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
	all, err = hubR.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 3, "the same sync run again went through")
}

func TestAnswersCutShortAreNetworkFaultsAndTriedAgain(t *testing.T) {
	hubR, srv, clk := plainHub(t)
	p := newFaultProxy(t, srv.Listener.Addr().String())
	r, agent, _ := officeBehind(t, hubR, clk, p.url(), 5*time.Second)
	x := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &x)
	require.NoError(t, err)

	p.cut.Store(1 << 30) // every answer
	_, err = agent.Sync(ctx)
	require.Error(t, err)
	assert.True(t, syncsvc.IsNetworkFault(err), "%v", err)
	assert.True(t, errors.Is(err, io.ErrUnexpectedEOF) || connect.CodeOf(err) == connect.CodeUnavailable, "%v", err)
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	p.cut.Store(2) // two answers cut, then the link holds: the retries carry the sync
	rep := syncOK(t, agent)
	assert.Equal(t, 1, rep.Pushed)
	assert.LessOrEqual(t, p.cut.Load(), int64(0))
	_, err = hubR.Cadre(ctx, x.ID)
	assert.NoError(t, err)
}
