package main

import (
	"fmt"
	"io"

	"github.com/wanxia/wanxia/cadre"
)

// words are the texts of the report in one language.
type words struct {
	lang      cadre.Lang
	pairing   string // date
	helper    string // name, capacity, count
	paired    string // name, tier, need, distance, kept or new
	tier      string // tier
	km        string // km
	unknownKm string
	kept, new string
	ended     string // heading
	endedPair string // cadre, helper, end date, reason
	unpaired  string // heading
	lonely    string // name, tier, need, reason
	none      string
	total     string // km, unknown pairs
	week      string // from, to, overdue, open, done
	noPair    string
	helperOf  string // name
	noNeed    string
	status    string // status label, date
	due       string // state, kind, due date, window start, window end
	milestone string // age
	overdue   string
	open      string
	done      string
	doneBy    string // date, visit kind, by whom
	staff     string // who made a visit not made by a helper
}

var chinese = words{
	lang:      cadre.Chinese,
	pairing:   "1对5 结对帮扶（%s）\n",
	helper:    "%s  名额 %d，已结对 %d 人\n",
	paired:    "  %s  %s %s  %s  %s\n",
	tier:      "第%d档",
	km:        "%.1f 公里",
	unknownKm: "距离未知",
	kept:      "保留",
	new:       "新结对",
	ended:     "解除的结对\n",
	endedPair: "  %s  帮扶人 %s  %s 起解除：%s\n",
	unpaired:  "未结对\n",
	lonely:    "  %s  %s %s  %s\n",
	none:      "  无\n",
	total:     "总距离 %.1f 公里（另有 %d 对距离未知，未计入）\n",
	week:      "\n本周应走访（%s 至 %s）：逾期 %d 项，待走访 %d 项，已完成 %d 项\n",
	noPair:    "未结对",
	helperOf:  "帮扶人 %s",
	noNeed:    "无需结对",
	status:    "%s %s",
	due:       "  %s  %s  应于 %s（%s 至 %s）",
	milestone: "（%d岁）",
	overdue:   "逾期",
	open:      "待走访",
	done:      "已完成",
	doneBy:    "  %s %s（%s）",
	staff:     "社区工作人员",
}

var english = words{
	lang:      cadre.English,
	pairing:   "1对5 pairing on %s\n",
	helper:    "%s  capacity %d, %d paired\n",
	paired:    "  %s  %s %s  %s  %s\n",
	tier:      "tier %d",
	km:        "%.1f km",
	unknownKm: "distance unknown",
	kept:      "kept",
	new:       "new",
	ended:     "Pairs ended\n",
	endedPair: "  %s  helper %s  ended as of %s: %s\n",
	unpaired:  "Left unpaired\n",
	lonely:    "  %s  %s %s  %s\n",
	none:      "  none\n",
	total:     "total distance %.1f km (%d more pairs of unknown distance not counted)\n",
	week:      "\nVisits due %s to %s: %d overdue, %d open, %d done\n",
	noPair:    "unpaired",
	helperOf:  "helper %s",
	noNeed:    "no pair needed",
	status:    "%s %s",
	due:       "  %s  %s  due %s (%s to %s)",
	milestone: " (%d)",
	overdue:   "overdue",
	open:      "open",
	done:      "done",
	doneBy:    "  %s %s (%s)",
	staff:     "community staff",
}

func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return english
	}
	return chinese
}

// printText prints r for a person: the pairing, then the week's visits.
func printText(w io.Writer, t words, r report) {
	fmt.Fprintf(w, t.pairing, r.On)
	for _, h := range r.Helpers {
		fmt.Fprintf(w, t.helper, h.Name, h.Capacity, len(h.Cadres))
		for _, p := range h.Cadres {
			dist, state := t.unknownKm, t.kept
			if p.Km != nil {
				dist = fmt.Sprintf(t.km, *p.Km)
			}
			if p.New {
				state = t.new
			}
			fmt.Fprintf(w, t.paired, p.Cadre, fmt.Sprintf(t.tier, p.Tier), p.NeedLabel, dist, state)
		}
	}
	fmt.Fprint(w, t.ended)
	for _, e := range r.Ended {
		fmt.Fprintf(w, t.endedPair, e.Cadre, e.Helper, e.To, e.ReasonLabel)
	}
	if len(r.Ended) == 0 {
		fmt.Fprint(w, t.none)
	}
	fmt.Fprint(w, t.unpaired)
	for _, u := range r.Unpaired {
		fmt.Fprintf(w, t.lonely, u.Cadre, fmt.Sprintf(t.tier, u.Tier), u.NeedLabel, u.ReasonLabel)
	}
	if len(r.Unpaired) == 0 {
		fmt.Fprint(w, t.none)
	}
	fmt.Fprintf(w, t.total, r.TotalKm, r.UnknownDistancePairs)

	wk := r.Week
	fmt.Fprintf(w, t.week, wk.From, wk.To, wk.Overdue, wk.Open, wk.Done)
	for _, c := range wk.Cadres {
		fmt.Fprintf(w, "%s  %s\n", c.Cadre, cadreNote(t, c))
		for _, d := range c.Visits {
			state, kind := t.open, d.Label
			switch {
			case d.SatisfiedBy != nil:
				state = t.done
			case d.Overdue:
				state = t.overdue
			}
			if d.Milestone > 0 {
				kind += fmt.Sprintf(t.milestone, d.Milestone)
			}
			fmt.Fprintf(w, t.due, state, kind, d.DueOn, d.WindowStart, d.WindowEnd)
			if v := d.SatisfiedBy; v != nil {
				fmt.Fprintf(w, t.doneBy, v.On, v.Label, v.By)
			}
			fmt.Fprintln(w)
		}
	}
	if len(wk.Cadres) == 0 {
		fmt.Fprint(w, t.none)
	}
}

// cadreNote says where a cadre of the week's list stands: tier and helper,
// or why the cadre is no longer on the roll.
func cadreNote(t words, c cadreDues) string {
	switch {
	case c.Status != cadre.StatusActive:
		return fmt.Sprintf(t.status, c.StatusLabel, c.StatusOn)
	case c.Tier == 0:
		return t.noNeed
	case c.Helper == "":
		return fmt.Sprintf(t.tier, c.Tier) + "  " + t.noPair
	}
	return fmt.Sprintf(t.tier, c.Tier) + "  " + fmt.Sprintf(t.helperOf, c.Helper)
}
