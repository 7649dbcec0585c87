package web

import (
	"encoding/json"
	"net/http"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

func (s *Server) registerRoutes() []route {
	return []route{
		{"GET /register", s.registerPage},
		{"POST /register", s.register},
	}
}

// registerView is the 登记 page.
type registerView struct {
	Form cadreFormView
	// Existing is the record that holds an ID number typed again, "" when
	// none does.
	Existing string
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "register", "register.title")
	p.Form.Values["status"] = string(cadre.StatusActive)
	p.Form.Values["children_nearby"] = "false"
	p.Form.Values["living_difficulty"] = "false"
	s.showRegister(w, r, p, http.StatusOK, "")
}

func (s *Server) showRegister(w http.ResponseWriter, r *http.Request, p *page, status int, existing string) {
	if cs := s.communityChoices(r.Context(), p); len(cs) == 1 && p.Form.Get("community") == "" {
		p.Form.Values["community"] = cs[0].Value
	}
	p.Data = registerView{Form: cadreFormView{Groups: s.buildCadreForm(r.Context(), p), Action: "/register", Submit: p.T("register.submit")}, Existing: existing}
	s.renderStatus(w, r, status, "register", p)
}

// register registers the cadre typed in, or shows the form again with
// everything typed and each problem beside its field.
func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "register", "register.title")
	in, ok := s.readCadreForm(r, p, false)
	if !ok {
		s.showRegister(w, r, p, http.StatusUnprocessableEntity, "")
		return
	}
	saved, err := desk.RegisterCadre(r.Context(), s.rep, in)
	if err != nil {
		existing := s.showSaveError(p, err)
		s.showRegister(w, r, p, http.StatusUnprocessableEntity, existing)
		return
	}
	s.redirect(w, r, "/cadres/"+saved.Cadre.ID.String(), p.T("register.done", saved.Cadre.Name))
}

// idInfo is what an ID number gives, for the register form's script to
// fill the birth date and gender as the number is typed.
type idInfo struct {
	OK        bool   `json:"ok"`
	BirthDate string `json:"birth_date,omitempty"`
	Gender    string `json:"gender,omitempty"`
	// Problem says what is wrong with a whole number, in the reader's
	// language; "" while it is being typed.
	Problem string `json:"problem,omitempty"`
}

// idNumberInfo reads an ID number sent by POST (never in an address) with
// the cadre package's own rule.
func (s *Server) idNumberInfo(w http.ResponseWriter, r *http.Request) {
	lang := s.langOf(r)
	n := cadre.NormalizeIDNumber(r.PostFormValue("id_number"))
	var out idInfo
	if info, err := cadre.ParseIDNumber(n); err == nil {
		out = idInfo{OK: true, BirthDate: info.BirthDate.String(), Gender: string(info.Gender)}
	} else if len(n) >= 18 {
		out.Problem = cadre.Describe(err, lang)
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}
