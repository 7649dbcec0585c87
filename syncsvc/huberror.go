package syncsvc

import (
	"errors"
	"time"
)

// Errors of the office's side of sync, for what the hub answered (or did
// not). A HubClient returns them, wrapped in a *HubError, so that a program
// tests errors.Is on the package's own sentinels and never on the
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
	// ErrHubBusy: the hub was at the limit of the work it takes at once
	// and turned the call away, saying when to come back (HubError's
	// RetryAfter). The agent waits that long, and a random part of it
	// more, and tries again (AgentOptions.BusyRetries); nothing the office
	// holds is lost.
	ErrHubBusy = errors.New("the hub is busy")
)

// HubError is the hub's answer to a call, as this package's error. It
// wraps the sentinel the answer stands for — ErrHubUnreachable,
// ErrUnauthenticated, ErrNodeOfOtherOffice, ErrPermission,
// ErrInvalidChange, ErrClockSkew, ErrSchemaTooOld, ErrBatchTooLarge,
// ErrDamaged, ErrNotFound, ErrHubBusy, ErrHubRefused or ErrHubFailed — and keeps the
// hub's own words. The transport that carries the calls (package
// syncsvc/transport) makes it from what came over the wire.
type HubError struct {
	// Message is what the hub said, in its words (English), "" when it
	// said nothing (a network fault).
	Message string
	// Kind is the sentinel the answer stands for.
	Kind error
	// Err is the transport's own error, as it came; its text is the
	// HubError's.
	Err error
	// HubTime is the hub's clock when it refused a push for stamps ahead of
	// it (ErrClockSkew), zero when it did not say.
	HubTime time.Time
	// RetryAfter is how long the hub asked the office to wait before
	// trying again (ErrHubBusy), zero when it did not say.
	RetryAfter time.Duration
}

// Error is the transport's own words, as they came.
func (e *HubError) Error() string { return e.Err.Error() }

// Unwrap returns the sentinel and the transport's error.
func (e *HubError) Unwrap() []error { return []error{e.Kind, e.Err} }

// HubMessage returns what the hub said in an error the agent returned, ""
// when it said nothing.
func HubMessage(err error) string {
	var he *HubError
	if errors.As(err, &he) {
		return he.Message
	}
	return ""
}

// NewHubError makes the error the agent returns when the hub answered
// with message for the reason kind (one of the sentinels HubError lists):
// for programs that stand in for a hub, and for tests of what a caller
// says about each answer.
func NewHubError(kind error, message string) error {
	return &HubError{Message: message, Kind: kind, Err: errors.New(message)}
}
