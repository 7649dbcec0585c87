package branch_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func plan(in branch.PlanInput) branch.Proposal {
	if in.On.IsZero() {
		in.On = planDay
	}
	return branch.Plan(in, branch.DefaultPlanSettings())
}

func sizes(p branch.Proposal) []int {
	out := []int{}
	for _, b := range p.Branches {
		out = append(out, len(b.Members))
	}
	slices.Sort(out)
	return out
}

func kindsOf(p branch.Proposal) []branch.Kind {
	out := []branch.Kind{}
	for _, b := range p.Branches {
		out = append(out, b.Branch.Kind)
	}
	return out
}

func TestPlanOneCommunityBySize(t *testing.T) {
	for _, tc := range []struct {
		members, full int
		sizes         []int
		kinds         []branch.Kind
	}{
		{2, 2, []int{2}, []branch.Kind{branch.KindJoint}},
		{3, 2, []int{3}, []branch.Kind{branch.KindJoint}},
		{3, 3, []int{3}, []branch.Kind{branch.KindCommunity}},
		{6, 6, []int{6}, []branch.Kind{branch.KindCommunity}},
		{7, 7, []int{7}, []branch.Kind{branch.KindCommunity}},
		{50, 50, []int{50}, []branch.Kind{branch.KindCommunity}},
		{51, 51, []int{25, 26}, []branch.Kind{branch.KindCommunity, branch.KindCommunity}},
		{51, 4, nil, nil}, // two parts cannot both have 3 full members: see below
		{101, 90, []int{33, 34, 34}, []branch.Kind{branch.KindCommunity, branch.KindCommunity, branch.KindCommunity}},
	} {
		in := branch.PlanInput{Cadres: people("sy", tc.members, tc.full), Communities: []branch.Community{community("sy", 36.65)}}
		p := plan(in)
		assert.Len(t, where(t, p), tc.members, "everyone once: %d members", tc.members)
		if tc.kinds == nil {
			// 51 members, 4 full: two parts are needed and only one can
			// have 3 full members; the other is a joint branch short of
			// full members, with nobody to join, flagged for a person.
			require.Len(t, p.Branches, 2)
			assert.Equal(t, []int{25, 26}, sizes(p))
			assert.Equal(t, []branch.Kind{branch.KindCommunity, branch.KindJoint}, kindsOf(p))
			assert.Equal(t, 3, p.Branches[0].FullMembers)
			last := p.Branches[1].Notes[len(p.Branches[1].Notes)-1]
			assert.Contains(t, last.En, "for a person to decide")
			continue
		}
		assert.Equal(t, tc.sizes, sizes(p), "%d members, %d full", tc.members, tc.full)
		assert.Equal(t, tc.kinds, kindsOf(p), "%d members, %d full", tc.members, tc.full)
		for _, b := range p.Branches {
			assert.Equal(t, branch.BranchNew, b.Change)
			assert.Equal(t, planDay, b.Branch.FoundedOn)
			assert.Equal(t, []string{"sy"}, b.Branch.Communities)
		}
		assert.Len(t, p.Moves, tc.members, "each member is placed, with a reason")
	}
}

func TestPlanUnderFullBranchSaysSo(t *testing.T) {
	p := plan(branch.PlanInput{Cadres: people("sy", 2, 2), Communities: []branch.Community{community("sy", 36.65)}})
	require.Len(t, p.Branches, 1)
	var notes []string
	for _, n := range p.Branches[0].Notes {
		notes = append(notes, n.En)
	}
	assert.Contains(t, notes, "2 full members, fewer than 3: no neighbour can join within the limits (5 communities, 50 members); for a person to decide")
}

func TestPlanSplitsByAgeAndHealth(t *testing.T) {
	cs := people("sy", 51, 51)
	for i := range cs {
		cs[i].BirthDate = cadre.NewDate(1930+i%30, 1, 1)
	}
	cs[0].Health = cadre.HealthDependent // the oldest group, whatever the age
	cs[0].BirthDate = cadre.NewDate(1960, 1, 1)
	p := plan(branch.PlanInput{Cadres: cs, Communities: []branch.Community{community("sy", 36.65)}})
	require.Len(t, p.Branches, 2)
	ages := map[uuid.UUID]int{}
	for _, c := range cs {
		ages[c.ID] = c.Age(planDay)
	}
	younger, older := p.Branches[0], p.Branches[1]
	if !slices.Contains(older.Members, cs[0].ID) {
		younger, older = older, younger
	}
	assert.Contains(t, older.Members, cs[0].ID, "the dependent member is with the frail group")
	maxYoung := 0
	for _, m := range younger.Members {
		maxYoung = max(maxYoung, ages[m])
	}
	for _, m := range older.Members {
		if m != cs[0].ID {
			assert.GreaterOrEqual(t, ages[m], maxYoung, "split by age: the older part is older")
		}
	}
	assert.Contains(t, younger.Branch.Name, "第")
	assert.NotEqual(t, younger.Branch.Name, older.Branch.Name)
}

func TestPlanJointBranchesOfNeighbours(t *testing.T) {
	// Six communities with one full member each, 1.1 km apart on a line, and
	// one far away: joint branches of neighbours, each of at most 5
	// communities and each with 3 full members.
	var cs []cadre.Cadre
	var comms []branch.Community
	for i, code := range []string{"a", "b", "c", "d", "e", "f"} {
		cs = append(cs, people(code, 1, 1)...)
		comms = append(comms, community(code, 36.60+0.01*float64(i)))
	}
	p := plan(branch.PlanInput{Cadres: cs, Communities: comms})
	require.Len(t, p.Branches, 2)
	var got [][]string
	for _, b := range p.Branches {
		assert.Equal(t, branch.KindJoint, b.Branch.Kind)
		assert.Equal(t, 3, b.FullMembers)
		got = append(got, b.Branch.Communities)
	}
	assert.ElementsMatch(t, [][]string{{"a", "b", "c"}, {"d", "e", "f"}}, got, "nearest centres together")
	assert.Contains(t, p.Branches[0].Notes[len(p.Branches[0].Notes)-1].Zh, "相距不超过1.1公里")
}

func TestPlanJointAtMostFiveCommunities(t *testing.T) {
	// Twelve communities of one full member each, all at one spot: joint
	// branches cover at most 5 communities even when more would fit.
	var cs []cadre.Cadre
	var comms []branch.Community
	for _, code := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
		cs = append(cs, people(code, 1, 1)...)
		comms = append(comms, community(code, 36.6))
	}
	p := plan(branch.PlanInput{Cadres: cs, Communities: comms})
	assert.Len(t, where(t, p), 12)
	for _, b := range p.Branches {
		assert.LessOrEqual(t, len(b.Branch.Communities), 5)
		assert.GreaterOrEqual(t, b.FullMembers, 3)
	}
}

func TestPlanCommunitiesWithoutCentreJoinInCodeOrder(t *testing.T) {
	cs := concat(people("m", 1, 1), people("n", 1, 1), people("o", 1, 1), people("z", 1, 1))
	comms := []branch.Community{{Code: "m", Name: "m社区"}, {Code: "n", Name: "n社区"}, {Code: "z", Name: "z社区"}, {Code: "o", Name: "o社区"}}
	p := plan(branch.PlanInput{Cadres: cs, Communities: comms})
	require.Len(t, p.Branches, 1, "the fourth joins the first group, which has room")
	b := p.Branches[0]
	assert.Equal(t, []string{"m", "n", "o", "z"}, b.Branch.Communities)
	var en []string
	for _, n := range b.Notes {
		en = append(en, n.En)
	}
	assert.Contains(t, en, "z社区 (z) has no centre point, so it was joined in community-code order")
}

func TestPlanKeepsValidSetup(t *testing.T) {
	sy, gsq := people("sy", 12, 10), people("gsq", 4, 3)
	bSy := branch.Branch{ID: id("b-sy"), Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: testkit.Date("2010-07-01")}
	bGsq := branch.Branch{ID: id("b-gsq"), Name: "杆石桥社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"gsq"}}
	in := branch.PlanInput{
		Cadres:      concat(sy, gsq),
		Communities: []branch.Community{community("sy", 36.65), community("gsq", 36.66)},
		Branches:    []branch.Branch{bSy, bGsq},
		Memberships: concat(memberships(bSy.ID, testkit.Date("2015-01-01"), sy...), memberships(bGsq.ID, testkit.Date("2015-01-01"), gsq...)),
	}
	p := plan(in)
	assert.Empty(t, p.Moves)
	assert.Empty(t, p.Dissolved)
	require.Len(t, p.Branches, 2)
	for _, b := range p.Branches {
		assert.Equal(t, branch.BranchUnchanged, b.Change, b.Branch.Name)
	}
	bSy.Units = []string{} // lists are never null
	assert.Equal(t, bSy, p.Branches[1].Branch, "the record is kept as it was")
}

func TestPlanMovesOnlyWhoMust(t *testing.T) {
	sy, gsq := people("sy", 12, 10), people("gsq", 4, 3)
	bSy := branch.Branch{ID: id("b-sy"), Name: "舜园", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	bGsq := branch.Branch{ID: id("b-gsq"), Name: "杆石桥", Kind: branch.KindCommunity, Communities: []string{"gsq"}}
	ms := concat(memberships(bSy.ID, testkit.Date("2015-01-01"), sy...), memberships(bGsq.ID, testkit.Date("2015-01-01"), gsq...))

	movedHouse := sy[11]
	movedHouse.Community = "gsq" // lives in gsq now, still in sy's branch
	sy[11] = movedHouse
	dead := sy[10]
	dead.Status, dead.StatusOn = cadre.StatusDeceased, testkit.Date("2026-10-01")
	sy[10] = dead
	newcomer := person("newcomer", "sy", cadre.PartyProbationary)
	nonMember := person("quit", "sy", cadre.PartyNone)
	ms = append(ms, memberships(bSy.ID, testkit.Date("2015-01-01"), nonMember)...)
	lost := person("lost", "sy", cadre.PartyFull)
	ms = append(ms, memberships(id("no-such-branch"), testkit.Date("2015-01-01"), lost)...)
	twice := sy[0]
	ms = append(ms, memberships(bGsq.ID, testkit.Date("2016-01-01"), twice)...) // also in gsq's branch, later

	p := plan(branch.PlanInput{
		Cadres:      concat(sy, gsq, []cadre.Cadre{newcomer, nonMember, lost}),
		Communities: []branch.Community{community("sy", 36.65), community("gsq", 36.66)},
		Branches:    []branch.Branch{bSy, bGsq},
		Memberships: ms,
	})
	moves := map[string][]branch.Move{}
	for _, m := range p.Moves {
		moves[m.Name] = append(moves[m.Name], m)
	}
	want := map[string][]branch.Move{
		movedHouse.Name: {{From: bSy.ID, To: bGsq.ID, Reason: branch.ReasonNotCovered}},
		dead.Name:       {{From: bSy.ID, To: uuid.Nil, Reason: branch.ReasonDeceased}},
		newcomer.Name:   {{From: uuid.Nil, To: bSy.ID, Reason: branch.ReasonNewMember}},
		nonMember.Name:  {{From: bSy.ID, To: uuid.Nil, Reason: branch.ReasonNotMember}},
		lost.Name:       {{From: id("no-such-branch"), To: bSy.ID, Reason: branch.ReasonBranchMissing}},
	}
	// Of a member's two memberships, the one in the branch of the member's
	// community is kept, though the other is later: one move, not two.
	want[twice.Name] = []branch.Move{{From: bGsq.ID, To: uuid.Nil, Reason: branch.ReasonDuplicate}}
	require.Len(t, moves, len(want), "nobody else moves")
	for name, w := range want {
		require.Len(t, moves[name], len(w), name)
		got := moves[name][0]
		assert.Equal(t, w[0].From, got.From, name)
		assert.Equal(t, w[0].To, got.To, name)
		assert.Equal(t, w[0].Reason, got.Reason, name)
		assert.NotEmpty(t, got.Text.Zh)
		label := got.Reason.Label(cadre.English)
		assert.Contains(t, got.Text.En, ". "+strings.ToUpper(label[:1])+label[1:]+".", "the reason opens a sentence")
	}
	loc := where(t, p)
	assert.Equal(t, bSy.ID, loc[twice.ID].Branch.ID, "kept in sy's branch, which covers the member")
	for _, b := range p.Branches {
		assert.Equal(t, branch.BranchChanged, b.Change)
	}
}

func TestPlanSplitsAnExistingBranchWithFewMoves(t *testing.T) {
	sy := people("sy", 51, 40)
	b := branch.Branch{ID: id("b-sy"), Name: "舜园", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	p := plan(branch.PlanInput{
		Cadres: sy, Communities: []branch.Community{community("sy", 36.65)},
		Branches: []branch.Branch{b}, Memberships: memberships(b.ID, testkit.Date("2015-01-01"), sy...),
	})
	require.Len(t, p.Branches, 2)
	assert.LessOrEqual(t, len(p.Moves), 3, "one member over the limit, and full members enough for the new branch")
	assert.Equal(t, []int{3, 48}, sizes(p))
	for _, m := range p.Moves {
		assert.Contains(t, []branch.MoveReason{branch.ReasonBranchSplit, branch.ReasonFullMemberNeeded}, m.Reason)
		assert.Equal(t, b.ID, m.From)
	}
	loc := where(t, p)
	assert.Equal(t, b.ID, loc[sy[0].ID].Branch.ID, "the branch keeps its ID")
}

func TestPlanMergesABranchThatShrank(t *testing.T) {
	// x's branch is down to 2 full members; its neighbour y's branch takes
	// them in and becomes a joint branch; x's branch is dissolved.
	x, y := people("x", 3, 2), people("y", 10, 10)
	bx := branch.Branch{ID: id("bx"), Name: "x", Kind: branch.KindCommunity, Communities: []string{"x"}}
	by := branch.Branch{ID: id("by"), Name: "y", Kind: branch.KindCommunity, Communities: []string{"y"}}
	far := people("z", 10, 10)
	bz := branch.Branch{ID: id("bz"), Name: "z", Kind: branch.KindCommunity, Communities: []string{"z"}}
	p := plan(branch.PlanInput{
		Cadres:      concat(x, y, far),
		Communities: []branch.Community{community("x", 36.65), community("y", 36.66), community("z", 37.5)},
		Branches:    []branch.Branch{bx, by, bz},
		Memberships: concat(memberships(bx.ID, testkit.Date("2015-01-01"), x...), memberships(by.ID, testkit.Date("2015-01-01"), y...), memberships(bz.ID, testkit.Date("2015-01-01"), far...)),
	})
	require.Len(t, p.Moves, 3)
	for _, m := range p.Moves {
		assert.Equal(t, bx.ID, m.From)
		assert.Equal(t, by.ID, m.To, "to the nearest neighbour")
		assert.Equal(t, branch.ReasonBranchesMerged, m.Reason)
	}
	require.Len(t, p.Dissolved, 1)
	assert.Equal(t, bx.ID, p.Dissolved[0].BranchID)
	loc := where(t, p)
	assert.Equal(t, branch.KindJoint, loc[y[0].ID].Branch.Kind)
	assert.Equal(t, []string{"x", "y"}, loc[y[0].ID].Branch.Communities)
}

func TestPlanOriginalUnitAndInterestBranches(t *testing.T) {
	retired := people("sy", 5, 5)
	for i := range retired {
		retired[i].OriginalUnit = "区财政局"
	}
	retired[4].OriginalUnit = "区教育局" // not the unit's
	small := people("gsq", 2, 2)
	for i := range small {
		small[i].OriginalUnit = "区卫生局"
	}
	choir := people("choir", 3, 3)
	unit := branch.Branch{ID: id("unit"), Name: "区财政局离退休干部党支部", Kind: branch.KindUnit, Units: []string{"区财政局"}}
	smallUnit := branch.Branch{ID: id("small-unit"), Name: "区卫生局离退休干部党支部", Kind: branch.KindUnit, Units: []string{"区卫生局"}}
	interest := branch.Branch{ID: id("interest"), Name: "老年大学合唱团党支部", Kind: branch.KindInterest}
	p := plan(branch.PlanInput{
		Cadres:      concat(retired, small, choir, people("gsq-local", 0, 0)),
		Communities: []branch.Community{community("sy", 36.65), community("gsq", 36.66), community("choir", 36.67)},
		Branches:    []branch.Branch{unit, smallUnit, interest},
		Memberships: concat(memberships(unit.ID, testkit.Date("2015-01-01"), retired...), memberships(smallUnit.ID, testkit.Date("2015-01-01"), small...),
			memberships(interest.ID, testkit.Date("2015-01-01"), choir...)),
	})
	loc := where(t, p)
	assert.Equal(t, unit.ID, loc[retired[0].ID].Branch.ID, "an original-unit branch with 4 full members is kept")
	assert.Equal(t, branch.KindUnit, loc[retired[0].ID].Branch.Kind)
	assert.Equal(t, interest.ID, loc[choir[0].ID].Branch.ID)
	mv := movesOf(p)
	assert.Equal(t, branch.ReasonNotCovered, mv[retired[4].ID].Reason, "retired from another unit")
	assert.Equal(t, branch.ReasonBranchTooSmall, mv[small[0].ID].Reason, "2 full members: dissolved")
	require.Len(t, p.Dissolved, 1)
	assert.Equal(t, smallUnit.ID, p.Dissolved[0].BranchID)
	assert.Contains(t, p.Dissolved[0].Text.Zh, "不足3名")
}

func TestPlanShedsAJointBranchOverFiveCommunities(t *testing.T) {
	var cs []cadre.Cadre
	var comms []branch.Community
	codes := []string{"a", "b", "c", "d", "e", "f"}
	for i, code := range codes {
		cs = append(cs, people(code, 1+i%2, 1)...) // b, d and f have two members
		comms = append(comms, community(code, 36.6+0.001*float64(i)))
	}
	j := branch.Branch{ID: id("joint"), Name: "联合", Kind: branch.KindJoint, Communities: codes}
	p := plan(branch.PlanInput{Cadres: cs, Communities: comms, Branches: []branch.Branch{j}, Memberships: memberships(j.ID, testkit.Date("2015-01-01"), cs...)})
	require.Len(t, p.Moves, 1, "the community with the fewest members (a, by code) leaves")
	assert.Equal(t, branch.ReasonJointRegrouped, p.Moves[0].Reason)
	for _, b := range p.Branches {
		assert.LessOrEqual(t, len(b.Branch.Communities), 5)
	}
}

func TestPlanIsDeterministic(t *testing.T) {
	var cs []cadre.Cadre
	var comms []branch.Community
	for i, code := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		cs = append(cs, people(code, 1+i*13, 1+i*9)...)
		comms = append(comms, community(code, 36.6+0.01*float64(i%3)))
	}
	in := branch.PlanInput{On: planDay, Cadres: cs, Communities: comms}
	first := branch.Plan(in, branch.DefaultPlanSettings())
	shuffled := in
	shuffled.Cadres = slices.Clone(cs)
	slices.Reverse(shuffled.Cadres)
	shuffled.Communities = slices.Clone(comms)
	slices.Reverse(shuffled.Communities)
	assert.Equal(t, first, branch.Plan(in, branch.DefaultPlanSettings()), "same input, same plan")
	assert.Equal(t, first, branch.Plan(shuffled, branch.DefaultPlanSettings()), "input order does not matter")

	// Planning again after applying proposes nothing more.
	again := branch.Plan(apply(in, first), branch.DefaultPlanSettings())
	assert.Empty(t, again.Moves)
	for _, b := range again.Branches {
		assert.Equal(t, branch.BranchUnchanged, b.Change)
	}
}

// apply returns the input as it stands once a person has applied p:
// its branches, and each member in the proposed branch from p's date.
func apply(in branch.PlanInput, p branch.Proposal) branch.PlanInput {
	out := in
	out.Branches, out.Memberships = nil, nil
	for _, b := range p.Branches {
		out.Branches = append(out.Branches, b.Branch)
		for _, m := range b.Members {
			out.Memberships = append(out.Memberships, branch.Membership{ID: uuid.NewSHA1(testNS, append(m[:], b.Branch.ID[:]...)), CadreID: m, BranchID: b.Branch.ID, From: p.On})
		}
	}
	return out
}

func TestPlanSettingsValidate(t *testing.T) {
	require.NoError(t, branch.DefaultPlanSettings().Validate())
	err := branch.PlanSettings{MinFullMembers: 0, MaxMembers: 0, MaxJointCommunities: 0}.Validate()
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"min_full_members", "max_members", "max_joint_communities"}, ve.Fields())
	// Plan works with unworkable settings, raised to the least workable.
	p := branch.Plan(branch.PlanInput{On: planDay, Cadres: people("sy", 4, 4)}, branch.PlanSettings{})
	assert.Len(t, where(t, p), 4)
}

func TestPlanDistanceIsGreatCircle(t *testing.T) {
	// Beijing and Shanghai, about 1,067 km apart on the great circle; with
	// nobody nearer, the two lone members still share a joint branch.
	comms := []branch.Community{
		{Code: "bj", Name: "北京", Centre: &cadre.Location{Lat: 39.9042, Lng: 116.4074}},
		{Code: "sh", Name: "上海", Centre: &cadre.Location{Lat: 31.2304, Lng: 121.4737}},
	}
	p := plan(branch.PlanInput{Cadres: concat(people("bj", 1, 1), people("sh", 1, 1)), Communities: comms})
	require.Len(t, p.Branches, 1)
	var zh []string
	for _, n := range p.Branches[0].Notes {
		zh = append(zh, n.Zh)
	}
	assert.Contains(t, zh, "覆盖北京、上海，相邻社区中心点相距不超过1067.3公里")
}
