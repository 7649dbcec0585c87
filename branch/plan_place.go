package branch

import (
	"cmp"
	"slices"
)

// placeLoose is the plan's second step: loose members join a branch of
// their residence community with room, or else new branches of it; then
// each community's branches get enough full members, or turn to joint
// branches with neighbours.
func (p *planner) placeLoose() {
	byCommunity := map[string][]*member{}
	for _, m := range p.loose {
		byCommunity[m.community] = append(byCommunity[m.community], m)
	}
	seedsBy := map[string][]*group{}
	for _, g := range p.seeds {
		for _, c := range g.communities() {
			seedsBy[c] = append(seedsBy[c], g)
		}
	}
	var codes []string
	for c := range byCommunity {
		codes = append(codes, c)
	}
	for c := range p.parts {
		if _, ok := byCommunity[c]; !ok {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	for _, c := range codes {
		p.placeCommunity(c, byCommunity[c], seedsBy[c])
	}
}

func (p *planner) placeCommunity(code string, loose []*member, seeds []*group) {
	parts := p.parts[code]
	slices.SortFunc(loose, func(a, b *member) int {
		if a.full != b.full {
			if a.full {
				return -1
			}
			return 1
		}
		return splitOrder(a, b)
	})
	var unplaced []*member
	for _, m := range loose {
		if g := p.target(m, parts, seeds); g != nil {
			g.add(m)
		} else {
			unplaced = append(unplaced, m)
		}
	}
	if len(unplaced) > 0 {
		parts = append(parts, p.newParts(code, unplaced, len(parts) > 0)...)
	}
	p.parts[code] = p.repair(code, parts)
}

// target returns the branch a loose member joins: for a full member, first
// a part of the community short of full members; then the community's part
// with the most room; then a joint branch already covering the community.
func (p *planner) target(m *member, parts, seeds []*group) *group {
	if m.full {
		for _, g := range parts {
			if g.full < p.s.MinFullMembers && len(g.members) < p.s.MaxMembers {
				return g
			}
		}
	}
	if g := p.mostRoom(parts); g != nil {
		return g
	}
	return p.mostRoom(seeds)
}

func (p *planner) mostRoom(gs []*group) *group {
	var best *group
	for _, g := range gs {
		if len(g.members) < p.s.MaxMembers && (best == nil || len(g.members) < len(best.members)) {
			best = g
		}
	}
	return best
}

// newParts forms new branches of one community from ms, as few as the size
// limit allows and as even as possible, cut in split order so that members
// who can attend together are together.
func (p *planner) newParts(code string, ms []*member, others bool) []*group {
	slices.SortFunc(ms, splitOrder)
	k := (len(ms) + p.s.MaxMembers - 1) / p.s.MaxMembers
	var out []*group
	for i, start := 0, 0; i < k; i++ {
		size := len(ms) / k
		if i < len(ms)%k {
			size++
		}
		g := p.newGroup(code)
		for _, m := range ms[start : start+size] {
			g.add(m)
		}
		start += size
		if k > 1 || others {
			g.notes = append(g.notes, textf(
				"%s党员超过%d人，分设党支部：按年龄和健康状况编排，便于一起参加活动", []any{p.communityName(code), p.s.MaxMembers},
				"%s has over %d members, so it has several branches, formed by age and health so that members can attend together", []any{p.communityName(code), p.s.MaxMembers}))
		}
		out = append(out, g)
	}
	return out
}

// repair gives every part of a community enough full members, moving them
// from the community's parts that have more (new parts first, whose
// members move anyway); a part that cannot have enough becomes a joint
// branch with neighbours. It returns the parts that remain.
func (p *planner) repair(code string, parts []*group) []*group {
	for {
		i := slices.IndexFunc(parts, func(g *group) bool { return g.full < p.s.MinFullMembers })
		if i < 0 {
			return parts
		}
		needy := parts[i]
		if donor := p.donor(parts, needy); donor != nil {
			p.shiftFull(donor, needy)
			continue
		}
		parts = slices.Delete(parts, i, i+1)
		p.giveUp(code, needy)
	}
}

func (p *planner) donor(parts []*group, needy *group) *group {
	var best *group
	for _, g := range parts {
		if g == needy || g.full <= p.s.MinFullMembers {
			continue
		}
		if best == nil || cmp.Or(cmpBool(g.old == nil, best.old == nil), cmp.Compare(g.full, best.full)) > 0 {
			best = g
		}
	}
	return best
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	default:
		return -1
	}
}

// shiftFull moves one full member from donor to needy, and when needy is
// then over the limit, one probationary member back, preferring members who
// are moving anyway.
func (p *planner) shiftFull(donor, needy *group) {
	m := pickMover(donor, true)
	donor.remove(m)
	needy.add(m)
	p.mark(m, ReasonFullMemberNeeded)
	if len(needy.members) > p.s.MaxMembers {
		q := pickMover(needy, false)
		needy.remove(q)
		donor.add(q)
		p.mark(q, ReasonFullMemberNeeded)
	}
}

// pickMover returns g's member of the given fullness to move: one already
// leaving a former branch if any, else the last in split order.
func pickMover(g *group, full bool) *member {
	var best *member
	bestMoving := false
	for _, m := range g.members {
		if m.full != full {
			continue
		}
		moving := m.current != g.id || g.old == nil
		if best == nil || cmp.Or(cmpBool(moving, bestMoving), splitOrder(m, best)) > 0 {
			best, bestMoving = m, moving
		}
	}
	return best
}

// giveUp turns a part without enough full members to the joint grouping:
// an existing branch keeps its members and seeks neighbours; a new one is
// a fragment that joins others.
func (p *planner) giveUp(code string, g *group) {
	g.community = ""
	note := textf(
		"%s正式党员不足%d名，不能单独成立党支部，与相邻社区组成联合党支部", []any{p.communityName(code), p.s.MinFullMembers},
		"%s has too few full members (fewer than %d) for a branch of its own, so it joins neighbouring communities in a joint branch", []any{p.communityName(code), p.s.MinFullMembers})
	g.notes = append(g.notes, note)
	if g.old != nil {
		p.seeds = append(p.seeds, g)
		return
	}
	p.frags = append(p.frags, g)
}
