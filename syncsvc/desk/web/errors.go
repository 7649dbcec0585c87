package web

import (
	"context"
	"errors"
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
