package branch

import (
	"errors"
	"fmt"

	"github.com/wanxia/wanxia/cadre"
)

// Errors that callers test with errors.Is. Validation problems of the
// records wrap package cadre's sentinels (cadre.ErrRequired, cadre.ErrInvalid,
// cadre.ErrOrder) inside a *cadre.ValidationError, so that one errors.Is test
// serves a cadre and a branch record alike.
var (
	// ErrCriteria: a criteria set cannot be used for an assessment.
	ErrCriteria = errors.New("invalid criteria set")
	// ErrUnknownMeasure: a criteria set names a measure this package cannot
	// compute from recorded data. It wraps ErrCriteria.
	ErrUnknownMeasure = fmt.Errorf("%w: unknown measure", ErrCriteria)
)

// problems collects field errors while a record is checked; package cadre
// keeps its own collector unexported, so this is the same dozen lines.
type problems []*cadre.FieldError

func (ps *problems) add(field string, err error) {
	*ps = append(*ps, &cadre.FieldError{Field: field, Err: err})
}

func (ps *problems) addf(field string, sentinel error, format string, args ...any) {
	ps.add(field, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &cadre.ValidationError{Problems: ps}
}
