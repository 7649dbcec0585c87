package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

func (s *Server) careRoutes() []route {
	return []route{
		{"GET /care", s.carePage},
		{"POST /care/visit", s.careVisit},
		{"POST /care/stay", s.careStay},
		{"POST /care/help", s.careOpenHelp},
		{"POST /care/help/{id}/act", s.careActHelp},
		{"POST /care/help/{id}/close", s.careCloseHelp},
	}
}

// careView is the 走访与帮扶 page: the forms to record a visit, a hospital
// stay and a request for help, and the help cases not closed.
type careView struct {
	// For names the cadre the page was opened for, "" for none.
	For        string
	VisitKinds []choice
	Helpers    []choice
	HelpKinds  []choice
	Help       desk.HelpList
	Names      map[uuid.UUID]string
	// Hidden counts the open cases not listed: the page lists the
	// unattended urgent ones, then others up to maxHelpRows.
	Hidden int
}

// maxHelpRows is the most help cases the page lists.
const maxHelpRows = 50

func (s *Server) carePage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.title")
	p.Form.Values["visit_on"] = s.today().String()
	p.Form.Values["stay_on"] = s.today().String()
	if id, err := uuid.Parse(r.URL.Query().Get("cadre")); err == nil {
		if c, err := s.rep.Cadre(r.Context(), id); err == nil {
			for _, f := range []string{"visit_cadre", "stay_cadre", "help_cadre"} {
				p.Form.Values[f] = c.ID.String()
			}
			p.Form.Values["for"] = c.Name
		}
	}
	s.showCare(w, r, p, http.StatusOK)
}

func (s *Server) showCare(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	v := careView{For: p.Form.Get("for"), VisitKinds: enumChoices(p, care.VisitKindLabels()), HelpKinds: enumChoices(p, care.HelpKindLabels()), Names: map[uuid.UUID]string{}}
	choose := []choice{{Value: "", Label: p.T("care.chooseKind")}}
	v.VisitKinds = withSelected(append(choose, v.VisitKinds...), p.Form.Get("visit_kind"))
	v.HelpKinds = withSelected(append(choose, v.HelpKinds...), p.Form.Get("help_kind"))
	helpers, err := desk.Helpers(ctx, s.rep, s.today(), false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Helpers = []choice{{Value: "", Label: p.T("cadre.otherPerson")}}
	for _, h := range helpers {
		v.Helpers = append(v.Helpers, choice{Value: h.Helper.ID.String(), Label: h.Helper.Name})
	}
	v.Helpers = withSelected(v.Helpers, p.Form.Get("visit_by"))
	if v.Help, err = desk.HelpCases(ctx, s.rep, s.now(), true); err != nil {
		s.fail(w, r, err)
		return
	}
	if keep := max(0, maxHelpRows-len(v.Help.Unattended)); len(v.Help.Others) > keep {
		v.Hidden = len(v.Help.Others) - keep
		v.Help.Others = v.Help.Others[:keep]
	}
	for _, c := range append(append([]care.HelpCase{}, v.Help.Unattended...), v.Help.Others...) {
		if cd, err := s.rep.Cadre(ctx, c.CadreID); err == nil {
			v.Names[c.CadreID] = cd.Name
		}
	}
	p.Data = v
	s.renderStatus(w, r, status, "care", p)
}

// keep keeps what was typed in the named fields, to show it again.
func keep(r *http.Request, p *page, fields ...string) {
	for _, f := range fields {
		p.Form.Values[f] = r.PostFormValue(f)
	}
}

// findCadre resolves what was typed in a form's cadre field (a name, an
// ID number or a record's id); a problem is put beside the field.
func (s *Server) findCadre(r *http.Request, p *page, field string) (cadre.Cadre, bool) {
	ref := strings.TrimSpace(r.PostFormValue(field))
	label := p.T("care.cadre")
	if ref == "" {
		p.addProblem(field, label, p.T("care.cadreRequired"))
		return cadre.Cadre{}, false
	}
	c, err := desk.FindCadre(r.Context(), s.rep, ref)
	var re *desk.RefError
	switch {
	case errors.As(err, &re) && errors.Is(err, syncsvc.ErrAmbiguous):
		var refs []string
		for _, m := range re.Candidates {
			refs = append(refs, m.Name+"（"+m.MaskedIDNumber+"）")
		}
		p.addProblem(field, label, p.T("care.cadreAmbiguous", strings.Join(refs, p.T("list.comma"))))
		return c, false
	case err != nil:
		p.addProblem(field, label, p.T("care.cadreNotFound", ref))
		return c, false
	}
	return c, true
}

// dateField reads a date a person typed, as a roster's date cell is read;
// a problem is put beside the field.
func dateField(r *http.Request, p *page, field, label string) (cadre.Date, bool) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" {
		p.addProblem(field, label, cadre.Describe(cadre.ErrRequired, p.Lang))
		return cadre.Date{}, false
	}
	d, err := roster.ParseDay(v)
	if err != nil {
		p.addProblem(field, label, roster.Describe(err, p.Lang))
		return cadre.Date{}, false
	}
	return d, true
}

// careVisit records a visit made (desk.RecordVisit).
func (s *Server) careVisit(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.title")
	keep(r, p, "visit_cadre", "visit_kind", "visit_on", "visit_by", "visit_notes", "for")
	c, ok := s.findCadre(r, p, "visit_cadre")
	on, dok := dateField(r, p, "visit_on", p.T("care.on"))
	kind, err := care.ParseVisitKind(r.PostFormValue("visit_kind"))
	if err != nil {
		p.addProblem("visit_kind", p.T("care.visitKind"), p.T("care.chooseKind"))
	}
	if !ok || !dok || err != nil {
		s.showCare(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	by, _ := uuid.Parse(r.PostFormValue("visit_by"))
	rec, err := desk.RecordVisit(r.Context(), s.rep, s.now(), desk.VisitInput{CadreID: c.ID, Kind: kind, On: on, By: by, Notes: r.PostFormValue("visit_notes")})
	if err != nil {
		s.careProblem(w, r, p, "visit_on", err)
		return
	}
	flash := p.T("care.visitDone", rec.Cadre.Name, rec.Visit.Kind.Label(p.Lang), rec.Visit.On)
	if len(rec.Satisfies) > 0 {
		var kinds []string
		for _, d := range rec.Satisfies {
			kinds = append(kinds, d.Due.Kind.Label(p.Lang))
		}
		flash += p.T("care.satisfies", strings.Join(kinds, p.T("list.comma")))
	}
	s.redirect(w, r, "/cadres/"+c.ID.String(), flash)
}

// careStay records an admission or a discharge.
func (s *Server) careStay(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.title")
	keep(r, p, "stay_cadre", "stay_on", "for")
	c, ok := s.findCadre(r, p, "stay_cadre")
	on, dok := dateField(r, p, "stay_on", p.T("care.on"))
	if !ok || !dok {
		s.showCare(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	in := desk.StayInput{CadreID: c.ID, On: on}
	var err error
	flash := p.T("care.admitted", c.Name, on)
	if r.PostFormValue("stay") == "discharge" {
		_, err = desk.DischargeFromHospital(r.Context(), s.rep, s.now(), in)
		flash = p.T("care.discharged", c.Name, on)
	} else {
		_, err = desk.AdmitToHospital(r.Context(), s.rep, s.now(), in)
	}
	if err != nil {
		s.careProblem(w, r, p, "stay_on", err)
		return
	}
	s.redirect(w, r, "/cadres/"+c.ID.String(), flash)
}

// careOpenHelp opens a help case.
func (s *Server) careOpenHelp(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "care", "care.title")
	keep(r, p, "help_cadre", "help_kind", "help_note", "help_urgent", "for")
	c, ok := s.findCadre(r, p, "help_cadre")
	kind, err := care.ParseHelpKind(r.PostFormValue("help_kind"))
	if err != nil {
		p.addProblem("help_kind", p.T("care.helpKind"), p.T("care.chooseKind"))
	}
	if !ok || err != nil {
		s.showCare(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	hc, err := desk.OpenHelpCase(r.Context(), s.rep, s.now(), desk.HelpOpening{CadreID: c.ID, Kind: kind, Urgent: r.PostFormValue("help_urgent") == "yes", Note: r.PostFormValue("help_note")})
	if err != nil {
		s.careProblem(w, r, p, "help_note", err)
		return
	}
	s.redirect(w, r, "/care#help", p.T("care.helpOpened", c.Name, hc.Kind.Label(p.Lang)))
}

// careActHelp records something done on a help case.
func (s *Server) careActHelp(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	p := s.newPage(r, "care", "care.title")
	if _, err := desk.ActOnHelpCase(r.Context(), s.rep, s.now(), desk.HelpAction{CaseID: id, Note: r.PostFormValue("note")}); err != nil {
		s.careProblem(w, r, p, "", err)
		return
	}
	s.redirect(w, r, "/care#help", p.T("care.acted"))
}

// careCloseHelp closes a help case.
func (s *Server) careCloseHelp(w http.ResponseWriter, r *http.Request) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	p := s.newPage(r, "care", "care.title")
	status := care.HelpResolved
	if r.PostFormValue("status") == string(care.HelpExplained) {
		status = care.HelpExplained
	}
	if _, err := desk.CloseHelpCase(r.Context(), s.rep, s.now(), desk.HelpClosing{CaseID: id, Status: status, Resolution: r.PostFormValue("resolution")}); err != nil {
		s.careProblem(w, r, p, "", err)
		return
	}
	s.redirect(w, r, "/care#help", p.T("care.closed"))
}

// careProblem shows a use case's refusal on the page, beside field.
func (s *Server) careProblem(w http.ResponseWriter, r *http.Request, p *page, field string, err error) {
	var ve *cadre.ValidationError
	var se *desk.StayError
	var he *desk.HelpCaseError
	text := ""
	switch {
	case errors.Is(err, desk.ErrFuture):
		text = p.T("care.future")
	case errors.As(err, &se):
		text = p.T("care.stay."+stayKey(se.Err), se.Stay.Admitted, se.Stay.Discharged)
	case errors.As(err, &he):
		text = p.T("care.help."+helpKey(he.Err), display.Time(he.Case.Opened, "-"))
	case errors.As(err, &ve):
		parts := []string{}
		for _, fe := range ve.Problems {
			parts = append(parts, fieldProblemText(p, fe))
		}
		text = strings.Join(parts, p.T("list.sep"))
	default:
		text = s.describe(err, p)
	}
	p.addProblem(field, "", text)
	s.showCare(w, r, p, http.StatusUnprocessableEntity)
}

// stayKey names a hospital stay's condition in the message table.
func stayKey(err error) string {
	switch {
	case errors.Is(err, desk.ErrStayOpen):
		return "open"
	case errors.Is(err, desk.ErrStayOverlap):
		return "overlap"
	case errors.Is(err, desk.ErrNoOpenStay):
		return "none"
	}
	return "before"
}

// helpKey names a help case's condition in the message table.
func helpKey(err error) string {
	switch {
	case errors.Is(err, desk.ErrCaseClosed):
		return "closed"
	case errors.Is(err, desk.ErrFuture):
		return "future"
	}
	return "before"
}
