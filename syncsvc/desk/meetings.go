package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// MeetingInput is a meeting held (会议记录).
type MeetingInput struct {
	// BranchID is the branch that held it.
	BranchID uuid.UUID
	// Kind is the kind of meeting.
	Kind branch.MeetingKind
	// On is the day it was held.
	On cadre.Date
	// Topic is what it was about.
	Topic string
	// Attendance is who came, and who was absent and why, each member
	// once; members absent for health are owed 送学上门.
	Attendance []branch.Attendance
}

// AttendanceView is one member's attendance at a meeting.
type AttendanceView struct {
	// Attendance is as recorded.
	Attendance branch.Attendance
	// Cadre is the member.
	Cadre MemberRef
}

// DeliveryView is a 送学上门 visit made after a meeting.
type DeliveryView struct {
	// Delivery is as recorded.
	Delivery branch.Delivery
	// Cadre is the member visited.
	Cadre MemberRef
}

// MeetingView is a meeting with its attendance and visits.
type MeetingView struct {
	// Meeting is the meeting as stored.
	Meeting branch.Meeting
	// BranchName is the name of its branch; "" when the branch is not
	// held here.
	BranchName string
	// Attendance is the attendance, in the order recorded.
	Attendance []AttendanceView
	// Deliveries are the 送学上门 visits made, in the order recorded.
	Deliveries []DeliveryView
}

// RecordMeeting records a meeting held, with its attendance, in one
// transaction.
func RecordMeeting(ctx context.Context, r *store.Replica, in MeetingInput) (MeetingView, error) {
	b, err := r.Branch(ctx, in.BranchID)
	if err != nil {
		return MeetingView{}, fmt.Errorf("record a meeting of %s: %w", in.BranchID, err)
	}
	m := branch.Meeting{BranchID: b.ID, Kind: in.Kind, On: in.On, Topic: strings.TrimSpace(in.Topic), Attendance: in.Attendance}
	if m.Attendance == nil {
		m.Attendance = []branch.Attendance{}
	}
	if err := r.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.PutMeeting(&m)
		return err
	}); err != nil {
		return MeetingView{}, fmt.Errorf("record a meeting of %s: %w", in.BranchID, err)
	}
	ppl, err := peopleHeld(ctx, r, attendees(m)...)
	if err != nil {
		return MeetingView{}, fmt.Errorf("record a meeting of %s: %w", in.BranchID, err)
	}
	return viewOfMeeting(m, b.Name, ppl), nil
}

// ListMeetingsInput picks the meetings listed.
type ListMeetingsInput struct {
	// BranchID picks one branch's meetings; uuid.Nil all of them.
	BranchID uuid.UUID
	// Month picks one month's meetings; zero all of them.
	Month branch.Month
}

// ListMeetings lists the meetings held, by day, with their attendance and
// visits.
func ListMeetings(ctx context.Context, r *store.Replica, in ListMeetingsInput) ([]MeetingView, error) {
	out, err := listMeetings(ctx, r, in)
	if err != nil {
		return nil, fmt.Errorf("list meetings: %w", err)
	}
	return out, nil
}

func listMeetings(ctx context.Context, r *store.Replica, in ListMeetingsInput) ([]MeetingView, error) {
	f := store.MeetingFilter{BranchID: in.BranchID}
	if !in.Month.IsZero() {
		f.From, f.To = in.Month.First(), in.Month.Last()
	}
	ms, err := r.Meetings(ctx, f)
	if err != nil {
		return nil, err
	}
	bs, err := r.Branches(ctx, "")
	if err != nil {
		return nil, err
	}
	branchNames := map[uuid.UUID]string{}
	for _, b := range bs {
		branchNames[b.ID] = b.Name
	}
	var named []uuid.UUID
	for _, m := range ms {
		named = append(named, attendees(m)...)
	}
	ppl, err := peopleHeld(ctx, r, named...)
	if err != nil {
		return nil, err
	}
	out := make([]MeetingView, 0, len(ms))
	for _, m := range ms {
		out = append(out, viewOfMeeting(m, branchNames[m.BranchID], ppl))
	}
	return out, nil
}

// attendees are the cadres a meeting's record names: at it, or visited
// after it.
func attendees(m branch.Meeting) []uuid.UUID {
	var out []uuid.UUID
	for _, a := range m.Attendance {
		out = append(out, a.CadreID)
	}
	for _, d := range m.Deliveries {
		out = append(out, d.CadreID)
	}
	return out
}

func viewOfMeeting(m branch.Meeting, branchName string, ppl heldPeople) MeetingView {
	v := MeetingView{Meeting: m, BranchName: branchName, Attendance: []AttendanceView{}, Deliveries: []DeliveryView{}}
	for _, at := range m.Attendance {
		v.Attendance = append(v.Attendance, AttendanceView{Attendance: at, Cadre: ppl.ref(at.CadreID)})
	}
	for _, d := range m.Deliveries {
		v.Deliveries = append(v.Deliveries, DeliveryView{Delivery: d, Cadre: ppl.ref(d.CadreID)})
	}
	return v
}

// ErrDeliveryBeforeMeeting: a 送学上门 visit is dated before the meeting
// whose study it takes.
var ErrDeliveryBeforeMeeting = errors.New("the visit is before the meeting")

// DeliveryBeforeMeetingError is ErrDeliveryBeforeMeeting with the dates.
type DeliveryBeforeMeetingError struct {
	// On is the day of the visit.
	On cadre.Date
	// MeetingOn is the day of the meeting.
	MeetingOn cadre.Date
}

// Error says what was refused and why.
func (e *DeliveryBeforeMeetingError) Error() string {
	return fmt.Sprintf("visit on %s, meeting on %s: %v", e.On, e.MeetingOn, ErrDeliveryBeforeMeeting)
}

// Unwrap returns ErrDeliveryBeforeMeeting.
func (e *DeliveryBeforeMeetingError) Unwrap() error { return ErrDeliveryBeforeMeeting }

// DeliverInput is a 送学上门 visit: a meeting's study taken to the home of
// a member.
type DeliverInput struct {
	// MeetingID is the meeting.
	MeetingID uuid.UUID
	// CadreID is the member visited.
	CadreID uuid.UUID
	// On is the day of the visit, on or after the meeting.
	On cadre.Date
	// Note is who went and what was studied.
	Note string
}

// DeliveryRecord is what DeliverStudy recorded.
type DeliveryRecord struct {
	// Meeting is the meeting, as it was before the visit was added.
	Meeting branch.Meeting
	// Cadre is the member visited.
	Cadre cadre.Cadre
	// Delivery is the visit recorded.
	Delivery branch.Delivery
	// Changed is false when the visit was recorded already, exactly so.
	Changed bool
	// Owed is whether the member was recorded absent ill from the
	// meeting: only such a visit counts as a 送学上门 owed.
	Owed bool
}

// DeliverStudy records that a meeting's study was taken to the home of a
// member absent for health (送学上门).
func DeliverStudy(ctx context.Context, r *store.Replica, in DeliverInput) (DeliveryRecord, error) {
	out, err := deliverStudy(ctx, r, in)
	if err != nil {
		return DeliveryRecord{}, fmt.Errorf("record the study of meeting %s taken to %s: %w", in.MeetingID, in.CadreID, err)
	}
	return out, nil
}

func deliverStudy(ctx context.Context, r *store.Replica, in DeliverInput) (out DeliveryRecord, err error) {
	err = r.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.Meeting(in.MeetingID)
		if err != nil {
			return err
		}
		c, err := tx.Cadre(in.CadreID)
		if err != nil {
			return err
		}
		if in.On.Before(m.On) {
			return &DeliveryBeforeMeetingError{On: in.On, MeetingOn: m.On}
		}
		out = DeliveryRecord{Meeting: m, Cadre: c, Delivery: branch.Delivery{CadreID: c.ID, On: in.On, Note: strings.TrimSpace(in.Note)}}
		for _, at := range m.Attendance {
			out.Owed = out.Owed || (at.CadreID == c.ID && !at.Present && at.Absence == branch.AbsenceHealth)
		}
		out.Changed, err = tx.AddDelivery(m.ID, out.Delivery)
		return err
	})
	if err != nil {
		return DeliveryRecord{}, err
	}
	return out, nil
}
