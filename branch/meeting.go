package branch

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// MeetingKind is a kind of branch meeting or activity (三会一课 and more).
type MeetingKind string

// Kinds of meeting, in the order statuses are listed.
const (
	MeetingMembers     MeetingKind = "members_meeting"
	MeetingCommittee   MeetingKind = "committee_meeting"
	MeetingGroup       MeetingKind = "group_meeting"
	MeetingThemeDay    MeetingKind = "theme_day"
	MeetingLifeMeeting MeetingKind = "life_meeting"
	MeetingAppraisal   MeetingKind = "appraisal"
	MeetingLecture     MeetingKind = "lecture"
)

var meetingKinds = cadre.NewEnum[MeetingKind]("meeting kind",
	cadre.L("members_meeting", "党员大会", "members' meeting"),
	cadre.L("committee_meeting", "支委会", "committee meeting"),
	cadre.L("group_meeting", "党小组会", "Party group meeting"),
	cadre.L("theme_day", "主题党日", "theme Party day"),
	cadre.L("life_meeting", "组织生活会", "organisational life meeting"),
	cadre.L("appraisal", "民主评议党员", "democratic appraisal of members"),
	cadre.L("lecture", "党课", "Party lecture"),
)

// ParseMeetingKind parses a code ("theme_day") or label ("主题党日").
func ParseMeetingKind(s string) (MeetingKind, error) { return meetingKinds.Parse(s) }

// Valid reports whether k is a known kind.
func (k MeetingKind) Valid() bool { return meetingKinds.Valid(k) }

// Label returns k's label in lang.
func (k MeetingKind) Label(lang cadre.Lang) string { return meetingKinds.Label(k, lang) }

// UnmarshalText accepts a code or a label.
func (k *MeetingKind) UnmarshalText(b []byte) error { return meetingKinds.Unmarshal(k, b) }

// forAllMembers reports whether every member is expected at a meeting of k;
// committee and group meetings expect only those invited, so only the
// attendance list counts there.
func (k MeetingKind) forAllMembers() bool { return k != MeetingCommittee && k != MeetingGroup }

// Absence is why a member missed a meeting.
type Absence string

// Reasons for absence. Health is excused and brings the study to the
// member's home (送学上门); only Unexcused counts as absent without reason.
const (
	AbsenceHealth    Absence = "health"
	AbsenceAway      Absence = "away"
	AbsenceOther     Absence = "other"
	AbsenceUnexcused Absence = "unexcused"
)

var absences = cadre.NewEnum[Absence]("absence",
	cadre.L("health", "因病（送学上门）", "ill (study delivered at home)"),
	cadre.L("away", "外出", "away"),
	cadre.L("other", "其他事由", "other reason"),
	cadre.L("unexcused", "无故缺席", "without reason"),
)

// ParseAbsence parses a code ("health") or label ("外出").
func ParseAbsence(s string) (Absence, error) { return absences.Parse(s) }

// Valid reports whether a is a known reason.
func (a Absence) Valid() bool { return absences.Valid(a) }

// Label returns a's label in lang.
func (a Absence) Label(lang cadre.Lang) string { return absences.Label(a, lang) }

// UnmarshalText accepts a code or a label.
func (a *Absence) UnmarshalText(b []byte) error { return absences.Unmarshal(a, b) }

// Attendance is one member's attendance at a meeting.
type Attendance struct {
	// CadreID is the member.
	CadreID uuid.UUID `json:"cadre_id"`
	// Present is whether the member attended.
	Present bool `json:"present"`
	// Absence is the reason when not present.
	Absence Absence `json:"absence"`
	// Note says more, such as the illness or where the member was.
	Note string `json:"note"`
}

// Delivery records that the study of a meeting was taken to a member's home
// (送学上门).
type Delivery struct {
	// CadreID is the member visited.
	CadreID uuid.UUID `json:"cadre_id"`
	// On is the day of the visit.
	On cadre.Date `json:"on"`
	// Note says who went and what was studied.
	Note string `json:"note"`
}

// Meeting is a branch meeting or activity held on a day.
type Meeting struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// BranchID is the branch that held it.
	BranchID uuid.UUID `json:"branch_id"`
	// Kind is the kind of meeting.
	Kind MeetingKind `json:"kind"`
	// On is the day it was held.
	On cadre.Date `json:"on"`
	// Topic says what it was about.
	Topic string `json:"topic"`
	// Attendance lists the members expected and whether each came.
	Attendance []Attendance `json:"attendance"`
	// Deliveries are the 送学上门 visits made for it.
	Deliveries []Delivery `json:"deliveries"`
}

// Validate checks m and reports every problem as a *cadre.ValidationError.
func (m Meeting) Validate() error {
	var ps cadre.Problems
	ps.RequireID("branch_id", m.BranchID)
	ps.Enum("kind", string(m.Kind), m.Kind.Valid())
	checkRequiredDate(&ps, "on", m.On)
	seen := map[uuid.UUID]bool{}
	for _, a := range m.Attendance {
		switch {
		case a.CadreID == uuid.Nil:
			ps.Add("attendance", cadre.ErrRequired)
		case seen[a.CadreID]:
			ps.Addf("attendance", cadre.ErrInvalid, "%s is listed twice", a.CadreID)
		case a.Present && a.Absence != "":
			ps.Addf("attendance", cadre.ErrInvalid, "%s is present with a reason for absence", a.CadreID)
		case !a.Present && !a.Absence.Valid():
			ps.Addf("attendance", cadre.ErrRequired, "%s is absent without a recorded reason; use %q when none was given", a.CadreID, AbsenceUnexcused)
		}
		seen[a.CadreID] = true
	}
	for _, d := range m.Deliveries {
		if d.CadreID == uuid.Nil || !d.On.Valid() || d.On.Before(m.On) {
			ps.Addf("deliveries", cadre.ErrInvalid, "a delivery needs a member and a day on or after the meeting")
		}
	}
	return ps.Err()
}

// MeetingRule says how often a kind of meeting is due.
type MeetingRule struct {
	// Kind is the kind of meeting.
	Kind MeetingKind
	// EveryMonths is the length of the calendar period in which one is due:
	// 1 monthly, 3 quarterly (January–March …), 12 yearly. It must divide
	// 12; a rule whose period does not, or a second rule for a kind, is
	// ignored.
	EveryMonths int
}

// MeetingSettings holds the district's settings for meetings.
type MeetingSettings struct {
	// Rules lists the kinds of meeting that are due and how often.
	Rules []MeetingRule
	// CommitteeFrom is the number of full members from which a branch has a
	// committee, and so committee meetings.
	CommitteeFrom int
	// GroupsFrom is the number of members from which a branch is expected to
	// have Party groups (党小组), and so group meetings; 0 means never.
	GroupsFrom int
}

// DefaultMeetingSettings returns the settings of the domain notes: members'
// meeting and Party lecture quarterly; committee meeting, group meeting and
// theme Party day monthly; organisational life meeting and democratic
// appraisal yearly; committees from 7 full members, groups from 20 members.
func DefaultMeetingSettings() MeetingSettings {
	return MeetingSettings{
		Rules: []MeetingRule{
			{MeetingMembers, 3}, {MeetingCommittee, 1}, {MeetingGroup, 1}, {MeetingThemeDay, 1},
			{MeetingLifeMeeting, 12}, {MeetingAppraisal, 12}, {MeetingLecture, 3},
		},
		CommitteeFrom: 7,
		GroupsFrom:    20,
	}
}

// MeetingState is whether a due meeting was held.
type MeetingState string

// Meeting states.
const (
	MeetingHeld   MeetingState = "held"
	MeetingDue    MeetingState = "due"
	MeetingMissed MeetingState = "missed"
)

var meetingStates = cadre.NewEnum[MeetingState]("meeting state",
	cadre.L("held", "已召开", "held"),
	cadre.L("due", "待召开", "due"),
	cadre.L("missed", "未召开", "missed"),
)

// Label returns s's label in lang.
func (s MeetingState) Label(lang cadre.Lang) string { return meetingStates.Label(s, lang) }

// DeliveryState is whether a 送学上门 visit was made.
type DeliveryState string

// Delivery states.
const (
	Delivered     DeliveryState = "delivered"
	DeliveredLate DeliveryState = "late"
	NotDelivered  DeliveryState = "not_delivered"
)

var deliveryStates = cadre.NewEnum[DeliveryState]("delivery state",
	cadre.L("delivered", "已送学上门", "delivered"),
	cadre.L("late", "逾期送学上门", "delivered late"),
	cadre.L("not_delivered", "未送学上门", "not delivered"),
)

// Label returns s's label in lang.
func (s DeliveryState) Label(lang cadre.Lang) string { return deliveryStates.Label(s, lang) }

// MeetingSummary counts the attendance at one meeting.
type MeetingSummary struct {
	// MeetingID is the meeting.
	MeetingID uuid.UUID `json:"meeting_id"`
	// On is the day it was held.
	On cadre.Date `json:"on"`
	// Expected is the number of members expected: every member on the roll
	// that day, or for committee and group meetings those listed.
	Expected int `json:"expected"`
	// Attended came.
	Attended int `json:"attended"`
	// Health were absent for their health and are owed 送学上门.
	Health int `json:"health"`
	// Excused were absent with another reason.
	Excused int `json:"excused"`
	// Unexcused were absent without reason, or not recorded at all.
	Unexcused int `json:"unexcused"`
}

// DeliveryItem is a 送学上门 visit owed to a member absent for health.
type DeliveryItem struct {
	// MeetingID is the meeting missed.
	MeetingID uuid.UUID `json:"meeting_id"`
	// CadreID is the member.
	CadreID uuid.UUID `json:"cadre_id"`
	// DueBy is the last day of the meeting's month.
	DueBy cadre.Date `json:"due_by"`
	// DeliveredOn is the day of the visit; zero when none is recorded.
	DeliveredOn cadre.Date `json:"delivered_on"`
	// State is whether it was made, and in time.
	State DeliveryState `json:"state"`
}

// MeetingStatus is one kind of meeting's state for a month.
type MeetingStatus struct {
	// Kind is the kind of meeting.
	Kind MeetingKind `json:"kind"`
	// From is the first month of the calendar period, containing the month
	// asked about, in which one meeting of Kind is due.
	From Month `json:"from"`
	// To is the period's last month.
	To Month `json:"to"`
	// State is the state at the end of the month.
	State MeetingState `json:"state"`
	// Meetings are those of Kind held in the period up to the month's end.
	Meetings []MeetingSummary `json:"meetings"`
	// Deliveries are the 送学上门 visits owed for meetings of Kind held in the month.
	Deliveries []DeliveryItem `json:"deliveries"`
}

// MeetingsDue returns, for each kind of meeting due in branch b, its state
// in month: held when one was held in the calendar period containing month,
// up to month's end; due when not yet held and the period runs on after
// month; missed when the period ends with month and none was held. States
// are as they stand at the end of month, so for the current month, before it
// ends, missed reads "due by the end of this month".
//
// Committee meetings are due only in a branch with s.CommitteeFrom full
// members, group meetings only in one with s.GroupsFrom members (members
// are those of the cadres given who are Party members on the roll on the
// last day of month). Meetings of other branches are ignored.
//
// Each member absent for health from a meeting held in month is owed a
// 送学上门 visit within that month; such members are excused, never counted
// as absent without reason.
func MeetingsDue(b Branch, members []cadre.Cadre, meetings []Meeting, month Month, s MeetingSettings) []MeetingStatus {
	full, all := countMembers(members, month.Last())
	var out []MeetingStatus
	for _, r := range sortedRules(s.Rules) {
		if (r.Kind == MeetingCommittee && full < s.CommitteeFrom) ||
			(r.Kind == MeetingGroup && (s.GroupsFrom <= 0 || all < s.GroupsFrom)) {
			continue
		}
		out = append(out, kindStatus(b.ID, r, members, meetings, month))
	}
	return out
}

// sortedRules returns the valid rules in kind order, one per kind.
func sortedRules(rules []MeetingRule) []MeetingRule {
	var out []MeetingRule
	for _, r := range rules {
		if r.Kind.Valid() && r.EveryMonths > 0 && 12%r.EveryMonths == 0 &&
			!slices.ContainsFunc(out, func(o MeetingRule) bool { return o.Kind == r.Kind }) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b MeetingRule) int {
		return cmp.Compare(meetingKinds.Index(a.Kind), meetingKinds.Index(b.Kind))
	})
	return out
}

func countMembers(members []cadre.Cadre, on cadre.Date) (full, all int) {
	for _, c := range members {
		if isMemberOn(c, on) {
			all++
			if c.Party == cadre.PartyFull {
				full++
			}
		}
	}
	return full, all
}

func kindStatus(branchID uuid.UUID, r MeetingRule, members []cadre.Cadre, meetings []Meeting, month Month) MeetingStatus {
	from, to := periodOf(month, r.EveryMonths)
	st := MeetingStatus{Kind: r.Kind, From: from, To: to, Meetings: []MeetingSummary{}, Deliveries: []DeliveryItem{}}
	for _, m := range sortedMeetings(meetings) {
		if m.BranchID != branchID || m.Kind != r.Kind || MonthOf(m.On).Before(from) || MonthOf(m.On).After(month) {
			continue
		}
		st.Meetings = append(st.Meetings, summarise(m, members))
		if month.Contains(m.On) {
			st.Deliveries = append(st.Deliveries, deliveries(m, members)...)
		}
	}
	switch {
	case len(st.Meetings) > 0:
		st.State = MeetingHeld
	case to.After(month):
		st.State = MeetingDue
	default:
		st.State = MeetingMissed
	}
	return st
}

func sortedMeetings(meetings []Meeting) []Meeting {
	out := slices.Clone(meetings)
	slices.SortFunc(out, func(a, b Meeting) int {
		if c := a.On.Compare(b.On); c != 0 {
			return c
		}
		return compareUUID(a.ID, b.ID)
	})
	return out
}

// summarise counts m's attendance. For meetings of every member, members
// on the roll that day but missing from the list count as absent without
// reason: a list that forgets someone should show.
func summarise(m Meeting, members []cadre.Cadre) MeetingSummary {
	sum := MeetingSummary{MeetingID: m.ID, On: m.On}
	listed := map[uuid.UUID]Attendance{}
	for _, a := range m.Attendance {
		listed[a.CadreID] = a
	}
	count := func(a Attendance) {
		sum.Expected++
		switch {
		case a.Present:
			sum.Attended++
		case a.Absence == AbsenceHealth:
			sum.Health++
		case a.Absence == AbsenceAway || a.Absence == AbsenceOther:
			sum.Excused++
		default:
			sum.Unexcused++
		}
	}
	if !m.Kind.forAllMembers() {
		for _, a := range m.Attendance {
			count(a)
		}
		return sum
	}
	for _, c := range members {
		if isMemberOn(c, m.On) {
			count(listed[c.ID])
		}
	}
	return sum
}

// deliveries returns the 送学上门 items of m: members absent for health, due
// by the end of the meeting's month.
func deliveries(m Meeting, members []cadre.Cadre) []DeliveryItem {
	onRoll := map[uuid.UUID]bool{}
	for _, c := range members {
		onRoll[c.ID] = isMemberOn(c, m.On)
	}
	dueBy := MonthOf(m.On).Last()
	var out []DeliveryItem
	for _, a := range m.Attendance {
		if a.Present || a.Absence != AbsenceHealth || !onRoll[a.CadreID] {
			continue
		}
		item := DeliveryItem{MeetingID: m.ID, CadreID: a.CadreID, DueBy: dueBy, State: NotDelivered}
		for _, d := range m.Deliveries {
			if d.CadreID == a.CadreID && (item.DeliveredOn.IsZero() || d.On.Before(item.DeliveredOn)) {
				item.DeliveredOn = d.On
			}
		}
		switch {
		case item.DeliveredOn.IsZero():
		case item.DeliveredOn.After(dueBy):
			item.State = DeliveredLate
		default:
			item.State = Delivered
		}
		out = append(out, item)
	}
	slices.SortFunc(out, func(a, b DeliveryItem) int { return compareUUID(a.CadreID, b.CadreID) })
	return out
}

// MeetingKindLabels returns the kinds of meeting in order, for a form
// that offers them.
func MeetingKindLabels() []cadre.Label { return append([]cadre.Label(nil), meetingKinds.Values...) }

// AbsenceLabels returns the reasons for absence in order, for a form that
// offers them.
func AbsenceLabels() []cadre.Label { return append([]cadre.Label(nil), absences.Values...) }
