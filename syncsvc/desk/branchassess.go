package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ErrYearOutOfRange: a year assessed is before 1949 or after the date of
// the assessment.
var ErrYearOutOfRange = errors.New("the year assessed is out of range")

// FirstAssessYear is the first year a branch can be assessed for.
const FirstAssessYear = 1949

// CheckAssessYear returns ErrYearOutOfRange unless year can be assessed on
// the date on: from 1949 to on's year.
func CheckAssessYear(year int, on cadre.Date) error {
	if year < FirstAssessYear || year > on.Year {
		return fmt.Errorf("year %d, assessed on %s: %w", year, on, ErrYearOutOfRange)
	}
	return nil
}

// AssessInput names the branch and year assessed.
type AssessInput struct {
	// BranchID is the branch.
	BranchID uuid.UUID
	// Year is the year assessed.
	Year int
	// On is the date of the assessment: in its own year only what was done
	// by then counts.
	On cadre.Date
	// Criteria are the criteria assessed against; branch.FiveGood() when
	// it has none.
	Criteria branch.CriteriaSet
}

// AssessmentView is an assessment of a branch.
type AssessmentView struct {
	// Branch is the branch assessed.
	Branch branch.Branch
	// On is the date of the assessment.
	On cadre.Date
	// Assessment is branch.Assess's result, with its evidence.
	Assessment branch.Assessment
}

// AssessBranch assesses a branch for a year against criteria (五好 by
// default) from the evidence recorded here; the title is for the Party
// organisation to confer.
func AssessBranch(ctx context.Context, r *store.Replica, in AssessInput) (AssessmentView, error) {
	if err := CheckAssessYear(in.Year, in.On); err != nil {
		return AssessmentView{}, fmt.Errorf("assess branch %s: %w", in.BranchID, err)
	}
	b, err := r.Branch(ctx, in.BranchID)
	if err != nil {
		return AssessmentView{}, fmt.Errorf("assess branch %s: %w", in.BranchID, err)
	}
	ev, err := AssessmentEvidence(ctx, r, b, in.Year, in.On)
	if err != nil {
		return AssessmentView{}, fmt.Errorf("assess branch %s for %d: %w", in.BranchID, in.Year, err)
	}
	criteria := in.Criteria
	if len(criteria.Criteria) == 0 {
		criteria = branch.FiveGood()
	}
	return AssessmentView{Branch: b, On: in.On, Assessment: branch.Assess(b, ev, in.Year, criteria)}, nil
}

// AssessmentEvidence reads the evidence about b for year, as of on. Records
// of other branches and cadres may be included: each measure picks out its
// own.
func AssessmentEvidence(ctx context.Context, r *store.Replica, b branch.Branch, year int, on cadre.Date) (branch.AssessmentInput, error) {
	in := branch.AssessmentInput{}
	if year == on.Year {
		in.On = on
	}
	ppl, err := peopleHeld(ctx, r)
	if err != nil {
		return in, err
	}
	rec, err := readBranchRecords(ctx, r, b.ID)
	if err != nil {
		return in, err
	}
	in.Members = branch.MembersDuring(rec.memberships, cadre.Through(cadre.NewDate(year, time.January, 1), cadre.NewDate(year, time.December, 31)), ppl)
	in.Posts, in.Meetings = rec.posts, rec.meetings
	if in.Memberships, err = r.Memberships(ctx, store.MembershipFilter{}); err != nil {
		return in, err
	}
	if in.Payments, err = r.DuesPayments(ctx, uuid.Nil); err != nil {
		return in, err
	}
	if in.Reliefs, err = r.DuesReliefs(ctx, uuid.Nil); err != nil {
		return in, err
	}
	if in.Training, err = r.Trainings(ctx, uuid.Nil); err != nil {
		return in, err
	}
	in.Feedback, err = r.Feedback(ctx, b.ID)
	return in, err
}
