package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
)

func (s *Server) branchRoutes() []route {
	return []route{
		{"GET /branch", s.branchesPage},
		{"GET /branch/{id}", s.branchPage},
		{"POST /branch/{id}/meeting", s.branchMeeting},
		{"POST /branch/{id}/deliver", s.branchDeliver},
		{"POST /branch/{id}/dues", s.branchDues},
		{"GET /branch/{id}/assess", s.branchAssess},
	}
}

func (s *Server) branchesPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.title")
	bs, err := desk.ListBranches(r.Context(), s.rep, desk.ListBranchesInput{On: s.today()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = bs
	s.render(w, r, "branches", p)
}

// branchView is one branch's page: its members with their dues, the
// committee, the month's meetings and 送学上门, and the forms to record a
// meeting, a 送学上门 visit and a dues payment.
type branchView struct {
	desk.BranchReport
	// Dues are the members' dues positions, by member.
	Dues map[uuid.UUID]*branch.ArrearsStatus
	// Meetings are the meetings of the month, with attendance.
	Meetings     []desk.MeetingView
	Kinds        []choice
	Absences     []choice
	AssessYear   int
	DeliverNames map[uuid.UUID]string
}

// branchID is the branch an address names.
func (s *Server) branchID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return uuid.Nil, false
	}
	return id, true
}

func (s *Server) branchPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.branchID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "branch", "branch.title")
	p.Form.Values["meeting_on"] = s.today().String()
	p.Form.Values["paid_on"] = s.today().String()
	s.showBranch(w, r, p, id, http.StatusOK)
}

func (s *Server) showBranch(w http.ResponseWriter, r *http.Request, p *page, id uuid.UUID, status int) {
	ctx := r.Context()
	rep, err := desk.ShowBranch(ctx, s.rep, desk.ShowBranchInput{BranchID: id, On: s.today()})
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := branchView{BranchReport: rep, Dues: map[uuid.UUID]*branch.ArrearsStatus{}, AssessYear: s.today().Year, DeliverNames: map[uuid.UUID]string{}}
	arrears, err := desk.Arrears(ctx, s.rep, desk.ArrearsInput{On: s.today()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range arrears {
		v.Dues[arrears[i].Cadre.ID] = &arrears[i].Status
	}
	if v.Meetings, err = desk.ListMeetings(ctx, s.rep, desk.ListMeetingsInput{BranchID: id, Month: rep.Month}); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, m := range rep.Members {
		v.DeliverNames[m.Cadre.ID] = m.Cadre.Name
	}
	v.Kinds = withSelected(enumChoices(p, branch.MeetingKindLabels()), p.Form.Get("meeting_kind"))
	v.Absences = append([]choice{{Value: "present", Label: p.T("branch.present")}}, enumChoices(p, branch.AbsenceLabels())...)
	p.Title = rep.Branch.Name
	p.Data = v
	s.renderStatus(w, r, status, "branch", p)
}

// branchMeeting records a meeting held, with each member's attendance.
func (s *Server) branchMeeting(w http.ResponseWriter, r *http.Request) {
	id, ok := s.branchID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "branch", "branch.title")
	keep(r, p, "meeting_kind", "meeting_on", "meeting_topic")
	on, dok := dateField(r, p, "meeting_on", p.T("branch.meetingOn"))
	kind, err := branch.ParseMeetingKind(r.PostFormValue("meeting_kind"))
	if err != nil {
		p.addProblem("meeting_kind", p.T("branch.meetingKind"), p.T("care.chooseKind"))
	}
	var att []branch.Attendance
	for _, key := range r.PostForm["member"] {
		cid, perr := uuid.Parse(key)
		if perr != nil {
			continue
		}
		a := branch.Attendance{CadreID: cid, Present: true}
		p.Form.Values["att_"+key] = r.PostFormValue("att_" + key)
		if v := r.PostFormValue("att_" + key); v != "present" {
			a.Present = false
			a.Absence, _ = branch.ParseAbsence(v)
		}
		att = append(att, a)
	}
	if !dok || err != nil {
		s.showBranch(w, r, p, id, http.StatusUnprocessableEntity)
		return
	}
	m, err := desk.RecordMeeting(r.Context(), s.rep, desk.MeetingInput{BranchID: id, Kind: kind, On: on, Topic: r.PostFormValue("meeting_topic"), Attendance: att})
	if err != nil {
		s.branchProblem(w, r, p, id, "meeting_on", err)
		return
	}
	s.redirect(w, r, "/branch/"+id.String()+"#meetings", p.T("branch.meetingDone", m.Meeting.Kind.Label(p.Lang), m.Meeting.On))
}

// branchDeliver records a 送学上门 visit to a member absent ill.
func (s *Server) branchDeliver(w http.ResponseWriter, r *http.Request) {
	id, ok := s.branchID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "branch", "branch.title")
	mid, err1 := uuid.Parse(r.PostFormValue("meeting"))
	cid, err2 := uuid.Parse(r.PostFormValue("cadre"))
	if err1 != nil || err2 != nil {
		s.notFound(w, r)
		return
	}
	rec, err := desk.DeliverStudy(r.Context(), s.rep, desk.DeliverInput{MeetingID: mid, CadreID: cid, On: s.today(), Note: r.PostFormValue("note")})
	if err != nil {
		s.branchProblem(w, r, p, id, "", err)
		return
	}
	s.redirect(w, r, "/branch/"+id.String()+"#deliveries", p.T("branch.delivered", rec.Cadre.Name, rec.Delivery.On))
}

// branchDues records a member's dues payment for the months given.
func (s *Server) branchDues(w http.ResponseWriter, r *http.Request) {
	id, ok := s.branchID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "branch", "branch.title")
	cid, err := uuid.Parse(r.PostFormValue("cadre"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	field := "months_" + cid.String()
	keep(r, p, field, "paid_on")
	var months []branch.Month
	for _, m := range strings.FieldsFunc(r.PostFormValue(field), func(c rune) bool { return c == ',' || c == '，' || c == '、' || c == ' ' }) {
		mo, err := branch.ParseMonth(m)
		if err != nil {
			p.addProblem(field, p.T("branch.months"), p.T("branch.badMonth", m))
			s.showBranch(w, r, p, id, http.StatusUnprocessableEntity)
			return
		}
		months = append(months, mo)
	}
	if len(months) == 0 {
		p.addProblem(field, p.T("branch.months"), p.T("branch.noMonths"))
		s.showBranch(w, r, p, id, http.StatusUnprocessableEntity)
		return
	}
	paid, err := desk.PayDues(r.Context(), s.rep, desk.PayDuesInput{CadreID: cid, Months: months, PaidOn: s.today()})
	if err != nil {
		s.branchProblem(w, r, p, id, field, err)
		return
	}
	s.redirect(w, r, "/branch/"+id.String()+"#dues", p.T("branch.paid", paid.Cadre.Name, cadre.FormatYuan(paid.Payment.AmountFen), len(paid.Payment.Months)))
}

// branchProblem shows a use case's refusal beside field.
func (s *Server) branchProblem(w http.ResponseWriter, r *http.Request, p *page, id uuid.UUID, field string, err error) {
	var ve *cadre.ValidationError
	var pe *desk.PayDuesError
	text := ""
	switch {
	case errors.As(err, &pe):
		c := pe.Cadre
		switch pe.Err {
		case desk.ErrNotPartyMember:
			text = p.T("branch.dues.notMember", c.Name, c.Party.Label(p.Lang))
		case desk.ErrOffRoll:
			text = p.T("branch.dues.offRoll", c.Name, pe.Month, c.Status.Label(p.Lang), c.StatusOn)
		case desk.ErrNoPension:
			text = p.T("branch.dues.noPension", c.Name)
		case desk.ErrExempt:
			text = p.T("branch.dues.exempt", c.Name)
		default:
			text = p.T("branch.noMonths")
		}
	case errors.As(err, &ve):
		parts := []string{}
		for _, fe := range ve.Problems {
			parts = append(parts, fe.Message(p.Lang))
		}
		text = strings.Join(parts, p.T("list.sep"))
	default:
		text = roster.Describe(err, p.Lang)
		if p.Lang != cadre.English && !wording.HasHan(text) {
			text = s.describe(err, p)
		}
	}
	p.addProblem(field, "", text)
	s.showBranch(w, r, p, id, http.StatusUnprocessableEntity)
}

// assessView is the 五好 assessment of a branch for a year.
type assessView struct {
	desk.AssessmentView
	Years []int
}

// branchAssess assesses a branch against 五好 for a year, with the
// evidence of each indicator.
func (s *Server) branchAssess(w http.ResponseWriter, r *http.Request) {
	id, ok := s.branchID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "branch", "branch.assessTitle")
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil {
		year = s.today().Year
	}
	a, err := desk.AssessBranch(r.Context(), s.rep, desk.AssessInput{BranchID: id, Year: year, On: s.today()})
	switch {
	case errors.Is(err, syncsvc.ErrNotFound), errors.Is(err, syncsvc.ErrVoided), errors.Is(err, desk.ErrYearOutOfRange):
		s.notFound(w, r)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	v := assessView{AssessmentView: a}
	for y := s.today().Year; y > s.today().Year-5; y-- {
		v.Years = append(v.Years, y)
	}
	p.Title = p.T("branch.assessOf", a.Branch.Name, year)
	p.Data = v
	s.render(w, r, "assess", p)
}
