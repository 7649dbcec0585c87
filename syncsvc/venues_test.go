package syncsvc_test

import (
	"testing"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

func TestVenueRecords(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		uni := venue.Venue{Kind: venue.KindSeniorUniversity, Name: "区老年大学", Community: "sy", Address: "历山路1号",
			Location: &cadre.Location{Lat: 36.66, Lng: 117.01}, Capacity: 300, OpeningHours: "周一至周五 8:30-17:00",
			Services: []venue.Service{venue.Role, venue.Learning}}
		_, err := h.r.PutVenue(ctx, &uni)
		require.NoError(t, err)
		assert.Equal(t, []venue.Service{venue.Learning, venue.Role}, uni.Services, "services kept in one order")
		room := venue.Venue{Kind: venue.KindActivityRoom, Name: "甸柳活动室", Community: "gsq", Services: []venue.Service{venue.Activities},
			ClosedOn: cadre.NewDate(2026, 10, 1)}
		_, err = h.r.PutVenue(ctx, &room)
		require.NoError(t, err)
		en := venue.Enrolment{Community: "sy", Stage: venue.StagePilot, Since: cadre.NewDate(2024, 3, 1)}
		_, err = h.r.PutEnrolment(ctx, &en)
		require.NoError(t, err)

		changed, err := h.r.PutVenue(ctx, &venue.Venue{ID: uni.ID, Kind: uni.Kind, Name: uni.Name, Community: uni.Community, Address: uni.Address,
			Location: uni.Location, Capacity: uni.Capacity, OpeningHours: uni.OpeningHours, Services: []venue.Service{venue.Role, venue.Learning}})
		require.NoError(t, err)
		assert.False(t, changed, "the same set in another order is no change")

		// Every office receives district data, whatever its communities.
		office, agent := h.office(t, "hx", "hx")
		syncOK(t, agent)
		got, err := office.Venue(ctx, uni.ID)
		require.NoError(t, err)
		assert.Equal(t, uni, got)
		open, err := office.Venues(ctx, store.VenueFilter{OpenOn: cadre.NewDate(2026, 11, 28)})
		require.NoError(t, err)
		assert.Equal(t, []venue.Venue{uni}, open, "the closed room is left out")
		all, err := office.Venues(ctx, store.VenueFilter{Community: "gsq"})
		require.NoError(t, err)
		require.Len(t, all, 1)
		assert.Equal(t, room.ClosedOn, all[0].ClosedOn)
		ens, err := office.Enrolments(ctx)
		require.NoError(t, err)
		assert.Equal(t, []venue.Enrolment{en}, ens)

		// Only the hub writes them.
		_, err = office.PutVenue(ctx, &venue.Venue{Kind: venue.KindActivityRoom, Name: "x", Community: "hx", Services: []venue.Service{venue.Activities}})
		require.ErrorIs(t, err, syncsvc.ErrNotHub)
		_, err = office.PutEnrolment(ctx, &venue.Enrolment{Community: "hx", Stage: venue.StageExtended, Since: cadre.NewDate(2026, 1, 1)})
		require.ErrorIs(t, err, syncsvc.ErrNotHub)

		var verr *cadre.ValidationError
		_, err = h.r.PutVenue(ctx, &venue.Venue{Name: "无类型"})
		require.ErrorAs(t, err, &verr)
	})
}
