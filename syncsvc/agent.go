package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"strconv"
	"time"
)

// AgentOptions configure an office's sync agent.
type AgentOptions struct {
	// Hub carries the calls to the hub: transport.NewClient over Connect,
	// or any HubClient. Required.
	Hub HubClient
	// Token is the office's bearer token, as Hub sends it. The agent sends
	// nothing itself with it: it keeps the token's fingerprint once the hub
	// has confirmed it as this office's (ConfirmOffice).
	Token string
	// CallTimeout bounds each call to the hub, from connecting to the last
	// byte of the answer. A call that has not finished by then (a stalled
	// connection, a hub that does not answer) counts as the hub being
	// unreachable: it is tried again (once: a second stall in a row ends
	// the sync), and reported as ErrHubUnreachable (IsUnavailable,
	// IsNetworkFault).
	// Zero means DefaultCallTimeout; negative means no deadline beyond
	// the caller's context.
	CallTimeout time.Duration
	// BatchSize is the most changes per push or pull; zero means the
	// hub's maximum.
	BatchSize int
	// Retries is how many times a call that found the hub unavailable (or
	// met a network fault: see IsNetworkFault) is tried again, with
	// exponential backoff from RetryDelay; negative means never. Defaults
	// 5 and 200 ms.
	Retries    int
	RetryDelay time.Duration
	// BusyRetries is how many times a call the hub turned away as busy
	// (ErrHubBusy) is tried again, each after the wait the hub asked for
	// (RetryDelay when it asked for none) and a random part of it as much
	// again, so that offices turned away together do not all come back
	// together; negative means never. Default 120.
	BusyRetries int
	// Progress, when set, hears of each step.
	Progress func(Progress)
	// Logger receives the agent's messages; nil uses the replica's.
	Logger *slog.Logger
}

// Progress reports where a sync is.
type Progress struct {
	// Phase is "hello", "push", "snapshot" or "pull"; or "retry" when a
	// call found the hub unavailable and is about to be tried again, "busy"
	// when the hub turned a call away as busy.
	Phase string
	// Done counts changes (records, in a snapshot) handled so far in the
	// phase; Total is how many there are, or 0 when unknown. For "retry"
	// and "busy", Done is the number of the attempt about to start again
	// (1 for the first retry) and Total the most retries.
	Done, Total int
	// Wait, for "retry" and "busy", is how long the agent waits before
	// trying again.
	Wait time.Duration
}

// SyncReport says what one sync did.
type SyncReport struct {
	Pushed      int
	Refused     int
	Pulled      int
	Dropped     int64
	Snapshot    bool
	ClockOffset time.Duration
	Office      string
	Scopes      []string
	// Recovery says whether the hub or this file had gone back in time,
	// and Reconciled how many records were then sent whole.
	Recovery   Recovery
	Reconciled int
}

// Agent syncs an office's replica with the hub. Every step is idempotent
// and positions are stored in the same transaction as the data, so a sync
// cut off at any point (a crash, a lost link) is simply run again.
type Agent struct {
	r    *Replica
	hub  HubClient
	opts AgentOptions
	log  *slog.Logger
}

// NewAgent returns an agent for an office replica, calling the hub through
// opts.Hub.
func NewAgent(r *Replica, opts AgentOptions) (*Agent, error) {
	if r.role != RoleOffice {
		return nil, fmt.Errorf("new agent: %w: the hub's replica does not sync with a hub", ErrInvalidChange)
	}
	if opts.Hub == nil || opts.Token == "" {
		return nil, fmt.Errorf("new agent: %w: give the hub URL and the office token", ErrInvalidChange)
	}
	if opts.CallTimeout == 0 {
		opts.CallTimeout = DefaultCallTimeout
	}
	if opts.Retries == 0 {
		opts.Retries = 5
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = 200 * time.Millisecond
	}
	if opts.BusyRetries == 0 {
		opts.BusyRetries = 120
	}
	log := opts.Logger
	if log == nil {
		log = r.log
	}
	return &Agent{r: r, hub: opts.Hub, opts: opts, log: log}, nil
}

func (a *Agent) progress(p Progress) {
	if a.opts.Progress != nil {
		a.opts.Progress(p)
	}
}

// DefaultCallTimeout is the deadline of one call to the hub when
// AgentOptions.CallTimeout is zero: long enough for a full batch over a
// slow office line, short enough that a stalled connection is given up.
const DefaultCallTimeout = 60 * time.Second

// maxStalls is how many times in a row one call may run out of its
// deadline before the agent gives up, whatever Retries says: a link that
// stalled twice is not waited on for minutes more.
const maxStalls = 2

// call runs one call to the hub under the agent's per-call deadline,
// trying again with backoff while the hub is unreachable (a refused
// connection, a connection cut or stalled in the middle: see
// IsNetworkFault). Every call the agent makes is safe to repeat. A call
// that ran out of its own deadline is reported as ErrHubUnreachable, and is
// tried once more at most (maxStalls); the caller's own cancellation is
// returned as it came.
//
// A call the hub turned away as busy (ErrHubBusy) is tried again after the
// wait the hub asked for and a random part of it (BusyRetries); such tries
// do not count as Retries.
func call[Req, Res any](ctx context.Context, a *Agent, fn func(context.Context, Req) (Res, error), req Req) (Res, error) {
	delay := a.opts.RetryDelay
	stalls, busy := 0, 0
	for attempt := 0; ; attempt++ {
		cctx, cancel := ctx, context.CancelFunc(func() {})
		if a.opts.CallTimeout > 0 {
			cctx, cancel = context.WithTimeout(ctx, a.opts.CallTimeout)
		}
		res, err := fn(cctx, req)
		// A stall: the call's deadline passed, or the transport's own wait
		// for the answer (set to the same length) ran out first.
		stalled := err != nil && ctx.Err() == nil && (cctx.Err() != nil || isTimeout(err))
		cancel()
		if err == nil || ctx.Err() != nil {
			return res, err
		}
		if errors.Is(err, ErrHubBusy) && busy < a.opts.BusyRetries {
			busy++
			attempt-- // not a fault of the network
			wait := a.busyWait(err)
			a.log.Info("hub busy, trying again", "in", wait, "attempt", busy)
			a.progress(Progress{Phase: "busy", Done: busy, Total: a.opts.BusyRetries, Wait: wait})
			if err := sleep(ctx, wait); err != nil {
				var zero Res
				return zero, err
			}
			continue
		}
		if stalled {
			stalls++
			// The text is the one the Connect transport gave a stall before
			// the transport was a package of its own.
			err = &HubError{Kind: ErrHubUnreachable,
				Err: fmt.Errorf("unavailable: the hub did not answer within %s: %w", a.opts.CallTimeout, err)}
		} else {
			stalls = 0
		}
		if !IsNetworkFault(err) || attempt >= a.opts.Retries || stalls >= maxStalls {
			return res, err
		}
		wait := delay/2 + rand.N(delay)
		a.log.Info("hub unavailable, trying again", "in", wait, "attempt", attempt+1, "error", err)
		a.progress(Progress{Phase: "retry", Done: attempt + 1, Total: a.opts.Retries, Wait: wait})
		if err := sleep(ctx, wait); err != nil {
			var zero Res
			return zero, err
		}
		delay = min(delay*2, 10*time.Second)
	}
}

// busyWait is how long to wait after the hub turned a call away as busy:
// the wait it asked for (RetryDelay when it asked for none), and a random
// part of it as much again.
func (a *Agent) busyWait(err error) time.Duration {
	wait := a.opts.RetryDelay
	var he *HubError
	if errors.As(err, &he) && he.RetryAfter > 0 {
		wait = he.RetryAfter
	}
	return wait + rand.N(wait+1)
}

// sleep waits d, or returns the context's error when it ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Sync says hello, pushes the outbox until it is empty, then pulls until
// caught up (from a snapshot when the office is new or too far behind),
// dropping what left the office's scopes.
func (a *Agent) Sync(ctx context.Context) (SyncReport, error) {
	a.progress(Progress{Phase: "hello"})
	st, err := a.r.readSyncState(ctx)
	if err != nil {
		return SyncReport{}, err
	}
	probed, err := a.confirmOffice(ctx, st) // the token is this office's (refused_office.go)
	if err != nil {
		return SyncReport{}, err
	}
	if probed { // and stored the office it confirmed
		if st, err = a.r.readSyncState(ctx); err != nil {
			return SyncReport{}, err
		}
	}
	hello, st, err := a.helloFrom(ctx, st)
	if err != nil {
		return SyncReport{}, err
	}
	rep := SyncReport{ClockOffset: hello.ClockOffset, Office: hello.Office.ID, Scopes: hello.Scopes}
	if err := a.settleClock(ctx, hello); err != nil { // a clock put right: unsent changes restamped (restamp.go)
		return rep, err
	}
	if rep.Dropped, err = a.dropOutside(ctx, rep.Scopes, st); err != nil {
		return rep, err
	}
	batch := a.opts.BatchSize
	if batch <= 0 || batch > hello.MaxBatch {
		batch = hello.MaxBatch
	}
	// Before trusting any position: did the hub or this file go back in
	// time since the last sync? Then records are sent whole first.
	recovery, err := a.checkHistory(ctx, hello, st)
	if err != nil {
		return rep, err
	}
	hubAcked := hello.Acknowledged
	// The sync's end is recorded with the pull's last page (and its time,
	// "last_sync", there).
	done := map[string]string{metaClockOffset: strconv.FormatInt(hello.ClockOffset.Milliseconds(), 10)}
	if recovery != RecoveryNone {
		if err := a.recover(ctx, recovery, hello, batch, &rep); err != nil {
			return rep, fmt.Errorf("recover (%s): %w", recovery, err)
		}
		if hubAcked, err = a.r.Position(ctx, ackKey); err != nil {
			return rep, err
		}
	} else {
		a.epochToStore(hello.Epoch, st, done)
	}
	acked, held, err := a.push(ctx, hubAcked, batch, &rep)
	if err != nil {
		return rep, a.afterPushFailed(ctx, err, hello, batch, &rep) // refused for clock skew: pull all the same (restamp.go)
	}
	if err := a.pull(ctx, batch, &rep, held, &syncEnd{meta: done, acked: acked}); err != nil {
		return rep, fmt.Errorf("pull: %w", err)
	}
	return rep, nil
}

// push sends the outbox until it is empty. It returns how far the hub has
// acknowledged the office's log, which the sync stores with its first pull
// page (a sync cut off before that stores it at the next Hello, which says
// it again), and the hub's positions of the records the push created
// (PushResponse.Held), which the office holds as they stand.
func (a *Agent) push(ctx context.Context, hubAcked int64, batch int, rep *SyncReport) (int64, []SeqRange, error) {
	acked, err := a.r.Position(ctx, ackKey)
	if err != nil {
		return 0, nil, err
	}
	if hubAcked < acked {
		// The hub lost what it had acknowledged (restored from a backup):
		// send it again.
		a.log.Warn("hub is behind this office's log; sending again", "hub", hubAcked, "office", acked)
		if err := a.r.resetAcknowledged(ctx, hubAcked); err != nil {
			return 0, nil, err
		}
	}
	acked = hubAcked // a position further than the file's is stored with the sync's end
	total, err := a.r.outboxLenAfter(ctx, acked)
	if err != nil {
		return 0, nil, err
	}
	node := a.r.node
	gaps := 0
	var held []SeqRange
	for {
		out, err := a.r.outboxAfter(ctx, acked, batch)
		if err != nil || len(out) == 0 {
			return acked, held, err
		}
		res, err := call(ctx, a, a.hub.Push, PushRequest{Node: node, Changes: out})
		if err != nil {
			return 0, nil, err
		}
		if err := a.keepRefusals(ctx, rep.Office, res.Refused); err != nil {
			return 0, nil, err
		}
		if res.Gap {
			// The hub holds less of this log than we thought: send from there.
			if gaps++; gaps > 1 {
				return 0, nil, fmt.Errorf("the hub keeps reporting a gap at %d in this office's log", res.Acknowledged)
			}
			if err := a.r.resetAcknowledged(ctx, res.Acknowledged); err != nil {
				return 0, nil, err
			}
			acked = res.Acknowledged
			continue
		}
		gaps = 0
		acked = max(acked, res.Acknowledged)
		held = joinRanges(held, res.Held)
		rep.Pushed += len(out)
		rep.Refused += len(res.Refused)
		a.progress(Progress{Phase: "push", Done: rep.Pushed, Total: total})
	}
}

// dropOutside is DropOutside, but for a file that has neither pulled nor
// had a change acknowledged (before its first sync completes): every
// record it holds is then its own unsent work, which DropOutside keeps,
// so the file is not searched.
func (a *Agent) dropOutside(ctx context.Context, scopes []string, st syncState) (int64, error) {
	if st.acked == 0 && st.pulled == 0 {
		return 0, nil
	}
	return a.r.DropOutside(ctx, scopes)
}

func (a *Agent) keepRefusals(ctx context.Context, office string, refused []RefusedChange) error {
	if len(refused) == 0 {
		return nil
	}
	recs := make([]RefusalRecord, 0, len(refused))
	for _, f := range refused {
		recs = append(recs, RefusalRecord{Office: office, Node: a.r.node, Seq: f.Seq, Table: f.Table, RecordID: f.ID,
			Code: f.Code, Reason: f.Reason, At: a.r.now()})
	}
	a.log.Warn("the hub refused changes", "count", len(recs))
	return a.r.RecordRefusals(ctx, recs)
}

const pullKey = "pull"

// syncEnd is what a sync stores with its pull: how far the hub has
// acknowledged the office's log (acked), with the first page, before
// departures are judged against the unsent work; settings (meta) and the
// sync's end ("last_sync") with the last page.
type syncEnd struct {
	meta  map[string]string
	acked int64
}

// pull applies the pages of the district feed above the office's cursor
// until it is caught up, from a snapshot when the hub asks for one. The
// records at the held positions are not sent: this sync's pushes created
// them, and the office holds them as they stand. end, when set, is stored
// with the last page.
func (a *Agent) pull(ctx context.Context, batch int, rep *SyncReport, held []SeqRange, end *syncEnd) error {
	node := a.r.node
	for {
		after, err := a.r.Position(ctx, pullKey)
		if err != nil {
			return err
		}
		page, err := call(ctx, a, a.hub.Pull, PullRequest{After: after, Limit: batch, Node: node, Held: held})
		if errors.Is(err, ErrSnapshotRequired) {
			if rep.Snapshot {
				return fmt.Errorf("the hub asks for a snapshot again at %d", after)
			}
			if end != nil && end.acked > 0 { // before the snapshot judges what is unsent work
				if err := a.r.Acknowledge(ctx, end.acked); err != nil {
					return err
				}
				end.acked = 0
			}
			if err := a.snapshot(ctx, batch, rep); err != nil {
				return fmt.Errorf("snapshot: %w", err)
			}
			continue
		}
		if err != nil {
			return err
		}
		chs := page.Changes
		opts := ApplyOptions{Source: pullKey, Through: page.Next, Scopes: rep.Scopes}
		if end != nil {
			opts.acked, end.acked = end.acked, 0 // with the first page
			if !page.More {
				end.meta["last_sync"] = a.r.now().UTC().Format(time.RFC3339)
				opts.meta = end.meta
			}
		}
		if _, err := a.r.Apply(ctx, chs, opts); err != nil {
			return err
		}
		rep.Pulled += len(chs)
		a.progress(Progress{Phase: "pull", Done: rep.Pulled})
		if !page.More {
			return nil
		}
	}
}

// snapshot loads the office's scopes whole, chunk by chunk, then sets the
// pull cursor to the snapshot's position. A snapshot cut off is started
// again; loading a chunk twice changes nothing.
func (a *Agent) snapshot(ctx context.Context, batch int, rep *SyncReport) error {
	rep.Snapshot = true
	node := a.r.node
	cursor := SnapshotCursor{}
	var seq int64 = -1
	done := 0
	seen := map[rowKey]bool{}
	for {
		res, err := call(ctx, a, a.hub.Snapshot, SnapshotRequest{Cursor: cursor, Limit: batch, Node: node})
		if err != nil {
			return err
		}
		if seq < 0 {
			seq = res.Seq
		}
		recs := res.Records
		if _, err := a.r.Apply(ctx, recs, ApplyOptions{Scopes: rep.Scopes}); err != nil {
			return err
		}
		for _, rec := range recs {
			seen[rowKey{rec.Table, rec.ID}] = true
		}
		done += len(recs)
		a.progress(Progress{Phase: "snapshot", Done: done})
		if res.Done {
			break
		}
		cursor = res.Next
	}
	// What the snapshot lacks left this office's scopes while it was away.
	if _, err := a.r.dropMissing(ctx, seen); err != nil {
		return err
	}
	_, err := a.r.Apply(ctx, nil, ApplyOptions{Source: pullKey, Through: seq})
	return err
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
