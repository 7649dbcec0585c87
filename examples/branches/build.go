package main

import (
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
)

// newDistrict builds the district: the same records on every call.
func newDistrict() *district {
	g := &generator{Generator: demo.NewGenerator(2026, 1128), d: &district{}, byName: map[string]cadre.Cadre{}}
	for _, p := range people {
		g.Reserve(p.name)
	}
	for _, pl := range places {
		g.community(pl)
	}
	for _, p := range people {
		g.add(g.person(p), p.branch, p.role)
	}
	for _, pl := range places {
		g.fill(pl)
	}
	g.dues()
	return g.d
}

// generator builds the district from a fixed seed.
type generator struct {
	*demo.Generator
	d      *district
	byName map[string]cadre.Cadre
	// fillers counts the made-up members, every seventh of whom is
	// probationary, so that each community has enough full members.
	fillers int
}

// community adds a community, and its branch if it has one.
func (g *generator) community(pl place) {
	g.d.communities = append(g.d.communities, branch.Community{Code: pl.code, Name: pl.name, Centre: &cadre.Location{Lat: pl.lat, Lng: pl.lng}})
	if pl.founded.IsZero() {
		return
	}
	g.d.branches = append(g.d.branches, branch.Branch{
		ID: branchID(pl.code), Name: pl.name + "离退休干部党支部", Kind: branch.KindCommunity,
		Communities: []string{pl.code}, Units: []string{}, FoundedOn: pl.founded,
	})
}

func branchID(code string) uuid.UUID { return demo.KeyID("branch", code) }

func placeOf(code string) place {
	for _, pl := range places {
		if pl.code == code {
			return pl
		}
	}
	panic("no community " + code)
}

// add records c, c's membership of the branch of community in (if any),
// and c's post there (if any).
func (g *generator) add(c cadre.Cadre, in string, role branch.Role) {
	g.d.cadres = append(g.d.cadres, c)
	g.byName[c.Name] = c
	if in == "" || !c.Party.IsMember() {
		return
	}
	pl := placeOf(in)
	from := pl.founded
	if c.PartyJoinedOn.After(from) {
		from = c.PartyJoinedOn
	}
	g.d.memberships = append(g.d.memberships, branch.Membership{
		ID: demo.KeyID("membership", c.IDNumber), CadreID: c.ID, BranchID: branchID(in), From: from,
	})
	if role != "" {
		g.d.posts = append(g.d.posts, branch.Post{
			ID: demo.KeyID("post", in+"/"+string(role)), BranchID: branchID(in), CadreID: c.ID, Role: role, TermStart: pl.elected,
		})
	}
}

// person makes the cadre p describes; what p leaves out is a full member
// in good health.
func (g *generator) person(p person) cadre.Cadre {
	party, joined := p.party, p.joined
	if party == "" {
		party, joined = cadre.PartyFull, g.JoinedYoung(p.born)
	}
	c := g.Cadre(p.name, p.female, p.born, p.lives, party, joined)
	if p.health != "" {
		c.Health = p.health
	}
	if p.pension != 0 {
		c.PensionFen = p.pension
	}
	if p.status != "" {
		c.Status, c.StatusOn = p.status, p.statusOn
	}
	return c
}

// fill adds made-up cadres to a community until it has its numbers: Party
// members in the community's branch (if it has one), then cadres who are
// not members.
func (g *generator) fill(pl place) {
	members, others := 0, 0
	for _, c := range g.d.cadres {
		if c.Community != pl.code || c.Status != cadre.StatusActive {
			continue
		}
		if c.Party.IsMember() {
			members++
		} else {
			others++
		}
	}
	in := ""
	if !pl.founded.IsZero() {
		in = pl.code
	}
	for ; members < pl.members; members++ {
		female := g.Rand().IntN(2) == 0
		born := g.Born(1938, 1964)
		party, joined := cadre.PartyFull, g.JoinedYoung(born)
		if g.fillers++; g.fillers%7 == 3 {
			party, joined = cadre.PartyProbationary, cadre.NewDate(2026, time.Month(1+g.Rand().IntN(10)), 1+g.Rand().IntN(28))
		}
		c := g.Cadre(g.Name(female), female, born, pl.code, party, joined)
		c.Health = demo.Pick(g.Rand(), []cadre.Health{cadre.HealthGood, cadre.HealthGood, cadre.HealthChronic})
		g.add(c, in, "")
	}
	for ; others < pl.others; others++ {
		female := g.Rand().IntN(2) == 0
		c := g.Cadre(g.Name(female), female, g.Born(1936, 1964), pl.code, cadre.PartyNone, cadre.Date{})
		c.Health = demo.Pick(g.Rand(), []cadre.Health{cadre.HealthGood, cadre.HealthChronic, cadre.HealthSerious})
		g.add(c, "", "")
	}
}
