package web

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
)

// describe says what a library error means for the reader, in their
// language: the library's wording (wording.Error) with the desk's own
// advice where the command's would name a verb.
func (s *Server) describe(err error, p *page) string {
	var ve *cadre.ValidationError
	var dup *syncsvc.DuplicateError
	var ro *syncsvc.ReadOnlyError
	var ref *desk.RefError
	switch {
	case errors.As(err, &ve):
		parts := make([]string, 0, len(ve.Problems))
		for _, fe := range desk.WithoutDerived(ve.Problems) {
			parts = append(parts, fieldProblemText(p, fe))
		}
		return strings.Join(parts, p.T("list.sep"))
	case errors.As(err, &dup):
		return p.T("error.duplicate")
	case errors.As(err, &ro):
		return p.T("error.readOnly", ro.Path)
	case errors.As(err, &ref), errors.Is(err, syncsvc.ErrNotFound):
		return p.T("error.notFound")
	case errors.Is(err, syncsvc.ErrVoided):
		return p.T("error.voided")
	case errors.Is(err, context.Canceled):
		return p.T("error.canceled")
	case syncsvc.IsDamaged(err):
		return p.T("error.damaged")
	}
	return wording.Error(err, p.Lang,
		wording.Sentinel{Err: desk.ErrReasonRequired, ZH: p.T("error.reason")},
		wording.Sentinel{Err: syncsvc.ErrDuplicateIDNumber, ZH: p.T("error.duplicate")},
		wording.Sentinel{Err: syncsvc.ErrClosed, ZH: p.T("error.closed")},
	)
}

// fieldProblemText is one field's problem with the field's name.
func fieldProblemText(p *page, fe *cadre.FieldError) string {
	name := p.Field(fe.Field)
	if name == "" {
		return fe.Message(p.Lang)
	}
	return p.T("field.problem", name, fe.Message(p.Lang))
}

// setFlash keeps what an action did, for the next page to show once.
func (s *session) setFlash(text string) {
	s.mu.Lock()
	s.flash = text
	s.mu.Unlock()
}

// takeFlash returns what an action did and forgets it.
func (s *session) takeFlash() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flash
	s.flash = ""
	return f
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
