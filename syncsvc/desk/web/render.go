package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"regexp"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

// pageTemplate is one page's template: the layout, the partials and the
// page's own file, which defines "main".
type pageTemplate struct {
	t *template.Template
}

// funcs are the template functions that need no reader: formatting only.
// Words come from the page (page.T), so that the language is the reader's.
var funcs = template.FuncMap{
	"date": func(d cadre.Date) string {
		if d.IsZero() {
			return "-"
		}
		return d.String()
	},
	"time": func(t time.Time) string { return display.Time(t, "-") },
	"mask": cadre.MaskIDNumber,
	"yuan": cadre.FormatYuan,
	"add":  func(a, b int) int { return a + b },
	// percent is a share as a percentage.
	"percent": func(f float64) float64 { return f * 100 },
	// deref is the cadre a pointer points to, or an empty one.
	"deref": func(c *cadre.Cadre) cadre.Cadre {
		if c == nil {
			return cadre.Cadre{}
		}
		return *c
	},
	// list makes the arguments of a partial that takes several.
	"list": func(xs ...any) []any { return xs },
}

// parsePages parses every page under templates/ with the layout and the
// partials.
func parsePages() (map[string]*pageTemplate, error) {
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*pageTemplate{}
	for _, name := range names {
		base := strings.TrimSuffix(path.Base(name), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", "templates/partials/*.html", name)
		if err != nil {
			return nil, fmt.Errorf("page %s: %w", base, err)
		}
		out[base] = &pageTemplate{t: t}
	}
	return out, nil
}

// problem is one thing wrong with what a reader sent: the field it is
// about ("" for the form as a whole) and what to do, in the reader's
// language.
type problem struct {
	Field string
	Label string
	Text  string
}

// page is what every template is given: the reader's language and words,
// the layout's parts, and the page's own data.
type page struct {
	Lang cadre.Lang
	w    words
	// Title is the page's title, in the reader's language.
	Title string
	// Section is the key of the nav entry the page belongs to.
	Section string
	// Token is the session's form token, for every form's hidden field.
	Token string
	// Office names the office.
	Office string
	// Path is the page's address, for the language switch to come back to.
	Path string
	// Nav are the sections.
	Nav []navEntry
	// Flash is what the last action did, shown once at the top.
	Flash string
	// Problems are what was wrong with what the reader sent, for the
	// summary at the top; the same are beside their fields (Form).
	Problems []problem
	// Form holds what the reader typed, to show again, and each field's
	// problem.
	Form *form
	// SignedIn shows the sign-out button when a password is required.
	SignedIn bool
	// Data is the page's own.
	Data any
}

// T is the message key in the reader's language, formatted with args.
func (p *page) T(key string, args ...any) string { return p.w.t(key, args...) }

// Field names a cadre's field (its JSON key) as a roster's header does in
// Chinese, and in plain words in English (a roster's English header is its
// key).
func (p *page) Field(field string) string {
	if l, ok := p.w["fieldname."+field]; ok {
		return l
	}
	return wording.FieldName(field, p.Lang)
}

// Value shows a cadre's field as a clerk reads it; the ID number masked.
func (p *page) Value(c cadre.Cadre, field string) string {
	return wording.CadreValue(&c, field, p.Lang, false)
}

// FullValue shows a cadre's field, the ID number in full.
func (p *page) FullValue(c cadre.Cadre, field string) string {
	return wording.CadreValue(&c, field, p.Lang, true)
}

// With is the page with other data, for a partial that shows .Data.
func (p *page) With(data any) *page {
	c := *p
	c.Data = data
	return &c
}

// Unknown is 未填 (unknown) in the reader's language.
func (p *page) Unknown() string { return cadre.Unknown(p.Lang) }

// newPage starts the page a handler renders, with the layout's parts.
func (s *Server) newPage(r *http.Request, section, titleKey string) *page {
	lang := s.langOf(r)
	p := &page{Lang: lang, w: wordsFor(lang), Section: section, Path: r.URL.Path, Form: newForm()}
	p.Title = p.T(titleKey)
	if sess := sessionOf(r); sess != nil {
		p.Token = s.token(sess)
		p.SignedIn = s.hash != "" && sess.signedIn()
		p.Flash = sess.takeFlash()
	}
	p.Office = s.officeName(r)
	p.Nav = navFor(p)
	return p
}

// render writes a page with status 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p *page) {
	s.renderStatus(w, r, http.StatusOK, name, p)
}

// renderStatus writes a page whole, or, when its template fails, the
// error page: never half a page.
func (s *Server) renderStatus(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t := s.pages[name]
	var buf bytes.Buffer
	if t == nil {
		s.log.Error("desk page has no template", "page", name)
		status, buf = http.StatusInternalServerError, *bytes.NewBufferString("page " + name + " has no template")
	} else if err := t.t.Execute(&buf, p); err != nil {
		s.log.Error("desk page failed", "page", name, "err", redact(err))
		buf.Reset()
		status = http.StatusInternalServerError
		fmt.Fprintf(&buf, "<!doctype html><meta charset=utf-8><title>%s</title><p>%s</p>", template.HTMLEscapeString(p.T("error.title")), template.HTMLEscapeString(p.T("error.page")))
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// fail shows the error page for an error no page words better: what it
// means in the reader's language, and that the work done is kept.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("desk action failed", "route", r.Pattern, "err", redact(err))
	p := s.newPage(r, "", "error.title")
	p.Problems = []problem{{Text: s.describe(err, p)}}
	s.renderStatus(w, r, http.StatusInternalServerError, "error", p)
}

// notFound shows that a page has no such record.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "notfound.title")
	s.renderStatus(w, r, http.StatusNotFound, "notfound", p)
}

// redirect sends the reader to a page after an action, with what the
// action did shown once there.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	if sess := sessionOf(r); sess != nil && flash != "" {
		sess.setFlash(flash)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// idLike is anything that may be an ID number: 15 to 18 digits, the last
// perhaps X.
var idLike = regexp.MustCompile(`\d{14,17}[\dXx]`)

// redact is an error's text for a log line: anything that may be an ID
// number is replaced, since a library error may quote what was typed.
func redact(err error) string {
	if err == nil {
		return ""
	}
	return idLike.ReplaceAllString(err.Error(), "[ID number]")
}

// officeName is the office as the header names it: the name office init
// kept, else its id.
func (s *Server) officeName(r *http.Request) string {
	ctx := r.Context()
	if name, err := s.rep.Meta(ctx, desk.MetaOfficeName); err == nil && name != "" {
		return name
	}
	if id, err := s.rep.Meta(ctx, desk.MetaOfficeID); err == nil && id != "" {
		return id
	}
	return ""
}
