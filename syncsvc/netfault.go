package syncsvc

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
)

// IsNetworkFault reports whether err means that a call got no answer from
// the hub: the connection could not be made, broke in the middle, or
// stalled past its deadline, as opposed to the hub answering with a
// refusal. Nothing the office holds is lost by such a fault; the same sync
// run again once the network is back goes on where it stopped.
//
// A *HubError says itself which it is (ErrHubUnreachable or not); for any
// other error the network's own errors are looked for. A context canceled
// or past its deadline counts as a network fault too; a caller that
// cancelled its own context tells that case apart by looking at its
// context.
func IsNetworkFault(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrHubUnreachable) {
		return true
	}
	var he *HubError
	if errors.As(err, &he) {
		return false // the hub (or a proxy before it) answered, and said no
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	for _, e := range append([]syscall.Errno{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE,
		syscall.ENETUNREACH, syscall.EHOSTUNREACH, syscall.ENETDOWN, syscall.ETIMEDOUT}, osNetFaults...) {
		if errors.Is(err, e) {
			return true
		}
	}
	var nerr net.Error
	if errors.As(err, &nerr) {
		return true
	}
	// What a broken HTTP/2 connection or a proxy cutting a response short
	// says when the transport keeps no typed error.
	msg := err.Error()
	for _, s := range []string{"unexpected EOF", "connection reset", "connection refused", "broken pipe",
		"client connection lost", "use of closed network connection", "server closed idle connection", "no such host",
		"actively refused", "forcibly closed"} {
		if strings.Contains(strings.ToLower(msg), strings.ToLower(s)) {
			return true
		}
	}
	return false
}

// IsUnavailable reports whether err means the hub could not be reached
// (ErrHubUnreachable).
func IsUnavailable(err error) bool {
	return errors.Is(err, ErrHubUnreachable)
}
