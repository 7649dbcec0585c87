package branch

import (
	"slices"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// TrainingSettings holds the district's settings for secretaries' training.
type TrainingSettings struct {
	// Roles are the posts whose holders must be trained.
	Roles []Role
	// EveryMonths is the calendar period in which each must attend once;
	// a value that does not divide 12 counts as 12.
	EveryMonths int
}

// DefaultTrainingSettings returns the district's practice: branch
// secretaries, once a calendar year (一年一次支部书记培训班).
func DefaultTrainingSettings() TrainingSettings {
	return TrainingSettings{Roles: []Role{RoleSecretary}, EveryMonths: 12}
}

// TrainingStatus is whether one post holder has been trained in the period.
type TrainingStatus struct {
	// CadreID is the post holder.
	CadreID uuid.UUID `json:"cadre_id"`
	// Role is the post that makes the training due (the first in role
	// order when the cadre holds several).
	Role Role `json:"role"`
	// From is the first month of the calendar period containing the date
	// asked about.
	From Month `json:"from"`
	// To is the period's last month.
	To Month `json:"to"`
	// Done is whether the holder attended in the period, up to On.
	Done bool `json:"done"`
	// AttendedOn is the day of the first attendance in the period.
	AttendedOn cadre.Date `json:"attended_on"`
	// Course is the course attended.
	Course string `json:"course"`
	// DueBy is the last day of the period.
	DueBy cadre.Date `json:"due_by"`
}

// TrainingDue returns, for each holder on the date on of a post in s.Roles
// in branch b, whether the holder attended training in the calendar period
// containing on (the year, by default), sorted by role and then by holder.
func TrainingDue(b Branch, posts []Post, attendance []TrainingAttendance, on cadre.Date, s TrainingSettings) []TrainingStatus {
	every := s.EveryMonths
	if every <= 0 || 12%every != 0 {
		every = 12
	}
	from, to := periodOf(MonthOf(on), every)
	var out []TrainingStatus
	seen := map[uuid.UUID]bool{}
	for _, p := range currentPosts(b.ID, posts, on) {
		if !slices.Contains(s.Roles, p.Role) || seen[p.CadreID] {
			continue
		}
		seen[p.CadreID] = true
		st := TrainingStatus{CadreID: p.CadreID, Role: p.Role, From: from, To: to, DueBy: to.Last()}
		if a, ok := firstAttendance(p.CadreID, attendance, from.First(), on); ok {
			st.AttendedOn, st.Course, st.Done = a.On, a.Course, true
		}
		out = append(out, st)
	}
	return out
}

// firstAttendance returns cadreID's earliest attendance from from to on.
func firstAttendance(cadreID uuid.UUID, attendance []TrainingAttendance, from, on cadre.Date) (TrainingAttendance, bool) {
	var first TrainingAttendance
	found := false
	for _, a := range attendance {
		if a.CadreID != cadreID || a.On.Before(from) || a.On.After(on) {
			continue
		}
		if !found || a.On.Before(first.On) || (a.On == first.On && compareUUID(a.ID, first.ID) < 0) {
			first, found = a, true
		}
	}
	return first, found
}
