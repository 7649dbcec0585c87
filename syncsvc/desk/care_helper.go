package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Errors of ending a helper, wrapped by a *HelperError.
var (
	// ErrBeforeStart: the helper is to end before beginning to serve.
	ErrBeforeStart = errors.New("day is before the helper began serving")
	// ErrAlreadyLeft: the helper left before the day given.
	ErrAlreadyLeft = errors.New("the helper left already")
)

// HelperError is an end that does not fit a helper. It wraps
// ErrBeforeStart or ErrAlreadyLeft.
type HelperError struct {
	// Helper is the helper as stored.
	Helper care.Helper
	// Err is the condition.
	Err error
}

func (e *HelperError) Error() string { return fmt.Sprintf("helper %s: %v", e.Helper.ID, e.Err) }

// Unwrap returns the condition, for errors.Is.
func (e *HelperError) Unwrap() error { return e.Err }

// HelperInput is a helper to add at the hub.
type HelperInput struct {
	// Name is the helper's name.
	Name string
	// Base is where the helper sets out from, nil when unknown; distances
	// are measured from it.
	Base *cadre.Location
	// Capacity is how many cadres the helper takes, 0 for the district's
	// setting.
	Capacity int
	// From is the first day the helper serves.
	From cadre.Date
}

// HelperView is a helper with what the district's settings make of it.
type HelperView struct {
	// Helper is the record as stored.
	Helper care.Helper
	// Capacity is how many cadres the helper takes: its own capacity or
	// the district's.
	Capacity int
}

// AddHelper adds a helper who takes cadres in 1对5 pairing. An invalid
// helper wraps the care package's validation error.
func AddHelper(ctx context.Context, rep *store.Replica, in HelperInput) (HelperView, error) {
	h := care.Helper{Name: strings.TrimSpace(in.Name), Base: in.Base, Capacity: in.Capacity, ActiveFrom: in.From}
	err := rep.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutHelper(&h)
		return err
	})
	if err != nil {
		return HelperView{}, fmt.Errorf("add helper: %w", err)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return HelperView{Helper: h}, fmt.Errorf("add helper: %w", err)
	}
	return HelperView{Helper: h, Capacity: rules.Assign.CapacityOf(h)}, nil
}

// EndedHelper is what EndHelper wrote.
type EndedHelper struct {
	HelperView
	// Ended are the helper's pairs that end on the day, as stored.
	Ended []care.Pair
	// Changed is false when the helper was recorded as leaving that day
	// already and nothing was written.
	Changed bool
}

// HelperEnd is a helper's last day of service ending.
type HelperEnd struct {
	// HelperID is the helper.
	HelperID uuid.UUID
	// On is the first day the helper no longer serves.
	On cadre.Date
}

// EndHelper records that a helper no longer serves from a day and ends the
// helper's pairs that day (a pair that had not begun ends on its first
// day), so that the next assignment pairs those cadres again; the helper
// and its pairs are read and written in one transaction.
func EndHelper(ctx context.Context, rep *store.Replica, in HelperEnd) (EndedHelper, error) {
	on := in.On
	var h care.Helper
	var out EndedHelper
	err := rep.Update(ctx, func(tx *store.Tx) (err error) {
		if h, err = tx.Helper(in.HelperID); err != nil {
			return err
		}
		switch {
		case on.Before(h.ActiveFrom):
			return &HelperError{Helper: h, Err: ErrBeforeStart}
		case !h.ActiveTo.IsZero() && h.ActiveTo.Before(on):
			return &HelperError{Helper: h, Err: ErrAlreadyLeft}
		}
		ps, err := tx.Pairs(store.PairFilter{HelperID: h.ID})
		if err != nil {
			return err
		}
		h.ActiveTo = on
		out = EndedHelper{Ended: []care.Pair{}}
		changed, err := tx.PutHelper(&h)
		if err != nil {
			return err
		}
		out.Changed = changed
		for _, p := range ps {
			end := on
			if end.Before(p.From) {
				end = p.From
			}
			if !p.To.IsZero() && !p.To.After(end) {
				continue
			}
			p.To, p.EndReason = end, care.EndHelperInactive
			if _, err := tx.PutPair(&p); err != nil {
				return err
			}
			out.Changed = true
			out.Ended = append(out.Ended, p)
		}
		return nil
	})
	if err != nil {
		return EndedHelper{}, fmt.Errorf("end helper %s: %w", in.HelperID, err)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return out, fmt.Errorf("end helper: %w", err)
	}
	out.HelperView = HelperView{Helper: h, Capacity: rules.Assign.CapacityOf(h)}
	return out, nil
}

// ListedHelper is a helper as a list shows it on a day.
type ListedHelper struct {
	HelperView
	// Pairs counts the helper's pairs in force on the day held here.
	Pairs int
}

// Helpers lists the helpers serving on a day (every helper when all is
// set), with their capacity and the pairs in force held here, in the
// replica's order.
func Helpers(ctx context.Context, rep *store.Replica, on cadre.Date, all bool) ([]ListedHelper, error) {
	f := store.HelperFilter{ActiveOn: on}
	if all {
		f = store.HelperFilter{}
	}
	hs, err := rep.Helpers(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("helpers: %w", err)
	}
	ps, err := rep.Pairs(ctx, store.PairFilter{OpenOn: on})
	if err != nil {
		return nil, fmt.Errorf("helpers: %w", err)
	}
	counts := map[uuid.UUID]int{}
	for _, p := range ps {
		counts[p.HelperID]++
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return nil, fmt.Errorf("helpers: %w", err)
	}
	out := make([]ListedHelper, 0, len(hs))
	for _, h := range hs {
		out = append(out, ListedHelper{HelperView: HelperView{Helper: h, Capacity: rules.Assign.CapacityOf(h)}, Pairs: counts[h.ID]})
	}
	return out, nil
}
