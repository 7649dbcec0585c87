package transport_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/types/known/durationpb"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// probe is a node id for calls that sync nothing.
var probe = uuid.MustParse("0193a5b0-0000-7000-8000-00000000b0b0")

// holdPlace takes one of the hub's places for calls and keeps it until the
// returned function is called: a push whose body never finishes arriving,
// which the hub's handler waits to read inside its place. It returns once
// the hub turns a Hello away, so the place is taken.
func holdPlace(t *testing.T, h *testHub, token string) (release func()) {
	t.Helper()
	body, send := io.Pipe()
	req, err := http.NewRequest(http.MethodPost, h.srv.URL+syncv1connect.SyncServicePushProcedure, body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/proto")
	done := make(chan struct{})
	go func() {
		defer close(done)
		if res, err := h.srv.Client().Do(req); err == nil {
			res.Body.Close()
		}
	}()
	_, err = send.Write([]byte{0x0a}) // the first byte of a message, and no more
	require.NoError(t, err)
	client := h.client(token)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := client.Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: probe[:]}))
		if connect.CodeOf(err) == connect.CodeUnavailable {
			break
		}
		require.True(t, time.Now().Before(deadline), "the held push never took the place: %v", err)
		time.Sleep(5 * time.Millisecond)
	}
	return func() {
		send.CloseWithError(errors.New("released"))
		<-done
	}
}

func TestABusyHubTurnsCallsAwayWithAWait(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startLimitedHub(t, p, syncsvc.HubOptions{}, transport.Limits{Calls: 1, Waiting: 1, Wait: 50 * time.Millisecond, RetryAfter: 1500 * time.Millisecond})
		_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
		require.NoError(t, err)
		release := holdPlace(t, h, token)

		// On the wire: Unavailable, the wait as a detail and as Retry-After.
		_, err = h.client(token).Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: probe[:]}))
		var cerr *connect.Error
		require.ErrorAs(t, err, &cerr)
		assert.Equal(t, connect.CodeUnavailable, cerr.Code())
		assert.Contains(t, cerr.Message(), syncsvc.ErrHubBusy.Error())
		require.Len(t, cerr.Details(), 1)
		v, err := cerr.Details()[0].Value()
		require.NoError(t, err)
		assert.Equal(t, 1500*time.Millisecond, v.(*durationpb.Duration).AsDuration())
		if p == nil {
			assert.Equal(t, "2", cerr.Meta().Get("Retry-After"), "in whole seconds, rounded up")
		}

		// At the office: the engine's sentinel, with the wait, not a network fault.
		c, err := transport.NewClient(transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Options: p})
		require.NoError(t, err)
		_, err = c.Pull(ctx, syncsvc.PullRequest{Node: probe})
		assert.ErrorIs(t, err, syncsvc.ErrHubBusy, "a call other than Hello waits at most Limits.Wait, then is turned away")
		var he *syncsvc.HubError
		require.ErrorAs(t, err, &he)
		assert.Equal(t, 1500*time.Millisecond, he.RetryAfter)
		assert.False(t, syncsvc.IsNetworkFault(err))

		// An agent told not to wait gives up at once, keeping its work.
		r, agent := h.install(t, "sy", token)
		x := testkit.Cadre(1, "sy")
		_, err = r.PutCadre(ctx, &x)
		require.NoError(t, err)
		impatient, err := transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client(), Options: p},
			syncsvc.AgentOptions{BusyRetries: -1})
		require.NoError(t, err)
		_, err = impatient.Sync(ctx)
		assert.ErrorIs(t, err, syncsvc.ErrHubBusy)
		n, err := r.OutboxLen(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, n)

		release()
		rep := syncOK(t, agent)
		assert.Equal(t, 1, rep.Pushed, "the place freed, the office syncs")
	})
}

// TestOfficesTurnedAwayAllSync: twenty offices sync at once into a hub that
// works on one call at a time and lets two wait; the others are turned away
// and come back when told, until every office has synced.
func TestOfficesTurnedAwayAllSync(t *testing.T) {
	t.Parallel()
	h := startLimitedHub(t, nil, syncsvc.HubOptions{}, transport.Limits{Calls: 1, Waiting: 2, Wait: 20 * time.Millisecond, RetryAfter: 20 * time.Millisecond})
	const offices = 20
	var turnedAway atomic.Int64
	agents := make([]*syncsvc.Agent, offices)
	for i := range offices {
		community := fmt.Sprintf("c%d", i)
		_, token, err := h.r.AddOffice(ctx, fmt.Sprintf("o%d", i), community, []string{community})
		require.NoError(t, err)
		r, _ := h.install(t, fmt.Sprintf("o%d", i), token)
		for j := range 3 {
			c := testkit.Cadre(i*3+j, community)
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
		agents[i], err = transport.NewAgent(r.Replica, transport.ClientConfig{HubURL: h.srv.URL, Token: token, HTTPClient: h.srv.Client()},
			syncsvc.AgentOptions{Progress: func(p syncsvc.Progress) {
				if p.Phase == "busy" {
					turnedAway.Add(1)
					assert.GreaterOrEqual(t, p.Wait, 20*time.Millisecond, "at least the wait the hub asked for")
					assert.LessOrEqual(t, p.Wait, 40*time.Millisecond, "and at most as much again")
				}
			}})
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Go(func() {
			_, err := a.Sync(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Positive(t, turnedAway.Load(), "the hub turned calls away")
	cadres, err := h.r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, cadres, 3*offices, "every office's cadres reached the hub")
}
