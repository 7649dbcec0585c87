// Package transport carries Wanxia's sync between the offices and the
// district hub over Connect (wanxia.sync.v1.SyncService, also served over
// gRPC and gRPC-Web). It is the only package that knows the wire: the
// engine (package syncsvc) speaks plain Go on both sides of it.
//
// At the hub, Handler serves a *syncsvc.Hub: it checks each call's token
// before reading its body (requireToken), converts the protobuf messages to
// the engine's types, calls the hub's methods and chooses the Connect code
// of each engine error (wireError). NewServer gives the HTTP server its
// timeouts and protocols.
//
// At the office, Client implements syncsvc.HubClient over Connect and
// turns every failure into a *syncsvc.HubError wrapping the engine's
// sentinel for it (hubError), so that nothing above the agent sees a
// Connect error. NewAgent builds an office's agent over it.
//
// A change goes on the wire in one of two forms (changesToProto): the full
// form, every field with its stamp, or the compact form, in which the
// change carries the stamp most of its fields share and only the others
// carry their own. A peer is sent the compact form only once it said it
// reads it: the hub in its Hello (HelloResponse.change_stamps, which the
// Client remembers), the office in each pull or snapshot request. Both
// sides read both forms.
//
// Connection is how an office reaches its hub (URL, token, CA), kept in
// the office replica's meta, so that every program on the office's
// computer syncs the same way without keeping it itself.
//
// The generated code lives in syncsvc/internal/gen, written by
// syncsvc/proto/generate.sh.
package transport
