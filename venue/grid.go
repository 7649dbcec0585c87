package venue

import (
	"math"

	"github.com/wanxia/wanxia/cadre"
)

// grid buckets positions into square cells of latitude and longitude,
// twice as wide as the distance searched most often, so that the venues
// within the radius of a home lie in the two or three cells a side that its
// search box overlaps. A map keeps only the cells that hold something,
// wherever on Earth they are. It replaced an R-tree
// (github.com/tidwall/rtree) that was no faster for a district's searches
// (a dozen venues around each home): a search here reads a handful of map
// entries and no tree nodes, and the module needs no dependency for it.
type grid struct {
	// cell is the side of a cell in degrees.
	cell  float64
	cells map[cellKey][]int32
}

// cellKey packs a cell's row and column, each far within 32 bits.
type cellKey uint64

// newGrid returns an empty grid for searches of the great-circle distance
// metres. Cells are at least a centimetre wide, so that cell numbers stay
// far from overflowing.
func newGrid(metres float64) grid {
	return grid{cell: max(2*metres/EarthRadiusMetres*180/math.Pi, 1e-7), cells: map[cellKey][]int32{}}
}

func (g *grid) index(deg float64) int64 { return int64(math.Floor(deg / g.cell)) }

func key(row, col int64) cellKey { return cellKey(uint64(row)<<32 | uint64(uint32(col))) }

// add puts item i at l; items are added in increasing order, so that each
// cell lists them in order.
func (g *grid) add(l cadre.Location, i int32) {
	k := key(g.index(l.Lat), g.index(l.Lng))
	g.cells[k] = append(g.cells[k], i)
}

// scan calls visit(q, i) for every item i in the cells that b overlaps, or
// for every item when that would read more cells than the grid holds; it
// reports whether it visited every item. visit is a plain function rather
// than a closure so that a search allocates nothing.
func scan[Q any](g *grid, b box, q Q, visit func(Q, int32)) bool {
	r0, r1 := g.index(b.min[1]), g.index(b.max[1])
	c0, c1 := g.index(b.min[0]), g.index(b.max[0])
	if float64(r1-r0+1)*float64(c1-c0+1) > float64(len(g.cells)) {
		for _, is := range g.cells {
			for _, i := range is {
				visit(q, i)
			}
		}
		return true
	}
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			for _, i := range g.cells[key(r, c)] {
				visit(q, i)
			}
		}
	}
	return false
}
