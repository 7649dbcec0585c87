package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func (s *Server) conflictsRoutes() []route {
	return []route{
		{"GET /conflicts", s.conflictsPage},
		{"POST /conflicts/{id}", s.resolveConflict},
		{"GET /conflicts/refused/{id}", s.fixRefusedForm},
		{"POST /conflicts/refused/{id}/fix", s.fixRefused},
		{"POST /conflicts/refused/{id}/resend", s.resendRefused},
		{"POST /conflicts/refused/{id}/discard", s.discardRefused},
	}
}

// conflictSide is one of a conflict's two values as the page shows it.
type conflictSide struct {
	// Keep is the button's value: current or other.
	Keep  string
	Value string
	At    time.Time
	// Here is set when this computer wrote it; Node names the computer
	// that did otherwise.
	Here bool
	Node string
}

// conflictItem is one conflict as the page shows it.
type conflictItem struct {
	ID         uuid.UUID
	Table      string
	RecordID   uuid.UUID
	What       string
	Name       string
	Field      string
	Sides      [2]conflictSide
	Typed      string
	Resolved   bool
	ResolvedAt time.Time
	Detected   time.Time
}

// refusedField is one field of a refused record as the page shows it.
type refusedField struct {
	Name, Value string
}

// refusedItem is one refused record as the page shows it.
type refusedItem struct {
	desk.RefusedView
	ID     uuid.UUID
	What   string
	Reason string
	Todo   string
	Open   bool
	// Fixable: a cadre whose fields the page corrects; else it is sent
	// again as it is.
	Fixable, Resendable bool
	Fields              []refusedField
}

// conflictsView is the 冲突与退回 page.
type conflictsView struct {
	All       bool
	Conflicts []conflictItem
	Refused   []refusedItem
	Sync      syncPanelView
}

func (s *Server) conflictsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.title")
	s.renderConflicts(w, r, p, http.StatusOK)
}

// renderConflicts shows the page with p's problems and what was typed.
func (s *Server) renderConflicts(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	all := r.URL.Query().Get("all") == "1"
	v := conflictsView{All: all}
	cs, err := desk.ListConflicts(ctx, s.rep, all)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range cs {
		v.Conflicts = append(v.Conflicts, conflictOf(p, c))
	}
	refused, err := desk.ListRefused(ctx, s.rep, all, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, rv := range refused {
		v.Refused = append(v.Refused, refusedOf(p, rv))
	}
	if v.Sync, err = s.syncView(ctx, p); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = v
	s.renderStatus(w, r, status, "conflicts", p)
}

// conflictOf is a conflict as the page shows it.
func conflictOf(p *page, v desk.ConflictView) conflictItem {
	c := v.Conflict
	it := conflictItem{ID: c.ID, Table: c.Table, RecordID: c.RecordID, Name: v.Name, Field: c.Field, Resolved: c.Resolved,
		ResolvedAt: c.ResolvedAt, Detected: c.DetectedAt, What: wording.TableName(c.Table, p.Lang)}
	if c.Table == store.CadresTable {
		if name := wording.FieldName(c.Field, p.Lang); name != "" {
			it.Field = name
		}
	}
	side := func(keep string, fc syncsvc.FieldChange, here bool) conflictSide {
		// A node's id begins with the time it was made: its end tells
		// two computers apart.
		node := fc.Stamp.Node.String()
		return conflictSide{Keep: keep, Value: wording.StoredValue(c.Table, c.Field, fc.Value, p.Lang), At: fc.Stamp.Time(), Here: here, Node: node[max(0, len(node)-8):]}
	}
	it.Sides = [2]conflictSide{side("current", c.Current, v.CurrentHere), side("other", c.Other, v.OtherHere)}
	it.Typed = typedValue(c)
	return it
}

// typedValue is the current value as one would type another in its place:
// a list as JSON, a cadre's enumeration by its label, the pension in
// yuan; "" for the ID number, which is never shown whole.
func typedValue(c syncsvc.Conflict) string {
	switch v := c.Current.Value.(type) {
	case nil:
		return ""
	case []any:
		if c.Field == "id_number" {
			return ""
		}
		b, _ := json.Marshal(v)
		return string(b)
	}
	return wording.StoredValue(c.Table, c.Field, c.Current.Value, cadre.Chinese)
}

// refusedOf is a refused record as the page shows it: what it is, why,
// and what to do with the buttons the page offers.
func refusedOf(p *page, v desk.RefusedView) refusedItem {
	rr := v.Refused
	it := refusedItem{RefusedView: v, ID: rr.ID, Open: rr.State == syncsvc.RefusalOpen}
	label := wording.TableName(rr.Table, p.Lang)
	switch {
	case rr.Table == store.CadresTable:
		it.What = label + " " + v.Name
	case v.Name != "" && v.On != "":
		it.What = p.T("conflicts.whatOf", v.Name, label, v.On)
	case v.Name != "":
		it.What = p.T("conflicts.whatOfNoDate", v.Name, label)
	default:
		it.What = label + " " + rr.ID.String()[:8]
	}
	isCadre := rr.Table == store.CadresTable
	switch v.Cause {
	case desk.CauseNotHeld:
		it.Reason, it.Todo = p.T("conflicts.cause.notHeld"), p.T("conflicts.todo.notHeld")
	case desk.CauseOutsideOffice:
		it.Reason = p.T("conflicts.cause.outside", v.Community, strings.Join(v.Scopes, p.T("list.sep")))
		it.Todo, it.Fixable = p.T("conflicts.todo.fixCommunity"), isCadre
		it.Resendable = !isCadre
	case desk.CauseCadreElsewhere:
		it.Reason, it.Todo, it.Resendable = p.T("conflicts.cause.elsewhere"), p.T("conflicts.todo.elsewhere"), true
	case desk.CauseMovedAway:
		it.Reason, it.Todo, it.Resendable = p.T("conflicts.cause.movedAway"), p.T("conflicts.todo.movedAway"), true
	case desk.CauseUnknownType:
		it.Reason, it.Todo, it.Resendable = p.T("conflicts.cause.unknownType"), p.T("conflicts.todo.unknownType"), true
	case desk.CauseSkew:
		it.Reason, it.Todo, it.Resendable = p.T("conflicts.cause.skew"), p.T("conflicts.todo.skew"), true
	default:
		it.Reason = p.T("conflicts.cause.invalid")
		var parts []string
		for _, fe := range v.Problems {
			parts = append(parts, fieldProblemText(p, fe))
		}
		if len(parts) > 0 {
			it.Reason += p.T("label.sep") + strings.Join(parts, p.T("list.sep"))
		}
		if isCadre {
			it.Todo, it.Fixable = p.T("conflicts.todo.fix"), true
		} else {
			it.Todo, it.Resendable = p.T("conflicts.todo.resend"), true
		}
	}
	if c := v.Cadre; c != nil {
		for _, f := range desk.CadreFields {
			if x := wording.CadreValue(c, f, p.Lang, false); x != "" && x != "-" {
				it.Fields = append(it.Fields, refusedField{Name: wording.FieldName(f, p.Lang), Value: x})
			}
		}
		return it
	}
	keys := make([]string, 0, len(v.Fields))
	for k := range v.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if x := wording.StoredValue(rr.Table, k, v.Fields[k], p.Lang); x != "" && x != "-" {
			it.Fields = append(it.Fields, refusedField{Name: k, Value: x})
		}
	}
	return it
}

func (s *Server) resolveConflict(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.title")
	c, err := desk.FindConflict(r.Context(), s.rep, r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	keep, value := syncsvc.KeepValue, r.PostFormValue("value")
	switch r.PostFormValue("keep") {
	case "current":
		keep = syncsvc.KeepCurrent
	case "other":
		keep = syncsvc.KeepOther
	}
	field := "value_" + c.ID.String()
	err = desk.ResolveConflict(r.Context(), s.rep, desk.ConflictResolution{Conflict: c, Keep: keep, Value: value})
	var ve *desk.ValueError
	switch {
	case errors.As(err, &ve):
		keepTyped(p, r)
		p.Form.Values[field] = value
		p.addProblem(field, p.T("conflicts.another"), p.T("conflicts.valueBad", wording.Error(ve.Err, p.Lang)))
		s.renderConflicts(w, r, p, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, syncsvc.ErrConflictResolved):
		s.redirect(w, r, "/conflicts", p.T("conflicts.resolvedAlready"))
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("conflicts.resolved"))
}

// refusedOfAddress reads the refused record the address names, or
// answers 404.
func (s *Server) refusedOfAddress(w http.ResponseWriter, r *http.Request) (syncsvc.RefusedRecord, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return syncsvc.RefusedRecord{}, false
	}
	rr, err := desk.FindRefused(r.Context(), s.rep, id.String())
	if err != nil {
		s.notFound(w, r)
		return syncsvc.RefusedRecord{}, false
	}
	return rr, true
}

// fixView is the form that corrects a refused cadre.
type fixView struct {
	Item refusedItem
	Form cadreFormView
}

func (s *Server) fixForm(r *http.Request, p *page, rr syncsvc.RefusedRecord) (*fixView, error) {
	scopes, err := s.rep.OfficeScopes(r.Context())
	if err != nil {
		return nil, err
	}
	v := &fixView{Item: refusedOf(p, desk.DescribeRefused(r.Context(), s.rep, rr, scopes, s.now()))}
	p.Data = v
	return v, nil
}

func (s *Server) fixRefusedForm(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.fix.title")
	rr, ok := s.refusedOfAddress(w, r)
	if !ok {
		return
	}
	v, err := s.fixForm(r, p, rr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if v.Item.Cadre == nil || !v.Item.Open {
		http.Redirect(w, r, "/conflicts", http.StatusSeeOther)
		return
	}
	p.Form.Values = formOfCadre(*v.Item.Cadre)
	v.Form = cadreFormView{Groups: s.buildCadreForm(r.Context(), p), Action: "/conflicts/refused/" + rr.ID.String() + "/fix", Submit: p.T("conflicts.fix.submit"), Cadre: v.Item.Cadre}
	s.render(w, r, "conflicts_fix", p)
}

func (s *Server) fixRefused(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.fix.title")
	rr, ok := s.refusedOfAddress(w, r)
	if !ok {
		return
	}
	v, err := s.fixForm(r, p, rr)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	in, ok := s.readCadreForm(r, p, true)
	if ok {
		fixed, err := desk.FixRefusedCadre(r.Context(), s.rep, rr, in)
		switch {
		case err == nil:
			s.redirect(w, r, "/conflicts", p.T("conflicts.fix.done", fixed.Cadre.Name, fixed.Resubmit.Fields))
			return
		case errors.Is(err, syncsvc.ErrNotRefused):
			s.redirect(w, r, "/conflicts", p.T("conflicts.settledAlready"))
			return
		}
		s.showSaveError(p, err)
	}
	v.Form = cadreFormView{Groups: s.buildCadreForm(r.Context(), p), Action: "/conflicts/refused/" + rr.ID.String() + "/fix", Submit: p.T("conflicts.fix.submit"), Cadre: v.Item.Cadre}
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "conflicts_fix", p)
}

// settleProblem words a resend or discard that cannot be done.
func settleProblem(p *page, err error) string {
	switch {
	case errors.Is(err, syncsvc.ErrNotRefused):
		return p.T("conflicts.settledAlready")
	case errors.Is(err, syncsvc.ErrRefusedPending):
		return p.T("conflicts.pending")
	case errors.Is(err, syncsvc.ErrNotFound):
		return p.T("conflicts.notHeld")
	}
	return ""
}

func (s *Server) resendRefused(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.title")
	rr, ok := s.refusedOfAddress(w, r)
	if !ok {
		return
	}
	res, err := desk.ResendRefused(r.Context(), s.rep, rr)
	if err != nil {
		if text := settleProblem(p, err); text != "" {
			p.addProblem("", "", text)
			s.renderConflicts(w, r, p, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/conflicts", p.T("conflicts.resent", res.Fields))
}

func (s *Server) discardRefused(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "conflicts", "conflicts.title")
	rr, ok := s.refusedOfAddress(w, r)
	if !ok {
		return
	}
	field := "reason_" + rr.ID.String()
	res, err := desk.DiscardRefused(r.Context(), s.rep, rr, r.PostFormValue("reason"))
	switch {
	case errors.Is(err, desk.ErrReasonRequired):
		p.addProblem(field, p.T("conflicts.discard.reason"), p.T("error.reason"))
	case err != nil:
		text := settleProblem(p, err)
		if text == "" {
			s.fail(w, r, err)
			return
		}
		p.addProblem("", "", text)
	default:
		flash := p.T("conflicts.discarded", res.Dropped)
		if res.Refetch {
			flash += p.T("conflicts.refetch")
		}
		s.redirect(w, r, "/conflicts", flash)
		return
	}
	keepTyped(p, r)
	p.Form.Values[field] = r.PostFormValue("reason")
	s.renderConflicts(w, r, p, http.StatusUnprocessableEntity)
}
