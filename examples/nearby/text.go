package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// words are the texts of the report in one language.
type words struct {
	lang        cadre.Lang
	title       string // date, communities, open venues, radius
	cadre       string // name, community
	served      string // rule label, reason
	notServed   string // rule label, reason
	note        string // note
	service     string // label
	covered     string // service, venue, kind, distance
	missing     string // service, what is missing
	unknown     string // service, what is missing
	summary     string // covered, missing, list
	allFour     string
	metres, km  string // number
	coverage    string // radius
	counts      string // cadres, served, unlocated, not enrolled
	share       string // service, count, percent
	count       string // service, count
	allFourName string
	byCommunity string
	community   string // name, stage, cadres, served, not enrolled, unlocated
	perService  string // label, count
	notEnrolled string
	sites       string
	site        string // service, uncovered, lat, lng, community, metres, count, names
	noSites     string
	list        string
}

var chinese = words{
	lang:        cadre.Chinese,
	title:       "四就近（%s）：%d 个社区，%d 处开放的场所，步行%s以内\n",
	cadre:       "\n%s（%s）\n",
	served:      "  服务对象：是（%s）——%s\n",
	notServed:   "  服务对象：否（%s）——%s\n",
	note:        "  注意：%s\n",
	service:     "就近%s",
	covered:     "  %s  已覆盖  %s（%s），%s\n",
	missing:     "  %s  未覆盖  %s\n",
	unknown:     "  %s  无法判断  %s\n",
	summary:     "  已覆盖 %d 项，缺 %d 项：%s\n",
	allFour:     "  四项都在步行范围内\n",
	metres:      "%s米",
	km:          "%s公里",
	coverage:    "\n全区覆盖情况（步行%s以内）\n",
	counts:      "  在册干部 %d 人，服务对象 %d 人（其中住址无坐标 %d 人）；另有 %d 人符合条件但所在社区未纳入四就近\n",
	share:       "  %s  %d 人（%.1f%%）\n",
	count:       "  %s  %d 人\n",
	allFourName: "四项齐全",
	byCommunity: "各社区\n",
	community:   "  %s  %s  在册 %d  服务对象 %d  待纳入 %d  无坐标 %d",
	perService:  "  %s %d",
	notEnrolled: "未纳入",
	sites:       "\n新场所选址（每项一处，以尚未覆盖的服务对象住址为候选点）\n",
	site:        "  %s：%d 人步行不可达；在 %.4f, %.4f（%s，距社区中心步行%s）新设场所，可覆盖其中 %d 人：%s\n",
	noSites:     "  有坐标的服务对象四项都已步行可达\n",
	list:        "、",
}

var english = words{
	lang:        cadre.English,
	title:       "Four nearby on %s: %d communities, %d venues open, within %s walking\n",
	cadre:       "\n%s (%s)\n",
	served:      "  served: yes (%s): %s\n",
	notServed:   "  served: no (%s): %s\n",
	note:        "  note: %s\n",
	service:     "%s",
	covered:     "  %s  covered  %s (%s), %s\n",
	missing:     "  %s  missing  %s\n",
	unknown:     "  %s  unknown  %s\n",
	summary:     "  %d covered, %d missing: %s\n",
	allFour:     "  all four within reach\n",
	metres:      "%s m",
	km:          "%s km",
	coverage:    "\nCoverage of the district (within %s walking)\n",
	counts:      "  %d cadres on the roll, %d served by the program (%d without home coordinates); %d more qualify but their community is not enrolled\n",
	share:       "  %s  %d (%.1f%%)\n",
	count:       "  %s  %d\n",
	allFourName: "all four",
	byCommunity: "By community\n",
	community:   "  %s  %s  cadres %d  served %d  waiting %d  no position %d",
	perService:  "  %s %d",
	notEnrolled: "not enrolled",
	sites:       "\nSites for new venues (one per service; the candidates are the homes of served cadres still without it)\n",
	site:        "  %s: %d out of reach; a venue at %.4f, %.4f (%s, %s walk from its centre) would reach %d of them: %s\n",
	noSites:     "  every served cadre with a home position has all four within reach\n",
	list:        ", ",
}

func wordsFor(lang cadre.Lang) words {
	if lang == cadre.English {
		return english
	}
	return chinese
}

// printText prints r for a person: the answers, the coverage, the sites.
func printText(w io.Writer, t words, r report) {
	fmt.Fprintf(w, t.title, r.On, r.Communities, r.OpenVenues, t.distance(r.RadiusMetres))
	for _, a := range r.Answers {
		printAnswer(w, t, a)
	}

	c := r.Coverage
	fmt.Fprintf(w, t.coverage, t.distance(r.RadiusMetres))
	fmt.Fprintf(w, t.counts, c.Cadres, c.Eligible, c.Unlocated, c.NotEnrolled)
	for _, s := range c.Covered {
		printShare(w, t, fmt.Sprintf(t.service, s.Label), s.Cadres, s.Percent)
	}
	printShare(w, t, t.allFourName, c.AllFour, c.AllFourPercent)
	fmt.Fprint(w, t.byCommunity)
	for _, cc := range c.Communities {
		fmt.Fprintf(w, t.community, cc.Name, cc.StageLabel, cc.Cadres, cc.Eligible, cc.NotEnrolled, cc.Unlocated)
		for _, s := range cc.Covered {
			fmt.Fprintf(w, t.perService, s.Label, s.Cadres)
		}
		fmt.Fprintf(w, t.perService+"\n", t.allFourName, cc.AllFour)
	}

	fmt.Fprint(w, t.sites)
	for _, s := range r.Sites {
		fmt.Fprintf(w, t.site, fmt.Sprintf(t.service, s.Label), s.Uncovered, s.Lat, s.Lng, s.CommunityName,
			t.distance(s.MetresToCentre), len(s.Cadres), strings.Join(s.Cadres, t.list))
	}
	if len(r.Sites) == 0 {
		fmt.Fprint(w, t.noSites)
	}
}

func printAnswer(w io.Writer, t words, a answerView) {
	fmt.Fprintf(w, t.cadre, a.Cadre, a.CommunityName)
	if a.Eligible {
		fmt.Fprintf(w, t.served, a.RuleLabel, a.Reason)
	} else {
		fmt.Fprintf(w, t.notServed, a.RuleLabel, a.Reason)
	}
	if a.Note != "" {
		fmt.Fprintf(w, t.note, a.Note)
	}
	var missing []string
	for _, s := range a.Services {
		label := fmt.Sprintf(t.service, s.Label)
		switch {
		case s.Covered:
			fmt.Fprintf(w, t.covered, label, s.Venue, s.Kind, s.Distance)
			continue
		case a.Located:
			fmt.Fprintf(w, t.missing, label, s.Missing)
		default:
			fmt.Fprintf(w, t.unknown, label, s.Missing)
		}
		missing = append(missing, s.Label)
	}
	if len(missing) == 0 {
		fmt.Fprint(w, t.allFour)
		return
	}
	if a.Located {
		fmt.Fprintf(w, t.summary, len(a.Services)-len(missing), len(missing), strings.Join(missing, t.list))
	}
}

func printShare(w io.Writer, t words, label string, n int, p *float64) {
	if p == nil {
		fmt.Fprintf(w, t.count, label, n)
		return
	}
	fmt.Fprintf(w, t.share, label, n, *p)
}
