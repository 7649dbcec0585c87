package branch

import "github.com/wanxia/wanxia/cadre"

// MeetingKindLabels returns the kinds of meeting in order, for a form that
// offers them.
func MeetingKindLabels() []cadre.Label { return append([]cadre.Label(nil), meetingKinds.Values...) }

// AbsenceLabels returns the reasons for an absence in order, for a form
// that offers them.
func AbsenceLabels() []cadre.Label { return append([]cadre.Label(nil), absences.Values...) }
