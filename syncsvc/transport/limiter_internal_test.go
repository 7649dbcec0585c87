package transport

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// queued waits until the limiter has n calls of syncs begun and m Hellos
// waiting.
func queued(t *testing.T, lm *limiter, begun, fresh int) {
	t.Helper()
	require.Eventually(t, func() bool {
		lm.mu.Lock()
		defer lm.mu.Unlock()
		return lm.begun.n == begun && lm.fresh.n == fresh
	}, 5*time.Second, time.Millisecond)
}

// TestLimiterLetsSyncsBegunInFirst: with the one place taken, Hellos and a
// push wait in line; each place freed goes at once to the push (its
// office's sync is under way) before any Hello, then to the Hellos in the
// order they came. None is turned away while fewer than Waiting wait.
func TestLimiterLetsSyncsBegunInFirst(t *testing.T) {
	lm := newLimiter(Limits{Calls: 1, Waiting: 8, Wait: time.Minute})
	require.True(t, lm.acquire(context.Background(), false))
	order := make(chan string, 3)
	admit := func(name string, first bool) {
		go func() {
			if lm.acquire(context.Background(), first) {
				order <- name
			} else {
				order <- name + " turned away"
			}
		}()
	}
	admit("hello 1", true)
	queued(t, lm, 0, 1)
	admit("hello 2", true)
	queued(t, lm, 0, 2)
	admit("push", false)
	queued(t, lm, 1, 2)
	for _, want := range []string{"push", "hello 1", "hello 2"} {
		lm.release()
		select {
		case got := <-order:
			assert.Equal(t, want, got)
		case <-time.After(5 * time.Second):
			t.Fatalf("no call let in; want %s", want)
		}
	}
	lm.release()
	assert.Zero(t, lm.busy, "every place given back")
}

// TestLimiterTurnsHellosAwayPastWaiting: a Hello finding Waiting calls in
// line is turned away at once; a call of a sync begun still waits.
func TestLimiterTurnsHellosAwayPastWaiting(t *testing.T) {
	lm := newLimiter(Limits{Calls: 1, Waiting: 1, Wait: time.Minute})
	require.True(t, lm.acquire(context.Background(), true))
	done := make(chan bool, 1)
	go func() { done <- lm.acquire(context.Background(), true) }()
	queued(t, lm, 0, 1)
	start := time.Now()
	assert.False(t, lm.acquire(context.Background(), true), "the line is full")
	assert.Less(t, time.Since(start), time.Second, "turned away at once")
	go func() { done <- lm.acquire(context.Background(), false) }()
	queued(t, lm, 1, 1)
	lm.release()
	assert.True(t, <-done)
	lm.release()
	assert.True(t, <-done)
	lm.release()
	assert.Zero(t, lm.busy)
}

// TestLimiterGivesUpCleanly: a call that waited its longest (or whose
// caller went away) is turned away and leaves the line; a place freed
// later is not lost to it, and a new call takes a free place at once.
func TestLimiterGivesUpCleanly(t *testing.T) {
	lm := newLimiter(Limits{Calls: 1, Waiting: 8, Wait: 20 * time.Millisecond})
	require.True(t, lm.acquire(context.Background(), false))
	assert.False(t, lm.acquire(context.Background(), true), "waited Wait, then turned away")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.False(t, lm.acquire(ctx, false), "the caller went away")
	queued(t, lm, 0, 0)
	lm.release()
	assert.Zero(t, lm.busy, "the place is free, not handed to a call that gave up")
	start := time.Now()
	assert.True(t, lm.acquire(context.Background(), true))
	assert.Less(t, time.Since(start), 10*time.Millisecond, "a free place is taken at once")
	lm.release()
}
