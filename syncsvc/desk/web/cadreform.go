package web

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// The kinds of input of the cadre form.
const (
	kindText   = "text"
	kindID     = "id"
	kindDate   = "date"
	kindChoice = "choice"
	kindYesNo  = "yesno"
	kindMoney  = "money"
	kindCoord  = "coord"
)

// fieldSpec is one field of the cadre form.
type fieldSpec struct {
	key      string
	kind     string
	required bool
	// hint is the message key of the hint under the label, "" for none.
	hint    string
	choices func() []cadre.Label
}

// fieldGroupSpec is one fieldset of the cadre form.
type fieldGroupSpec struct {
	legend string
	fields []fieldSpec
}

// cadreForm is the cadre form: every field of the contract, grouped as a
// clerk fills them in.
var cadreForm = []fieldGroupSpec{
	{"form.group.person", []fieldSpec{
		{key: "name", kind: kindText, required: true},
		{key: "id_number", kind: kindID, required: true, hint: "form.hint.id"},
		{key: "birth_date", kind: kindDate, hint: "form.hint.fromID"},
		{key: "gender", kind: kindChoice, hint: "form.hint.fromID", choices: cadre.GenderLabels},
		{key: "community", kind: kindChoice, required: true},
	}},
	{"form.group.retired", []fieldSpec{
		{key: "category", kind: kindChoice, choices: cadre.CategoryLabels},
		{key: "retired_on", kind: kindDate, hint: "form.hint.month"},
		{key: "rank", kind: kindChoice, choices: cadre.RankLabels},
		{key: "original_unit", kind: kindText},
		{key: "pension_fen", kind: kindMoney, hint: "form.hint.yuan"},
	}},
	{"form.group.party", []fieldSpec{
		{key: "party", kind: kindChoice, choices: cadre.PartyLabels},
		{key: "party_joined_on", kind: kindDate, hint: "form.hint.month"},
	}},
	{"form.group.life", []fieldSpec{
		{key: "health", kind: kindChoice, choices: cadre.HealthLabels},
		{key: "living", kind: kindChoice, choices: cadre.LivingLabels},
		{key: "children_nearby", kind: kindYesNo},
		{key: "living_difficulty", kind: kindYesNo},
	}},
	{"form.group.contact", []fieldSpec{
		{key: "address", kind: kindText},
		{key: "phone", kind: kindText},
		{key: "emergency_contact", kind: kindText},
		{key: "lat", kind: kindCoord, hint: "form.hint.coord"},
		{key: "lng", kind: kindCoord},
	}},
	{"form.group.status", []fieldSpec{
		{key: "status", kind: kindChoice, choices: cadre.StatusLabels},
		{key: "status_on", kind: kindDate, hint: "form.hint.statusOn"},
	}},
}

// formFields are the keys of every field of the cadre form.
func formFields() []string {
	var out []string
	for _, g := range cadreForm {
		for _, f := range g.fields {
			out = append(out, f.key)
		}
	}
	return out
}

// formField is one field of the cadre form as a page shows it.
type formField struct {
	Key, Kind, Label, Hint, Value, Error string
	Required                             bool
	// Choices are a choice's options, the first 未填 unless required.
	Choices []choice
}

// choice is one option of a choice.
type choice struct {
	Value, Label string
	Selected     bool
}

// formGroup is one fieldset as a page shows it.
type formGroup struct {
	Legend string
	Fields []formField
}

// cadreFormView is the cadre form with what was typed and its problems.
type cadreFormView struct {
	Groups []formGroup
	// Action is where the form is sent; Submit the button's words.
	Action, Submit string
	// Cadre is the record edited; nil when registering.
	Cadre *cadre.Cadre
}

// buildCadreForm lays the cadre form out with what p.Form holds.
func (s *Server) buildCadreForm(ctx context.Context, p *page) []formGroup {
	communities := s.communityChoices(ctx, p)
	groups := make([]formGroup, 0, len(cadreForm))
	for _, g := range cadreForm {
		fg := formGroup{Legend: p.T(g.legend)}
		for _, f := range g.fields {
			ff := formField{Key: f.key, Kind: f.kind, Label: p.Field(f.key), Value: p.Form.Get(f.key),
				Error: p.Form.Err(f.key), Required: f.required}
			if f.key == "pension_fen" {
				ff.Label = p.T("form.pension")
			}
			if f.hint != "" {
				ff.Hint = p.T(f.hint)
			}
			switch {
			case f.key == "community":
				ff.Choices = withSelected(communities, ff.Value)
			case f.kind == kindYesNo:
				ff.Choices = withSelected([]choice{{Value: "false", Label: cadre.BoolLabel(false, p.Lang)}, {Value: "true", Label: cadre.BoolLabel(true, p.Lang)}}, ff.Value)
			case f.choices != nil:
				var cs []choice
				if f.key != "status" {
					cs = append(cs, choice{Value: "", Label: cadre.Unknown(p.Lang)})
				}
				for _, l := range f.choices() {
					label := l.Zh
					if p.Lang == cadre.English {
						label = l.En
					}
					cs = append(cs, choice{Value: l.Code, Label: label})
				}
				ff.Choices = withSelected(cs, ff.Value)
			}
			fg.Fields = append(fg.Fields, ff)
		}
		groups = append(groups, fg)
	}
	return groups
}

// withSelected marks the choice whose value is v; a value no choice has
// (a community the office no longer covers) is added, so that nothing
// typed is lost.
func withSelected(cs []choice, v string) []choice {
	out := slices.Clone(cs)
	found := false
	for i := range out {
		if out[i].Value == v {
			out[i].Selected, found = true, true
		}
	}
	if !found && v != "" {
		out = append(out, choice{Value: v, Label: v, Selected: true})
	}
	return out
}

// communityChoices are the communities this office covers, by name.
func (s *Server) communityChoices(ctx context.Context, p *page) []choice {
	scopes, _ := s.rep.OfficeScopes(ctx)
	names, _ := desk.CommunityNames(ctx, s.rep)
	var out []choice
	for _, code := range scopes {
		if cadre.ValidateCommunityCode(code) != nil {
			continue // a joint branch's scope set is no community
		}
		label := code
		if n := names[code]; n != "" && n != code {
			label = n + "（" + code + "）"
			if p.Lang == cadre.English {
				label = n + " (" + code + ")"
			}
		}
		out = append(out, choice{Value: code, Label: label})
	}
	if len(out) != 1 {
		out = append([]choice{{Value: "", Label: p.T("form.chooseCommunity")}}, out...)
	}
	return out
}

// formOfCadre is a stored cadre as the form shows it, each field as one
// would type it.
func formOfCadre(c cadre.Cadre) map[string]string {
	date := func(d cadre.Date) string {
		if d.IsZero() {
			return ""
		}
		return d.String()
	}
	v := map[string]string{
		"name": c.Name, "id_number": c.IDNumber, "birth_date": date(c.BirthDate), "gender": string(c.Gender),
		"community": c.Community, "category": string(c.Category), "retired_on": date(c.RetiredOn), "rank": string(c.Rank),
		"original_unit": c.OriginalUnit, "party": string(c.Party), "party_joined_on": date(c.PartyJoinedOn),
		"health": string(c.Health), "living": string(c.Living), "children_nearby": strconv.FormatBool(c.ChildrenNearby),
		"living_difficulty": strconv.FormatBool(c.Difficulty), "address": c.Address, "phone": c.Phone,
		"emergency_contact": c.EmergencyContact, "status": string(c.Status), "status_on": date(c.StatusOn),
	}
	if c.PensionFen != 0 {
		v["pension_fen"] = cadre.FormatYuan(c.PensionFen)
	}
	if c.Location != nil {
		v["lat"] = strconv.FormatFloat(c.Location.Lat, 'f', -1, 64)
		v["lng"] = strconv.FormatFloat(c.Location.Lng, 'f', -1, 64)
	}
	return v
}

// readCadreForm reads the cadre form as sent: what was typed goes into
// p.Form, to be shown again whatever happens, and each problem beside its
// field and in the summary. It returns the input for the desk's use case,
// setting every field of the form when all is set (an edit, where an
// empty field clears it), else the fields filled in; ok is false when
// there were problems.
func (s *Server) readCadreForm(r *http.Request, p *page, all bool) (desk.CadreInput, bool) {
	cells := map[string]string{}
	for _, f := range formFields() {
		v := r.PostFormValue(f)
		p.Form.Values[f] = v
		cells[f] = v
	}
	c, given, problems := roster.ReadForm(cells, s.now())
	for _, fe := range problems {
		p.addFieldError(fe)
	}
	in := desk.CadreInput{Values: c, Set: given}
	if all {
		in.Set = formFields()
	}
	return in, len(problems) == 0
}

// addFieldError puts a field's problem beside it and in the summary; a
// problem of the position goes beside the latitude.
func (p *page) addFieldError(fe *cadre.FieldError) {
	field := fe.Field
	if field == "location" {
		field = "lat"
	}
	p.addProblem(field, p.Field(fe.Field), fe.Message(p.Lang))
}

// showSaveError words a use case's refusal of a cadre on the form: each
// field's problem beside it, anything else in the summary.
// An ID number registered already is shown beside the ID number, with a
// link to that record.
func (s *Server) showSaveError(p *page, err error) (existing string) {
	var ve *cadre.ValidationError
	var dup *syncsvc.DuplicateError
	switch {
	case errors.As(err, &ve):
		for _, fe := range desk.WithoutDerived(ve.Problems) {
			p.addFieldError(fe)
		}
	case errors.As(err, &dup):
		p.addProblem("id_number", p.Field("id_number"), p.T("form.duplicate"))
		return dup.ExistingID.String()
	default:
		p.addProblem("", "", s.describe(err, p))
	}
	return ""
}

// trimmed is a form value without the spaces around it.
func trimmed(r *http.Request, key string) string { return strings.TrimSpace(r.PostFormValue(key)) }
