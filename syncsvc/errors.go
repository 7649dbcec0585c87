package syncsvc

import (
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// Errors that callers test with errors.Is.
var (
	// ErrSchemaTooNew: the database was written by a newer Wanxia; it is not touched.
	ErrSchemaTooNew = errors.New("database schema is newer than this program")
	// ErrClosed: the replica has been closed.
	ErrClosed = errors.New("replica is closed")
	// ErrNotFound: no record with that id (or ID number).
	ErrNotFound = errors.New("record not found")
	// ErrVoided: the record was voided (entered by mistake).
	ErrVoided = errors.New("record is voided")
	// ErrAmbiguous: a prefix names more than one record.
	ErrAmbiguous = errors.New("prefix names more than one record")
	// ErrDuplicateIDNumber: another live record has the same ID number.
	ErrDuplicateIDNumber = errors.New("ID number is already registered")
	// ErrUnknownType: a change or call names a record type not declared here.
	ErrUnknownType = errors.New("unknown record type")
	// ErrInvalidType: a RecordType declaration is malformed.
	ErrInvalidType = errors.New("invalid record type")
	// ErrInvalidChange: a change or value does not fit its record type.
	ErrInvalidChange = errors.New("invalid change")
	// ErrRoleMismatch: the database was created for the other role.
	ErrRoleMismatch = errors.New("database was created for another role")
	// ErrTooLarge: a value or a record is over its size limit (LimitError).
	ErrTooLarge = errors.New("too large")
	// ErrUnsafeText: a text value holds a control character or an
	// invisible one (LimitError).
	ErrUnsafeText = errors.New("holds a control or invisible character")
	// ErrCorrupt: stored values do not read as what their column holds.
	ErrCorrupt = errCorrupt
	// ErrConflictResolved: the conflict was already resolved.
	ErrConflictResolved = errors.New("conflict already resolved")
)

// DuplicateError reports a second registration of an ID number. It wraps
// ErrDuplicateIDNumber and names the record that holds the number.
type DuplicateError struct {
	ExistingID uuid.UUID
}

// Error says which record already holds the number, never the number itself.
func (e *DuplicateError) Error() string {
	return fmt.Sprintf("%v by cadre %s; edit that record instead", ErrDuplicateIDNumber, e.ExistingID)
}

// Unwrap returns ErrDuplicateIDNumber.
func (e *DuplicateError) Unwrap() error { return ErrDuplicateIDNumber }
