package transport_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

var ctx = context.Background()

func openReplica(t testing.TB, role syncsvc.Role, now func() time.Time) *store.Replica {
	t.Helper()
	path := filepath.Join(t.TempDir(), string(role)+".db")
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role, Now: now})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// protocols are the wire protocols every RPC test runs over.
var protocols = map[string][]connect.ClientOption{
	"connect": nil,
	"grpc":    {connect.WithGRPC()},
}

func forEachProtocol(t *testing.T, fn func(t *testing.T, protocol []connect.ClientOption)) {
	for name, p := range protocols {
		t.Run(name, func(t *testing.T) { fn(t, p) })
	}
}

// testHub is a hub replica served by transport.Handler over a real HTTP/2
// TLS server.
type testHub struct {
	r        *store.Replica
	hub      *syncsvc.Hub
	srv      *httptest.Server
	clk      *testkit.Clock
	protocol []connect.ClientOption
}

func startHub(t *testing.T, protocol []connect.ClientOption, opts syncsvc.HubOptions) *testHub {
	t.Helper()
	return startLimitedHub(t, protocol, opts, transport.DefaultLimits())
}

// startLimitedHub is startHub within the given limits.
func startLimitedHub(t *testing.T, protocol []connect.ClientOption, opts syncsvc.HubOptions, limits transport.Limits) *testHub {
	t.Helper()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	hub, err := syncsvc.NewHub(r, opts)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(transport.HandlerWithLimits(hub, limits))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &testHub{r: r, hub: hub, srv: srv, clk: clk, protocol: protocol}
}

// install is a new computer of an office: a new replica and its agent.
func (h *testHub) install(t *testing.T, id, token string) (*store.Replica, *syncsvc.Agent) {
	t.Helper()
	r, err := store.Open(ctx, filepath.Join(t.TempDir(), id+".db"), syncsvc.Options{Now: h.clk.Now})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	a, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Options: h.protocol},
		syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	return r, a
}

// client is a raw Connect client of the hub, sending token.
func (h *testHub) client(token string) syncv1connect.SyncServiceClient {
	auth := connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx2 context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("Authorization", "Bearer "+token)
			return next(ctx2, req)
		}
	})
	return syncv1connect.NewSyncServiceClient(h.srv.Client(), h.srv.URL, append([]connect.ClientOption{connect.WithInterceptors(auth)}, h.protocol...)...)
}

func syncOK(t *testing.T, a *syncsvc.Agent) syncsvc.SyncReport {
	t.Helper()
	rep, err := a.Sync(ctx)
	require.NoError(t, err)
	return rep
}
