package transport_test

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// countingCodec is the wire codec counting the messages it marshals and
// unmarshals by type, and those of them that have the generated code.
type countingCodec struct {
	connect.Codec
	mu        sync.Mutex
	marshal   map[string]int
	unmarshal map[string]int
	notVT     []string
}

func newCountingCodec() *countingCodec {
	return &countingCodec{Codec: transport.WireCodec(), marshal: map[string]int{}, unmarshal: map[string]int{}}
}

func (c *countingCodec) count(counts map[string]int, msg any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	name := fmt.Sprintf("%T", msg)
	counts[name]++
	if _, ok := msg.(vtMessage); !ok {
		c.notVT = append(c.notVT, name)
	}
}

func (c *countingCodec) Marshal(msg any) ([]byte, error) {
	c.count(c.marshal, msg)
	return c.Codec.Marshal(msg)
}

func (c *countingCodec) MarshalAppend(dst []byte, msg any) ([]byte, error) {
	c.count(c.marshal, msg)
	return c.Codec.(interface {
		MarshalAppend([]byte, any) ([]byte, error)
	}).MarshalAppend(dst, msg)
}

func (c *countingCodec) Unmarshal(data []byte, msg any) error {
	c.count(c.unmarshal, msg)
	return c.Codec.Unmarshal(data, msg)
}

// counts returns the number of messages of each type marshalled and
// unmarshalled so far, and resets them.
func (c *countingCodec) counts() (marshal, unmarshal map[string]int, notVT []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	marshal, unmarshal, notVT = c.marshal, c.unmarshal, c.notVT
	c.marshal, c.unmarshal, c.notVT = map[string]int{}, map[string]int{}, nil
	return marshal, unmarshal, notVT
}

// The hub's handler and the office's client both marshal and unmarshal
// with the wire codec, over Connect and gRPC: a sync sends each message
// of its calls through it. (A request the hub unmarshals, an answer the
// client does: the types tell the two ends apart.) Not parallel: it
// replaces the wire codec while its hubs and clients are built.
func TestHandlerAndClientUseTheWireCodec(t *testing.T) {
	forEachProtocol(t, func(t *testing.T, protocol []connect.ClientOption) {
		codec := newCountingCodec()
		transport.UseWireCodec(t, codec)
		h := startHub(t, protocol, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		r, agent := h.install(t, "sy", token)
		cadres := testkit.Cadres(0, 3, "sy")
		for i := range cadres {
			_, err := r.PutCadre(ctx, &cadres[i])
			require.NoError(t, err)
		}
		syncOK(t, agent)
		for _, c := range cadres {
			_, err := h.r.Get(ctx, store.CadresTable, c.ID)
			require.NoError(t, err, "the hub took the office's cadre")
		}

		marshal, unmarshal, notVT := codec.counts()
		t.Logf("marshalled %v, unmarshalled %v", marshal, unmarshal)
		for _, name := range []string{"Hello", "Push", "Pull"} {
			req, res := "*syncv1."+name+"Request", "*syncv1."+name+"Response"
			assert.Positive(t, marshal[req], "the client marshals %s with the wire codec", req)
			assert.Positive(t, unmarshal[req], "the hub unmarshals %s with the wire codec", req)
			assert.Positive(t, marshal[res], "the hub marshals %s with the wire codec", res)
			assert.Positive(t, unmarshal[res], "the client unmarshals %s with the wire codec", res)
		}
		assert.Empty(t, notVT, "every message of a sync has the generated code")
	})
}

// The hub still answers JSON, over Connect and gRPC, with Connect's own
// codec: the wire codec replaces only binary protobuf.
func TestHubStillSpeaksJSON(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, protocol []connect.ClientOption) {
		h := startHub(t, append(slices.Clone(protocol), connect.WithProtoJSON()), syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		node := [16]byte{0: 1, 15: 2}
		res, err := h.client(token).Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: node[:]}))
		require.NoError(t, err)
		assert.Equal(t, "舜园", res.Msg.GetOfficeName())
	})
}
