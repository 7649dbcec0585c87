package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Errors of help cases, wrapped by a *HelpCaseError.
var (
	// ErrCaseClosed: the help case was closed already.
	ErrCaseClosed = errors.New("help case is closed")
	// ErrBeforeOpened: the time given is before the case was opened.
	ErrBeforeOpened = errors.New("time is before the case was opened")
	// ErrBeforeFirstAction: a closing time is before the first action.
	ErrBeforeFirstAction = errors.New("time is before the first action")
	// ErrNotClosing: the status given to close a case is not a closed one.
	ErrNotClosing = errors.New("status does not close a case")
)

// HelpCaseError is an action that does not fit a help case: it wraps
// ErrCaseClosed, ErrFuture, ErrBeforeOpened, ErrBeforeFirstAction or
// ErrNotClosing.
type HelpCaseError struct {
	// Case is the case as it is stored (for ErrFuture on opening, the case
	// that was to be opened).
	Case care.HelpCase
	// At is the time given.
	At time.Time
	// Err is the condition.
	Err error
}

func (e *HelpCaseError) Error() string {
	return fmt.Sprintf("help case %s at %s: %v", e.Case.ID, e.At.Format(time.RFC3339), e.Err)
}

// Unwrap returns the condition, for errors.Is.
func (e *HelpCaseError) Unwrap() error { return e.Err }

// when is the time at, or now when at is zero. A time to come is refused,
// and so is one before after, except within after's minute, which is taken
// as after (times are given to the minute).
func when(hc care.HelpCase, at, after, now time.Time) (time.Time, error) {
	if at.IsZero() {
		return now, nil
	}
	switch {
	case at.After(now):
		return at, &HelpCaseError{Case: hc, At: at, Err: ErrFuture}
	case !after.IsZero() && at.Before(after.Truncate(time.Minute)):
		return at, &HelpCaseError{Case: hc, At: at, Err: ErrBeforeOpened}
	case at.Before(after):
		return after, nil
	}
	return at, nil
}

// AddNote appends a note to what a text of a case already says, so that
// nothing written earlier is lost: the request and each action in the note,
// or what an older version kept in the resolution before the outcome.
func AddNote(old, note string) string {
	note = strings.TrimSpace(note)
	switch {
	case note == "":
		return old
	case old == "":
		return note
	}
	return old + "；" + note
}

// HelpOpening is a request for help.
type HelpOpening struct {
	// CadreID is the cadre asking.
	CadreID uuid.UUID
	// Kind is what help is asked for.
	Kind care.HelpKind
	// Urgent marks a special case handled at once (特事特办).
	Urgent bool
	// At is when the request came; zero for now.
	At time.Time
	// Note is what is asked.
	Note string
}

// OpenHelpCase opens a help case for a cadre, at in.At or now.
func OpenHelpCase(ctx context.Context, rep *store.Replica, now time.Time, in HelpOpening) (care.HelpCase, error) {
	hc := care.HelpCase{CadreID: in.CadreID, Kind: in.Kind, Urgent: in.Urgent, Status: care.HelpOpen, Note: strings.TrimSpace(in.Note)}
	opened, err := when(hc, in.At, time.Time{}, now)
	if err != nil {
		return hc, err
	}
	hc.Opened = opened
	return putHelpCase(ctx, rep, hc)
}

// HelpAction is something done on a help case.
type HelpAction struct {
	// CaseID is the case.
	CaseID uuid.UUID
	// At is when it was done; zero for now.
	At time.Time
	// Note is what was done; it is added to the case's note after the
	// time.
	Note string
}

// ActedCase is a help case after an action.
type ActedCase struct {
	// Case is the case as stored.
	Case care.HelpCase
	// At is the time of the action recorded.
	At time.Time
	// First is true when this was the case's first action.
	First bool
}

// ActOnHelpCase records that someone acted on a help case: it is then in
// progress, and an urgent case no longer waits unattended. The first action
// keeps the earliest time given.
func ActOnHelpCase(ctx context.Context, rep *store.Replica, now time.Time, in HelpAction) (ActedCase, error) {
	var out ActedCase
	err := rep.Update(ctx, func(tx *store.Tx) error {
		hc, err := tx.HelpCase(in.CaseID)
		if err != nil {
			return err
		}
		if hc.Status.Closed() {
			return &HelpCaseError{Case: hc, At: in.At, Err: ErrCaseClosed}
		}
		at, err := when(hc, in.At, hc.Opened, now)
		if err != nil {
			return err
		}
		first := hc.FirstActionAt.IsZero()
		if first || at.Before(hc.FirstActionAt) {
			hc.FirstActionAt = at
		}
		if hc.Status == care.HelpOpen {
			hc.Status = care.HelpInProgress
		}
		if note := strings.TrimSpace(in.Note); note != "" {
			hc.Note = AddNote(hc.Note, display.Time(at, "-")+" "+note)
		}
		if _, err := tx.PutHelpCase(&hc); err != nil {
			return err
		}
		out = ActedCase{Case: hc, At: at, First: first}
		return nil
	})
	if err != nil {
		return ActedCase{}, fmt.Errorf("act on help case %s: %w", in.CaseID, err)
	}
	return out, nil
}

// HelpClosing is how a help case ended.
type HelpClosing struct {
	// CaseID is the case.
	CaseID uuid.UUID
	// Status is care.HelpResolved, or care.HelpExplained where it cannot
	// be resolved.
	Status care.HelpStatus
	// At is when it was closed; zero for now.
	At time.Time
	// Resolution is what was done, or why it cannot be; it is added to
	// the case's resolution.
	Resolution string
}

// CloseHelpCase closes a help case.
func CloseHelpCase(ctx context.Context, rep *store.Replica, now time.Time, in HelpClosing) (ActedCase, error) {
	var out ActedCase
	err := rep.Update(ctx, func(tx *store.Tx) error {
		hc, err := tx.HelpCase(in.CaseID)
		if err != nil {
			return err
		}
		if !in.Status.Closed() {
			return &HelpCaseError{Case: hc, At: in.At, Err: ErrNotClosing}
		}
		if hc.Status.Closed() {
			return &HelpCaseError{Case: hc, At: in.At, Err: ErrCaseClosed}
		}
		at, err := when(hc, in.At, hc.Opened, now)
		if err != nil {
			return err
		}
		if !hc.FirstActionAt.IsZero() && at.Before(hc.FirstActionAt) {
			return &HelpCaseError{Case: hc, At: at, Err: ErrBeforeFirstAction}
		}
		hc.Status, hc.Closed, hc.Resolution = in.Status, at, AddNote(hc.Resolution, in.Resolution)
		if _, err := tx.PutHelpCase(&hc); err != nil {
			return err
		}
		out = ActedCase{Case: hc, At: at}
		return nil
	})
	if err != nil {
		return ActedCase{}, fmt.Errorf("close help case %s: %w", in.CaseID, err)
	}
	return out, nil
}

// putHelpCase stores a help case in one transaction.
func putHelpCase(ctx context.Context, rep *store.Replica, hc care.HelpCase) (care.HelpCase, error) {
	err := rep.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutHelpCase(&hc)
		return err
	})
	if err != nil {
		return hc, fmt.Errorf("help case %s: %w", hc.ID, err)
	}
	return hc, nil
}

// HelpList is the help cases as of a moment.
type HelpList struct {
	// Unattended are the urgent cases nobody acted on in time, first.
	Unattended []care.HelpCase
	// Others are the other cases (only those not closed, when asked
	// for), in the replica's order.
	Others []care.HelpCase
	// Summary counts every case by kind.
	Summary []care.KindSummary
	// UrgentWithin is how soon the district's setting wants an urgent
	// case acted on.
	UrgentWithin time.Duration
}

// HelpCases lists the help cases as of now: the urgent ones nobody acted
// on in time first, then the others (only those not closed when openOnly
// is set), and a count per kind of them all.
func HelpCases(ctx context.Context, rep *store.Replica, now time.Time, openOnly bool) (HelpList, error) {
	all, err := rep.HelpCases(ctx, store.HelpFilter{})
	if err != nil {
		return HelpList{}, fmt.Errorf("help cases: %w", err)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return HelpList{}, fmt.Errorf("help cases: %w", err)
	}
	s := rules.Help
	out := HelpList{Unattended: care.UrgentUnattended(all, now, s), Others: []care.HelpCase{}, Summary: care.HelpSummary(all), UrgentWithin: s.UrgentWithin}
	flagged := map[uuid.UUID]bool{}
	for _, c := range out.Unattended {
		flagged[c.ID] = true
	}
	for _, c := range all {
		if !flagged[c.ID] && (!openOnly || !c.Status.Closed()) {
			out.Others = append(out.Others, c)
		}
	}
	return out, nil
}
