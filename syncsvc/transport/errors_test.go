package transport

import (
	"errors"
	"io"
	"net"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/wanxia/wanxia/syncsvc"
)

func TestNetworkFaultsAreToldFromRefusals(t *testing.T) {
	for _, err := range []error{
		connect.NewError(connect.CodeUnavailable, errors.New("dial tcp 127.0.0.1:1: connect: connection refused")),
		connect.NewError(connect.CodeUnknown, io.ErrUnexpectedEOF),
		connect.NewError(connect.CodeDeadlineExceeded, errors.New("context deadline exceeded")),
		connect.NewError(connect.CodeCanceled, errors.New(`Post "http://hub/x": context canceled`)),
		&net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")},
	} {
		assert.True(t, isNetworkFault(err), "%v", err)
		assert.ErrorIs(t, hubError(err), syncsvc.ErrHubUnreachable, "%v", err)
		assert.Empty(t, syncsvc.HubMessage(hubError(err)), "an unreachable hub said nothing")
	}
	for _, code := range []connect.Code{connect.CodePermissionDenied, connect.CodeInvalidArgument, connect.CodeFailedPrecondition,
		connect.CodeUnauthenticated, connect.CodeInternal, connect.CodeResourceExhausted} {
		err := connect.NewWireError(code, errors.New("the hub says no: unexpected EOF in its own words"))
		assert.False(t, isNetworkFault(err), "%v", err)
		assert.False(t, syncsvc.IsNetworkFault(hubError(err)), "%v", err)
		assert.Equal(t, "the hub says no: unexpected EOF in its own words", syncsvc.HubMessage(hubError(err)))
	}
	assert.False(t, isNetworkFault(nil))
}

// TestConnectCodesBecomeSentinels: each code the hub answers with comes
// back to the office as the sentinel it stands for, in a *syncsvc.HubError
// that keeps the hub's words; a clock-skew refusal keeps the hub's time.
func TestConnectCodesBecomeSentinels(t *testing.T) {
	for _, c := range []struct {
		err  error
		want error
	}{
		{syncsvc.ErrUnauthenticated, syncsvc.ErrUnauthenticated},
		{syncsvc.ErrNodeOfOtherOffice, syncsvc.ErrNodeOfOtherOffice},
		{syncsvc.ErrOutOfScope, syncsvc.ErrPermission},
		{syncsvc.ErrInvalidChange, syncsvc.ErrInvalidChange},
		{syncsvc.ErrClockSkew, syncsvc.ErrClockSkew},
		{syncsvc.ErrSchemaTooOld, syncsvc.ErrSchemaTooOld},
		{syncsvc.ErrSchemaTooNew, syncsvc.ErrHubRefused},
		{syncsvc.ErrBatchTooLarge, syncsvc.ErrBatchTooLarge},
		{syncsvc.ErrNotFound, syncsvc.ErrNotFound},
		{syncsvc.ErrDamaged, syncsvc.ErrDamaged},
		{errors.New("disk full"), syncsvc.ErrHubFailed},
	} {
		var cerr *connect.Error
		require.ErrorAs(t, wireError(c.err), &cerr)
		got := hubError(connect.NewWireError(cerr.Code(), errors.New(cerr.Message())))
		assert.ErrorIs(t, got, c.want, "%v", c.err)
		var he *syncsvc.HubError
		require.ErrorAs(t, got, &he)
		assert.Equal(t, c.err.Error(), he.Message)
	}

	at := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	skew := connect.NewWireError(connect.CodeFailedPrecondition, syncsvc.ErrClockSkew)
	d, err := connect.NewErrorDetail(timestamppb.New(at))
	require.NoError(t, err)
	skew.AddDetail(d)
	var he *syncsvc.HubError
	require.ErrorAs(t, hubError(skew), &he)
	assert.True(t, at.Equal(he.HubTime), "the hub's clock is kept: %v", he.HubTime)
}
