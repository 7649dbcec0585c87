package web

import (
	"cmp"
	"net/http"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

func (s *Server) todayRoutes() []route {
	return []route{
		{"GET /today", s.todayPage},
		{"POST /today/visit", s.recordDueVisit},
	}
}

// todayView is the 今日 page: the visits due this week by helper, the
// urgent help cases nobody acted on, the dues reminders and the sync.
type todayView struct {
	On      cadre.Date
	Weekday int
	WeekEnd cadre.Date
	Groups  []helperGroup
	Due     int
	Overdue int
	// Hidden counts the visits due not listed: a page lists at most
	// maxDueRows, the overdue and the earliest first.
	Hidden   int
	Urgent   []urgentCase
	Within   time.Duration
	Reminder []desk.ArrearsView
	Sync     syncPanelView
}

// helperGroup is the visits due of one helper's cadres; the cadres with no
// helper come last, under Unpaired.
type helperGroup struct {
	Name     string
	Unpaired bool
	Visits   []dueItem
}

// dueItem is one visit due, with the visit one click records for it.
type dueItem struct {
	Cadre  cadre.Cadre
	Due    care.Due
	Helper uuid.UUID
	Usual  care.VisitKind
}

// HelperRef is the helper's id for a form, "" for none.
func (d dueItem) HelperRef() string {
	if d.Helper == uuid.Nil {
		return ""
	}
	return d.Helper.String()
}

// urgentCase is an urgent help case nobody acted on in time.
type urgentCase struct {
	Case  care.HelpCase
	Cadre cadre.Cadre
	Held  bool
	Hours int
}

// weekEnd is the last day of the week from on: the visits due by then
// are this week's work, whatever the day of the week.
func weekEnd(on cadre.Date) cadre.Date { return on.AddDays(6) }

func (s *Server) todayPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "today", "today.title")
	now, on := s.now(), s.today()
	v := todayView{On: on, Weekday: int(on.In(time.UTC).Weekday()), WeekEnd: weekEnd(on)}
	dv, err := s.memo.VisitsDue(ctx, on, false)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Groups, v.Due, v.Overdue, v.Hidden = groupByHelper(p, dv, v.WeekEnd)
	help, err := desk.HelpCases(ctx, s.rep, now, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v.Within = help.UrgentWithin
	for _, c := range help.Unattended {
		u := urgentCase{Case: c, Hours: int(now.Sub(c.Opened).Hours())}
		if cd, err := s.rep.Cadre(ctx, c.CadreID); err == nil {
			u.Cadre, u.Held = cd, true
		}
		v.Urgent = append(v.Urgent, u)
	}
	arrears, err := desk.Arrears(ctx, s.rep, desk.ArrearsInput{On: on})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, a := range arrears {
		if a.Status.Action != branch.ActionNone {
			v.Reminder = append(v.Reminder, a)
		}
	}
	if v.Sync, err = s.syncView(ctx, p); err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = v
	s.render(w, r, "today", p)
}

// maxDueRows is the most visits due 今日 lists; the rest are counted.
const maxDueRows = 150

// groupByHelper keeps the visits overdue or due by the end of the week and
// groups them by the helper paired with each cadre, overdue first, then by
// the day due; it returns the groups, how many are due and overdue, and
// how many of them are not listed (past maxDueRows, the latest due).
func groupByHelper(p *page, dv desk.DueVisits, end cadre.Date) ([]helperGroup, int, int, int) {
	byHelper := map[uuid.UUID]*helperGroup{}
	var due, overdue int
	var kept []desk.DueVisit
	for _, d := range dv.Dues {
		if !d.Due.Overdue && d.Due.DueOn.After(end) {
			continue
		}
		due++
		if d.Due.Overdue {
			overdue++
		}
		kept = append(kept, d)
	}
	slices.SortStableFunc(kept, func(a, b desk.DueVisit) int {
		if a.Due.Overdue != b.Due.Overdue {
			if a.Due.Overdue {
				return -1
			}
			return 1
		}
		return a.Due.DueOn.Compare(b.Due.DueOn)
	})
	hidden := max(0, len(kept)-maxDueRows)
	for _, d := range kept[:min(len(kept), maxDueRows)] {
		g := byHelper[d.Helper]
		if g == nil {
			g = &helperGroup{Name: cmp.Or(dv.HelperNames[d.Helper], p.T("today.helperNotHeld")), Unpaired: d.Helper == uuid.Nil}
			if g.Unpaired {
				g.Name = p.T("today.unpaired")
			}
			byHelper[d.Helper] = g
		}
		g.Visits = append(g.Visits, dueItem{Cadre: d.Cadre, Due: d.Due, Helper: d.Helper, Usual: d.Due.Kind.Usual()})
	}
	groups := make([]helperGroup, 0, len(byHelper))
	for _, g := range byHelper {
		slices.SortStableFunc(g.Visits, func(a, b dueItem) int {
			if a.Due.Overdue != b.Due.Overdue {
				if a.Due.Overdue {
					return -1
				}
				return 1
			}
			return cmp.Or(a.Due.DueOn.Compare(b.Due.DueOn), cmp.Compare(a.Cadre.Name, b.Cadre.Name))
		})
		groups = append(groups, *g)
	}
	slices.SortFunc(groups, func(a, b helperGroup) int {
		if a.Unpaired != b.Unpaired {
			if a.Unpaired {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return groups, due, overdue, hidden
}

// recordDueVisit is the one click of 今日: it records today's visit of the
// kind the due usually takes, made by the cadre's helper.
func (s *Server) recordDueVisit(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "today", "today.title")
	id, err := uuid.Parse(r.PostFormValue("cadre"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	kind, err := care.ParseDueKind(r.PostFormValue("due"))
	if err != nil {
		s.notFound(w, r)
		return
	}
	helper, _ := uuid.Parse(r.PostFormValue("helper")) // none: someone not on the helper list
	rec, err := desk.RecordVisit(r.Context(), s.rep, s.now(), desk.VisitInput{CadreID: id, Kind: kind.Usual(), On: s.today(), By: helper})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.redirect(w, r, "/today#visits", p.T("today.recorded", rec.Cadre.Name, rec.Visit.Kind.Label(p.Lang), rec.Visit.On))
}
