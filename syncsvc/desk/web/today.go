package web

import "net/http"

func (s *Server) todayRoutes() []route {
	return []route{{"GET /today", s.todayPage}}
}

// todayView is the 今日 page.
type todayView struct {
	Sync syncPanelView
}

func (s *Server) todayPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "today", "today.title")
	sv, err := s.syncView(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = todayView{Sync: sv}
	s.render(w, r, "today", p)
}
