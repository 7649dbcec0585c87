package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/venue"
)

// Record type names of the venue records.
const (
	VenuesTable     = "venues"
	EnrolmentsTable = "program_enrolments"
)

// VenueTypes declares the records of venues and the four-nearby program:
// district data (docs/architecture.md) that every office reads and only the hub
// writes. A venue's location is one register with its address; its
// services are one field, written as a whole set.
func VenueTypes() []syncsvc.RecordType {
	return []syncsvc.RecordType{
		{Name: VenuesTable, Fields: []syncsvc.Field{
			syncsvc.Col("kind", syncsvc.Text), syncsvc.Col("name", syncsvc.Text), syncsvc.Col("community", syncsvc.Text),
			syncsvc.Register("address", syncsvc.Column{Name: "address", Type: syncsvc.Text}, syncsvc.Column{Name: "lat", Type: syncsvc.Real}, syncsvc.Column{Name: "lng", Type: syncsvc.Real}),
			syncsvc.Col("capacity", syncsvc.Integer), syncsvc.Col("opening_hours", syncsvc.Text), syncsvc.Col("services", syncsvc.Text), syncsvc.Col("closed_on", syncsvc.Text),
		}, Scope: syncsvc.ScopeDistrict(), Indexes: [][]string{{"community"}}},
		{Name: EnrolmentsTable, Fields: []syncsvc.Field{
			syncsvc.Col("community", syncsvc.Text), syncsvc.Col("stage", syncsvc.Text),
			syncsvc.Register("span", syncsvc.Column{Name: "since", Type: syncsvc.Text}, syncsvc.Column{Name: "until", Type: syncsvc.Text}),
		}, Scope: syncsvc.ScopeDistrict(), Indexes: [][]string{{"community"}}},
	}
}

var venueKind = kind[venue.Venue]{
	table: VenuesTable, noun: "venue",
	id: func(v *venue.Venue) *uuid.UUID { return &v.ID },
	values: func(v *venue.Venue) map[string]any {
		lat, lng := locationValues(v.Location)
		services := make([]string, len(v.Services))
		for i, s := range v.Services {
			services[i] = string(s)
		}
		return map[string]any{
			"kind": text(string(v.Kind)), "name": text(v.Name), "community": text(v.Community),
			"address": []any{text(v.Address), lat, lng}, "capacity": int64(v.Capacity),
			"opening_hours": text(v.OpeningHours), "services": joined(services, ","), "closed_on": dateText(v.ClosedOn),
		}
	},
	decode: func(d *fieldReader) venue.Venue {
		v := venue.Venue{ID: d.id(), Kind: venue.Kind(d.str("kind")), Name: d.str("name"), Community: d.str("community"),
			Address: d.str("address"), Location: d.location("lat", "lng"), Capacity: int(d.int("capacity")),
			OpeningHours: d.str("opening_hours"), ClosedOn: d.date("closed_on"), Services: []venue.Service{}}
		for _, s := range d.list("services", ",") {
			v.Services = append(v.Services, venue.Service(s))
		}
		return v
	},
	check: func(tx *syncsvc.Tx, v *venue.Venue) error {
		if tx.Role() != syncsvc.RoleHub {
			return fmt.Errorf("venues are district data, written at the hub: %w", syncsvc.ErrNotHub)
		}
		if v.ID == uuid.Nil {
			v.ID = uuid.Must(uuid.NewV7())
		}
		// One order for a set, so that writing the same set twice is no change.
		order := venue.AllServices()
		slices.SortFunc(v.Services, func(a, b venue.Service) int { return slices.Index(order, a) - slices.Index(order, b) })
		if v.Services == nil {
			v.Services = []venue.Service{}
		}
		return v.Validate()
	},
}

// PutVenue validates and stores a venue, giving it a new UUID v7 when its
// ID is zero. Venues are district data: only the hub's replica writes them
// (ErrNotHub elsewhere), and every office receives them. A venue that
// closes keeps its record with ClosedOn set.
func (r *Replica) PutVenue(ctx context.Context, v *venue.Venue) (bool, error) {
	return venueKind.putAlone(ctx, r, v)
}

// PutVenue is Replica.PutVenue within the transaction.
func (tx *Tx) PutVenue(v *venue.Venue) (bool, error) { return venueKind.put(tx.Tx, v) }

// Venue returns a live venue by id.
func (r *Replica) Venue(ctx context.Context, id uuid.UUID) (venue.Venue, error) {
	return r.Read(ctx).Venue(id)
}

// Venue is Replica.Venue through the reader.
func (rd Reads) Venue(id uuid.UUID) (venue.Venue, error) {
	return venueKind.get(rd.rd, id)
}

// VenueFilter selects venues; the zero filter selects all.
type VenueFilter struct {
	// Community, when set, selects the venues registered in it.
	Community string
	// OpenOn, when set, selects the venues open on that day.
	OpenOn cadre.Date
}

// Venues lists the live venues by community, then name.
func (r *Replica) Venues(ctx context.Context, f VenueFilter) ([]venue.Venue, error) {
	return r.Read(ctx).Venues(f)
}

// Venues is Replica.Venues through the reader.
func (rd Reads) Venues(f VenueFilter) ([]venue.Venue, error) {
	clause, args := "ORDER BY community, name, id", []any(nil)
	if f.Community != "" {
		clause, args = "community=? "+clause, []any{f.Community}
	}
	vs, err := venueKind.list(rd.rd, clause, args...)
	if err != nil || f.OpenOn.IsZero() {
		return vs, err
	}
	return slices.DeleteFunc(vs, func(v venue.Venue) bool { return !v.OpenOn(f.OpenOn) }), nil
}

var enrolmentKind = kind[venue.Enrolment]{
	table: EnrolmentsTable, noun: "program enrolment",
	id: func(e *venue.Enrolment) *uuid.UUID { return &e.ID },
	values: func(e *venue.Enrolment) map[string]any {
		return map[string]any{"community": text(e.Community), "stage": text(string(e.Stage)),
			"span": []any{dateText(e.Since), dateText(e.Until)}}
	},
	decode: func(d *fieldReader) venue.Enrolment {
		return venue.Enrolment{ID: d.id(), Community: d.str("community"), Stage: venue.Stage(d.str("stage")),
			Since: d.date("since"), Until: d.date("until")}
	},
	check: func(tx *syncsvc.Tx, e *venue.Enrolment) error {
		if tx.Role() != syncsvc.RoleHub {
			return fmt.Errorf("program enrolments are district data, written at the hub: %w", syncsvc.ErrNotHub)
		}
		if e.ID == uuid.Nil {
			e.ID = uuid.Must(uuid.NewV7())
		}
		return e.Validate()
	},
}

// PutEnrolment validates and stores a community's enrolment in the
// four-nearby program (hub only, like venues).
func (r *Replica) PutEnrolment(ctx context.Context, e *venue.Enrolment) (bool, error) {
	return enrolmentKind.putAlone(ctx, r, e)
}

// PutEnrolment is Replica.PutEnrolment within the transaction.
func (tx *Tx) PutEnrolment(e *venue.Enrolment) (bool, error) { return enrolmentKind.put(tx.Tx, e) }

// Enrolments lists the live program enrolments by community, then start.
func (r *Replica) Enrolments(ctx context.Context) ([]venue.Enrolment, error) {
	return r.Read(ctx).Enrolments()
}

// Enrolments is Replica.Enrolments through the reader.
func (rd Reads) Enrolments() ([]venue.Enrolment, error) {
	return enrolmentKind.list(rd.rd, "ORDER BY community, since, id")
}
