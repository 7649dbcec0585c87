package main

import (
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// nearbyJSON is the four-nearby answer for one cadre, texts in the
// language asked for.
type nearbyJSON struct {
	CadreID       uuid.UUID   `json:"cadre_id"`
	Name          string      `json:"name"`
	Community     string      `json:"community"`
	CommunityName string      `json:"community_name"`
	On            cadre.Date  `json:"on"`
	RadiusMetres  float64     `json:"radius_metres"`
	Located       bool        `json:"located"`
	Eligible      bool        `json:"eligible"`
	Rule          venue.Rule  `json:"rule"`
	RuleLabel     string      `json:"rule_label"`
	Need          cadre.Need  `json:"need"`
	Stage         venue.Stage `json:"stage"`
	Reason        string      `json:"reason"`
	// Note explains an answer for a home without coordinates.
	Note     string          `json:"note"`
	Services []nearbyService `json:"services"`
	// Covered and Missing list the services within reach and those not.
	Covered []venue.Service `json:"covered"`
	Missing []venue.Service `json:"missing"`
}

// nearbyService is one of the four services for the cadre.
type nearbyService struct {
	Service venue.Service `json:"service"`
	Label   string        `json:"label"`
	Covered bool          `json:"covered"`
	// Venue is the nearest open venue offering the service, covering it
	// or not; null when there is none or the home has no coordinates.
	Venue *venueRef `json:"venue"`
	// Metres is the walking distance to Venue, to the millimetre, and
	// Distance the same as people read it; null and "" without a Venue.
	Metres   *float64 `json:"metres"`
	Distance string   `json:"distance"`
	// Missing says what is missing when the service is not covered.
	Missing string `json:"missing"`
	// InCommunity lists, for a home without coordinates, the open venues of
	// the cadre's community offering the service.
	InCommunity []venueRef `json:"in_community"`
}

// venueRef names a venue in an answer.
type venueRef struct {
	ID           uuid.UUID  `json:"id"`
	Name         string     `json:"name"`
	Kind         venue.Kind `json:"kind"`
	KindLabel    string     `json:"kind_label"`
	Community    string     `json:"community"`
	Address      string     `json:"address"`
	OpeningHours string     `json:"opening_hours"`
}

func (a *app) toVenueRef(v *venue.Venue) venueRef {
	return venueRef{ID: v.ID, Name: v.Name, Kind: v.Kind, KindLabel: v.Kind.Label(a.lang), Community: v.Community,
		Address: v.Address, OpeningHours: v.OpeningHours}
}

func (a *app) toNearbyJSON(c cadre.Cadre, ans venue.Answer, names map[string]string, radius float64) nearbyJSON {
	e := ans.Eligibility
	j := nearbyJSON{CadreID: c.ID, Name: c.Name, Community: c.Community, CommunityName: a.communityLabel(names, c.Community),
		On: ans.On, RadiusMetres: radius, Located: ans.Located, Eligible: e.Eligible, Rule: e.Rule, RuleLabel: e.Rule.Label(a.lang),
		Need: e.Need, Stage: e.Stage, Reason: e.Reason.In(a.lang), Note: ans.Note.In(a.lang),
		Services: []nearbyService{}, Covered: []venue.Service{}, Missing: []venue.Service{}}
	for _, sa := range ans.Services {
		s := nearbyService{Service: sa.Service, Label: sa.Service.Label(a.lang), Covered: sa.Covered, Missing: sa.Missing.In(a.lang),
			InCommunity: []venueRef{}}
		if sa.Venue != nil {
			ref, m := a.toVenueRef(sa.Venue), sa.Metres
			s.Venue, s.Metres, s.Distance = &ref, &m, a.walking(m)
		}
		for _, v := range sa.InCommunity {
			s.InCommunity = append(s.InCommunity, a.toVenueRef(v))
		}
		j.Services = append(j.Services, s)
		if sa.Covered {
			j.Covered = append(j.Covered, sa.Service)
		} else {
			j.Missing = append(j.Missing, sa.Service)
		}
	}
	return j
}

func (a *app) nearbyCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("nearby CADRE", "Four nearby (四就近) for one cadre: per service (learning, activities, care, role) the venue within walking distance, or what is missing, and whether the program serves the cadre (CADRE: UUID, 8+ characters of it, or ID number)", 1, func(cmd *cobra.Command, args []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			n, err := desk.FourNearby(ctx, r, c.ID, on)
			if err != nil {
				return err
			}
			j := a.toNearbyJSON(n.Cadre, n.Answer, n.CommunityNames, n.RadiusMetres)
			if asJSON {
				return a.printJSON(j)
			}
			return a.printNearby(j)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day to answer for (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printNearby(j nearbyJSON) error {
	a.printf("四就近：%s（%s），%s，步行%s以内\n", "Four nearby for %s (%s) on %s, within %s walking\n", j.Name, j.CommunityName, j.On, a.walking(j.RadiusMetres))
	if j.Eligible {
		a.printf("服务对象：是（%s）——%s\n", "served: yes (%s): %s\n", j.RuleLabel, j.Reason)
	} else {
		a.printf("服务对象：否（%s）——%s\n", "served: no (%s): %s\n", j.RuleLabel, j.Reason)
	}
	if j.Note != "" {
		a.printf("注意：%s\n", "note: %s\n", j.Note)
	}
	rows := make([][]string, 0, len(j.Services))
	for _, s := range j.Services {
		state, what := a.t("未覆盖", "missing"), s.Missing
		switch {
		case s.Covered:
			state, what = a.t("已覆盖", "covered"), a.tf("%s（%s），%s", "%s (%s), %s", s.Venue.Name, s.Venue.KindLabel, s.Distance)
		case !j.Located:
			state = a.t("无法判断", "unknown")
		}
		rows = append(rows, []string{a.tf("就近%s", "%s", s.Label), state, what})
	}
	if err := writeTable(a.stdout, []string{a.t("服务", "service"), a.t("情况", "state"), a.t("场所与步行距离，或缺什么", "venue and walking distance, or what is missing")}, rows); err != nil {
		return err
	}
	if !j.Located {
		a.printf("补上住址坐标后可算步行距离：wanxia office cadre edit %s --lat 纬度 --lng 经度\n",
			"give the home a position to measure walking distances: wanxia office cadre edit %s --lat LAT --lng LNG\n", j.CadreID)
		return nil
	}
	if len(j.Missing) == 0 {
		a.printf("四项都在步行%s以内\n", "all four within %s walking\n", a.walking(j.RadiusMetres))
		return nil
	}
	missing := make([]string, len(j.Missing))
	for i, s := range j.Missing {
		missing[i] = s.Label(a.lang)
	}
	a.printf("已覆盖 %d 项，缺 %d 项：%s\n", "%d covered, %d missing: %s\n", len(j.Covered), len(j.Missing), strings.Join(missing, a.t("、", ", ")))
	return nil
}
