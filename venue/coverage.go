package venue

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// CoverageReport counts, for a set of cadres (a community, the district),
// how many the program serves and how many of those have each service
// within reach, in total and per community.
type CoverageReport struct {
	// On is the date counted for.
	On cadre.Date `json:"on"`
	Tally
	// Communities holds the same counts per community, by code.
	Communities []CommunityCoverage `json:"communities"`
}

// CommunityCoverage is the tally of one community.
type CommunityCoverage struct {
	// Community is the community's code.
	Community string `json:"community"`
	// Stage is the stage of the community's enrolment on the date; empty
	// when it is not enrolled.
	Stage Stage `json:"stage,omitempty"`
	Tally
}

// Tally counts cadres for a coverage report.
type Tally struct {
	// Cadres is how many cadres were on the roll on the date.
	Cadres int `json:"cadres"`
	// Eligible is how many of them the program serves (see Eligible).
	Eligible int `json:"eligible"`
	// NotEnrolled is how many are in a group the program serves but live
	// in a community not enrolled on the date.
	NotEnrolled int `json:"not_enrolled"`
	// Unlocated is how many eligible cadres have no usable home
	// coordinates; they count as covered for no service.
	Unlocated int `json:"unlocated"`
	// Covered holds, per service in the order of AllServices, how many
	// eligible cadres have it within reach.
	Covered [4]ServiceCount `json:"covered"`
	// AllFour is how many eligible cadres have all four within reach.
	AllFour int `json:"all_four"`
}

// ServiceCount is a number of cadres for one service.
type ServiceCount struct {
	Service Service `json:"service"`
	Cadres  int     `json:"cadres"`
}

// Coverage counts, for the cadres given, the eligible ones on the date and
// the services within their reach, in total and per community. Cadres who
// died or moved away on or before the date are not counted at all.
func (ix *Index) Coverage(cadres []cadre.Cadre, enrolments []Enrolment, on cadre.Date) CoverageReport {
	r := CoverageReport{On: on, Tally: newTally()}
	byCommunity := map[string]*CommunityCoverage{}
	for _, c := range cadres {
		e := Eligible(c, enrolments, on, ix.s)
		if e.Rule == RuleDeceased || e.Rule == RuleMoved {
			continue
		}
		cc := byCommunity[c.Community]
		if cc == nil {
			cc = &CommunityCoverage{Community: c.Community, Tally: newTally()}
			if st := enrolmentOf(c.Community, enrolments, on); st.found {
				cc.Stage = st.in.Stage
			}
			byCommunity[c.Community] = cc
		}
		var set serviceSet
		if e.Eligible {
			set = ix.reachSet(c, on)
		}
		r.count(e, c, set)
		cc.count(e, c, set)
	}
	for _, cc := range byCommunity {
		r.Communities = append(r.Communities, *cc)
	}
	slices.SortFunc(r.Communities, func(a, b CommunityCoverage) int { return cmp.Compare(a.Community, b.Community) })
	return r
}

func newTally() Tally {
	var t Tally
	for j, s := range order {
		t.Covered[j].Service = s
	}
	return t
}

func (t *Tally) count(e Eligibility, c cadre.Cadre, set serviceSet) {
	t.Cadres++
	if e.Rule == RuleNotEnrolled {
		t.NotEnrolled++
	}
	if !e.Eligible {
		return
	}
	t.Eligible++
	if !located(c.Location) {
		t.Unlocated++
		return
	}
	for j, s := range order {
		if set&s.bit() != 0 {
			t.Covered[j].Cadres++
		}
	}
	if set == allFour {
		t.AllFour++
	}
}

// reachSet returns the services within reach of c's home on the date;
// none for a home without coordinates.
func (ix *Index) reachSet(c cadre.Cadre, on cadre.Date) serviceSet {
	if !located(c.Location) {
		return 0
	}
	q := ix.query(unitOf(*c.Location), on)
	defer ix.done(q)
	var set serviceSet
	for j, h := range q.nearestEach(*c.Location) {
		if h.i >= 0 {
			set |= 1 << j
		}
	}
	return set
}

// Site is a proposed place for a new venue offering one service.
type Site struct {
	// Location is where the venue would be.
	Location cadre.Location `json:"location"`
	// Candidate is the place's index among the candidates given; -1 when
	// the candidates were the cadres' own homes (see HomeOf).
	Candidate int `json:"candidate"`
	// HomeOf is the cadre at whose home the place is, when the candidates
	// were the homes; uuid.Nil otherwise.
	HomeOf uuid.UUID `json:"home_of"`
	// Cadres are the eligible cadres the venue would newly cover, by ID.
	Cadres []uuid.UUID `json:"cadres"`
}

// BestNewSites proposes up to k places for a new venue offering service,
// greedily: each pick is the candidate whose walking radius holds the most
// eligible cadres still without the service within reach (ties by
// candidate order), and the cadres it covers no longer count for later
// picks. It stops early when no candidate covers anyone more. When
// candidates is nil, the candidates are the homes of those cadres, in the
// order of their IDs. Cadres without home coordinates cannot be placed and
// are left out.
func (ix *Index) BestNewSites(cadres []cadre.Cadre, enrolments []Enrolment, on cadre.Date,
	candidates []cadre.Location, service Service, k int) []Site {
	if k <= 0 || service.bit() == 0 {
		return nil
	}
	need := ix.uncovered(cadres, enrolments, on, service)
	var homeOf []uuid.UUID
	if candidates == nil {
		for _, c := range need {
			candidates = append(candidates, *c.Location)
			homeOf = append(homeOf, c.ID)
		}
	}
	covers, coveredBy := ix.coverLists(need, candidates)
	counts := make([]int, len(candidates))
	for i, cs := range covers {
		counts[i] = len(cs)
	}
	done := make([]bool, len(need))
	var out []Site
	for len(out) < k {
		best := -1
		for i, n := range counts {
			if n > 0 && (best < 0 || n > counts[best]) {
				best = i
			}
		}
		if best < 0 {
			break
		}
		site := Site{Location: candidates[best], Candidate: best}
		if homeOf != nil {
			site.Candidate, site.HomeOf = -1, homeOf[best]
		}
		for _, j := range covers[best] {
			if done[j] {
				continue
			}
			done[j] = true
			site.Cadres = append(site.Cadres, need[j].ID)
			for _, i := range coveredBy[j] {
				counts[i]--
			}
		}
		out = append(out, site)
	}
	return out
}

// uncovered returns the eligible cadres with home coordinates who have no
// venue offering service within reach, by ID.
func (ix *Index) uncovered(cadres []cadre.Cadre, enrolments []Enrolment, on cadre.Date, service Service) []cadre.Cadre {
	var out []cadre.Cadre
	for _, c := range cadres {
		if !located(c.Location) || !Eligible(c, enrolments, on, ix.s).Eligible {
			continue
		}
		if ix.reachSet(c, on)&service.bit() == 0 {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b cadre.Cadre) int { return compareID(a.ID, b.ID) })
	return out
}

// coverLists returns, for each candidate, the cadres of need within the
// walking radius of it, and for each cadre the candidates that cover it;
// both in order.
func (ix *Index) coverLists(need []cadre.Cadre, candidates []cadre.Location) (covers, coveredBy [][]int) {
	homes := newGrid(ix.withinMetres())
	units := make([]unit, len(need))
	for j, c := range need {
		units[j] = unitOf(*c.Location)
		homes.add(*c.Location, int32(j))
	}
	covers = make([][]int, len(candidates))
	coveredBy = make([][]int, len(need))
	for i, p := range candidates {
		if !p.Valid() {
			continue
		}
		u := unitOf(p)
		b, _ := boxAround(p, ix.withinMetres())
		scan(&homes, b, &covers[i], func(list *[]int, j int32) {
			if ix.s.walk(u.chord2(units[j])) <= ix.s.RadiusMetres {
				*list = append(*list, int(j))
			}
		})
		slices.Sort(covers[i])
		for _, j := range covers[i] {
			coveredBy[j] = append(coveredBy[j], i)
		}
	}
	return covers, coveredBy
}
