package branch

import (
	"errors"
	"fmt"
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
