package care

import "math"

// geoCosts are the costs of the flow problem behind Assign: twice the
// great-circle distance in metres, rounded, or twice UnknownDistanceKm where
// a location is missing. They are doubled so that, when rebalancing, a
// cadre's current helper can cost one less and win every tie: a pair moves
// only when moving makes the total shorter.
type geoCosts struct {
	rowU    []unit
	rowOK   []bool
	helpU   []unit
	helpOK  []bool
	prefer  []int32 // a row's current helper when rebalancing, or -1
	unknown int64   // the cost of a pair whose distance is unknown
}

// cost is the cost of pairing row r with helper h.
func (g *geoCosts) cost(r, h int) int64 {
	w := g.unknown
	if g.rowOK[r] && g.helpOK[h] {
		w = 2 * int64(math.Round(g.rowU[r].km(g.helpU[h])*1000))
	}
	if g.prefer[r] == int32(h) {
		w--
	}
	return w
}

// low is a lower bound of cost(r, h) that needs no trigonometry: a chord is
// never longer than its arc. The margin of 2 covers rounding and the
// current helper's discount.
func (g *geoCosts) low(r, h int) int64 {
	if g.rowOK[r] && g.helpOK[h] {
		return int64(2000*earthRadiusKm*math.Sqrt(g.rowU[r].chord2(g.helpU[h]))) - 2
	}
	return g.unknown - 1
}
