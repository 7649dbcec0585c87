package branch

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// member is a Party member as the planner sees one.
type member struct {
	id        uuid.UUID
	name      string
	full      bool
	community string
	unit      string
	frail     bool // seriously ill or dependent: rarely able to travel to a meeting
	age       int
	current   uuid.UUID  // branch on the plan date; uuid.Nil for none
	reason    MoveReason // why the member left current, once known
}

// splitOrder is the order in which a branch over the size limit is split:
// members able to travel first, then by age, so that the part that stays
// meets as before and the frail oldest meet together near home or get the
// study delivered.
func splitOrder(a, b *member) int {
	if a.frail != b.frail {
		if a.frail {
			return 1
		}
		return -1
	}
	if c := cmp.Compare(a.age, b.age); c != 0 {
		return c
	}
	return compareUUID(a.id, b.id)
}

// group is a branch being planned: an existing branch (old set) or a new one.
type group struct {
	id        uuid.UUID // the existing branch's ID; set for new ones at the end
	old       *Branch
	kind      Kind // of original-unit and interest groups; residence groups get theirs at the end
	residence bool
	community string // of a community part; "" otherwise
	members   []*member
	full      int
	notes     []Text
	seq       int    // creation order, which orders new groups
	name      string // of a new group, once named
	gone      bool   // merged into another group
}

func (g *group) add(m *member) {
	g.members = append(g.members, m)
	if m.full {
		g.full++
	}
}

func (g *group) remove(m *member) {
	i := slices.Index(g.members, m)
	g.members = slices.Delete(g.members, i, i+1)
	if m.full {
		g.full--
	}
}

func (g *group) setMembers(ms []*member) {
	g.members, g.full = nil, 0
	for _, m := range ms {
		g.add(m)
	}
}

// communities returns the residence communities of g's members, sorted.
func (g *group) communities() []string {
	var out []string
	for _, m := range g.members {
		if !slices.Contains(out, m.community) {
			out = append(out, m.community)
		}
	}
	slices.Sort(out)
	return out
}

// planner holds the state of one Plan call.
type planner struct {
	s          PlanSettings
	on         cadre.Date
	comms      map[string]Community
	members    []*member // by ID
	branches   []Branch  // existing, by ID
	branchByID map[uuid.UUID]*Branch
	fixed      []*group            // kept original-unit and interest branches
	parts      map[string][]*group // community branches, by community
	seeds      []*group            // existing joint groups
	frags      []*group            // new groups that cannot stand alone
	joints     []*group            // joint groups after grouping
	spares     map[string][]*Branch
	loose      []*member
	ends       []Move
	dissolved  map[uuid.UUID]Text
	names      map[uuid.UUID]string // every branch's name, for the moves' texts
	seq        int
}

func newPlanner(in PlanInput, s PlanSettings) *planner {
	p := &planner{
		s: s, on: in.On,
		comms:      map[string]Community{},
		branchByID: map[uuid.UUID]*Branch{},
		parts:      map[string][]*group{},
		spares:     map[string][]*Branch{},
		dissolved:  map[uuid.UUID]Text{},
	}
	p.loadCommunities(in.Communities)
	p.loadBranches(in.Branches)
	current := currentMemberships(in.Memberships, in.On)
	order := byID(in.Cadres)
	for i, k := range order {
		if i == 0 || in.Cadres[k].ID != in.Cadres[order[i-1]].ID {
			c := in.Cadres[k]
			p.loadCadre(c, p.rankMemberships(c, current[c.ID]))
		}
	}
	return p
}

// byID returns the indices of cs in ID order, the first given first among
// equal IDs. Sorting indices rather than the records spares moving records
// of some 300 bytes each, most of a large plan's time otherwise.
func byID(cs []cadre.Cadre) []int {
	order := make([]int, len(cs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Or(compareUUID(cs[a].ID, cs[b].ID), cmp.Compare(a, b)) })
	return order
}

func (p *planner) loadCommunities(cs []Community) {
	sorted := slices.Clone(cs)
	slices.SortStableFunc(sorted, func(a, b Community) int { return cmp.Compare(a.Code, b.Code) })
	for _, c := range sorted {
		if _, dup := p.comms[c.Code]; !dup {
			if c.Centre != nil && !c.Centre.Valid() {
				c.Centre = nil
			}
			p.comms[c.Code] = c
		}
	}
}

func (p *planner) loadBranches(bs []Branch) {
	p.branches = slices.DeleteFunc(slices.Clone(bs), func(b Branch) bool { return !b.ExistsOn(p.on) })
	slices.SortStableFunc(p.branches, func(a, b Branch) int { return compareUUID(a.ID, b.ID) })
	p.branches = slices.CompactFunc(p.branches, func(a, b Branch) bool { return a.ID == b.ID })
	for i := range p.branches {
		p.branchByID[p.branches[i].ID] = &p.branches[i]
	}
}

// currentMemberships returns the memberships covering on, by cadre.
func currentMemberships(ms []Membership, on cadre.Date) map[uuid.UUID][]Membership {
	out := map[uuid.UUID][]Membership{}
	for _, m := range ms {
		if m.Covers(on) {
			out[m.CadreID] = append(out[m.CadreID], m)
		}
	}
	return out
}

// rankMemberships orders one cadre's current memberships so that the one
// kept comes first: in a branch that exists, then one that covers the
// cadre (so that keeping it needs no second move), then the latest begun
// (the most recent transfer), then by branch ID; one per branch.
func (p *planner) rankMemberships(c cadre.Cadre, ms []Membership) []Membership {
	ms = slices.Clone(ms)
	rank := func(m Membership) int {
		b := p.branchByID[m.BranchID]
		switch {
		case b == nil:
			return 2
		case b.covers(c.Community, c.OriginalUnit):
			return 0
		default:
			return 1
		}
	}
	slices.SortFunc(ms, func(a, b Membership) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), b.From.Compare(a.From), compareUUID(a.BranchID, b.BranchID))
	})
	seen := map[uuid.UUID]bool{}
	return slices.DeleteFunc(ms, func(m Membership) bool {
		dup := seen[m.BranchID]
		seen[m.BranchID] = true
		return dup
	})
}

// loadCadre plans c if c is a Party member on the roll, and otherwise
// proposes to end c's current memberships. A cadre on the roll whose Party
// status is not known (未填) is neither placed nor moved: the plan never
// guesses, and the completeness report lists the cadre.
func (p *planner) loadCadre(c cadre.Cadre, current []Membership) {
	if c.Party == "" && c.OnRoll(p.on) {
		return
	}
	if !isMemberOn(c, p.on) {
		for _, ms := range current {
			p.ends = append(p.ends, Move{CadreID: c.ID, Name: c.Name, From: ms.BranchID, Reason: endReason(c)})
		}
		return
	}
	m := &member{
		id: c.ID, name: c.Name, full: c.Party == cadre.PartyFull,
		community: c.Community, unit: c.OriginalUnit, age: c.Age(p.on),
		frail: c.Health == cadre.HealthSerious || c.Health == cadre.HealthDependent,
	}
	if len(current) > 0 {
		m.current = current[0].BranchID
	}
	for _, extra := range current[min(1, len(current)):] {
		p.ends = append(p.ends, Move{CadreID: c.ID, Name: c.Name, From: extra.BranchID, Reason: ReasonDuplicate})
	}
	p.members = append(p.members, m)
}

func endReason(c cadre.Cadre) MoveReason {
	switch {
	case !c.Party.IsMember():
		return ReasonNotMember
	case c.Status == cadre.StatusDeceased:
		return ReasonDeceased
	default:
		return ReasonMovedAway
	}
}

// release takes m out of its current branch for the reason given.
func (p *planner) release(m *member, reason MoveReason) {
	p.mark(m, reason)
	p.loose = append(p.loose, m)
}

// mark records why m moves, unless an earlier cause is known.
func (p *planner) mark(m *member, reason MoveReason) {
	if m.reason == "" {
		m.reason = reason
	}
}

func (p *planner) newGroup(community string) *group {
	p.seq++
	return &group{residence: true, community: community, seq: p.seq}
}

// communityName returns the display name of a community, or its code.
func (p *planner) communityName(code string) string {
	if c, ok := p.comms[code]; ok && c.Name != "" {
		return c.Name
	}
	if code == "" {
		return "（未填社区）"
	}
	return code
}

// centre returns a community's centre, or nil when it is not known.
func (p *planner) centre(code string) *cadre.Location { return p.comms[code].Centre }
