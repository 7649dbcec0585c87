package care

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Helper is a person who looks after cadres in 1对5 pairing: a member of the
// bureau's leadership (局领导班子成员) or of its staff. Helpers are district
// data: every office reads them, only the hub writes them.
type Helper struct {
	// ID identifies the helper (a UUID v7 given when first stored).
	ID uuid.UUID `json:"id"`
	// Name is the helper's name.
	Name string `json:"name"`
	// Base is where the helper sets out from (the bureau, or home), if
	// known; distances to cadres' homes are measured from it.
	Base *cadre.Location `json:"base"`
	// Capacity is how many cadres the helper takes; 0 means
	// AssignSettings.Capacity (5 in 1对5). To take no one, end the helper.
	Capacity int `json:"capacity"`
	// ActiveFrom is the first day the helper serves.
	ActiveFrom cadre.Date `json:"active_from"`
	// ActiveTo is the first day the helper no longer serves; zero while serving.
	ActiveTo cadre.Date `json:"active_to"`
}

// Active reports whether h serves on the given date.
func (h Helper) Active(on cadre.Date) bool {
	return cadre.Span{From: h.ActiveFrom, To: h.ActiveTo}.Contains(on)
}

// Validate checks h and reports every problem as a *cadre.ValidationError
// whose FieldErrors wrap cadre.ErrRequired, cadre.ErrInvalid or cadre.ErrOrder.
func (h Helper) Validate() error {
	var ps cadre.Problems
	checkName(&ps, "name", h.Name)
	if h.Base != nil && !h.Base.Valid() {
		ps.Addf("base", cadre.ErrInvalid, "latitude must be within ±90 and longitude within ±180")
	}
	if h.Capacity < 0 {
		ps.Addf("capacity", cadre.ErrInvalid, "%d is negative", h.Capacity)
	}
	checkSpan(&ps, "active_from", "active_to", h.ActiveFrom, h.ActiveTo, time.Time{})
	return ps.Err()
}

// Pair is a 1对5 pairing (结对帮扶) of a helper with a cadre, in force from
// From until the day before To.
type Pair struct {
	// ID identifies the pair; zero for a pair Assign proposes, until stored.
	ID uuid.UUID `json:"id"`
	// HelperID is the helper's ID.
	HelperID uuid.UUID `json:"helper_id"`
	// CadreID is the cadre's ID.
	CadreID uuid.UUID `json:"cadre_id"`
	// From is the first day of the pair.
	From cadre.Date `json:"from"`
	// To is the first day the pair is no longer in force; zero while it is.
	To cadre.Date `json:"to"`
	// Reason is the cadre's highest need when the pair was made.
	Reason cadre.Need `json:"reason"`
	// EndReason says why the pair ended; empty while it is in force.
	EndReason EndReason `json:"end_reason"`
}

// InForce reports whether p is in force on the given date.
func (p Pair) InForce(on cadre.Date) bool {
	return cadre.Span{From: p.From, To: p.To}.Contains(on)
}

// Validate checks p and reports every problem as a *cadre.ValidationError.
// EndPairs returns the pairs of c still open after the date c died or
// moved away, each ended on that date (on its first day, if it began
// later) with the reason: the pairs end on the date of death, and a cadre
// who leaves the district leaves the helper's care. It returns nothing for
// a cadre on the roll, or whose status has no date. Storage writes the
// result in the same write as the status; Assign would end them too.
func EndPairs(c cadre.Cadre, pairs []Pair) []Pair {
	var why EndReason
	switch c.Status {
	case cadre.StatusDeceased:
		why = EndCadreDied
	case cadre.StatusMoved:
		why = EndCadreMoved
	default:
		return nil
	}
	if c.StatusOn.IsZero() {
		return nil
	}
	var out []Pair
	for _, p := range pairs {
		if p.CadreID != c.ID {
			continue
		}
		end := c.StatusOn
		if end.Before(p.From) {
			end = p.From
		}
		if !p.To.IsZero() && !p.To.After(end) {
			continue
		}
		p.To, p.EndReason = end, why
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Pair) int { return compareID(a.ID, b.ID) })
	return out
}

func (p Pair) Validate() error {
	var ps cadre.Problems
	ps.RequireID("helper_id", p.HelperID)
	ps.RequireID("cadre_id", p.CadreID)
	checkSpan(&ps, "from", "to", p.From, p.To, time.Time{})
	if p.Reason.Tier() == 0 {
		ps.Enum("reason", string(p.Reason), false)
	}
	switch {
	case p.EndReason != "" && !p.EndReason.Valid():
		ps.Enum("end_reason", string(p.EndReason), false)
	case p.EndReason != "" && p.To.IsZero():
		ps.Addf("end_reason", cadre.ErrInvalid, "an end reason is given for a pair without an end date")
	}
	return ps.Err()
}

// Visit is one contact made with a cadre (or, for a condolence, the
// family). Visits accumulate: each is a new record, never an edit of a count.
type Visit struct {
	// ID identifies the visit.
	ID uuid.UUID `json:"id"`
	// CadreID is the cadre visited.
	CadreID uuid.UUID `json:"cadre_id"`
	// By is the helper who made the visit; uuid.Nil when it was made by
	// someone not on the helper list (say so in Notes).
	By uuid.UUID `json:"by"`
	// Kind is the kind of contact.
	Kind VisitKind `json:"kind"`
	// On is the day of the visit.
	On cadre.Date `json:"on"`
	// Notes is free text: what was found, what was promised.
	Notes string `json:"notes"`
}

// Validate checks v as of the date of asOf (in asOf's location): the visit
// may not lie in the future.
func (v Visit) Validate(asOf time.Time) error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", v.CadreID)
	ps.Enum("kind", string(v.Kind), v.Kind.Valid())
	checkDate(&ps, "on", v.On, true, asOf)
	if utf8.RuneCountInString(v.Notes) > maxNotes {
		ps.Addf("notes", cadre.ErrInvalid, "longer than %d characters", maxNotes)
	}
	return ps.Err()
}

// HospitalStay is a cadre's stay in hospital (住院).
type HospitalStay struct {
	// ID identifies the stay.
	ID uuid.UUID `json:"id"`
	// CadreID is the cadre in hospital.
	CadreID uuid.UUID `json:"cadre_id"`
	// Admitted is the day of admission.
	Admitted cadre.Date `json:"admitted"`
	// Discharged is the day of discharge; zero while the cadre is in hospital.
	Discharged cadre.Date `json:"discharged"`
}

// In reports whether the cadre is in hospital on the given date; the day of
// discharge is a day at home.
func (s HospitalStay) In(on cadre.Date) bool {
	return cadre.Span{From: s.Admitted, To: s.Discharged}.Contains(on)
}

// Validate checks s as of the date of asOf: neither date may lie in the future.
func (s HospitalStay) Validate(asOf time.Time) error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", s.CadreID)
	checkSpan(&ps, "admitted", "discharged", s.Admitted, s.Discharged, asOf)
	return ps.Err()
}

// HelpCase is a request for help (帮扶) and what became of it.
type HelpCase struct {
	// ID identifies the case.
	ID uuid.UUID `json:"id"`
	// CadreID is the cadre helped.
	CadreID uuid.UUID `json:"cadre_id"`
	// Kind is economic, medical, housekeeping or spiritual help.
	Kind HelpKind `json:"kind"`
	// Opened is when the case was opened.
	Opened time.Time `json:"opened"`
	// Urgent marks a special case to be handled at once (特事特办).
	Urgent bool `json:"urgent"`
	// Status is where the case stands.
	Status HelpStatus `json:"status"`
	// FirstActionAt is when someone first acted on the case; zero until then.
	FirstActionAt time.Time `json:"first_action_at"`
	// Note is what was asked for and what was done along the way, in free
	// text. It is personal data like the rest of the record: never log it,
	// nor any health detail it holds.
	Note string `json:"note"`
	// Resolution says how the case ended: what was done, or why it could
	// not be done.
	Resolution string `json:"resolution"`
	// Closed is when the case was closed; zero while open.
	Closed time.Time `json:"closed"`
}

// Validate checks c as of asOf: times may not lie after asOf, a closed case
// has a closing time and a resolution, an open one has no closing time, and
// the note and the resolution are bounded like every free text.
func (c HelpCase) Validate(asOf time.Time) error {
	var ps cadre.Problems
	ps.RequireID("cadre_id", c.CadreID)
	ps.Enum("kind", string(c.Kind), c.Kind.Valid())
	ps.Enum("status", string(c.Status), c.Status.Valid())
	switch {
	case c.Opened.IsZero():
		ps.Add("opened", cadre.ErrRequired)
	case c.Opened.After(asOf):
		ps.Addf("opened", cadre.ErrFuture, "%s is after %s", c.Opened.Format(time.RFC3339), asOf.Format(time.RFC3339))
	}
	checkInstant(&ps, "first_action_at", c.FirstActionAt, c.Opened, asOf)
	checkInstant(&ps, "closed", c.Closed, c.Opened, asOf)
	closed := c.Status.Closed()
	switch {
	case closed && c.Closed.IsZero():
		ps.Addf("closed", cadre.ErrRequired, "a %s case needs its closing time", c.Status)
	case !closed && c.Status.Valid() && !c.Closed.IsZero():
		ps.Addf("closed", cadre.ErrInvalid, "an %s case has a closing time", c.Status)
	}
	if closed && strings.TrimSpace(c.Resolution) == "" {
		ps.Addf("resolution", cadre.ErrRequired, "say what was done, or explain why it could not be")
	}
	if utf8.RuneCountInString(c.Note) > maxNotes {
		ps.Addf("note", cadre.ErrInvalid, "longer than %d characters", maxNotes)
	}
	if utf8.RuneCountInString(c.Resolution) > maxNotes {
		ps.Addf("resolution", cadre.ErrInvalid, "longer than %d characters", maxNotes)
	}
	return ps.Err()
}

// maxNotes bounds free text so that one record cannot swell a sync batch.
const maxNotes = 4000

// checkName checks a required name of at most 64 characters.
func checkName(ps *cadre.Problems, field, v string) {
	switch n := strings.TrimSpace(v); {
	case n == "":
		ps.Add(field, cadre.ErrRequired)
	case utf8.RuneCountInString(n) > 64:
		ps.Addf(field, cadre.ErrInvalid, "longer than 64 characters")
	}
}

// checkDate checks one date field; a zero asOf skips the check against the
// future. It returns whether the date is usable for comparisons.
func checkDate(ps *cadre.Problems, field string, d cadre.Date, required bool, asOf time.Time) bool {
	switch {
	case d.IsZero():
		if required {
			ps.Add(field, cadre.ErrRequired)
		}
		return false
	case !d.Valid():
		ps.Addf(field, cadre.ErrInvalid, "not a real calendar date")
		return false
	case !asOf.IsZero() && d.After(cadre.DateOf(asOf)):
		ps.Addf(field, cadre.ErrFuture, "%s is after %s", d, cadre.DateOf(asOf))
		return false
	}
	return true
}

// checkSpan checks a required start date and an optional end date on or
// after it.
func checkSpan(ps *cadre.Problems, fromField, toField string, from, to cadre.Date, asOf time.Time) {
	fromOK := checkDate(ps, fromField, from, true, asOf)
	if checkDate(ps, toField, to, false, asOf) && fromOK && to.Before(from) {
		ps.Addf(toField, cadre.ErrOrder, "%s is before %s", to, from)
	}
}

// checkInstant checks an optional time that may not precede opened nor
// follow asOf.
func checkInstant(ps *cadre.Problems, field string, t, opened, asOf time.Time) {
	switch {
	case t.IsZero():
	case t.After(asOf):
		ps.Addf(field, cadre.ErrFuture, "%s is after %s", t.Format(time.RFC3339), asOf.Format(time.RFC3339))
	case !opened.IsZero() && t.Before(opened):
		ps.Addf(field, cadre.ErrOrder, "%s is before the case was opened", t.Format(time.RFC3339))
	}
}
