// Command nearby shows the rules of the "four nearby" program (四就近:
// learning, activities, care and a role to play within a short walk of
// home) on a made-up district of Jinan. It answers for a few cadres, per
// service, which venue is within walking distance and how far, or what is
// missing, and whether the program serves them and why (venue.FourNearby);
// then it counts the district's coverage, in total and per community
// (Coverage); then, for each service some served cadres cannot reach, it
// proposes the best site for a new venue (BestNewSites).
//
//	go run ./examples/nearby [--on YYYY-MM-DD] [--lang zh|en] [--json]
//
// The district is fixed data (district.go): four communities, fifteen
// venues, the program's enrolments and 22 cadres, recorded up to 27
// November 2026. Labels are Chinese for office staff unless --lang en;
// --json prints the same as one JSON object. The exit code is 2 when the
// command line is wrong.
//
// The files: district.go holds the district's tables and builds its
// records, main.go runs the rules, report.go declares what they give, and
// text.go prints it in either language. Package demo holds the command
// line the examples share and turns a row of the cadre table into a valid
// record.
package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
	"github.com/wanxia/wanxia/venue"
)

// command is the program's command line; see the package comment.
var command = demo.Command{
	Name:  "nearby",
	Usage: "go run ./examples/nearby [--on YYYY-MM-DD] [--lang zh|en] [--json]",
	On:    "answer and count on",
	JSON:  true,
}

func main() { command.Main(run) }

// featured are the cadres the program answers for, one of each kind of
// answer: an aged cadre with two services missing, one living alone near
// the district's venues, a 离休 cadre without home coordinates, a cadre
// whose community joins only later, and a 军休 officer in no group served.
var featured = []string{"王建国", "许凤英", "罗守仁", "郑庆云", "吴国庆"}

// run answers, counts and proposes on the date the arguments name and
// prints to stdout. It writes nothing to stderr; main reports its error
// there.
func run(ctx context.Context, args []string, stdout, _ io.Writer) error {
	f, err := command.Parse(args, stdout)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := build(sampleDistrict(), f.On, venue.DefaultSettings(), wordsFor(f.Lang))
	if f.JSON {
		return demo.PrintJSON(stdout, r)
	}
	printText(stdout, wordsFor(f.Lang), r)
	return nil
}

// build computes what the program shows from one index of the venues.
func build(d district, on cadre.Date, s venue.Settings, w words) report {
	ix := venue.NewIndex(d.venues, s)
	names := map[string]string{}
	for _, c := range d.communities {
		names[c.Code] = c.Name
	}
	byName := map[string]cadre.Cadre{}
	for _, c := range d.cadres {
		byName[c.Name] = c
	}
	open := 0
	for _, v := range d.venues {
		if v.OpenOn(on) {
			open++
		}
	}
	r := report{On: on, Lang: w.lang, RadiusMetres: ix.Settings().RadiusMetres, Communities: len(d.communities), OpenVenues: open,
		Answers: []answerView{}, Sites: []siteView{}}
	for _, name := range featured {
		c := byName[name]
		r.Answers = append(r.Answers, answer(c, ix.FourNearby(c, d.enrolments, on), names, w))
	}

	cov := ix.Coverage(d.cadres, d.enrolments, on)
	r.Coverage = coverageView{tallyView: tally(cov.Tally, w), Communities: []communityView{}}
	for _, cc := range cov.Communities {
		cv := communityView{Code: cc.Community, Name: names[cc.Community], Stage: cc.Stage, StageLabel: w.notEnrolled, tallyView: tally(cc.Tally, w)}
		if cc.Stage != "" {
			cv.StageLabel = cc.Stage.Label(w.lang)
		}
		r.Coverage.Communities = append(r.Coverage.Communities, cv)
	}

	cadreName := map[uuid.UUID]string{}
	for _, c := range d.cadres {
		cadreName[c.ID] = c.Name
	}
	located := cov.Eligible - cov.Unlocated
	for i, svc := range venue.AllServices() {
		sites := ix.BestNewSites(d.cadres, d.enrolments, on, nil, svc, 1)
		if len(sites) == 0 {
			continue
		}
		site := sites[0]
		near := nearest(d.communities, site.Location)
		sv := siteView{Service: svc, Label: svc.Label(w.lang), Uncovered: located - cov.Covered[i].Cadres,
			Lat: site.Location.Lat, Lng: site.Location.Lng, HomeOf: cadreName[site.HomeOf], Cadres: []string{},
			Community: near.Code, CommunityName: near.Name, MetresToCentre: math.Round(s.WalkingMetres(site.Location, near.Centre))}
		for _, id := range site.Cadres {
			sv.Cadres = append(sv.Cadres, cadreName[id])
		}
		r.Sites = append(r.Sites, sv)
	}
	return r
}

// answer is the four-nearby answer for one cadre in the words of w.
func answer(c cadre.Cadre, a venue.Answer, names map[string]string, w words) answerView {
	e := a.Eligibility
	av := answerView{Cadre: c.Name, Community: c.Community, CommunityName: names[c.Community], Located: a.Located,
		Eligible: e.Eligible, Rule: e.Rule, RuleLabel: e.Rule.Label(w.lang), Reason: e.Reason.In(w.lang), Note: a.Note.In(w.lang),
		Services: []serviceView{}}
	for _, sa := range a.Services {
		sv := serviceView{Service: sa.Service, Label: sa.Service.Label(w.lang), Covered: sa.Covered, Missing: sa.Missing.In(w.lang)}
		if v := sa.Venue; v != nil {
			m := sa.Metres
			sv.Venue, sv.Kind, sv.Metres, sv.Distance = v.Name, v.Kind.Label(w.lang), &m, w.distance(m)
		}
		av.Services = append(av.Services, sv)
	}
	return av
}

// tally is a count of cadres in the words of w, with each service's share
// of the cadres served.
func tally(t venue.Tally, w words) tallyView {
	tv := tallyView{Cadres: t.Cadres, Eligible: t.Eligible, NotEnrolled: t.NotEnrolled, Unlocated: t.Unlocated,
		Covered: []countView{}, AllFour: t.AllFour, AllFourPercent: percent(t.AllFour, t.Eligible)}
	for _, sc := range t.Covered {
		tv.Covered = append(tv.Covered, countView{Service: sc.Service, Label: sc.Service.Label(w.lang), Cadres: sc.Cadres,
			Percent: percent(sc.Cadres, t.Eligible)})
	}
	return tv
}

// percent is part of whole in percent to one decimal; nil for no whole.
func percent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	p := math.Round(float64(part)*1000/float64(whole)) / 10
	return &p
}

// nearest returns the community whose centre is nearest p, ties by code.
func nearest(cs []community, p cadre.Location) community {
	return slices.MinFunc(cs, func(a, b community) int {
		return cmp.Or(cmp.Compare(venue.GreatCircleMetres(p, a.Centre), venue.GreatCircleMetres(p, b.Centre)), cmp.Compare(a.Code, b.Code))
	})
}

// distance words a walking distance as package venue does in its answers:
// whole metres below a kilometre, then kilometres to one decimal.
func (w words) distance(metres float64) string {
	if m := math.Round(metres); m < 1000 {
		return fmt.Sprintf(w.metres, strconv.FormatFloat(m, 'f', -1, 64))
	}
	return fmt.Sprintf(w.km, strconv.FormatFloat(math.Round(metres/100)/10, 'f', -1, 64))
}
