package transport_test

import (
	"context"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// hubProxy stands between an office and a test hub and keeps what the
// office sent. While announce is false it is an older hub: its Hello does
// not say it reads change stamps, and like an older hub, which would find
// the fields unstamped, it refuses a push that leaves a field's stamp out.
type hubProxy struct {
	syncv1connect.UnimplementedSyncServiceHandler
	hub      syncv1connect.SyncServiceClient
	srv      *httptest.Server
	announce atomic.Bool

	mu     sync.Mutex
	pushes []*syncv1.PushRequest
	pulls  []*syncv1.PullRequest
}

func newHubProxy(t *testing.T, h *testHub, announce bool) *hubProxy {
	t.Helper()
	p := &hubProxy{hub: syncv1connect.NewSyncServiceClient(h.srv.Client(), h.srv.URL, h.protocol...)}
	p.announce.Store(announce)
	_, handler := syncv1connect.NewSyncServiceHandler(p)
	p.srv = httptest.NewUnstartedServer(handler)
	p.srv.EnableHTTP2 = true
	p.srv.StartTLS()
	t.Cleanup(p.srv.Close)
	return p
}

// forward passes req on to the hub with its token.
func forward[Req, Res any](ctx context.Context, call func(context.Context, *connect.Request[Req]) (*connect.Response[Res], error), req *connect.Request[Req]) (*connect.Response[Res], error) {
	out := connect.NewRequest(req.Msg)
	out.Header().Set("Authorization", req.Header().Get("Authorization"))
	return call(ctx, out)
}

func (p *hubProxy) Hello(ctx context.Context, req *connect.Request[syncv1.HelloRequest]) (*connect.Response[syncv1.HelloResponse], error) {
	res, err := forward(ctx, p.hub.Hello, req)
	if err == nil && !p.announce.Load() {
		res.Msg.ChangeStamps = false
	}
	return res, err
}

func (p *hubProxy) Push(ctx context.Context, req *connect.Request[syncv1.PushRequest]) (*connect.Response[syncv1.PushResponse], error) {
	p.mu.Lock()
	p.pushes = append(p.pushes, req.Msg)
	p.mu.Unlock()
	if !p.announce.Load() {
		for _, ch := range req.Msg.GetChanges() {
			for _, f := range ch.GetFields() {
				if f.GetStamp() == nil {
					return nil, connect.NewError(connect.CodeInvalidArgument, syncsvc.ErrInvalidChange)
				}
			}
		}
	}
	return forward(ctx, p.hub.Push, req)
}

func (p *hubProxy) Pull(ctx context.Context, req *connect.Request[syncv1.PullRequest]) (*connect.Response[syncv1.PullResponse], error) {
	p.mu.Lock()
	p.pulls = append(p.pulls, req.Msg)
	p.mu.Unlock()
	return forward(ctx, p.hub.Pull, req)
}

func (p *hubProxy) Snapshot(ctx context.Context, req *connect.Request[syncv1.SnapshotRequest]) (*connect.Response[syncv1.SnapshotResponse], error) {
	return forward(ctx, p.hub.Snapshot, req)
}

// sent returns the pushes and pulls received since the last call.
func (p *hubProxy) sent() (pushes []*syncv1.PushRequest, pulls []*syncv1.PullRequest) {
	p.mu.Lock()
	defer p.mu.Unlock()
	pushes, pulls = p.pushes, p.pulls
	p.pushes, p.pulls = nil, nil
	return pushes, pulls
}

// fullStamps reports whether every change of every push carries no stamp
// of its own and every field carries its stamp: the form an older hub
// reads.
func fullStamps(t *testing.T, pushes []*syncv1.PushRequest) bool {
	t.Helper()
	require.NotEmpty(t, pushes, "the office pushed")
	for _, push := range pushes {
		require.NotEmpty(t, push.GetChanges())
		for _, ch := range push.GetChanges() {
			if ch.GetStamp() != nil {
				return false
			}
			for _, f := range ch.GetFields() {
				if f.GetStamp() == nil {
					return false
				}
			}
		}
	}
	return true
}

// compactStamps reports whether every change of every push carries the
// stamp of its write and no field repeats it.
func compactStamps(t *testing.T, pushes []*syncv1.PushRequest) bool {
	t.Helper()
	require.NotEmpty(t, pushes, "the office pushed")
	for _, push := range pushes {
		require.NotEmpty(t, push.GetChanges())
		for _, ch := range push.GetChanges() {
			if ch.GetStamp() == nil {
				return false
			}
			for _, f := range ch.GetFields() {
				if f.GetStamp() != nil {
					return false
				}
			}
		}
	}
	return true
}

// An office syncs with an older hub, which does not say it reads change
// stamps, by sending every field's stamp; with a hub that says so it sends
// each write's stamp once; it follows what the hub's last Hello said.
func TestPushStampsFollowTheHubsHello(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, protocol []connect.ClientOption) {
		h := startHub(t, protocol, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		old := newHubProxy(t, h, false)
		r, err := store.Open(ctx, t.TempDir()+"/sy.db", syncsvc.Options{Now: h.clk.Now})
		require.NoError(t, err)
		t.Cleanup(func() { r.Close() })
		agent, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: old.srv.URL, Token: token, HTTPClient: old.srv.Client(), Options: protocol},
			syncsvc.AgentOptions{})
		require.NoError(t, err)

		cadres := make([]uuid.UUID, 3)
		for i := range cadres {
			c := testkit.Cadre(i, "sy")
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err)
			cadres[i] = c.ID
		}
		edit := func(i int, phone string) {
			t.Helper()
			c, err := r.Cadre(ctx, cadres[i])
			require.NoError(t, err)
			c.Phone = phone
			_, err = r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		synced := func() {
			t.Helper()
			syncOK(t, agent)
			n, err := r.OutboxLen(ctx)
			require.NoError(t, err)
			assert.Zero(t, n, "the hub took the whole outbox")
			for _, id := range cadres {
				at, err := h.r.Get(ctx, store.CadresTable, id)
				require.NoError(t, err)
				here, err := r.Get(ctx, store.CadresTable, id)
				require.NoError(t, err)
				assert.Equal(t, here.Values, at.Values, "the hub holds the office's cadre")
			}
		}

		synced()
		pushes, pulls := old.sent()
		assert.True(t, fullStamps(t, pushes), "an older hub is sent every field's stamp: %v", pushes)
		require.NotEmpty(t, pulls)
		for _, pull := range pulls {
			assert.True(t, pull.GetChangeStamps(), "the office says it reads change stamps")
		}

		old.announce.Store(true)
		edit(0, "0531-86000001")
		edit(1, "0531-86000002")
		synced()
		pushes, _ = old.sent()
		assert.True(t, compactStamps(t, pushes), "a hub that reads change stamps is sent each write's once: %v", pushes)

		old.announce.Store(false)
		edit(2, "0531-86000003")
		synced()
		pushes, _ = old.sent()
		assert.True(t, fullStamps(t, pushes), "the hub's last Hello counts: %v", pushes)
	})
}

// A Client pushes the full form until a Hello of the hub said it reads
// change stamps.
func TestClientPushesFullStampsBeforeHello(t *testing.T) {
	t.Parallel()
	h := startHub(t, nil, syncsvc.HubOptions{})
	token, out, _ := threeCadresToPush(t, h)
	p := newHubProxy(t, h, true)
	c, err := transport.NewClient(transport.ClientConfig{HubURL: p.srv.URL, Token: token, HTTPClient: p.srv.Client()})
	require.NoError(t, err)
	node := uuid.MustParse("0193a5b0-0000-7000-8000-0000000000c1")

	_, _ = c.Push(ctx, syncsvc.PushRequest{Node: node, Changes: out}) // the hub's answer does not matter here
	pushes, _ := p.sent()
	assert.True(t, fullStamps(t, pushes), "before any Hello: %v", pushes)

	_, err = c.Hello(ctx, syncsvc.HelloRequest{Node: node, OfficeHello: syncsvc.OfficeHello{Schema: syncsvc.SchemaVersion()}})
	require.NoError(t, err)
	_, err = c.Push(ctx, syncsvc.PushRequest{Node: node, Changes: out})
	require.NoError(t, err)
	pushes, _ = p.sent()
	assert.True(t, compactStamps(t, pushes), "after the hub's Hello: %v", pushes)
}

// A field that carries no stamp, in a change that carries none, is refused
// as invalid, in either form: never merged as the oldest write.
func TestAFieldWithNoStampIsRefused(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, protocol []connect.ClientOption) {
		h := startHub(t, protocol, syncsvc.HubOptions{})
		token, out, _ := threeCadresToPush(t, h)
		cl := h.client(token)
		node := uuid.MustParse("0193a5b0-0000-7000-8000-0000000000c2")
		_, err := cl.Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: node[:]}))
		require.NoError(t, err)

		// The compact form of the first cadre without its change stamp:
		// no field has a stamp. The full form of the second, one field's
		// stamp left out.
		compact := transport.ChangeToProto(out[0], true)
		require.NotNil(t, compact.GetStamp())
		compact.Stamp = nil
		full := transport.ChangeToProto(out[1], false)
		full.Fields[len(full.Fields)-1].Stamp = nil
		res, err := cl.Push(ctx, connect.NewRequest(&syncv1.PushRequest{Node: node[:], Changes: []*syncv1.Change{compact, full}}))
		require.NoError(t, err)
		require.Len(t, res.Msg.GetRefused(), 2)
		for i, f := range res.Msg.GetRefused() {
			assert.Equal(t, out[i].Seq, f.GetSeq())
			assert.Equal(t, "invalid", f.GetCode())
			_, err := h.r.Get(ctx, store.CadresTable, out[i].ID)
			assert.ErrorIs(t, err, syncsvc.ErrNotFound, "the hub did not take the cadre")
		}
	})
}

// pushOf40 is an office's push of 40 new cadres, each as one write.
func pushOf40(t testing.TB, r *store.Replica) []syncsvc.Change {
	t.Helper()
	for i := range 40 {
		c := testkit.Cadre(i, "sy")
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	out, err := r.Outbox(ctx, 100)
	require.NoError(t, err)
	require.Len(t, out, 40)
	return out
}

// The compact form of a typical push, 40 new cadres, is at least a third
// smaller than the full form.
func TestCompactPushIsSmaller(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	out := pushOf40(t, r)
	node := r.Node()
	full := proto.Size(&syncv1.PushRequest{Node: node[:], Changes: transport.ChangesToProto(out, false)})
	compact := proto.Size(&syncv1.PushRequest{Node: node[:], Changes: transport.ChangesToProto(out, true)})
	t.Logf("a push of 40 cadres: %d bytes in the full form, %d compact (%.0f%%)", full, compact, 100*float64(compact)/float64(full))
	assert.LessOrEqual(t, 3*compact, 2*full, "the compact push is at least a third smaller")
}

// A pull or snapshot that does not ask for change stamps, as an older
// office's, is answered with every field's stamp; one that asks is
// answered in the compact form, even for records whose fields have
// several stamps; both read back as the hub's records.
func TestPullAndSnapshotStampsAsTheOfficeAsks(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, protocol []connect.ClientOption) {
		h := startHub(t, protocol, syncsvc.HubOptions{})
		o, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		r, agent := h.install(t, "sy", token)
		pushed := pushOf40(t, r)
		syncOK(t, agent)
		// Records whose fields have two stamps: an edit after the first sync.
		out, err := r.Outbox(ctx, 100)
		require.NoError(t, err)
		require.Empty(t, out)
		for i := range 5 {
			c, err := r.Cadre(ctx, pushed[i].ID)
			require.NoError(t, err)
			c.Phone = "0531-8600000" + string(rune('0'+i))
			_, err = r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		syncOK(t, agent)

		truth, err := h.r.ChangesSince(ctx, 0, o.Scopes(), 1000)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(truth.Changes), 40)
		cl := h.client(token)
		node := uuid.MustParse("0193a5b0-0000-7000-8000-0000000000c3")
		_, err = cl.Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: node[:]}))
		require.NoError(t, err)

		pull := func(compact bool) (*syncv1.PullResponse, []syncsvc.Change) {
			t.Helper()
			res, err := cl.Pull(ctx, connect.NewRequest(&syncv1.PullRequest{Node: node[:], Limit: 1000, ChangeStamps: compact}))
			require.NoError(t, err)
			require.False(t, res.Msg.GetMore())
			chs, err := transport.ChangesFromProto(res.Msg.GetChanges())
			require.NoError(t, err)
			return res.Msg, chs
		}
		snapshot := func(compact bool) (*syncv1.SnapshotResponse, []syncsvc.Change) {
			t.Helper()
			res, err := cl.Snapshot(ctx, connect.NewRequest(&syncv1.SnapshotRequest{Node: node[:], Cursor: &syncv1.SnapshotCursor{}, Limit: 1000, ChangeStamps: compact}))
			require.NoError(t, err)
			require.True(t, res.Msg.GetDone())
			chs, err := transport.ChangesFromProto(res.Msg.GetRecords())
			require.NoError(t, err)
			return res.Msg, chs
		}

		oldPull, oldChanges := pull(false)
		newPull, newChanges := pull(true)
		assert.Equal(t, truth.Changes, oldChanges, "an older office's pull reads as the hub's records")
		assert.Equal(t, truth.Changes, newChanges, "a compact pull reads as the hub's records")
		assertForms(t, oldPull.GetChanges(), newPull.GetChanges())
		t.Logf("a pull page of %d records: %d bytes in the full form, %d compact (%.0f%%)", len(truth.Changes),
			proto.Size(oldPull), proto.Size(newPull), 100*float64(proto.Size(newPull))/float64(proto.Size(oldPull)))
		assert.LessOrEqual(t, 3*proto.Size(newPull), 2*proto.Size(oldPull), "the compact pull is at least a third smaller")

		oldSnap, oldRecords := snapshot(false)
		newSnap, newRecords := snapshot(true)
		snap, err := h.r.Snapshot(ctx, o.Scopes(), syncsvc.SnapshotCursor{}, 1000)
		require.NoError(t, err)
		assert.Equal(t, snap.Records, oldRecords, "an older office's snapshot reads as the hub's records")
		assert.Equal(t, snap.Records, newRecords, "a compact snapshot reads as the hub's records")
		assertForms(t, oldSnap.GetRecords(), newSnap.GetRecords())
	})
}

// assertForms checks that full is in the full form (every field stamped,
// no change stamp) and compact in the compact one (a change stamp on every
// change with fields, the fields that share it unstamped), and that some
// compact fields kept a stamp of their own.
func assertForms(t *testing.T, full, compact []*syncv1.Change) {
	t.Helper()
	require.Equal(t, len(full), len(compact))
	own := 0
	for i := range full {
		assert.Nil(t, full[i].GetStamp(), "an older office is sent no change stamp")
		for _, f := range full[i].GetFields() {
			assert.NotNil(t, f.GetStamp(), "an older office is sent every field's stamp")
		}
		if len(compact[i].GetFields()) == 0 {
			continue
		}
		assert.NotNil(t, compact[i].GetStamp(), "a change of the compact form carries a stamp")
		unstamped := 0
		for _, f := range compact[i].GetFields() {
			if f.GetStamp() == nil {
				unstamped++
			} else {
				own++
			}
		}
		assert.Greater(t, 2*unstamped, len(compact[i].GetFields()), "most fields of a record share its stamp")
	}
	assert.Positive(t, own, "the edited fields keep stamps of their own")
}

// The compact form takes no allocation per field to build (protoAlloc's
// slices), and reading it takes two fewer per field that shares its
// change's stamp (the stamp message and its node) than the full form.
func TestCompactFormAllocations(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice, nil)
	out := pushOf40(t, r)
	const slack = 8
	fields := 0
	for _, ch := range out {
		fields += len(ch.Fields)
	}
	encode := func(compact bool) float64 {
		return testing.AllocsPerRun(20, func() { transport.ChangesToProto(out, compact) })
	}
	fullEnc, compactEnc := encode(false), encode(true)
	t.Logf("building %d changes of %d fields: %.0f allocations in the full form, %.0f compact", len(out), fields, fullEnc, compactEnc)
	// One more slice, the changes' stamps, and nothing per field; the
	// slack is for allocations elsewhere in the program while counting.
	assert.LessOrEqual(t, compactEnc, fullEnc+1+slack, "no allocation per field")

	decode := func(compact bool) float64 {
		b, err := proto.Marshal(&syncv1.PushRequest{Changes: transport.ChangesToProto(out, compact)})
		require.NoError(t, err)
		return testing.AllocsPerRun(20, func() {
			var msg syncv1.PushRequest
			require.NoError(t, proto.Unmarshal(b, &msg))
			_, err := transport.ChangesFromProto(msg.GetChanges())
			require.NoError(t, err)
		})
	}
	fullDec, compactDec := decode(false), decode(true)
	t.Logf("reading them: %.0f allocations in the full form, %.0f compact", fullDec, compactDec)
	assert.LessOrEqual(t, compactDec, fullDec-float64(2*(fields-len(out)))+slack, "two fewer allocations per field")
}
