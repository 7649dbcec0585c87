package care

import (
	"math"
	"slices"
)

// cells groups the helpers by place, on a grid of latitude and longitude
// over the district, so that a row's cheapest helpers, and the missing arcs
// that could price negative, are found without looking at every helper: a
// cell's bound says how cheap any of its helpers can be for a given row. The
// grid only groups; every bound is taken in three dimensions (a cell's
// centre and the radius of the sphere holding its helpers), so it holds
// anywhere on Earth. Helpers without a base form one more cell.
type cells struct {
	g       *geoCosts
	side    int
	lat0    float64
	lng0    float64
	dLat    float64
	dLng    float64
	members [][]int32 // helpers of each cell; the last cell has those without a base
	centre  []unit
	radius  []float64 // chord from the centre to the farthest helper of the cell

	minPrice []int64 // least price of a helper of each cell
	order    []cellBound
}

type cellBound struct {
	lb int64
	c  int32
}

// newCells builds a grid of about twelve helpers a cell.
func newCells(g *geoCosts, rows int) *cells {
	nh := len(g.helpU)
	side := min(max(int(math.Round(math.Sqrt(float64(nh)/12))), 1), 24)
	cs := &cells{g: g, side: side}
	minLat, maxLat, minLng, maxLng := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	grow := func(u unit) {
		lat, lng := latLng(u)
		minLat, maxLat = min(minLat, lat), max(maxLat, lat)
		minLng, maxLng = min(minLng, lng), max(maxLng, lng)
	}
	for h, ok := range g.helpOK {
		if ok {
			grow(g.helpU[h])
		}
	}
	for r := range rows {
		if g.rowOK[r] {
			grow(g.rowU[r])
		}
	}
	if minLat > maxLat { // nothing has a location
		minLat, maxLat, minLng, maxLng = 0, 0, 0, 0
	}
	cs.lat0, cs.lng0 = minLat, minLng
	cs.dLat = max(maxLat-minLat, 1e-9) / float64(side)
	cs.dLng = max(maxLng-minLng, 1e-9) / float64(side)

	n := side*side + 1
	cs.members = make([][]int32, n)
	for h, ok := range g.helpOK {
		c := n - 1
		if ok {
			c = cs.cellOf(g.helpU[h])
		}
		cs.members[c] = append(cs.members[c], int32(h))
	}
	cs.centre = make([]unit, n)
	cs.radius = make([]float64, n)
	for c, m := range cs.members[:n-1] {
		if len(m) == 0 {
			continue
		}
		var sum unit
		for _, h := range m {
			u := g.helpU[h]
			sum = unit{sum.x + u.x, sum.y + u.y, sum.z + u.z}
		}
		cs.centre[c] = sum.normal()
		for _, h := range m {
			cs.radius[c] = max(cs.radius[c], math.Sqrt(cs.centre[c].chord2(g.helpU[h])))
		}
	}
	cs.minPrice = make([]int64, n)
	return cs
}

// latLng returns the latitude and longitude of u in degrees.
func latLng(u unit) (float64, float64) {
	return math.Asin(max(-1, min(1, u.z))) * 180 / math.Pi, math.Atan2(u.y, u.x) * 180 / math.Pi
}

// normal scales u to length one; a zero vector stays zero.
func (u unit) normal() unit {
	n := math.Sqrt(u.x*u.x + u.y*u.y + u.z*u.z)
	if n == 0 {
		return u
	}
	return unit{u.x / n, u.y / n, u.z / n}
}

// cellOf returns the grid cell of a located point.
func (cs *cells) cellOf(u unit) int {
	lat, lng := latLng(u)
	i := min(max(int((lat-cs.lat0)/cs.dLat), 0), cs.side-1)
	j := min(max(int((lng-cs.lng0)/cs.dLng), 0), cs.side-1)
	return i*cs.side + j
}

// setPrices records the least price of each cell's helpers.
func (cs *cells) setPrices(price []int64) {
	for c, m := range cs.members {
		lo := int64(math.MaxInt64)
		for _, h := range m {
			lo = min(lo, price[h])
		}
		cs.minPrice[c] = lo
	}
}

// low is a lower bound of low(r, h) for every helper h of cell c: no helper
// is nearer than the cell's sphere. One more unit of margin than low's
// covers the rounding of the two ways of getting there.
func (cs *cells) low(r, c int) int64 {
	g := cs.g
	if !g.rowOK[r] || c == len(cs.members)-1 {
		return g.unknown - 1
	}
	chord := math.Max(0, math.Sqrt(g.rowU[r].chord2(cs.centre[c]))-cs.radius[c])
	return int64(2000*earthRadiusKm*chord) - 3
}

// bounds fills cs.order with each non-empty cell's bound for row r — its
// low bound plus the least price of its helpers — as a min-heap: callers
// take cells least first with popBound and usually stop after a few.
func (cs *cells) bounds(r int) {
	cs.order = cs.order[:0]
	for c, m := range cs.members {
		if len(m) > 0 {
			cs.order = append(cs.order, cellBound{sat(cs.low(r, c), cs.minPrice[c]), int32(c)})
		}
	}
	for i := len(cs.order)/2 - 1; i >= 0; i-- {
		cs.down(i)
	}
}

func (a cellBound) less(b cellBound) bool { return a.lb < b.lb || (a.lb == b.lb && a.c < b.c) }

// popBound removes and returns the cell of least bound.
func (cs *cells) popBound() cellBound {
	q := cs.order
	top := q[0]
	q[0] = q[len(q)-1]
	cs.order = q[:len(q)-1]
	cs.down(0)
	return top
}

func (cs *cells) down(i int) {
	q := cs.order
	for {
		l := 2*i + 1
		if l >= len(q) {
			return
		}
		m := l
		if r := l + 1; r < len(q) && q[r].less(q[l]) {
			m = r
		}
		if !q[m].less(q[i]) {
			return
		}
		q[i], q[m] = q[m], q[i]
		i = m
	}
}

// cand is a helper and its key for one row.
type cand struct {
	key int64
	h   int32
}

// nearest returns in buf the k helpers of least low(r, h) + price[h] for row
// r, in order; with free, only helpers with room. Ties go round the helpers
// from a point that moves with the row, so that rows whose keys all tie
// (those without a location) spread over the helpers instead of crowding
// the first few.
func (cs *cells) nearest(r, k int, price []int64, free []int, buf []cand) []cand {
	n := int32(len(cs.g.helpU))
	start := int32((r * 7919) % max(int(n), 1))
	rot := func(h int32) int32 {
		if h -= start; h < 0 {
			h += n
		}
		return h
	}
	before := func(a, b cand) bool {
		return a.key < b.key || (a.key == b.key && rot(a.h) < rot(b.h))
	}
	buf = buf[:0]
	for cs.bounds(r); len(cs.order) > 0; {
		cb := cs.popBound()
		if len(buf) == k && cb.lb > buf[k-1].key {
			break // no helper of this cell or the next can do better
		}
		for _, h := range cs.members[cb.c] {
			if free != nil && free[h] <= 0 {
				continue
			}
			c := cand{sat(cs.g.low(r, int(h)), price[h]), h}
			if len(buf) == k && !before(c, buf[k-1]) {
				continue
			}
			j := len(buf)
			for j > 0 && before(c, buf[j-1]) {
				j--
			}
			if len(buf) < k {
				buf = append(buf, cand{})
			}
			copy(buf[j+1:], buf[j:len(buf)-1])
			buf[j] = c
		}
	}
	return buf
}

// sat adds b ≥ 0 to a without overflowing past MaxInt64.
func sat(a, b int64) int64 {
	if a > 0 && b > math.MaxInt64-a {
		return math.MaxInt64
	}
	return a + b
}

// transportPrices prices each helper by solving the problem in the large:
// rows and helpers counted per cell, moved between cells at the distance
// between the cells' centroids. The duals of that small transportation
// problem say how far capacity has to travel to where it is short. A
// helper's price is interpolated between the duals of the cells around it,
// so that prices vary smoothly across the district: a jump at a cell's edge
// would make two equally near helpers look far apart.
func (cs *cells) transportPrices(p *flowProblem) []int64 {
	g := cs.g
	nCells := len(cs.members)
	// Rows that may go to the dummy count for the share of them that will
	// be paired, so that the coarse problem, like the fine one, fills
	// every place.
	dummyRows := 0
	for _, d := range p.dummyRows {
		if d {
			dummyRows++
		}
	}
	share := 1.0
	if dummyRows > 0 {
		share = float64(dummyRows-p.dummyCap) / float64(dummyRows)
	}
	supply := make([]float64, nCells)
	rowSum := make([]unit, nCells)
	for r := range p.rows {
		c := nCells - 1
		if g.rowOK[r] {
			c = cs.cellOf(g.rowU[r])
			u := g.rowU[r]
			rowSum[c] = unit{rowSum[c].x + u.x, rowSum[c].y + u.y, rowSum[c].z + u.z}
		}
		if p.dummyRows[r] {
			supply[c] += share
		} else {
			supply[c]++
		}
	}
	demand := make([]int64, nCells)
	for c, m := range cs.members {
		for _, h := range m {
			demand[c] += int64(p.free[h])
		}
	}
	var sIdx, dIdx []int
	for i, a := range supply {
		if math.Round(a) > 0 {
			sIdx = append(sIdx, i)
		}
	}
	for j, b := range demand {
		if b > 0 {
			dIdx = append(dIdx, j)
		}
	}
	cost := func(i, j int) int64 {
		if i == nCells-1 || j == nCells-1 {
			return g.unknown
		}
		return 2 * int64(math.Round(rowSum[i].normal().km(cs.centre[j])*1000))
	}
	t := newTransport(len(sIdx), len(dIdx))
	for a, i := range sIdx {
		t.supply[a] = int64(math.Round(supply[i]))
		for b, j := range dIdx {
			t.cost[a*len(dIdx)+b] = cost(i, j)
		}
	}
	for b, j := range dIdx {
		t.capacity[b] = demand[j]
	}
	duals := t.solve()

	// Cell values on the grid; cells without helpers take the mean of
	// their valued neighbours, spreading outwards.
	side := cs.side
	val := make([]float64, side*side)
	known := make([]bool, side*side)
	for b, j := range dIdx {
		if j < side*side {
			val[j], known[j] = float64(duals[b]), true
		}
	}
	for changed := true; changed; {
		changed = false
		next := slices.Clone(known)
		for c := range val {
			if known[c] {
				continue
			}
			var sum float64
			var n int
			i, j := c/side, c%side
			for _, d := range [][2]int{{-1, 0}, {1, 0}, {0, -1}, {0, 1}} {
				ii, jj := i+d[0], j+d[1]
				if ii >= 0 && jj >= 0 && ii < side && jj < side && known[ii*side+jj] {
					sum += val[ii*side+jj]
					n++
				}
			}
			if n > 0 {
				val[c], next[c], changed = sum/float64(n), true, true
			}
		}
		known = next
	}
	price := make([]int64, len(g.helpU)+1)
	for _, j := range dIdx {
		if j >= side*side {
			continue // helpers without a base have no place on the grid
		}
		for _, h := range cs.members[j] {
			lat, lng := latLng(g.helpU[h])
			x := min(max((lat-cs.lat0)/cs.dLat-0.5, 0), float64(side-1))
			y := min(max((lng-cs.lng0)/cs.dLng-0.5, 0), float64(side-1))
			i0, j0 := int(x), int(y)
			i1, j1 := min(i0+1, side-1), min(j0+1, side-1)
			fx, fy := x-float64(i0), y-float64(j0)
			v := (1-fx)*(1-fy)*val[i0*side+j0] + fx*(1-fy)*val[i1*side+j0] +
				(1-fx)*fy*val[i0*side+j1] + fx*fy*val[i1*side+j1]
			price[h] = min(int64(v*priceShare), maxPrice)
		}
	}
	return price
}

// maxPrice keeps a price plus any cost within an int32 arc cost.
const maxPrice = 1 << 29

// priceShare scales the coarse prices down: the coarse problem moves rows
// between cell centroids, which overstates how far capacity must travel
// (a row at a cell's edge moves to the next cell for almost nothing), and
// full prices then pull rows past their nearest helpers. Measured on the
// benchmark: 0.8 left the fewest arcs for pricing to add.
const priceShare = 0.8

// transport is a small transportation problem: supply nodes, each sending
// its supply, and capacity nodes, each taking at most its capacity, every
// supply node joined to every capacity node at a non-negative cost.
type transport struct {
	s, d     int
	supply   []int64
	capacity []int64
	cost     []int64 // s×d
}

func newTransport(s, d int) *transport {
	return &transport{s: s, d: d, supply: make([]int64, s), capacity: make([]int64, d), cost: make([]int64, s*d)}
}

// solve sends the supply at least cost by successive shortest paths, each
// carrying as much as its narrowest arc allows (Dijkstra without a heap: the
// graph is small and dense, and the search stops at the sink). It returns
// each capacity node's price, its dual: how much the total would fall with
// one more unit of its capacity; zero for a node with room left.
func (t *transport) solve() []int64 {
	s, d := t.s, t.d
	// Nodes: source, supply 1..s, capacity s+1..s+d, sink.
	n := s + d + 2
	src, sink := 0, n-1
	flow := make([]int64, s*d)
	left := append([]int64(nil), t.supply...)
	used := make([]int64, d)
	pot := make([]int64, n)
	dist := make([]int64, n)
	prev := make([]int, n)
	done := make([]bool, n)
	const inf = int64(math.MaxInt64 / 4)
	for {
		for v := range n {
			dist[v], prev[v], done[v] = inf, -1, false
		}
		dist[src] = 0
		for {
			u := -1
			for v := range n {
				if !done[v] && dist[v] < inf && (u < 0 || dist[v] < dist[u]) {
					u = v
				}
			}
			if u < 0 || u == sink {
				break // the rest lie no nearer than the sink
			}
			done[u] = true
			relax := func(v int, c int64) {
				if nd := dist[u] + c + pot[u] - pot[v]; nd < dist[v] {
					dist[v], prev[v] = nd, u
				}
			}
			switch {
			case u == src:
				for a := range s {
					if left[a] > 0 {
						relax(1+a, 0)
					}
				}
			case u <= s:
				a := u - 1
				for b := range d {
					relax(1+s+b, t.cost[a*d+b])
				}
			default:
				b := u - 1 - s
				for a := range s {
					if flow[a*d+b] > 0 {
						relax(1+a, -t.cost[a*d+b])
					}
				}
				if used[b] < t.capacity[b] {
					relax(sink, 0)
				}
			}
		}
		if dist[sink] >= inf {
			break // all supply sent, or none can be
		}
		for v := range n {
			pot[v] += min(dist[v], dist[sink])
		}
		amount := inf
		for v := sink; v != src; v = prev[v] {
			u := prev[v]
			switch {
			case u == src:
				amount = min(amount, left[v-1])
			case v == sink:
				amount = min(amount, t.capacity[u-1-s]-used[u-1-s])
			case u > s && v <= s: // back along an arc with flow
				amount = min(amount, flow[(v-1)*d+(u-1-s)])
			}
		}
		for v := sink; v != src; v = prev[v] {
			u := prev[v]
			switch {
			case u == src:
				left[v-1] -= amount
			case v == sink:
				used[u-1-s] += amount
			case u <= s && v > s:
				flow[(u-1)*d+(v-1-s)] += amount
			case u > s && v <= s:
				flow[(v-1)*d+(u-1-s)] -= amount
			}
		}
	}
	prices := make([]int64, d)
	for b := range d {
		prices[b] = max(0, pot[sink]-pot[1+s+b])
	}
	return prices
}
