package syncsvc

import (
	"context"
	"sync"
	"time"
)

// groupCommit gathers the writes that many calls make at once into one
// transaction: the hub's record of each node's syncs (RecordNodeSync,
// RecordSyncEvent), several per sync of every office, and the offices'
// pushes (Apply of a push). Each commit of the hub waits for the disk
// (synchronous=FULL); committed one by one, a thousand offices syncing at
// once would queue behind thousands of them. A write given to the group
// waits for the commit that holds it, so it is as durable when it returns
// as a write of its own. A group holds at most maxGroupWeight changes of
// pushes, so that a push waits for a few others, not for a district's.
//
// While writes come from many calls at once (the group before held more
// than one), a group that would hold fewer than groupGather waits up to
// groupDelay for more: without it, on a hub busy with calls, each commit
// held about three writes, and their commits cost it a tenth of its CPU
// (BENCHMARKS.md, "The p99 target, third round"). A write that comes
// alone commits at once.
type groupCommit struct {
	mu      sync.Mutex
	pending []groupWrite
	weight  int // of pending
	running bool
	// gathered is signalled when pending reaches groupGather writes or
	// half of maxGroupWeight, ending a group's wait.
	gathered chan struct{}
	delay    time.Duration // the wait's limit when not groupDelay (tests)
}

// groupGather is how many writes a group waits for while writes come from
// many calls, and groupDelay how long it waits at most.
const (
	groupGather = 16
	groupDelay  = 2 * time.Millisecond
)

// enough reports whether the pending writes make a group worth committing
// without waiting for more.
func (g *groupCommit) enough() bool {
	return len(g.pending) >= groupGather || g.weight >= maxGroupWeight/2
}

// groupWrite is one write waiting for its group's commit; weight is how
// many changes it merges.
type groupWrite struct {
	fn     func(w *writeTx) error
	weight int
	done   chan error
}

// maxGroupWeight is the most changes of pushes one group merges (a push
// larger than this is a group of its own).
const maxGroupWeight = 5000

// writeGrouped runs fn in a write transaction shared with the other
// grouped writes waiting at the same time, and returns once it is
// committed (or failed). While one group commits, the next gathers.
func (r *Replica) writeGrouped(fn func(w *writeTx) error) error {
	return r.writeGroupedWeighing(0, fn)
}

// writeGroupedWeighing is writeGrouped for a write that merges weight
// changes: a group takes writes in order while their weights fit in
// maxGroupWeight, and at least one.
func (r *Replica) writeGroupedWeighing(weight int, fn func(w *writeTx) error) error {
	gw := groupWrite{fn: fn, weight: weight, done: make(chan error, 1)}
	g := &r.group
	g.mu.Lock()
	g.pending = append(g.pending, gw)
	g.weight += weight
	lead := !g.running
	g.running = true
	if g.gathered == nil {
		g.gathered = make(chan struct{}, 1)
	}
	if g.enough() {
		select {
		case g.gathered <- struct{}{}:
		default:
		}
	}
	g.mu.Unlock()
	if lead {
		go r.commitGroups()
	}
	return <-gw.done
}

// commitGroups commits the waiting writes, a group at a time, until none
// is left. A group that fails is committed again write by write, so that
// each hears its own outcome and one bad write does not undo the others.
func (r *Replica) commitGroups() {
	g := &r.group
	last := 0 // writes in the group before
	for {
		if last > 1 {
			r.gather()
		}
		g.mu.Lock()
		n, weight := 0, 0
		for n < len(g.pending) && (n == 0 || weight+g.pending[n].weight <= maxGroupWeight) {
			weight += g.pending[n].weight
			n++
		}
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
		g.weight -= weight
		last = n
		if len(batch) == 0 {
			g.running = false
			g.pending = nil
			g.mu.Unlock()
			return
		}
		g.mu.Unlock()
		// The group belongs to no one call: a caller's cancellation must not
		// undo the others' writes.
		ctx := context.Background()
		err := r.write(ctx, func(w *writeTx) error {
			for _, gw := range batch {
				if err := gw.fn(w); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil && len(batch) > 1 {
			for _, gw := range batch {
				gw.done <- r.write(ctx, gw.fn)
			}
			continue
		}
		for _, gw := range batch {
			gw.done <- err
		}
	}
}

// gather waits, up to groupDelay, until enough writes are pending for a
// group (groupCommit.enough).
func (r *Replica) gather() {
	g := &r.group
	g.mu.Lock()
	if g.enough() {
		g.mu.Unlock()
		return
	}
	select { // a signal from before the group that just committed
	case <-g.gathered:
	default:
	}
	delay := g.delay
	g.mu.Unlock()
	if delay == 0 {
		delay = groupDelay
	}
	t := time.NewTimer(delay)
	defer t.Stop()
	select {
	case <-g.gathered:
	case <-t.C:
	}
}
