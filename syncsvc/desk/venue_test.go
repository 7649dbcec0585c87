package desk_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

func TestVenueAddedClosedAndCommunityEnrolled(t *testing.T) {
	r := openReplica(t, syncsvc.RoleHub)
	v := venue.Venue{Kind: venue.KindActivityRoom, Name: "舜园社区老干部活动室", Community: "shunyuan", Services: []venue.Service{venue.Learning}}
	_, err := desk.AddVenue(ctx, r, v)
	assert.ErrorIs(t, err, desk.ErrUnknownCommunity, "a typo does not make a community of its own")
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)

	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "shunyuan", Name: "舜园社区"}))
	added, err := desk.AddVenue(ctx, r, v)
	require.NoError(t, err)
	require.NotEqual(t, uuid.Nil, added.ID)

	on := cadre.NewDate(2026, 12, 1)
	closed, err := desk.CloseVenue(ctx, r, desk.VenueClosing{VenueID: added.ID, On: on})
	require.NoError(t, err)
	assert.Equal(t, on, closed.ClosedOn)
	_, err = desk.CloseVenue(ctx, r, desk.VenueClosing{VenueID: added.ID, On: on.AddDays(3)})
	assert.ErrorIs(t, err, desk.ErrClosedAlready)

	since := cadre.NewDate(2026, 1, 1)
	e, err := desk.Enrol(ctx, r, desk.EnrolmentInput{Community: "shunyuan", Since: since})
	require.NoError(t, err)
	assert.True(t, e.Changed)
	assert.Equal(t, venue.StageExtended, e.Enrolment.Stage, "a new enrolment is extended unless told")

	changed, err := desk.Enrol(ctx, r, desk.EnrolmentInput{Community: "shunyuan", Since: since, Stage: venue.StagePilot})
	require.NoError(t, err)
	assert.Equal(t, e.Enrolment.ID, changed.Enrolment.ID, "the same community and first day name the same enrolment")
	assert.Equal(t, venue.StagePilot, changed.Enrolment.Stage)

	_, err = desk.Enrol(ctx, r, desk.EnrolmentInput{Community: "shunyuan", Since: since.AddDays(30)})
	var ee *desk.EnrolmentError
	require.ErrorAs(t, err, &ee)
	assert.Equal(t, e.Enrolment.ID, ee.Other.ID)
	assert.ErrorIs(t, err, desk.ErrEnrolmentOverlap)
}

func TestSetCommunityKeepsTheFieldsNotGiven(t *testing.T) {
	r := openReplica(t, syncsvc.RoleHub)
	_, err := desk.SetCommunity(ctx, r, desk.CommunityInput{Code: "shunyuan", Name: "舜园社区", Street: "舜玉路街道", Set: []string{"name", "street"}})
	require.NoError(t, err)
	c, err := desk.SetCommunity(ctx, r, desk.CommunityInput{Code: "shunyuan", Centre: &cadre.Location{Lat: 36.6, Lng: 117}, Set: []string{"centre"}})
	require.NoError(t, err)
	assert.Equal(t, "舜园社区", c.Name, "a field not given is kept")
	assert.Equal(t, "舜玉路街道", c.Street)
	require.NotNil(t, c.Centre)
	names, err := desk.CommunityNames(ctx, r)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"shunyuan": "舜园社区"}, names)
}
