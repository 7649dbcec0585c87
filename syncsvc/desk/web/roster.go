package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// previewRows is how many rows of each kind a preview lists; the counts
// cover them all.
const previewRows = 200

func (s *Server) rosterRoutes() []route {
	return []route{
		{"GET /roster", s.rosterPage},
		{"POST /roster/preview", s.rosterPreview},
		{"POST /roster/import", s.rosterImport},
		{"GET /roster/export.xlsx", s.rosterExport},
		{"GET /roster/export.csv", s.rosterExport},
	}
}

// rosterView is the 导入导出 page: the upload form, a preview of what an
// uploaded roster would do, or what an import did.
type rosterView struct {
	// Key names the upload a confirmation imports.
	Key    string
	File   string
	AsOf   time.Time
	Sheet  string
	Result *desk.ImportResult
	// Done is set once the import is written.
	Done bool
	// Changes are the rows of a preview that add or change a cadre, at
	// most previewRows of each.
	Added, Changed []desk.RowChange
	Problems       []rowProblem
	Held           []heldView
	More           int
	Cadres         int
}

// rowProblem is one bad cell or row of a roster.
type rowProblem struct {
	Line                   int
	Column, Value, Message string
}

// heldView is a row held back, each field with why it is newer here.
type heldView struct {
	desk.HeldRow
	Reasons []heldReason
}

// heldReason is one field of a held-back row.
type heldReason struct {
	Field, Old, New, Why string
}

func (s *Server) rosterPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "roster", "roster.title")
	n, err := s.rep.CountCadres(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = rosterView{Cadres: n}
	s.render(w, r, "roster", p)
}

// rosterFormat is a roster's form by its file's name.
func rosterFormat(name string) (desk.RosterFormat, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv":
		return desk.RosterCSV, true
	case ".xlsx":
		return desk.RosterXLSX, true
	}
	return "", false
}

// rosterPreview reads an uploaded roster and shows what importing it
// would do (ImportRoster's dry run), keeping the file for the
// confirmation.
func (s *Server) rosterPreview(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "roster", "roster.title")
	bad := func(field, key string, args ...any) {
		p.addProblem(field, p.T("roster.file"), p.T(key, args...))
		p.Data = rosterView{}
		s.renderStatus(w, r, http.StatusUnprocessableEntity, "roster", p)
	}
	f, hdr, err := r.FormFile("file")
	if err != nil {
		bad("file", "roster.noFile")
		return
	}
	defer f.Close()
	if _, ok := rosterFormat(hdr.Filename); !ok {
		bad("file", "roster.badKind", hdr.Filename)
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, maxUpload+1))
	if err != nil || len(data) > maxUpload {
		bad("file", "roster.tooLarge", maxUpload>>20)
		return
	}
	up := &upload{name: filepath.Base(hdr.Filename), data: data, sheet: trimmed(r, "sheet")}
	if v := trimmed(r, "as_of"); v != "" {
		t, err := time.ParseInLocation(display.TimeLayout, v, syncsvc.Shanghai())
		if err != nil {
			if d, derr := cadre.ParseDate(v); derr == nil {
				t, err = d.In(syncsvc.Shanghai()), nil
			}
		}
		if err != nil {
			p.Form.Values["as_of"] = v
			bad("as_of", "roster.badAsOf", v)
			return
		}
		up.asOf = t
	}
	res, err := s.runImport(r, up, true, false)
	if err != nil {
		s.rosterFailed(w, r, p, up, err)
		return
	}
	key := randomToken()
	sess := sessionOf(r)
	sess.mu.Lock()
	clear(sess.uploads) // one roster awaits confirmation at a time
	sess.uploads[key] = up
	sess.mu.Unlock()
	p.Data = s.rosterResult(p, up, res, key, false)
	s.render(w, r, "rosterpreview", p)
}

// rosterImport imports the roster previewed, as previewed.
func (s *Server) rosterImport(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "roster", "roster.title")
	key := r.PostFormValue("key")
	sess := sessionOf(r)
	sess.mu.Lock()
	up := sess.uploads[key]
	delete(sess.uploads, key)
	sess.mu.Unlock()
	if up == nil {
		p.addProblem("", "", p.T("roster.expired"))
		p.Data = rosterView{}
		s.renderStatus(w, r, http.StatusGone, "roster", p)
		return
	}
	res, err := s.runImport(r, up, false, r.PostFormValue("overwrite") == "yes")
	if err != nil {
		s.rosterFailed(w, r, p, up, err)
		return
	}
	p.Data = s.rosterResult(p, up, res, "", true)
	s.render(w, r, "rosterpreview", p)
}

// runImport calls ImportRoster on an upload.
func (s *Server) runImport(r *http.Request, up *upload, dry, overwrite bool) (desk.ImportResult, error) {
	format, _ := rosterFormat(up.name)
	return desk.ImportRoster(r.Context(), s.rep, s.now(), desk.RosterImport{File: bytes.NewReader(up.data), Format: format, Sheet: up.sheet,
		AsOf: up.asOf, DryRun: dry, Overwrite: overwrite})
}

// rosterFailed says why a file could not be imported at all.
func (s *Server) rosterFailed(w http.ResponseWriter, r *http.Request, p *page, up *upload, err error) {
	var text string
	switch {
	case errors.Is(err, roster.ErrNotWorkbook):
		text = p.T("roster.notWorkbook", up.name)
	case errors.Is(err, roster.ErrNoSheet), errors.Is(err, desk.ErrUnreadableRoster):
		text = p.T("roster.unreadable", up.name, roster.Describe(err, p.Lang))
	default:
		text = s.describe(err, p)
	}
	p.addProblem("file", p.T("roster.file"), text)
	p.Data = rosterView{}
	s.renderStatus(w, r, http.StatusUnprocessableEntity, "roster", p)
}

// rosterResult is what a preview or an import shows.
func (s *Server) rosterResult(p *page, up *upload, res desk.ImportResult, key string, done bool) rosterView {
	v := rosterView{Key: key, File: up.name, AsOf: up.asOf, Sheet: up.sheet, Result: &res, Done: done}
	for _, ch := range res.Changes {
		switch {
		case ch.Old == nil && len(v.Added) < previewRows:
			v.Added = append(v.Added, ch)
		case ch.Old != nil && len(v.Changed) < previewRows:
			v.Changed = append(v.Changed, ch)
		default:
			v.More++
		}
	}
	for _, e := range res.Problems {
		column := e.Column
		if column == "" {
			column = p.Field(e.Field)
		}
		v.Problems = append(v.Problems, rowProblem{Line: e.Line, Column: column, Value: e.Value, Message: e.Message(p.Lang)})
	}
	for _, h := range res.Held {
		hv := heldView{HeldRow: h}
		for _, n := range h.Newer {
			hr := heldReason{Why: newerReason(p, h.RowChange, n)}
			if n.Field != "" {
				hr.Field = p.Field(n.Field)
				hr.New = wording.CadreValue(&h.New, n.Field, p.Lang, false)
				if h.Old != nil {
					hr.Old = wording.CadreValue(h.Old, n.Field, p.Lang, false)
				}
			}
			hv.Reasons = append(hv.Reasons, hr)
		}
		v.Held = append(v.Held, hv)
	}
	return v
}

// newerReason says why a field of a held-back row is newer here.
func newerReason(p *page, ch desk.RowChange, n desk.NewerField) string {
	at := display.Time(n.ChangedAt, "-")
	switch {
	case n.Field == "":
		return p.T("roster.heldChanged")
	case n.Revives && ch.Old != nil:
		on := "-"
		if !ch.Old.StatusOn.IsZero() {
			on = ch.Old.StatusOn.String()
		}
		return p.T("roster.heldRevives", ch.Old.Status.Label(p.Lang), on, at)
	}
	return p.T("roster.heldNewer", at)
}

// rosterExport writes the office's cadres as a roster, in the layout an
// import reads.
func (s *Server) rosterExport(w http.ResponseWriter, r *http.Request) {
	cs, err := s.rep.Cadres(r.Context(), store.CadreFilter{})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	ext := filepath.Ext(r.URL.Path)
	if ext == ".xlsx" {
		err = roster.WriteXLSX(&buf, cs)
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		err = roster.Write(&buf, cs, cadre.Chinese)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	name := fmt.Sprintf("wanxia-roster-%s%s", s.today(), ext)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"`, name))
	_, _ = w.Write(buf.Bytes())
}
