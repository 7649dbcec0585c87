package transport

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// The two places where the engine's errors meet the wire: wireError at
// the hub, from a sentinel to a Connect code; hubError at the office, from
// a Connect code back to a sentinel, in a *syncsvc.HubError.

// wireError chooses the Connect code for an error of the hub.
func wireError(err error) error {
	var code connect.Code
	switch {
	case errors.Is(err, syncsvc.ErrUnauthenticated):
		code = connect.CodeUnauthenticated
	case errors.Is(err, syncsvc.ErrOutOfScope), errors.Is(err, syncsvc.ErrPermission):
		code = connect.CodePermissionDenied
	case errors.Is(err, syncsvc.ErrSchemaTooOld), errors.Is(err, syncsvc.ErrClockSkew), errors.Is(err, syncsvc.ErrSchemaTooNew):
		code = connect.CodeFailedPrecondition
	case errors.Is(err, syncsvc.ErrBatchTooLarge):
		code = connect.CodeResourceExhausted
	case errors.Is(err, syncsvc.ErrInvalidChange), errors.Is(err, cadre.ErrInvalid), errors.Is(err, syncsvc.ErrUnknownType):
		code = connect.CodeInvalidArgument
	case errors.Is(err, syncsvc.ErrOfficeExists):
		code = connect.CodeAlreadyExists
	case errors.Is(err, syncsvc.ErrNotFound):
		code = connect.CodeNotFound
	case errors.Is(err, context.Canceled):
		code = connect.CodeCanceled
	case errors.Is(err, context.DeadlineExceeded):
		code = connect.CodeDeadlineExceeded
	default:
		code = connect.CodeInternal // ErrDamaged among them
	}
	return connect.NewError(code, err)
}

// isNetworkFault is syncsvc.IsNetworkFault for what a Connect client
// returned: the codes of a call that got no answer count as a fault, an
// error the hub (or a proxy before it) sent over the wire does not.
func isNetworkFault(err error) bool {
	switch connect.CodeOf(err) {
	case connect.CodeUnavailable, connect.CodeDeadlineExceeded, connect.CodeCanceled:
		return true
	}
	var cerr *connect.Error
	if errors.As(err, &cerr) && connect.IsWireError(cerr) {
		return false
	}
	return syncsvc.IsNetworkFault(err)
}

// hubError turns what a Connect call to the hub returned into a
// *syncsvc.HubError wrapping the sentinel its code stands for; nil stays
// nil and a cancelled context stays itself.
func hubError(err error) error {
	if err == nil || errors.Is(err, context.Canceled) && !isNetworkFault(err) {
		return err
	}
	var he *syncsvc.HubError
	if errors.As(err, &he) {
		return err
	}
	var cerr *connect.Error
	said := ""
	if errors.As(err, &cerr) {
		said = cerr.Message()
	}
	kind := syncsvc.ErrHubFailed
	retryAfter, busy := busyWait(cerr)
	switch code := connect.CodeOf(err); {
	case busy:
		kind = syncsvc.ErrHubBusy
	case isNetworkFault(err):
		kind, said = syncsvc.ErrHubUnreachable, ""
	case code == connect.CodeUnauthenticated:
		kind = syncsvc.ErrUnauthenticated
	case code == connect.CodePermissionDenied && strings.Contains(said, syncsvc.ErrNodeOfOtherOffice.Error()):
		kind = syncsvc.ErrNodeOfOtherOffice
	case code == connect.CodePermissionDenied:
		kind = syncsvc.ErrPermission
	case code == connect.CodeInvalidArgument:
		kind = syncsvc.ErrInvalidChange
	case code == connect.CodeFailedPrecondition && strings.Contains(said, syncsvc.ErrClockSkew.Error()):
		kind = syncsvc.ErrClockSkew
	case code == connect.CodeFailedPrecondition && strings.Contains(said, syncsvc.ErrSchemaTooOld.Error()):
		kind = syncsvc.ErrSchemaTooOld
	case code == connect.CodeFailedPrecondition:
		kind = syncsvc.ErrHubRefused
	case code == connect.CodeResourceExhausted:
		kind = syncsvc.ErrBatchTooLarge
	case code == connect.CodeNotFound:
		kind = syncsvc.ErrNotFound
	case code == connect.CodeInternal && strings.Contains(said, syncsvc.ErrDamaged.Error()):
		kind = syncsvc.ErrDamaged
	}
	he = &syncsvc.HubError{Message: said, Kind: kind, Err: err, RetryAfter: retryAfter}
	if kind == syncsvc.ErrClockSkew && cerr != nil {
		for _, d := range cerr.Details() {
			if v, derr := d.Value(); derr == nil {
				if ts, ok := v.(*timestamppb.Timestamp); ok {
					he.HubTime = ts.AsTime()
				}
			}
		}
	}
	return he
}

// busyWait reports whether a call was turned away because the hub (or a
// proxy before it) was busy, and the wait it asked for: Unavailable with a
// google.protobuf.Duration detail (limiter.busyError) or a Retry-After
// header in seconds; the wait is zero when neither says it but the hub's
// words are syncsvc.ErrHubBusy's.
func busyWait(cerr *connect.Error) (time.Duration, bool) {
	if cerr == nil || cerr.Code() != connect.CodeUnavailable {
		return 0, false
	}
	for _, d := range cerr.Details() {
		if v, err := d.Value(); err == nil {
			if wait, ok := v.(*durationpb.Duration); ok && wait.IsValid() && wait.AsDuration() >= 0 {
				return wait.AsDuration(), true
			}
		}
	}
	if secs, err := strconv.Atoi(cerr.Meta().Get("Retry-After")); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	return 0, connect.IsWireError(cerr) && strings.Contains(cerr.Message(), syncsvc.ErrHubBusy.Error())
}
