package desk_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

func TestRecordListAndDeliverMeetings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleOffice, nil)
	a, b, c := putBranchCadre(t, r, 1, "王建国", "sy"), putBranchCadre(t, r, 2, "李秀英", "sy"), putBranchCadre(t, r, 3, "张伟", "sy")
	br := putBranch(t, r, a, b, c)
	on := cadre.NewDate(2026, 11, 5)

	v, err := desk.RecordMeeting(ctx, r, desk.MeetingInput{BranchID: br.ID, Kind: branch.MeetingThemeDay, On: on, Topic: " 学习 ",
		Attendance: []branch.Attendance{{CadreID: a.ID, Present: true}, {CadreID: b.ID, Absence: branch.AbsenceHealth, Note: "住院"}}})
	require.NoError(t, err)
	assert.NotEqual(t, uuid.Nil, v.Meeting.ID)
	assert.Equal(t, "学习", v.Meeting.Topic)
	assert.Equal(t, br.Name, v.BranchName)
	require.Len(t, v.Attendance, 2)
	assert.Equal(t, desk.MemberRef{ID: b.ID, Name: "李秀英", Held: true}, v.Attendance[1].Cadre)

	_, err = desk.RecordMeeting(ctx, r, desk.MeetingInput{BranchID: br.ID, Kind: "picnic", On: on})
	var ve *cadre.ValidationError
	assert.True(t, errors.As(err, &ve), "an unknown kind is refused field by field: %v", err)

	list, err := desk.ListMeetings(ctx, r, desk.ListMeetingsInput{BranchID: br.ID, Month: branch.MonthOf(on)})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, v.Meeting.ID, list[0].Meeting.ID)
	list, err = desk.ListMeetings(ctx, r, desk.ListMeetingsInput{Month: branchMonth(t, "2026-10")})
	require.NoError(t, err)
	assert.Empty(t, list, "another month")

	_, err = desk.DeliverStudy(ctx, r, desk.DeliverInput{MeetingID: v.Meeting.ID, CadreID: b.ID, On: on.AddDays(-1)})
	require.ErrorIs(t, err, desk.ErrDeliveryBeforeMeeting)
	var early *desk.DeliveryBeforeMeetingError
	require.True(t, errors.As(err, &early))
	assert.Equal(t, on, early.MeetingOn)

	d, err := desk.DeliverStudy(ctx, r, desk.DeliverInput{MeetingID: v.Meeting.ID, CadreID: b.ID, On: on.AddDays(3), Note: " 书记上门 "})
	require.NoError(t, err)
	assert.True(t, d.Changed)
	assert.True(t, d.Owed, "she was absent ill")
	assert.Equal(t, "书记上门", d.Delivery.Note)
	d, err = desk.DeliverStudy(ctx, r, desk.DeliverInput{MeetingID: v.Meeting.ID, CadreID: c.ID, On: on.AddDays(3)})
	require.NoError(t, err)
	assert.False(t, d.Owed, "he was not recorded absent ill")

	list, err = desk.ListMeetings(ctx, r, desk.ListMeetingsInput{})
	require.NoError(t, err)
	require.Len(t, list, 1)
	require.Len(t, list[0].Deliveries, 2)
	s, err := desk.ShowBranch(ctx, r, desk.ShowBranchInput{BranchID: br.ID, On: branchToday})
	require.NoError(t, err)
	require.Len(t, s.Deliveries, 1)
	assert.Equal(t, branch.Delivered, s.Deliveries[0].Item.State)
}
