package store

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/venue"
)

// The rules of the record types, on a stored record: each record is
// read back as its typed method reads it and checked with the same
// domain rule its Put… method applies before writing (PutCadre's
// cadre.Validate, PutVisit's care.Visit.Validate…). What those methods
// check against other records here (that a cadre or a branch referred to
// is live, that memberships do not overlap, that an ID number is not
// registered twice) is not asked: on the hub the other record may be
// voided or changed concurrently by another office, which the merge, the
// conflicts and the duplicate list answer, not a refusal.

// rule returns the rule of a record type (RecordType.Check), its
// problems worded for staff in Chinese too (a syncsvc.ChineseError).
func rule(name string) func(syncsvc.Columns, time.Time) error {
	check := check(name)
	if check == nil {
		return nil
	}
	return func(cols syncsvc.Columns, asOf time.Time) error {
		err := check(cols, asOf)
		var ve *cadre.ValidationError
		if errors.As(err, &ve) {
			return &ruleError{table: name, ValidationError: ve}
		}
		return err
	}
}

// ruleError is a record the rule of its type refuses: the domain's
// *cadre.ValidationError, worded in Chinese for the hub's reason.
type ruleError struct {
	table string
	*cadre.ValidationError
}

// Chinese words the problems: "字段：问题；…", a cadre's fields by their
// Chinese labels.
func (e *ruleError) Chinese() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		field := p.Field
		if e.table == CadresTable {
			field = cadre.FieldLabel(p.Field, cadre.Chinese)
		}
		parts[i] = field + "：" + p.Message(cadre.Chinese)
	}
	return strings.Join(parts, "；")
}

// Unwrap returns the domain's error.
func (e *ruleError) Unwrap() error { return e.ValidationError }

// check returns the rule of a record type on a stored record, nil for none.
func check(name string) func(syncsvc.Columns, time.Time) error {
	switch name {
	case CadresTable:
		return checkCadreRow
	case CommunitiesTable:
		return checkCommunityRow
	case BranchesTable:
		return kindRule(branchKind, func(b *branch.Branch, _ time.Time) error { return b.Validate() })
	case MembershipsTable:
		return kindRule(membershipKind, func(m *branch.Membership, _ time.Time) error { return m.Validate() })
	case PostsTable:
		return kindRule(postKind, func(p *branch.Post, _ time.Time) error { return p.Validate() })
	case MeetingsTable:
		return kindRule(meetingKind, func(m *branch.Meeting, _ time.Time) error { return m.Validate() })
	case AttendanceTable:
		return kindRule(attendanceKind, checkAttendance)
	case DeliveriesTable:
		return kindRule(deliveryKind, checkDelivery)
	case TrainingTable:
		return kindRule(trainingKind, func(t *branch.TrainingAttendance, _ time.Time) error { return t.Validate() })
	case DuesPaymentsTable:
		return kindRule(paymentKind, func(p *branch.DuesPayment, _ time.Time) error {
			slices.SortFunc(p.Months, branch.Month.Compare)
			return p.Validate()
		})
	case DuesReliefsTable:
		return kindRule(reliefKind, func(r *branch.DuesRelief, _ time.Time) error { return r.Validate() })
	case FeedbackTable:
		return kindRule(feedbackKind, func(f *branch.Feedback, _ time.Time) error { return f.Validate() })
	case HelpersTable:
		return kindRule(helperKind, func(h *care.Helper, _ time.Time) error { return h.Validate() })
	case PairsTable:
		return kindRule(pairKind, func(p *care.Pair, _ time.Time) error { return p.Validate() })
	case VisitsTable:
		return kindRule(visitKind, func(v *care.Visit, asOf time.Time) error { return v.Validate(asOf) })
	case HospitalStaysTable:
		return kindRule(stayKind, func(s *care.HospitalStay, asOf time.Time) error { return s.Validate(asOf) })
	case HelpCasesTable:
		return kindRule(helpKind, func(c *care.HelpCase, asOf time.Time) error { return c.Validate(asOf) })
	case VenuesTable:
		return kindRule(venueKind, func(v *venue.Venue, _ time.Time) error {
			order := venue.AllServices()
			slices.SortFunc(v.Services, func(a, b venue.Service) int { return slices.Index(order, a) - slices.Index(order, b) })
			return v.Validate()
		})
	case EnrolmentsTable:
		return kindRule(enrolmentKind, func(e *venue.Enrolment, _ time.Time) error { return e.Validate() })
	}
	return nil
}

// kindRule reads a row as kind k reads it and checks it with rule; a
// column that does not read (a date that is no date) is a problem of its
// own.
func kindRule[T any](k kind[T], rule func(v *T, asOf time.Time) error) func(syncsvc.Columns, time.Time) error {
	return func(cols syncsvc.Columns, asOf time.Time) error {
		d := fieldReader{cols: cols}
		v := k.decode(&d)
		if err := unreadable(d.bad); err != nil {
			return err
		}
		return rule(&v, asOf)
	}
}

// unreadable reports columns whose stored text does not read as the value
// they hold (a date, a month, a UUID), nil when there are none.
func unreadable(cols []string) error {
	var ps cadre.Problems
	for _, c := range cols {
		ps.AddWorded(c, cadre.ErrInvalid, "无法读取（不是有效的日期、月份或编号）", "does not read as a date, month or id")
	}
	return ps.Err()
}

// checkCadreRow is PutCadre's rule: cadre.Validate as of asOf.
func checkCadreRow(cols syncsvc.Columns, asOf time.Time) error {
	var bad []string
	d := fieldReader{cols: cols}
	for _, col := range []string{"birth_date", "retired_on", "party_joined_on", "status_on"} {
		if s := d.str(col); s != "" {
			if _, err := cadre.ParseDate(s); err != nil {
				bad = append(bad, col)
			}
		}
	}
	if err := unreadable(bad); err != nil {
		return err
	}
	c, _ := cadreFromColumns(cols)
	return c.Validate(asOf)
}

// checkCommunityRow is SetCommunity's rule: a valid code, the record named
// by it, and a centre within range.
func checkCommunityRow(cols syncsvc.Columns, _ time.Time) error {
	var ps cadre.Problems
	d := fieldReader{cols: cols}
	code := d.str("code")
	if err := cadre.ValidateCommunityCode(code); err != nil {
		ps.Add("code", err)
	} else if cols.ID() != CommunityID(code) {
		ps.AddWorded("code", cadre.ErrInvalid, "与记录编号不符", "does not match the record's id")
	}
	lat, okLat := d.col("lat").(float64)
	lng, okLng := d.col("lng").(float64)
	if okLat && okLng && !(cadre.Location{Lat: lat, Lng: lng}).Valid() {
		ps.AddWorded("centre", cadre.ErrInvalid, "纬度应在±90之内，经度应在±180之内", "latitude must be within ±90 and longitude within ±180")
	}
	return ps.Err()
}

// checkAttendance is the rule branch.Meeting.Validate applies to each
// member's attendance, for one attendance record.
func checkAttendance(a *attendanceRow, _ time.Time) error {
	var ps cadre.Problems
	ps.RequireID("meeting_id", a.meetingID)
	ps.RequireID("cadre_id", a.CadreID)
	switch {
	case a.Present && a.Absence != "":
		ps.AddWorded("absence", cadre.ErrInvalid, "出席者不应填写缺席原因", "present with a reason for absence")
	case !a.Present && !a.Absence.Valid():
		ps.AddWorded("absence", cadre.ErrRequired, "缺席应填写原因（无故缺席也要注明）", "absent without a recorded reason")
	}
	return ps.Err()
}

// checkDelivery is the rule branch.Meeting.Validate applies to each
// delivery (送学上门), for one delivery record; that it is on or after the
// meeting is checked where the meeting is written.
func checkDelivery(d *deliveryRow, _ time.Time) error {
	var ps cadre.Problems
	ps.RequireID("meeting_id", d.meetingID)
	ps.RequireID("cadre_id", d.CadreID)
	if !d.On.Valid() {
		ps.AddWorded("on", cadre.ErrInvalid, "送学日期无效", "a delivery needs a real day")
	}
	return ps.Err()
}

// Limits in characters of the text columns, by column name, beyond
// syncsvc.MaxTextBytes. The cadre's own are the cadre package's, which
// cadre.Validate words for the clerk; the rest are the kinds of text the
// other records hold: a name, an address, a short label, a note.
const (
	maxLabelRunes = 200  // a topic, a course, opening hours
	maxShortRunes = 100  // a source of feedback, a street
	maxNoteRunes  = 1000 // a note, notes, a resolution, a reason
)

var runeLimits = map[string]int{
	"name":              cadre.MaxNameRunes,
	"address":           cadre.MaxAddressRunes,
	"phone":             cadre.MaxPhoneRunes,
	"emergency_contact": cadre.MaxContactRunes,
	"original_unit":     cadre.MaxUnitRunes,
	"approved_by":       cadre.MaxNameRunes,
	"topic":             maxLabelRunes,
	"course":            maxLabelRunes,
	"opening_hours":     maxLabelRunes,
	"source":            maxShortRunes,
	"street":            maxShortRunes,
	"note":              maxNoteRunes,
	"notes":             maxNoteRunes,
	"resolution":        maxNoteRunes,
	"reason":            maxNoteRunes,
}
