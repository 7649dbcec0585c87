package syncsvc_test

import (
	"bytes"
	"database/sql"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// lockedBuffer is a log sink safe for the hub's goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// pageWireBytes is the size of a page of changes on the wire.
func pageWireBytes(chs []syncsvc.Change) int {
	msg := &syncv1.PullResponse{Next: 1 << 40, More: true}
	for _, ch := range chs {
		msg.Changes = append(msg.Changes, protoChange(ch))
	}
	return proto.Size(msg)
}

// TestOversizedStoredRecordsDoNotStopTheFeed: records stored before the
// size limits (written here straight into the hub's file) never stop a
// community's sync. A record too large for any answer is left out of the
// feed and of snapshots, with a warning naming its table and id only; a
// large one that fits goes in a page of its own; no page is larger than
// the hub's send limit.
func TestOversizedStoredRecordsDoNotStopTheFeed(t *testing.T) {
	const limit = 1 << 20
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	var logs lockedBuffer
	path := t.TempDir() + "/hub.db"
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{MaxRequestBytes: limit})
	require.NoError(t, err)
	srv := httptest.NewUnstartedServer(transport.Handler(hub))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	h := &testHub{r: r, hub: hub, srv: srv, clk: clk}

	a, agentA := h.office(t, "sy-a", "sy")
	var ids []uuid.UUID
	for i := range 30 {
		c := testkit.Cadre(i, "sy")
		_, err := a.PutCadre(ctx, &c)
		require.NoError(t, err)
		ids = append(ids, c.ID)
	}
	syncOK(t, agentA)

	// Before the limits: one name larger than any answer, two that fit
	// one answer each but not together.
	db, err := sql.Open("sqlite3", path)
	require.NoError(t, err)
	defer db.Close()
	tooBig, big1, big2 := ids[3], ids[10], ids[20]
	for id, name := range map[uuid.UUID]string{tooBig: strings.Repeat("x", 2<<20), big1: strings.Repeat("y", 600<<10), big2: strings.Repeat("z", 600<<10)} {
		_, err := db.ExecContext(ctx, "UPDATE cadres SET name = ? WHERE id = ?", name, id.String())
		require.NoError(t, err)
	}

	// The feed, page by page, as the hub's Pull reads it.
	budget := limit - limit/16
	var after int64
	seen := map[uuid.UUID]int{}
	for page := 0; ; page++ {
		p, err := r.ChangesSinceWithin(ctx, after, []string{"sy"}, 5000, budget)
		require.NoError(t, err)
		assert.LessOrEqual(t, pageWireBytes(p.Changes), limit, "page %d fits the send limit", page)
		for _, ch := range p.Changes {
			seen[ch.ID] = page
		}
		after = p.Next
		if !p.More {
			break
		}
		require.Less(t, page, 10)
	}
	assert.NotContains(t, seen, tooBig, "the record too large to send is left out")
	require.Contains(t, seen, big1)
	require.Contains(t, seen, big2)
	assert.NotEqual(t, seen[big1], seen[big2], "two large records go in pages of their own")
	assert.Len(t, seen, 29, "every other record is in the feed")

	// A snapshot likewise.
	var cursor syncsvc.SnapshotCursor
	snapped := map[uuid.UUID]bool{}
	for page := 0; ; page++ {
		p, err := r.SnapshotWithin(ctx, []string{"sy", "district"}, cursor, 5000, budget)
		require.NoError(t, err)
		assert.LessOrEqual(t, pageWireBytes(p.Records), limit, "snapshot page %d fits the send limit", page)
		for _, ch := range p.Records {
			snapped[ch.ID] = true
		}
		if p.Done {
			break
		}
		cursor = p.Next
		require.Less(t, page, 10)
	}
	assert.False(t, snapped[tooBig])
	assert.True(t, snapped[big1] && snapped[big2])

	// A new computer of the community syncs through the real hub.
	b, agentB := h.office(t, "sy-b", "sy")
	syncOK(t, agentB)
	got, err := b.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, got, 29)
	_, err = b.Get(ctx, "cadres", tooBig)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)

	out := logs.String()
	assert.Contains(t, out, "left out of the feed")
	assert.Contains(t, out, "table=cadres")
	assert.Contains(t, out, tooBig.String())
	assert.NotContains(t, out, "xxxxxxxx", "the log never holds the value")
	c, err := r.Cadre(ctx, tooBig)
	require.NoError(t, err)
	assert.NotContains(t, out, c.IDNumber, "nor an ID number")
}
