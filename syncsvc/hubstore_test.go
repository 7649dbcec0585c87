package syncsvc_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// wrappedStore is a HubStore of another type than *Replica, over a real
// hub replica: it counts what the hub applies.
type wrappedStore struct {
	syncsvc.HubStore
	applied atomic.Int64
}

func (s *wrappedStore) Apply(ctx context.Context, changes []syncsvc.Change, opts syncsvc.ApplyOptions) (syncsvc.ApplyResult, error) {
	s.applied.Add(int64(len(changes)))
	return s.HubStore.Apply(ctx, changes, opts)
}

// TestTheHubWorksOverAnyHubStore: the hub needs of its storage only the
// HubStore interface; an office's push reaches the records through it.
func TestTheHubWorksOverAnyHubStore(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	_, err := syncsvc.NewHub(office, syncsvc.HubOptions{})
	assert.ErrorIs(t, err, syncsvc.ErrNotHub, "a replica that says it is an office's is no hub's store")

	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	store := &wrappedStore{HubStore: r}
	hub, err := syncsvc.NewHub(store, syncsvc.HubOptions{})
	require.NoError(t, err)
	o, _, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)

	info, err := hub.Hello(ctx, o, office.Node(), syncsvc.OfficeHello{Schema: syncsvc.SchemaVersion(), OfficeTime: clk.Now()})
	require.NoError(t, err)
	assert.Equal(t, []string{"sy", "district"}, info.Scopes)
	x := testkit.Cadre(1, "sy")
	_, err = office.PutCadre(ctx, &x)
	require.NoError(t, err)
	out, err := office.Outbox(ctx, 10)
	require.NoError(t, err)
	res, err := hub.Push(ctx, o, office.Node(), out)
	require.NoError(t, err)
	assert.Equal(t, out[len(out)-1].Seq, res.Acknowledged)
	assert.EqualValues(t, len(out), store.applied.Load(), "the push went through the store given")
	_, err = r.Cadre(ctx, x.ID)
	assert.NoError(t, err)
}

// TestSyncRecordsCommittedTogetherEachHearItsOwn: the records of syncs that
// many calls make at once are committed in groups; every one is kept, and
// one that fails (a node of an office that does not exist) fails alone.
func TestSyncRecordsCommittedTogetherEachHearItsOwn(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleHub, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	_, _, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	const calls = 60
	errs := make([]error, calls)
	var wg sync.WaitGroup
	for i := range calls {
		wg.Go(func() {
			office := "sy"
			if i%10 == 9 {
				office = "nobody"
			}
			node := uuid.NewSHA1(uuid.NameSpaceOID, []byte{byte(i)})
			if errs[i] = r.RecordNodeSync(ctx, office, node, int64(i)); errs[i] == nil {
				errs[i] = r.RecordSyncEvent(ctx, syncsvc.SyncEvent{Office: office, Node: node, Kind: "pull", Changes: i})
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if i%10 == 9 {
			assert.Error(t, err, "an office that does not exist")
		} else {
			assert.NoError(t, err)
		}
	}
	summary, err := r.SyncSummary(ctx, testkit.At("2026-11-28 00:00"))
	require.NoError(t, err)
	require.Len(t, summary, 1)
	want := 0
	for i := range calls {
		if i%10 != 9 {
			want += i
		}
	}
	assert.Equal(t, want, summary[0].Pulled, "every pull recorded once")
}

// A sync event records the node's sync too (RecordNodeSync): when, and how
// far it has pulled; a push's records no position.
func TestSyncEventRecordsTheNodesSync(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	_, _, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	node := uuid.NewSHA1(uuid.NameSpaceOID, []byte("sy"))
	require.NoError(t, r.RecordSyncEvent(ctx, syncsvc.SyncEvent{Office: "sy", Node: node, Kind: "pull", Changes: 3, Pulled: 7}))
	clk.Advance(time.Hour)
	require.NoError(t, r.RecordSyncEvent(ctx, syncsvc.SyncEvent{Office: "sy", Node: node, Kind: "push", Changes: 2, Pulled: -1}))
	offices, err := r.Offices(ctx)
	require.NoError(t, err)
	require.Len(t, offices, 1)
	assert.Equal(t, int64(7), offices[0].Pulled, "the pull's position, kept through the push")
	assert.True(t, offices[0].LastSyncAt.Equal(testkit.At("2026-11-28 10:00")), "the push's time: %v", offices[0].LastSyncAt)
}

// TestHelloStateIsTheReadsItReplaces: HelloState's one read gives what
// Position, AcknowledgedTip, HubEpoch and LastSeq give one by one, and the
// node's office, before
// the hub has an epoch (it is then created) and after a push.
func TestHelloStateIsTheReadsItReplaces(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	node := office.Node()
	o, _, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)

	first, err := r.HelloState(ctx, node)
	require.NoError(t, err)
	assert.NotEmpty(t, first.Epoch, "the hub's first Hello creates its epoch")
	assert.Zero(t, first.Acknowledged)
	assert.Nil(t, first.AcknowledgedTip)
	assert.Empty(t, first.NodeOffice, "a node the hub has not recorded")

	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	for i := range 3 {
		x := testkit.Cadre(i, "sy")
		_, err = office.PutCadre(ctx, &x)
		require.NoError(t, err)
	}
	out, err := office.Outbox(ctx, 10)
	require.NoError(t, err)
	_, err = hub.Push(ctx, o, node, out)
	require.NoError(t, err)

	got, err := r.HelloState(ctx, node)
	require.NoError(t, err)
	acked, err := r.Position(ctx, "push/"+node.String())
	require.NoError(t, err)
	tip, err := r.AcknowledgedTip(ctx, node, acked)
	require.NoError(t, err)
	epoch, err := r.HubEpoch(ctx)
	require.NoError(t, err)
	last, err := r.LastSeq(ctx)
	require.NoError(t, err)
	assert.Equal(t, syncsvc.HelloState{Acknowledged: acked, AcknowledgedTip: tip, Epoch: epoch, LastSeq: last, NodeOffice: "sy"}, got,
		"the push recorded the node as the office's")
	assert.Equal(t, out[len(out)-1].Seq, got.Acknowledged)
	assert.NotEmpty(t, got.AcknowledgedTip, "the push kept the tip of its last change")
	assert.Positive(t, got.LastSeq)
	assert.Equal(t, first.Epoch, got.Epoch)
}
