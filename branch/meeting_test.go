package branch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func states(sts []branch.MeetingStatus) map[branch.MeetingKind]branch.MeetingState {
	out := map[branch.MeetingKind]branch.MeetingState{}
	for _, s := range sts {
		out[s.Kind] = s.State
	}
	return out
}

func TestMeetingsDuePeriods(t *testing.T) {
	members := people("sy", 5, 5)
	meetings := []branch.Meeting{
		{ID: id("mm"), BranchID: testBranch.ID, Kind: branch.MeetingMembers, On: testkit.Date("2026-01-20")},
		{ID: id("td"), BranchID: testBranch.ID, Kind: branch.MeetingThemeDay, On: testkit.Date("2026-02-01")},
		{ID: id("x"), BranchID: id("other"), Kind: branch.MeetingLecture, On: testkit.Date("2026-02-01")},
	}
	s := branch.DefaultMeetingSettings()
	for _, tc := range []struct {
		month string
		want  map[branch.MeetingKind]branch.MeetingState
	}{
		{"2026-01", map[branch.MeetingKind]branch.MeetingState{
			branch.MeetingMembers: branch.MeetingHeld, branch.MeetingThemeDay: branch.MeetingMissed,
			branch.MeetingLifeMeeting: branch.MeetingDue, branch.MeetingAppraisal: branch.MeetingDue, branch.MeetingLecture: branch.MeetingDue}},
		{"2026-02", map[branch.MeetingKind]branch.MeetingState{
			branch.MeetingMembers: branch.MeetingHeld, branch.MeetingThemeDay: branch.MeetingHeld,
			branch.MeetingLifeMeeting: branch.MeetingDue, branch.MeetingAppraisal: branch.MeetingDue, branch.MeetingLecture: branch.MeetingDue}},
		{"2026-03", map[branch.MeetingKind]branch.MeetingState{
			branch.MeetingMembers: branch.MeetingHeld, branch.MeetingThemeDay: branch.MeetingMissed,
			branch.MeetingLifeMeeting: branch.MeetingDue, branch.MeetingAppraisal: branch.MeetingDue, branch.MeetingLecture: branch.MeetingMissed}},
		{"2026-04", map[branch.MeetingKind]branch.MeetingState{
			branch.MeetingMembers: branch.MeetingDue, branch.MeetingThemeDay: branch.MeetingMissed,
			branch.MeetingLifeMeeting: branch.MeetingDue, branch.MeetingAppraisal: branch.MeetingDue, branch.MeetingLecture: branch.MeetingDue}},
		{"2026-12", map[branch.MeetingKind]branch.MeetingState{
			branch.MeetingMembers: branch.MeetingMissed, branch.MeetingThemeDay: branch.MeetingMissed,
			branch.MeetingLifeMeeting: branch.MeetingMissed, branch.MeetingAppraisal: branch.MeetingMissed, branch.MeetingLecture: branch.MeetingMissed}},
	} {
		got := branch.MeetingsDue(testBranch, members, meetings, month(t, tc.month), s)
		assert.Equal(t, tc.want, states(got), tc.month)
	}
	feb := branch.MeetingsDue(testBranch, members, meetings, month(t, "2026-02"), s)
	require.Equal(t, branch.MeetingMembers, feb[0].Kind, "listed in kind order")
	assert.Equal(t, month(t, "2026-01"), feb[0].From)
	assert.Equal(t, month(t, "2026-03"), feb[0].To)
	require.Len(t, feb[0].Meetings, 1)
	assert.Equal(t, id("mm"), feb[0].Meetings[0].MeetingID)
}

func TestMeetingsDueCommitteeAndGroups(t *testing.T) {
	s := branch.DefaultMeetingSettings()
	for _, tc := range []struct {
		members, full     int
		committee, groups bool
	}{
		{6, 6, false, false},
		{7, 7, true, false},
		{19, 6, false, false},
		{20, 6, false, true},
		{20, 7, true, true},
	} {
		got := states(branch.MeetingsDue(testBranch, people("sy", tc.members, tc.full), nil, month(t, "2026-05"), s))
		_, committee := got[branch.MeetingCommittee]
		_, groups := got[branch.MeetingGroup]
		assert.Equal(t, tc.committee, committee, "%d members, %d full: committee meetings", tc.members, tc.full)
		assert.Equal(t, tc.groups, groups, "%d members: group meetings", tc.members)
	}
	s.GroupsFrom = 0
	_, groups := states(branch.MeetingsDue(testBranch, people("sy", 40, 40), nil, month(t, "2026-05"), s))[branch.MeetingGroup]
	assert.False(t, groups, "GroupsFrom 0: no groups")
}

func TestMeetingsDueStudyDeliveredAtHome(t *testing.T) {
	members := people("sy", 6, 6)
	gone := members[5]
	gone.Status, gone.StatusOn = cadre.StatusDeceased, testkit.Date("2026-03-01")
	members[5] = gone
	m := branch.Meeting{
		ID: id("td"), BranchID: testBranch.ID, Kind: branch.MeetingThemeDay, On: testkit.Date("2026-03-05"),
		Attendance: []branch.Attendance{
			{CadreID: members[0].ID, Present: true},
			{CadreID: members[1].ID, Absence: branch.AbsenceHealth},
			{CadreID: members[2].ID, Absence: branch.AbsenceHealth},
			{CadreID: members[3].ID, Absence: branch.AbsenceAway},
			// members[4] is not on the list; members[5] died before the meeting.
		},
		Deliveries: []branch.Delivery{{CadreID: members[1].ID, On: testkit.Date("2026-03-20")}},
	}
	sts := branch.MeetingsDue(testBranch, members, []branch.Meeting{m}, month(t, "2026-03"), branch.DefaultMeetingSettings())
	var td branch.MeetingStatus
	for _, s := range sts {
		if s.Kind == branch.MeetingThemeDay {
			td = s
		}
	}
	require.Equal(t, branch.MeetingHeld, td.State)
	require.Len(t, td.Meetings, 1)
	assert.Equal(t, branch.MeetingSummary{MeetingID: id("td"), On: m.On, Expected: 5, Attended: 1, Health: 2, Excused: 1, Unexcused: 1}, td.Meetings[0],
		"ill members are excused; the unlisted member counts as absent without reason")
	require.Len(t, td.Deliveries, 2)
	byCadre := map[string]branch.DeliveryItem{}
	for _, d := range td.Deliveries {
		assert.Equal(t, testkit.Date("2026-03-31"), d.DueBy, "within the month")
		byCadre[d.CadreID.String()] = d
	}
	assert.Equal(t, branch.Delivered, byCadre[members[1].ID.String()].State)
	assert.Equal(t, branch.NotDelivered, byCadre[members[2].ID.String()].State)

	m.Deliveries = append(m.Deliveries, branch.Delivery{CadreID: members[2].ID, On: testkit.Date("2026-04-02")})
	sts = branch.MeetingsDue(testBranch, members, []branch.Meeting{m}, month(t, "2026-03"), branch.DefaultMeetingSettings())
	for _, s := range sts {
		for _, d := range s.Deliveries {
			if d.CadreID == members[2].ID {
				assert.Equal(t, branch.DeliveredLate, d.State)
			}
		}
	}
	apr := branch.MeetingsDue(testBranch, members, []branch.Meeting{m}, month(t, "2026-04"), branch.DefaultMeetingSettings())
	for _, s := range apr {
		assert.Empty(t, s.Deliveries, "deliveries belong to the meeting's month")
	}
}

func TestMeetingValidate(t *testing.T) {
	good := branch.Meeting{BranchID: testBranch.ID, Kind: branch.MeetingLecture, On: testkit.Date("2026-03-05"),
		Attendance: []branch.Attendance{{CadreID: id("a"), Present: true}, {CadreID: id("b"), Absence: branch.AbsenceHealth}}}
	require.NoError(t, good.Validate())
	bad := good
	bad.Attendance = []branch.Attendance{{CadreID: id("a")}, {CadreID: id("a"), Present: true}}
	bad.Kind = "picnic"
	err := bad.Validate()
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"kind", "attendance"}, ve.Fields())
	assert.ErrorIs(t, err, cadre.ErrRequired)
	assert.ErrorIs(t, err, cadre.ErrInvalid)
}
