package desk

import "errors"

// Errors that callers test with errors.Is. Conditions of the records
// themselves keep the storage's sentinels (syncsvc.ErrNotFound,
// syncsvc.ErrVoided, syncsvc.ErrAmbiguous) and the domain packages'
// validation errors.
var (
	// ErrBadRef: a reference names no record at all: it is neither a UUID,
	// nor at least 8 hexadecimal characters of one, nor an ID number.
	ErrBadRef = errors.New("reference names no record")
	// ErrReasonRequired: removing a record entered by mistake needs a
	// reason.
	ErrReasonRequired = errors.New("a reason is required")
	// ErrFuture: a day after today was given for something that has
	// happened.
	ErrFuture = errors.New("date is in the future")
	// ErrUnreadableRoster: a roster file could not be read as a roster at
	// all (not a workbook, no header, no 身份证号 column, not CSV); the
	// roster package's own sentinels (roster.ErrNotWorkbook, …) are
	// wrapped too.
	ErrUnreadableRoster = errors.New("cannot read the roster")
	// ErrStayOpen: a hospital admission was recorded while an earlier stay
	// has no discharge.
	ErrStayOpen = errors.New("an earlier hospital stay has no discharge")
	// ErrStayOverlap: a hospital admission falls inside an earlier stay.
	ErrStayOverlap = errors.New("the day falls in an earlier hospital stay")
	// ErrNoOpenStay: a discharge was recorded for a cadre with no open
	// hospital stay.
	ErrNoOpenStay = errors.New("no open hospital stay")
	// ErrBeforeAdmission: a discharge is dated before its admission.
	ErrBeforeAdmission = errors.New("discharge before admission")
)

// kindError is an error that is err in its text and unwrapping and also
// kind for errors.Is.
type kindError struct {
	kind error
	err  error
}

func (e *kindError) Error() string        { return e.err.Error() }
func (e *kindError) Unwrap() error        { return e.err }
func (e *kindError) Is(target error) bool { return target == e.kind }
