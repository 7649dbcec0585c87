package transport_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// TestAgentErrorsAreTheHubsAnswerAsSentinels: what the agent returns is
// tested with errors.Is on the package's sentinels, never on transport
// codes.
func TestAgentErrorsAreTheHubsAnswerAsSentinels(t *testing.T) {
	h := startHub(t, nil, syncsvc.HubOptions{})
	_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)

	_, bad := h.install(t, "sy", token+"x")
	_, err = bad.Sync(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
	var he *syncsvc.HubError
	require.ErrorAs(t, err, &he)
	assert.NotEmpty(t, syncsvc.HubMessage(err), "the hub's own words are kept")
	assert.False(t, syncsvc.IsNetworkFault(err))

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	r := openReplica(t, syncsvc.RoleOffice, nil)
	a, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: "http://" + addr, Token: token}, syncsvc.AgentOptions{Retries: 1, RetryDelay: time.Millisecond})
	require.NoError(t, err)
	_, err = a.Sync(ctx)
	require.Error(t, err)
	assert.ErrorIs(t, err, syncsvc.ErrHubUnreachable)
	assert.True(t, syncsvc.IsNetworkFault(err))
	assert.Empty(t, syncsvc.HubMessage(err), "an unreachable hub said nothing")

	made := syncsvc.NewHubError(syncsvc.ErrNodeOfOtherOffice, "node of another office")
	assert.ErrorIs(t, made, syncsvc.ErrNodeOfOtherOffice)
	assert.ErrorIs(t, made, syncsvc.ErrPermission, "a node of another office is a permission refusal")
	assert.False(t, errors.Is(made, syncsvc.ErrHubUnreachable))
}
