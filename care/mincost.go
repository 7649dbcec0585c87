package care

import (
	"math"
	"slices"
)

// This file solves the distance part of Assign exactly: given the rows
// (cadres) that must be paired and the helpers' free capacity, it finds an
// assignment of least total cost. It is a min-cost flow from rows through
// helpers to a sink, solved by successive shortest paths: rows are added one
// at a time, each along a shortest augmenting path (Dijkstra on reduced
// costs with node potentials, stopped at the sink), which keeps the
// assignment of the rows added so far optimal — the Hungarian method for
// unbalanced problems. The order rows are added in does not change the
// optimum, only which of several equal optima is found.
//
// Three things make it fast on a district's dense problem (every cadre may
// go to every helper: 10,000 × 2,000 arcs):
//
//   - Sparse arcs. Each row starts with arcs to its cheapest helpers only
//     (found through the cells of cells.go), plus one to the cheapest
//     helper with room when none of those has any, so that every row can
//     always be paired.
//   - Pricing. After all rows are in, every missing arc is priced against
//     the potentials. One with negative reduced cost could still lower the
//     cost: it is added, and either a search from its helper, bounded by
//     how negative the arc is, finds the cheaper cycle through it and moves
//     the rows round it, or, when many arcs are missing, the rows are solved
//     again with them. When no missing arc prices negative, the potentials
//     certify that the assignment is optimal for the dense problem.
//   - Prices, when the rows fill every place exactly. Then pairs form long
//     chains across the district, and a plain search for the last rows
//     explores most of it (2.4 million nodes settled on the benchmark).
//     Adding to every arc into a helper a price that says how contested it
//     is changes no optimum, since every helper ends full and the prices add
//     the same sum to every assignment; it makes the searches short and the
//     cheapest arcs the right ones. The prices come from the same problem
//     solved on a coarse grid (cells.go).

// nearest is how many of its cheapest helpers a row starts with. Measured
// on the benchmark's instance (10,000 cadres, 2,000 helpers, capacity
// exactly enough): 8 leaves pricing 12,000 arcs to add, 16 leaves 500 and
// 20 makes the searches slower than that saves.
const nearest = 16

// maxGroupArcs bounds the arcs of a cadre at an address shared with others.
const maxGroupArcs = 256

// resolveShare: pricing that finds more than one missing arc per this many
// rows solves again rather than repairing arc by arc.
const resolveShare = 20

// arc is a row's arc to helper h at cost w. Eight bytes, so that a row's
// arcs share a cache line or two: the searches are bound by memory.
type arc struct {
	h int32
	w int32
}

// flowProblem is one solve.
type flowProblem struct {
	rows    int
	helpers int
	free    []int // free capacity of each real helper
	// dummyCap is the capacity of a dummy helper for the boundary phase: the
	// rows of that phase the capacity cannot take. Pairing only some of a
	// phase is a choice of which; routing the rest to a zero-cost dummy
	// lets the min-cost flow make that choice.
	dummyCap  int
	dummyRows []bool // rows allowed to use the dummy
	costs     *geoCosts
}

type flowSolver struct {
	p     *flowProblem
	nH    int // real helpers plus the dummy, if any
	sink  int32
	cells *cells
	price []int64 // each helper's price, added to the cost of every arc into it
	arcs  [][]arc
	dense []bool  // the row has arcs to every helper
	bound []int64 // no helper missing from a row's arcs has a lower w

	free   []int
	member [][]int32 // rows assigned to each helper
	at     []int32   // each row's helper, or -1
	atCost []int64   // w of each row's assigned arc
	// pot holds the potentials: rows [0, rows), helpers [rows, rows+nH),
	// then the sink. Every residual arc has a non-negative reduced cost.
	pot []int64

	dist    []int64
	seen    []uint32 // == stamp: dist holds a tentative distance
	done    []uint32 // == stamp: settled
	stamp   uint32
	parent  []int32
	parentW []int64 // w of the row→helper arc a helper was reached by
	settled []int32
	heap    nodeHeap
	steps   []step
	cands   []cand
}

// solve returns the helper of each row, or -1 for a row left unpaired (sent
// to the dummy).
func (p *flowProblem) solve() []int32 {
	s := newFlowSolver(p)
	s.cells = newCells(p.costs, p.rows)
	if s.balanced() {
		s.price = s.cells.transportPrices(p)[:s.nH]
	}
	s.cells.setPrices(s.price)
	s.start()
	s.addRows()
	s.certify()
	out := make([]int32, p.rows)
	for r, h := range s.at {
		if int(h) >= p.helpers {
			h = -1
		}
		out[r] = h
	}
	return out
}

// balanced reports whether the rows fill every place exactly: then every
// helper ends full, prices change no optimum, and they are worth their
// cost. With room to spare they are not needed: searches end at the
// nearest free place.
func (s *flowSolver) balanced() bool {
	n := s.p.dummyCap
	for _, f := range s.p.free {
		n += f
	}
	return n == s.p.rows
}

func newFlowSolver(p *flowProblem) *flowSolver {
	s := &flowSolver{p: p, nH: p.helpers}
	if p.dummyCap > 0 {
		s.nH++
	}
	n := p.rows + s.nH + 1
	s.sink = int32(n - 1)
	s.free = make([]int, s.nH)
	s.member = make([][]int32, s.nH)
	s.at = make([]int32, p.rows)
	s.atCost = make([]int64, p.rows)
	s.pot = make([]int64, n)
	s.dist = make([]int64, n)
	s.seen = make([]uint32, n)
	s.done = make([]uint32, n)
	s.parent = make([]int32, n)
	s.parentW = make([]int64, n)
	s.price = make([]int64, s.nH)
	s.arcs = make([][]arc, p.rows)
	s.dense = make([]bool, p.rows)
	s.bound = make([]int64, p.rows)
	return s
}

// empty takes every row off its helper.
func (s *flowSolver) empty() {
	p := s.p
	copy(s.free, p.free)
	if s.nH > p.helpers {
		s.free[p.helpers] = p.dummyCap
	}
	for h := range s.member {
		s.member[h] = s.member[h][:0]
	}
	for r := range s.at {
		s.at[r] = -1
	}
}

// start gives each row arcs to its cheapest helpers at the prices.
func (s *flowSolver) start() {
	p := s.p
	s.empty()
	// Cadres at one address (a retired cadres' compound, 干休所) compete for
	// the same nearest helpers; each gets enough arcs for the whole group,
	// or pricing would add them by the thousand.
	group := map[unit]int{}
	for r := range p.rows {
		if p.costs.rowOK[r] {
			group[p.costs.rowU[r]]++
		}
	}
	totalFree := 0
	for _, f := range p.free {
		totalFree += f
	}
	perHelper := max(float64(totalFree)/float64(p.helpers), 1)
	var last unit
	for r := range p.rows {
		k := nearest
		if g := group[p.costs.rowU[r]]; p.costs.rowOK[r] && g > 1 {
			k = min(nearest+2*int(math.Ceil(float64(g)/perHelper)), maxGroupArcs)
		}
		k = min(k, p.helpers)
		if r == 0 || !p.costs.rowOK[r] || p.costs.rowU[r] != last || len(s.cands) != k {
			s.cands = s.cells.nearest(r, k, s.price, nil, s.cands)
		}
		last = p.costs.rowU[r]
		as := s.arcs[r][:0]
		for _, c := range s.cands {
			as = append(as, s.arcTo(r, c.h))
		}
		s.dense[r] = k == p.helpers
		if !s.dense[r] {
			s.bound[r] = s.cands[k-1].key
		}
		// The current helper's arc, one cheaper to win ties, is there from
		// the start, so that keeping a pair never waits on pricing.
		if h := p.costs.prefer[r]; h >= 0 && !slices.ContainsFunc(as, func(a arc) bool { return a.h == h }) {
			as = append(as, s.arcTo(r, h))
		}
		if p.dummyRows[r] && p.dummyCap > 0 {
			as = append(as, arc{h: int32(p.helpers)})
		}
		s.arcs[r] = as
	}
}

func (s *flowSolver) arcTo(r int, h int32) arc {
	return arc{h: h, w: int32(s.p.costs.cost(r, int(h)) + s.price[h])}
}

func (s *flowSolver) addRows() {
	for r := range s.p.rows {
		s.addRow(r)
	}
}

// addRow pairs row r along a shortest augmenting path.
func (s *flowSolver) addRow(r int) {
	rows := s.p.rows
	if !slices.ContainsFunc(s.arcs[r], func(a arc) bool { return s.free[a.h] > 0 }) {
		// With a direct arc to a helper with room the search always
		// reaches the sink; without one it might explore every full helper
		// before finding none. The phases never ask for more room than
		// there is, so some real helper has it.
		s.cands = s.cells.nearest(r, 1, s.price, s.free, s.cands)
		s.arcs[r] = append(s.arcs[r], s.arcTo(r, s.cands[0].h))
	}
	// Nothing leads into a row not yet paired, so its potential is free to
	// choose: the least that keeps its arcs' reduced costs non-negative.
	pi := int64(math.MinInt64)
	for _, a := range s.arcs[r] {
		pi = max(pi, s.pot[rows+int(a.h)]-int64(a.w))
	}
	s.pot[r] = pi
	s.search(int32(r), s.sink, math.MaxInt64)
	s.follow(s.sink)
}

// certify prices the missing arcs until none has a negative reduced cost.
func (s *flowSolver) certify() {
	for {
		pending := s.missing()
		switch {
		case len(pending) == 0:
			return
		case len(pending) > s.p.rows/resolveShare:
			// Solving again with the missing arcs costs less than
			// repairing one arc at a time.
			s.restart()
			for _, pa := range pending {
				s.arcs[pa.r] = append(s.arcs[pa.r], pa.a)
			}
			s.addRows()
		default:
			for _, pa := range pending {
				s.addArc(pa.r, pa.a)
			}
		}
	}
}

// restart empties the assignment and keeps arcs and potentials, which stay
// valid for an empty flow once the sink's is at most every helper's.
func (s *flowSolver) restart() {
	s.empty()
	for h := range s.nH {
		s.pot[s.sink] = min(s.pot[s.sink], s.pot[s.p.rows+h])
	}
}

// addArc adds a missing arc that priced negative and restores optimality.
func (s *flowSolver) addArc(r int, a arc) {
	hn := int32(s.p.rows) + a.h
	delta := -(int64(a.w) + s.pot[r] - s.pot[hn])
	s.arcs[r] = append(s.arcs[r], a)
	if delta <= 0 {
		return // an earlier repair made it non-negative
	}
	// The cycle r→h ⇝ r's helper → r costs less than nothing if the path
	// from h back to r costs less than delta. The search either finds that
	// path, and the rows move round the cycle, or shows there is none; both
	// leave potentials under which the new arc is fine.
	if s.search(hn, int32(r), delta) {
		s.follow(int32(r))
		s.assign(int32(r), a.h, int64(a.w))
	}
}

// search runs Dijkstra on reduced costs from src until it settles target or
// reaches distance limit. It then shifts the potentials of the settled
// nodes by their distance less the stopping distance, which keeps every
// reduced cost non-negative and makes the path to target tight.
func (s *flowSolver) search(src, target int32, limit int64) bool {
	rows := s.p.rows
	if s.stamp == math.MaxUint32 {
		clear(s.seen)
		clear(s.done)
		s.stamp = 0
	}
	s.stamp++
	s.settled = s.settled[:0]
	s.heap = s.heap[:0]
	s.relax(src, 0, -1, 0)
	reached, stop := false, limit
	for len(s.heap) > 0 {
		it := s.heap.pop()
		u, d := it.v, it.d
		if d >= limit {
			break
		}
		if s.done[u] == s.stamp || d != s.dist[u] {
			continue // a stale entry
		}
		if u == target {
			reached, stop = true, d
			break
		}
		s.done[u] = s.stamp
		s.settled = append(s.settled, u)
		pu := s.pot[u]
		switch {
		case int(u) < rows:
			own := s.at[u]
			for _, a := range s.arcs[u] {
				if a.h == own {
					continue // the row's own pair: its arc runs the other way
				}
				v := int32(rows) + a.h
				s.relax(v, d+int64(a.w)+pu-s.pot[v], u, int64(a.w))
			}
		case u == s.sink:
			// Back from the sink into helpers with rows: one of them gives
			// up a row to make room.
			for h := range s.nH {
				if len(s.member[h]) > 0 {
					v := int32(rows + h)
					s.relax(v, d+pu-s.pot[v], u, 0)
				}
			}
		default:
			h := int(u) - rows
			for _, x := range s.member[h] {
				s.relax(x, d-s.atCost[x]+pu-s.pot[x], u, 0)
			}
			if s.free[h] > 0 {
				s.relax(s.sink, d+pu-s.pot[s.sink], u, 0)
			}
		}
	}
	if stop == math.MaxInt64 {
		// Unreachable while the phases ask for no more room than there
		// is and every row has an arc to a helper with room.
		panic("care: assign: a row cannot reach a helper with room")
	}
	for _, v := range s.settled {
		s.pot[v] += s.dist[v] - stop
	}
	return reached
}

func (s *flowSolver) relax(v int32, d int64, from int32, w int64) {
	if s.done[v] == s.stamp || (s.seen[v] == s.stamp && d >= s.dist[v]) {
		return
	}
	s.seen[v] = s.stamp
	s.dist[v] = d
	s.parent[v] = from
	s.parentW[v] = w
	s.heap.push(heapItem{d, v})
}

// step is one arc of a path the flow moves along.
type step struct{ u, v int32 }

// follow moves one unit of flow along the path the last search found to
// end: a row→helper arc assigns the row to the helper, a helper→row arc
// takes the row from the helper, and arcs to and from the sink use up and
// give back room.
func (s *flowSolver) follow(end int32) {
	rows := int32(s.p.rows)
	s.steps = s.steps[:0]
	for v := end; s.parent[v] >= 0; v = s.parent[v] {
		s.steps = append(s.steps, step{s.parent[v], v})
	}
	// Take rows off first, so that a row moving between two helpers of the
	// path is never in both lists.
	for _, st := range s.steps {
		switch {
		case st.u == s.sink:
			s.free[st.v-rows]++
		case st.v == s.sink:
			s.free[st.u-rows]--
		case st.u >= rows:
			s.unassign(st.v)
		}
	}
	for _, st := range s.steps {
		if st.u < rows {
			s.assign(st.u, st.v-rows, s.parentW[st.v])
		}
	}
}

func (s *flowSolver) assign(x, h int32, w int64) {
	s.at[x] = h
	s.atCost[x] = w
	s.member[h] = append(s.member[h], x)
}

func (s *flowSolver) unassign(x int32) {
	h := s.at[x]
	m := s.member[h]
	i := slices.Index(m, x)
	m[i] = m[len(m)-1]
	s.member[h] = m[:len(m)-1]
	s.at[x] = -1
}

type pendingArc struct {
	r int
	a arc
}

// missing returns the arcs rows lack whose reduced cost is negative.
func (s *flowSolver) missing() []pendingArc {
	p := s.p
	rows := p.rows
	cs := s.cells
	// A paired row may take the highest potential its own pair allows; the
	// higher it is, the fewer missing arcs price negative.
	for r := range rows {
		if h := s.at[r]; h >= 0 {
			s.pot[r] = s.pot[rows+int(h)] - s.atCost[r]
		}
	}
	maxPot := make([]int64, len(cs.members))
	top := int64(math.MinInt64)
	for c, m := range cs.members {
		maxPot[c] = math.MinInt64
		for _, h := range m {
			maxPot[c] = max(maxPot[c], s.pot[rows+int(h)])
		}
		top = max(top, maxPot[c])
	}
	var out []pendingArc
	has := make([]bool, s.nH)
	for r := range rows {
		if s.dense[r] || s.bound[r]+s.pot[r]-top >= 0 {
			continue // no missing arc of the row can be cheap enough
		}
		for _, a := range s.arcs[r] {
			has[a.h] = true
		}
		for c, m := range cs.members {
			if len(m) == 0 || sat(cs.low(r, c), cs.minPrice[c])+s.pot[r]-maxPot[c] >= 0 {
				continue
			}
			for _, h := range m {
				// The arc prices negative only if its cost is below limit.
				limit := s.pot[rows+int(h)] - s.pot[r]
				if has[h] || p.costs.low(r, int(h))+s.price[h] >= limit {
					continue
				}
				if w := p.costs.cost(r, int(h)) + s.price[h]; w < limit {
					out = append(out, pendingArc{r, arc{h: h, w: int32(w)}})
				}
			}
		}
		for _, a := range s.arcs[r] {
			has[a.h] = false
		}
	}
	return out
}

type heapItem struct {
	d int64
	v int32
}

// nodeHeap is a binary min-heap ordered by distance, then node, highest
// first, so that equal distances settle in a fixed order and the same input
// gives the same pairs. Highest first puts the sink, then helpers, before
// rows: where many paths cost the same (cadres at one address, or without
// one) the search ends as soon as it reaches the sink instead of first
// settling every node as near as it.
type nodeHeap []heapItem

func (a heapItem) less(b heapItem) bool {
	return a.d < b.d || (a.d == b.d && a.v > b.v)
}

func (h *nodeHeap) push(it heapItem) {
	*h = append(*h, it)
	q := *h
	i := len(q) - 1
	for i > 0 {
		j := (i - 1) / 2
		if !q[i].less(q[j]) {
			break
		}
		q[i], q[j] = q[j], q[i]
		i = j
	}
}

func (h *nodeHeap) pop() heapItem {
	q := *h
	top := q[0]
	n := len(q) - 1
	q[0] = q[n]
	q = q[:n]
	i := 0
	for {
		l := 2*i + 1
		if l >= n {
			break
		}
		m := l
		if r := l + 1; r < n && q[r].less(q[l]) {
			m = r
		}
		if !q[m].less(q[i]) {
			break
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
	*h = q
	return top
}
