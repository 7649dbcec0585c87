package syncsvc_test

import (
	"errors"
	"net"
	"net/http"
	"path/filepath"
	"sync"
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

// h2cClient speaks HTTP/1.1 and HTTP/2 without TLS, as gRPC needs.
func h2cClient() *http.Client {
	var p http.Protocols
	p.SetHTTP1(true)
	p.SetUnencryptedHTTP2(true)
	return &http.Client{Transport: &http.Transport{Protocols: &p}}
}

// servedHub is a hub on a fixed loopback address that can be stopped and
// started again, as a restarted hub process would be.
type servedHub struct {
	t    *testing.T
	path string
	addr string
	r    *store.Replica
	srv  *http.Server
	done chan struct{}
}

func (s *servedHub) start() {
	s.t.Helper()
	r, err := store.Open(ctx, s.path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(s.t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(s.t, err)
	ln, err := net.Listen("tcp", s.addr)
	require.NoError(s.t, err)
	s.addr = ln.Addr().String()
	s.r, s.srv, s.done = r, transport.NewServer(s.addr, transport.Handler(hub)), make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.t.Error(err)
		}
	}()
}

func (s *servedHub) stop() {
	s.srv.Close()
	<-s.done
	s.r.Close()
}

func TestHubRestartedInTheMiddleOfASync(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		s := &servedHub{t: t, path: filepath.Join(t.TempDir(), "hub.db"), addr: "127.0.0.1:0"}
		s.start()
		_, token, err := s.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)

		office := openReplica(t, syncsvc.RoleOffice, nil)
		for i := range 200 {
			c := testkit.Cadre(i, "sy")
			_, err := office.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		var once sync.Once
		restarted := make(chan struct{})
		agent, err := transport.NewAgent(office.Replica, transport.ClientConfig{HubURL: "http://" + s.addr, Token: token, HTTPClient: h2cClient(), Options: p}, syncsvc.AgentOptions{BatchSize: 20, Retries: 20, RetryDelay: 20 * time.Millisecond, Progress: func(pr syncsvc.Progress) {
			if pr.Phase == "push" && pr.Done >= 60 {
				once.Do(func() {
					s.stop() // the hub goes down after three batches…
					go func() {
						time.Sleep(150 * time.Millisecond)
						s.start() // …and comes back on the same address
						close(restarted)
					}()
				})
			}
		}})
		require.NoError(t, err)
		rep, err := agent.Sync(ctx)
		require.NoError(t, err)
		<-restarted
		defer s.stop()
		assert.Equal(t, 200, rep.Pushed)

		all, err := s.r.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		assert.Len(t, all, 200, "every write arrived once")
		n, err := office.OutboxLen(ctx)
		require.NoError(t, err)
		assert.Zero(t, n)
		last, err := s.r.LastSeq(ctx)
		require.NoError(t, err)
		assert.EqualValues(t, 201, last, "200 cadres and the community, nothing twice")
	})
}

func TestScopeMoveOverRPC(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{}, visitsType)
		_, tokenA, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		_, tokenB, err := h.r.AddOffice(ctx, "gsq", "杆石桥", []string{"gsq"})
		require.NoError(t, err)
		a, agentA := h.install(t, "sy", tokenA, visitsType)
		b, agentB := h.install(t, "gsq", tokenB, visitsType)

		c := testkit.Cadre(1, "sy")
		_, err = a.PutCadre(ctx, &c)
		require.NoError(t, err)
		visit := newID()
		_, err = a.Put(ctx, "test_visits", visit, map[string]any{"cadre_id": c.ID.String(), "visited_on": "2026-11-20"})
		require.NoError(t, err)
		syncOK(t, agentA)
		syncOK(t, agentB)

		c.Community = "gsq"
		_, err = a.PutCadre(ctx, &c)
		require.NoError(t, err)
		syncOK(t, agentA)
		syncOK(t, agentB)

		_, err = a.Cadre(ctx, c.ID)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound, "office A dropped the cadre")
		got, err := b.Cadre(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c, got, "office B received the cadre whole")
		_, err = b.Get(ctx, "test_visits", visit)
		assert.NoError(t, err, "with the records about the cadre")

		// A can no longer edit it: a write from a stale form is refused.
		// (It is refused as it is typed: gsq is not A's community.)
		c.Phone = "999"
		_, err = a.PutCadre(ctx, &c)
		assert.ErrorIs(t, err, syncsvc.ErrOutOfScope)
		rep := syncOK(t, agentA)
		assert.Equal(t, 0, rep.Refused)
		got, err = h.r.Cadre(ctx, c.ID)
		require.NoError(t, err)
		assert.Empty(t, got.Phone)
	})
}
