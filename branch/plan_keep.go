package branch

import (
	"cmp"
	"slices"

	"github.com/google/uuid"
)

// keepExisting is the plan's first step: every existing branch keeps the
// members it covers, as far as its rules allow; everyone else is loose.
func (p *planner) keepExisting() {
	byBranch := map[uuid.UUID][]*member{}
	for _, m := range p.members {
		switch {
		case m.current == uuid.Nil:
			p.release(m, ReasonNewMember)
		case p.branchByID[m.current] == nil:
			p.release(m, ReasonBranchMissing)
		default:
			byBranch[m.current] = append(byBranch[m.current], m)
		}
	}
	for i := range p.branches {
		b := &p.branches[i]
		g := &group{id: b.ID, old: b, kind: b.Kind}
		g.setMembers(p.stayers(b, byBranch[b.ID]))
		switch {
		case len(g.members) == 0:
			p.spareOrDissolve(b)
		case b.Kind == KindUnit || b.Kind == KindInterest:
			p.keepFixed(g)
		default:
			g.residence = true
			p.keepResidence(g)
		}
	}
}

// stayers returns the current members b covers and releases the others.
func (p *planner) stayers(b *Branch, current []*member) []*member {
	var out []*member
	for _, m := range current {
		if b.covers(m.community, m.unit) {
			out = append(out, m)
		} else {
			p.release(m, ReasonNotCovered)
		}
	}
	return out
}

// spareOrDissolve keeps an empty community branch for its community's next
// new branch, so that its ID is used again, and dissolves other empty ones.
func (p *planner) spareOrDissolve(b *Branch) {
	if b.Kind == KindCommunity && len(b.Communities) == 1 {
		p.spares[b.Communities[0]] = append(p.spares[b.Communities[0]], b)
		return
	}
	p.dissolved[b.ID] = Text{Zh: "没有在册党员", En: "no members on the roll"}
}

// keepFixed keeps an original-unit or interest branch that has enough full
// members, trimmed to the size limit; its released members join their
// residence community's branch.
func (p *planner) keepFixed(g *group) {
	if g.full < p.s.MinFullMembers {
		p.dissolve(g, ReasonBranchTooSmall, textf(
			"正式党员%d名，不足%d名：党员按居住社区编入", []any{g.full, p.s.MinFullMembers},
			"%d full members, fewer than %d: members join their residence community's branch", []any{g.full, p.s.MinFullMembers}))
		return
	}
	if n := p.trim(g, ReasonBranchSplit); n > 0 {
		g.notes = append(g.notes, textf(
			"超过%d人：%d名年龄较大或行动不便的党员按居住社区就近编入", []any{p.s.MaxMembers, n},
			"over %d members: %d of the oldest or least mobile join their residence community's branch", []any{p.s.MaxMembers, n}))
	}
	p.fixed = append(p.fixed, g)
}

func (p *planner) dissolve(g *group, reason MoveReason, why Text) {
	for _, m := range g.members {
		p.release(m, reason)
	}
	g.setMembers(nil)
	p.dissolved[g.id] = why
}

// keepResidence keeps a community or joint branch: a community branch whose
// members all live in one community is that community's part; any other is
// a joint group, first brought within the joint limits.
func (p *planner) keepResidence(g *group) {
	comms := g.communities()
	if g.old.Kind == KindCommunity && len(comms) == 1 {
		g.community = comms[0]
		if n := p.trim(g, ReasonBranchSplit); n > 0 {
			g.notes = append(g.notes, splitNote(p.s.MaxMembers, n))
		}
		p.parts[g.community] = append(p.parts[g.community], g)
		return
	}
	p.shed(g)
	p.seeds = append(p.seeds, g)
}

func splitNote(maxMembers, released int) Text {
	return textf(
		"超过%d人，按年龄和健康状况分设：%d名年龄较大或行动不便的党员另行编组，便于就近活动或送学上门", []any{maxMembers, released},
		"over %d members, split by age and health: %d of the oldest or least mobile form another group, to meet near home or have the study delivered", []any{maxMembers, released})
}

// trim keeps at most MaxMembers of g in split order, with enough full
// members if g has them, and releases the rest; it returns how many left.
func (p *planner) trim(g *group, reason MoveReason) int {
	if len(g.members) <= p.s.MaxMembers {
		return 0
	}
	ms := slices.Clone(g.members)
	slices.SortFunc(ms, splitOrder)
	keep, rest := ms[:p.s.MaxMembers], ms[p.s.MaxMembers:]
	keepFull(keep, rest, p.s.MinFullMembers)
	g.setMembers(keep)
	for _, m := range rest {
		p.release(m, reason)
	}
	return len(rest)
}

// keepFull exchanges the last probationary members of keep for the first
// full members of rest until keep has min full members or rest has none.
func keepFull(keep, rest []*member, min int) {
	full := 0
	for _, m := range keep {
		if m.full {
			full++
		}
	}
	i, j := len(keep)-1, 0
	for full < min {
		for i >= 0 && keep[i].full {
			i--
		}
		for j < len(rest) && !rest[j].full {
			j++
		}
		if i < 0 || j >= len(rest) {
			return
		}
		keep[i], rest[j] = rest[j], keep[i]
		full++
	}
}

// shed brings a joint group within the limits: whole communities leave,
// those with the fewest members first (the fewest moves), until it covers
// at most MaxJointCommunities and has at most MaxMembers; a single
// community still over the limit is trimmed by age and health.
func (p *planner) shed(g *group) {
	var dropped []string
	for {
		counts := countCommunities(g.members)
		if len(counts) <= 1 || (len(counts) <= p.s.MaxJointCommunities && len(g.members) <= p.s.MaxMembers) {
			break
		}
		drop := slices.MinFunc(counts, func(a, b communityCount) int {
			return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.code, b.code))
		}).code
		dropped = append(dropped, drop)
		var keep []*member
		for _, m := range g.members {
			if m.community == drop {
				p.release(m, ReasonJointRegrouped)
			} else {
				keep = append(keep, m)
			}
		}
		g.setMembers(keep)
	}
	if len(dropped) > 0 {
		g.notes = append(g.notes, textf(
			"超过%d个社区或%d人：%s的党员另行编组", []any{p.s.MaxJointCommunities, p.s.MaxMembers, p.namesZh(dropped)},
			"over %d communities or %d members: the members from %s form other groups", []any{p.s.MaxJointCommunities, p.s.MaxMembers, p.namesEn(dropped)}))
	}
	if n := p.trim(g, ReasonBranchSplit); n > 0 {
		g.notes = append(g.notes, splitNote(p.s.MaxMembers, n))
	}
}

type communityCount struct {
	code string
	n    int
}

func countCommunities(ms []*member) []communityCount {
	var out []communityCount
	for _, m := range ms {
		i := slices.IndexFunc(out, func(c communityCount) bool { return c.code == m.community })
		if i < 0 {
			out = append(out, communityCount{code: m.community})
			i = len(out) - 1
		}
		out[i].n++
	}
	return out
}

// namesZh and namesEn list communities for a reader.
func (p *planner) namesZh(codes []string) string {
	out := ""
	for i, c := range codes {
		if i > 0 {
			out += "、"
		}
		out += p.communityName(c)
	}
	return out
}

func (p *planner) namesEn(codes []string) string {
	out := ""
	for i, c := range codes {
		if i > 0 {
			out += ", "
		}
		out += p.communityName(c) + " (" + c + ")"
	}
	return out
}
