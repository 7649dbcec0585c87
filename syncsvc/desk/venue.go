package desk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// Errors of venues and the four-nearby program.
var (
	// ErrUnknownCommunity: the community was never registered (a typo
	// must not make a community of its own). It wraps
	// syncsvc.ErrNotFound.
	ErrUnknownCommunity = fmt.Errorf("community is not registered: %w", syncsvc.ErrNotFound)
	// ErrClosedAlready: the venue is closed from that day or earlier.
	ErrClosedAlready = errors.New("venue is closed already")
	// ErrEnrolmentOverlap: the community has another enrolment over the
	// same days; it is wrapped by an *EnrolmentError.
	ErrEnrolmentOverlap = errors.New("enrolment overlaps another")
)

// CommunityNames maps the communities registered in the replica to their
// names.
func CommunityNames(ctx context.Context, rep *store.Replica) (map[string]string, error) {
	cs, err := rep.Communities(ctx)
	if err != nil {
		return nil, fmt.Errorf("community names: %w", err)
	}
	out := make(map[string]string, len(cs))
	for _, c := range cs {
		out[c.Code] = c.Name
	}
	return out, nil
}

// knownCommunity refuses a community the replica never registered; the
// district is always known.
func knownCommunity(ctx context.Context, rep *store.Replica, code string) error {
	if code == cadre.DistrictScope {
		return nil
	}
	names, err := CommunityNames(ctx, rep)
	if err != nil {
		return err
	}
	if _, ok := names[code]; !ok {
		return fmt.Errorf("community %s: %w", code, ErrUnknownCommunity)
	}
	return nil
}

// AddVenue registers a venue at the hub in a registered community (or
// cadre.DistrictScope) and returns it with its id. An unregistered
// community wraps ErrUnknownCommunity; an invalid venue, the venue
// package's validation error.
func AddVenue(ctx context.Context, rep *store.Replica, v venue.Venue) (venue.Venue, error) {
	if err := knownCommunity(ctx, rep, v.Community); err != nil {
		return v, fmt.Errorf("add venue: %w", err)
	}
	err := rep.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutVenue(&v)
		return err
	})
	if err != nil {
		return v, fmt.Errorf("add venue: %w", err)
	}
	return v, nil
}

// VenueClosing closes a venue for good.
type VenueClosing struct {
	// VenueID is the venue.
	VenueID uuid.UUID
	// On is the first day it is closed.
	On cadre.Date
}

// CloseVenue records that a venue closes for good from a day: it no longer
// covers anyone from then. A venue closed from that day or earlier wraps
// ErrClosedAlready (the venue as stored is returned with it).
func CloseVenue(ctx context.Context, rep *store.Replica, in VenueClosing) (venue.Venue, error) {
	var v venue.Venue
	err := rep.Update(ctx, func(tx *store.Tx) (err error) {
		if v, err = tx.Venue(in.VenueID); err != nil {
			return err
		}
		if !v.ClosedOn.IsZero() && !v.ClosedOn.After(in.On) {
			return ErrClosedAlready
		}
		v.ClosedOn = in.On
		_, err = tx.PutVenue(&v)
		return err
	})
	if err != nil {
		return v, fmt.Errorf("close venue %s: %w", in.VenueID, err)
	}
	return v, nil
}

// EnrolmentInput enrols a community in the four-nearby program, or changes
// its enrolment that begins on the same day.
type EnrolmentInput struct {
	// Community is the community's code.
	Community string
	// Stage is the program's stage; "" keeps an enrolment's stage, or
	// makes a new one venue.StageExtended.
	Stage venue.Stage
	// Since is the first day in the program; the community and Since name
	// the enrolment.
	Since cadre.Date
	// Until is the first day out of it; zero for no end.
	Until cadre.Date
	// SetUntil says whether Until is given: an enrolment changed keeps its
	// end otherwise.
	SetUntil bool
}

// EnrolmentError is an enrolment that overlaps another of the community.
type EnrolmentError struct {
	// Other is the enrolment in the way.
	Other venue.Enrolment
	// Err is ErrEnrolmentOverlap.
	Err error
}

func (e *EnrolmentError) Error() string {
	return fmt.Sprintf("enrolment of %s from %s: %v", e.Other.Community, e.Other.Since, e.Err)
}

// Unwrap returns the condition, for errors.Is.
func (e *EnrolmentError) Unwrap() error { return e.Err }

// Enrolled is an enrolment stored.
type Enrolled struct {
	// Enrolment is the record as stored.
	Enrolment venue.Enrolment
	// Changed is false when it was stored so already.
	Changed bool
}

// Enrol enrols a community in the four-nearby program from in.Since, or
// changes the stage or end of its enrolment from that day. An enrolment
// that would overlap another of the community returns an
// *EnrolmentError; an unregistered community wraps ErrUnknownCommunity.
func Enrol(ctx context.Context, rep *store.Replica, in EnrolmentInput) (Enrolled, error) {
	if err := knownCommunity(ctx, rep, in.Community); err != nil {
		return Enrolled{}, fmt.Errorf("enrol: %w", err)
	}
	var out Enrolled
	err := rep.Update(ctx, func(tx *store.Tx) error {
		all, err := tx.Enrolments()
		if err != nil {
			return err
		}
		next, err := enrolment(all, in)
		if err != nil {
			return err
		}
		changed, err := tx.PutEnrolment(&next)
		out = Enrolled{Enrolment: next, Changed: changed}
		return err
	})
	if err != nil {
		return Enrolled{}, fmt.Errorf("enrol %s: %w", in.Community, err)
	}
	return out, nil
}

// enrolment is the enrolment in makes of the enrolments all.
func enrolment(all []venue.Enrolment, in EnrolmentInput) (venue.Enrolment, error) {
	next := venue.Enrolment{Community: in.Community, Stage: cmp.Or(in.Stage, venue.StageExtended), Since: in.Since, Until: in.Until}
	// The same community and first day name the same enrolment: what the
	// input gives changes it.
	if i := slices.IndexFunc(all, func(old venue.Enrolment) bool { return old.Community == in.Community && old.Since == in.Since }); i >= 0 {
		next = all[i]
		if in.Stage != "" {
			next.Stage = in.Stage
		}
		if in.SetUntil {
			next.Until = in.Until
		}
	}
	for _, old := range all {
		if old.Community == in.Community && old.ID != next.ID && overlaps(old, next) {
			return next, &EnrolmentError{Other: old, Err: ErrEnrolmentOverlap}
		}
	}
	return next, nil
}

// overlaps reports whether two spans of days [since, until) meet; a zero
// until is open.
func overlaps(x, y venue.Enrolment) bool {
	before := func(end, start cadre.Date) bool { return !end.IsZero() && !end.After(start) }
	return !before(x.Until, y.Since) && !before(y.Until, x.Since)
}
