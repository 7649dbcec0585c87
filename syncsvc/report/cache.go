package report

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
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

	// incremental marks a Cache's cache, which is told which cadres were
	// written (Cache.ForgetCadres): its pairing keeps what it read of each
	// cadre (pairsIndex.read), and what it read before stands for the
	// cadres not written, in cadreWas and pairsWas, until asked for.
	incremental bool
	cadreWas    *keptIndex[*cadreIndex]
	pairsWas    *keptIndex[*pairsIndex]

	// src reads what a Cache's owner keeps itself; zero for the replica.
	src Sources
	// reads, while a Cache builds a report, gathers the tables the report
	// read (read); nil otherwise.
	reads map[string]bool
}

// read notes, while a Cache builds a report, that the report read the
// tables.
func (c *cache) read(tables ...string) {
	if c.reads == nil {
		return
	}
	for _, t := range tables {
		c.reads[t] = true
	}
}

func newCache(ctx context.Context, r *store.Replica) *cache {
	return &cache{ctx: ctx, r: r, loaded: map[string]bool{}}
}

// once loads a slice the first time it is asked for and returns a copy.
func once[T any](c *cache, key string, slot *[]T, load func() ([]T, error)) ([]T, error) {
	if reads, ok := readsOf[key]; ok {
		c.read(reads...)
	} else {
		c.read(notRecords)
	}
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
	c.read(store.ScheduleTables...)
	if !c.loaded["schedule"] {
		read := c.r.ScheduleRecordsByCadre
		if c.src.ScheduleRecords != nil {
			read = c.src.ScheduleRecords
		}
		recs, err := read(c.ctx)
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
		c.pairsIx, c.pairsWas = nil, nil
	case Branches:
		c.branchIx = nil
	case Dues:
		c.duesIx = nil
	}
}

// Sources read, for a Cache, what its owner keeps of the replica itself
// (the office desk's memo), so that it is read once for both; a nil
// function reads the replica.
type Sources struct {
	// Cadres lists every live cadre, as store.Replica.Cadres with no
	// filter does; the list is the owner's: a report never changes it.
	Cadres func(ctx context.Context) ([]cadre.Cadre, error)
	// ScheduleRecords reads what store.Replica.ScheduleRecordsByCadre
	// reads; the map is the owner's: a report never changes it.
	ScheduleRecords func(ctx context.Context) (map[uuid.UUID]care.Records, error)
}

// Cache keeps what reports read of a replica from one build to the next,
// for a program that keeps the replica open and builds its reports again
// and again (the office desk): what a build reads and groups — the
// cadres in report order, the pairing care.Assign works out, the branch
// records — stands until its owner says, with Forget, which tables were
// written since. Its reports are Build's. It is safe for concurrent use;
// builds run one at a time.
type Cache struct {
	mu       sync.Mutex
	c        *cache
	settings *Settings
	// built are the reports built, by kind and options but Now, with the
	// tables each read.
	built map[builtKey]builtReport
}

// builtKey is a report's kind and the options it was built with, but
// Now and Settings (a Cache forgets everything when those change).
type builtKey struct {
	kind        Kind
	on          cadre.Date
	communities string
	since       time.Time
}

// builtReport is a report a Cache built and the tables it read.
type builtReport struct {
	r     *Report
	reads map[string]bool
}

// NewCache returns a Cache over r that reads through src what src reads.
func NewCache(r *store.Replica, src Sources) *Cache {
	c := newCache(context.Background(), r)
	c.src, c.incremental = src, true
	return &Cache{c: c, built: map[builtKey]builtReport{}}
}

// Build is Build over the cache's replica, from what the cache kept: a
// report built before with the same options, none of whose tables was
// written since, is given again with o.Now. Its tables are shared with
// the cache and every caller: read them, never change them. Settings
// other than the last build's make it read everything again.
func (c *Cache) Build(ctx context.Context, k Kind, o Options) (*Report, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !reflect.DeepEqual(c.settings, o.Settings) {
		c.forget(nil)
		c.settings = o.Settings
	}
	key := builtKey{kind: k, on: o.On, since: o.Since, communities: strings.Join(o.Communities, "\x00")}
	if o.Communities == nil {
		key.communities = "\x00all"
	}
	if b, ok := c.built[key]; ok {
		r := *b.r
		r.Now = o.Now
		return &r, nil
	}
	c.c.ctx, c.c.reads = ctx, map[string]bool{}
	defer func() { c.c.ctx, c.c.reads = context.Background(), nil }()
	r, err := build(ctx, c.c.r, k, o, c.c)
	if err != nil {
		return nil, err
	}
	if !c.c.reads[notRecords] {
		c.built[key] = builtReport{r: r, reads: c.c.reads}
	}
	return r, nil
}

// Forget drops what the cache kept that a write of the tables may have
// changed; no tables (nil) drops everything, as a write the owner was not
// told the tables of must.
func (c *Cache) Forget(tables []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forget(tables)
}

// forget is Forget; the caller holds mu.
func (c *Cache) forget(tables []string) {
	c.c.forget(tables)
	for key, b := range c.built {
		if tables == nil || slices.ContainsFunc(tables, func(t string) bool { return b.reads[t] || t == store.SettingsTable }) {
			delete(c.built, key)
		}
	}
}

// readsOf are the tables each of the cache's loads reads (the keys of
// loaded); what is not here (the hub's sync summary and refusals, which
// are not records) is dropped by every Forget.
var readsOf = map[string][]string{
	"communities": {store.CommunitiesTable},
	"branches":    {store.BranchesTable},
	"memberships": {store.MembershipsTable},
	"posts":       {store.PostsTable},
	"reliefs":     {store.DuesReliefsTable},
	"venues":      {store.VenuesTable},
	"enrolments":  {store.EnrolmentsTable},
	"helpers":     {store.HelpersTable},
	"schedule":    store.ScheduleTables,
}

// meetingsReads are the tables of a branch's doings, which the meetings
// and the branch index read.
var meetingsReads = []string{store.MeetingsTable, store.AttendanceTable, store.DeliveriesTable, store.TrainingTable, store.FeedbackTable}

// The tables the indexes and the pairing read, all told.
var (
	assignReads      = []string{store.CadresTable, store.HelpersTable, store.PairsTable}
	branchIndexReads = append([]string{store.CadresTable, store.BranchesTable, store.MembershipsTable, store.PostsTable}, meetingsReads...)
	duesIndexReads   = []string{store.CadresTable, store.BranchesTable, store.MembershipsTable, store.DuesPaymentsTable, store.DuesReliefsTable}
)

// notRecords marks, among the tables a report read, what is not a record
// type's table (the hub's sync summary and refusals): a Cache keeps no
// such report.
const notRecords = "*"

// ForgetCadres is Forget for writes that stored or deleted, in the cadres
// table, only the cadres of the ids (when tables holds store.CadresTable):
// what the cache grouped of the others stands — the cadres in report
// order, and the pairing while none of the cadres written changed in what
// care.Assign reads (sameForAssign) — and is put right for those cadres
// when next asked for. Nil ids are every cadre, as Forget.
func (c *Cache) ForgetCadres(tables []string, ids []uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ids == nil || len(ids) > syncsvc.MaxCommitRecords || !slices.Contains(tables, store.CadresTable) {
		c.forget(tables)
		return
	}
	cadreIx, pairsIx := c.c.cadreIx, c.c.pairsIx
	cadreWas, pairsWas := c.c.cadreWas, c.c.pairsWas
	c.forget(tables)
	// What the other tables' writes leave, the cadres' write leaves but
	// for the cadres written.
	others := slices.DeleteFunc(slices.Clone(tables), func(t string) bool { return t == store.CadresTable })
	cc := c.c
	if !cc.hit(others, store.CommunitiesTable) {
		cc.cadreWas = cadreWas.then(cadreIx, cadreIx != nil, ids)
	}
	if !cc.hit(others, store.CommunitiesTable) && !cc.hit(others, assignReads...) {
		cc.pairsWas = pairsWas.then(pairsIx, pairsIx != nil, ids)
	}
}

// keptIndex is an index built before the cadres of stale were written:
// it stands for every other cadre.
type keptIndex[T any] struct {
	ix    T
	stale map[uuid.UUID]bool
}

// then returns what stands after the cadres of ids are written: ix, when
// built (the index standing until now), or else what k kept, with the ids
// added to its stale; nil when neither, or when the cadres written since
// are more than syncsvc.MaxCommitRecords.
func (k *keptIndex[T]) then(ix T, built bool, ids []uuid.UUID) *keptIndex[T] {
	var next *keptIndex[T]
	switch {
	case built:
		next = &keptIndex[T]{ix: ix, stale: map[uuid.UUID]bool{}}
	case k != nil:
		next = &keptIndex[T]{ix: k.ix, stale: maps.Clone(k.stale)}
	default:
		return nil
	}
	for _, id := range ids {
		next.stale[id] = true
	}
	if len(next.stale) > syncsvc.MaxCommitRecords {
		return nil
	}
	return next
}

// hit reports whether a write of the tables (nil: every table) may have
// changed what was read of the reads.
func (c *cache) hit(tables []string, reads ...string) bool {
	if tables == nil || slices.Contains(tables, store.SettingsTable) {
		return true
	}
	for _, t := range reads {
		if slices.Contains(tables, t) {
			return true
		}
	}
	return false
}

// forget is Cache.Forget; it drops what was kept of the cadres written
// (cadreWas, pairsWas) too.
func (c *cache) forget(tables []string) {
	hit := func(reads ...string) bool { return c.hit(tables, reads...) }
	if len(tables) == 0 && tables != nil {
		// Nothing but the replica's bookkeeping: only what is not records
		// goes.
		for key := range c.loaded {
			if _, ok := readsOf[key]; !ok {
				delete(c.loaded, key)
			}
		}
		c.syncSums = nil
		return
	}
	for key := range c.loaded {
		if reads, ok := readsOf[key]; !ok || hit(reads...) {
			delete(c.loaded, key)
		}
	}
	c.syncSums = nil
	if hit(assignReads...) {
		c.pairsIx, c.pairsWas = nil, nil
	}
	if hit(store.CadresTable, store.CommunitiesTable) {
		c.cadreIx, c.pairsIx = nil, nil
		c.cadreWas, c.pairsWas = nil, nil
	}
	if hit(branchIndexReads...) {
		c.branchIx = nil
	}
	if hit(duesIndexReads...) {
		c.duesIx = nil
	}
}
