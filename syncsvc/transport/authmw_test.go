package transport_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"connectrpc.com/connect"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// readCounter counts the bytes the hub's handler reads of a request body.
type readCounter struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b readCounter) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// filler is a request body of n bytes that costs the sender no memory.
type filler struct{ n int64 }

func (f *filler) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, io.EOF
	}
	k := min(int64(len(p)), f.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	f.n -= k
	return int(k), nil
}

// countedHub serves a hub's handler over TLS and HTTP/2 (or plain
// HTTP/1.1), counting the request body bytes the handler reads.
func countedHub(t *testing.T, http2 bool) (*store.Replica, *httptest.Server, *atomic.Int64) {
	t.Helper()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	r := openReplica(t, syncsvc.RoleHub, clk.Now)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	var read atomic.Int64
	inner := transport.Handler(hub)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		req.Body = readCounter{req.Body, &read}
		inner.ServeHTTP(w, req)
	}))
	if http2 {
		srv.EnableHTTP2 = true
		srv.StartTLS()
	} else {
		srv.Start()
	}
	t.Cleanup(srv.Close)
	return r, srv, &read
}

func TestUnauthenticatedCallsAreRefusedBeforeTheirBodyIsRead(t *testing.T) {
	t.Parallel()
	const calls, size = 16, 8 << 20
	for _, http2 := range []bool{true, false} {
		t.Run(fmt.Sprintf("http2=%v", http2), func(t *testing.T) {
			r, srv, read := countedHub(t, http2)
			_, token, err := r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
			require.NoError(t, err)
			// What each call claims to be: the protocol and the credential.
			type shape struct{ contentType, auth, path string }
			shapes := []shape{
				{"application/proto", "", syncv1connect.SyncServicePushProcedure},
				{"application/grpc", "Bearer not-a-token", syncv1connect.SyncServicePushProcedure},
				{"application/grpc-web+proto", "Bearer " + token + "x", syncv1connect.SyncServicePullProcedure},
				{"application/proto", "Bearer " + token, syncv1connect.SyncServiceAddOfficeProcedure}, // an office token is no admin credential
			}
			if !http2 {
				shapes[1].contentType = "application/json" // gRPC needs HTTP/2
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			var wg sync.WaitGroup
			var refused atomic.Int64
			for i := range calls {
				s := shapes[i%len(shapes)]
				wg.Go(func() {
					req, err := http.NewRequest(http.MethodPost, srv.URL+s.path, &filler{n: size})
					if !assert.NoError(t, err) {
						return
					}
					req.ContentLength = size
					req.Header.Set("Content-Type", s.contentType)
					req.Header.Set("Connect-Protocol-Version", "1")
					if s.auth != "" {
						req.Header.Set("Authorization", s.auth)
					}
					if strings.HasPrefix(s.contentType, "application/grpc") {
						req.Header.Set("TE", "trailers")
					}
					res, err := srv.Client().Do(req)
					if !assert.NoError(t, err, "the client gets the hub's answer, not a broken connection") {
						return
					}
					body, _ := io.ReadAll(res.Body)
					res.Body.Close()
					switch {
					case strings.HasPrefix(s.contentType, "application/grpc"):
						assert.Equal(t, http.StatusOK, res.StatusCode)
						status := res.Header.Get("Grpc-Status")
						if status == "" {
							status = res.Trailer.Get("Grpc-Status")
						}
						assert.Equal(t, "16", status, "gRPC code 16 is Unauthenticated")
					default:
						assert.Equal(t, http.StatusUnauthorized, res.StatusCode)
						var e struct{ Code string }
						assert.NoError(t, json.Unmarshal(body, &e), string(body))
						assert.Equal(t, "unauthenticated", e.Code)
					}
					refused.Add(1)
				})
			}
			wg.Wait()
			runtime.ReadMemStats(&after)
			assert.Equal(t, int64(calls), refused.Load())
			if http2 {
				assert.Zero(t, read.Load(), "the handler read no byte of any body")
			} else {
				// An HTTP/1.1 client reads the refusal only once its body is
				// sent: the hub throws the body away after answering.
				assert.LessOrEqual(t, read.Load(), int64(calls*size))
			}
			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d calls of %d MiB each: %.1f MiB allocated in all", calls, size>>20, float64(allocated)/(1<<20))
			assert.Less(t, allocated, uint64(calls*size/4), "the bodies (%d MiB in all) were not taken into memory", calls*size>>20)
		})
	}
}

func TestUnauthenticatedConnectClientsGetUnauthenticated(t *testing.T) {
	t.Parallel()
	big := &syncv1.PushRequest{Node: make([]byte, 16), Changes: []*syncv1.Change{{Table: "cadres", Id: make([]byte, 16), Scope: "sy",
		Fields: []*syncv1.FieldChange{{Name: "name", Value: &syncv1.Value{Kind: &syncv1.Value_Text{Text: strings.Repeat("长", 3<<20)}}}}}}}
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		_, srv, read := countedHub(t, true)
		for _, token := range []string{"", "wrong"} {
			h := &testHub{srv: srv, protocol: p}
			_, err := h.client(token).Push(ctx, connect.NewRequest(big))
			assert.Equal(t, connect.CodeUnauthenticated, connect.CodeOf(err), "%v", err)
			_, err = h.client(token).Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{}))
			assert.Equal(t, connect.CodeUnauthenticated, connect.CodeOf(err), "%v", err)
		}
		assert.Zero(t, read.Load())
	})
}
