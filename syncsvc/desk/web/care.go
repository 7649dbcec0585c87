package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// careVisitDays is how far back the 走访与帮扶 page lists the visits made;
// careRows is the most lines each of its lists shows.
const (
	careVisitDays = 30
	careRows      = 50
)

func (s *Server) careRoutes() []route {
	return []route{
		{"GET /care", s.carePage},
		{"GET /care/visit", s.visitForm},
		{"POST /care/visit", s.recordVisit},
		{"GET /care/hospital", s.hospitalForm},
		{"POST /care/hospital", s.recordStay},
		{"GET /care/help/new", s.helpForm},
		{"POST /care/help", s.openHelp},
		{"GET /care/help/{id}", s.helpCasePage},
		{"POST /care/help/{id}/act", s.actOnHelp},
		{"POST /care/help/{id}/close", s.closeHelp},
	}
}

// careView is the 走访与帮扶 page: what is open.
type careView struct {
	// For is the cadre the page was opened for (a cadre's page links
	// here): its forms open for that cadre. Nil for none.
	For        *desk.Match
	On         cadre.Date
	Help       desk.OpenHelp
	InHospital []desk.OpenStay
	Visits     []desk.VisitView
	// HospitalTotal and VisitsTotal count every line of the lists, shown
	// or not.
	HospitalTotal, VisitsTotal int
	Since                      cadre.Date
	// UrgentHours is how soon an urgent case is to be acted on.
	UrgentHours float64
}

func (s *Server) carePage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "care", "care.title")
	on := s.today()
	v := careView{On: on, Since: on.AddDays(-careVisitDays)}
	if id, err := uuid.Parse(r.URL.Query().Get("cadre")); err == nil {
		if m, err := desk.Resolve(ctx, s.rep, desk.KindCadre, id.String()); err == nil {
			v.For = &m
		}
	}
	var err error
	if v.Help, err = desk.OpenHelpCases(ctx, s.rep, s.now(), careRows); err != nil {
		s.fail(w, r, err)
		return
	}
	v.UrgentHours = v.Help.UrgentWithin.Hours()
	if v.InHospital, v.HospitalTotal, err = desk.InHospital(ctx, s.rep, on, careRows); err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Visits, v.VisitsTotal, err = desk.ListVisits(ctx, s.rep, store.VisitFilter{From: v.Since, To: on}, careRows); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = v
	s.render(w, r, "care", p)
}

// visitFormView is the form that records a visit.
type visitFormView struct {
	Pick    cadrePick
	Kinds   []choice
	Helpers []desk.ListedHelper
}

func (s *Server) newVisitForm(r *http.Request, p *page) (*visitFormView, error) {
	hs, err := desk.Helpers(r.Context(), s.rep, s.today(), false)
	if err != nil {
		return nil, err
	}
	v := &visitFormView{Pick: cadrePick{Field: "cadre", Label: p.T("care.cadre")}, Kinds: enumChoices(p, care.VisitKindLabels()), Helpers: hs}
	p.Data = v
	return v, nil
}

func (s *Server) visitForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.visit.title")
	v, err := s.newVisitForm(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.prefillCadre(r, p, &v.Pick)
	p.Form.Values["on"] = s.today().String()
	// No kind is chosen for the clerk, unless the link says which visit it
	// is for (a hospital visit from the list of who is in hospital).
	if k, err := care.ParseVisitKind(r.URL.Query().Get("kind")); err == nil {
		p.Form.Values["kind"] = string(k)
	}
	s.render(w, r, "care_visit", p)
}

func (s *Server) recordVisit(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.visit.title")
	v, err := s.newVisitForm(r, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	keepTyped(p, r)
	c, _ := s.pickCadre(r, p, &v.Pick)
	kind, err := care.ParseVisitKind(r.PostFormValue("kind"))
	if err != nil {
		p.addProblem("kind", p.T("care.visit.kind"), p.T("care.visit.kindMissing"))
	}
	on, _ := s.formDate(r, p, "on", p.T("care.visit.on"), false)
	by := uuid.Nil
	if ref := r.PostFormValue("by"); ref != "" {
		if by, err = uuid.Parse(ref); err != nil {
			p.addProblem("by", p.T("care.visit.by"), p.T("care.visit.byUnknown"))
		}
	}
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_visit", p)
		return
	}
	rec, err := desk.RecordVisit(r.Context(), s.rep, s.now(), desk.VisitInput{CadreID: c.ID, Kind: kind, On: on, By: by, Notes: r.PostFormValue("notes")})
	switch {
	case errors.Is(err, desk.ErrFuture):
		p.addProblem("on", p.T("care.visit.on"), p.T("care.future", s.today()))
	case err != nil:
		s.formFailed(w, r, p, err, "care_visit")
		return
	}
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_visit", p)
		return
	}
	flash := p.T("care.visit.done", rec.Cadre.Name, rec.Visit.Kind.Label(p.Lang), rec.Visit.On)
	var counts []string
	for _, d := range rec.Satisfies {
		counts = append(counts, dueLabel(p, d.Due))
	}
	if len(counts) > 0 {
		flash += p.T("care.visit.counts", strings.Join(counts, p.T("list.sep")))
	}
	s.redirect(w, r, "/care", flash)
}

// dueLabel names a visit owed, with the age of a birthday.
func dueLabel(p *page, d care.Due) string {
	label := d.Kind.Label(p.Lang)
	if d.Milestone > 0 {
		label += p.T("care.milestone", d.Milestone)
	}
	return label
}

// formFailed shows a form again with a library error no field words
// better, in the summary; what was typed is kept.
func (s *Server) formFailed(w http.ResponseWriter, r *http.Request, p *page, err error, name string) {
	var ve *cadre.ValidationError
	if errors.As(err, &ve) || errors.Is(err, syncsvc.ErrInvalidChange) || errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		p.addProblem("", "", s.describe(err, p))
		s.renderStatus(w, r, http.StatusUnprocessableEntity, name, p)
		return
	}
	s.fail(w, r, err)
}

// stayFormView is the form that records an admission or a discharge.
type stayFormView struct {
	Pick cadrePick
}

func (s *Server) hospitalForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.stay.title")
	v := &stayFormView{Pick: cadrePick{Field: "cadre", Label: p.T("care.cadre")}}
	p.Data = v
	s.prefillCadre(r, p, &v.Pick)
	p.Form.Values["on"] = s.today().String()
	p.Form.Values["event"] = "admit"
	if r.URL.Query().Get("event") == "discharge" {
		p.Form.Values["event"] = "discharge"
	}
	s.render(w, r, "care_hospital", p)
}

func (s *Server) recordStay(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.stay.title")
	v := &stayFormView{Pick: cadrePick{Field: "cadre", Label: p.T("care.cadre")}}
	p.Data = v
	keepTyped(p, r)
	c, _ := s.pickCadre(r, p, &v.Pick)
	event := r.PostFormValue("event")
	if event != "admit" && event != "discharge" {
		p.addProblem("event", p.T("care.stay.event"), p.T("care.stay.eventMissing"))
	}
	on, _ := s.formDate(r, p, "on", p.T("care.stay.on"), false)
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_hospital", p)
		return
	}
	in := desk.StayInput{CadreID: c.ID, On: on}
	var rec desk.RecordedStay
	var err error
	if event == "admit" {
		rec, err = desk.AdmitToHospital(r.Context(), s.rep, s.now(), in)
	} else {
		rec, err = desk.DischargeFromHospital(r.Context(), s.rep, s.now(), in)
	}
	var se *desk.StayError
	switch {
	case errors.Is(err, desk.ErrFuture):
		p.addProblem("on", p.T("care.stay.on"), p.T("care.future", s.today()))
	case errors.Is(err, desk.ErrStayOpen):
		errors.As(err, &se)
		p.addProblem("event", p.T("care.stay.event"), p.T("care.stay.open", c.Name, se.Stay.Admitted))
	case errors.Is(err, desk.ErrStayOverlap):
		errors.As(err, &se)
		p.addProblem("on", p.T("care.stay.on"), p.T("care.stay.overlap", c.Name, on, se.Stay.Admitted, se.Stay.Discharged))
	case errors.Is(err, desk.ErrNoOpenStay):
		p.addProblem("event", p.T("care.stay.event"), p.T("care.stay.noOpen", c.Name))
	case errors.Is(err, desk.ErrBeforeAdmission):
		errors.As(err, &se)
		p.addProblem("on", p.T("care.stay.on"), p.T("care.stay.beforeAdmission", se.Stay.Admitted))
	case err != nil:
		s.formFailed(w, r, p, err, "care_hospital")
		return
	}
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_hospital", p)
		return
	}
	flash := p.T("care.stay.admitted", c.Name, on)
	if event == "discharge" {
		flash = p.T("care.stay.discharged", c.Name, on, rec.Stay.Admitted, on.DaysSince(rec.Stay.Admitted))
	}
	if d := rec.Due; d != nil {
		flash += p.T("care.stay.due", dueLabel(p, d.Due), d.Due.DueOn)
	}
	s.redirect(w, r, "/care", flash)
}

// helpFormView is the form that opens a help case.
type helpFormView struct {
	Pick  cadrePick
	Kinds []choice
}

func (s *Server) helpForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.help.newTitle")
	v := &helpFormView{Pick: cadrePick{Field: "cadre", Label: p.T("care.cadre")}, Kinds: enumChoices(p, care.HelpKindLabels())}
	p.Data = v
	s.prefillCadre(r, p, &v.Pick)
	s.render(w, r, "care_helpnew", p)
}

// formTime reads an optional time field: zero when left empty (now).
func formTime(r *http.Request, p *page, field, label string) (time.Time, bool) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		return time.Time{}, true
	}
	t, err := desk.ParseCivilTime(v)
	if err != nil {
		p.addProblem(field, label, p.T("care.help.timeBad", v))
		return time.Time{}, false
	}
	return t, true
}

func (s *Server) openHelp(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.help.newTitle")
	v := &helpFormView{Pick: cadrePick{Field: "cadre", Label: p.T("care.cadre")}, Kinds: enumChoices(p, care.HelpKindLabels())}
	p.Data = v
	keepTyped(p, r)
	c, _ := s.pickCadre(r, p, &v.Pick)
	kind, err := care.ParseHelpKind(r.PostFormValue("kind"))
	if err != nil {
		p.addProblem("kind", p.T("care.help.kind"), p.T("care.help.kindMissing"))
	}
	at, _ := formTime(r, p, "at", p.T("care.help.at"))
	if len(p.Problems) > 0 {
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_helpnew", p)
		return
	}
	urgent := r.PostFormValue("urgent") == "on"
	hc, err := desk.OpenHelpCase(r.Context(), s.rep, s.now(), desk.HelpOpening{CadreID: c.ID, Kind: kind, Urgent: urgent, At: at, Note: r.PostFormValue("note")})
	if errors.Is(err, desk.ErrFuture) {
		p.addProblem("at", p.T("care.help.at"), p.T("care.help.later"))
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_helpnew", p)
		return
	}
	if err != nil {
		s.formFailed(w, r, p, err, "care_helpnew")
		return
	}
	flash := p.T("care.help.opened", c.Name, hc.Kind.Label(p.Lang))
	if urgent {
		flash += p.T("care.help.openedUrgent")
	}
	s.redirect(w, r, "/care/help/"+hc.ID.String(), flash)
}

// helpCaseView is a help case's page, with the forms that act on it and
// close it.
type helpCaseView struct {
	Case        desk.HelpCaseView
	UrgentHours float64
}

// helpCase reads the case of the address, or answers 404.
func (s *Server) helpCase(w http.ResponseWriter, r *http.Request, p *page) (*helpCaseView, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return nil, false
	}
	hc, err := desk.ShowHelpCase(r.Context(), s.rep, s.now(), id)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		s.notFound(w, r)
		return nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	list, err := desk.HelpCases(r.Context(), s.rep, s.now(), true)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	v := &helpCaseView{Case: hc, UrgentHours: list.UrgentWithin.Hours()}
	p.Data = v
	return v, true
}

func (s *Server) helpCasePage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.help.title")
	if _, ok := s.helpCase(w, r, p); !ok {
		return
	}
	p.Form.Values["status"] = string(care.HelpResolved)
	s.render(w, r, "care_help", p)
}

// helpCaseProblem puts an action that does not fit the case beside the
// field it is about; it reports false for another error.
func helpCaseProblem(p *page, err error, field string) bool {
	var he *desk.HelpCaseError
	if !errors.As(err, &he) {
		return false
	}
	hc := he.Case
	switch {
	case errors.Is(err, desk.ErrCaseClosed):
		p.addProblem("", "", p.T("care.help.closedAlready", display.Time(hc.Closed, "-"), hc.Status.Label(p.Lang)))
	case errors.Is(err, desk.ErrFuture):
		p.addProblem(field, p.T("care.help.at"), p.T("care.help.later"))
	case errors.Is(err, desk.ErrBeforeOpened):
		p.addProblem(field, p.T("care.help.at"), p.T("care.help.beforeOpened", display.Time(hc.Opened, "-")))
	case errors.Is(err, desk.ErrBeforeFirstAction):
		p.addProblem(field, p.T("care.help.at"), p.T("care.help.beforeAction", display.Time(hc.FirstActionAt, "-")))
	case errors.Is(err, desk.ErrNotClosing):
		p.addProblem("status", p.T("care.help.status"), p.T("care.help.statusMissing"))
	default:
		return false
	}
	return true
}

func (s *Server) actOnHelp(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.help.title")
	v, ok := s.helpCase(w, r, p)
	if !ok {
		return
	}
	keepTyped(p, r)
	at, _ := formTime(r, p, "act_at", p.T("care.help.at"))
	if len(p.Problems) == 0 {
		acted, err := desk.ActOnHelpCase(r.Context(), s.rep, s.now(), desk.HelpAction{CaseID: v.Case.Case.ID, At: at, Note: r.PostFormValue("act_note")})
		switch {
		case err == nil:
			s.redirect(w, r, "/care/help/"+acted.Case.ID.String(), p.T("care.help.acted", display.Time(acted.At, "-"), acted.Case.Status.Label(p.Lang)))
			return
		case !helpCaseProblem(p, err, "act_at"):
			s.formFailed(w, r, p, err, "care_help")
			return
		}
	}
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_help", p)
}

func (s *Server) closeHelp(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.help.title")
	v, ok := s.helpCase(w, r, p)
	if !ok {
		return
	}
	keepTyped(p, r)
	at, _ := formTime(r, p, "close_at", p.T("care.help.at"))
	status, err := care.ParseHelpStatus(r.PostFormValue("status"))
	if err != nil || !status.Closed() {
		p.addProblem("status", p.T("care.help.status"), p.T("care.help.statusMissing"))
	}
	resolution := strings.TrimSpace(r.PostFormValue("resolution"))
	if resolution == "" {
		p.addProblem("resolution", p.T("care.help.resolution"), p.T("care.help.resolutionMissing"))
	}
	if len(p.Problems) == 0 {
		closed, err := desk.CloseHelpCase(r.Context(), s.rep, s.now(), desk.HelpClosing{CaseID: v.Case.Case.ID, Status: status, At: at, Resolution: resolution})
		switch {
		case err == nil:
			s.redirect(w, r, "/care", p.T("care.help.closed", v.Case.Cadre.Name, closed.Case.Kind.Label(p.Lang), closed.Case.Status.Label(p.Lang)))
			return
		case !helpCaseProblem(p, err, "close_at"):
			s.formFailed(w, r, p, err, "care_help")
			return
		}
	}
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "care_help", p)
}
