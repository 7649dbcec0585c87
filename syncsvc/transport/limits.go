package transport

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
)

// Limits bound the work the hub takes at once, so that a thousand offices
// syncing at the same moment make some of them wait rather than take the
// hub's memory: every call in progress holds its request, its answer and a
// reader of the database. A call past the limits is answered Unavailable
// with the time to come back (a retry hint), which the agent waits, with a
// random part added, before it tries again; nothing the office holds is
// lost by it.
type Limits struct {
	// Calls is the most sync calls the hub works on at once; a call past
	// it waits for a place.
	Calls int
	// Waiting bounds how many calls wait for a place: a sync's first call
	// (Hello) waits only while fewer than Waiting calls wait, and is turned
	// away at once otherwise. The later calls of a sync begun (Push, Pull,
	// Snapshot) always wait, so that an office let in finishes its sync
	// before new ones begin, and its push is never sent twice; since no
	// sync begins while the list is full, they stay few.
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
// while fewer than eight times as many wait, each call waiting at most ten
// seconds, and a second's wait asked of a call turned away.
func DefaultLimits() Limits {
	calls := max(8, 4*runtime.GOMAXPROCS(0))
	return Limits{Calls: calls, Waiting: 8 * calls, Wait: 10 * time.Second, RetryAfter: time.Second}
}

// withDefaults fills each zero field with DefaultLimits'.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Calls <= 0 {
		l.Calls = d.Calls
	}
	if l.Waiting <= 0 {
		l.Waiting = 8 * l.Calls
	}
	if l.Wait <= 0 {
		l.Wait = d.Wait
	}
	if l.RetryAfter <= 0 {
		l.RetryAfter = d.RetryAfter
	}
	return l
}

// limiter admits calls within Limits.
type limiter struct {
	l       Limits
	slots   chan struct{}
	waiting atomic.Int64
}

func newLimiter(l Limits) *limiter {
	l = l.withDefaults()
	return &limiter{l: l, slots: make(chan struct{}, l.Calls)}
}

// acquire takes a place for a call, waiting for one when the hub is at its
// limit and the call may wait; first marks a sync's first call. It returns
// false when the call is turned away.
func (lm *limiter) acquire(ctx context.Context, first bool) bool {
	select {
	case lm.slots <- struct{}{}:
		return true
	default:
	}
	if lm.waiting.Add(1) > int64(lm.l.Waiting) && first {
		lm.waiting.Add(-1)
		return false
	}
	defer lm.waiting.Add(-1)
	timer := time.NewTimer(lm.l.Wait)
	defer timer.Stop()
	select {
	case lm.slots <- struct{}{}:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// release gives back a place acquire took.
func (lm *limiter) release() { <-lm.slots }

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
