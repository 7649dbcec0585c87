package syncsvc_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// protocols are the wire protocols every RPC test runs over.
var protocols = map[string][]connect.ClientOption{
	"connect": nil,
	"grpc":    {connect.WithGRPC()},
}

// testHub is a hub replica served over a real HTTP/2 TLS server.
type testHub struct {
	r        *store.Replica
	hub      *syncsvc.Hub
	srv      *httptest.Server
	clk      *testkit.Clock
	protocol []connect.ClientOption
}

func startHub(t *testing.T, protocol []connect.ClientOption, opts syncsvc.HubOptions, types ...syncsvc.RecordType) *testHub {
	t.Helper()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now, types...)
	hub, err := syncsvc.NewHub(r, opts)
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(transport.Handler(hub))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &testHub{r: r, hub: hub, srv: srv, clk: clk, protocol: protocol}
}

// office registers an office and returns its replica and agent.
func (h *testHub) office(t *testing.T, id string, communities ...string) (*store.Replica, *syncsvc.Agent) {
	t.Helper()
	_, token, err := h.r.AddOffice(ctx, id, id+"办公室", communities)
	require.NoError(t, err)
	return h.install(t, id, token)
}

// install is a new computer of an office: a new replica and node.
func (h *testHub) install(t *testing.T, id, token string, types ...syncsvc.RecordType) (*store.Replica, *syncsvc.Agent) {
	t.Helper()
	path := filepath.Join(t.TempDir(), id+".db")
	r, err := store.Open(ctx, path, syncsvc.Options{Now: h.clk.Now, Types: types})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	a, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Options: h.protocol}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	return r, a
}

func (h *testHub) client(token string) syncv1connect.SyncServiceClient {
	auth := connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx2 context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("Authorization", "Bearer "+token)
			return next(ctx2, req)
		}
	})
	return syncv1connect.NewSyncServiceClient(h.srv.Client(), h.srv.URL, append([]connect.ClientOption{connect.WithInterceptors(auth)}, h.protocol...)...)
}

func forEachProtocol(t *testing.T, fn func(t *testing.T, protocol []connect.ClientOption)) {
	for name, p := range protocols {
		t.Run(name, func(t *testing.T) { fn(t, p) })
	}
}

func syncOK(t *testing.T, a *syncsvc.Agent) syncsvc.SyncReport {
	t.Helper()
	rep, err := a.Sync(ctx)
	require.NoError(t, err)
	return rep
}

func TestThreeOfficesConverge(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		a, agentA := h.office(t, "sy-a", "sy")
		b, agentB := h.office(t, "sy-b", "sy")
		c, agentC := h.office(t, "gsq", "gsq")

		// Offline work in each office.
		var syCadres []cadre.Cadre
		for i := range 6 {
			r := []*store.Replica{a, b}[i%2]
			x := testkit.Cadre(i, "sy")
			_, err := r.PutCadre(ctx, &x)
			require.NoError(t, err)
			syCadres = append(syCadres, x)
		}
		g := testkit.Cadre(50, "gsq")
		_, err := c.PutCadre(ctx, &g)
		require.NoError(t, err)

		syncOK(t, agentC)
		syncOK(t, agentA)
		syncOK(t, agentB)
		syncOK(t, agentA)

		// The same field edited in both offices of one community.
		shared := syCadres[0]
		sa, sb := shared, shared
		sa.Phone = "1111"
		_, err = a.PutCadre(ctx, &sa)
		require.NoError(t, err)
		h.clk.Advance(time.Second)
		sb.Phone = "2222"
		_, err = b.PutCadre(ctx, &sb)
		require.NoError(t, err)
		syncOK(t, agentB)
		syncOK(t, agentA)
		syncOK(t, agentB)
		syncOK(t, agentC)

		assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, a, "sy", "district"))
		assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, b, "sy", "district"))
		assert.Equal(t, dump(t, h.r, "gsq", "district"), dump(t, c, "gsq", "district"))
		for _, r := range []*store.Replica{a, b} {
			got, err := r.Cadre(ctx, shared.ID)
			require.NoError(t, err)
			assert.Equal(t, "2222", got.Phone)
			conflicts, err := r.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
			require.NoError(t, err)
			require.Len(t, conflicts, 1, "the conflict is listed in both offices")
			assert.Equal(t, "1111", conflicts[0].Other.Value)
		}
		cs, err := c.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		assert.Equal(t, []string{g.Name}, testkit.Names(cs), "an office sees its own community only")
		conflicts, err := c.Conflicts(ctx, syncsvc.ConflictFilter{})
		require.NoError(t, err)
		assert.Empty(t, conflicts)
		communities, err := c.Communities(ctx)
		require.NoError(t, err)
		assert.Equal(t, []store.Community{{Code: "gsq", Name: "gsq"}}, communities, "an office reads its own communities' records, not the district's whole registry")
	})
}

func TestBadTokenWritesNothing(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		r, agent := h.install(t, "sy", token[:len(token)-1]+"x")
		x := testkit.Cadre(1, "sy")
		_, err = r.PutCadre(ctx, &x)
		require.NoError(t, err)
		before, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		_, err = agent.Sync(ctx)
		assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
		after, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		assert.Equal(t, before, after)
		n, err := r.OutboxLen(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, n, "the office keeps its outbox")

		_, err = h.client("").ListOffices(ctx, connect.NewRequest(&syncv1.ListOfficesRequest{}))
		assert.Equal(t, connect.CodeUnauthenticated, connect.CodeOf(err))
		_, err = h.client(token).ListOffices(ctx, connect.NewRequest(&syncv1.ListOfficesRequest{}))
		assert.Equal(t, connect.CodeUnauthenticated, connect.CodeOf(err), "an office token is no admin credential")
	})
}

func TestOutOfScopeChangeIsRefusedAlone(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		r, agent := h.office(t, "sy", "sy")
		for i, community := range []string{"sy", "gsq", "sy"} {
			x := testkit.Cadre(i, community)
			_, err := r.PutCadre(ctx, &x)
			require.NoError(t, err)
		}
		rep := syncOK(t, agent)
		assert.Equal(t, 3, rep.Pushed)
		assert.Equal(t, 1, rep.Refused)
		hubCadres, err := h.r.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		assert.Len(t, hubCadres, 2, "the rest of the batch was applied")
		n, err := r.OutboxLen(ctx)
		require.NoError(t, err)
		assert.Zero(t, n, "a refusal does not block the outbox")
		rejected, err := r.Refusals(ctx, "")
		require.NoError(t, err)
		require.Len(t, rejected, 1)
		assert.Equal(t, "scope", rejected[0].Code)
		assert.Contains(t, rejected[0].Reason, "gsq")
		kept, err := h.r.Refusals(ctx, "sy")
		require.NoError(t, err)
		assert.Len(t, kept, 1, "the hub keeps the refusal too")
	})
}

func protoChange(ch syncsvc.Change) *syncv1.Change {
	p := &syncv1.Change{Seq: ch.Seq, Table: ch.Table, Id: ch.ID[:], Scope: ch.Scope}
	for _, f := range ch.Fields {
		fc := &syncv1.FieldChange{Name: f.Name, Stamp: &syncv1.Stamp{Hlc: f.Stamp.HLC, Node: f.Stamp.Node[:]}}
		switch v := f.Value.(type) {
		case string:
			fc.Value = &syncv1.Value{Kind: &syncv1.Value_Text{Text: v}}
		case int64:
			fc.Value = &syncv1.Value{Kind: &syncv1.Value_Int{Int: v}}
		case bool:
			fc.Value = &syncv1.Value{Kind: &syncv1.Value_Flag{Flag: v}}
		case []any:
			list := &syncv1.ValueList{}
			for _, e := range v {
				if s, ok := e.(string); ok {
					list.Values = append(list.Values, &syncv1.Value{Kind: &syncv1.Value_Text{Text: s}})
				} else {
					list.Values = append(list.Values, &syncv1.Value{Kind: &syncv1.Value_Null{Null: true}})
				}
			}
			fc.Value = &syncv1.Value{Kind: &syncv1.Value_List{List: list}}
		default:
			fc.Value = &syncv1.Value{Kind: &syncv1.Value_Null{Null: true}}
		}
		p.Fields = append(p.Fields, fc)
	}
	return p
}

func TestReinstalledOfficeWritesAllArrive(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		old, oldAgent := h.install(t, "sy", token)
		for i := range 3 {
			x := testkit.Cadre(i, "sy")
			_, err := old.PutCadre(ctx, &x)
			require.NoError(t, err)
		}
		syncOK(t, oldAgent)

		// The computer is reinstalled: a new replica, a new node, the same
		// office and token. Its log starts at 1 again.
		fresh, agent := h.install(t, "sy", token)
		assert.NotEqual(t, old.Node(), fresh.Node())
		syncOK(t, agent)
		for i := 10; i < 13; i++ {
			x := testkit.Cadre(i, "sy")
			_, err := fresh.PutCadre(ctx, &x)
			require.NoError(t, err)
		}
		rep := syncOK(t, agent)
		assert.Equal(t, 3, rep.Pushed)
		all, err := h.r.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		assert.Len(t, all, 6, "no new write was taken for an old one")
	})
}

func TestSkewedClockIsRefusedAndNothingIsLost(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		path := filepath.Join(t.TempDir(), "sy.db")
		ahead := testkit.NewClock(h.clk.Now().Add(time.Hour))
		r, err := store.Open(ctx, path, syncsvc.Options{Now: ahead.Now})
		require.NoError(t, err)
		defer r.Close()
		agent, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Options: p}, syncsvc.AgentOptions{})
		require.NoError(t, err)
		x := testkit.Cadre(1, "sy")
		_, err = r.PutCadre(ctx, &x)
		require.NoError(t, err)

		_, err = agent.Sync(ctx)
		require.Error(t, err)
		assert.ErrorIs(t, err, syncsvc.ErrClockSkew)
		assert.Contains(t, err.Error(), "clock")
		var he *syncsvc.HubError
		require.ErrorAs(t, err, &he)
		assert.False(t, he.HubTime.IsZero(), "the hub's time travels with its refusal")
		n, err := r.OutboxLen(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, n)

		h.clk.Advance(time.Hour) // the clocks agree again
		syncOK(t, agent)
		_, err = h.r.Cadre(ctx, x.ID)
		assert.NoError(t, err)
	})
}
