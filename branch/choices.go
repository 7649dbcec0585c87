package branch

// MeetingKinds returns every kind of meeting, in the order a form offers
// them.
func MeetingKinds() []MeetingKind { return meetingKinds.Codes() }

// Absences returns every reason for an absence, in the order a form offers
// them.
func Absences() []Absence { return absences.Codes() }
