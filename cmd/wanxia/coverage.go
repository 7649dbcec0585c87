package main

import (
	"cmp"
	"errors"
	"strconv"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// coverageJSON is a coverage report of the four-nearby program as scripts
// see it.
type coverageJSON struct {
	On cadre.Date `json:"on"`
	// Scope is what was counted: district, office, or a community's code.
	Scope        string  `json:"scope"`
	ScopeName    string  `json:"scope_name"`
	RadiusMetres float64 `json:"radius_metres"`
	tallyJSON
	Communities []communityCoverageJSON `json:"communities"`
	// Sites are the best new sites per service, with --sites; [] without.
	Sites []serviceSitesJSON `json:"sites"`
}

// tallyJSON counts cadres for a coverage report (venue.Tally).
type tallyJSON struct {
	Cadres      int                `json:"cadres"`
	Eligible    int                `json:"eligible"`
	NotEnrolled int                `json:"not_enrolled"`
	Unlocated   int                `json:"unlocated"`
	Covered     []serviceCountJSON `json:"covered"`
	AllFour     int                `json:"all_four"`
}

// serviceCountJSON is how many eligible cadres have one service within
// reach, and what share of the eligible that is (null when none is).
type serviceCountJSON struct {
	Service venue.Service `json:"service"`
	Label   string        `json:"label"`
	Cadres  int           `json:"cadres"`
	Percent *float64      `json:"percent"`
}

type communityCoverageJSON struct {
	Community  string      `json:"community"`
	Name       string      `json:"name"`
	Stage      venue.Stage `json:"stage"`
	StageLabel string      `json:"stage_label"`
	tallyJSON
}

// serviceSitesJSON are the proposed sites of new venues for one service.
type serviceSitesJSON struct {
	Service venue.Service `json:"service"`
	Label   string        `json:"label"`
	// Uncovered is how many eligible cadres with home coordinates have the
	// service out of reach.
	Uncovered int        `json:"uncovered"`
	Sites     []siteJSON `json:"sites"`
}

// siteJSON is one proposed site: a cadre's home, as BestNewSites proposes
// with no candidates of its own, and the community whose centre is
// nearest.
type siteJSON struct {
	Lat      float64     `json:"lat"`
	Lng      float64     `json:"lng"`
	Cadres   int         `json:"cadres"`
	CadreIDs []uuid.UUID `json:"cadre_ids"`
	// NearestCommunity is "" when no community has a centre point.
	NearestCommunity     string `json:"nearest_community"`
	NearestCommunityName string `json:"nearest_community_name"`
}

func (a *app) toTallyJSON(t venue.Tally) tallyJSON {
	j := tallyJSON{Cadres: t.Cadres, Eligible: t.Eligible, NotEnrolled: t.NotEnrolled, Unlocated: t.Unlocated, AllFour: t.AllFour,
		Covered: []serviceCountJSON{}}
	for _, sc := range t.Covered {
		j.Covered = append(j.Covered, serviceCountJSON{Service: sc.Service, Label: sc.Service.Label(a.lang), Cadres: sc.Cadres,
			Percent: sharePercent(sc.Cadres, t.Eligible)})
	}
	return j
}

// sharePercent is part of whole in percent to one decimal, nil for no whole.
func sharePercent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	p := round1(float64(part) * 100 / float64(whole))
	return &p
}

// toCoverageJSON labels a coverage report in the language asked for.
func (a *app) toCoverageJSON(v desk.CoverageView) coverageJSON {
	rep := v.Report
	out := coverageJSON{On: rep.On, RadiusMetres: v.RadiusMetres, tallyJSON: a.toTallyJSON(rep.Tally),
		Communities: []communityCoverageJSON{}, Sites: []serviceSitesJSON{}}
	for _, cc := range rep.Communities {
		stage := a.t("未纳入", "not enrolled")
		if cc.Stage != "" {
			stage = cc.Stage.Label(a.lang)
		}
		out.Communities = append(out.Communities, communityCoverageJSON{Community: cc.Community, Name: a.communityLabel(v.CommunityNames, cc.Community),
			Stage: cc.Stage, StageLabel: stage, tallyJSON: a.toTallyJSON(cc.Tally)})
	}
	for _, ss := range v.Sites {
		sj := serviceSitesJSON{Service: ss.Service, Label: ss.Service.Label(a.lang), Uncovered: ss.Uncovered, Sites: []siteJSON{}}
		for _, site := range ss.Sites {
			code := site.NearestCommunity
			sj.Sites = append(sj.Sites, siteJSON{Lat: site.Site.Location.Lat, Lng: site.Site.Location.Lng, Cadres: len(site.Site.Cadres),
				CadreIDs: nonNil(site.Site.Cadres), NearestCommunity: code, NearestCommunityName: cmp.Or(v.CommunityNames[code], code)})
		}
		out.Sites = append(out.Sites, sj)
	}
	return out
}

func (a *app) officeCoverageCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("coverage", "Four-nearby coverage of the cadres held here: how many the program serves and how many have each service within walking distance, per community", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			v, err := desk.Coverage(ctx, r, desk.CoverageInput{On: on})
			if err != nil {
				return err
			}
			out := a.toCoverageJSON(v)
			out.Scope, out.ScopeName = "office", a.t("本办公室", "this office")
			if asJSON {
				return a.printJSON(out)
			}
			return a.printCoverage(out, len(out.Communities) > 1, 0)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day to count on (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) hubCoverageCmd() *cobra.Command {
	var on cadre.Date
	var community string
	var sites int
	var asJSON bool
	cmd := a.leaf("coverage", "Four-nearby coverage of the district (or one community), per community; --sites N proposes the N best new sites per service", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		if sites < 0 {
			return a.usage("--sites 不能小于 0", "--sites may not be negative")
		}
		if community != "" {
			code, err := a.communityCode("--community", community, false)
			if err != nil {
				return err
			}
			community = code
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			v, err := desk.Coverage(ctx, r, desk.CoverageInput{Community: community, On: on, Sites: sites})
			if errors.Is(err, desk.ErrUnknownCommunity) {
				return a.knownCommunity(nil, community)
			}
			if err != nil {
				return err
			}
			out := a.toCoverageJSON(v)
			names := v.CommunityNames
			out.Scope, out.ScopeName = cadre.DistrictScope, a.t("全区", "the district")
			if community != "" {
				out.Scope, out.ScopeName = community, a.communityLabel(names, community)
			}
			if asJSON {
				return a.printJSON(out)
			}
			return a.printCoverage(out, community == "", sites)
		})
	})
	f := cmd.Flags()
	f.Var(&dateFlag{&on}, "on", "the day to count on (default today)")
	f.StringVar(&community, "community", "", "count only the cadres of this community")
	f.IntVar(&sites, "sites", 0, "also propose up to N sites per service for a new venue, each covering the most eligible cadres still without the service (0: none)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// share shows a count with its share of the eligible.
func (a *app) share(n int, p *float64) string {
	if p == nil {
		return a.tf("%d 人", "%d", n)
	}
	return a.tf("%d 人（%.1f%%）", "%d (%.1f%%)", n, *p)
}

func (a *app) printCoverage(c coverageJSON, perCommunity bool, sites int) error {
	a.printf("四就近覆盖情况（%s，%s，步行%s以内）\n", "Four-nearby coverage of %s on %s (within %s walking)\n", c.ScopeName, c.On, a.walking(c.RadiusMetres))
	a.printf("在册干部 %d 人，服务对象 %d 人（其中住址无坐标 %d 人）；另有 %d 人符合条件但所在社区未纳入四就近\n",
		"%d cadres on the roll, %d served by the program (%d without home coordinates); %d more qualify but their community is not enrolled\n",
		c.Cadres, c.Eligible, c.Unlocated, c.NotEnrolled)
	rows := make([][]string, 0, 5)
	for _, s := range c.Covered {
		rows = append(rows, []string{a.tf("就近%s", "%s", s.Label), a.share(s.Cadres, s.Percent)})
	}
	rows = append(rows, []string{a.t("四项齐全", "all four"), a.share(c.AllFour, sharePercent(c.AllFour, c.Eligible))})
	if err := writeTable(a.stdout, []string{a.t("服务", "service"), a.t("步行可达的服务对象", "served cadres within reach")}, rows); err != nil {
		return err
	}
	if perCommunity && len(c.Communities) > 0 {
		a.printf("\n各社区\n", "\nBy community\n")
		header := []string{a.t("社区", "community"), a.t("阶段", "stage"), a.t("在册", "cadres"), a.t("服务对象", "served"),
			a.t("待纳入", "waiting"), a.t("无坐标", "no position")}
		for _, s := range c.Covered {
			header = append(header, s.Label)
		}
		header = append(header, a.t("四项齐全", "all four"))
		rows = rows[:0]
		for _, cc := range c.Communities {
			row := []string{cc.Name, cc.StageLabel, strconv.Itoa(cc.Cadres), strconv.Itoa(cc.Eligible), strconv.Itoa(cc.NotEnrolled), strconv.Itoa(cc.Unlocated)}
			for _, s := range cc.Covered {
				row = append(row, strconv.Itoa(s.Cadres))
			}
			rows = append(rows, append(row, strconv.Itoa(cc.AllFour)))
		}
		if err := writeTable(a.stdout, header, rows); err != nil {
			return err
		}
	}
	if sites > 0 {
		a.printCoverageSites(c.Sites, sites)
	}
	return nil
}

func (a *app) printCoverageSites(ss []serviceSitesJSON, n int) {
	a.printf("\n新场所选址建议（每项至多 %d 处，以服务对象住址为候选点）\n", "\nSites for new venues (up to %d per service; the candidates are the served cadres' homes)\n", n)
	for _, s := range ss {
		if len(s.Sites) == 0 {
			a.printf("就近%s：有坐标的服务对象都已步行可达\n", "%s: every served cadre with a home position has it within reach\n", s.Label)
			continue
		}
		a.printf("就近%s：%d 人步行不可达\n", "%s: %d out of reach\n", s.Label, s.Uncovered)
		for i, site := range s.Sites {
			near := a.t("（没有社区中心点）", "(no community has a centre point)")
			if site.NearestCommunity != "" {
				near = a.tf("靠近%s", "near %s", site.NearestCommunityName)
			}
			a.printf("  %d. %.4f, %.4f  %s  可新覆盖 %d 人\n", "  %d. %.4f, %.4f  %s  would cover %d more\n", i+1, site.Lat, site.Lng, near, site.Cadres)
		}
	}
	a.printf("坐标是候选住址的位置，请在附近另找合适的场地\n", "a position is a candidate's home: look for premises near it\n")
}
