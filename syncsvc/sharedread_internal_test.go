package syncsvc

import (
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Calls that come while a read is under way share the next read, never
// the one under way: each gets a value read after it came.
func TestSharedReadGivesEachCallAReadBegunAfterIt(t *testing.T) {
	t.Parallel()
	var s sharedRead[int]
	var reads atomic.Int32
	gates := make(chan chan struct{}, 8) // one gate per read, in order
	read := func() (int, error) {
		n := int(reads.Add(1))
		<-<-gates
		return n, nil
	}
	open := func() { g := make(chan struct{}); close(g); gates <- g }

	// Alone: a read of its own.
	open()
	v, err := s.do(read)
	require.NoError(t, err)
	assert.Equal(t, 1, v)

	// A reads; B, C and D come while it does and share the read after.
	hold := make(chan struct{})
	gates <- hold
	results := make([]int, 4)
	var wg sync.WaitGroup
	wg.Go(func() { results[0], _ = s.do(read) })
	require.Eventually(t, func() bool { return reads.Load() == 2 }, 5*time.Second, time.Millisecond, "A reads")
	for i := 1; i < 4; i++ {
		wg.Go(func() { results[i], _ = s.do(read) })
	}
	require.Eventually(t, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.next != nil && s.next.joined == 2
	}, 5*time.Second, time.Millisecond, "B, C and D wait for the next read")
	assert.Equal(t, int32(2), reads.Load(), "no read begins while one is under way")
	open() // for the next read
	close(hold)
	wg.Wait()
	assert.Equal(t, []int{2, 3, 3, 3}, results, "A its own read; the others one read, begun after they came")
	assert.Equal(t, int32(3), reads.Load())

	// And after that, alone again.
	open()
	v, err = s.do(read)
	require.NoError(t, err)
	assert.Equal(t, 4, v)
}
