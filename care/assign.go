package care

import (
	"bytes"
	"cmp"
	"math"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// AssignSettings are a district's settings for 1对5 pairing.
type AssignSettings struct {
	// Policy decides who needs a pair and in which tier (cadre.Cadre.Needs).
	Policy cadre.Policy
	// Capacity is how many cadres a helper takes when the helper's own
	// Capacity is 0: 5 in 1对5 (docs/domain.md).
	Capacity int
	// Rebalance lets Assign move valid pairs to other helpers when that
	// lowers the total distance; cadres who have a valid pair stay paired.
	// The nightly merge leaves it off (valid pairs are never reshuffled);
	// `hub pair assign --apply` turns it on when a person asks.
	Rebalance bool
	// UnknownDistanceKm is the distance counted for a pair whose cadre has
	// no home location or whose helper has no base. It decides how readily
	// a helper without a base is used: only for cadres whose located helpers
	// with room are all farther than this. Default 50 km, more than a
	// district's width, so such helpers come last.
	UnknownDistanceKm float64
}

// DefaultAssignSettings returns the settings of docs/domain.md: capacity 5, no
// rebalancing, 50 km for an unknown distance, and cadre.DefaultPolicy.
func DefaultAssignSettings() AssignSettings {
	return AssignSettings{Policy: cadre.DefaultPolicy(), Capacity: 5, UnknownDistanceKm: 50}
}

// Validate reports settings Assign cannot use.
func (s AssignSettings) Validate() error {
	var ps cadre.Problems
	if s.Capacity < 1 {
		ps.Addf("capacity", cadre.ErrInvalid, "%d: a helper takes at least one cadre", s.Capacity)
	}
	if math.IsNaN(s.UnknownDistanceKm) || s.UnknownDistanceKm < 0 || s.UnknownDistanceKm > maxUnknownKm {
		ps.Addf("unknown_distance_km", cadre.ErrInvalid, "%v: want 0 to %d km", s.UnknownDistanceKm, maxUnknownKm)
	}
	return ps.Err()
}

// maxUnknownKm bounds the setting at half the Earth's circumference: no real
// distance is longer, and costs stay far from overflowing.
const maxUnknownKm = 20016

// AssignInput is what Assign decides from.
type AssignInput struct {
	// On is the date of the assignment: needs, activity and status are
	// judged on it, and new pairs start on it.
	On cadre.Date
	// Cadres are the district's cadre records (any status).
	Cadres []cadre.Cadre
	// Helpers are the helper records (any activity).
	Helpers []Helper
	// Pairs are the pair records; those ended on or before On are ignored.
	Pairs []Pair
}

// AssignResult is what Assign decided. Applying it means storing New pairs,
// and storing Ended pairs with their To and EndReason.
type AssignResult struct {
	// Pairs are the pairs in force after the assignment, kept and new,
	// sorted by helper ID, then cadre ID.
	Pairs []Assignment
	// Ended are the pairs that end, with To and EndReason set, sorted by
	// cadre ID, then helper ID.
	Ended []Pair
	// Unpaired are the cadres who need a pair and have none, sorted by
	// tier, then cadre ID.
	Unpaired []Unpaired
}

// Assignment is one pair in force after Assign.
type Assignment struct {
	Pair
	// New is true for a pair Assign proposes (its ID is zero and From is
	// the assignment date); false for a kept pair, as stored.
	New bool
	// Tier is the cadre's need tier on the assignment date.
	Tier int
	// Located is false when the cadre's home or the helper's base is
	// unknown; Km is then the UnknownDistanceKm setting, not a measurement.
	Located bool
	// Km is the great-circle distance from the helper's base to the
	// cadre's home.
	Km float64
}

// Unpaired is a cadre who needs a pair and stays without one.
type Unpaired struct {
	// CadreID is the cadre.
	CadreID uuid.UUID
	// Tier is the cadre's need tier.
	Tier int
	// Reason says why.
	Reason UnpairedReason
}

// TotalKm returns the sum of the pairs' Km: the distance Assign minimises,
// with UnknownDistanceKm for each pair whose distance is unknown. For the
// distance people travel, use MeasuredKm.
func (r AssignResult) TotalKm() float64 {
	var t float64
	for _, a := range r.Pairs {
		t += a.Km
	}
	return t
}

// MeasuredKm returns the sum of the measured distances (pairs whose helper
// base and cadre home are both known) and how many pairs have none.
func (r AssignResult) MeasuredKm() (km float64, unknown int) {
	for _, a := range r.Pairs {
		if a.Located {
			km += a.Km
		} else {
			unknown++
		}
	}
	return km, unknown
}

// Assign pairs helpers with the cadres who need one, on in.On, following
// the objective of docs/domain.md, in order:
//
//  1. Keep every existing pair that is still valid: the helper is active,
//     and the cadre is on the roll (alive, in the district) and still needs
//     a pair. Other pairs end, with the reason: the helper left, the cadre
//     died or moved away (the pair ends on the status date), the cadre no
//     longer needs one; a second pair of one cadre ends too, and so do a
//     helper's pairs above the helper's capacity, lowest tier first.
//  2. Pair as many cadres as the helpers' remaining capacity allows, tier 1
//     first. Within a tier, cadres without a home location come last: the
//     distance to them is unknown, so they are paired with what capacity
//     the located cadres of the tier leave.
//  3. Among the assignments that do both, take one of least total distance
//     between helpers' bases and cadres' homes (great-circle kilometres;
//     UnknownDistanceKm where a location is missing).
//
// No helper ends above capacity. With s.Rebalance, kept pairs may move to
// other helpers when that lowers the total distance; the cadres stay paired,
// and a move ends the old pair (EndRebalanced) and proposes a new one. The
// same input gives the same result, whatever the order of the slices: ties
// are broken by ID (records are taken to have distinct IDs).
//
// Assign assumes valid records and settings (see the Validate methods); a
// helper's negative capacity counts as zero.
func Assign(in AssignInput, s AssignSettings) AssignResult {
	a := newAssigner(in, s)
	a.judgePairs()
	a.solve()
	return a.result()
}

// assigner carries one run of Assign.
type assigner struct {
	on      cadre.Date
	s       AssignSettings
	cadres  map[uuid.UUID]*cadreInfo
	order   []*cadreInfo  // cadres that need a pair, by ID
	helpers []*helperInfo // active helpers, by ID
	byID    map[uuid.UUID]*helperInfo
	// allHelpers holds every helper record, active or not, for end dates.
	allHelpers map[uuid.UUID]*Helper
	pairs      []Pair // open pairs, by From then ID

	kept  []keptPair
	ended []Pair
	out   []Assignment
	unpd  []Unpaired
}

type cadreInfo struct {
	c       *cadre.Cadre
	tier    int
	loc     unit
	located bool
	keep    *keptPair // the cadre's valid pair, if any
	helper  *helperInfo
}

type helperInfo struct {
	h       *Helper
	idx     int
	cap     int
	kept    int
	loc     unit
	located bool
}

type keptPair struct {
	p  Pair
	c  *cadreInfo
	hp *helperInfo
}

func newAssigner(in AssignInput, s AssignSettings) *assigner {
	a := &assigner{
		on: in.On, s: s, cadres: map[uuid.UUID]*cadreInfo{},
		byID: map[uuid.UUID]*helperInfo{}, allHelpers: map[uuid.UUID]*Helper{},
	}
	for i := range in.Cadres {
		c := asOf(&in.Cadres[i], in.On)
		if _, dup := a.cadres[c.ID]; dup {
			continue
		}
		ci := &cadreInfo{c: c, tier: c.NeedTier(in.On, s.Policy)}
		ci.loc, ci.located = locatedOf(c.Location)
		a.cadres[c.ID] = ci
		if ci.tier > 0 && onRoll(c) {
			a.order = append(a.order, ci)
		}
	}
	slices.SortFunc(a.order, func(x, y *cadreInfo) int { return compareID(x.c.ID, y.c.ID) })

	for i := range in.Helpers {
		h := &in.Helpers[i]
		if _, dup := a.allHelpers[h.ID]; dup {
			continue
		}
		a.allHelpers[h.ID] = h
		if !h.Active(in.On) {
			continue
		}
		hi := &helperInfo{h: h, cap: s.CapacityOf(*h)}
		hi.loc, hi.located = locatedOf(h.Base)
		a.byID[h.ID] = hi
		a.helpers = append(a.helpers, hi)
	}
	slices.SortFunc(a.helpers, func(x, y *helperInfo) int { return compareID(x.h.ID, y.h.ID) })
	for i, h := range a.helpers {
		h.idx = i
	}

	for _, p := range in.Pairs {
		// Pairs that begin after On are not in force yet: left alone.
		if p.InForce(in.On) {
			a.pairs = append(a.pairs, p)
		}
	}
	slices.SortFunc(a.pairs, func(x, y Pair) int {
		if c := x.From.Compare(y.From); c != 0 {
			return c
		}
		return compareID(x.ID, y.ID)
	})
	return a
}

// asOf returns c as it stood on the date on: a death or move recorded for a
// later date has not happened yet.
func asOf(c *cadre.Cadre, on cadre.Date) *cadre.Cadre {
	if c.Status == cadre.StatusActive || c.Status == "" || c.StatusOn.IsZero() || !c.StatusOn.After(on) {
		return c
	}
	cp := *c
	cp.Status, cp.StatusOn = cadre.StatusActive, cadre.Date{}
	return &cp
}

// CapacityOf returns how many cadres helper h may be paired with: its own
// capacity, or s.Capacity when it has none.
func (s AssignSettings) CapacityOf(h Helper) int {
	if h.Capacity == 0 {
		return s.Capacity
	}
	return max(h.Capacity, 0)
}

// onRoll reports whether c is in the district and alive; an empty status is
// read as active, as cadre.Needs reads it.
func onRoll(c *cadre.Cadre) bool {
	return c.Status == cadre.StatusActive || c.Status == ""
}

// judgePairs keeps the valid open pairs and ends the others.
func (a *assigner) judgePairs() {
	var valid []keptPair
	for _, p := range a.pairs {
		ci := a.cadres[p.CadreID]
		hi := a.byID[p.HelperID]
		switch {
		case ci == nil:
			a.end(p, EndCadreMissing, a.on)
		case ci.c.Status == cadre.StatusDeceased:
			a.end(p, EndCadreDied, statusDay(ci.c, a.on))
		case !onRoll(ci.c):
			a.end(p, EndCadreMoved, statusDay(ci.c, a.on))
		case hi == nil:
			a.end(p, EndHelperInactive, a.helperEnd(p.HelperID))
		case ci.tier == 0:
			a.end(p, EndNotNeeded, a.on)
		case ci.keep != nil:
			a.end(p, EndDuplicate, a.on)
		default:
			k := keptPair{p: p, c: ci, hp: hi}
			ci.keep = &k
			valid = append(valid, k)
		}
	}
	if a.s.Rebalance {
		// Every valid pair's cadre stays paired; the solve decides with whom.
		a.kept = valid
		return
	}
	// A helper whose capacity was lowered keeps the highest tiers, then the
	// oldest pairs.
	slices.SortStableFunc(valid, func(x, y keptPair) int {
		if c := cmp.Compare(x.c.tier, y.c.tier); c != 0 {
			return c
		}
		return x.p.From.Compare(y.p.From)
	})
	for _, k := range valid {
		if k.hp.kept >= k.hp.cap {
			k.c.keep = nil
			a.end(k.p, EndOverCapacity, a.on)
			continue
		}
		k.hp.kept++
		k.c.helper = k.hp
		a.kept = append(a.kept, k)
	}
}

// helperEnd is the end date of a pair whose helper no longer serves: the
// helper's own end date when it is recorded and not later than the
// assignment date, else the assignment date.
func (a *assigner) helperEnd(id uuid.UUID) cadre.Date {
	if h, ok := a.allHelpers[id]; ok && !h.ActiveTo.IsZero() && !h.ActiveTo.After(a.on) {
		return h.ActiveTo
	}
	return a.on
}

// statusDay is the date a cadre died or moved away, or on when unrecorded.
func statusDay(c *cadre.Cadre, on cadre.Date) cadre.Date {
	if c.StatusOn.IsZero() || c.StatusOn.After(on) {
		return on
	}
	return c.StatusOn
}

func (a *assigner) end(p Pair, why EndReason, to cadre.Date) {
	if to.Before(p.From) {
		to = p.From
	}
	p.To, p.EndReason = to, why
	a.ended = append(a.ended, p)
}

// phase is a group of cadres that must all be paired before any of the next.
type phase []*cadreInfo

// phases orders the cadres to pair: with Rebalance, those with a valid pair
// first (keeping them paired comes first); then each tier's located cadres,
// then its cadres without a location.
func (a *assigner) phases() []phase {
	var kept phase
	var byTier [5][2]phase
	for _, ci := range a.order {
		switch {
		case ci.keep != nil && a.s.Rebalance:
			kept = append(kept, ci)
		case ci.keep != nil:
		default:
			loc := 0
			if !ci.located {
				loc = 1
			}
			byTier[ci.tier-1][loc] = append(byTier[ci.tier-1][loc], ci)
		}
	}
	out := []phase{kept}
	for t := range byTier {
		out = append(out, byTier[t][0], byTier[t][1])
	}
	return out
}

// solve pairs the phases' cadres within the helpers' free capacity.
func (a *assigner) solve() {
	free := make([]int, len(a.helpers))
	left := 0
	for i, h := range a.helpers {
		free[i] = max(h.cap-h.kept, 0)
		left += free[i]
	}
	var rows []*cadreInfo
	var dummyRows []bool
	dummyCap := 0
	var unpaired []*cadreInfo
	for _, ph := range a.phases() {
		switch {
		case left >= len(ph):
			left -= len(ph)
			rows = append(rows, ph...)
			dummyRows = append(dummyRows, make([]bool, len(ph))...)
		case left > 0:
			// The boundary phase: all its cadres are rows, and those the
			// capacity cannot take go to the dummy helper.
			dummyCap = len(ph) - left
			left = 0
			rows = append(rows, ph...)
			for range ph {
				dummyRows = append(dummyRows, true)
			}
		default:
			unpaired = append(unpaired, ph...)
		}
	}
	g := a.geoCosts(rows)
	fp := &flowProblem{
		rows: len(rows), helpers: len(a.helpers), free: free,
		dummyCap: dummyCap, dummyRows: dummyRows, costs: g,
	}
	var got []int32
	if len(rows) > 0 {
		got = fp.solve()
	}
	for r, ci := range rows {
		if got[r] < 0 {
			unpaired = append(unpaired, ci)
			continue
		}
		ci.helper = a.helpers[got[r]]
	}
	a.report(unpaired)
}

func (a *assigner) geoCosts(rows []*cadreInfo) *geoCosts {
	g := &geoCosts{
		rowU: make([]unit, len(rows)), rowOK: make([]bool, len(rows)), prefer: make([]int32, len(rows)),
		helpU: make([]unit, len(a.helpers)), helpOK: make([]bool, len(a.helpers)),
		unknown: 2 * int64(math.Round(a.s.UnknownDistanceKm*1000)),
	}
	for i, h := range a.helpers {
		g.helpU[i], g.helpOK[i] = h.loc, h.located
	}
	for r, ci := range rows {
		g.rowU[r], g.rowOK[r] = ci.loc, ci.located
		g.prefer[r] = -1
		if ci.keep != nil {
			g.prefer[r] = int32(ci.keep.hp.idx)
		}
	}
	return g
}

// report builds the result's lists.
func (a *assigner) report(unpaired []*cadreInfo) {
	newLocated := map[int]bool{} // tiers in which a located cadre got a new pair
	for _, ci := range a.order {
		if ci.helper == nil {
			continue
		}
		if ci.keep != nil && ci.keep.hp == ci.helper {
			a.out = append(a.out, a.assignment(ci, ci.keep.p, false))
			continue
		}
		if ci.keep != nil {
			a.end(ci.keep.p, EndRebalanced, a.on)
		}
		p := Pair{HelperID: ci.helper.h.ID, CadreID: ci.c.ID, From: a.on, Reason: ci.c.Needs(a.on, a.s.Policy)[0]}
		a.out = append(a.out, a.assignment(ci, p, true))
		if ci.located && ci.keep == nil {
			newLocated[ci.tier] = true
		}
	}
	for _, ci := range unpaired {
		why := UnpairedNoCapacity
		if !ci.located && newLocated[ci.tier] {
			why = UnpairedNoLocation
		}
		if ci.keep != nil {
			a.end(ci.keep.p, EndOverCapacity, a.on)
		}
		a.unpd = append(a.unpd, Unpaired{CadreID: ci.c.ID, Tier: ci.tier, Reason: why})
	}
}

func (a *assigner) assignment(ci *cadreInfo, p Pair, isNew bool) Assignment {
	out := Assignment{Pair: p, New: isNew, Tier: ci.tier, Km: a.s.UnknownDistanceKm}
	if ci.located && ci.helper.located {
		out.Located, out.Km = true, ci.loc.km(ci.helper.loc)
	}
	return out
}

func (a *assigner) result() AssignResult {
	slices.SortFunc(a.out, func(x, y Assignment) int {
		if c := compareID(x.HelperID, y.HelperID); c != 0 {
			return c
		}
		return compareID(x.CadreID, y.CadreID)
	})
	slices.SortFunc(a.ended, func(x, y Pair) int {
		if c := compareID(x.CadreID, y.CadreID); c != 0 {
			return c
		}
		if c := compareID(x.HelperID, y.HelperID); c != 0 {
			return c
		}
		return compareID(x.ID, y.ID)
	})
	slices.SortFunc(a.unpd, func(x, y Unpaired) int {
		if c := cmp.Compare(x.Tier, y.Tier); c != 0 {
			return c
		}
		return compareID(x.CadreID, y.CadreID)
	})
	return AssignResult{Pairs: nonNil(a.out), Ended: nonNil(a.ended), Unpaired: nonNil(a.unpd)}
}

// nonNil returns an empty slice for nil, so that the JSON the command
// prints has [] for an empty list.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func compareID(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) }
