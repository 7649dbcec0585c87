package desk

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// StayInput is a hospital admission or discharge.
type StayInput struct {
	// CadreID is the cadre admitted or discharged.
	CadreID uuid.UUID
	// On is the day, not after today.
	On cadre.Date
}

// StayError is an admission or discharge that does not fit the cadre's
// stays. It wraps ErrStayOpen, ErrStayOverlap, ErrNoOpenStay or
// ErrBeforeAdmission.
type StayError struct {
	// Stay is the stay in the way: the open one, the one the day falls
	// in, or the one a discharge is before; zero for ErrNoOpenStay.
	Stay care.HospitalStay
	// Err is the condition.
	Err error
}

func (e *StayError) Error() string {
	return fmt.Sprintf("hospital stay of cadre %s: %v", e.Stay.CadreID, e.Err)
}

// Unwrap returns the condition, for errors.Is.
func (e *StayError) Unwrap() error { return e.Err }

// RecordedStay is a hospital stay recorded and the visit it makes due.
type RecordedStay struct {
	// Stay is the stay as stored.
	Stay care.HospitalStay
	// Cadre is the cadre in hospital.
	Cadre cadre.Cadre
	// Due is the visit the admission or discharge makes due as of its
	// day, nil when none is (a visit made already counts).
	Due *DueVisit
	// HelperNames are the names of the helpers held here, by id.
	HelperNames map[uuid.UUID]string
}

// AdmitToHospital records that a cadre was admitted to hospital; a prompt
// hospital visit falls due. It is refused (*StayError) while an earlier
// stay has no discharge, or when the day falls in an earlier stay.
func AdmitToHospital(ctx context.Context, rep *store.Replica, now time.Time, in StayInput) (RecordedStay, error) {
	if err := notAfter("admission on", in.On, now); err != nil {
		return RecordedStay{}, err
	}
	return putStay(ctx, rep, in.CadreID, care.DueAdmission, func(stays []care.HospitalStay) (care.HospitalStay, error) {
		for _, s := range stays {
			switch {
			case s.Discharged.IsZero():
				return s, &StayError{Stay: s, Err: ErrStayOpen}
			case s.In(in.On):
				return s, &StayError{Stay: s, Err: ErrStayOverlap}
			}
		}
		return care.HospitalStay{CadreID: in.CadreID, Admitted: in.On}, nil
	})
}

// DischargeFromHospital records that a cadre in hospital went home: the
// latest stay with no discharge ends on the day, and a home visit or call
// falls due. With no open stay it returns a *StayError wrapping
// ErrNoOpenStay; a day before the admission, ErrBeforeAdmission.
func DischargeFromHospital(ctx context.Context, rep *store.Replica, now time.Time, in StayInput) (RecordedStay, error) {
	if err := notAfter("discharge on", in.On, now); err != nil {
		return RecordedStay{}, err
	}
	return putStay(ctx, rep, in.CadreID, care.DueDischarge, func(stays []care.HospitalStay) (care.HospitalStay, error) {
		var open []care.HospitalStay
		for _, s := range stays {
			if s.Discharged.IsZero() {
				open = append(open, s)
			}
		}
		if len(open) == 0 {
			return care.HospitalStay{}, &StayError{Stay: care.HospitalStay{CadreID: in.CadreID}, Err: ErrNoOpenStay}
		}
		// The latest, should two offices have each recorded one.
		s := open[len(open)-1]
		if in.On.Before(s.Admitted) {
			return s, &StayError{Stay: s, Err: ErrBeforeAdmission}
		}
		s.Discharged = in.On
		return s, nil
	})
}

// putStay reads the cadre's stays, makes the stay to store of them with
// next, and stores it, in one transaction; then it finds the visit of kind
// the stay makes due.
func putStay(ctx context.Context, rep *store.Replica, cadreID uuid.UUID, kind care.DueKind,
	next func([]care.HospitalStay) (care.HospitalStay, error)) (RecordedStay, error) {
	var c cadre.Cadre
	var s care.HospitalStay
	err := rep.Update(ctx, func(tx *store.Tx) (err error) {
		if c, err = tx.Cadre(cadreID); err != nil {
			return err
		}
		stays, err := tx.HospitalStays(cadreID)
		if err != nil {
			return err
		}
		if s, err = next(stays); err != nil {
			return err
		}
		_, err = tx.PutHospitalStay(&s)
		return err
	})
	if err != nil {
		return RecordedStay{}, fmt.Errorf("hospital stay of cadre %s: %w", cadreID, err)
	}
	on := s.Admitted
	if kind == care.DueDischarge {
		on = s.Discharged
	}
	out := RecordedStay{Stay: s, Cadre: c}
	dues, names, err := scheduleOf(ctx, rep, c, on)
	if err != nil {
		return out, fmt.Errorf("hospital stay of cadre %s: %w", s.CadreID, err)
	}
	out.HelperNames = names
	for _, d := range dues {
		if d.Due.Kind == kind && d.Due.StayID == s.ID {
			out.Due = &d
			break
		}
	}
	return out, nil
}
