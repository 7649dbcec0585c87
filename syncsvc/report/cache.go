package report

import (
	"context"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
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
//
// It keeps only what the reports read: the records an index groups and
// nothing else reads (dues payments, meetings, the pairing's input and
// answer) are read for the index and not kept apart from it, since on the
// hub of a large district each such copy is tens of MiB of the nightly
// merge's peak (BENCHMARKS.md, "The hub at scale").
type cache struct {
	ctx context.Context
	r   *store.Replica

	communities []store.Community
	branches    []branch.Branch
	memberships []branch.Membership
	posts       []branch.Post
	reliefs     []branch.DuesRelief
	venues      []venue.Venue
	enrolments  []venue.Enrolment
	helpers     []care.Helper
	schedule    map[uuid.UUID]care.Records
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
	return &cache{ctx: ctx, r: r, loaded: map[string]bool{}}
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

// release lets go of what only reports of kind k read: WriteWorkbooks
// calls it as each report of its last workbook is written, when no other
// report will read it. Anything let go is read again if asked for after.
func (c *cache) release(k Kind) {
	switch k {
	case Visits:
		c.schedule, c.loaded["schedule"] = nil, false
	case Pairs:
		c.pairsIx = nil
	case Branches:
		c.branchIx = nil
	case Dues:
		c.duesIx = nil
	}
}
