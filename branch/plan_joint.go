package branch

import (
	"cmp"
	"math"
	"slices"
)

// groupJoint is the plan's third step: groups short of full members, and
// new groups that could not stand alone, join their nearest neighbours in
// joint branches within the limits.
func (p *planner) groupJoint() {
	groups := p.seeds
	frags := p.joinCovering(groups, p.frags)
	for _, g := range groups {
		frags = p.grow(g, frags)
	}
	for len(frags) > 0 {
		g := frags[0]
		groups = append(groups, g)
		frags = p.grow(g, frags[1:])
	}
	p.mergeShort(groups)
	for _, g := range groups {
		if !g.gone {
			p.joints = append(p.joints, g)
		}
	}
}

// joinCovering adds each fragment to a joint group that already covers its
// community and has room for it whole, and returns the fragments left.
func (p *planner) joinCovering(groups, frags []*group) []*group {
	var left []*group
	for _, f := range frags {
		var best *group
		for _, g := range groups {
			if slices.Contains(g.communities(), f.communities()[0]) && len(g.members)+len(f.members) <= p.s.MaxMembers &&
				(best == nil || len(g.members) < len(best.members)) {
				best = g
			}
		}
		if best == nil {
			left = append(left, f)
			continue
		}
		p.absorb(best, f)
	}
	return left
}

// grow adds the nearest fitting fragments to g until g has enough full
// members, and returns the fragments left.
func (p *planner) grow(g *group, frags []*group) []*group {
	for g.full < p.s.MinFullMembers {
		i := p.nearest(g, frags)
		if i < 0 {
			break
		}
		p.absorb(g, frags[i])
		frags = slices.Delete(frags, i, i+1)
	}
	return frags
}

// mergeShort merges each group still short of full members into its
// nearest fitting group, a community's branch included (which then becomes
// joint), until no more can merge.
func (p *planner) mergeShort(groups []*group) {
	for changed := true; changed; {
		changed = false
		for _, g := range groups {
			if g.gone || g.full >= p.s.MinFullMembers {
				continue
			}
			cands := p.mergeCandidates(groups, g)
			i := p.nearest(g, cands)
			if i < 0 {
				continue
			}
			keep, drop := survivor(g, cands[i])
			p.absorb(keep, drop)
			drop.gone, changed = true, true
			if drop.old != nil {
				p.dissolved[drop.old.ID] = textf(
					"正式党员不足%d名，并入相邻党支部", []any{p.s.MinFullMembers},
					"fewer than %d full members: merged into a neighbouring branch", []any{p.s.MinFullMembers})
			}
		}
	}
}

func (p *planner) mergeCandidates(groups []*group, g *group) []*group {
	var out []*group
	for _, h := range groups {
		if h != g && !h.gone {
			out = append(out, h)
		}
	}
	for _, code := range sortedKeys(p.parts) {
		for _, h := range p.parts[code] {
			if !h.gone {
				out = append(out, h)
			}
		}
	}
	return out
}

// survivor returns which of two merging groups keeps its identity: an
// existing branch rather than a new one, then the larger, then the older in
// plan order, so that the fewest members move.
func survivor(a, b *group) (keep, drop *group) {
	switch {
	case (a.old != nil) != (b.old != nil):
		if a.old != nil {
			return a, b
		}
		return b, a
	case len(a.members) != len(b.members):
		if len(a.members) > len(b.members) {
			return a, b
		}
		return b, a
	case a.old != nil && compareUUID(a.old.ID, b.old.ID) > 0:
		return b, a
	case a.old == nil && a.seq > b.seq:
		return b, a
	}
	return a, b
}

// absorb moves every member of from into g. Members leaving an existing
// branch this way move because their branch merges.
func (p *planner) absorb(g, from *group) {
	for _, m := range from.members {
		if from.old != nil && m.current == from.old.ID {
			p.mark(m, ReasonBranchesMerged)
		}
		g.add(m)
	}
	from.setMembers(nil)
	if g.community != "" && len(g.communities()) > 1 {
		g.community = ""
	}
}

// nearest returns the index of the candidate that fits with g and lies
// nearest, or -1. Distance is between the closest pair of community centres;
// candidates without centres come after those with, in code order, which is
// the fallback the plan explains.
func (p *planner) nearest(g *group, cands []*group) int {
	best, bestDist, bestCode := -1, math.Inf(1), ""
	for i, h := range cands {
		if !p.fits(g, h) {
			continue
		}
		d, code := p.groupDistance(g, h), h.communities()[0]
		if best < 0 || d < bestDist || (d == bestDist && code < bestCode) {
			best, bestDist, bestCode = i, d, code
		}
	}
	return best
}

// fits reports whether g and h together keep within the joint limits.
func (p *planner) fits(g, h *group) bool {
	if len(g.members)+len(h.members) > p.s.MaxMembers || len(h.members) == 0 {
		return false
	}
	union := g.communities()
	for _, c := range h.communities() {
		if !slices.Contains(union, c) {
			union = append(union, c)
		}
	}
	return len(union) <= p.s.MaxJointCommunities
}

// groupDistance is the distance between the closest centres of g's and h's
// communities; +Inf when no pair has both centres.
func (p *planner) groupDistance(g, h *group) float64 {
	d := math.Inf(1)
	for _, a := range g.communities() {
		for _, b := range h.communities() {
			d = math.Min(d, p.communityDistance(a, b))
		}
	}
	return d
}

func (p *planner) communityDistance(a, b string) float64 {
	if a == b {
		return 0
	}
	ca, cb := p.centre(a), p.centre(b)
	if ca == nil || cb == nil {
		return math.Inf(1)
	}
	return ca.DistanceMetres(*cb)
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.SortFunc(out, cmp.Compare[string])
	return out
}
