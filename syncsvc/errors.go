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
	// ErrReadOnly: the replica is open for reading only (Options.ReadOnly,
	// or a file, folder or medium that cannot be written), and refuses
	// every write; or a read-only file needs a write to be opened at all.
	// The errors are *ReadOnlyError.
	ErrReadOnly = errors.New("replica is open for reading only")
)

// ReadOnlyError is a write refused by a replica open for reading only, or
// the open of a read-only file that would have had to write first. It
// wraps ErrReadOnly.
type ReadOnlyError struct {
	// Path is the database file.
	Path string
	// Upgrade is set when the file must be upgraded (its schema, or the
	// tables of record types it does not have yet) before this program can
	// read it, which only a writable file allows.
	Upgrade bool
}

// Error says which file and why.
func (e *ReadOnlyError) Error() string {
	if e.Upgrade {
		return fmt.Sprintf("%s: %v, and it needs an upgrade that writes it: open it once where it can be written", e.Path, ErrReadOnly)
	}
	return fmt.Sprintf("%s: %v", e.Path, ErrReadOnly)
}

// Unwrap returns ErrReadOnly.
func (e *ReadOnlyError) Unwrap() error { return ErrReadOnly }

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

// SchemaTooNewError is the refusal of a replica written by a newer
// program: its schema is File, this program knows up to Program. Open
// refuses such a file without writing to it. It is ErrSchemaTooNew.
type SchemaTooNewError struct {
	Path          string
	File, Program int
}

func (e *SchemaTooNewError) Error() string {
	return fmt.Sprintf("%v: the file has schema %d, this program knows up to %d; use a newer wanxia", ErrSchemaTooNew, e.File, e.Program)
}

// Is makes a SchemaTooNewError match ErrSchemaTooNew.
func (e *SchemaTooNewError) Is(target error) bool { return target == ErrSchemaTooNew }
