package transport_test

import (
	"testing"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
)

func TestAdminCallsOverRPC(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		admin, err := h.r.NewAdminToken(ctx)
		require.NoError(t, err)
		cl := h.client(admin)

		added, err := cl.AddOffice(ctx, connect.NewRequest(&syncv1.AddOfficeRequest{Id: "sy", Name: "舜园社区办公室", Communities: []string{"sy"}}))
		require.NoError(t, err)
		token := added.Msg.GetToken()
		assert.Equal(t, "sy", added.Msg.GetOffice().GetId())
		_, err = h.r.Authenticate(ctx, token)
		require.NoError(t, err, "the token printed once works")

		_, err = cl.AddOffice(ctx, connect.NewRequest(&syncv1.AddOfficeRequest{Id: "sy", Name: "again", Communities: []string{"sy"}}))
		assert.Equal(t, connect.CodeAlreadyExists, connect.CodeOf(err))
		_, err = cl.AddOffice(ctx, connect.NewRequest(&syncv1.AddOfficeRequest{Id: "Bad Id", Name: "x", Communities: []string{"sy"}}))
		assert.Equal(t, connect.CodeInvalidArgument, connect.CodeOf(err))

		// The office syncs; its last sync shows in the list.
		r, agent := h.install(t, "sy", token)
		c := testCadre(t, 1, "sy")
		_, err = r.PutCadre(ctx, &c)
		require.NoError(t, err)
		syncOK(t, agent)
		list, err := cl.ListOffices(ctx, connect.NewRequest(&syncv1.ListOfficesRequest{}))
		require.NoError(t, err)
		require.Len(t, list.Msg.GetOffices(), 1)
		o := list.Msg.GetOffices()[0]
		assert.NotNil(t, o.GetLastSyncAt())
		assert.Equal(t, r.Node().String(), uuidString(o.GetLastNode()))
		assert.EqualValues(t, 1, o.GetAcknowledged())

		rotated, err := cl.RotateToken(ctx, connect.NewRequest(&syncv1.RotateTokenRequest{Id: "sy"}))
		require.NoError(t, err)
		_, err = agent.Sync(ctx)
		assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated, "the old token stops working")
		_, newAgent := h.install(t, "sy", rotated.Msg.GetToken())
		syncOK(t, newAgent)

		_, err = cl.RevokeOffice(ctx, connect.NewRequest(&syncv1.RevokeOfficeRequest{Id: "sy"}))
		require.NoError(t, err)
		_, err = newAgent.Sync(ctx)
		assert.ErrorIs(t, err, syncsvc.ErrUnauthenticated)
		_, err = cl.RevokeOffice(ctx, connect.NewRequest(&syncv1.RevokeOfficeRequest{Id: "nobody"}))
		assert.Equal(t, connect.CodeNotFound, connect.CodeOf(err))
	})
}

func uuidString(b []byte) string {
	var id [16]byte
	copy(id[:], b)
	return syncsvc.NodeID(id).String()
}
