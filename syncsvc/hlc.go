package syncsvc

import (
	"bytes"
	"fmt"
	"sync"
	"time"

	"github.com/google/uuid"
)

// NodeID identifies one replica: one office computer, or the hub. A
// reinstalled computer gets a new NodeID, so its new writes are never
// mistaken for old ones.
type NodeID = uuid.UUID

// logicalBits is the width of the logical counter inside an HLC value.
const logicalBits = 16

// Stamp orders writes: a hybrid logical clock value (physical milliseconds
// shifted left 16 bits, plus a logical counter) and the node that wrote.
// Stamps compare by HLC, then by node, so that any two writes are ordered the
// same way everywhere. The zero Stamp is "never written".
type Stamp struct {
	HLC  int64
	Node NodeID
}

// IsZero reports whether s is the zero Stamp.
func (s Stamp) IsZero() bool { return s == Stamp{} }

// Compare returns -1, 0 or +1 as s orders before, equal to or after o.
func (s Stamp) Compare(o Stamp) int {
	switch {
	case s.HLC < o.HLC:
		return -1
	case s.HLC > o.HLC:
		return 1
	}
	return bytes.Compare(s.Node[:], o.Node[:])
}

// Time returns the physical part of the stamp.
func (s Stamp) Time() time.Time { return time.UnixMilli(s.HLC >> logicalBits) }

// String formats the stamp for people: time, logical counter and node.
func (s Stamp) String() string {
	if s.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s+%d@%s", s.Time().UTC().Format("2006-01-02T15:04:05.000Z"), s.HLC&(1<<logicalBits-1), s.Node)
}

// HLCFromTime returns the HLC value of t with a zero logical counter.
func HLCFromTime(t time.Time) int64 { return t.UnixMilli() << logicalBits }

// clock is a hybrid logical clock. Now never returns a value at or below one
// it returned or observed before, whatever the physical clock does, with one
// exception: Restamp sets it back after a physical clock that ran ahead was
// put right, having replaced every future stamp this node still has to send
// (see set).
type clock struct {
	mu   sync.Mutex
	now  func() time.Time
	node NodeID
	last int64
}

// tick returns a new stamp above every stamp seen so far.
func (c *clock) tick() Stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	phys := HLCFromTime(c.now())
	if phys > c.last {
		c.last = phys
	} else {
		c.last++
	}
	return Stamp{HLC: c.last, Node: c.node}
}

// observe moves the clock past a stamp seen from another node, so that a
// local write made after it is ordered after it.
func (c *clock) observe(s Stamp) {
	c.mu.Lock()
	if s.HLC > c.last {
		c.last = s.HLC
	}
	c.mu.Unlock()
}

// value returns the last HLC value issued or observed.
func (c *clock) value() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last
}

// set moves the clock to v, backwards too, and returns the value it held.
// Only Restamp sets a clock back, in the write transaction that replaces
// every stamp above v that this node still has to send; a stamp the clock
// gave before and that stays anywhere is at or below v.
func (c *clock) set(v int64) (old int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, c.last = c.last, v
	return old
}
