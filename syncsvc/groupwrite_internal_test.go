package syncsvc

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// While writes come from many calls (the group before held more than
// one), a group waits for groupGather writes before it commits, and
// commits them together; a write that comes alone commits at once.
func TestAGroupWaitsForWritesWhileCallsCome(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r, err := Open(ctx, filepath.Join(t.TempDir(), "hub.db"), Options{Role: RoleHub})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	r.group.delay = time.Minute // the wait ends by gathering only
	commits := func() int64 {
		n, err := r.Commits(ctx)
		require.NoError(t, err)
		return n
	}
	pending := func() (int, bool) {
		r.group.mu.Lock()
		defer r.group.mu.Unlock()
		return len(r.group.pending), r.group.running
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		require.Eventually(t, cond, 10*time.Second, time.Millisecond, what)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	write := func() {
		wg.Go(func() {
			assert.NoError(t, r.writeGrouped(func(w *writeTx) error {
				_, err := w.exec("INSERT INTO meta(key, value) VALUES('grouped', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1")
				return err
			}))
			mu.Lock()
			done++
			mu.Unlock()
		})
	}
	finished := func() int {
		mu.Lock()
		defer mu.Unlock()
		return done
	}
	before := commits()

	// A write alone commits at once, though the wait is a minute.
	write()
	waitFor("a write alone", func() bool { return finished() == 1 })

	// Two writes in one group: the writer is held while they gather.
	r.writeMu.Lock()
	write()
	waitFor("the first group taken", func() bool { n, running := pending(); return n == 0 && running })
	write()
	write()
	waitFor("two writes pending", func() bool { n, _ := pending(); return n == 2 })
	r.writeMu.Unlock()
	waitFor("both groups committed", func() bool { return finished() == 4 })
	assert.Equal(t, int64(3), commits()-before, "the alone, the one taken first, the two together")

	// The group after two waits for more writes.
	write()
	time.Sleep(100 * time.Millisecond)
	assert.Equal(t, 4, finished(), "the write waits for others while calls come")
	for range groupGather - 1 {
		write()
	}
	waitFor("the gathered group committed", func() bool { return finished() == 4+groupGather })
	assert.Equal(t, int64(4), commits()-before, "the gathered writes in one commit")
	wg.Wait()
}
