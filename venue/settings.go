package venue

import (
	"slices"

	"github.com/wanxia/wanxia/cadre"
)

// Settings are the district's settings for the four-nearby rules. Each
// district may differ; DefaultSettings gives the values of the domain notes.
type Settings struct {
	// RadiusMetres is the walking distance within which a venue counts as
	// nearby: 500 m, the 10-minute life circle of GB 50180-2018
	// (社区十分钟生活服务圈). A venue at exactly the radius is within it.
	RadiusMetres float64
	// DetourFactor turns the great-circle distance into a walking distance
	// where no road network is given: walking = great-circle × 1.3.
	DetourFactor float64
	// Policy holds the ages of the eligibility rules: Policy.ElderlyAge for
	// the aged rule (80), Policy.AloneAge for cadres living alone, one of
	// the special difficulties (80).
	Policy cadre.Policy
	// AgedCategories are the categories the aged rule applies to: 退休 only,
	// as the domain notes name 退休干部 80+. A 军休 cadre is eligible through
	// special difficulty unless the district adds cadre.Junxiu here.
	AgedCategories []cadre.Category
}

// DefaultSettings returns the settings of the domain notes: 500 m walking,
// a detour factor of 1.3, cadre.DefaultPolicy's ages, and the aged rule for
// 退休 cadres.
func DefaultSettings() Settings {
	return Settings{
		RadiusMetres:   500,
		DetourFactor:   1.3,
		Policy:         cadre.DefaultPolicy(),
		AgedCategories: []cadre.Category{cadre.Tuixiu},
	}
}

// Validate reports settings no rule can use: a radius that is not a
// positive number, a detour factor below 1 (no walk is shorter than the
// great circle), negative ages, or unknown categories. NewIndex replaces
// each such value with its default rather than fail, so Validate is for
// whoever edits settings.
func (s Settings) Validate() error {
	var ps cadre.Problems
	if !(s.RadiusMetres > 0) || !finite(s.RadiusMetres) {
		ps.Addf("radius_metres", cadre.ErrInvalid, "want a positive number of metres")
	}
	if !(s.DetourFactor >= 1) || !finite(s.DetourFactor) {
		ps.Addf("detour_factor", cadre.ErrInvalid, "want a number of at least 1")
	}
	if s.Policy.ElderlyAge < 0 {
		ps.Addf("elderly_age", cadre.ErrInvalid, "%d is negative", s.Policy.ElderlyAge)
	}
	if s.Policy.AloneAge < 0 {
		ps.Addf("alone_age", cadre.ErrInvalid, "%d is negative", s.Policy.AloneAge)
	}
	for _, c := range s.AgedCategories {
		if !c.Valid() {
			ps.Addf("aged_categories", cadre.ErrInvalid, "%q is not a known category", string(c))
		}
	}
	return ps.Err()
}

// workable returns s with every value Validate refuses replaced by its
// default.
func (s Settings) workable() Settings {
	d := DefaultSettings()
	if !(s.RadiusMetres > 0) || !finite(s.RadiusMetres) {
		s.RadiusMetres = d.RadiusMetres
	}
	if !(s.DetourFactor >= 1) || !finite(s.DetourFactor) {
		s.DetourFactor = d.DetourFactor
	}
	if s.Policy.ElderlyAge < 0 {
		s.Policy.ElderlyAge = d.Policy.ElderlyAge
	}
	if s.Policy.AloneAge < 0 {
		s.Policy.AloneAge = d.Policy.AloneAge
	}
	s.AgedCategories = slices.DeleteFunc(slices.Clone(s.AgedCategories), func(c cadre.Category) bool { return !c.Valid() })
	return s
}
