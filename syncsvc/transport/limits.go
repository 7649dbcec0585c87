package transport

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
)

// Limits bound the work the hub takes at once, so that a thousand offices
// syncing at the same moment make some of them wait rather than take the
// hub's memory: every call in progress holds its request, its answer and a
// reader of the database. A call past Calls waits in line for a place
// (see Waiting); one that may not wait, or waited Wait in vain, is
// answered Unavailable with the time to come back (a retry hint), which
// the agent waits, with a random part added, before it tries again;
// nothing the office holds is lost by it.
type Limits struct {
	// Calls is the most sync calls the hub works on at once; a call past
	// it waits for a place.
	Calls int
	// Waiting bounds how many calls wait for a place: a sync's first call
	// (Hello) waits only while fewer than Waiting calls wait, and is turned
	// away at once otherwise. The later calls of a sync begun (Push, Pull,
	// Snapshot) always wait, and are let in before any waiting Hello, so
	// that an office let in finishes its sync before new ones begin, and
	// its push is never sent twice; the syncs in progress stay few. Calls
	// are let in first come, first served within each kind, the moment a
	// place frees, so a wait in the queue is never longer than the work
	// ahead of it, unlike a retry after a fixed time.
	Waiting int
	// Wait is the longest a call waits for a place before it is turned
	// away.
	Wait time.Duration
	// RetryAfter is how long the hub asks a call it turns away to wait
	// before trying again.
	RetryAfter time.Duration
}

// DefaultLimits returns the limits Handler serves with: four calls at once
// per CPU the process may use (at least eight), new syncs let in to wait
// while fewer than DefaultWaiting calls wait, each call waiting at most ten
// seconds, and a second's wait asked of a call turned away.
func DefaultLimits() Limits {
	calls := max(8, 4*runtime.GOMAXPROCS(0))
	return Limits{Calls: calls, Waiting: DefaultWaiting, Wait: 10 * time.Second, RetryAfter: time.Second}
}

// DefaultWaiting is how many calls may wait for a place with the default
// limits: a district's thousand offices syncing at the same moment all
// wait in line rather than come back later. A waiting Hello holds little
// (its headers and a body of a few dozen bytes, a goroutine); a push waits
// only once its office is let in, and then before any new sync.
const DefaultWaiting = 2048

// withDefaults fills each zero field with DefaultLimits'.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Calls <= 0 {
		l.Calls = d.Calls
	}
	if l.Waiting <= 0 {
		l.Waiting = d.Waiting
	}
	if l.Wait <= 0 {
		l.Wait = d.Wait
	}
	if l.RetryAfter <= 0 {
		l.RetryAfter = d.RetryAfter
	}
	return l
}

// limiter admits calls within Limits. Calls past the limit wait in two
// first-come, first-served queues: the later calls of syncs begun (Push,
// Pull, Snapshot) and, behind them, new syncs' Hellos. A place freed goes
// to the longest-waiting call of a sync begun, else to the longest-waiting
// Hello, at once: the hub is never idle while a call waits, an office let
// in finishes before new ones begin (so the syncs in progress stay few),
// and new syncs begin in the order they came.
type limiter struct {
	l     Limits
	mu    sync.Mutex
	busy  int // places taken
	begun waitQueue
	fresh waitQueue
}

// waiter is a call waiting for a place; granted is closed when a place is
// handed to it.
type waiter struct {
	granted chan struct{}
	done    bool // granted or given up, under the limiter's mutex
}

// waitQueue is a FIFO of waiters; n counts those still waiting (a call
// that gave up stays in q, marked done, until it reaches the head).
type waitQueue struct {
	q []*waiter
	n int
}

func (w *waitQueue) push(x *waiter) { w.q = append(w.q, x); w.n++ }

// pop returns the longest-waiting call still waiting, or nil.
func (w *waitQueue) pop() *waiter {
	for len(w.q) > 0 {
		x := w.q[0]
		w.q[0] = nil
		w.q = w.q[1:]
		if !x.done {
			w.n--
			return x
		}
	}
	w.q = nil // let the backing array go
	return nil
}

func newLimiter(l Limits) *limiter {
	return &limiter{l: l.withDefaults()}
}

// acquire takes a place for a call, waiting for one when the hub is at its
// limit and the call may wait; first marks a sync's first call. It returns
// false when the call is turned away.
func (lm *limiter) acquire(ctx context.Context, first bool) bool {
	lm.mu.Lock()
	queue := &lm.begun
	if first {
		queue = &lm.fresh
	}
	// A call takes a free place at once only when no call it must let go
	// first waits: every waiting call of a sync begun, and, for a Hello,
	// every waiting Hello.
	if lm.busy < lm.l.Calls && lm.begun.n == 0 && (!first || lm.fresh.n == 0) {
		lm.busy++
		lm.mu.Unlock()
		return true
	}
	if first && lm.begun.n+lm.fresh.n >= lm.l.Waiting {
		lm.mu.Unlock()
		return false
	}
	w := &waiter{granted: make(chan struct{})}
	queue.push(w)
	lm.mu.Unlock()
	timer := time.NewTimer(lm.l.Wait)
	defer timer.Stop()
	select {
	case <-w.granted:
		return true
	case <-timer.C:
	case <-ctx.Done():
	}
	lm.mu.Lock()
	defer lm.mu.Unlock()
	if w.done { // handed a place as the wait ended: pass it on
		lm.handOff()
		return false
	}
	w.done = true
	queue.n--
	return false
}

// release gives back a place acquire took.
func (lm *limiter) release() {
	lm.mu.Lock()
	defer lm.mu.Unlock()
	lm.handOff()
}

// handOff gives a place being freed to the call that has waited longest
// (a sync begun before a new one), or frees it. It requires mu.
func (lm *limiter) handOff() {
	w := lm.begun.pop()
	if w == nil {
		w = lm.fresh.pop()
	}
	if w == nil {
		lm.busy--
		return
	}
	w.done = true
	close(w.granted)
}

// busyError is the answer to a call turned away: Unavailable, saying
// syncsvc.ErrHubBusy, with the wait as a detail (a
// google.protobuf.Duration, which the Client reads) and in a Retry-After
// header, in whole seconds, for any other client.
func (lm *limiter) busyError() *connect.Error {
	wait := lm.l.RetryAfter
	cerr := connect.NewError(connect.CodeUnavailable, fmt.Errorf("%w: try again in %s", syncsvc.ErrHubBusy, wait))
	if detail, err := connect.NewErrorDetail(durationpb.New(wait)); err == nil {
		cerr.AddDetail(detail)
	}
	cerr.Meta().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return cerr
}

// limit admits each sync call within the limits (admin calls, which a
// person makes, always go through) and turns away, with the wait, a call
// past them. It runs after the token check: a call without a valid token
// never takes a place.
func (s *service) limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if adminProcedures[req.URL.Path] {
			next.ServeHTTP(w, req)
			return
		}
		if !s.limits.acquire(req.Context(), req.URL.Path == syncv1connect.SyncServiceHelloProcedure) {
			s.refuse(w, req, s.limits.busyError())
			return
		}
		defer s.limits.release()
		next.ServeHTTP(w, req)
	})
}
