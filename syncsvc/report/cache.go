package report

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// cache holds what reports read from a replica, read once and shared by
// every report built with it: BuildAll's kinds, and WriteWorkbooks' district
// and offices, which would otherwise read the whole replica again for each.
// Getters hand out copies of the slices, so that no report sees another's
// sorting; the maps and indexes (index.go) are shared and read only. A
// cache is used by one goroutine at a time.
type cache struct {
	ctx context.Context
	r   *store.Replica

	communities []store.Community
	branches    []branch.Branch
	memberships []branch.Membership
	posts       []branch.Post
	meetings    map[store.MeetingFilter][]branch.Meeting
	payments    []branch.DuesPayment
	reliefs     []branch.DuesRelief
	venues      []venue.Venue
	enrolments  []venue.Enrolment
	helpers     []care.Helper
	schedule    map[uuid.UUID]care.Records
	assignOn    cadre.Date
	assignIn    *care.AssignInput
	assignRes   *care.AssignResult
	refusals    []syncsvc.RefusalRecord
	syncSums    []syncsvc.OfficeSummary
	syncSince   time.Time
	loaded      map[string]bool

	// The records grouped once (index.go).
	cadreIx  *cadreIndex
	branchIx *branchIndex
	duesIx   *duesIndex
	pairsIx  *pairsIndex
}

func newCache(ctx context.Context, r *store.Replica) *cache {
	return &cache{ctx: ctx, r: r, loaded: map[string]bool{}, meetings: map[store.MeetingFilter][]branch.Meeting{}}
}

// once loads a slice the first time it is asked for and returns a copy.
func once[T any](c *cache, key string, slot *[]T, load func() ([]T, error)) ([]T, error) {
	if !c.loaded[key] {
		v, err := load()
		if err != nil {
			return nil, err
		}
		*slot, c.loaded[key] = v, true
	}
	return slices.Clone(*slot), nil
}

func (c *cache) Communities() ([]store.Community, error) {
	return once(c, "communities", &c.communities, func() ([]store.Community, error) { return c.r.Communities(c.ctx) })
}

func (c *cache) Branches() ([]branch.Branch, error) {
	return once(c, "branches", &c.branches, func() ([]branch.Branch, error) { return c.r.Branches(c.ctx, "") })
}

func (c *cache) Memberships() ([]branch.Membership, error) {
	return once(c, "memberships", &c.memberships, func() ([]branch.Membership, error) { return c.r.Memberships(c.ctx, store.MembershipFilter{}) })
}

func (c *cache) Posts() ([]branch.Post, error) {
	return once(c, "posts", &c.posts, func() ([]branch.Post, error) { return c.r.Posts(c.ctx, uuid.Nil) })
}

func (c *cache) Meetings(f store.MeetingFilter) ([]branch.Meeting, error) {
	if ms, ok := c.meetings[f]; ok {
		return slices.Clone(ms), nil
	}
	ms, err := c.r.Meetings(c.ctx, f)
	if err != nil {
		return nil, err
	}
	c.meetings[f] = ms
	return slices.Clone(ms), nil
}

func (c *cache) DuesPayments() ([]branch.DuesPayment, error) {
	return once(c, "payments", &c.payments, func() ([]branch.DuesPayment, error) { return c.r.DuesPayments(c.ctx, uuid.Nil) })
}

func (c *cache) DuesReliefs() ([]branch.DuesRelief, error) {
	return once(c, "reliefs", &c.reliefs, func() ([]branch.DuesRelief, error) { return c.r.DuesReliefs(c.ctx, uuid.Nil) })
}

func (c *cache) Venues() ([]venue.Venue, error) {
	return once(c, "venues", &c.venues, func() ([]venue.Venue, error) { return c.r.Venues(c.ctx, store.VenueFilter{}) })
}

func (c *cache) Enrolments() ([]venue.Enrolment, error) {
	return once(c, "enrolments", &c.enrolments, func() ([]venue.Enrolment, error) { return c.r.Enrolments(c.ctx) })
}

func (c *cache) Helpers() ([]care.Helper, error) {
	return once(c, "helpers", &c.helpers, func() ([]care.Helper, error) { return c.r.Helpers(c.ctx, store.HelperFilter{}) })
}

// ScheduleRecords is every cadre's visit records, by cadre: shared, read
// only.
func (c *cache) ScheduleRecords() (map[uuid.UUID]care.Records, error) {
	if !c.loaded["schedule"] {
		recs, err := c.r.ScheduleRecordsByCadre(c.ctx)
		if err != nil {
			return nil, err
		}
		c.schedule, c.loaded["schedule"] = recs, true
	}
	return c.schedule, nil
}

// Assignment is care.Assign without rebalancing over the replica's whole
// AssignInput on a date, computed once per date.
func (c *cache) Assignment(on cadre.Date, s care.AssignSettings) (care.AssignInput, care.AssignResult, error) {
	s.Rebalance = false
	if c.assignIn == nil || c.assignOn != on {
		in, err := c.r.AssignInput(c.ctx, on)
		if err != nil {
			return care.AssignInput{}, care.AssignResult{}, err
		}
		res := care.Assign(in, s)
		c.assignOn, c.assignIn, c.assignRes = on, &in, &res
	}
	res := *c.assignRes
	res.Pairs, res.Ended, res.Unpaired = slices.Clone(res.Pairs), slices.Clone(res.Ended), slices.Clone(res.Unpaired)
	return *c.assignIn, res, nil
}
