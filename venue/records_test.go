package venue_test

import (
	"encoding/json"
	"errors"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/venue"
)

func validVenue() venue.Venue {
	return venue.Venue{
		ID: id(1), Kind: venue.KindSeniorUniversity, Name: "舜园老年大学", Community: "sy",
		Address: "舜耕路1号", Location: &cadre.Location{Lat: 36.64, Lng: 117.01}, Capacity: 300,
		OpeningHours: "周一至周五 8:30-17:00", Services: []venue.Service{venue.Learning, venue.Activities},
	}
}

func TestVenueValidate(t *testing.T) {
	require.NoError(t, validVenue().Validate())
	district := validVenue()
	district.Community, district.Location = cadre.DistrictScope, nil
	require.NoError(t, district.Validate(), "a district venue without a location")

	tests := []struct {
		name   string
		change func(*venue.Venue)
		field  string
		err    error
	}{
		{"no id", func(v *venue.Venue) { v.ID = [16]byte{} }, "id", cadre.ErrRequired},
		{"no kind", func(v *venue.Venue) { v.Kind = "" }, "kind", cadre.ErrRequired},
		{"unknown kind", func(v *venue.Venue) { v.Kind = "pub" }, "kind", cadre.ErrInvalid},
		{"blank name", func(v *venue.Venue) { v.Name = "  " }, "name", cadre.ErrRequired},
		{"no community", func(v *venue.Venue) { v.Community = "" }, "community", cadre.ErrRequired},
		{"bad community", func(v *venue.Venue) { v.Community = "舜园" }, "community", cadre.ErrInvalid},
		{"latitude out of range", func(v *venue.Venue) { v.Location = &cadre.Location{Lat: 95, Lng: 117} }, "location", cadre.ErrInvalid},
		{"NaN longitude", func(v *venue.Venue) { v.Location = &cadre.Location{Lat: 36, Lng: math.NaN()} }, "location", cadre.ErrInvalid},
		{"negative capacity", func(v *venue.Venue) { v.Capacity = -1 }, "capacity", cadre.ErrInvalid},
		{"no services", func(v *venue.Venue) { v.Services = nil }, "services", cadre.ErrRequired},
		{"unknown service", func(v *venue.Venue) { v.Services = []venue.Service{"dancing"} }, "services", cadre.ErrInvalid},
		{"service twice", func(v *venue.Venue) { v.Services = []venue.Service{venue.Care, venue.Care} }, "services", cadre.ErrInvalid},
		{"impossible closing date", func(v *venue.Venue) { v.ClosedOn = cadre.Date{Year: 2026, Month: 2, Day: 30} }, "closed_on", cadre.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := validVenue()
			tt.change(&v)
			err := v.Validate()
			var ve *cadre.ValidationError
			require.True(t, errors.As(err, &ve), "%v", err)
			assert.Equal(t, []string{tt.field}, ve.Fields())
			assert.ErrorIs(t, err, tt.err)
		})
	}
}

func TestEnrolmentValidate(t *testing.T) {
	ok := venue.Enrolment{ID: id(1), Community: "sy", Stage: venue.StagePilot, Since: testkit.Date("2024-03-01")}
	require.NoError(t, ok.Validate())
	ended := ok
	ended.Until = testkit.Date("2025-03-01")
	require.NoError(t, ended.Validate())

	bad := venue.Enrolment{Community: cadre.DistrictScope, Stage: "trial", Until: testkit.Date("2025-03-01")}
	err := bad.Validate()
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, []string{"id", "community", "stage", "since"}, ve.Fields())

	backwards := ok
	backwards.Until = ok.Since
	assert.ErrorIs(t, backwards.Validate(), cadre.ErrOrder)
}

func TestOpenAndInForce(t *testing.T) {
	d := testkit.Date("2026-11-28")
	v := validVenue()
	assert.True(t, v.OpenOn(d))
	v.ClosedOn = d
	assert.False(t, v.OpenOn(d))
	assert.True(t, v.OpenOn(d.AddDays(-1)))
	assert.True(t, v.Offers(venue.Learning))
	assert.False(t, v.Offers(venue.Care))

	e := venue.Enrolment{Since: d, Until: d.AddDays(2)}
	assert.False(t, e.InForce(d.AddDays(-1)))
	assert.True(t, e.InForce(d))
	assert.True(t, e.InForce(d.AddDays(1)))
	assert.False(t, e.InForce(d.AddDays(2)))
}

func TestEnums(t *testing.T) {
	k, err := venue.ParseKind("老年大学")
	require.NoError(t, err)
	assert.Equal(t, venue.KindSeniorUniversity, k)
	assert.Equal(t, "community clinic", venue.KindClinic.Label(cadre.English))
	_, err = venue.ParseKind("pub")
	assert.ErrorIs(t, err, cadre.ErrInvalid)

	s, err := venue.ParseService("发挥作用")
	require.NoError(t, err)
	assert.Equal(t, venue.Role, s)
	assert.Equal(t, []venue.Service{venue.Learning, venue.Activities, venue.Care, venue.Role}, venue.AllServices())
	for _, s := range venue.AllServices() {
		assert.True(t, s.Valid())
	}

	st, err := venue.ParseStage("推广")
	require.NoError(t, err)
	assert.Equal(t, venue.StageExtended, st)
	r, err := venue.ParseRule("NOT_ENROLLED")
	require.NoError(t, err)
	assert.Equal(t, "所在社区未纳入", r.Label(cadre.Chinese))
	assert.False(t, venue.Rule("x").Valid())

	var v venue.Venue
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"日间照料中心","services":["关心照顾","role"]}`), &v))
	assert.Equal(t, venue.KindDayCare, v.Kind)
	assert.Equal(t, []venue.Service{venue.Care, venue.Role}, v.Services)
	var e venue.Enrolment
	require.NoError(t, json.Unmarshal([]byte(`{"stage":"试点","since":"2024-03-01"}`), &e))
	assert.Equal(t, venue.StagePilot, e.Stage)
}

func TestSettings(t *testing.T) {
	s := venue.DefaultSettings()
	require.NoError(t, s.Validate())
	assert.Equal(t, 500.0, s.RadiusMetres)
	assert.Equal(t, 1.3, s.DetourFactor)
	assert.Equal(t, cadre.DefaultPolicy(), s.Policy)

	bad := venue.Settings{RadiusMetres: math.NaN(), DetourFactor: 0.9, Policy: cadre.Policy{ElderlyAge: -1}, AgedCategories: []cadre.Category{"x"}}
	var ve *cadre.ValidationError
	require.True(t, errors.As(bad.Validate(), &ve))
	assert.Equal(t, []string{"radius_metres", "detour_factor", "elderly_age", "aged_categories"}, ve.Fields())

	// An index replaces what Validate refuses with the defaults.
	got := venue.NewIndex(nil, bad).Settings()
	assert.Equal(t, 500.0, got.RadiusMetres)
	assert.Equal(t, 1.3, got.DetourFactor)
	assert.Equal(t, 80, got.Policy.ElderlyAge)
	assert.Empty(t, got.AgedCategories)
}

func TestText(t *testing.T) {
	x := venue.Text{Zh: "中", En: "en"}
	assert.Equal(t, "中", x.In(cadre.Chinese))
	assert.Equal(t, "en", x.In(cadre.English))
}
