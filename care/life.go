package care

import (
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// Dates of care work are checked against the cadre's life: nothing is done
// for a cadre before the day of birth, and after a death only what is done
// for the family — a condolence visit (吊唁慰问). A cadre who moved away is
// still alive: the records move with the cadre.

// deathDay is the day c died, zero when c is not recorded as deceased or
// the day is not known.
func deathDay(c cadre.Cadre) cadre.Date {
	if c.Status == cadre.StatusDeceased {
		return c.StatusOn
	}
	return cadre.Date{}
}

// checkInLife records a problem with field when d lies before c's birth or,
// unless afterDeath, after c's death.
func checkInLife(ps *cadre.Problems, field string, d cadre.Date, c cadre.Cadre, afterDeath bool) {
	if d.IsZero() {
		return
	}
	if !c.BirthDate.IsZero() && d.Before(c.BirthDate) {
		ps.AddWorded(field, cadre.ErrOrder, fmt.Sprintf("%s 早于%s的出生日期 %s", d, c.Name, c.BirthDate),
			fmt.Sprintf("%s is before %s was born (%s)", d, c.Name, c.BirthDate))
	}
	if died := deathDay(c); !afterDeath && !died.IsZero() && d.After(died) {
		ps.AddWorded(field, cadre.ErrOrder, fmt.Sprintf("%s 晚于%s去世的日期 %s", d, c.Name, died),
			fmt.Sprintf("%s is after %s died (%s)", d, c.Name, died))
	}
}

// CheckLife checks v's day against c's life: not before c was born, and
// not after c died unless it is a condolence visit. It returns a
// *cadre.ValidationError wrapping cadre.ErrOrder, or nil.
func (v Visit) CheckLife(c cadre.Cadre) error {
	var ps cadre.Problems
	checkInLife(&ps, "on", v.On, c, v.Kind == VisitCondolence)
	return ps.Err()
}

// CheckLife checks s's days against c's life: neither admitted nor
// discharged before c was born, nor after c died (a death in hospital is
// discharged on that day at the latest).
func (s HospitalStay) CheckLife(c cadre.Cadre) error {
	var ps cadre.Problems
	checkInLife(&ps, "admitted", s.Admitted, c, false)
	checkInLife(&ps, "discharged", s.Discharged, c, false)
	return ps.Err()
}

// CheckLife checks that h was not opened before c was born. A case may be
// opened or worked after a death: help to the family is help too.
func (h HelpCase) CheckLife(c cadre.Cadre) error {
	var ps cadre.Problems
	if !h.Opened.IsZero() {
		checkInLife(&ps, "opened", cadre.DateOf(h.Opened), c, true)
	}
	return ps.Err()
}
