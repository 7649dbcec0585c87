package syncsvc

import (
	"context"
	"sync"
)

// groupCommit gathers the small writes that many calls make at once into
// one transaction: the hub's record of each node's syncs (RecordNodeSync,
// RecordSyncEvent), several per sync of every office. Each commit of the
// hub waits for the disk (synchronous=FULL); committed one by one, a
// thousand offices syncing at once would queue behind thousands of them.
// A write given to the group waits for the commit that holds it, so it is
// as durable when it returns as a write of its own.
type groupCommit struct {
	mu      sync.Mutex
	pending []groupWrite
	running bool
}

// groupWrite is one write waiting for its group's commit.
type groupWrite struct {
	fn   func(w *writeTx) error
	done chan error
}

// writeGrouped runs fn in a write transaction shared with the other
// grouped writes waiting at the same time, and returns once it is
// committed (or failed). While one group commits, the next gathers.
func (r *Replica) writeGrouped(fn func(w *writeTx) error) error {
	gw := groupWrite{fn: fn, done: make(chan error, 1)}
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
		batch := g.pending
		g.pending = nil
		if len(batch) == 0 {
			g.running = false
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
