package branch

// Settings bundles the settings of every rule of the package, for callers
// that apply several (Assess applies them all).
type Settings struct {
	// Plan is for Plan and the setup measure.
	Plan PlanSettings
	// Committee is for CheckCommittee.
	Committee CommitteeSettings
	// Meetings is for MeetingsDue.
	Meetings MeetingSettings
	// Dues is for Arrears.
	Dues DuesSettings
	// Training is for TrainingDue.
	Training TrainingSettings
}

// DefaultSettings returns every rule's default settings, the numbers of the
// domain notes.
func DefaultSettings() Settings {
	return Settings{
		Plan:      DefaultPlanSettings(),
		Committee: DefaultCommitteeSettings(),
		Meetings:  DefaultMeetingSettings(),
		Dues:      DefaultDuesSettings(),
		Training:  DefaultTrainingSettings(),
	}
}
