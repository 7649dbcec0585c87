package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// pickLimit is how many cadres a picker offers when what was typed names
// no one alone.
const pickLimit = 12

// cadrePick is the cadre field of a form: a text box for a name, pinyin
// initials or an ID number (sent by POST, never in an address) and, when
// what was typed named more than one cadre or none exactly, the cadres it
// may mean, to choose from (radio buttons named Field+"_id").
type cadrePick struct {
	Field, Label string
	// Choices are the cadres offered; Chosen is the one checked.
	Choices []desk.Match
	Chosen  uuid.UUID
}

// IDField is the name of a picker's radio buttons.
func (c cadrePick) IDField() string { return c.Field + "_id" }

// Checked reports whether the choice id is the one checked.
func (c cadrePick) Checked(id uuid.UUID) bool { return id == c.Chosen }

// keepTyped keeps what the reader typed in a form, to show it again with
// its problems; the token is not kept.
func keepTyped(p *page, r *http.Request) {
	for k, vs := range r.PostForm {
		if k != tokenField && len(vs) > 0 {
			p.Form.Values[k] = vs[0]
		}
	}
}

// prefillCadre checks the cadre an address names (?cadre=ID, a record id)
// in the form's picker, so that a link from a cadre's line opens the form
// for that cadre.
func (s *Server) prefillCadre(r *http.Request, p *page, pick *cadrePick) {
	id, err := uuid.Parse(r.URL.Query().Get(pick.Field))
	if err != nil {
		return
	}
	if m, err := desk.Resolve(r.Context(), s.rep, desk.KindCadre, id.String()); err == nil {
		pick.Choices, pick.Chosen = []desk.Match{m}, m.ID
	}
}

// pickCadre reads the cadre a form names: what was typed in the text box,
// else the choice checked. When that names no single cadre, it puts the
// problem beside the field and the cadres it may mean in pick, and
// reports false.
func (s *Server) pickCadre(r *http.Request, p *page, pick *cadrePick) (cadre.Cadre, bool) {
	ctx := r.Context()
	typed := strings.TrimSpace(r.PostFormValue(pick.Field))
	ref := typed
	if ref == "" {
		ref = r.PostFormValue(pick.IDField())
	}
	if ref == "" {
		p.addProblem(pick.Field, pick.Label, p.T("pick.missing"))
		return cadre.Cadre{}, false
	}
	m, err := desk.Resolve(ctx, s.rep, desk.KindCadre, ref)
	if err == nil {
		c, err := s.rep.Cadre(ctx, m.ID)
		if err == nil {
			pick.Choices, pick.Chosen = []desk.Match{m}, m.ID
			return c, true
		}
		p.addProblem(pick.Field, pick.Label, s.describe(err, p))
		return cadre.Cadre{}, false
	}
	var re *desk.RefError
	if !errors.As(err, &re) {
		p.addProblem(pick.Field, pick.Label, s.describe(err, p))
		return cadre.Cadre{}, false
	}
	// Nothing typed alone names one cadre: offer those it may mean, and
	// clear the box so that the choice made is what is sent.
	p.Form.Values[pick.Field] = ""
	if errors.Is(err, syncsvc.ErrAmbiguous) && len(re.Candidates) > 0 {
		pick.Choices = re.Candidates
		p.addProblem(pick.Field, pick.Label, p.T("pick.several", len(re.Candidates), typed))
		return cadre.Cadre{}, false
	}
	found, err := desk.SearchCadres(ctx, s.rep, typed, pickLimit)
	if err != nil {
		p.addProblem(pick.Field, pick.Label, s.describe(err, p))
		return cadre.Cadre{}, false
	}
	for _, c := range found.Cadres {
		pick.Choices = append(pick.Choices, desk.Match{ID: c.ID, Name: c.Name, Community: c.Community, BirthYear: c.BirthDate.Year,
			MaskedIDNumber: cadre.MaskIDNumber(c.IDNumber)})
	}
	switch {
	case len(pick.Choices) == 0:
		p.Form.Values[pick.Field] = typed
		p.addProblem(pick.Field, pick.Label, p.T("pick.none", typed))
	case found.Partial():
		p.addProblem(pick.Field, pick.Label, p.T("pick.many", found.Total, typed, len(pick.Choices)))
	default:
		p.addProblem(pick.Field, pick.Label, p.T("pick.choose", typed))
	}
	return cadre.Cadre{}, false
}

// formDate reads a date field; a field left empty is today when
// defaultToday is set. A date that cannot be read is put beside the field.
func (s *Server) formDate(r *http.Request, p *page, field, label string, defaultToday bool) (cadre.Date, bool) {
	v := strings.TrimSpace(r.PostFormValue(field))
	if v == "" && defaultToday {
		return s.today(), true
	}
	if v == "" {
		p.addProblem(field, label, p.T("pick.dateMissing"))
		return cadre.Date{}, false
	}
	d, err := cadre.ParseDate(v)
	if err != nil {
		p.addProblem(field, label, p.T("pick.dateBad", v))
		return cadre.Date{}, false
	}
	return d, true
}
