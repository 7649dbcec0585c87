package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report"
)

func (s *Server) reportRoutes() []route {
	return []route{
		{"GET /reports", s.reportsPage},
		{"GET /reports/{kind}", s.reportPage},
	}
}

// reportKind is one report the office has, as the list shows it.
type reportKind struct {
	Kind  report.Kind
	Label string
}

// officeKinds are the reports an office has: every kind but the hub's own.
func officeKinds(p *page) []reportKind {
	var out []reportKind
	for _, k := range report.AllKinds() {
		if !k.HubOnly() {
			out = append(out, reportKind{Kind: k, Label: k.Label(p.Lang)})
		}
	}
	return out
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "reports", "reports.title")
	p.Data = officeKinds(p)
	s.render(w, r, "reports", p)
}

// reportView is one report as a page.
type reportView struct {
	R     *report.Report
	Kinds []reportKind
}

// Cell shows a cell of a report in the reader's language.
func (v reportView) Cell(c any, lang cadre.Lang) string { return report.Cell(c, lang) }

// Numeric reports whether a cell aligns right.
func (v reportView) Numeric(c any) bool { return report.Numeric(c) }

// reportPage shows a report (/reports/visits) or downloads it as a
// workbook (/reports/visits.xlsx; /reports/all.xlsx for every one).
func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "reports", "reports.title")
	name, xlsx := strings.CutSuffix(r.PathValue("kind"), ".xlsx")
	var kinds []report.Kind
	for _, k := range officeKinds(p) {
		if name == "all" && xlsx || string(k.Kind) == name {
			kinds = append(kinds, k.Kind)
		}
	}
	if len(kinds) == 0 {
		s.notFound(w, r)
		return
	}
	reps, err := desk.BuildReports(r.Context(), s.rep, desk.ReportRequest{Kinds: kinds, On: s.today(), Now: s.now()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if xlsx {
		var buf bytes.Buffer
		if err := report.WriteXLSX(&buf, p.Lang, reps...); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="wanxia-%s-%s.xlsx"`, name, s.today()))
		_, _ = w.Write(buf.Bytes())
		return
	}
	p.Title = reps[0].Title.In(p.Lang)
	p.Data = reportView{R: reps[0], Kinds: officeKinds(p)}
	s.render(w, r, "report", p)
}
