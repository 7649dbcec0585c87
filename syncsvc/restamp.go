package syncsvc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"time"
)

// RestampResult says what Restamp did.
type RestampResult struct {
	// Changes counts the outbox entries that got new stamps.
	Changes int
	// ClockBefore and ClockAfter are the clock's value before and after,
	// as times (the physical part of the hybrid clock).
	ClockBefore, ClockAfter time.Time
}

// Restamp gives honest times again to an office whose computer's clock ran
// ahead and has since been put right. Changes stamped after limit that the
// hub has not acknowledged yet (the hub refuses them as from the future)
// get fresh stamps, in their order, and the hybrid clock is set back.
//
// In one transaction: the clock is set to the largest of the physical
// clock now, every stamp that stays (stamps of other nodes, this node's
// stamps the hub has acknowledged, outbox entries stamped at or before
// limit); each future stamp of the outbox is replaced, oldest first, by the
// next stamp after that; and the replacement is made wherever the old
// stamp is still held: in the fields of the outbox entries, in the prev
// stamps of later entries that replaced them, and in the stamps and prev
// stamps kept beside the records' fields. So the edits go to the hub
// stamped near the real time of sending, and an edit another office made
// meanwhile, which they never saw, stays concurrent with them: the hub
// records a conflict instead of the future stamp winning silently.
//
// Call it only when the physical clock is right (Agent.Sync does, when
// Hello shows the clock within the hub's maximum skew): with a clock still
// ahead, the fresh stamps would be in the future again. A clock at or
// below limit with nothing stamped after it changes nothing.
//
// The clock is set back in this Replica only: another process holding the
// same file open keeps the clock it had until it is reopened.
func (r *Replica) Restamp(ctx context.Context, limit time.Time) (RestampResult, error) {
	if r.role != RoleOffice {
		return RestampResult{}, fmt.Errorf("restamp: %w: only an office's own changes are restamped", ErrInvalidChange)
	}
	lim := HLCFromTime(limit)
	var res RestampResult
	var restore func()
	err := r.write(ctx, func(w *writeTx) error {
		res = RestampResult{}
		before := r.clock.value()
		res.ClockBefore, res.ClockAfter = Stamp{HLC: before}.Time(), Stamp{HLC: before}.Time()
		acked, err := w.position(ackKey)
		if err != nil {
			return err
		}
		rows, err := w.QueryContext(w.ctx, "SELECT "+changeCols+" FROM changes WHERE local = 1 AND seq > ? ORDER BY seq", acked)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		out, err := r.scanChanges(rows)
		if err != nil {
			return fmt.Errorf("read outbox: %w", err)
		}
		future := map[Stamp]bool{}
		var keep int64 // the largest stamp that stays
		for _, ch := range out {
			for _, f := range ch.Fields {
				if f.Stamp.Node == r.node && f.Stamp.HLC > lim {
					future[f.Stamp] = true
				} else {
					keep = max(keep, f.Stamp.HLC)
				}
			}
		}
		if before <= lim && len(future) == 0 {
			return nil
		}
		kept, err := w.largestStampKept(future)
		if err != nil {
			return err
		}
		keep = max(keep, kept)
		olds := make([]Stamp, 0, len(future))
		for s := range future {
			olds = append(olds, s)
		}
		sort.Slice(olds, func(i, j int) bool { return olds[i].Compare(olds[j]) < 0 })
		next := max(HLCFromTime(r.now()), keep)
		fresh := make(map[Stamp]Stamp, len(olds))
		for _, s := range olds {
			next++
			fresh[s] = Stamp{HLC: next, Node: r.node}
		}
		if len(olds) == 0 && next >= before {
			return nil // nothing to send and the clock is not ahead of what stays
		}
		old := r.clock.set(next)
		restore = func() { r.clock.set(old) }
		res.ClockAfter = Stamp{HLC: next}.Time()
		if res.Changes, err = w.restampOutbox(out, fresh); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		if restore != nil {
			restore()
		}
		return RestampResult{}, fmt.Errorf("restamp changes stamped after %s: %w", limit.UTC().Format(time.RFC3339), err)
	}
	if res.Changes > 0 || res.ClockAfter.Before(res.ClockBefore) {
		r.log.Warn("clock set back after running ahead; unsent changes restamped",
			"changes", res.Changes, "clock_was", res.ClockBefore.UTC(), "clock_now", res.ClockAfter.UTC())
	}
	return res, nil
}

// largestStampKept returns the largest stamp kept beside any record's
// fields, leaving out the stamps about to be replaced.
func (w *writeTx) largestStampKept(replaced map[Stamp]bool) (int64, error) {
	var largest int64
	for _, t := range w.r.order {
		err := func() error {
			rows, err := w.tx.QueryContext(w.ctx, "SELECT _stamps, _extra FROM "+t.Name)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var stamps, extra []byte
				if err := rows.Scan(&stamps, &extra); err != nil {
					return err
				}
				fs, err := decodeFields(t, stamps, false)
				if err != nil {
					return err
				}
				if len(extra) > 0 {
					more, err := decodeFields(nil, extra, true)
					if err != nil {
						return err
					}
					fs = append(fs, more...)
				}
				for _, f := range fs {
					if !replaced[f.Stamp] {
						largest = max(largest, f.Stamp.HLC)
					}
				}
			}
			return rows.Err()
		}()
		if err != nil {
			return 0, fmt.Errorf("read the stamps of %s: %w", t.Name, err)
		}
	}
	return largest, nil
}

// restampOutbox replaces old stamps by fresh ones in the outbox entries and
// in the records they wrote, and returns how many entries changed.
func (w *writeTx) restampOutbox(out []Change, fresh map[Stamp]Stamp) (int, error) {
	swap := func(s *Stamp) bool {
		if n, ok := fresh[*s]; ok {
			*s = n
			return true
		}
		return false
	}
	changed := 0
	touched := map[rowKey]bool{}
	for _, ch := range out {
		hit := false
		for i := range ch.Fields {
			a := swap(&ch.Fields[i].Stamp)
			b := swap(&ch.Fields[i].Prev)
			hit = hit || a || b
		}
		if !hit {
			continue
		}
		data, err := encodeFields(w.r.tables[ch.Table], ch.Fields, true)
		if err != nil {
			return 0, fmt.Errorf("change %d: %w", ch.Seq, err)
		}
		if _, err := w.exec("UPDATE changes SET data = ? WHERE seq = ?", data, ch.Seq); err != nil {
			return 0, fmt.Errorf("rewrite change %d: %w", ch.Seq, err)
		}
		changed++
		if _, ok := w.r.tables[ch.Table]; ok {
			touched[rowKey{ch.Table, ch.ID}] = true
		}
	}
	keys := make([]rowKey, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].table != keys[j].table {
			return keys[i].table < keys[j].table
		}
		return keys[i].id.String() < keys[j].id.String()
	})
	for _, k := range keys {
		row, err := w.row(w.r.tables[k.table], k.id)
		if err != nil {
			return 0, err
		}
		if !row.exists {
			continue // left this office's scopes; the entry alone is sent
		}
		hit := false
		for i := range row.stamps {
			a := swap(&row.stamps[i].Stamp)
			b := swap(&row.stamps[i].Prev)
			hit = hit || a || b
		}
		for i := range row.extra {
			a := swap(&row.extra[i].Stamp)
			b := swap(&row.extra[i].Prev)
			hit = hit || a || b
		}
		if hit {
			w.markDirty(row)
		}
	}
	return changed, nil
}

// ClockAheadError reports a push the hub refused because this office's
// changes are stamped further ahead of the hub's clock than it accepts: the
// computer's clock runs fast (or ran fast when they were made). Nothing was
// lost: the changes stay in the outbox, and the sync pulled the others'
// work all the same. It wraps ErrClockSkew and the hub's answer.
type ClockAheadError struct {
	// Ahead is how far the office's latest stamp is ahead of the hub's
	// clock; ClockOffset is hub time minus office time, as Hello measured
	// it (negative: the office computer's clock is fast).
	Ahead, ClockOffset time.Duration
	// MaxSkew is how far ahead the hub accepts.
	MaxSkew time.Duration
	// Err is the hub's refusal; PullErr, when set, why the pull that
	// followed failed too.
	Err, PullErr error
}

// ClockWrong reports whether the computer's clock itself is still fast,
// rather than only stamps made while it was.
func (e *ClockAheadError) ClockWrong() bool { return -e.ClockOffset > e.MaxSkew }

// Minutes is how far ahead in whole minutes (at least 1): what a clerk is
// told. It is the computer's clock offset while that is wrong, else how far
// the latest stamp is ahead.
func (e *ClockAheadError) Minutes() int {
	ahead := e.Ahead
	if e.ClockWrong() {
		ahead = -e.ClockOffset
	}
	return max(1, int(math.Round(ahead.Minutes())))
}

func (e *ClockAheadError) Error() string {
	msg := fmt.Sprintf("push refused: this office's changes are stamped %s ahead of the hub's clock (at most %s is accepted); set the computer's clock right and sync again; nothing was lost: %v",
		e.Ahead.Round(time.Second), e.MaxSkew, e.Err)
	if e.PullErr != nil {
		msg += fmt.Sprintf("; the pull that followed failed too: %v", e.PullErr)
	}
	return msg
}

// Unwrap returns ErrClockSkew, the hub's refusal and the pull's failure.
func (e *ClockAheadError) Unwrap() []error {
	errs := []error{ErrClockSkew, e.Err}
	if e.PullErr != nil {
		errs = append(errs, e.PullErr)
	}
	return errs
}

// isClockSkewRefusal reports whether err is the hub refusing a push for
// stamps from the future (Hub.checkSkew).
func isClockSkewRefusal(err error) bool {
	return errors.Is(err, ErrClockSkew)
}

// settleClock runs after Hello: when the office computer's clock is right
// again (within the hub's maximum skew) but the replica's clock or its
// unsent changes are stamped further ahead of the hub's time than the hub
// accepts, it restamps them (Replica.Restamp), so that this sync's push is
// accepted instead of refused until real time catches up.
func (a *Agent) settleClock(ctx context.Context, hello HelloInfo) error {
	maxSkew, offset := hello.MaxSkew, hello.ClockOffset
	if hello.HubTime.IsZero() || maxSkew <= 0 || offset.Abs() > maxSkew {
		return nil // a clock still wrong would stamp the future again
	}
	limit := hello.HubTime.Add(maxSkew)
	if a.r.clock.value() <= HLCFromTime(limit) {
		return nil
	}
	res, err := a.r.Restamp(ctx, limit)
	if err != nil {
		return err
	}
	a.log.Info("the office clock was put right: its unsent changes were stamped again", "changes", res.Changes,
		"ahead_by", res.ClockBefore.Sub(res.ClockAfter).Round(time.Second))
	return nil
}

// afterPushFailed is what Sync returns when its push failed. A push the
// hub refused for stamps from the future still lets the office see the
// others' work: it pulls, then reports the refusal as a *ClockAheadError.
// Any other failure is returned as it came.
func (a *Agent) afterPushFailed(ctx context.Context, err error, hello HelloInfo, batch int, rep *SyncReport) error {
	if !isClockSkewRefusal(err) {
		return fmt.Errorf("push: %w", err)
	}
	e := &ClockAheadError{Err: err, ClockOffset: rep.ClockOffset,
		MaxSkew: hello.MaxSkew}
	hubNow := a.r.now().Add(rep.ClockOffset)
	if he := (*HubError)(nil); errors.As(err, &he) && !he.HubTime.IsZero() {
		hubNow = he.HubTime
	}
	e.Ahead = Stamp{HLC: a.r.clock.value()}.Time().Sub(hubNow)
	a.log.Warn("the hub refused this office's changes: stamped ahead of its clock; pulling all the same", "ahead", e.Ahead.Round(time.Second))
	if perr := a.pull(ctx, batch, rep, nil, nil); perr != nil {
		e.PullErr = perr
	}
	return e
}
