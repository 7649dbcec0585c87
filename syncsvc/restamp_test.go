package syncsvc_test

import (
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// skewedClock reads a test clock off by a duration the test sets: a
// computer whose clock runs ahead, then is put right.
type skewedClock struct {
	base *testkit.Clock
	off  atomic.Int64
}

func (c *skewedClock) Now() time.Time { return c.base.Now().Add(time.Duration(c.off.Load())) }

func (c *skewedClock) set(d time.Duration) { c.off.Store(int64(d)) }

// stampsOf returns every stamp and prev stamp in the changes, by field.
func stampsOf(chs []syncsvc.Change) []syncsvc.Stamp {
	var out []syncsvc.Stamp
	for _, ch := range chs {
		for _, f := range ch.Fields {
			out = append(out, f.Stamp, f.Prev)
		}
	}
	return out
}

func TestRestampGivesUnsentChangesHonestStampsInOrder(t *testing.T) {
	base := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	clk := &skewedClock{base: base}
	path := filepath.Join(t.TempDir(), "sy.db")
	r, err := store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	defer func() { r.Close() }()

	// One change sent and acknowledged while the clock was right.
	x := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &x)
	require.NoError(t, err)
	acked, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.NoError(t, r.Acknowledge(ctx, acked[0].Seq))
	base.Advance(time.Minute)

	// Then the clock runs an hour ahead: three edits of one record.
	clk.set(time.Hour)
	for _, phone := range []string{"111", "222", "333"} {
		x.Phone = phone
		_, err = r.PutCadre(ctx, &x)
		require.NoError(t, err)
		base.Advance(time.Second)
	}
	before, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, before, 3)

	// Put right, ten minutes of skew allowed.
	clk.set(0)
	base.Advance(time.Minute)
	now := base.Now()
	limit := now.Add(10 * time.Minute)
	res, err := r.Restamp(ctx, limit)
	require.NoError(t, err)
	assert.Equal(t, 3, res.Changes)
	assert.WithinDuration(t, now.Add(time.Hour-time.Minute), res.ClockBefore, 5*time.Second, "the clock ran an hour ahead")
	assert.WithinDuration(t, now, res.ClockAfter, time.Second)

	after, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, after, 3)
	var last syncsvc.Stamp
	for i, ch := range after {
		assert.Equal(t, before[i].Seq, ch.Seq, "the log keeps its order")
		require.Len(t, ch.Fields, 1)
		f := ch.Fields[0]
		assert.Equal(t, "phone", f.Name)
		assert.Equal(t, before[i].Fields[0].Value, f.Value, "values unchanged")
		assert.Equal(t, r.Node(), f.Stamp.Node)
		assert.WithinDuration(t, now, f.Stamp.Time(), time.Second, "stamped near the real time")
		assert.Positive(t, f.Stamp.Compare(last), "stamps stay in order")
		if i == 0 {
			assert.Equal(t, before[0].Fields[0].Prev, f.Prev, "the first edit still replaced what was acknowledged")
		} else {
			assert.Equal(t, after[i-1].Fields[0].Stamp, f.Prev, "a later edit replaced the earlier one's new stamp")
		}
		last = f.Stamp
	}
	records := dump(t, r, "sy")
	require.Len(t, records, 1)
	for _, f := range records[0].Fields {
		assert.False(t, f.Stamp.Time().After(limit), "field %s keeps no stamp from the future: %s", f.Name, f.Stamp)
		assert.False(t, f.Prev.Time().After(limit), "field %s keeps no prev stamp from the future: %s", f.Name, f.Prev)
		if f.Name == "phone" {
			assert.Equal(t, last, f.Stamp, "the record holds its last edit's new stamp")
			assert.Equal(t, after[1].Fields[0].Stamp, f.Prev)
		}
	}
	for _, s := range stampsOf(before) {
		for _, n := range stampsOf(after) {
			if s.Time().After(limit) {
				assert.NotEqual(t, s, n, "no old future stamp is left in the outbox")
			}
		}
	}

	// The clock stays set back, across a restart too: the next edit is
	// stamped now, after the restamped ones.
	require.NoError(t, r.Close())
	r, err = store.Open(ctx, path, syncsvc.Options{Now: clk.Now})
	require.NoError(t, err)
	x.Phone = "444"
	_, err = r.PutCadre(ctx, &x)
	require.NoError(t, err)
	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, out, 4)
	assert.Positive(t, out[3].Fields[0].Stamp.Compare(last))
	assert.WithinDuration(t, now, out[3].Fields[0].Stamp.Time(), time.Second)

	// Nothing ahead: nothing to do.
	res, err = r.Restamp(ctx, limit)
	require.NoError(t, err)
	assert.Zero(t, res.Changes)
}

func TestRestampNeverGoesBelowAStampItKeeps(t *testing.T) {
	base := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	clk := &skewedClock{base: base}
	hub := openReplica(t, syncsvc.RoleHub, base.Now)
	other := openReplica(t, syncsvc.RoleOffice, func() time.Time { return base.Now().Add(30 * time.Minute) })
	r := openReplica(t, syncsvc.RoleOffice, clk.Now)

	// Another office, itself 30 minutes ahead, wrote a record this one pulled.
	y := testkit.Cadre(2, "sy")
	_, err := other.PutCadre(ctx, &y)
	require.NoError(t, err)
	push(t, other, hub)
	pull(t, hub, r, "sy")

	clk.set(time.Hour)
	x := testkit.Cadre(1, "sy")
	_, err = r.PutCadre(ctx, &x)
	require.NoError(t, err)
	clk.set(0)
	res, err := r.Restamp(ctx, base.Now().Add(10*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, 1, res.Changes)
	assert.WithinDuration(t, base.Now().Add(30*time.Minute), res.ClockAfter, time.Second,
		"the clock stays after the largest stamp it holds from another node")
	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	otherStamp := dump(t, r, "sy")
	var theirs syncsvc.Stamp
	for _, rec := range otherStamp {
		if rec.ID == y.ID {
			theirs = rec.Fields[0].Stamp
		}
	}
	require.False(t, theirs.IsZero())
	for _, f := range out[0].Fields {
		assert.Positive(t, f.Stamp.Compare(theirs), "a write after one it saw is ordered after it")
	}
}

func TestAClockPutRightSyncsAgainAndItsEditsDoNotWinSilently(t *testing.T) {
	h := startHub(t, nil, syncsvc.HubOptions{}) // ten minutes of skew allowed
	_, tokenA, err := h.r.AddOffice(ctx, "sy-a", "舜园甲", []string{"sy"})
	require.NoError(t, err)
	clkA := &skewedClock{base: h.clk}
	a, err := store.Open(ctx, filepath.Join(t.TempDir(), "a.db"), syncsvc.Options{Now: clkA.Now})
	require.NoError(t, err)
	defer a.Close()
	agentA, err := transport.NewAgent(a.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: tokenA, HTTPClient: h.srv.Client()}, syncsvc.AgentOptions{RetryDelay: 10 * time.Millisecond})
	require.NoError(t, err)
	b, agentB := h.office(t, "sy-b", "sy")

	x := testkit.Cadre(1, "sy")
	_, err = b.PutCadre(ctx, &x)
	require.NoError(t, err)
	syncOK(t, agentB)
	syncOK(t, agentA)

	// A's computer clock jumps an hour ahead; A edits x's phone and adds y.
	clkA.set(time.Hour)
	h.clk.Advance(time.Minute)
	xa := x
	xa.Phone = "13900000001"
	_, err = a.PutCadre(ctx, &xa)
	require.NoError(t, err)
	y := testkit.Cadre(2, "sy")
	_, err = a.PutCadre(ctx, &y)
	require.NoError(t, err)

	// B, never seeing A's edit, edits the same phone and adds z.
	h.clk.Advance(time.Minute)
	xb := x
	xb.Phone = "13900000002"
	_, err = b.PutCadre(ctx, &xb)
	require.NoError(t, err)
	z := testkit.Cadre(3, "sy")
	_, err = b.PutCadre(ctx, &z)
	require.NoError(t, err)
	syncOK(t, agentB)

	// A syncs with its clock still wrong: refused, nothing lost, and it
	// still sees B's work.
	h.clk.Advance(time.Minute)
	rep, err := agentA.Sync(ctx)
	require.Error(t, err)
	var ahead *syncsvc.ClockAheadError
	require.ErrorAs(t, err, &ahead)
	assert.ErrorIs(t, err, syncsvc.ErrClockSkew)
	assert.True(t, ahead.ClockWrong())
	assert.Equal(t, 60, ahead.Minutes())
	assert.NoError(t, ahead.PullErr)
	assert.Positive(t, rep.Pulled)
	_, err = a.Cadre(ctx, z.ID)
	assert.NoError(t, err, "the office sees the others' work while refused")
	n, err := a.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	// The clock is put right: the next sync goes through at once, not in
	// fifty minutes.
	clkA.set(0)
	h.clk.Advance(2 * time.Minute)
	rep = syncOK(t, agentA)
	assert.Equal(t, 2, rep.Pushed)
	n, err = a.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n)

	now := h.clk.Now()
	for _, rec := range dump(t, h.r, "sy") {
		for _, f := range rec.Fields {
			if f.Stamp.Node == a.Node() {
				assert.WithinDuration(t, now, f.Stamp.Time(), time.Second, "A's edits arrive stamped near the real time")
			}
			assert.False(t, f.Stamp.Time().After(now.Add(time.Second)), "nothing at the hub is stamped in the future")
		}
	}
	_, err = h.r.Cadre(ctx, y.ID)
	assert.NoError(t, err)

	// A's edit and B's were concurrent: the hub records a conflict, so
	// B's phone is not lost silently whichever stamp won.
	conflicts, err := h.r.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
	require.NoError(t, err)
	require.Len(t, conflicts, 1)
	c := conflicts[0]
	assert.Equal(t, x.ID, c.RecordID)
	assert.Equal(t, "phone", c.Field)
	assert.ElementsMatch(t, []any{"13900000001", "13900000002"}, []any{c.Current.Value, c.Other.Value})

	// A's clock no longer runs ahead: its next edit is stamped now.
	xa.Address = "舜华路1号"
	_, err = a.PutCadre(ctx, &xa)
	require.NoError(t, err)
	out, err := a.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, out, 1)
	assert.WithinDuration(t, now, out[0].Fields[0].Stamp.Time(), time.Second)
	syncOK(t, agentA)
	syncOK(t, agentB)
	got, err := b.Cadre(ctx, x.ID)
	require.NoError(t, err)
	assert.Equal(t, "舜华路1号", got.Address)
	assert.False(t, errors.Is(err, syncsvc.ErrClockSkew))
}
