package transport_test

import (
	"net/http"
	"strings"
	"testing"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
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
		c := testkit.Cadre(1, "sy")
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

func TestDuplicatedPushChangesNothing(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		token, out, req := threeCadresToPush(t, h)
		cl := h.client(token)
		first, err := cl.Push(ctx, connect.NewRequest(req))
		require.NoError(t, err)
		assert.Equal(t, out[2].Seq, first.Msg.GetAcknowledged())
		seq, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		again, err := cl.Push(ctx, connect.NewRequest(req))
		require.NoError(t, err)
		assert.Equal(t, first.Msg.GetAcknowledged(), again.Msg.GetAcknowledged())
		seq2, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		assert.Equal(t, seq, seq2, "the second push logged nothing")
	})
}

// threeCadresToPush registers office sy, records three cadres there and
// returns its token, its outbox and a push request carrying the outbox.
func threeCadresToPush(t *testing.T, h *testHub) (string, []syncsvc.Change, *syncv1.PushRequest) {
	t.Helper()
	_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	r, _ := h.install(t, "sy", token)
	for i := range 3 {
		x := testkit.Cadre(i, "sy")
		_, err := r.PutCadre(ctx, &x)
		require.NoError(t, err)
	}
	out, err := r.Outbox(ctx, 10)
	require.NoError(t, err)
	node := r.Node()
	req := &syncv1.PushRequest{Node: node[:]}
	for _, ch := range out {
		req.Changes = append(req.Changes, transport.ChangeToProto(ch, false))
	}
	return token, out, req
}

func TestOversizeRequestsAreRefused(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{MaxBatch: 2, MaxRequestBytes: 32 << 10})
		token, _, req := threeCadresToPush(t, h)
		before, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		_, err = h.client(token).Push(ctx, connect.NewRequest(req))
		assert.Equal(t, connect.CodeResourceExhausted, connect.CodeOf(err), "more changes than a batch may carry")

		req.Changes = req.Changes[:1]
		req.Changes[0].Fields[0].Value = &syncv1.Value{Kind: &syncv1.Value_Text{Text: strings.Repeat("长", 20000)}}
		_, err = h.client(token).Push(ctx, connect.NewRequest(req))
		assert.Equal(t, connect.CodeResourceExhausted, connect.CodeOf(err), "a request over the size limit")
		seq, err := h.r.LastSeq(ctx)
		require.NoError(t, err)
		assert.Equal(t, before, seq, "nothing was written")
	})
}

func TestHealthAndPlainHTTP(t *testing.T) {
	t.Parallel()
	h := startHub(t, nil, syncsvc.HubOptions{})
	res, err := h.srv.Client().Post(h.srv.URL+"/grpc.health.v1.Health/Check", "application/json", strings.NewReader(`{}`))
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
}
