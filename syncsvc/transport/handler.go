package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"connectrpc.com/connect"
	"connectrpc.com/grpchealth"
	"connectrpc.com/grpcreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
)

// adminProcedures take the admin credential instead of an office token.
var adminProcedures = map[string]bool{
	syncv1connect.SyncServiceAddOfficeProcedure:    true,
	syncv1connect.SyncServiceListOfficesProcedure:  true,
	syncv1connect.SyncServiceRotateTokenProcedure:  true,
	syncv1connect.SyncServiceRevokeOfficeProcedure: true,
}

type officeKey struct{}

// compressMinBytes is the smallest answer the hub compresses.
const compressMinBytes = 1 << 10

// checkedKey marks a request's context whose token requireToken has
// checked already: the authenticate interceptor does not check it again.
type checkedKey struct{}

// Handler returns the hub's HTTP handler, within DefaultLimits: the sync
// service over Connect, gRPC and gRPC-Web, gRPC health checking and server
// reflection. Serve it with HTTP/2 without TLS (h2c) enabled, or with TLS,
// so gRPC clients work (NewServer does both). A call to the sync service
// without a valid token is refused before its body is read
// (requireToken). The handler only converts: what the hub does is the
// hub's plain Go methods.
func Handler(h *syncsvc.Hub) http.Handler { return HandlerWithLimits(h, DefaultLimits()) }

// HandlerWithLimits is Handler within the given limits (a zero field takes
// DefaultLimits').
func HandlerWithLimits(h *syncsvc.Hub, l Limits) http.Handler {
	s := &service{h: h, opts: h.Options(), limits: newLimiter(l), errs: connect.NewErrorWriter()}
	mux := http.NewServeMux()
	path, svc := syncv1connect.NewSyncServiceHandler(s,
		connect.WithInterceptors(connect.UnaryInterceptorFunc(s.reportDamage), connect.UnaryInterceptorFunc(s.authenticate)),
		connect.WithReadMaxBytes(s.opts.MaxRequestBytes),
		connect.WithSendMaxBytes(s.opts.MaxRequestBytes),
		// Compressing a small answer (a Hello, an empty pull) costs the hub
		// more than the bytes it saves.
		connect.WithCompressMinBytes(compressMinBytes),
		// Binary protobuf by the generated code (vtCodec), for Connect
		// and gRPC; JSON stays Connect's.
		connect.WithCodec(wireCodec),
	)
	mux.Handle(path, s.requireToken(s.limit(svc)))
	checker := grpchealth.NewStaticChecker(syncv1connect.SyncServiceName)
	mux.Handle(grpchealth.NewHandler(checker))
	reflector := grpcreflect.NewStaticReflector(syncv1connect.SyncServiceName)
	mux.Handle(grpcreflect.NewHandlerV1(reflector))
	mux.Handle(grpcreflect.NewHandlerV1Alpha(reflector))
	return mux
}

// NewServer returns an http.Server for the handler with the hub's
// timeouts, serving HTTP/1.1 and HTTP/2 with or without TLS.
func NewServer(addr string, handler http.Handler) *http.Server {
	var protocols http.Protocols
	protocols.SetHTTP1(true)
	protocols.SetHTTP2(true)
	protocols.SetUnencryptedHTTP2(true)
	return &http.Server{
		Addr:              addr,
		Handler:           handler,
		Protocols:         &protocols,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
}

// authenticate maps the bearer token to the office (or checks the admin
// credential) before any handler runs, unless requireToken has done so for
// this request: a call costs one check.
func (s *service) authenticate(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		if checked, _ := ctx.Value(checkedKey{}).(bool); checked {
			return next(ctx, req)
		}
		token, ok := strings.CutPrefix(req.Header().Get("Authorization"), "Bearer ")
		if !ok {
			return nil, connect.NewError(connect.CodeUnauthenticated, errors.New("send the office token as Authorization: Bearer TOKEN"))
		}
		if adminProcedures[req.Spec().Procedure] {
			if err := s.h.AuthenticateAdmin(ctx, token); err != nil {
				return nil, wireError(err)
			}
			return next(ctx, req)
		}
		o, err := s.h.Authenticate(ctx, token)
		if err != nil {
			return nil, wireError(err)
		}
		return next(context.WithValue(ctx, officeKey{}, o), req)
	}
}

// reportDamage is the outermost interceptor of the hub's calls: a call
// that failed because the hub's database is damaged is answered as damaged
// (Hub.Damaged).
func (s *service) reportDamage(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		if err != nil && syncsvc.IsDamaged(err) {
			return nil, wireError(s.h.Damaged(req.Spec().Procedure, err))
		}
		return res, err
	}
}

// callError is wireError for a call that failed before its handler ran
// (the token check): a damaged database is answered as damaged.
func (s *service) callError(procedure string, err error) error {
	return wireError(s.h.Damaged(procedure, err))
}

// service adapts the Hub to the generated interface; it only converts.
type service struct {
	h      *syncsvc.Hub
	opts   syncsvc.HubOptions
	limits *limiter
	errs   *connect.ErrorWriter
}

func office(ctx context.Context) syncsvc.Office {
	o, _ := ctx.Value(officeKey{}).(syncsvc.Office)
	return o
}

func (s *service) Hello(ctx context.Context, req *connect.Request[syncv1.HelloRequest]) (*connect.Response[syncv1.HelloResponse], error) {
	node, err := nodeFromProto(req.Msg.GetNode())
	if err != nil {
		return nil, wireError(err)
	}
	var officeTime time.Time
	if req.Msg.GetOfficeTime() != nil {
		officeTime = req.Msg.GetOfficeTime().AsTime()
	}
	info, err := s.h.Hello(ctx, office(ctx), node, syncsvc.OfficeHello{Schema: int(req.Msg.GetSchemaVersion()), OfficeTime: officeTime,
		Pulled: req.Msg.GetPulled(), Acknowledged: req.Msg.GetAcknowledged(), Epoch: req.Msg.GetHubEpoch()})
	if err != nil {
		return nil, wireError(err)
	}
	return connect.NewResponse(&syncv1.HelloResponse{
		SchemaVersion: int32(info.SchemaVersion), MinSchemaVersion: int32(info.MinSchemaVersion),
		HubTime: timestamppb.New(info.HubTime), ClockOffsetMs: info.ClockOffset.Milliseconds(),
		OfficeId: info.Office.ID, OfficeName: info.Office.Name, Scopes: info.Scopes,
		Acknowledged: info.Acknowledged, MaxBatch: int32(info.MaxBatch), MaxSkewMs: info.MaxSkew.Milliseconds(),
		HubEpoch: info.Epoch, LastSeq: info.LastSeq, AcknowledgedTip: info.AcknowledgedTip, DistrictKey: info.DistrictKey,
		// Push reads both forms of a change (changeFromProto).
		ChangeStamps: true,
	}), nil
}

func (s *service) Push(ctx context.Context, req *connect.Request[syncv1.PushRequest]) (*connect.Response[syncv1.PushResponse], error) {
	node, err := nodeFromProto(req.Msg.GetNode())
	if err != nil {
		return nil, wireError(err)
	}
	if len(req.Msg.GetChanges()) > s.opts.MaxBatch {
		return nil, wireError(syncsvc.ErrBatchTooLarge)
	}
	chs, err := changesFromProto(req.Msg.GetChanges())
	if err != nil {
		return nil, wireError(err)
	}
	var res syncsvc.PushResult
	if req.Msg.GetReconcile() {
		res, err = s.h.Reconcile(ctx, office(ctx), node, chs, req.Msg.GetReconciledThrough(), req.Msg.GetReconciledTip())
	} else {
		res, err = s.h.Push(ctx, office(ctx), node, chs)
	}
	if errors.Is(err, syncsvc.ErrClockSkew) {
		cerr := connect.NewError(connect.CodeFailedPrecondition, err)
		if detail, derr := connect.NewErrorDetail(timestamppb.New(s.h.Now())); derr == nil {
			cerr.AddDetail(detail)
		}
		return nil, cerr
	}
	if err != nil {
		return nil, wireError(err)
	}
	out := &syncv1.PushResponse{Acknowledged: res.Acknowledged, Gap: res.Gap, Held: rangesToProto(res.Held)}
	for _, f := range res.Refused {
		out.Refused = append(out.Refused, &syncv1.Refusal{Seq: f.Change.Seq, Table: f.Change.Table, Id: f.Change.ID[:],
			Code: syncsvc.RefusalCode(f.Err), Reason: f.Err.Error()})
	}
	return connect.NewResponse(out), nil
}

func (s *service) Pull(ctx context.Context, req *connect.Request[syncv1.PullRequest]) (*connect.Response[syncv1.PullResponse], error) {
	node, err := nodeFromProto(req.Msg.GetNode())
	if err != nil {
		return nil, wireError(err)
	}
	page, err := s.h.Pull(ctx, office(ctx), node, req.Msg.GetAfter(), int(req.Msg.GetLimit()), rangesFromProto(req.Msg.GetHeld())...)
	if errors.Is(err, syncsvc.ErrSnapshotRequired) {
		return connect.NewResponse(&syncv1.PullResponse{SnapshotRequired: true}), nil
	}
	if err != nil {
		return nil, wireError(err)
	}
	// Only an office that said it reads Change.stamp is sent the compact form.
	return connect.NewResponse(&syncv1.PullResponse{Changes: changesToProto(page.Changes, req.Msg.GetChangeStamps()),
		Next: page.Next, More: page.More}), nil
}

func (s *service) Snapshot(ctx context.Context, req *connect.Request[syncv1.SnapshotRequest]) (*connect.Response[syncv1.SnapshotResponse], error) {
	if _, err := nodeFromProto(req.Msg.GetNode()); err != nil {
		return nil, wireError(err)
	}
	cur := syncsvc.SnapshotCursor{Table: req.Msg.GetCursor().GetTable(), ID: req.Msg.GetCursor().GetId()}
	page, err := s.h.Snapshot(ctx, office(ctx), cur, int(req.Msg.GetLimit()))
	if err != nil {
		return nil, wireError(err)
	}
	return connect.NewResponse(&syncv1.SnapshotResponse{Seq: page.Seq, Records: changesToProto(page.Records, req.Msg.GetChangeStamps()),
		Next: &syncv1.SnapshotCursor{Table: page.Next.Table, Id: page.Next.ID}, Done: page.Done}), nil
}

func (s *service) AddOffice(ctx context.Context, req *connect.Request[syncv1.AddOfficeRequest]) (*connect.Response[syncv1.AddOfficeResponse], error) {
	o, token, err := s.h.AddOffice(ctx, req.Msg.GetId(), req.Msg.GetName(), req.Msg.GetCommunities())
	if err != nil {
		return nil, wireError(err)
	}
	return connect.NewResponse(&syncv1.AddOfficeResponse{Office: officeToProto(o), Token: token}), nil
}

func (s *service) ListOffices(ctx context.Context, _ *connect.Request[syncv1.ListOfficesRequest]) (*connect.Response[syncv1.ListOfficesResponse], error) {
	offices, err := s.h.Offices(ctx)
	if err != nil {
		return nil, wireError(err)
	}
	out := &syncv1.ListOfficesResponse{}
	for _, o := range offices {
		out.Offices = append(out.Offices, officeToProto(o))
	}
	return connect.NewResponse(out), nil
}

func (s *service) RotateToken(ctx context.Context, req *connect.Request[syncv1.RotateTokenRequest]) (*connect.Response[syncv1.RotateTokenResponse], error) {
	token, err := s.h.RotateToken(ctx, req.Msg.GetId())
	if err != nil {
		return nil, wireError(err)
	}
	return connect.NewResponse(&syncv1.RotateTokenResponse{Token: token}), nil
}

func (s *service) RevokeOffice(ctx context.Context, req *connect.Request[syncv1.RevokeOfficeRequest]) (*connect.Response[syncv1.RevokeOfficeResponse], error) {
	if err := s.h.RevokeOffice(ctx, req.Msg.GetId()); err != nil {
		return nil, wireError(err)
	}
	return connect.NewResponse(&syncv1.RevokeOfficeResponse{}), nil
}
