package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func (s *Server) conflictRoutes() []route {
	return []route{
		{"GET /conflicts", s.conflictsPage},
		{"POST /conflicts/{id}", s.resolveConflict},
		{"GET /refused/{id}/fix", s.fixRefusedPage},
		{"POST /refused/{id}/fix", s.fixRefused},
		{"POST /refused/{id}/resend", s.resendRefused},
		{"POST /refused/{id}/discard", s.discardRefused},
	}
}

// conflictsView is the 冲突与退回 page.
type conflictsView struct {
	Conflicts []conflictView
	Refused   []refusedView
	// Resolved are the conflicts resolved already, when asked for.
	Resolved []conflictView
	All      bool
}

// conflictView is one conflict, its two sides as a clerk reads them.
type conflictView struct {
	C            syncsvc.Conflict
	Record       string
	CadreID      string
	Field        string
	Current      side
	Other        side
	Inputs       []valueInput
	ValueProblem string
}

// side is one value of a conflict: what it is, who wrote it and when.
type side struct {
	Value, Who, When string
}

// valueInput is one box of the value typed to settle a conflict; a field
// stored with others (an address with its position) has one per column.
type valueInput struct {
	Name, Label, Value string
}

// refusedView is one refused record as the page shows it.
type refusedView struct {
	desk.RefusedView
	What, Reason, Todo, Detail string
	At                         string
	Lines                      []string
	Ref                        string
	CanFix                     bool
}

func (s *Server) conflictsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.title")
	v, err := s.conflictsView(r, p, r.URL.Query().Get("all") != "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = v
	s.render(w, r, "conflicts", p)
}

func (s *Server) conflictsView(r *http.Request, p *page, all bool) (conflictsView, error) {
	ctx := r.Context()
	v := conflictsView{All: all}
	cs, err := s.rep.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: !all})
	if err != nil {
		return v, err
	}
	for _, c := range cs {
		cv := s.conflictOf(r, p, c)
		if c.Resolved {
			v.Resolved = append(v.Resolved, cv)
		} else {
			v.Conflicts = append(v.Conflicts, cv)
		}
	}
	recs, err := s.rep.RefusedRecords(ctx, false)
	if err != nil {
		return v, err
	}
	scopes, err := s.rep.OfficeScopes(ctx)
	if err != nil {
		return v, err
	}
	for _, rr := range recs {
		v.Refused = append(v.Refused, s.refusedOf(r, p, rr, scopes))
	}
	return v, nil
}

// conflictOf words a conflict.
func (s *Server) conflictOf(r *http.Request, p *page, c syncsvc.Conflict) conflictView {
	cv := conflictView{C: c, Record: wording.TableLabel(c.Table, p.Lang), Field: c.Field}
	if c.Table == store.CadresTable {
		cv.Field = p.Field(c.Field)
		if cd, err := s.rep.Cadre(r.Context(), c.RecordID); err == nil {
			cv.Record, cv.CadreID = cd.Name, cd.ID.String()
		}
	}
	sideOf := func(fc syncsvc.FieldChange) side {
		who := p.T("conflicts.elsewhere", fc.Stamp.Node.String()[:8])
		if fc.Stamp.Node == s.rep.Node() {
			who = p.T("conflicts.here")
		}
		return side{Value: wording.StoredValue(c.Table, c.Field, fc.Value, p.Lang), Who: who, When: timeText(fc.Stamp.Time())}
	}
	cv.Current, cv.Other = sideOf(c.Current), sideOf(c.Other)
	example := c.Current.Value
	if example == nil {
		example = c.Other.Value
	}
	if list, ok := example.([]any); ok {
		cols := registerLabels(c, p, len(list))
		for i := range list {
			cv.Inputs = append(cv.Inputs, valueInput{Name: "value_" + strconv.Itoa(i), Label: cols[i]})
		}
	} else {
		cv.Inputs = []valueInput{{Name: "value", Label: cv.Field}}
	}
	return cv
}

// registerLabels name the columns of a field stored with others.
func registerLabels(c syncsvc.Conflict, p *page, n int) []string {
	cols := map[string][]string{
		"id_number": {"id_number", "birth_date", "gender"}, "party": {"party", "party_joined_on"},
		"address": {"address", "lat", "lng"}, "status": {"status", "status_on"},
	}[c.Field]
	out := make([]string, n)
	for i := range out {
		out[i] = c.Field + " " + strconv.Itoa(i+1)
		if c.Table == store.CadresTable && i < len(cols) {
			out[i] = p.Field(cols[i])
		}
	}
	return out
}

// typedValue is the value typed to settle a conflict, as desk.ParseFieldValue
// reads it: the text, or, for a field stored with others, a JSON list of
// the columns (numbers where the stored value has numbers).
func typedValue(r *http.Request, c syncsvc.Conflict) string {
	example := c.Current.Value
	if example == nil {
		example = c.Other.Value
	}
	list, ok := example.([]any)
	if !ok {
		return strings.TrimSpace(r.PostFormValue("value"))
	}
	out := make([]json.RawMessage, len(list))
	for i, e := range list {
		v := strings.TrimSpace(r.PostFormValue("value_" + strconv.Itoa(i)))
		switch e.(type) {
		case float64, int64:
			if _, err := strconv.ParseFloat(v, 64); err == nil {
				out[i] = json.RawMessage(v)
				continue
			}
		}
		if v == "" {
			out[i] = json.RawMessage("null")
			continue
		}
		b, _ := json.Marshal(v)
		out[i] = b
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// resolveConflict keeps one side of a conflict, or the value typed.
func (s *Server) resolveConflict(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "conflicts", "conflicts.title")
	c, err := desk.FindConflict(ctx, s.rep, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	in := desk.ConflictResolution{Conflict: c}
	switch r.PostFormValue("keep") {
	case "current":
		in.Keep = syncsvc.KeepCurrent
	case "other":
		in.Keep = syncsvc.KeepOther
	default:
		in.Keep, in.Value = syncsvc.KeepValue, typedValue(r, c)
	}
	err = desk.ResolveConflict(ctx, s.rep, in)
	var ve *desk.ValueError
	switch {
	case errors.As(err, &ve):
		v, verr := s.conflictsView(r, p, false)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		for i := range v.Conflicts {
			if v.Conflicts[i].C.ID == c.ID {
				v.Conflicts[i].ValueProblem = wording.Error(ve.Err, p.Lang)
				for j := range v.Conflicts[i].Inputs {
					v.Conflicts[i].Inputs[j].Value = r.PostFormValue(v.Conflicts[i].Inputs[j].Name)
				}
				p.addProblem("value-"+c.ID.String(), v.Conflicts[i].Field, v.Conflicts[i].ValueProblem)
			}
		}
		p.Data = v
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "conflicts", p)
		return
	case errors.Is(err, syncsvc.ErrConflictResolved):
		s.redirect(w, r, "/conflicts", p.T("conflicts.already"))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("conflicts.resolved"))
}

// refusedOf words a refused record: what it is, why, and what to do with
// the page's own buttons.
func (s *Server) refusedOf(r *http.Request, p *page, rr syncsvc.RefusedRecord, scopes []string) refusedView {
	v := desk.DescribeRefused(r.Context(), s.rep, rr, scopes, s.now())
	latest := rr.Latest()
	out := refusedView{RefusedView: v, Detail: latest.Reason, At: timeText(latest.At), Ref: rr.ID.String()}
	label := wording.TableLabel(rr.Table, p.Lang)
	switch {
	case rr.Table == store.CadresTable && v.Name != "":
		out.What = label + " " + v.Name
	case v.Name != "" && v.When != "":
		out.What = p.T("refused.whatOn", v.Name, label, v.When)
	case v.Name != "":
		out.What = p.T("refused.whatOf", v.Name, label)
	default:
		out.What = label + " " + rr.ID.String()[:8]
	}
	if c := v.Cadre; c != nil {
		for _, f := range desk.CadreFields {
			if val := wording.CadreValue(c, f, p.Lang, false); val != "" && val != "-" && val != cadre.Unknown(p.Lang) {
				out.Lines = append(out.Lines, p.Field(f)+p.T("label.sep")+val)
			}
		}
	}
	out.CanFix = v.Cadre != nil && rr.State == syncsvc.RefusalOpen
	switch v.Kind {
	case desk.RefusalGone:
		out.Reason, out.Todo = p.T("refused.gone"), p.T("refused.gone.todo")
	case desk.RefusalOutsideOffice:
		out.Reason = p.T("refused.outside", v.Community, strings.Join(scopes, p.T("list.comma")))
		out.Todo = p.T("refused.outside.todo")
	case desk.RefusalUnregisteredCommunity:
		out.Reason, out.Todo = p.T("refused.unregistered", v.Community), p.T("refused.unregistered.todo")
	case desk.RefusalCadreElsewhere:
		out.Reason, out.Todo = p.T("refused.elsewhere"), p.T("refused.elsewhere.todo")
	case desk.RefusalMovedAway:
		out.Reason, out.Todo = p.T("refused.moved"), p.T("refused.moved.todo")
	case desk.RefusalUnknownType:
		out.Reason, out.Todo = p.T("refused.unknown"), p.T("refused.unknown.todo")
	case desk.RefusalClock:
		out.Reason, out.Todo = p.T("refused.clock"), p.T("refused.clock.todo")
	default:
		out.Reason, out.Todo = p.T("refused.invalid"), p.T("refused.invalid.todo")
		if len(v.Problems) > 0 {
			parts := make([]string, len(v.Problems))
			for i, fe := range v.Problems {
				parts[i] = fieldProblemText(p, fe)
			}
			out.Reason += p.T("label.sep") + strings.Join(parts, p.T("list.sep"))
		}
	}
	return out
}

// refusedRecord is the refused record an address names.
func (s *Server) refusedRecord(w http.ResponseWriter, r *http.Request) (syncsvc.RefusedRecord, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err == nil {
		if rr, err := desk.FindRefused(r.Context(), s.rep, id.String()); err == nil {
			return rr, true
		}
	}
	s.notFound(w, r)
	return syncsvc.RefusedRecord{}, false
}

// fixRefusedView is the form that corrects a refused cadre.
type fixRefusedView struct {
	Refused refusedView
	Form    cadreFormView
}

func (s *Server) fixRefusedPage(w http.ResponseWriter, r *http.Request) {
	rr, ok := s.refusedRecord(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "conflicts", "refused.fixTitle")
	c, err := s.rep.Cadre(r.Context(), rr.ID)
	if err != nil {
		s.notFound(w, r)
		return
	}
	p.Form.Values = formOfCadre(c)
	s.showFix(w, r, p, rr, http.StatusOK)
}

func (s *Server) showFix(w http.ResponseWriter, r *http.Request, p *page, rr syncsvc.RefusedRecord, status int) {
	scopes, _ := s.rep.OfficeScopes(r.Context())
	p.Data = fixRefusedView{Refused: s.refusedOf(r, p, rr, scopes), Form: cadreFormView{Groups: s.buildCadreForm(r.Context(), p),
		Action: "/refused/" + rr.ID.String() + "/fix", Submit: p.T("refused.fixSubmit")}}
	s.renderStatus(w, r, status, "refusedfix", p)
}

// fixRefused corrects a refused cadre and writes it again for the next
// sync (desk.FixRefusedCadre).
func (s *Server) fixRefused(w http.ResponseWriter, r *http.Request) {
	rr, ok := s.refusedRecord(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "conflicts", "refused.fixTitle")
	in, ok := s.readCadreForm(r, p, true)
	if !ok {
		s.showFix(w, r, p, rr, http.StatusUnprocessableEntity)
		return
	}
	fixed, err := desk.FixRefusedCadre(r.Context(), s.rep, rr, in)
	if err != nil {
		s.showSaveError(p, err)
		s.showFix(w, r, p, rr, http.StatusUnprocessableEntity)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("refused.fixed", fixed.Cadre.Name))
}

// resendRefused writes a refused record again as it is.
func (s *Server) resendRefused(w http.ResponseWriter, r *http.Request) {
	rr, ok := s.refusedRecord(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "conflicts", "conflicts.title")
	if _, err := desk.ResendRefused(r.Context(), s.rep, rr); err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("refused.resent"))
}

// discardRefused gives a refused record up, with the reason typed.
func (s *Server) discardRefused(w http.ResponseWriter, r *http.Request) {
	rr, ok := s.refusedRecord(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "conflicts", "conflicts.title")
	_, err := desk.DiscardRefused(r.Context(), s.rep, rr, r.PostFormValue("reason"))
	if errors.Is(err, desk.ErrReasonRequired) {
		v, verr := s.conflictsView(r, p, false)
		if verr != nil {
			s.fail(w, r, verr)
			return
		}
		p.addProblem("reason-"+rr.ID.String(), p.T("refused.reason"), p.T("refused.reasonRequired"))
		p.Data = v
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "conflicts", p)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("refused.discarded"))
}

// timeText is an instant as the desk shows it, in Shanghai time.
func timeText(t time.Time) string { return display.Time(t, "-") }
