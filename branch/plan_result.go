package branch

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// planNamespace is the UUID namespace of new branch IDs: a new branch's ID
// is the SHA-1 UUID of this namespace and the branch's defining key, so the
// same plan proposes the same IDs. It is fixed forever; changing it would
// change every proposed ID.
var planNamespace = uuid.MustParse("5f0c6f1e-2b7a-5c35-9a62-7d1e4a0b9c21")

// result is the plan's last step: it names the groups and lists the moves.
func (p *planner) result() Proposal {
	groups := p.finalGroups()
	p.name(groups)
	out := Proposal{On: p.on, Branches: []PlannedBranch{}, Moves: []Move{}, Dissolved: []Dissolution{}}
	final := map[*member]*group{}
	for _, g := range groups {
		for _, m := range g.members {
			final[m] = g
		}
	}
	moved := map[uuid.UUID]bool{}
	for _, m := range p.members {
		if g := final[m]; g.id != m.current {
			out.Moves = append(out.Moves, p.move(m, g))
			moved[m.current], moved[g.id] = true, true
		}
	}
	for _, e := range p.ends {
		e.Text = p.moveText(e.Name, e.From, uuid.Nil, e.Reason)
		out.Moves = append(out.Moves, e)
		moved[e.From] = true
	}
	slices.SortFunc(out.Moves, func(a, b Move) int {
		return cmp.Or(compareUUID(a.CadreID, b.CadreID), compareUUID(a.From, b.From))
	})
	for _, g := range groups {
		out.Branches = append(out.Branches, p.planned(g, moved[g.id]))
	}
	sortPlanned(out.Branches)
	out.Dissolved = p.dissolutions(groups)
	return out
}

// finalGroups returns every group that has members: kept original-unit and
// interest branches, community parts, joint groups; with kind set.
func (p *planner) finalGroups() []*group {
	groups := slices.Clone(p.fixed)
	for _, code := range sortedKeys(p.parts) {
		groups = append(groups, p.parts[code]...)
	}
	groups = append(groups, p.joints...)
	groups = slices.DeleteFunc(groups, func(g *group) bool { return g.gone || len(g.members) == 0 })
	for _, g := range groups {
		slices.SortFunc(g.members, func(a, b *member) int { return compareUUID(a.id, b.id) })
		if g.residence {
			g.kind = KindJoint
			if len(g.communities()) == 1 && g.full >= p.s.MinFullMembers {
				g.kind = KindCommunity
			}
		}
	}
	return groups
}

// name gives new groups their IDs (an empty branch of the same community
// first, else derived from the defining key) and names, and records every
// branch's name for the moves' texts.
func (p *planner) name(groups []*group) {
	p.names = map[uuid.UUID]string{}
	used := map[uuid.UUID]bool{}
	for _, b := range p.branches {
		p.names[b.ID], used[b.ID] = b.Name, true
	}
	var fresh []*group
	for _, g := range groups {
		if g.old == nil {
			fresh = append(fresh, g)
		}
	}
	slices.SortFunc(fresh, func(a, b *group) int { return cmp.Compare(a.seq, b.seq) })
	for _, g := range fresh {
		if spare := p.takeSpare(g); spare != nil {
			g.id, g.old = spare.ID, spare
			continue
		}
		g.id = newID(g, used)
	}
	position, count := partPositions(groups)
	for _, g := range fresh {
		if g.old == nil {
			g.name = p.newName(g, position[g], count[g.communities()[0]])
			p.names[g.id] = g.name
		}
	}
}

// newID derives a new group's ID from its kind and communities and the
// first free number: a second new branch of the same communities, or one
// whose first ID was taken by an existing branch, gets the next.
func newID(g *group, used map[uuid.UUID]bool) uuid.UUID {
	key := string(g.kind) + "/" + strings.Join(g.communities(), ",")
	for i := 1; ; i++ {
		if id := uuid.NewSHA1(planNamespace, fmt.Appendf(nil, "%s/%d", key, i)); !used[id] {
			used[id] = true
			return id
		}
	}
}

// partPositions numbers each community's community branches in plan order.
func partPositions(groups []*group) (map[*group]int, map[string]int) {
	position, count := map[*group]int{}, map[string]int{}
	for _, g := range groups {
		if g.kind == KindCommunity {
			c := g.communities()[0]
			count[c]++
			position[g] = count[c]
		}
	}
	return position, count
}

func (p *planner) takeSpare(g *group) *Branch {
	if g.kind != KindCommunity {
		return nil
	}
	code := g.communities()[0]
	if len(p.spares[code]) == 0 {
		return nil
	}
	spare := p.spares[code][0]
	p.spares[code] = p.spares[code][1:]
	return spare
}

// planned returns g as a PlannedBranch; moved says whether any member
// joined or left it.
func (p *planner) planned(g *group, moved bool) PlannedBranch {
	pb := PlannedBranch{Members: make([]uuid.UUID, len(g.members)), FullMembers: g.full, Notes: []Text{}}
	for i, m := range g.members {
		pb.Members[i] = m.id
	}
	b, change := p.record(g, moved)
	pb.Branch, pb.Change = b, change
	pb.Notes = append(append(pb.Notes, g.notes...), p.jointNotes(g)...)
	if g.old != nil && g.old.Kind != b.Kind {
		pb.Notes = append(pb.Notes, textf("由%s改为%s", []any{g.old.Kind.Label(cadre.Chinese), b.Kind.Label(cadre.Chinese)},
			"changes from a %s to a %s", []any{g.old.Kind.Label(cadre.English), b.Kind.Label(cadre.English)}))
	}
	return pb
}

// record returns the proposed branch record of g and what changes.
func (p *planner) record(g *group, moved bool) (Branch, BranchChange) {
	if g.old == nil {
		return Branch{ID: g.id, Name: g.name, Kind: g.kind, Communities: g.communities(), Units: []string{}, FoundedOn: p.on}, BranchNew
	}
	b := *g.old
	b.Communities, b.Units = slices.Clone(b.Communities), slices.Clone(b.Units)
	if g.residence {
		b.Kind, b.Communities = g.kind, g.communities()
	}
	if b.Communities == nil {
		b.Communities = []string{}
	}
	if b.Units == nil {
		b.Units = []string{}
	}
	if moved || b.Kind != g.old.Kind || !slices.Equal(b.Communities, g.old.Communities) {
		return b, BranchChanged
	}
	return b, BranchUnchanged
}

// newName names a new branch after its communities; a community's n-th of
// several branches is its 第n党支部.
func (p *planner) newName(g *group, n, of int) string {
	comms := g.communities()
	first := p.communityName(comms[0])
	switch {
	case g.kind == KindJoint && len(comms) > 1:
		return fmt.Sprintf("%s等%d个社区离退休干部联合党支部", first, len(comms))
	case g.kind == KindJoint:
		return first + "离退休干部联合党支部"
	case of <= 1:
		return first + "离退休干部党支部"
	default:
		return first + "离退休干部第" + chineseNumber(n) + "党支部"
	}
}

// jointNotes explain a joint branch: which communities, how far apart, and
// what a person should look at.
func (p *planner) jointNotes(g *group) []Text {
	if g.kind != KindJoint {
		return nil
	}
	comms := g.communities()
	notes := []Text{p.compositionNote(comms)}
	for _, c := range comms {
		if p.centre(c) == nil && len(comms) > 1 {
			notes = append(notes, textf(
				"%s没有中心点坐标，按社区代码顺序并入", []any{p.communityName(c)},
				"%s has no centre point, so it was joined in community-code order", []any{p.namesEn([]string{c})}))
		}
	}
	if g.full < p.s.MinFullMembers {
		notes = append(notes, textf(
			"正式党员%d名，不足%d名：附近没有可合并的社区（联合党支部最多%d个社区、%d人），请人工研究", []any{g.full, p.s.MinFullMembers, p.s.MaxJointCommunities, p.s.MaxMembers},
			"%d full members, fewer than %d: no neighbour can join within the limits (%d communities, %d members); for a person to decide", []any{g.full, p.s.MinFullMembers, p.s.MaxJointCommunities, p.s.MaxMembers}))
	}
	if g.old == nil || g.old.Kind != KindJoint {
		return notes
	}
	for _, cc := range countFull(g.members) {
		if cc.n >= p.s.MinFullMembers && len(comms) > 1 {
			notes = append(notes, textf(
				"%s已有%d名正式党员，可单独成立党支部（为减少调动，暂保持现状）", []any{p.communityName(cc.code), cc.n},
				"%s has %d full members and could form its own branch (kept here to avoid moves)", []any{p.namesEn([]string{cc.code}), cc.n}))
		}
	}
	return notes
}

func (p *planner) compositionNote(comms []string) Text {
	farthest := 0.0
	for _, a := range comms {
		near := math.Inf(1)
		for _, b := range comms {
			if a != b {
				near = math.Min(near, p.communityDistance(a, b))
			}
		}
		if !math.IsInf(near, 1) {
			farthest = math.Max(farthest, near)
		}
	}
	if len(comms) == 1 || farthest == 0 {
		return textf("覆盖%s", []any{p.namesZh(comms)}, "covers %s", []any{p.namesEn(comms)})
	}
	km := farthest / 1000
	return textf("覆盖%s，相邻社区中心点相距不超过%.1f公里", []any{p.namesZh(comms), km},
		"covers %s; each community's centre is within %.1f km of another's", []any{p.namesEn(comms), km})
}

func countFull(ms []*member) []communityCount {
	var full []*member
	for _, m := range ms {
		if m.full {
			full = append(full, m)
		}
	}
	out := countCommunities(full)
	slices.SortFunc(out, func(a, b communityCount) int { return cmp.Compare(a.code, b.code) })
	return out
}

// move returns the move of m into g.
func (p *planner) move(m *member, g *group) Move {
	reason := m.reason
	if reason == "" {
		reason = ReasonNewMember
	}
	return Move{CadreID: m.id, Name: m.name, From: m.current, To: g.id, Reason: reason, Text: p.moveText(m.name, m.current, g.id, reason)}
}

func (p *planner) moveText(name string, from, to uuid.UUID, reason MoveReason) Text {
	fromZh, fromEn := p.branchName(from, "（未编入党支部）", "(no branch)")
	toZh, toEn := p.branchName(to, "（组织关系终止）", "(membership ends)")
	// Concatenated, not formatted: a first plan has a move per member.
	return Text{
		Zh: name + "：" + fromZh + " → " + toZh + "。" + reason.Label(cadre.Chinese),
		En: name + ": " + fromEn + " → " + toEn + ". " + sentence(reason.Label(cadre.English)) + ".",
	}
}

// branchName names a branch of the plan or of the input for a reader.
func (p *planner) branchName(id uuid.UUID, noneZh, noneEn string) (string, string) {
	if id == uuid.Nil {
		return noneZh, noneEn
	}
	if n, ok := p.names[id]; ok {
		return "「" + n + "」", "“" + n + "”"
	}
	return "（无记录的党支部 " + id.String() + "）", "(unrecorded branch " + id.String() + ")"
}

func (p *planner) dissolutions(groups []*group) []Dissolution {
	kept := map[uuid.UUID]bool{}
	for _, g := range groups {
		kept[g.id] = true
	}
	out := []Dissolution{}
	for _, b := range p.branches {
		if kept[b.ID] {
			continue
		}
		why, ok := p.dissolved[b.ID]
		if !ok {
			why = Text{Zh: "没有在册党员", En: "no members on the roll"}
		}
		out = append(out, Dissolution{BranchID: b.ID, Name: b.Name, Text: why})
	}
	return out
}

// sortPlanned orders branches by kind and first community or unit, keeping
// the plan's own order within those: a community's parts stay in the order
// they are numbered (第一, 第二 …), which no sort by name would give.
func sortPlanned(bs []PlannedBranch) {
	first := func(b Branch) string {
		if len(b.Communities) > 0 {
			return b.Communities[0]
		}
		if len(b.Units) > 0 {
			return b.Units[0]
		}
		return ""
	}
	slices.SortStableFunc(bs, func(a, b PlannedBranch) int {
		return cmp.Or(
			cmp.Compare(kinds.Index(a.Branch.Kind), kinds.Index(b.Branch.Kind)),
			cmp.Compare(first(a.Branch), first(b.Branch)))
	})
}

// sentence starts an English label with a capital letter, to open a sentence.
func sentence(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
