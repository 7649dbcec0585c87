package cadre

import (
	"errors"
	"fmt"
	"strings"
)

// Errors that callers test with errors.Is. A FieldError wraps one of them.
var (
	// ErrRequired: a required field is empty.
	ErrRequired = errors.New("is required")
	// ErrInvalid: a value is not one the field accepts.
	ErrInvalid = errors.New("invalid value")
	// ErrFuture: a date lies after the date the record is checked on.
	ErrFuture = errors.New("is after the as-of date")
	// ErrOrder: two dates of one record are in the wrong order.
	ErrOrder = errors.New("dates out of order")
	// ErrMismatch: a field disagrees with what the ID number encodes.
	ErrMismatch = errors.New("does not agree with the ID number")

	// ErrIDNumber is wrapped by every ID-number error below.
	ErrIDNumber = errors.New("invalid resident ID number")
	// ErrIDOldFormat: a 15-digit first-generation number, no longer accepted.
	ErrIDOldFormat = fmt.Errorf("%w: 15-digit old-format number; enter the 18-character number from the current ID card", ErrIDNumber)
	// ErrIDLength: not 18 characters.
	ErrIDLength = fmt.Errorf("%w: wrong length", ErrIDNumber)
	// ErrIDCharacter: a character other than a digit, or X in last place.
	ErrIDCharacter = fmt.Errorf("%w: wrong character", ErrIDNumber)
	// ErrIDProvince: the first two digits are no province code.
	ErrIDProvince = fmt.Errorf("%w: unknown province code", ErrIDNumber)
	// ErrIDDate: digits 7–14 are not a real calendar date.
	ErrIDDate = fmt.Errorf("%w: birth date is not a real date", ErrIDNumber)
	// ErrIDCheck: the last character is not the ISO 7064 MOD 11-2 check of the rest.
	ErrIDCheck = fmt.Errorf("%w: check character does not match", ErrIDNumber)
)

// FieldError is a problem with one field of a record. Field is the field's
// JSON key (as in the wanxia command's contract), so that a message points at
// the column a clerk typed.
type FieldError struct {
	Field string
	Err   error
}

// Error returns "field: problem".
func (e *FieldError) Error() string { return e.Field + ": " + e.Err.Error() }

// Unwrap returns the underlying problem, usually one of the package's sentinels.
func (e *FieldError) Unwrap() error { return e.Err }

// ValidationError lists every problem found in one record, in field order.
// errors.Is and errors.As see each of them.
type ValidationError struct {
	Problems []*FieldError
}

// Error joins the problems with "; ".
func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap returns the problems, so that errors.Is and errors.As look at each.
func (e *ValidationError) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Fields returns the names of the fields with problems, in order, once each.
func (e *ValidationError) Fields() []string {
	var out []string
	for _, p := range e.Problems {
		if len(out) == 0 || out[len(out)-1] != p.Field {
			out = append(out, p.Field)
		}
	}
	return out
}

// problems collects field errors while a record is checked.
type problems []*FieldError

func (ps *problems) add(field string, err error) {
	*ps = append(*ps, &FieldError{Field: field, Err: err})
}

func (ps *problems) addf(field string, sentinel error, format string, args ...any) {
	ps.add(field, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

func (ps problems) err() error {
	if len(ps) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps}
}
