// Command care shows the rules of caring for retired cadres on a made-up
// district of Jinan. It pairs the bureau's helpers with the cadres who need
// one (1对5 pairing, care.Assign): per helper the cadres paired, kept or
// new, with their need tier and distance; the pairs that end and why; the
// cadres left without a pair and why; the total distance. Then it lists the
// visits due in the week from the date (care.Schedule), per cadre, overdue
// ones first, each with its due date, window, and the visit that satisfied
// it if one did.
//
//	go run ./examples/care [--on YYYY-MM-DD] [--lang zh|en] [--json]
//
// The district is fixed data (district.go): 51 cadres, six helpers, the
// pairs they had and a year of visits, recorded up to 27 November 2026.
// Labels are Chinese for office staff unless --lang en; --json prints the
// same as one JSON object. The exit code is 2 when the command line is wrong.
//
// The files: district.go holds the tables of the district, records.go
// makes its records from them (the year's visits included), main.go runs
// the rules, report.go declares what they give, and text.go prints it in
// either language. Package demo holds the command line the examples share
// and turns a row of the cadre table into a valid record.
package main

import (
	"cmp"
	"context"
	"io"
	"math"
	"slices"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/examples/demo"
)

// command is the program's command line; see the package comment.
var command = demo.Command{
	Name:  "care",
	Usage: "go run ./examples/care [--on YYYY-MM-DD] [--lang zh|en] [--json]",
	On:    "pair and schedule on",
	JSON:  true,
}

func main() { command.Main(run) }

// weekDays is how many days the list of due visits covers, from --on.
const weekDays = 7

// run pairs the district's helpers and cadres on the date the arguments
// name and prints the pairing and the week's due visits to stdout. It
// writes nothing to stderr; main reports its error there.
func run(ctx context.Context, args []string, stdout, _ io.Writer) error {
	f, err := command.Parse(args, stdout)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	as, ss := care.DefaultAssignSettings(), care.DefaultScheduleSettings()
	d := sampleDistrict().asOf(f.On)
	r := build(d, f.On, as, ss, wordsFor(f.Lang))
	if f.JSON {
		return demo.PrintJSON(stdout, r)
	}
	printText(stdout, wordsFor(f.Lang), r)
	return nil
}

// build computes what the program shows: Assign on the district's records,
// then Schedule for every cadre with the pairs as Assign leaves them.
func build(d district, on cadre.Date, as care.AssignSettings, ss care.ScheduleSettings, w words) report {
	names := map[uuid.UUID]string{}
	cadres := map[uuid.UUID]cadre.Cadre{}
	for _, c := range d.cadres {
		names[c.ID], cadres[c.ID] = c.Name, c
	}
	for _, h := range d.helpers {
		names[h.ID] = h.Name
	}
	res := care.Assign(care.AssignInput{On: on, Cadres: d.cadres, Helpers: d.helpers, Pairs: d.pairs}, as)

	r := report{On: on, Lang: w.lang, Helpers: []helperView{}, Ended: []endedView{}, Unpaired: []unpairedView{}}
	helperOf := map[uuid.UUID]string{}
	for _, h := range d.helpers {
		if !h.Active(on) {
			continue
		}
		hv := helperView{Name: h.Name, Capacity: cmp.Or(h.Capacity, as.Capacity), Cadres: []pairedView{}}
		var measured float64
		for _, a := range res.Pairs {
			if a.HelperID != h.ID {
				continue
			}
			c := cadres[a.CadreID]
			helperOf[c.ID] = h.Name
			pv := pairedView{Cadre: c.Name, Tier: a.Tier, Need: topNeed(c, on, as.Policy), New: a.New, From: a.From}
			pv.NeedLabel = pv.Need.Label(w.lang)
			if a.Located {
				km := round1(a.Km)
				pv.Km, measured = &km, measured+a.Km
			} else {
				r.UnknownDistancePairs++
			}
			hv.Cadres = append(hv.Cadres, pv)
		}
		slices.SortStableFunc(hv.Cadres, func(x, y pairedView) int {
			return cmp.Or(cmp.Compare(x.Tier, y.Tier), cmp.Compare(kmOrInf(x.Km), kmOrInf(y.Km)))
		})
		r.TotalKm += measured
		r.Helpers = append(r.Helpers, hv)
	}
	r.TotalKm = round1(r.TotalKm)
	for _, p := range res.Ended {
		r.Ended = append(r.Ended, endedView{
			Cadre: names[p.CadreID], Helper: names[p.HelperID], From: p.From, To: p.To,
			Reason: p.EndReason, ReasonLabel: p.EndReason.Label(w.lang),
		})
	}
	for _, u := range res.Unpaired {
		c := cadres[u.CadreID]
		n := topNeed(c, on, as.Policy)
		r.Unpaired = append(r.Unpaired, unpairedView{
			Cadre: c.Name, Tier: u.Tier, Need: n, NeedLabel: n.Label(w.lang),
			Reason: u.Reason, ReasonLabel: u.Reason.Label(w.lang),
		})
	}
	r.Week = week(d, applied(d.pairs, res), on, ss, w, names, helperOf)
	return r
}

// applied returns the pair records as they are once the result of Assign
// is stored: ended pairs with their end, and the new pairs.
func applied(stored []care.Pair, res care.AssignResult) []care.Pair {
	ended := map[uuid.UUID]care.Pair{}
	for _, p := range res.Ended {
		ended[p.ID] = p
	}
	var out []care.Pair
	for _, p := range stored {
		if e, ok := ended[p.ID]; ok {
			p = e
		}
		out = append(out, p)
	}
	for _, a := range res.Pairs {
		if a.New {
			out = append(out, a.Pair)
		}
	}
	return out
}

// week lists, per cadre, the visits due from on for weekDays days and those
// overdue. Cadres are sorted by their first due date, which puts those with
// an overdue visit first, then by name in pinyin order.
func week(d district, pairs []care.Pair, on cadre.Date, s care.ScheduleSettings, w words,
	names map[uuid.UUID]string, helperOf map[uuid.UUID]string) weekView {
	wv := weekView{From: on, To: on.AddDays(weekDays - 1), Cadres: []cadreDues{}}
	rec := care.Records{Pairs: pairs, Visits: d.visits, Stays: d.stays}
	for _, c := range d.cadres {
		cd := cadreDues{
			Cadre: c.Name, Tier: c.NeedTier(on, s.Policy), Helper: helperOf[c.ID],
			Status: c.Status, StatusLabel: c.Status.Label(w.lang), StatusOn: c.StatusOn, Visits: []dueView{},
		}
		for _, due := range care.Schedule(c, rec, on, s) {
			if !due.Overdue && (due.DueOn.Before(wv.From) || due.DueOn.After(wv.To)) {
				continue
			}
			dv := dueView{
				Kind: due.Kind, Label: due.Kind.Label(w.lang), Milestone: due.Milestone,
				DueOn: due.DueOn, WindowStart: due.WindowStart, WindowEnd: due.WindowEnd, Overdue: due.Overdue,
			}
			switch {
			case due.SatisfiedBy != nil:
				v := due.SatisfiedBy
				by := w.staff
				if v.By != uuid.Nil {
					by = names[v.By]
				}
				dv.SatisfiedBy = &visitView{Kind: v.Kind, Label: v.Kind.Label(w.lang), On: v.On, By: by}
				wv.Done++
			case due.Overdue:
				wv.Overdue++
			default:
				wv.Open++
			}
			cd.Visits = append(cd.Visits, dv)
		}
		if len(cd.Visits) > 0 {
			wv.Cadres = append(wv.Cadres, cd)
		}
	}
	pinyin := collate.New(language.Chinese)
	slices.SortStableFunc(wv.Cadres, func(x, y cadreDues) int {
		// Schedule lists a cadre's overdue visits first, and an overdue
		// visit was due before on while the others are due from on: by
		// the first due date, cadres with an overdue visit come first.
		return cmp.Or(x.Visits[0].DueOn.Compare(y.Visits[0].DueOn), pinyin.CompareString(x.Cadre, y.Cadre))
	})
	return wv
}

// topNeed returns the need of c's tier, or "" when c needs no pair.
func topNeed(c cadre.Cadre, on cadre.Date, p cadre.Policy) cadre.Need {
	if ns := c.Needs(on, p); len(ns) > 0 {
		return ns[0]
	}
	return ""
}

func round1(km float64) float64 { return math.Round(km*10) / 10 }

func kmOrInf(km *float64) float64 {
	if km == nil {
		return math.Inf(1)
	}
	return *km
}
