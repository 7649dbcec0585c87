package syncsvc_test

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// district is a hub and two offices of community sy, each with its own clock.
type district struct {
	hub, a, b *store.Replica
	clk       *testkit.Clock
}

func newDistrict(t *testing.T, types ...syncsvc.RecordType) *district {
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	return &district{
		hub: openReplica(t, syncsvc.RoleHub, clk.Now, types...),
		a:   openReplica(t, syncsvc.RoleOffice, clk.Now, types...),
		b:   openReplica(t, syncsvc.RoleOffice, clk.Now, types...),
		clk: clk,
	}
}

func (d *district) sync(t *testing.T, offices ...*store.Replica) {
	for _, o := range offices {
		push(t, o, d.hub)
		pull(t, d.hub, o, "sy", "gsq")
	}
}

func TestUnchangedWriteLogsNothing(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	c := testkit.Cadre(1, "sy")
	_, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	changed, err := r.PutCadre(ctx, &c)
	require.NoError(t, err)
	assert.False(t, changed)
	out, err := r.Outbox(ctx, 100)
	require.NoError(t, err)
	require.Len(t, out, 1)

	created := out[0]
	c.Phone = "13900000000"
	changed, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	assert.True(t, changed)
	out, err = r.Outbox(ctx, 100)
	require.NoError(t, err)
	require.Len(t, out, 2)
	edit := out[1]
	require.Len(t, edit.Fields, 1, "only the changed field is logged")
	assert.Equal(t, "phone", edit.Fields[0].Name)
	assert.Equal(t, "13900000000", edit.Fields[0].Value)
	assert.True(t, edit.Fields[0].Prev.IsZero(), "the phone was never written before")
	assert.Equal(t, 1, edit.Fields[0].Stamp.Compare(created.Fields[0].Stamp))

	c.Phone = "13911111111"
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	out, err = r.Outbox(ctx, 100)
	require.NoError(t, err)
	assert.Equal(t, edit.Fields[0].Stamp, out[2].Fields[0].Prev, "each write carries the stamp it replaced")
}

func TestOutboxAcknowledge(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, nil)
	for i := range 5 {
		c := testkit.Cadre(i, "sy")
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	out, err := r.Outbox(ctx, 2)
	require.NoError(t, err)
	require.Len(t, out, 2)
	require.NoError(t, r.Acknowledge(ctx, out[1].Seq))
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.NoError(t, r.Acknowledge(ctx, out[0].Seq))
	n, err = r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "an older acknowledgement never moves the position back")
}

func TestAppliedChangesAreNotEchoed(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)
	got, err := d.b.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	n, err := d.b.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "what an office pulled is not in its outbox")
	n, err = d.a.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)
}

func TestDifferentFieldsBothWin(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)

	ca, cb := c, c
	ca.Phone = "111"
	d.clk.Advance(time.Second)
	cb.Address = "新地址"
	_, err = d.a.PutCadre(ctx, &ca)
	require.NoError(t, err)
	_, err = d.b.PutCadre(ctx, &cb)
	require.NoError(t, err)
	d.sync(t, d.b, d.a, d.b)

	for _, r := range []*store.Replica{d.hub, d.a, d.b} {
		got, err := r.Cadre(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "111", got.Phone)
		assert.Equal(t, "新地址", got.Address)
		conflicts, err := r.Conflicts(ctx, syncsvc.ConflictFilter{})
		require.NoError(t, err)
		assert.Empty(t, conflicts)
	}
}

func TestConcurrentEditsMakeOneConflictEverywhere(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)

	ca, cb := c, c
	ca.Name = "甲写的"
	_, err = d.a.PutCadre(ctx, &ca)
	require.NoError(t, err)
	d.clk.Advance(time.Second)
	cb.Name = "乙写的"
	_, err = d.b.PutCadre(ctx, &cb)
	require.NoError(t, err)

	// b reaches the hub first; a's earlier write arrives late and loses.
	d.sync(t, d.b, d.a, d.b)
	for _, r := range []*store.Replica{d.hub, d.a, d.b} {
		got, err := r.Cadre(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "乙写的", got.Name, "the later stamp wins everywhere")
		conflicts, err := r.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
		require.NoError(t, err)
		require.Len(t, conflicts, 1)
		k := conflicts[0]
		assert.Equal(t, "name", k.Field)
		assert.Equal(t, c.ID, k.RecordID)
		assert.Equal(t, "sy", k.Scope)
		assert.Equal(t, "乙写的", k.Current.Value)
		assert.Equal(t, "甲写的", k.Other.Value)
	}

	// Resolved in office a, keeping a's value: a new write and the
	// resolution, both synced.
	conflicts, err := d.a.Conflicts(ctx, syncsvc.ConflictFilter{})
	require.NoError(t, err)
	require.NoError(t, d.a.ResolveConflict(ctx, conflicts[0].ID, syncsvc.KeepOther, nil))
	assert.ErrorIs(t, d.a.ResolveConflict(ctx, conflicts[0].ID, syncsvc.KeepOther, nil), syncsvc.ErrConflictResolved)
	d.sync(t, d.a, d.b)
	for _, r := range []*store.Replica{d.hub, d.a, d.b} {
		got, err := r.Cadre(ctx, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "甲写的", got.Name)
		open, err := r.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
		require.NoError(t, err)
		assert.Empty(t, open)
		all, err := r.Conflicts(ctx, syncsvc.ConflictFilter{Table: store.CadresTable, RecordID: c.ID})
		require.NoError(t, err)
		require.Len(t, all, 1)
		assert.True(t, all[0].Resolved)
		assert.Equal(t, "other", all[0].Resolution)
	}
}

func TestLateSequentialWriteIsNoConflict(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)

	// b edits and syncs; a pulls it, edits the same field a week later
	// offline, and syncs only then: each write saw the one before.
	cb := c
	cb.Name = "乙改"
	_, err = d.b.PutCadre(ctx, &cb)
	require.NoError(t, err)
	d.sync(t, d.b, d.a)
	d.clk.Advance(7 * 24 * time.Hour)
	ca, err := d.a.Cadre(ctx, c.ID)
	require.NoError(t, err)
	ca.Name = "甲再改"
	_, err = d.a.PutCadre(ctx, &ca)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)

	conflicts, err := d.hub.Conflicts(ctx, syncsvc.ConflictFilter{})
	require.NoError(t, err)
	assert.Empty(t, conflicts)
	got, err := d.b.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "甲再改", got.Name)
}

func TestApplyIsOrderIndependentAndIdempotent(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	offices := []*store.Replica{openReplica(t, syncsvc.RoleOffice, clk.Now), openReplica(t, syncsvc.RoleOffice, clk.Now)}
	var all []syncsvc.Change
	for i, o := range offices {
		for n := range 4 {
			c := testkit.Cadre(n, "sy")
			c.ID = idFor(n)
			c.Phone = string(rune('1' + i))
			_, err := o.PutCadre(ctx, &c)
			require.NoError(t, err)
			c.Name = c.Name + string(rune('A'+i))
			_, err = o.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		out, err := o.Outbox(ctx, 100)
		require.NoError(t, err)
		all = append(all, out...)
	}
	var want []syncsvc.Change
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 6 {
		r := openReplica(t, syncsvc.RoleOffice, clk.Now)
		batch := append([]syncsvc.Change(nil), all...)
		rng.Shuffle(len(batch), func(i, j int) { batch[i], batch[j] = batch[j], batch[i] })
		batch = append(batch, batch[:len(batch)/2]...) // and some twice
		for _, ch := range batch {
			ch.Seq = 0
			_, err := r.Apply(ctx, []syncsvc.Change{ch}, syncsvc.ApplyOptions{})
			require.NoError(t, err)
		}
		got := dump(t, r, "sy")
		if trial == 0 {
			want = got
			continue
		}
		assert.Equal(t, want, got, "trial %d", trial)
	}
	require.Len(t, want, 4)
}

func idFor(n int) [16]byte {
	var id [16]byte
	id[6], id[8], id[15] = 0x70, 0x80, byte(n+1)
	return id
}

func TestPushIsIdempotentAndStopsAtGaps(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	for i := range 4 {
		c := testkit.Cadre(i, "sy")
		_, err := d.a.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	out, err := d.a.Outbox(ctx, 100)
	require.NoError(t, err)
	src := syncsvc.ApplyOptions{Source: "push/" + d.a.Node().String(), Contiguous: true}

	res, err := d.hub.Apply(ctx, out[2:], src)
	require.NoError(t, err)
	assert.True(t, res.Gap, "a batch that skips ahead is not applied")
	assert.Zero(t, res.Applied)
	assert.Zero(t, res.Position)

	res, err = d.hub.Apply(ctx, out[:3], src)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Applied)
	assert.Equal(t, out[2].Seq, res.Position)
	before, err := d.hub.LastSeq(ctx)
	require.NoError(t, err)

	res, err = d.hub.Apply(ctx, out, src) // overlaps the batch before
	require.NoError(t, err)
	assert.Equal(t, 1, res.Applied)
	assert.Equal(t, 3, res.Skipped)
	res, err = d.hub.Apply(ctx, out, src) // the same batch again
	require.NoError(t, err)
	assert.Zero(t, res.Applied)
	after, err := d.hub.LastSeq(ctx)
	require.NoError(t, err)
	assert.Equal(t, before+1, after, "a repeated push logs nothing at the hub")
}

func TestRefusedChangesDoNotBlockTheRest(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	for i, community := range []string{"sy", "gsq", "sy"} {
		c := testkit.Cadre(i, community)
		_, err := d.a.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	out, err := d.a.Outbox(ctx, 100)
	require.NoError(t, err)
	errScope := errors.New("outside the office's scopes")
	res, err := d.hub.Apply(ctx, out, syncsvc.ApplyOptions{
		Source: "push/a", Contiguous: true,
		Authorize: func(ch syncsvc.Change, current string, exists bool) error {
			if ch.Scope != "sy" || (exists && current != "sy") {
				return errScope
			}
			return nil
		},
	})
	require.NoError(t, err)
	assert.Equal(t, 2, res.Applied)
	require.Len(t, res.Refused, 1)
	assert.ErrorIs(t, res.Refused[0].Err, errScope)
	assert.Equal(t, out[1].ID, res.Refused[0].Change.ID)
	assert.Equal(t, out[2].Seq, res.Position, "a refused change is done with, not retried forever")
}

func TestSkewedStampsAreRefused(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	ahead := testkit.NewClock(clk.Now().Add(time.Hour))
	office := openReplica(t, syncsvc.RoleOffice, ahead.Now)
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	c := testkit.Cadre(1, "sy")
	_, err := office.PutCadre(ctx, &c)
	require.NoError(t, err)
	out, err := office.Outbox(ctx, 10)
	require.NoError(t, err)
	res, err := hub.Apply(ctx, out, syncsvc.ApplyOptions{MaxAhead: 10 * time.Minute})
	require.NoError(t, err)
	require.Len(t, res.Refused, 1)
	assert.ErrorIs(t, res.Refused[0].Err, syncsvc.ErrClockSkew)
	res, err = hub.Apply(ctx, out, syncsvc.ApplyOptions{MaxAhead: 2 * time.Hour})
	require.NoError(t, err)
	assert.Equal(t, 1, res.Applied)
}

func TestVoidWinsOverAConcurrentEdit(t *testing.T) {
	t.Parallel()
	d := newDistrict(t)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	d.sync(t, d.a, d.b)

	require.NoError(t, d.a.VoidCadre(ctx, c.ID, "重复录入"))
	d.clk.Advance(time.Second)
	cb := c
	cb.Phone = "222"
	_, err = d.b.PutCadre(ctx, &cb) // b has not seen the void and edits later
	require.NoError(t, err)
	d.sync(t, d.b, d.a, d.b)

	for _, r := range []*store.Replica{d.hub, d.a, d.b} {
		_, err := r.Cadre(ctx, c.ID)
		assert.ErrorIs(t, err, syncsvc.ErrVoided, "the record stays voided")
		rec, err := r.Get(ctx, store.CadresTable, c.ID)
		require.NoError(t, err)
		assert.Equal(t, "222", rec.Values["phone"], "the edit is kept underneath")
	}
	assert.Equal(t, dump(t, d.hub, "sy"), dump(t, d.a, "sy"))
}

// visits is a record type declared by a test, as later record types are.
var visitsType = syncsvc.RecordType{
	Name: "test_visits",
	Fields: []syncsvc.Field{
		syncsvc.Col("cadre_id", syncsvc.Text),
		syncsvc.Col("visited_on", syncsvc.Text),
		syncsvc.Col("notes", syncsvc.Text),
	},
	Scope: syncsvc.ScopeByParent(store.CadresTable, "cadre_id"),
}

func TestRecordsAboutACadreMoveWithIt(t *testing.T) {
	t.Parallel()
	d := newDistrict(t, visitsType)
	c := testkit.Cadre(1, "sy")
	_, err := d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	visit := newID()
	_, err = d.a.Put(ctx, "test_visits", visit, map[string]any{"cadre_id": c.ID.String(), "visited_on": "2026-11-20", "notes": "身体尚好"})
	require.NoError(t, err)
	rec, err := d.a.Get(ctx, "test_visits", visit)
	require.NoError(t, err)
	assert.Equal(t, "sy", rec.Scope, "a visit has its cadre's scope")
	push(t, d.a, d.hub)
	hubSeq, err := d.hub.LastSeq(ctx)
	require.NoError(t, err)

	c.Community = "gsq"
	_, err = d.a.PutCadre(ctx, &c)
	require.NoError(t, err)
	rec, err = d.a.Get(ctx, "test_visits", visit)
	require.NoError(t, err)
	assert.Equal(t, "gsq", rec.Scope, "the visit moved with its cadre")
	push(t, d.a, d.hub)

	// What the hub logged for gsq since then holds both records whole.
	page, err := d.hub.ChangesSince(ctx, hubSeq, []string{"gsq"}, 100)
	require.NoError(t, err)
	gsq := openReplica(t, syncsvc.RoleOffice, d.clk.Now, visitsType)
	_, err = gsq.Apply(ctx, page.Changes, syncsvc.ApplyOptions{})
	require.NoError(t, err)
	got, err := gsq.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	rec, err = gsq.Get(ctx, "test_visits", visit)
	require.NoError(t, err)
	assert.Equal(t, "身体尚好", rec.Values["notes"])
	assert.Equal(t, "gsq", rec.Scope)
}

func TestChangesSincePagesByScope(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil)
	for i := range 30 {
		community := []string{"sy", "gsq", "dm"}[i%3]
		c := testkit.Cadre(i, community)
		_, err := hub.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	var seen []string
	var pos int64
	for pages := 0; ; pages++ {
		require.Less(t, pages, 10)
		page, err := hub.ChangesSince(ctx, pos, []string{"sy", "dm"}, 4)
		require.NoError(t, err)
		for _, ch := range page.Changes {
			assert.Greater(t, ch.Seq, pos)
			seen = append(seen, ch.Scope)
		}
		pos = page.Next
		if !page.More {
			break
		}
	}
	assert.Len(t, seen, 20)
	assert.NotContains(t, seen, "gsq")
	last, err := hub.LastSeq(ctx)
	require.NoError(t, err)
	assert.Equal(t, last, pos, "the cursor ends at the end of the log")
}

func TestSnapshotPagesCoverEachRecordOnce(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil, visitsType)
	want := map[string]bool{}
	for i := range 12 {
		community := []string{"sy", "gsq"}[i%2]
		c := testkit.Cadre(i, community)
		_, err := hub.PutCadre(ctx, &c)
		require.NoError(t, err)
		v := newID()
		_, err = hub.Put(ctx, "test_visits", v, map[string]any{"cadre_id": c.ID.String(), "visited_on": "2026-11-01"})
		require.NoError(t, err)
		if community == "sy" {
			want[c.ID.String()], want[v.String()] = true, true
		}
	}
	got := map[string]bool{}
	cursor := syncsvc.SnapshotCursor{}
	for pages := 0; ; pages++ {
		require.Less(t, pages, 20)
		page, err := hub.Snapshot(ctx, []string{"sy"}, cursor, 5)
		require.NoError(t, err)
		for _, rec := range page.Records {
			assert.False(t, got[rec.ID.String()], "record %s twice", rec.ID)
			got[rec.ID.String()] = true
			assert.Equal(t, "sy", rec.Scope)
		}
		if page.Done {
			break
		}
		cursor = page.Next
	}
	assert.Equal(t, want, got)

	// A replica built from the snapshot equals the hub in that scope.
	office := openReplica(t, syncsvc.RoleOffice, nil, visitsType)
	page, err := hub.Snapshot(ctx, []string{"sy"}, syncsvc.SnapshotCursor{}, 1000)
	require.NoError(t, err)
	_, err = office.Apply(ctx, page.Records, syncsvc.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, dump(t, hub, "sy"), dump(t, office, "sy"))
	cs, err := office.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, cs, 6)
	for _, c := range cs {
		assert.NoError(t, c.Validate(testkit.FixedNow()))
		assert.Equal(t, cadre.StatusActive, c.Status)
	}
}

func TestFieldsOnlyANewerProgramKnowsAreKept(t *testing.T) {
	t.Parallel()
	v1 := syncsvc.RecordType{Name: "test_venues", Scope: syncsvc.ScopeDistrict(), Fields: []syncsvc.Field{syncsvc.Col("name", syncsvc.Text)}}
	v2 := syncsvc.RecordType{Name: "test_venues", Scope: syncsvc.ScopeDistrict(), Fields: []syncsvc.Field{syncsvc.Col("name", syncsvc.Text), syncsvc.Col("capacity", syncsvc.Integer)}}
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now, v2)
	old := openReplica(t, syncsvc.RoleOffice, clk.Now, v1)
	other := openReplica(t, syncsvc.RoleOffice, clk.Now, v2)

	id := newID()
	_, err := hub.Put(ctx, "test_venues", id, map[string]any{"name": "老年大学", "capacity": 120})
	require.NoError(t, err)
	pull(t, hub, old, "district")
	rec, err := old.Get(ctx, "test_venues", id)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"name": "老年大学"}, rec.Values)

	clk.Advance(time.Second)
	_, err = old.Put(ctx, "test_venues", id, map[string]any{"name": "区老年大学"})
	require.NoError(t, err)
	push(t, old, hub)
	pull(t, hub, other, "district")
	for _, r := range []*store.Replica{hub, other} {
		rec, err := r.Get(ctx, "test_venues", id)
		require.NoError(t, err)
		assert.Equal(t, map[string]any{"name": "区老年大学", "capacity": int64(120)}, rec.Values, "the older office's write did not erase the capacity")
	}

	// The older office passes the unknown field on whole, with its stamp.
	fresh := openReplica(t, syncsvc.RoleOffice, clk.Now, v2)
	page, err := old.Snapshot(ctx, []string{"district"}, syncsvc.SnapshotCursor{}, 100)
	require.NoError(t, err)
	_, err = fresh.Apply(ctx, page.Records, syncsvc.ApplyOptions{})
	require.NoError(t, err)
	assert.Equal(t, dump(t, hub, "district"), dump(t, fresh, "district"))
}

func TestAMovedCadreLeavesOneOfficeAndReachesTheOtherWhole(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now, visitsType)
	sy := openReplica(t, syncsvc.RoleOffice, clk.Now, visitsType)
	gsq := openReplica(t, syncsvc.RoleOffice, clk.Now, visitsType)
	syncOffice := func(o *store.Replica, community string) {
		push(t, o, hub)
		pull(t, hub, o, community, "district")
	}

	c := testkit.Cadre(1, "sy")
	_, err := sy.PutCadre(ctx, &c)
	require.NoError(t, err)
	visit := newID()
	_, err = sy.Put(ctx, "test_visits", visit, map[string]any{"cadre_id": c.ID.String(), "visited_on": "2026-11-20", "notes": "送学上门"})
	require.NoError(t, err)
	syncOffice(sy, "sy")
	syncOffice(gsq, "gsq")
	_, err = gsq.Cadre(ctx, c.ID)
	require.ErrorIs(t, err, syncsvc.ErrNotFound, "gsq does not see sy's cadres")

	c.Community = "gsq" // 组织关系随人走
	_, err = sy.PutCadre(ctx, &c)
	require.NoError(t, err)
	syncOffice(sy, "sy")
	syncOffice(gsq, "gsq")

	_, err = sy.Cadre(ctx, c.ID)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "the office that moved the cadre dropped its copy")
	_, err = sy.Get(ctx, "test_visits", visit)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "and the records about the cadre")
	got, err := gsq.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
	rec, err := gsq.Get(ctx, "test_visits", visit)
	require.NoError(t, err)
	assert.Equal(t, "送学上门", rec.Values["notes"])
	assert.Equal(t, dump(t, hub, "gsq"), dump(t, gsq, "gsq"))
	n, err := sy.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "dropping logs nothing")
}

func TestCompactedDeparturesAskForASnapshot(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	for i := range 3 {
		c := testkit.Cadre(i, "sy")
		_, err := hub.PutCadre(ctx, &c)
		require.NoError(t, err)
		c.Community = "gsq" // a departure from sy
		_, err = hub.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	old, err := hub.LastSeq(ctx)
	require.NoError(t, err)
	clk.Advance(200 * 24 * time.Hour)
	for i := 3; i < 5; i++ {
		c := testkit.Cadre(i, "sy")
		_, err := hub.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	removed, err := hub.CompactLog(ctx, clk.Now().Add(-180*24*time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 3, removed, "the three departures older than the retention")

	_, err = hub.ChangesSince(ctx, 1, []string{"sy"}, 100)
	assert.ErrorIs(t, err, syncsvc.ErrSnapshotRequired, "a cursor that may miss a departure is never given a gap")
	page, err := hub.ChangesSince(ctx, old, []string{"sy"}, 100)
	require.NoError(t, err)
	assert.Len(t, page.Changes, 2)
	last, err := hub.LastSeq(ctx)
	require.NoError(t, err)
	assert.EqualValues(t, old+2, last)

	// A new replica starts from a snapshot and catches up from its Seq.
	snap, err := hub.Snapshot(ctx, []string{"sy"}, syncsvc.SnapshotCursor{}, 100)
	require.NoError(t, err)
	assert.Len(t, snap.Records, 2)
	_, err = hub.ChangesSince(ctx, snap.Seq, []string{"sy"}, 100)
	require.NoError(t, err)
}

func TestHubFeedSendsARecordOnceWhole(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil)
	c := testkit.Cadre(1, "sy")
	_, err := hub.PutCadre(ctx, &c)
	require.NoError(t, err)
	for _, phone := range []string{"1", "2", "3"} {
		c.Phone = phone
		_, err = hub.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	page, err := hub.ChangesSince(ctx, 0, []string{"sy"}, 100)
	require.NoError(t, err)
	require.Len(t, page.Changes, 1, "four writes to one record since the cursor: the record once")
	last, err := hub.LastSeq(ctx)
	require.NoError(t, err)
	assert.Equal(t, last, page.Changes[0].Seq)
	office := openReplica(t, syncsvc.RoleOffice, nil)
	_, err = office.Apply(ctx, page.Changes, syncsvc.ApplyOptions{})
	require.NoError(t, err)
	got, err := office.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, c, got)
}

func TestAMoveMadeBeforeTheFirstSyncArrives(t *testing.T) {
	t.Parallel()
	hub := openReplica(t, syncsvc.RoleHub, nil)
	require.NoError(t, hub.SetCommunity(ctx, store.Community{Code: "gsq"})) // the district registered where the cadre goes
	office := openReplica(t, syncsvc.RoleOffice, nil)
	c := testkit.Cadre(1, "sy")
	_, err := office.PutCadre(ctx, &c)
	require.NoError(t, err)
	c.Community = "gsq"
	_, err = office.PutCadre(ctx, &c)
	require.NoError(t, err)
	out, err := office.Outbox(ctx, 10)
	require.NoError(t, err)
	sy := syncsvc.Office{ID: "sy", Communities: []string{"sy"}}
	res, err := hub.Apply(ctx, out, syncsvc.ApplyOptions{Authorize: func(ch syncsvc.Change, current string, exists bool) error {
		scope := ch.Scope
		if exists {
			scope = current
		}
		if scope != sy.Communities[0] {
			return errors.New("outside")
		}
		return nil
	}})
	require.NoError(t, err)
	assert.Empty(t, res.Refused, "the move is checked against where the cadre was, even within one batch")
	got, err := hub.Cadre(ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, "gsq", got.Community)
	page, err := hub.ChangesSince(ctx, 0, []string{"sy"}, 100)
	require.NoError(t, err)
	require.NotEmpty(t, page.Changes)
	assert.Equal(t, "gsq", page.Changes[len(page.Changes)-1].MovedTo, "office sy is told the cadre left")
}
