package venue

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Venue is a place where retired cadres learn, meet, are cared for or play
// a role (阵地): a senior university, an activity centre or room, a community
// service station, a day-care centre or a community clinic.
type Venue struct {
	// ID identifies the venue everywhere.
	ID uuid.UUID `json:"id"`
	// Kind is what kind of place it is.
	Kind Kind `json:"kind"`
	// Name is the venue's name, such as 舜园社区老干部活动室.
	Name string `json:"name"`
	// Community is the code of the community the venue is registered in, or
	// cadre.DistrictScope for a venue of the whole district (the district
	// centre, the district's senior universities).
	Community string `json:"community"`
	// Address is the street address.
	Address string `json:"address"`
	// Location is the venue's position, if known. A venue without one is
	// listed for its community but is never within anyone's reach.
	Location *cadre.Location `json:"location"`
	// Capacity is how many people the venue holds; 0 when unknown.
	Capacity int `json:"capacity"`
	// OpeningHours is free text, such as "周一至周五 8:30-17:00".
	OpeningHours string `json:"opening_hours"`
	// Services are the services the venue offers, each once.
	Services []Service `json:"services"`
	// ClosedOn is the first day the venue is closed for good; zero while
	// it is open.
	ClosedOn cadre.Date `json:"closed_on"`
}

// OpenOn reports whether v is open on d: not closed on or before d.
func (v Venue) OpenOn(d cadre.Date) bool { return v.ClosedOn.IsZero() || d.Before(v.ClosedOn) }

// Offers reports whether v offers s.
func (v Venue) Offers(s Service) bool { return slices.Contains(v.Services, s) }

// Validate checks v and reports every problem as a *cadre.ValidationError
// whose FieldErrors wrap cadre.ErrRequired or cadre.ErrInvalid.
func (v Venue) Validate() error {
	var ps cadre.Problems
	ps.RequireID("id", v.ID)
	ps.Enum("kind", string(v.Kind), v.Kind.Valid())
	checkText(&ps, "name", v.Name, true, maxName)
	if v.Community != cadre.DistrictScope {
		checkCommunity(&ps, "community", v.Community)
	}
	checkText(&ps, "address", v.Address, false, maxText)
	if v.Location != nil && !v.Location.Valid() {
		ps.Addf("location", cadre.ErrInvalid, "latitude must be within ±90 and longitude within ±180")
	}
	if v.Capacity < 0 {
		ps.Addf("capacity", cadre.ErrInvalid, "%d is negative", v.Capacity)
	}
	checkText(&ps, "opening_hours", v.OpeningHours, false, maxText)
	checkServices(&ps, "services", v.Services)
	checkDate(&ps, "closed_on", v.ClosedOn, false)
	return ps.Err()
}

// Enrolment is a community's place in the four-nearby program (四就近) from
// Since until the day before Until.
type Enrolment struct {
	// ID identifies the record.
	ID uuid.UUID `json:"id"`
	// Community is the code of the enrolled community.
	Community string `json:"community"`
	// Stage says whether the community is a pilot or was added later.
	Stage Stage `json:"stage"`
	// Since is the first day the community is in the program.
	Since cadre.Date `json:"since"`
	// Until is the first day it is no longer in the program; zero while
	// it is.
	Until cadre.Date `json:"until"`
}

// InForce reports whether e holds on d.
func (e Enrolment) InForce(d cadre.Date) bool {
	return cadre.Span{From: e.Since, To: e.Until}.Contains(d)
}

// Validate checks e and reports every problem as a *cadre.ValidationError
// whose FieldErrors wrap cadre.ErrRequired, cadre.ErrInvalid or
// cadre.ErrOrder.
func (e Enrolment) Validate() error {
	var ps cadre.Problems
	ps.RequireID("id", e.ID)
	checkCommunity(&ps, "community", e.Community)
	ps.Enum("stage", string(e.Stage), e.Stage.Valid())
	since := checkDate(&ps, "since", e.Since, true)
	if checkDate(&ps, "until", e.Until, false) && since && !e.Until.After(e.Since) {
		ps.Addf("until", cadre.ErrOrder, "%s is not after %s", e.Until, e.Since)
	}
	return ps.Err()
}

// Lengths of free text, so that one record cannot swell a sync batch.
const (
	maxName = 100
	maxText = 500
)

// checkText checks free text of at most maxLen characters.
func checkText(ps *cadre.Problems, field, v string, required bool, maxLen int) {
	switch t := strings.TrimSpace(v); {
	case t == "" && required:
		ps.Add(field, cadre.ErrRequired)
	case utf8.RuneCountInString(t) > maxLen:
		ps.Addf(field, cadre.ErrInvalid, "longer than %d characters", maxLen)
	}
}

// checkCommunity checks a required community code.
func checkCommunity(ps *cadre.Problems, field, code string) {
	if code == "" {
		ps.Add(field, cadre.ErrRequired)
	} else if err := cadre.ValidateCommunityCode(code); err != nil {
		ps.Add(field, err)
	}
}

// checkServices checks a venue's services: at least one, each known, none twice.
func checkServices(ps *cadre.Problems, field string, ss []Service) {
	if len(ss) == 0 {
		ps.Addf(field, cadre.ErrRequired, "a venue offers at least one of %s", services.Choices())
		return
	}
	var seen serviceSet
	for _, s := range ss {
		switch b := s.bit(); {
		case b == 0:
			ps.Addf(field, cadre.ErrInvalid, "%q is not a known service", string(s))
		case seen&b != 0:
			ps.Addf(field, cadre.ErrInvalid, "%s is listed twice", s)
		default:
			seen |= b
		}
	}
}

// checkDate checks one date field and returns whether it is usable for
// comparisons.
func checkDate(ps *cadre.Problems, field string, d cadre.Date, required bool) bool {
	switch {
	case d.IsZero():
		if required {
			ps.Add(field, cadre.ErrRequired)
		}
		return false
	case !d.Valid():
		ps.Addf(field, cadre.ErrInvalid, "not a real calendar date")
		return false
	}
	return true
}

// finite reports whether x is a number that is neither infinite nor NaN.
func finite(x float64) bool { return !math.IsInf(x, 0) && !math.IsNaN(x) }
