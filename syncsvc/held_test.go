package syncsvc_test

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// An office's first sync pushes its roll; the pull of the same sync does
// not bring the records it pushed back, yet the office and the hub end up
// holding the same.
func TestFirstSyncDoesNotPullBackWhatItPushed(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		a, agent := h.office(t, "sy-a", "sy")
		err := a.Update(ctx, func(tx *store.Tx) error {
			for i := range 40 {
				c := testkit.Cadre(i, "sy")
				if _, err := tx.PutCadre(&c); err != nil {
					return err
				}
			}
			return nil
		})
		require.NoError(t, err)
		rep := syncOK(t, agent)
		assert.Equal(t, 40, rep.Pushed)
		assert.Equal(t, 1, rep.Pulled, "the community's record only: not the 40 cadres pushed")
		assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, a, "sy", "district"))
	})
}

// Push names exactly the records it created; a pull that names them leaves
// out those still as the push left them, and sends one that another office
// changed since, and a record the push changed but did not create.
func TestHeldRecordsAreThoseThePushCreated(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hubR := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	syA, _, err := hubR.AddOffice(ctx, "sy-a", "舜园甲", []string{"sy"})
	require.NoError(t, err)
	syB, _, err := hubR.AddOffice(ctx, "sy-b", "舜园乙", []string{"sy"})
	require.NoError(t, err)
	a := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clk.Now})
	b := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clk.Now})
	pushAll := func(r *store.Replica, o syncsvc.Office) syncsvc.PushResult {
		t.Helper()
		out, err := r.Outbox(ctx, 100)
		require.NoError(t, err)
		res, err := hub.Push(ctx, o, r.Node(), out)
		require.NoError(t, err)
		require.Empty(t, res.Refused)
		require.NoError(t, r.Acknowledge(ctx, res.Acknowledged))
		return res
	}
	pullIDs := func(r *store.Replica, o syncsvc.Office, held []syncsvc.SeqRange) []uuid.UUID {
		t.Helper()
		page, err := hub.Pull(ctx, o, r.Node(), 0, 0, held...)
		require.NoError(t, err)
		var ids []uuid.UUID
		for _, ch := range page.Changes {
			if ch.Table == store.CadresTable {
				ids = append(ids, ch.ID)
			}
		}
		slices.SortFunc(ids, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
		return ids
	}

	// b registers one cadre first; a registers three, and edits b's.
	old := testkit.Cadre(0, "sy")
	_, err = b.PutCadre(ctx, &old)
	require.NoError(t, err)
	pushAll(b, syB)
	page, err := hub.Pull(ctx, syA, a.Node(), 0, 0)
	require.NoError(t, err)
	_, err = a.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next})
	require.NoError(t, err)
	var fresh []uuid.UUID
	for i := 1; i <= 3; i++ {
		c := testkit.Cadre(i, "sy")
		_, err = a.PutCadre(ctx, &c)
		require.NoError(t, err)
		fresh = append(fresh, c.ID)
	}
	clk.Advance(1)
	edited := old
	edited.Phone = "13900000000"
	_, err = a.PutCadre(ctx, &edited)
	require.NoError(t, err)
	res := pushAll(a, syA)
	require.Len(t, res.Held, 1, "three records created in one push: one run")
	assert.Equal(t, int64(3), res.Held[0].Through-res.Held[0].From+1, "the three created, not the one edited")

	all := pullIDs(a, syA, nil)
	require.Len(t, all, 4)
	assert.Equal(t, []uuid.UUID{old.ID}, pullIDs(a, syA, res.Held), "the created records are left out, the edited one is sent")

	// b changes one of a's new records: it is sent to a again.
	page, err = hub.Pull(ctx, syB, b.Node(), 0, 0)
	require.NoError(t, err)
	_, err = b.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next})
	require.NoError(t, err)
	changed, err := b.Cadre(ctx, fresh[1])
	require.NoError(t, err)
	clk.Advance(1)
	changed.Phone = "13700000000"
	_, err = b.PutCadre(ctx, &changed)
	require.NoError(t, err)
	assert.Empty(t, pushAll(b, syB).Held, "an edit creates nothing")
	want := []uuid.UUID{old.ID, fresh[1]}
	slices.SortFunc(want, func(x, y uuid.UUID) int { return slices.Compare(x[:], y[:]) })
	assert.Equal(t, want, pullIDs(a, syA, res.Held))
}

// A sync with nothing to do writes once on each side: the hub records the
// node's sync at Hello (its pull from where it said it stood records
// nothing more), and the office records the sync's end with the pull's
// last page.
func TestIdleSyncWritesOnceOnEachSide(t *testing.T) {
	t.Parallel()
	h, a, agent, _ := syncedOffice(t)

	hubBefore, officeBefore := commits(t, h.r), commits(t, a)
	h.clk.Advance(time.Minute)
	rep := syncOK(t, agent)
	assert.Zero(t, rep.Pushed+rep.Pulled)
	assert.Equal(t, int64(1), commits(t, h.r)-hubBefore, "the hub's writes for an idle sync")
	assert.Equal(t, int64(1), commits(t, a)-officeBefore, "the office's writes for an idle sync")
	last, err := a.Meta(ctx, "last_sync")
	require.NoError(t, err)
	assert.Equal(t, h.clk.Now().UTC().Format(time.RFC3339), last, "the sync's end is recorded")
}

// A sync that pushes stores how far the hub acknowledged the office's log
// with the sync's end, in one write: its outbox is then empty. On the hub
// it writes twice: Hello's record of the node's sync, and the push with
// its record in the sync summary.
func TestSyncThatPushesWritesOnceOnTheOffice(t *testing.T) {
	t.Parallel()
	h, a, agent, c := syncedOffice(t)
	for i := range 3 {
		c.Phone = fmt.Sprintf("1380000000%d", i)
		_, err := a.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	before, hubBefore := commits(t, a), commits(t, h.r)
	h.clk.Advance(time.Minute)
	since := h.clk.Now()
	rep := syncOK(t, agent)
	assert.Equal(t, 3, rep.Pushed)
	assert.Equal(t, int64(1), commits(t, a)-before, "the office's writes for a sync that pushed")
	assert.Equal(t, int64(2), commits(t, h.r)-hubBefore, "the hub's writes for a sync that pushed")
	sum, err := h.r.SyncSummary(ctx, since)
	require.NoError(t, err)
	require.Len(t, sum, 1)
	assert.Equal(t, 1, sum[0].Pushes, "the push is in the sync summary")
	assert.Equal(t, 3, sum[0].Applied)
	n, err := a.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "what the hub acknowledged left the outbox")
	offices, err := h.r.Offices(ctx)
	require.NoError(t, err)
	acked, err := a.Position(ctx, "acked")
	require.NoError(t, err)
	assert.Equal(t, offices[0].Acknowledged, acked)
}

// Pushes that reach the hub together share a transaction. When two offices
// create the same record at once, the one whose push came first created it
// at the hub, but it stands with the other's changes too: it is held for
// neither, and both end up holding what the hub holds.
func TestGroupedPushesHoldOnlyWhatTheirSenderHolds(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hubR := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now, Types: []syncsvc.RecordType{marksMembers}})
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	offices := make([]syncsvc.Office, 4)
	replicas := make([]*store.Replica, len(offices))
	for i := range offices {
		offices[i], _, err = hubR.AddOffice(ctx, fmt.Sprintf("sy-%d", i), fmt.Sprintf("舜园%d", i), []string{"sy"})
		require.NoError(t, err)
		replicas[i] = testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clk.Now, Types: []syncsvc.RecordType{marksMembers}})
	}
	pulled := make([]int64, len(offices))
	shared := 0
	for round := range 30 {
		ids := []uuid.UUID{newID(), newID()}
		for i, r := range replicas {
			clk.Advance(1)
			// Each office creates both records, with its own name for them.
			for _, id := range ids {
				_, err := r.Put(ctx, marksMembers.Name, id, map[string]any{"community": "sy", "name": fmt.Sprintf("第%d轮%d号", round, i)})
				require.NoError(t, err)
			}
		}
		// The pushes gather while a write holds the hub's file, behind a
		// record of a sync waiting for it: they are then committed together.
		started, release := make(chan struct{}), make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			assert.NoError(t, hubR.Update(ctx, func(*store.Tx) error { close(started); <-release; return nil }))
		})
		<-started
		wg.Go(func() { assert.NoError(t, hubR.RecordNodeSync(ctx, offices[0].ID, replicas[0].Node(), -1)) })
		held := make([][]syncsvc.SeqRange, len(offices))
		for i, r := range replicas {
			wg.Go(func() {
				out, err := r.Outbox(ctx, 100)
				if !assert.NoError(t, err) {
					return
				}
				res, err := hub.Push(ctx, offices[i], r.Node(), out)
				if assert.NoError(t, err) && assert.NoError(t, r.Acknowledge(ctx, res.Acknowledged)) {
					held[i] = res.Held
				}
			})
		}
		time.Sleep(50 * time.Millisecond)
		close(release)
		wg.Wait()
		for i, r := range replicas {
			if len(held[i]) > 0 {
				shared++
			}
			page, err := hub.Pull(ctx, offices[i], r.Node(), pulled[i], 0, held[i]...)
			require.NoError(t, err)
			_, err = r.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next})
			require.NoError(t, err)
			pulled[i] = page.Next
		}
	}
	want := dump(t, hubR, "sy")
	for i, r := range replicas {
		assert.Equal(t, want, dump(t, r, "sy"), "office %d holds what the hub holds", i)
	}
	t.Logf("pushes that were answered with held records: %d of %d", shared, 30*len(offices))
}

// commits is r's count of write transactions (Replica.Commits).
func commits(t *testing.T, r *store.Replica) int64 {
	t.Helper()
	n, err := r.Commits(ctx)
	require.NoError(t, err)
	return n
}

// syncedOffice is a hub and an office of community sy that has registered
// one cadre and synced once.
func syncedOffice(t *testing.T) (*testHub, *store.Replica, *syncsvc.Agent, cadre.Cadre) {
	t.Helper()
	h := startHub(t, protocols["connect"], syncsvc.HubOptions{})
	a, agent := h.office(t, "sy-a", "sy")
	c := testkit.Cadre(1, "sy")
	_, err := a.PutCadre(ctx, &c)
	require.NoError(t, err)
	syncOK(t, agent)
	return h, a, agent, c
}

// Hello's district key is compared with the one the sync's state read: a
// key that differs from the hub's is replaced at the next sync, one that
// matches writes nothing more.
func TestASyncStoresTheHubsDistrictKeyWhenItDiffers(t *testing.T) {
	t.Parallel()
	h, a, agent, _ := syncedOffice(t)
	want, err := h.r.DistrictKey(ctx)
	require.NoError(t, err)
	got, err := a.DistrictKey(ctx)
	require.NoError(t, err)
	require.Equal(t, want, got, "the first sync stored the hub's key")

	require.NoError(t, a.SetDistrictKey(ctx, bytes.Repeat([]byte{9}, syncsvc.DistrictKeySize)))
	h.clk.Advance(time.Minute)
	syncOK(t, agent)
	got, err = a.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, want, got, "a key other than the hub's is replaced")
}
