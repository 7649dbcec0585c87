package cadre

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
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
	// zh is the problem in Chinese, when it was worded at the source.
	zh string
}

// Message says what is wrong with the field in lang, without the field's
// name: for staff who read Chinese, the problem in Chinese.
func (e *FieldError) Message(lang Lang) string {
	if lang == English {
		return e.Err.Error()
	}
	if e.zh != "" {
		return e.zh
	}
	return Describe(e.Err, Chinese)
}

// WithErr returns a copy of e whose Err is err, which should wrap e.Err
// (to add a hint, say), keeping the Chinese wording of the problem.
func (e *FieldError) WithErr(err error) *FieldError {
	c := *e
	c.Err = err
	return &c
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

// Problems collects the problems found while one record is checked, so that
// a Validate method reports them all at once as a *ValidationError. Packages
// above cadre use it too, so that callers handle every record alike. The
// zero value is empty and ready to use.
type Problems struct {
	list []*FieldError
}

// Add records err, usually a sentinel such as ErrRequired or an error that
// wraps one, as a problem with field.
func (ps *Problems) Add(field string, err error) {
	ps.list = append(ps.list, &FieldError{Field: field, Err: err})
}

// Addf records a problem with field that wraps sentinel, with a detail in
// English formatted from format and args. In Chinese the problem reads as
// Describe words the sentinel.
func (ps *Problems) Addf(field string, sentinel error, format string, args ...any) {
	ps.Add(field, fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...))
}

// AddWorded records a problem with field that wraps sentinel, worded at the
// source in Chinese (zh) and in English (en), for a detail staff should read
// in their own language rather than the sentinel's general wording.
func (ps *Problems) AddWorded(field string, sentinel error, zh, en string) {
	ps.list = append(ps.list, &FieldError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, en), zh: zh})
}

// RequireID records ErrRequired for field when id is the nil UUID.
func (ps *Problems) RequireID(field string, id uuid.UUID) {
	if id == uuid.Nil {
		ps.Add(field, ErrRequired)
	}
}

// Enum checks a required enumerated field: ErrRequired when value is empty,
// ErrInvalid when valid (the value's own Valid()) is false.
func (ps *Problems) Enum(field, value string, valid bool) {
	switch {
	case value == "":
		ps.Add(field, ErrRequired)
	case !valid:
		ps.Addf(field, ErrInvalid, "%q is not a known value", value)
	}
}

// Err returns nil when no problem was recorded, else a *ValidationError
// listing the problems in the order they were recorded.
func (ps *Problems) Err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &ValidationError{Problems: ps.list}
}

// chinese words the package's sentinels for staff, most precise first.
var chinese = []struct {
	err error
	zh  string
}{
	{ErrIDOldFormat, "这是15位旧身份证号，请录入现行身份证上的18位号码"},
	{ErrIDLength, "身份证号应为18位"},
	{ErrIDCharacter, "身份证号只能是数字，最后一位可以是X"},
	{ErrIDProvince, "身份证号前两位不是有效的省份代码"},
	{ErrIDDate, "身份证号第7–14位不是有效的出生日期"},
	{ErrIDCheck, "身份证号校验位不符，可能有数字录错，请对照身份证逐位核对"},
	{ErrIDNumber, "身份证号无效"},
	{ErrRequired, "必填"},
	{ErrFuture, "日期晚于今天"},
	{ErrOrder, "日期先后不对"},
	{ErrMismatch, "与身份证号不符"},
	{ErrInvalid, "填写有误"},
}

// Worded returns an error that wraps err (a sentinel such as ErrInvalid, or
// an error that wraps one) and is worded at the source in Chinese (zh):
// Describe gives zh in Chinese. Its Error is err's text followed by ": en",
// or err's text alone when en is empty. It is for a value that was read and
// refused, whose message must say in the clerk's language what was written
// and which forms are accepted.
func Worded(err error, zh, en string) error {
	return &wordedError{err: err, zh: zh, en: en}
}

type wordedError struct {
	err    error
	zh, en string
}

func (e *wordedError) Error() string {
	if e.en == "" {
		return e.err.Error()
	}
	return e.err.Error() + ": " + e.en
}

func (e *wordedError) Unwrap() error { return e.err }

// Describe words an error of this package for staff: in Chinese the kind
// of problem (the most precise the package knows), in English the error's
// own text. A FieldError, or an error made by Worded, keeps the detail it
// was worded with.
func Describe(err error, lang Lang) string {
	var fe *FieldError
	if errors.As(err, &fe) && (lang == English || fe.zh != "") {
		return fe.Message(lang)
	}
	if lang == English {
		return err.Error()
	}
	var we *wordedError
	if errors.As(err, &we) {
		return we.zh
	}
	for _, c := range chinese {
		if errors.Is(err, c.err) {
			return c.zh
		}
	}
	return err.Error()
}

// WordedZH is Worded for an error whose own text is already the English:
// it adds only the Chinese.
func WordedZH(err error, zh string) error { return Worded(err, zh, "") }
