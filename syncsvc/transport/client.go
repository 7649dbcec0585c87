package transport

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
)

// ClientConfig says how an office reaches its hub.
type ClientConfig struct {
	// HubURL is the hub's base URL, e.g. "https://hub.example:8080".
	HubURL string
	// Token is the office's bearer token.
	Token string
	// HTTPClient carries the calls; nil means a client of its own whose
	// connecting, TLS handshake and wait for the hub's answer are bounded
	// (DefaultHTTPClient with CallTimeout). Use one that speaks HTTP/2 for
	// the gRPC protocol.
	HTTPClient connect.HTTPClient
	// CallTimeout bounds the wait for the hub's answer of the default HTTP
	// client; zero means syncsvc.DefaultCallTimeout, negative no bound.
	CallTimeout time.Duration
	// Options are passed to the Connect client (connect.WithGRPC(), for
	// example).
	Options []connect.ClientOption
}

// Client calls the hub over Connect: it implements syncsvc.HubClient.
// Every error it returns for what the hub answered, or did not, is a
// *syncsvc.HubError (see hubError), never a Connect error.
type Client struct {
	c syncv1connect.SyncServiceClient
	// changeStamps: the hub's last answered Hello said it reads
	// Change.stamp (HelloResponse.change_stamps), so pushes leave out of
	// each field the stamp its change carries. False before any Hello and
	// for an older hub, which is sent every field's stamp.
	changeStamps atomic.Bool
}

var _ syncsvc.HubClient = (*Client)(nil)

// NewClient returns a client of the hub at cfg.HubURL that sends
// cfg.Token with every call.
func NewClient(cfg ClientConfig) (*Client, error) {
	if cfg.HubURL == "" || cfg.Token == "" {
		return nil, fmt.Errorf("new client: %w: give the hub URL and the office token", syncsvc.ErrInvalidChange)
	}
	if cfg.HTTPClient == nil {
		timeout := cfg.CallTimeout
		if timeout == 0 {
			timeout = syncsvc.DefaultCallTimeout
		}
		cfg.HTTPClient = DefaultHTTPClient(timeout)
	}
	token := cfg.Token
	auth := connect.UnaryInterceptorFunc(func(next connect.UnaryFunc) connect.UnaryFunc {
		return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
			req.Header().Set("Authorization", "Bearer "+token)
			return next(ctx, req)
		}
	})
	// The generated marshalling (vtCodec); cfg.Options come after, and
	// may choose another codec.
	opts := append([]connect.ClientOption{connect.WithInterceptors(auth), connect.WithCodec(wireCodec)}, cfg.Options...)
	return &Client{c: syncv1connect.NewSyncServiceClient(cfg.HTTPClient, cfg.HubURL, opts...)}, nil
}

// NewAgent returns an office replica's sync agent calling the hub over
// Connect as cfg says; opts.Hub and opts.Token are filled in from cfg, and
// cfg.CallTimeout, when zero, is opts.CallTimeout.
func NewAgent(r *syncsvc.Replica, cfg ClientConfig, opts syncsvc.AgentOptions) (*syncsvc.Agent, error) {
	if cfg.HubURL == "" || cfg.Token == "" {
		return nil, fmt.Errorf("new agent: %w: give the hub URL and the office token", syncsvc.ErrInvalidChange)
	}
	if cfg.CallTimeout == 0 {
		cfg.CallTimeout = opts.CallTimeout
	}
	c, err := NewClient(cfg)
	if err != nil {
		return nil, err
	}
	opts.Hub, opts.Token = c, cfg.Token
	return syncsvc.NewAgent(r, opts)
}

// DefaultHTTPClient returns the HTTP client a Client uses when given none:
// connecting takes at most 10 seconds, a TLS handshake 10 seconds, and the
// hub's answer must begin within callTimeout (when positive) of the
// request being sent. Proxies come from the environment, as with
// http.DefaultTransport.
func DefaultHTTPClient(callTimeout time.Duration) *http.Client {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		IdleConnTimeout:       90 * time.Second,
		MaxIdleConns:          10,
	}
	if callTimeout > 0 {
		t.ResponseHeaderTimeout = callTimeout
	}
	return &http.Client{Transport: t}
}

// Hello says Hello to the hub.
func (c *Client) Hello(ctx context.Context, req syncsvc.HelloRequest) (syncsvc.HelloInfo, error) {
	msg := &syncv1.HelloRequest{SchemaVersion: int32(req.Schema), Node: req.Node[:],
		Pulled: req.Pulled, Acknowledged: req.Acknowledged, HubEpoch: req.Epoch}
	if !req.OfficeTime.IsZero() {
		msg.OfficeTime = timestamppb.New(req.OfficeTime)
	}
	res, err := c.c.Hello(ctx, connect.NewRequest(msg))
	if err != nil {
		return syncsvc.HelloInfo{}, hubError(err)
	}
	h := res.Msg
	c.changeStamps.Store(h.GetChangeStamps())
	info := syncsvc.HelloInfo{
		SchemaVersion: int(h.GetSchemaVersion()), MinSchemaVersion: int(h.GetMinSchemaVersion()),
		ClockOffset: time.Duration(h.GetClockOffsetMs()) * time.Millisecond,
		Office:      syncsvc.Office{ID: h.GetOfficeId(), Name: h.GetOfficeName()}, Scopes: h.GetScopes(),
		Acknowledged: h.GetAcknowledged(), AcknowledgedTip: h.GetAcknowledgedTip(),
		Epoch: h.GetHubEpoch(), LastSeq: h.GetLastSeq(), MaxBatch: int(h.GetMaxBatch()),
		MaxSkew: time.Duration(h.GetMaxSkewMs()) * time.Millisecond, DistrictKey: h.GetDistrictKey(),
	}
	if h.GetHubTime() != nil {
		info.HubTime = h.GetHubTime().AsTime()
	}
	return info, nil
}

// Push sends a batch of the office's log, or whole records to reconcile:
// in the compact form (changesToProto) when the hub's last Hello said it
// reads it, else in the full form.
func (c *Client) Push(ctx context.Context, req syncsvc.PushRequest) (syncsvc.PushResponse, error) {
	msg := &syncv1.PushRequest{Node: req.Node[:], Changes: changesToProto(req.Changes, c.changeStamps.Load()), Reconcile: req.Reconcile,
		ReconciledThrough: req.ReconciledThrough, ReconciledTip: req.ReconciledTip}
	res, err := c.c.Push(ctx, connect.NewRequest(msg))
	if err != nil {
		return syncsvc.PushResponse{}, hubError(err)
	}
	out := syncsvc.PushResponse{Acknowledged: res.Msg.GetAcknowledged(), Gap: res.Msg.GetGap(), Held: rangesFromProto(res.Msg.GetHeld())}
	for _, f := range res.Msg.GetRefused() {
		id, _ := uuid.FromBytes(f.GetId())
		out.Refused = append(out.Refused, syncsvc.RefusedChange{Seq: f.GetSeq(), Table: f.GetTable(), ID: id,
			Code: f.GetCode(), Reason: f.GetReason()})
	}
	return out, nil
}

// Pull returns the changes above req.After, or syncsvc.ErrSnapshotRequired.
// It reads both forms of a change, and tells the hub so (change_stamps).
func (c *Client) Pull(ctx context.Context, req syncsvc.PullRequest) (syncsvc.ChangesPage, error) {
	res, err := c.c.Pull(ctx, connect.NewRequest(&syncv1.PullRequest{After: req.After, Limit: int32(req.Limit), Node: req.Node[:],
		Held: rangesToProto(req.Held), ChangeStamps: true}))
	if err != nil {
		return syncsvc.ChangesPage{}, hubError(err)
	}
	if res.Msg.GetSnapshotRequired() {
		return syncsvc.ChangesPage{}, syncsvc.ErrSnapshotRequired
	}
	chs, err := changesFromProto(res.Msg.GetChanges())
	if err != nil {
		return syncsvc.ChangesPage{}, fmt.Errorf("the hub's answer to pull: %w", err)
	}
	return syncsvc.ChangesPage{Changes: chs, Next: res.Msg.GetNext(), More: res.Msg.GetMore()}, nil
}

// Snapshot returns a chunk of the records of the office's scopes. It reads
// both forms of a record, and tells the hub so (change_stamps).
func (c *Client) Snapshot(ctx context.Context, req syncsvc.SnapshotRequest) (syncsvc.SnapshotPage, error) {
	res, err := c.c.Snapshot(ctx, connect.NewRequest(&syncv1.SnapshotRequest{
		Cursor: &syncv1.SnapshotCursor{Table: req.Cursor.Table, Id: req.Cursor.ID}, Limit: int32(req.Limit), Node: req.Node[:],
		ChangeStamps: true}))
	if err != nil {
		return syncsvc.SnapshotPage{}, hubError(err)
	}
	recs, err := changesFromProto(res.Msg.GetRecords())
	if err != nil {
		return syncsvc.SnapshotPage{}, fmt.Errorf("the hub's answer to snapshot: %w", err)
	}
	return syncsvc.SnapshotPage{Seq: res.Msg.GetSeq(), Records: recs,
		Next: syncsvc.SnapshotCursor{Table: res.Msg.GetNext().GetTable(), ID: res.Msg.GetNext().GetId()}, Done: res.Msg.GetDone()}, nil
}
