package main

import (
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/venue"
)

// report is what the program shows, in the form --json prints it: codes
// for scripts, with labels and texts in the language asked for beside
// them. Lists are never null.
type report struct {
	On           cadre.Date   `json:"on"`
	Lang         cadre.Lang   `json:"lang"`
	RadiusMetres float64      `json:"radius_metres"`
	Communities  int          `json:"communities"`
	OpenVenues   int          `json:"open_venues"`
	Answers      []answerView `json:"answers"`
	Coverage     coverageView `json:"coverage"`
	// Sites holds the best new site for each service that some served
	// cadres with home coordinates cannot reach.
	Sites []siteView `json:"sites"`
}

// answerView is the four-nearby answer for one cadre.
type answerView struct {
	Cadre         string        `json:"cadre"`
	Community     string        `json:"community"`
	CommunityName string        `json:"community_name"`
	Located       bool          `json:"located"`
	Eligible      bool          `json:"eligible"`
	Rule          venue.Rule    `json:"rule"`
	RuleLabel     string        `json:"rule_label"`
	Reason        string        `json:"reason"`
	Note          string        `json:"note"`
	Services      []serviceView `json:"services"`
}

// serviceView is one service for one cadre: the nearest open venue
// offering it (empty when none, or the home has no coordinates), how far,
// and what is missing when it is out of reach.
type serviceView struct {
	Service  venue.Service `json:"service"`
	Label    string        `json:"label"`
	Covered  bool          `json:"covered"`
	Venue    string        `json:"venue"`
	Kind     string        `json:"kind"`
	Metres   *float64      `json:"metres"`
	Distance string        `json:"distance"`
	Missing  string        `json:"missing"`
}

type coverageView struct {
	tallyView
	Communities []communityView `json:"communities"`
}

// tallyView counts cadres: on the roll, served by the program, qualifying
// in a community not enrolled, served without home coordinates, and
// served with each service (and all four) within reach.
type tallyView struct {
	Cadres         int         `json:"cadres"`
	Eligible       int         `json:"eligible"`
	NotEnrolled    int         `json:"not_enrolled"`
	Unlocated      int         `json:"unlocated"`
	Covered        []countView `json:"covered"`
	AllFour        int         `json:"all_four"`
	AllFourPercent *float64    `json:"all_four_percent"`
}

// countView is how many served cadres have a service within reach, and
// their share of the served in percent (null when none is served).
type countView struct {
	Service venue.Service `json:"service"`
	Label   string        `json:"label"`
	Cadres  int           `json:"cadres"`
	Percent *float64      `json:"percent"`
}

type communityView struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Stage      venue.Stage `json:"stage"`
	StageLabel string      `json:"stage_label"`
	tallyView
}

// siteView is the best site for a new venue offering one service: a
// served cadre's home, the served cadres within walking distance of it
// who lack the service, and the community whose centre is nearest.
type siteView struct {
	Service        venue.Service `json:"service"`
	Label          string        `json:"label"`
	Uncovered      int           `json:"uncovered"`
	Lat            float64       `json:"lat"`
	Lng            float64       `json:"lng"`
	HomeOf         string        `json:"home_of"`
	Cadres         []string      `json:"cadres"`
	Community      string        `json:"community"`
	CommunityName  string        `json:"community_name"`
	MetresToCentre float64       `json:"metres_to_centre"`
}
