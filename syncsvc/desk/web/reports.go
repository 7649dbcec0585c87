package web

import (
	"bytes"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report"
)

// allReports is the address's name of every report at once.
const allReports = "all"

// reportRows is the most lines of a table a report's page shows; the
// workbook has them all.
const reportRows = 200

func (s *Server) reportRoutes() []route {
	return []route{
		{"GET /reports", s.reportsPage},
		{"GET /reports/{kind}", s.reportPage},
		{"GET /reports/{kind}/xlsx", s.reportXLSX},
	}
}

// reportsView is the list of the office's reports.
type reportsView struct {
	Kinds []report.Kind
	On    cadre.Date
	Today cadre.Date
}

// reportDay is the day the address asks the reports for (?on=), else
// today.
func (s *Server) reportDay(r *http.Request) cadre.Date {
	if d, err := cadre.ParseDate(r.URL.Query().Get("on")); err == nil && !d.After(s.today()) {
		return d
	}
	return s.today()
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "reports", "reports.title")
	p.Data = reportsView{Kinds: desk.ReportKinds(s.rep.Role()), On: s.reportDay(r), Today: s.today()}
	s.render(w, r, "reports", p)
}

// reportCell is one cell as the page shows it.
type reportCell struct {
	Text string
	Num  bool
}

// reportTable is one table of a report as the page shows it.
type reportTable struct {
	Key, Name string
	Headers   []string
	Numeric   []bool
	Rows      [][]reportCell
	// Total counts the table's lines, shown or not.
	Total   int
	Summary string
}

// reportView is one report as a page.
type reportView struct {
	Kind  report.Kind
	Title string
	On    cadre.Date
	// Heading is the report's own line under its title: the date, the
	// scope and when it was made.
	Heading string
	Tables  []reportTable
	Kinds   []report.Kind
}

// kindOf reads the report the address names, or answers 404.
func (s *Server) kindOf(w http.ResponseWriter, r *http.Request) ([]report.Kind, bool) {
	name := r.PathValue("kind")
	kinds := desk.ReportKinds(s.rep.Role())
	if name == allReports {
		return kinds, true
	}
	k := report.Kind(name)
	if !slices.Contains(kinds, k) {
		s.notFound(w, r)
		return nil, false
	}
	return []report.Kind{k}, true
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	kinds, ok := s.kindOf(w, r)
	if !ok {
		return
	}
	if len(kinds) > 1 {
		http.Redirect(w, r, "/reports", http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "reports", "reports.title")
	on := s.reportDay(r)
	reps, err := s.memo.BuildReports(r.Context(), desk.ReportRequest{Kinds: kinds, On: on, Now: s.now()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := reps[0]
	lang := p.Lang
	v := reportView{Kind: rep.Kind, Title: rep.Title.In(lang), On: rep.On, Heading: rep.Heading(lang), Kinds: desk.ReportKinds(s.rep.Role())}
	for _, t := range rep.Tables {
		rt := reportTable{Key: t.Key, Name: t.Name.In(lang), Summary: t.Summary.In(lang), Total: len(t.Rows)}
		for _, c := range t.Columns {
			rt.Headers = append(rt.Headers, c.Header(lang))
		}
		rt.Numeric = make([]bool, len(t.Columns))
		for _, row := range t.Rows[:min(len(t.Rows), reportRows)] {
			cells := make([]reportCell, len(row))
			for i, c := range row {
				cells[i] = reportCell{Text: report.Cell(c, lang), Num: report.Numeric(c)}
				rt.Numeric[i] = rt.Numeric[i] || cells[i].Num
			}
			rt.Rows = append(rt.Rows, cells)
		}
		v.Tables = append(v.Tables, rt)
	}
	p.Title = v.Title
	p.Data = v
	s.render(w, r, "report", p)
}

// reportXLSX sends the report (or every report, as one workbook) as an
// .xlsx file named after it and its day.
func (s *Server) reportXLSX(w http.ResponseWriter, r *http.Request) {
	kinds, ok := s.kindOf(w, r)
	if !ok {
		return
	}
	lang := s.langOf(r)
	on := s.reportDay(r)
	reps, err := s.memo.BuildReports(r.Context(), desk.ReportRequest{Kinds: kinds, On: on, Now: s.now()})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := report.WriteXLSX(&buf, lang, reps...); err != nil {
		s.fail(w, r, err)
		return
	}
	name := wordsFor(lang).t("reports.allFile")
	if len(reps) == 1 {
		name = reps[0].Title.In(lang)
	}
	name = strings.NewReplacer("/", "-", "\\", "-", ":", "-", "：", "-").Replace(name) + "-" + on.String() + ".xlsx"
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", "attachment; filename=\"report-"+on.String()+".xlsx\"; filename*=UTF-8''"+url.PathEscape(name))
	_, _ = w.Write(buf.Bytes())
}
