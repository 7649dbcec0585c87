package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"

	"connectrpc.com/connect"
)

// requireToken checks the bearer token of every call to the sync service
// before a byte of its body is read: a request without a valid token costs
// the hub a header and a database lookup, never the memory of its body. It
// answers such a request at once with Unauthenticated, in the shape the
// caller's protocol expects (HTTP 401 and a JSON error for Connect,
// grpc-status 16 for gRPC and gRPC-Web), and leaves the body unread: over
// HTTP/2 the stream is reset; over HTTP/1.1, whose clients read an answer
// only after sending their body, the refusal is sent first and the body then
// thrown away through a small buffer (at most the request limit; the
// connection is closed after).
//
// The admin procedures take the admin credential; every other procedure
// an office token, whose office goes into the request's context for the
// handlers (the authenticate interceptor does not check it again; it
// checks a call that reaches the handler without this middleware).
func (s *service) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, err := s.authenticateRequest(req)
		if err != nil {
			s.refuse(w, req, err)
			return
		}
		next.ServeHTTP(w, req.WithContext(ctx))
	})
}

// refuse answers a call with a Connect error before its body is read, in
// the shape the caller's protocol expects, and leaves the body unread:
// over HTTP/2 the stream is reset; over HTTP/1.1 the connection is closed
// after the body is thrown away.
func (s *service) refuse(w http.ResponseWriter, req *http.Request, err error) {
	if req.ProtoMajor == 1 {
		w.Header().Set("Connection", "close")
	}
	if werr := s.errs.Write(w, req, err); werr != nil {
		s.h.Logger().Debug("write the refusal of a call", "error", werr)
		return
	}
	if req.ProtoMajor == 1 {
		// An HTTP/1.1 client reads the answer only once it has sent its
		// whole body (else it sees the connection reset, which reads as a
		// network fault): the refusal is sent first, then the rest of the
		// body, up to the request limit, is thrown away through a small
		// buffer, never kept.
		_ = http.NewResponseController(w).Flush()
		_, _ = io.CopyN(io.Discard, req.Body, int64(s.opts.MaxRequestBytes))
	}
}

// authenticateRequest maps a request's bearer token to its office (or
// checks the admin credential) and returns the context the handlers run
// in, or the Connect error to answer with.
func (s *service) authenticateRequest(req *http.Request) (context.Context, error) {
	ctx := req.Context()
	token, ok := strings.CutPrefix(req.Header.Get("Authorization"), "Bearer ")
	if !ok || token == "" {
		return nil, connect.NewError(connect.CodeUnauthenticated, errors.New("send the office token as Authorization: Bearer TOKEN"))
	}
	if adminProcedures[req.URL.Path] {
		if err := s.h.AuthenticateAdmin(ctx, token); err != nil {
			return nil, s.callError(req.URL.Path, err)
		}
		return context.WithValue(ctx, checkedKey{}, true), nil
	}
	o, err := s.h.Authenticate(ctx, token)
	if err != nil {
		return nil, s.callError(req.URL.Path, err)
	}
	return context.WithValue(context.WithValue(ctx, officeKey{}, o), checkedKey{}, true), nil
}
