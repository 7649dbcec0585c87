package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// pageSize is how many cadres a list shows at once.
const pageSize = 50

func (s *Server) cadreRoutes() []route {
	return []route{
		{"GET /cadres", s.cadreList},
		{"POST /cadres", s.cadreSearch},
		{"GET /cadres/{id}", s.cadrePage},
		{"GET /cadres/{id}/edit", s.cadreEditPage},
		{"POST /cadres/{id}/edit", s.cadreEdit},
	}
}

// listQuery is what a list of cadres is asked for: the text searched (by
// POST when it holds a digit, so that no ID number is put in an address)
// and the filters.
type listQuery struct {
	Text, Community, Category, Status, Tier string
	Page                                    int
}

// hasDigit reports whether a search text may be part of an ID number:
// digits (with an X, and spaces between them), full-width or not.
func hasDigit(s string) bool {
	s = cadre.NormalizeIDNumber(s)
	return strings.ContainsFunc(s, unicode.IsDigit) && !strings.ContainsFunc(s, func(r rune) bool { return !unicode.IsDigit(r) && r != 'X' })
}

func queryOf(get func(string) string) listQuery {
	q := listQuery{Text: strings.TrimSpace(get("q")), Community: get("community"), Category: get("category"), Status: get("status"), Tier: get("tier")}
	q.Page, _ = strconv.Atoi(get("page"))
	q.Page = max(q.Page, 1)
	return q
}

// url is the list's address for the query on page n: never with a text
// that holds a digit.
func (q listQuery) url(n int) string {
	v := url.Values{}
	for k, x := range map[string]string{"community": q.Community, "category": q.Category, "status": q.Status, "tier": q.Tier} {
		if x != "" {
			v.Set(k, x)
		}
	}
	if q.Text != "" && !hasDigit(q.Text) {
		v.Set("q", q.Text)
	}
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/cadres"
	}
	return "/cadres?" + v.Encode()
}

// cadreListView is the 干部 page.
type cadreListView struct {
	Q    listQuery
	List desk.CadreList
	// ByPost is set for a search by a text with digits: its pages are
	// asked for by POST too.
	ByPost                                   bool
	Communities, Categories, Statuses, Tiers []choice
	Page, Pages, From, To                    int
	Prev, Next                               string
}

func (s *Server) cadreList(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r.URL.Query().Get)
	if hasDigit(q.Text) {
		q.Text = "" // an ID number is searched by POST only
	}
	s.showCadres(w, r, q, false)
}

// cadreSearch is the search form: a text with a digit is searched and
// shown at once; any other goes to the list's address, which can be kept.
func (s *Server) cadreSearch(w http.ResponseWriter, r *http.Request) {
	q := queryOf(r.PostFormValue)
	if !hasDigit(q.Text) {
		http.Redirect(w, r, q.url(q.Page), http.StatusSeeOther)
		return
	}
	s.showCadres(w, r, q, true)
}

func (s *Server) showCadres(w http.ResponseWriter, r *http.Request, q listQuery, byPost bool) {
	p := s.newPage(r, "cadres", "cadres.title")
	dq := desk.CadreQuery{Text: q.Text, Community: q.Community, Category: cadre.Category(q.Category), Status: cadre.Status(q.Status),
		Tier: desk.AnyTier, On: s.today(), Offset: (q.Page - 1) * pageSize, Limit: pageSize}
	if t, err := strconv.Atoi(q.Tier); err == nil {
		dq.Tier = t
	}
	list, err := s.memo.ListCadres(r.Context(), dq)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := cadreListView{Q: q, List: list, ByPost: byPost, Page: q.Page, Pages: max(1, (list.Total+pageSize-1)/pageSize)}
	if list.Total > 0 {
		v.From, v.To = dq.Offset+1, dq.Offset+len(list.Cadres)
	}
	if !byPost {
		if q.Page > 1 {
			v.Prev = q.url(q.Page - 1)
		}
		if q.Page < v.Pages {
			v.Next = q.url(q.Page + 1)
		}
	}
	v.Communities = withSelected(append([]choice{{Value: "", Label: p.T("cadres.all")}}, labelled(list.Communities)...), q.Community)
	v.Categories = withSelected(append([]choice{{Value: "", Label: p.T("cadres.all")}}, enumChoices(p, cadre.CategoryLabels())...), q.Category)
	v.Statuses = withSelected(append([]choice{{Value: "", Label: p.T("cadres.all")}}, enumChoices(p, cadre.StatusLabels())...), q.Status)
	tiers := []choice{{Value: "", Label: p.T("cadres.all")}}
	for i, n := range cadre.NeedLabels() {
		tiers = append(tiers, choice{Value: strconv.Itoa(i + 1), Label: p.T("cadres.tier", i+1, pick(p, n.Zh, n.En))})
	}
	v.Tiers = withSelected(append(tiers, choice{Value: "0", Label: p.T("cadres.tierNone")}), q.Tier)
	p.Data = v
	s.render(w, r, "cadres", p)
}

// labelled are choices of plain values.
func labelled(values []string) []choice {
	out := make([]choice, len(values))
	for i, v := range values {
		out[i] = choice{Value: v, Label: v}
	}
	return out
}

// enumChoices are an enumeration's values, labelled in the reader's
// language.
func enumChoices(p *page, ls []cadre.Label) []choice {
	out := make([]choice, len(ls))
	for i, l := range ls {
		out[i] = choice{Value: l.Code, Label: pick(p, l.Zh, l.En)}
	}
	return out
}

// cadreID is the cadre an address names; ok is false (and the reader
// shown that there is no such record) when it names none.
func (s *Server) cadreID(w http.ResponseWriter, r *http.Request) (uuid.UUID, bool) {
	id, err := uuid.Parse(r.PathValue("id"))
	if err != nil {
		s.notFound(w, r)
		return uuid.Nil, false
	}
	return id, true
}

// cadreFileView is a person's page.
type cadreFileView struct {
	desk.CadreFile
	Fields []string
}

func (s *Server) cadrePage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.cadreID(w, r)
	if !ok {
		return
	}
	p := s.newPage(r, "cadres", "cadres.title")
	f, err := desk.FileOfCadre(r.Context(), s.rep, id, s.today())
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Title = f.Cadre.Name
	p.Data = cadreFileView{CadreFile: f, Fields: desk.CadreFields}
	s.render(w, r, "cadre", p)
}

// cadreEditView is a cadre's edit page.
type cadreEditView struct {
	Cadre cadre.Cadre
	Form  cadreFormView
}

func (s *Server) cadreEditPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.cadreID(w, r)
	if !ok {
		return
	}
	c, err := s.rep.Cadre(r.Context(), id)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := s.newPage(r, "cadres", "edit.title")
	p.Form.Values = formOfCadre(c)
	s.showEdit(w, r, p, c, http.StatusOK)
}

func (s *Server) showEdit(w http.ResponseWriter, r *http.Request, p *page, c cadre.Cadre, status int) {
	p.Title = p.T("edit.titleOf", c.Name)
	p.Data = cadreEditView{Cadre: c, Form: cadreFormView{Groups: s.buildCadreForm(r.Context(), p), Action: "/cadres/" + c.ID.String() + "/edit",
		Submit: p.T("edit.submit"), Cadre: &c}}
	s.renderStatus(w, r, status, "edit", p)
}

// cadreEdit saves the edit form through desk.EditCadre, every field as
// shown (an emptied field is cleared to 未填).
func (s *Server) cadreEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.cadreID(w, r)
	if !ok {
		return
	}
	c, err := s.rep.Cadre(r.Context(), id)
	if err != nil {
		s.notFound(w, r)
		return
	}
	p := s.newPage(r, "cadres", "edit.title")
	in, ok := s.readCadreForm(r, p, true)
	if !ok {
		s.showEdit(w, r, p, c, http.StatusUnprocessableEntity)
		return
	}
	saved, err := desk.EditCadre(r.Context(), s.rep, id, in)
	if err != nil {
		s.showSaveError(p, err)
		s.showEdit(w, r, p, c, http.StatusUnprocessableEntity)
		return
	}
	flash := p.T("edit.done", saved.Cadre.Name)
	if !saved.Changed {
		flash = p.T("edit.unchanged", saved.Cadre.Name)
	}
	s.redirect(w, r, "/cadres/"+id.String(), flash)
}
