package desk

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// VenueIndex indexes the replica's venues, open or closed (the index
// answers for a date), under the district's venue settings, and returns it
// with the program's enrolments.
func VenueIndex(ctx context.Context, rep *store.Replica) (*venue.Index, []venue.Enrolment, error) {
	vs, err := rep.Venues(ctx, store.VenueFilter{})
	if err != nil {
		return nil, nil, fmt.Errorf("venue index: %w", err)
	}
	es, err := rep.Enrolments(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("venue index: %w", err)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return nil, nil, fmt.Errorf("venue index: %w", err)
	}
	return venue.NewIndex(vs, rules.Venue), es, nil
}

// Nearby is the four-nearby answer for one cadre.
type Nearby struct {
	// Cadre is the cadre asked about.
	Cadre cadre.Cadre
	// Answer is, per service, the venue within walking distance or what is
	// missing, and whether the program serves the cadre.
	Answer venue.Answer
	// RadiusMetres is the walking radius the answer used.
	RadiusMetres float64
	// CommunityNames are the names of the communities registered here, by
	// code.
	CommunityNames map[string]string
}

// FourNearby answers the four nearby (四就近) for one cadre on a day.
func FourNearby(ctx context.Context, rep *store.Replica, cadreID uuid.UUID, on cadre.Date) (Nearby, error) {
	c, err := rep.Cadre(ctx, cadreID)
	if err != nil {
		return Nearby{}, fmt.Errorf("four nearby: %w", err)
	}
	ix, enrolments, err := VenueIndex(ctx, rep)
	if err != nil {
		return Nearby{}, err
	}
	names, err := CommunityNames(ctx, rep)
	if err != nil {
		return Nearby{}, err
	}
	return Nearby{Cadre: c, Answer: ix.FourNearby(c, enrolments, on), RadiusMetres: ix.Settings().RadiusMetres, CommunityNames: names}, nil
}
