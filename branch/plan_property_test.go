package branch_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// setRapidChecks sets rapid's case count, 100 by default and 2,000 with
// WANXIA_LONG=1, unless the command line or RAPID_CHECKS already did.
func setRapidChecks(t *testing.T) {
	t.Helper()
	explicit := os.Getenv("RAPID_CHECKS") != ""
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "rapid.checks" })
	if explicit {
		return
	}
	n := 100
	if os.Getenv("WANXIA_LONG") == "1" {
		n = 2000
	}
	require.NoError(t, flag.Set("rapid.checks", strconv.Itoa(n)))
}

// TestPlanProperties checks Plan on random districts: up to 14 communities
// (some without centres, some crowded at one spot), up to 400 cadres of
// every party standing, status and health, and an existing setup of random
// branches of every kind with random, sometimes duplicate or dangling,
// memberships. Every plan must:
//   - cover every Party member on the roll exactly once, and nobody else;
//   - keep every branch within 50 members, every non-joint branch at 3 or
//     more full members, every joint branch within 5 communities (or the
//     random smaller limits drawn for half the cases);
//   - move exactly the members whose branch changes, each with its reason,
//     and end the open memberships of everyone not planned;
//   - be the same for the input in another order;
//   - once applied, propose nothing more.
func TestPlanProperties(t *testing.T) {
	setRapidChecks(t)
	rapid.Check(t, func(rt *rapid.T) {
		in := genDistrict(rt)
		s := genSettings(rt)
		p := branch.Plan(in, s)
		checkCoverage(rt, in, p)
		checkSizes(rt, p, s)
		checkMoves(rt, in, p)
		checkOrderFree(rt, in, p, s)
		again := branch.Plan(apply(in, p), s)
		if len(again.Moves) > 0 {
			rt.Fatalf("after applying, the plan moves %d more: %s", len(again.Moves), again.Moves[0].Text.En)
		}
	})
}

// fataler is what the checks need of *testing.T and *rapid.T alike.
type fataler interface {
	Fatalf(format string, args ...any)
}

// TestPlanLargeDistrict runs the property checks on the benchmark's
// district of 50,000 cadres in 200 communities, and on it again after the
// plan was applied and 2 % of the cadres moved house.
func TestPlanLargeDistrict(t *testing.T) {
	if testing.Short() {
		t.Skip("a large district")
	}
	in := benchDistrict(50_000, 200)
	s := branch.DefaultPlanSettings()
	p := branch.Plan(in, s)
	checkCoverage(t, in, p)
	checkSizes(t, p, s)
	checkMoves(t, in, p)
	next := apply(in, p)
	next.Cadres = slices.Clone(in.Cadres)
	for i := 0; i < len(next.Cadres); i += 50 {
		next.Cadres[i].Community = in.Communities[(i/50)%len(in.Communities)].Code
	}
	q := branch.Plan(next, s)
	checkCoverage(t, next, q)
	checkSizes(t, q, s)
	checkMoves(t, next, q)
	for _, m := range q.Moves {
		if m.Reason != branch.ReasonNotCovered && m.Reason != branch.ReasonFullMemberNeeded {
			t.Fatalf("after applying, only members who moved house move, and full members to make up for them: %s", m.Text.En)
		}
	}
}

// genSettings returns the default settings half the time, and otherwise
// small limits that make splits, repairs and merges happen on small districts.
func genSettings(rt *rapid.T) branch.PlanSettings {
	if rapid.Bool().Draw(rt, "default settings") {
		return branch.DefaultPlanSettings()
	}
	minFull := rapid.IntRange(1, 4).Draw(rt, "min full")
	return branch.PlanSettings{
		MinFullMembers:      minFull,
		MaxMembers:          rapid.IntRange(minFull, 20).Draw(rt, "max members"),
		MaxJointCommunities: rapid.IntRange(1, 6).Draw(rt, "max joint"),
	}
}

func genDistrict(rt *rapid.T) branch.PlanInput {
	on := cadre.NewDate(2026, 11, 28)
	nComm := rapid.IntRange(1, 14).Draw(rt, "communities")
	codes := make([]string, nComm)
	comms := make([]branch.Community, nComm)
	for i := range codes {
		codes[i] = fmt.Sprintf("c%02d", i)
		comms[i] = branch.Community{Code: codes[i], Name: codes[i] + "社区"}
		if rapid.IntRange(0, 4).Draw(rt, "has centre") > 0 {
			comms[i].Centre = &cadre.Location{
				Lat: 36.6 + float64(rapid.IntRange(0, 20).Draw(rt, "lat"))/100,
				Lng: 117.0 + float64(rapid.IntRange(0, 20).Draw(rt, "lng"))/100,
			}
		}
	}
	units := []string{"区财政局", "区教育局", "区卫生局"}
	cadres := genCadres(rt, codes, units, on)
	branches := genBranches(rt, codes, units)
	return branch.PlanInput{On: on, Cadres: cadres, Communities: comms, Branches: branches, Memberships: genMemberships(rt, cadres, branches)}
}

func genCadres(rt *rapid.T, codes, units []string, on cadre.Date) []cadre.Cadre {
	n := rapid.IntRange(0, 400).Draw(rt, "cadres")
	// A skewed district: most members in a few communities, as in life.
	weights := make([]int, len(codes))
	for i := range weights {
		weights[i] = rapid.IntRange(0, 10).Draw(rt, "weight")
	}
	out := make([]cadre.Cadre, n)
	for i := range out {
		c := cadre.Cadre{
			ID: uuid.NewSHA1(testNS, []byte(strconv.Itoa(i))), Name: fmt.Sprintf("p%03d", i),
			Community:    codes[pickWeighted(rt, weights)],
			OriginalUnit: rapid.SampledFrom(units).Draw(rt, "unit"),
			BirthDate:    cadre.NewDate(1925+rapid.IntRange(0, 40).Draw(rt, "born"), time.March, 1),
			Health:       rapid.SampledFrom([]cadre.Health{cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious, cadre.HealthDependent}).Draw(rt, "health"),
			Party:        rapid.SampledFrom([]cadre.Party{cadre.PartyFull, cadre.PartyFull, cadre.PartyFull, cadre.PartyProbationary, cadre.PartyNone}).Draw(rt, "party"),
			Status:       cadre.StatusActive,
		}
		switch rapid.IntRange(0, 19).Draw(rt, "status") {
		case 0:
			c.Status, c.StatusOn = cadre.StatusDeceased, on.AddDays(-rapid.IntRange(0, 400).Draw(rt, "died"))
		case 1:
			c.Status, c.StatusOn = cadre.StatusMoved, on.AddDays(-rapid.IntRange(0, 400).Draw(rt, "moved"))
		}
		out[i] = c
	}
	return out
}

func pickWeighted(rt *rapid.T, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w + 1
	}
	r := rapid.IntRange(0, total-1).Draw(rt, "pick")
	for i, w := range weights {
		if r -= w + 1; r < 0 {
			return i
		}
	}
	return len(weights) - 1
}

func genBranches(rt *rapid.T, codes, units []string) []branch.Branch {
	n := rapid.IntRange(0, 8).Draw(rt, "branches")
	out := make([]branch.Branch, n)
	for i := range out {
		b := branch.Branch{ID: uuid.NewSHA1(testNS, []byte("b"+strconv.Itoa(i))), Name: fmt.Sprintf("b%d", i),
			Kind: rapid.SampledFrom([]branch.Kind{branch.KindCommunity, branch.KindCommunity, branch.KindJoint, branch.KindUnit, branch.KindInterest}).Draw(rt, "kind")}
		switch b.Kind {
		case branch.KindCommunity:
			b.Communities = []string{rapid.SampledFrom(codes).Draw(rt, "community")}
		case branch.KindJoint:
			for _, c := range codes {
				if rapid.Bool().Draw(rt, "covers") {
					b.Communities = append(b.Communities, c)
				}
			}
		case branch.KindUnit:
			b.Units = []string{rapid.SampledFrom(units).Draw(rt, "unit")}
		}
		out[i] = b
	}
	return out
}

func genMemberships(rt *rapid.T, cadres []cadre.Cadre, branches []branch.Branch) []branch.Membership {
	ids := []uuid.UUID{uuid.NewSHA1(testNS, []byte("dangling"))}
	for _, b := range branches {
		ids = append(ids, b.ID)
	}
	var out []branch.Membership
	for i, c := range cadres {
		for k := range rapid.IntRange(0, 2).Draw(rt, "memberships") {
			from := cadre.NewDate(2010+rapid.IntRange(0, 15).Draw(rt, "from"), time.January, 1)
			m := branch.Membership{ID: uuid.NewSHA1(testNS, []byte(fmt.Sprint("m", i, k))), CadreID: c.ID,
				BranchID: ids[rapid.IntRange(0, len(ids)-1).Draw(rt, "branch")], From: from}
			if rapid.IntRange(0, 9).Draw(rt, "ended") == 0 {
				m.To = from.AddDays(100)
			}
			out = append(out, m)
		}
	}
	return out
}

func planned(in branch.PlanInput) map[uuid.UUID]cadre.Cadre {
	out := map[uuid.UUID]cadre.Cadre{}
	for _, c := range in.Cadres {
		if c.Party.IsMember() && c.Status == cadre.StatusActive {
			out[c.ID] = c
		}
	}
	return out
}

func checkCoverage(rt fataler, in branch.PlanInput, p branch.Proposal) {
	want := planned(in)
	seen := map[uuid.UUID]bool{}
	for _, b := range p.Branches {
		for _, m := range b.Members {
			if seen[m] {
				rt.Fatalf("member %s is in two branches", m)
			}
			if _, ok := want[m]; !ok {
				rt.Fatalf("%s is planned but is no Party member on the roll", m)
			}
			seen[m] = true
		}
	}
	if len(seen) != len(want) {
		rt.Fatalf("%d of %d members planned", len(seen), len(want))
	}
}

func checkSizes(rt fataler, p branch.Proposal, s branch.PlanSettings) {
	ids := map[uuid.UUID]bool{}
	for _, b := range p.Branches {
		name := b.Branch.Name
		if ids[b.Branch.ID] {
			rt.Fatalf("branch ID %s twice", b.Branch.ID)
		}
		ids[b.Branch.ID] = true
		switch {
		case len(b.Members) == 0:
			rt.Fatalf("%s is empty", name)
		case len(b.Members) > s.MaxMembers:
			rt.Fatalf("%s has %d members", name, len(b.Members))
		case b.Branch.Kind != branch.KindJoint && b.FullMembers < s.MinFullMembers:
			rt.Fatalf("%s, a %s, has %d full members", name, b.Branch.Kind, b.FullMembers)
		case b.Branch.Kind == branch.KindJoint && len(b.Branch.Communities) > s.MaxJointCommunities:
			rt.Fatalf("%s covers %d communities", name, len(b.Branch.Communities))
		case !slices.IsSortedFunc(b.Members, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) }):
			rt.Fatalf("%s: members not sorted", name)
		}
	}
}

// checkMoves checks that the moves are exactly the differences between the
// current setup and the plan, each with a known reason.
func checkMoves(rt fataler, in branch.PlanInput, p branch.Proposal) {
	to := map[uuid.UUID]uuid.UUID{}
	for _, b := range p.Branches {
		for _, m := range b.Members {
			to[m] = b.Branch.ID
		}
	}
	moved := map[uuid.UUID]branch.Move{}
	for _, m := range p.Moves {
		if !m.Reason.Valid() || m.Text.Zh == "" || m.Text.En == "" {
			rt.Fatalf("move of %s without a reason: %+v", m.Name, m)
		}
		if m.To == uuid.Nil {
			continue
		}
		if _, dup := moved[m.CadreID]; dup {
			rt.Fatalf("%s moved twice", m.Name)
		}
		if to[m.CadreID] != m.To {
			rt.Fatalf("%s moves to %s but is planned in %s", m.Name, m.To, to[m.CadreID])
		}
		moved[m.CadreID] = m
	}
	current := map[uuid.UUID][]uuid.UUID{}
	for _, ms := range in.Memberships {
		if ms.Covers(in.On) && !slices.Contains(current[ms.CadreID], ms.BranchID) {
			current[ms.CadreID] = append(current[ms.CadreID], ms.BranchID)
		}
	}
	for cid, b := range to {
		m, isMoved := moved[cid]
		cur := current[cid]
		switch {
		case len(cur) == 0 && (!isMoved || m.From != uuid.Nil):
			rt.Fatalf("cadre %s without a branch is not moved in", cid)
		case len(cur) == 1 && isMoved != (cur[0] != b):
			rt.Fatalf("cadre %s: in %s, planned in %s, moved %v", cid, cur[0], b, isMoved)
		case isMoved && len(cur) > 0 && !slices.Contains(cur, m.From):
			rt.Fatalf("cadre %s moves from %s, not a current branch", cid, m.From)
		}
	}
	for cid, bs := range current {
		if _, ok := to[cid]; !ok && slices.ContainsFunc(in.Cadres, func(c cadre.Cadre) bool { return c.ID == cid }) {
			ends := 0
			for _, m := range p.Moves {
				if m.CadreID == cid && m.To == uuid.Nil {
					ends++
				}
			}
			if ends != len(bs) {
				rt.Fatalf("cadre %s not planned: %d memberships, %d ended", cid, len(bs), ends)
			}
		}
	}
}

func checkOrderFree(rt fataler, in branch.PlanInput, p branch.Proposal, s branch.PlanSettings) {
	rev := in
	rev.Cadres = slices.Clone(in.Cadres)
	slices.Reverse(rev.Cadres)
	rev.Communities = slices.Clone(in.Communities)
	slices.Reverse(rev.Communities)
	rev.Branches = slices.Clone(in.Branches)
	slices.Reverse(rev.Branches)
	rev.Memberships = slices.Clone(in.Memberships)
	slices.Reverse(rev.Memberships)
	q := branch.Plan(rev, s)
	if len(q.Moves) != len(p.Moves) || len(q.Branches) != len(p.Branches) {
		rt.Fatalf("another input order gives another plan")
	}
	for i := range p.Branches {
		if p.Branches[i].Branch.ID != q.Branches[i].Branch.ID || !slices.Equal(p.Branches[i].Members, q.Branches[i].Members) {
			rt.Fatalf("another input order gives another branch %d", i)
		}
	}
}
