package venue

import (
	"bytes"
	"cmp"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Index answers "which venues are within walking distance" for many homes
// against one set of venues. It is built once by NewIndex, is never
// changed, and may be used from several goroutines at once.
type Index struct {
	s Settings
	// radius is the radius worded, "500米".
	radius Text
	// venues are sorted by ID, so that a venue's position is its place in
	// every tie.
	venues []Venue
	// spots repeat what the searches read of each venue, packed together.
	spots []spot
	// grid holds every located venue.
	grid grid
	// community lists, per service, the venues registered in each
	// community, located or not, by kind and name, for cadres whose home
	// has no coordinates.
	community map[string]*[len(order)]listing
	queries   sync.Pool
}

// Reached is a venue within reach of a home, with the walking distance to
// it.
type Reached struct {
	// Venue is the venue. It points into the index: read it, do not
	// change it.
	Venue *Venue `json:"venue"`
	// Metres is the walking distance from the home, to the millimetre.
	Metres float64 `json:"metres"`
}

// NewIndex indexes venues under s. Venues keep their order by ID; one
// without a valid location is never within reach but is still listed for
// its community. Settings that Validate refuses are replaced by their
// defaults. Venues are copied, so later changes to the slice do not reach
// the index.
func NewIndex(venues []Venue, s Settings) *Index {
	ix := &Index{s: s.workable(), venues: slices.Clone(venues), community: map[string]*[len(order)]listing{}}
	ix.grid = newGrid(ix.withinMetres())
	ix.radius = distance(ix.s.RadiusMetres)
	slices.SortStableFunc(ix.venues, func(a, b Venue) int { return compareID(a.ID, b.ID) })
	ix.queries.New = func() any { return &query{ix: ix} }
	ix.spots = make([]spot, len(ix.venues))
	for i := range ix.venues {
		v := &ix.venues[i]
		v.Services = slices.Clone(v.Services)
		ix.spots[i] = spot{set: setOf(v.Services), closed: math.MaxInt32}
		if !v.ClosedOn.IsZero() {
			ix.spots[i].closed = dayNumber(v.ClosedOn)
		}
		ix.list(v.Community, int32(i))
		if !located(v.Location) {
			v.Location = nil
			continue
		}
		loc := *v.Location
		v.Location = &loc
		ix.spots[i].u = unitOf(loc)
		ix.grid.add(loc, int32(i))
	}
	for community, lists := range ix.community {
		for j := range lists {
			l := &lists[j]
			slices.SortStableFunc(l.venues, func(x, y *Venue) int {
				return cmp.Or(cmp.Compare(kinds.Index(x.Kind), kinds.Index(y.Kind)), strings.Compare(x.Name, y.Name))
			})
			l.missing = ix.inCommunity(order[j], community, l.venues)
		}
	}
	return ix
}

// list enters the i-th venue in its community's listing of each service it
// offers.
func (ix *Index) list(community string, i int32) {
	lists := ix.community[community]
	if lists == nil {
		lists = new([len(order)]listing)
		ix.community[community] = lists
	}
	v := &ix.venues[i]
	for j, s := range order {
		if ix.spots[i].set&s.bit() == 0 {
			continue
		}
		l := &lists[j]
		l.venues = append(l.venues, v)
		if !v.ClosedOn.IsZero() && (l.firstClosed.IsZero() || v.ClosedOn.Before(l.firstClosed)) {
			l.firstClosed = v.ClosedOn
		}
	}
}

// Settings returns the settings the index measures with.
func (ix *Index) Settings() Settings { return ix.s }

// Reach returns the venues open on the date whose walking distance from at
// is within the radius, nearest first, ties by ID. A venue closed on or
// before the date is left out; an invalid position reaches nothing.
func (ix *Index) Reach(at cadre.Location, on cadre.Date) []Reached {
	if !at.Valid() {
		return nil
	}
	q := ix.query(unitOf(at), on)
	defer ix.done(q)
	hs := q.within(at)
	out := make([]Reached, len(hs))
	for i, h := range hs {
		out[i] = ix.reached(h)
	}
	return out
}

// hit is a venue found for a home: its position in the index and its
// walking distance.
type hit struct {
	i int32
	m float64
}

func (ix *Index) reached(h hit) Reached { return Reached{Venue: &ix.venues[h.i], Metres: h.m} }

// spot is what a search reads of a venue: where it is, what it offers,
// and the day number it closes on (math.MaxInt32 while open).
type spot struct {
	u      unit
	closed int32
	set    serviceSet
}

// query is the state of one search from one home. Queries are pooled, so
// that answering a home allocates nothing for the search itself.
type query struct {
	ix   *Index
	u    unit
	on   int32
	hits []hit
	// maxChord2 is the squared chord beyond which no venue can be within
	// the radius, so that those venues cost no arcsine.
	maxChord2 float64
	// visit is what scanWithin calls for each venue within the radius.
	visit func(*query, int32, float64)
	// each holds the results of nearestEach.
	each [len(order)]hit
	// want and best are the service and the best venue of nearest.
	want serviceSet
	best hit
}

// query returns a query from home u on the date; give it back with done.
func (ix *Index) query(u unit, on cadre.Date) *query {
	q := ix.queries.Get().(*query)
	q.u, q.on, q.hits = u, dayNumber(on), q.hits[:0]
	return q
}

func (ix *Index) done(q *query) { ix.queries.Put(q) }

// withinMetres is the great-circle distance that holds every venue within
// the radius: a venue whose walk rounds to the radius may lie half a
// millimetre beyond it.
func (ix *Index) withinMetres() float64 { return (ix.s.RadiusMetres + 0.001) / ix.s.DetourFactor }

// within finds the venues open on the date within the radius of at (whose
// unit vector is q.u), nearest first, ties by ID, in q.hits.
func (q *query) within(at cadre.Location) []hit {
	q.hits = q.hits[:0]
	q.scanWithin(at, (*query).within1)
	sortHits(q.hits)
	return q.hits
}

func (q *query) within1(i int32, m float64) { q.hits = append(q.hits, hit{i, m}) }

// nearestEach finds, for each service in order, the nearest venue open on
// the date within the radius of at that offers it (i < 0 for none): what
// FourNearby needs, without the list that within sorts.
func (q *query) nearestEach(at cadre.Location) [len(order)]hit {
	for j := range q.each {
		q.each[j] = hit{i: -1}
	}
	q.scanWithin(at, (*query).nearestEach1)
	return q.each
}

func (q *query) nearestEach1(i int32, m float64) {
	h, set := hit{i, m}, q.ix.spots[i].set
	for j := range q.each {
		if set&(1<<j) != 0 && (q.each[j].i < 0 || h.before(q.each[j])) {
			q.each[j] = h
		}
	}
}

// scanWithin calls visit with each venue open on the date within the
// radius of at, and its walking distance, in no particular order.
func (q *query) scanWithin(at cadre.Location, visit func(*query, int32, float64)) {
	g := q.ix.withinMetres()
	c := 2 * math.Sin(g/EarthRadiusMetres/2)
	q.maxChord2 = c * c * (1 + 1e-9)
	q.visit = visit
	b, _ := boxAround(at, g)
	scan(&q.ix.grid, b, q, (*query).inRadius)
}

func (q *query) inRadius(i int32) {
	sp := &q.ix.spots[i]
	c2 := q.u.chord2(sp.u)
	if c2 > q.maxChord2 || q.on >= sp.closed {
		return
	}
	if m := q.ix.s.walk(c2); m <= q.ix.s.RadiusMetres {
		q.visit(q, i, m)
	}
}

// sortHits sorts hits nearest first, ties by ID. There are a dozen at
// most, for which insertion is the fastest sort.
func sortHits(hs []hit) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].before(hs[j-1]); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

func (h hit) before(o hit) bool { return h.m < o.m || (h.m == o.m && h.i < o.i) }

// nearest returns the nearest venue open on the date that offers service, at
// any distance. It searches boxes of growing size: once the best venue
// found lies inside the circle the box holds, no venue outside the box can
// be nearer, nor as near with a smaller ID.
func (q *query) nearest(service Service, at cadre.Location) (hit, bool) {
	s := &q.ix.s
	q.want = service.bit()
	for g := 2 * s.RadiusMetres / s.DetourFactor; ; g *= 4 {
		b, whole := boxAround(at, g)
		q.best = hit{i: -1}
		whole = scan(&q.ix.grid, b, q, (*query).nearest1) || whole
		// Inside the box means a walk of at most g × detour; rounding to
		// the millimetre may shorten a walk outside it by half of one.
		if whole || (q.best.i >= 0 && q.best.m < g*s.DetourFactor-0.001) {
			return q.best, q.best.i >= 0
		}
	}
}

func (q *query) nearest1(i int32) {
	sp := &q.ix.spots[i]
	if sp.set&q.want == 0 || q.on >= sp.closed {
		return
	}
	if h := (hit{i, q.ix.s.walk(q.u.chord2(sp.u))}); q.best.i < 0 || h.before(q.best) {
		q.best = h
	}
}

// dayNumber counts the days from 1970-01-01 to d in the proleptic
// Gregorian calendar (H. Hinnant's days_from_civil), so that a search
// compares dates as integers.
func dayNumber(d cadre.Date) int32 {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int32(era*146097 + doe - 719468)
}

// compareID orders UUIDs by their bytes, the order ties are broken in.
func compareID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
