package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// TrainingInput is a cadre's attendance at a training course.
type TrainingInput struct {
	// CadreID is the cadre.
	CadreID uuid.UUID
	// Course is the course, such as 2026年度支部书记培训班.
	Course string
	// On is the day attended (the last day of a longer course).
	On cadre.Date
}

// TrainingRecord is what RecordTraining recorded.
type TrainingRecord struct {
	// Attendance is the record written.
	Attendance branch.TrainingAttendance
	// Cadre is the cadre who attended.
	Cadre cadre.Cadre
}

// RecordTraining records that a cadre attended a training course, such as
// the yearly course for branch secretaries (支部书记培训班).
func RecordTraining(ctx context.Context, r *store.Replica, in TrainingInput) (TrainingRecord, error) {
	var out TrainingRecord
	err := r.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.Cadre(in.CadreID)
		if err != nil {
			return err
		}
		out = TrainingRecord{Attendance: branch.TrainingAttendance{CadreID: c.ID, Course: strings.TrimSpace(in.Course), On: in.On}, Cadre: c}
		_, err = tx.PutTraining(&out.Attendance)
		return err
	})
	if err != nil {
		return TrainingRecord{}, fmt.Errorf("record training of %s: %w", in.CadreID, err)
	}
	return out, nil
}

// FeedbackInput is an opinion of the people a branch serves (群众反映).
type FeedbackInput struct {
	// BranchID is the branch.
	BranchID uuid.UUID
	// On is the day it was received.
	On cadre.Date
	// Good is whether it was favourable.
	Good bool
	// Source is where it came from, such as 居民座谈会.
	Source string
	// Note is what was said.
	Note string
}

// FeedbackRecord is what RecordFeedback recorded.
type FeedbackRecord struct {
	// Feedback is the record written.
	Feedback branch.Feedback
	// Branch is the branch it is about.
	Branch branch.Branch
}

// RecordFeedback records an opinion about a branch, which the 五好
// assessment counts.
func RecordFeedback(ctx context.Context, r *store.Replica, in FeedbackInput) (FeedbackRecord, error) {
	var out FeedbackRecord
	err := r.Update(ctx, func(tx *store.Tx) error {
		b, err := tx.Branch(in.BranchID)
		if err != nil {
			return err
		}
		out = FeedbackRecord{Feedback: branch.Feedback{BranchID: b.ID, On: in.On, Good: in.Good, Source: strings.TrimSpace(in.Source), Note: strings.TrimSpace(in.Note)}, Branch: b}
		_, err = tx.PutFeedback(&out.Feedback)
		return err
	})
	if err != nil {
		return FeedbackRecord{}, fmt.Errorf("record feedback about %s: %w", in.BranchID, err)
	}
	return out, nil
}
