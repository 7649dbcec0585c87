package desk

import (
	"context"
	"fmt"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// CoverageInput says whose four-nearby coverage to count, and when.
type CoverageInput struct {
	// Community counts only the cadres of this community; "" counts every
	// cadre held here.
	Community string
	// On is the day counted on.
	On cadre.Date
	// Sites, when above 0, also proposes up to Sites new sites per
	// service, each covering the most eligible cadres still without it.
	Sites int
}

// SiteView is one proposed site of a new venue: a cadre's home, as
// venue.Index.BestNewSites proposes with no candidates of its own.
type SiteView struct {
	// Site is the proposal.
	Site venue.Site
	// NearestCommunity is the code of the community whose centre is
	// nearest, ties by code; "" when no community has a centre.
	NearestCommunity string
}

// ServiceSites are the proposed sites of new venues for one service.
type ServiceSites struct {
	// Service is the service.
	Service venue.Service
	// Uncovered is how many eligible cadres with home coordinates have the
	// service out of reach.
	Uncovered int
	// Sites are the proposals, best first.
	Sites []SiteView
}

// CoverageView is a coverage report of the four-nearby program.
type CoverageView struct {
	// Report is venue.Index.Coverage's count of the cadres, overall and
	// per community.
	Report venue.CoverageReport
	// RadiusMetres is the walking radius counted within.
	RadiusMetres float64
	// CommunityNames are the names of the communities registered here, by
	// code.
	CommunityNames map[string]string
	// Sites are the proposed sites per service, in venue.AllServices
	// order, when CoverageInput.Sites is above 0; empty otherwise.
	Sites []ServiceSites
}

// Coverage counts how many cadres the four-nearby program serves and how
// many have each service within walking distance, per community.
func Coverage(ctx context.Context, r *store.Replica, in CoverageInput) (CoverageView, error) {
	v, err := coverage(ctx, r, in)
	if err != nil {
		return CoverageView{}, fmt.Errorf("four-nearby coverage on %s: %w", in.On, err)
	}
	return v, nil
}

func coverage(ctx context.Context, r *store.Replica, in CoverageInput) (CoverageView, error) {
	communities, err := r.Communities(ctx)
	if err != nil {
		return CoverageView{}, err
	}
	v := CoverageView{CommunityNames: map[string]string{}, Sites: []ServiceSites{}}
	for _, c := range communities {
		v.CommunityNames[c.Code] = c.Name
	}
	if _, ok := v.CommunityNames[in.Community]; in.Community != "" && in.Community != cadre.DistrictScope && !ok {
		return CoverageView{}, fmt.Errorf("community %q: %w", in.Community, ErrUnknownCommunity)
	}
	cs, err := r.Cadres(ctx, store.CadreFilter{Community: in.Community})
	if err != nil {
		return CoverageView{}, err
	}
	vs, err := r.Venues(ctx, store.VenueFilter{})
	if err != nil {
		return CoverageView{}, err
	}
	enrolments, err := r.Enrolments(ctx)
	if err != nil {
		return CoverageView{}, err
	}
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return CoverageView{}, err
	}
	ix := venue.NewIndex(vs, rules.Venue)
	v.Report = ix.Coverage(cs, enrolments, in.On)
	v.RadiusMetres = ix.Settings().RadiusMetres
	if in.Sites <= 0 {
		return v, nil
	}
	located := v.Report.Eligible - v.Report.Unlocated
	for i, s := range venue.AllServices() {
		ss := ServiceSites{Service: s, Uncovered: located - v.Report.Covered[i].Cadres, Sites: []SiteView{}}
		for _, site := range ix.BestNewSites(cs, enrolments, in.On, nil, s, in.Sites) {
			ss.Sites = append(ss.Sites, SiteView{Site: site, NearestCommunity: nearestCommunity(communities, site.Location)})
		}
		v.Sites = append(v.Sites, ss)
	}
	return v, nil
}

// nearestCommunity is the code of the community whose centre is nearest
// p, ties by code; "" when no community has a centre.
func nearestCommunity(cs []store.Community, p cadre.Location) string {
	best, bestM := "", 0.0
	for _, c := range cs {
		if c.Centre == nil || !c.Centre.Valid() {
			continue
		}
		m := venue.GreatCircleMetres(p, *c.Centre)
		if best == "" || m < bestM || (m == bestM && c.Code < best) {
			best, bestM = c.Code, m
		}
	}
	return best
}
