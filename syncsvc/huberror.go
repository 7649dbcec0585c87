package syncsvc

import (
	"context"
	"errors"
	"strings"

	"connectrpc.com/connect"
)

// Errors of the office's side of sync, for what the hub answered (or did
// not). The agent's calls return them, wrapped in a *HubError, so that a
// program tests errors.Is on the package's own sentinels and never on the
// transport's codes.
var (
	// ErrHubUnreachable: the hub could not be reached, or did not answer
	// in time, or the answer broke off: a network fault. Nothing the office
	// holds is lost; the same sync run again goes on where it stopped.
	ErrHubUnreachable = errors.New("the hub cannot be reached")
	// ErrHubRefused: the hub answered and refused, for a reason none of the
	// more particular sentinels names.
	ErrHubRefused = errors.New("the hub refused")
	// ErrHubFailed: the hub failed for a reason of its own.
	ErrHubFailed = errors.New("the hub failed")
)

// HubError is the hub's answer to a call, as this package's error. It
// wraps the sentinel the answer stands for — ErrHubUnreachable,
// ErrUnauthenticated, ErrNodeOfOtherOffice, ErrPermission,
// ErrInvalidChange, ErrClockSkew, ErrSchemaTooOld, ErrBatchTooLarge,
// ErrDamaged, ErrNotFound, ErrHubRefused or ErrHubFailed — and keeps the
// hub's own words.
type HubError struct {
	// Message is what the hub said, in its words (English), "" when it
	// said nothing (a network fault).
	Message string
	kind    error
	wire    error
}

func (e *HubError) Error() string { return e.wire.Error() }

// Unwrap returns the sentinel and the transport's error.
func (e *HubError) Unwrap() []error { return []error{e.kind, e.wire} }

// HubMessage returns what the hub said in an error the agent returned, ""
// when it said nothing.
func HubMessage(err error) string {
	var he *HubError
	if errors.As(err, &he) {
		return he.Message
	}
	return ""
}

// hubError turns what a call to the hub returned into a *HubError; nil
// stays nil and a cancelled context stays itself.
func hubError(err error) error {
	if err == nil || errors.Is(err, context.Canceled) && !IsNetworkFault(err) {
		return err
	}
	var he *HubError
	if errors.As(err, &he) {
		return err
	}
	var cerr *connect.Error
	said := ""
	if errors.As(err, &cerr) {
		said = cerr.Message()
	}
	kind := ErrHubFailed
	switch code := connect.CodeOf(err); {
	case IsNetworkFault(err):
		kind, said = ErrHubUnreachable, ""
	case code == connect.CodeUnauthenticated:
		kind = ErrUnauthenticated
	case code == connect.CodePermissionDenied && strings.Contains(said, ErrNodeOfOtherOffice.Error()):
		kind = ErrNodeOfOtherOffice
	case code == connect.CodePermissionDenied:
		kind = ErrPermission
	case code == connect.CodeInvalidArgument:
		kind = ErrInvalidChange
	case code == connect.CodeFailedPrecondition && strings.Contains(said, ErrClockSkew.Error()):
		kind = ErrClockSkew
	case code == connect.CodeFailedPrecondition && strings.Contains(said, ErrSchemaTooOld.Error()):
		kind = ErrSchemaTooOld
	case code == connect.CodeFailedPrecondition:
		kind = ErrHubRefused
	case code == connect.CodeResourceExhausted:
		kind = ErrBatchTooLarge
	case code == connect.CodeNotFound:
		kind = ErrNotFound
	case code == connect.CodeInternal && strings.Contains(said, ErrDamaged.Error()):
		kind = ErrDamaged
	}
	return &HubError{Message: said, kind: kind, wire: err}
}

// NewHubError makes the error the agent returns when the hub answered
// with message for the reason kind (one of the sentinels HubError lists):
// for programs that stand in for a hub, and for tests of what a caller
// says about each answer.
func NewHubError(kind error, message string) error {
	return &HubError{Message: message, kind: kind, wire: errors.New(message)}
}
