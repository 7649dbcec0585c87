package syncsvc

import (
	"context"
	"sync"
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
type groupCommit struct {
	mu      sync.Mutex
	pending []groupWrite
	running bool
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
	lead := !g.running
	g.running = true
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
	for {
		g.mu.Lock()
		n, weight := 0, 0
		for n < len(g.pending) && (n == 0 || weight+g.pending[n].weight <= maxGroupWeight) {
			weight += g.pending[n].weight
			n++
		}
		batch := g.pending[:n:n]
		g.pending = g.pending[n:]
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
