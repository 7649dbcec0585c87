package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// duesMonthsShown is how many months the dues table shows, up to the
// month before the day shown.
const duesMonthsShown = 12

func (s *Server) branchRoutes() []route {
	return []route{
		{"GET /branch", s.branchesPage},
		{"GET /branch/{id}", s.branchPage},
		{"GET /branch/{id}/meeting", s.meetingForm},
		{"POST /branch/{id}/meeting", s.recordMeeting},
		{"POST /branch/{id}/deliver", s.deliverStudy},
		{"GET /branch/{id}/dues", s.duesPage},
		{"GET /branch/{id}/dues/{cadre}", s.payForm},
		{"POST /branch/{id}/dues/{cadre}", s.payDues},
		{"GET /branch/{id}/assess", s.assessPage},
		{"POST /branch/{id}/feedback", s.recordFeedback},
		{"POST /branch/{id}/training", s.recordTraining},
	}
}

func (s *Server) branchesPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.title")
	bs, err := desk.ListBranches(r.Context(), s.rep, desk.ListBranchesInput{On: s.today()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(bs) == 1 {
		http.Redirect(w, r, "/branch/"+bs[0].Branch.ID.String(), http.StatusSeeOther)
		return
	}
	p.Data = bs
	s.render(w, r, "branches", p)
}

// branchOf reads the branch of the address as shown on a day, or answers
// 404.
func (s *Server) branchOf(w http.ResponseWriter, r *http.Request, on cadre.Date) (desk.BranchReport, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return desk.BranchReport{}, false
	}
	rep, err := desk.ShowBranch(r.Context(), s.rep, desk.ShowBranchInput{BranchID: id, On: on})
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		s.notFound(w, r)
		return desk.BranchReport{}, false
	}
	if err != nil {
		s.fail(w, r, err)
		return desk.BranchReport{}, false
	}
	return rep, true
}

// monthShown is the month asked for (YYYY-MM, from an address or a form),
// else this month, and the day it is shown as on: its last day, or today
// for this month.
func (s *Server) monthShown(asked string) (branch.Month, cadre.Date) {
	today := s.today()
	m, err := branch.ParseMonth(asked)
	if err != nil || !m.Before(branch.MonthOf(today)) {
		return branch.MonthOf(today), today
	}
	return m, m.Last()
}

// branchView is a branch's page: the month's meetings and what they owe.
type branchView struct {
	desk.BranchReport
	Meetings   []desk.MeetingView
	Prev, Next string
	Today      cadre.Date
}

func (s *Server) branchPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.title")
	month, on := s.monthShown(r.URL.Query().Get("month"))
	s.renderBranch(w, r, p, month, on, http.StatusOK)
}

// renderBranch shows a branch's page for a month, with p's problems.
func (s *Server) renderBranch(w http.ResponseWriter, r *http.Request, p *page, month branch.Month, on cadre.Date, status int) {
	rep, ok := s.branchOf(w, r, on)
	if !ok {
		return
	}
	ms, err := desk.ListMeetings(r.Context(), s.rep, desk.ListMeetingsInput{BranchID: rep.Branch.ID, Month: month})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := branchView{BranchReport: rep, Meetings: ms, Prev: month.Add(-1).String(), Today: s.today()}
	if month.Before(branch.MonthOf(s.today())) {
		v.Next = month.Add(1).String()
	}
	p.Title = rep.Branch.Name
	p.Data = v
	s.renderStatus(w, r, status, "branch", p)
}

// meetingFormView is the form that records a meeting, one line per
// member.
type meetingFormView struct {
	Branch   branch.Branch
	Members  []desk.BranchMember
	Kinds    []choice
	Absences []choice
}

func (s *Server) meetingFormOf(w http.ResponseWriter, r *http.Request, p *page) (*meetingFormView, bool) {
	rep, ok := s.branchOf(w, r, s.today())
	if !ok {
		return nil, false
	}
	v := &meetingFormView{Branch: rep.Branch, Members: rep.Members, Kinds: enumChoices(p, branch.MeetingKindLabels()), Absences: enumChoices(p, branch.AbsenceLabels())}
	p.Data = v
	return v, true
}

func (s *Server) meetingForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.meeting.title")
	v, ok := s.meetingFormOf(w, r, p)
	if !ok {
		return
	}
	p.Form.Values["on"] = s.today().String()
	for _, m := range v.Members {
		p.Form.Values["at_"+m.Cadre.ID.String()] = "present"
	}
	s.render(w, r, "branch_meeting", p)
}

func (s *Server) recordMeeting(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.meeting.title")
	v, ok := s.meetingFormOf(w, r, p)
	if !ok {
		return
	}
	keepTyped(p, r)
	kind, err := branch.ParseMeetingKind(r.PostFormValue("kind"))
	if err != nil {
		p.addProblem("kind", p.T("branch.meeting.kind"), p.T("branch.meeting.kindMissing"))
	}
	on, _ := s.formDate(r, p, "on", p.T("branch.meeting.on"), false)
	var att []branch.Attendance
	var ill []string
	for _, m := range v.Members {
		id := m.Cadre.ID.String()
		a := branch.Attendance{CadreID: m.Cadre.ID, Note: strings.TrimSpace(r.PostFormValue("note_" + id))}
		switch x := r.PostFormValue("at_" + id); x {
		case "present":
			a.Present = true
		case "":
			continue // not listed: a committee or group meeting invites some
		default:
			if a.Absence, err = branch.ParseAbsence(x); err != nil {
				p.addProblem("at_"+id, m.Cadre.Name, p.T("branch.meeting.absenceBad"))
				continue
			}
			if a.Absence == branch.AbsenceHealth {
				ill = append(ill, m.Cadre.Name)
			}
		}
		att = append(att, a)
	}
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "branch_meeting", p)
		return
	}
	mv, err := desk.RecordMeeting(r.Context(), s.rep, desk.MeetingInput{BranchID: v.Branch.ID, Kind: kind, On: on, Topic: r.PostFormValue("topic"), Attendance: att})
	if err != nil {
		s.formFailed(w, r, p, err, "branch_meeting")
		return
	}
	flash := p.T("branch.meeting.done", mv.Meeting.Kind.Label(p.Lang), mv.Meeting.On, attendanceCounts(p, mv.Meeting.Attendance))
	if len(ill) > 0 {
		flash += p.T("branch.meeting.owed", strings.Join(ill, p.T("list.sep")))
	}
	s.redirect(w, r, "/branch/"+v.Branch.ID.String()+"?month="+branch.MonthOf(on).String(), flash)
}

// attendanceCounts sums up a meeting's attendance as recorded.
func attendanceCounts(p *page, at []branch.Attendance) string {
	var present, ill, excused, unexcused int
	for _, a := range at {
		switch {
		case a.Present:
			present++
		case a.Absence == branch.AbsenceHealth:
			ill++
		case a.Absence == branch.AbsenceUnexcused:
			unexcused++
		default:
			excused++
		}
	}
	return p.T("branch.counts", present, ill, excused, unexcused)
}

// Counts sums up a meeting's attendance for a page.
func (v branchView) Counts(p *page, m desk.MeetingView) string {
	return attendanceCounts(p, m.Meeting.Attendance)
}

func (s *Server) deliverStudy(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.title")
	month, on := s.monthShown(r.PostFormValue("month"))
	meeting, err1 := uuid.Parse(r.PostFormValue("meeting"))
	member, err2 := uuid.Parse(r.PostFormValue("cadre"))
	if err1 != nil || err2 != nil {
		s.notFound(w, r)
		return
	}
	field := "on_" + meeting.String() + "_" + member.String()
	keepTyped(p, r)
	p.Form.Values[field] = r.PostFormValue("on")
	day, ok := s.formDate(r, p, "on", p.T("branch.deliver.on"), true)
	if ok {
		rec, err := desk.DeliverStudy(r.Context(), s.rep, desk.DeliverInput{MeetingID: meeting, CadreID: member, On: day, Note: r.PostFormValue("note")})
		var early *desk.DeliveryBeforeMeetingError
		switch {
		case errors.As(err, &early):
			p.addProblem(field, p.T("branch.deliver.on"), p.T("branch.deliver.early", early.On, early.MeetingOn))
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			s.redirect(w, r, "/branch/"+rec.Meeting.BranchID.String()+"?month="+month.String(),
				p.T("branch.deliver.done", rec.Cadre.Name, rec.Meeting.Kind.Label(p.Lang), rec.Meeting.On, day))
			return
		}
	}
	// The problem belongs beside this delivery's own date field.
	for i := range p.Problems {
		if p.Problems[i].Field == "on" {
			p.Problems[i].Field = field
			p.Form.Errors[field] = p.Problems[i].Text
		}
	}
	s.renderBranch(w, r, p, month, on, http.StatusUnprocessableEntity)
}

// duesCell is one month of a member's dues as the table shows it.
type duesCell struct {
	Month branch.Month
	// State is paid, unpaid, exempt, or "" for a month not owed.
	State string
}

// duesRow is one member's line of the dues table.
type duesRow struct {
	desk.ArrearsView
	Cells []duesCell
}

// duesView is a branch's dues by month.
type duesView struct {
	Branch branch.Branch
	On     cadre.Date
	Months []branch.Month
	Rows   []duesRow
}

func (s *Server) duesPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.dues.title")
	rep, ok := s.branchOf(w, r, s.today())
	if !ok {
		return
	}
	on := s.today()
	list, err := desk.Arrears(r.Context(), s.rep, desk.ArrearsInput{BranchID: rep.Branch.ID, On: on})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	last := branch.MonthOf(on).Add(-1)
	v := duesView{Branch: rep.Branch, On: on}
	for m := last.Add(1 - duesMonthsShown); !m.After(last); m = m.Add(1) {
		v.Months = append(v.Months, m)
	}
	for _, x := range list {
		row := duesRow{ArrearsView: x}
		for _, m := range v.Months {
			row.Cells = append(row.Cells, duesCell{Month: m, State: monthState(x.Status.Months, m)})
		}
		v.Rows = append(v.Rows, row)
	}
	p.Data = v
	s.render(w, r, "branch_dues", p)
}

// monthState is how one month stands among the months owed.
func monthState(owed []branch.MonthDue, m branch.Month) string {
	i := slices.IndexFunc(owed, func(d branch.MonthDue) bool { return d.Month == m })
	switch {
	case i < 0:
		return ""
	case owed[i].Relief == branch.ReliefExempt:
		return "exempt"
	case owed[i].Paid:
		return "paid"
	}
	return "unpaid"
}

// payFormView is the form that records a member's dues payment.
type payFormView struct {
	Branch branch.Branch
	desk.ArrearsView
	// Months are the months offered: those unpaid, this month and the two
	// after it.
	Months []payMonth
}

// payMonth is one month a payment may be for.
type payMonth struct {
	Month  branch.Month
	Unpaid bool
	DueFen int64
}

func (s *Server) payFormOf(w http.ResponseWriter, r *http.Request, p *page) (*payFormView, bool) {
	rep, ok := s.branchOf(w, r, s.today())
	if !ok {
		return nil, false
	}
	id, err := uuid.Parse(r.PathValue("cadre"))
	if err != nil {
		s.notFound(w, r)
		return nil, false
	}
	list, err := desk.Arrears(r.Context(), s.rep, desk.ArrearsInput{CadreID: id, On: s.today()})
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) || (err == nil && len(list) == 0) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	v := &payFormView{Branch: rep.Branch, ArrearsView: list[0]}
	for _, d := range v.Status.Months {
		if !d.Paid && d.Relief != branch.ReliefExempt {
			v.Months = append(v.Months, payMonth{Month: d.Month, Unpaid: true, DueFen: d.DueFen - d.PaidFen})
		}
	}
	this := branch.MonthOf(s.today())
	for m := this; !m.After(this.Add(2)); m = m.Add(1) {
		v.Months = append(v.Months, payMonth{Month: m, DueFen: v.Status.MonthlyDueFen})
	}
	p.Data = v
	return v, true
}

func (s *Server) payForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.pay.title")
	v, ok := s.payFormOf(w, r, p)
	if !ok {
		return
	}
	p.Form.Values["paid_on"] = s.today().String()
	for _, m := range v.Months {
		if m.Unpaid {
			p.Form.Values["m_"+m.Month.String()] = "on"
		}
	}
	s.render(w, r, "branch_pay", p)
}

func (s *Server) payDues(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.pay.title")
	v, ok := s.payFormOf(w, r, p)
	if !ok {
		return
	}
	keepTyped(p, r)
	var months []branch.Month
	for _, m := range v.Months {
		if r.PostFormValue("m_"+m.Month.String()) == "on" {
			months = append(months, m.Month)
		}
	}
	if len(months) == 0 {
		p.addProblem("months", p.T("branch.pay.months"), p.T("branch.pay.monthsMissing"))
	}
	var amount int64
	if a := strings.TrimSpace(r.PostFormValue("amount")); a != "" {
		var err error
		if amount, err = cadre.ParseYuan(a); err != nil || amount <= 0 {
			p.addProblem("amount", p.T("branch.pay.amount"), p.T("branch.pay.amountBad", a))
		}
	}
	paidOn, _ := s.formDate(r, p, "paid_on", p.T("branch.pay.paidOn"), true)
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "branch_pay", p)
		return
	}
	paid, err := desk.PayDues(r.Context(), s.rep, desk.PayDuesInput{CadreID: v.Cadre.ID, Months: months, AmountFen: amount, PaidOn: paidOn})
	var pe *desk.PayDuesError
	if errors.As(err, &pe) {
		p.addProblem("months", p.T("branch.pay.months"), payDuesProblem(p, pe))
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "branch_pay", p)
		return
	}
	if err != nil {
		s.formFailed(w, r, p, err, "branch_pay")
		return
	}
	flash := p.T("branch.pay.done", paid.Cadre.Name, cadre.FormatYuan(paid.Payment.AmountFen), branch.JoinMonths(paid.Payment.Months, p.T("list.sep")), paidOn)
	switch diff := paid.Payment.AmountFen - paid.ExpectedFen; {
	case diff > 0:
		flash += p.T("branch.pay.more", cadre.FormatYuan(paid.ExpectedFen), cadre.FormatYuan(diff))
	case diff < 0:
		flash += p.T("branch.pay.less", cadre.FormatYuan(paid.ExpectedFen), cadre.FormatYuan(-diff))
	}
	s.redirect(w, r, "/branch/"+v.Branch.ID.String()+"/dues", flash)
}

// payDuesProblem words a payment the rules refuse.
func payDuesProblem(p *page, pe *desk.PayDuesError) string {
	c := pe.Cadre
	switch pe.Err {
	case desk.ErrNotPartyMember:
		return p.T("branch.pay.notMember", c.Name, c.Party.Label(p.Lang))
	case desk.ErrOffRoll:
		return p.T("branch.pay.offRoll", c.Name, pe.Month, c.Status.Label(p.Lang), c.StatusOn)
	case desk.ErrNoPension:
		return p.T("branch.pay.noPension", c.Name)
	case desk.ErrExempt:
		return p.T("branch.pay.exempt", c.Name)
	}
	return p.T("branch.pay.monthsMissing")
}

// assessView is a branch's 五好 assessment for a year, with the forms
// that record the evidence the desk does not record elsewhere: the
// people's opinions and a member's training.
type assessView struct {
	desk.AssessmentView
	Years   []int
	Members []desk.BranchMember
}

func (s *Server) assessPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.assess.title")
	p.Form.Values["fb_on"] = s.today().String()
	p.Form.Values["tr_on"] = s.today().String()
	p.Form.Values["fb_good"] = "true"
	year, _ := strconv.Atoi(r.URL.Query().Get("year"))
	s.renderAssess(w, r, p, year, http.StatusOK)
}

// renderAssess shows the assessment for year (this year when it cannot be
// assessed) with p's problems.
func (s *Server) renderAssess(w http.ResponseWriter, r *http.Request, p *page, year, status int) {
	on := s.today()
	if desk.CheckAssessYear(year, on) != nil {
		year = on.Year
	}
	rep, ok := s.branchOf(w, r, on)
	if !ok {
		return
	}
	a, err := desk.AssessBranch(r.Context(), s.rep, desk.AssessInput{BranchID: rep.Branch.ID, Year: year, On: on})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := assessView{AssessmentView: a, Members: rep.Members}
	for y := on.Year; y > on.Year-5 && y >= desk.FirstAssessYear; y-- {
		v.Years = append(v.Years, y)
	}
	p.Data = v
	s.renderStatus(w, r, status, "branch_assess", p)
}

func (s *Server) recordFeedback(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.assess.title")
	keepTyped(p, r)
	bid, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	on, _ := s.formDate(r, p, "fb_on", p.T("branch.fb.on"), false)
	source := strings.TrimSpace(r.PostFormValue("fb_source"))
	if source == "" {
		p.addProblem("fb_source", p.T("branch.fb.source"), p.T("branch.fb.sourceMissing"))
	}
	if len(p.Problems) == 0 {
		rec, err := desk.RecordFeedback(r.Context(), s.rep, desk.FeedbackInput{BranchID: bid, On: on, Good: r.PostFormValue("fb_good") == "true",
			Source: source, Note: r.PostFormValue("fb_note")})
		if err == nil {
			s.redirect(w, r, "/branch/"+bid.String()+"/assess?year="+strconv.Itoa(on.Year), p.T("branch.fb.done", rec.Branch.Name, rec.Feedback.Source, rec.Feedback.On))
			return
		}
		if !errors.As(err, new(*cadre.ValidationError)) {
			s.fail(w, r, err)
			return
		}
		p.addProblem("", "", s.describe(err, p))
	}
	s.renderAssess(w, r, p, on.Year, http.StatusUnprocessableEntity)
}

func (s *Server) recordTraining(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "branch", "branch.assess.title")
	keepTyped(p, r)
	if _, err := uuid.Parse(r.PathValue("id")); err != nil {
		s.notFound(w, r)
		return
	}
	member, err := uuid.Parse(r.PostFormValue("tr_cadre"))
	if err != nil {
		p.addProblem("tr_cadre", p.T("branch.tr.cadre"), p.T("branch.tr.cadreMissing"))
	}
	on, _ := s.formDate(r, p, "tr_on", p.T("branch.tr.on"), false)
	course := strings.TrimSpace(r.PostFormValue("tr_course"))
	if course == "" {
		p.addProblem("tr_course", p.T("branch.tr.course"), p.T("branch.tr.courseMissing"))
	}
	if len(p.Problems) == 0 {
		rec, err := desk.RecordTraining(r.Context(), s.rep, desk.TrainingInput{CadreID: member, Course: course, On: on})
		if err == nil {
			s.redirect(w, r, "/branch/"+r.PathValue("id")+"/assess?year="+strconv.Itoa(on.Year), p.T("branch.tr.done", rec.Cadre.Name, rec.Attendance.Course, rec.Attendance.On))
			return
		}
		if !errors.As(err, new(*cadre.ValidationError)) && !errors.Is(err, syncsvc.ErrNotFound) {
			s.fail(w, r, err)
			return
		}
		p.addProblem("", "", s.describe(err, p))
	}
	s.renderAssess(w, r, p, on.Year, http.StatusUnprocessableEntity)
}

// Percent shows a share as a whole percentage.
func (assessView) Percent(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + "%" }
