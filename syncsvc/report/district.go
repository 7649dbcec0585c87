package report

import "github.com/wanxia/wanxia/syncsvc/settings"

// DistrictSettings are the reports' settings with the district's rules.
func DistrictSettings(rules settings.Rules) *Settings {
	s := DefaultSettings()
	s.Schedule, s.Assign, s.Branch, s.Venue = rules.Schedule, rules.Assign, rules.Branch, rules.Venue
	return &s
}
