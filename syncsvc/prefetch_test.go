package syncsvc_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// Writes to the records a transaction prefetched are the writes it makes
// without: an edit logs only the field it changes, with the stamp it
// replaced; a new record logs every field; a voided record stays voided;
// and what Prefetch says is stored is what the transaction holds.
func TestPrefetchedRecordsWriteAsTheyWouldUnread(t *testing.T) {
	clock := testkit.NewClock(testkit.At("2026-11-28 10:00"))
	r := openReplica(t, syncsvc.RoleOffice, clock.Now, itemsType)
	kept, voided, fresh := newID(), newID(), newID()
	_, err := r.Put(ctx, "items", kept, map[string]any{"community": "sy", "a": "x", "b": int64(1), "place": []any{"p", 1.5}})
	require.NoError(t, err)
	_, err = r.Put(ctx, "items", voided, map[string]any{"community": "sy", "a": "v"})
	require.NoError(t, err)
	require.NoError(t, r.Void(ctx, "items", voided, "entered twice"))
	first, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, first, 3)
	clock.Advance(time.Minute)

	err = r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		stored, err := tx.Prefetch("items", []uuid.UUID{kept, voided, fresh, kept})
		require.NoError(t, err)
		assert.Equal(t, map[uuid.UUID]bool{kept: true, voided: true}, stored, "stored, voided or not; the new id not")
		stamps, err := tx.Stamps("items", kept)
		require.NoError(t, err)
		assert.Equal(t, first[0].Fields[1].Stamp, stamps["a"], "the stamps as stored")
		_, err = tx.Stamps("items", fresh)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound)

		changed, err := tx.Put("items", kept, map[string]any{"community": "sy", "a": "y", "b": int64(1), "place": []any{"p", 1.5}})
		require.NoError(t, err)
		assert.True(t, changed)
		changed, err = tx.Put("items", fresh, map[string]any{"community": "sy", "a": "n", "place": []any{"q", 2.5}})
		require.NoError(t, err)
		assert.True(t, changed)
		rec, err := tx.Get("items", voided)
		require.NoError(t, err)
		assert.Equal(t, "entered twice", rec.VoidReason)

		stored, err = tx.Prefetch("items", []uuid.UUID{fresh})
		require.NoError(t, err)
		assert.True(t, stored[fresh], "written in this transaction")
		return nil
	})
	require.NoError(t, err)

	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, out, 5)
	edit, added := out[3], out[4]
	require.Equal(t, kept, edit.ID)
	require.Len(t, edit.Fields, 1, "only the field that changed")
	assert.Equal(t, "a", edit.Fields[0].Name)
	assert.Equal(t, "y", edit.Fields[0].Value)
	assert.Equal(t, first[0].Fields[1].Stamp, edit.Fields[0].Prev, "the stamp of the value it replaced")
	require.Equal(t, fresh, added.ID)
	var names []string
	for _, f := range added.Fields {
		names = append(names, f.Name)
		assert.True(t, f.Prev.IsZero())
	}
	assert.Equal(t, []string{"community", "a", "place"}, names, "a new record logs its fields in their order")

	got, err := r.Get(ctx, "items", kept)
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"community": "sy", "a": "y", "b": int64(1), "place": []any{"p", 1.5}}, got.Values)
}

// A transaction that releases what it wrote reads it back from the
// database and goes on as if it had kept it: a later edit of a released
// record logs the stamp it replaced; and a release commits nothing, so
// that a transaction that fails after one leaves no trace.
func TestReleasedWritesStayInTheTransaction(t *testing.T) {
	clock := testkit.NewClock(testkit.At("2026-11-28 10:00"))
	r := openReplica(t, syncsvc.RoleOffice, clock.Now, itemsType)
	a, b := newID(), newID()
	err := r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		_, err := tx.Put("items", a, map[string]any{"community": "sy", "a": "x"})
		require.NoError(t, err)
		require.NoError(t, tx.Release())
		rec, err := tx.Get("items", a)
		require.NoError(t, err)
		assert.Equal(t, "x", rec.Values["a"], "read back from the database")
		changed, err := tx.Put("items", a, map[string]any{"a": "y"})
		require.NoError(t, err)
		assert.True(t, changed)
		return nil
	})
	require.NoError(t, err)
	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	require.Len(t, out, 2)
	require.Len(t, out[1].Fields, 1)
	assert.Equal(t, out[0].Fields[1].Stamp, out[1].Fields[0].Prev, "the released record's stamps were kept")
	assert.Less(t, out[0].Seq, out[1].Seq)

	failed := errors.New("stop")
	err = r.Replica.Update(ctx, func(tx *syncsvc.Tx) error {
		_, err := tx.Put("items", b, map[string]any{"community": "sy", "a": "z"})
		require.NoError(t, err)
		require.NoError(t, tx.Release())
		return failed
	})
	require.ErrorIs(t, err, failed)
	_, err = r.Get(ctx, "items", b)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "undone with the transaction")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n)
}

// A write whose context ends part way fails with the context's error, not
// only with what the next statement said of its closed transaction.
func TestWriteEndedByItsContextSaysWhy(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice, nil, itemsType)
	c, cancel := context.WithCancel(ctx)
	err := r.Replica.Update(c, func(tx *syncsvc.Tx) error {
		_, err := tx.Put("items", newID(), map[string]any{"community": "sy", "a": "x"})
		require.NoError(t, err)
		require.NoError(t, tx.Release())
		cancel()
		// database/sql rolls the transaction back once it sees the end of
		// its context; a statement after that finds it closed, and says
		// only that.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
			_, err = tx.Get("items", newID())
			if err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, syncsvc.ErrNotFound) {
				break
			}
		}
		return err
	})
	assert.ErrorIs(t, err, context.Canceled)
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Zero(t, n, "nothing of it committed")
}
