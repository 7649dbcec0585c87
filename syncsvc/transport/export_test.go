package transport

import (
	"testing"

	"connectrpc.com/connect"
)

// ChangeToProto lets the package's external tests build raw requests; compact
// gives the form with change stamps.
var ChangeToProto = changeToProto

// ChangesToProto and ChangesFromProto let the external tests convert pages
// of changes as the client and the handler do.
var (
	ChangesToProto   = changesToProto
	ChangesFromProto = changesFromProto
)

// VTCodec is the codec of the generated marshalling (vtCodec).
var VTCodec connect.Codec = vtCodec{}

// WireCodec returns the codec the handler and the client are built with.
func WireCodec() connect.Codec { return wireCodec }

// UseWireCodec makes the handlers and clients built until the test ends
// use c instead of the wire codec. A test calling it must not run in
// parallel with tests that build handlers or clients.
func UseWireCodec(t testing.TB, c connect.Codec) {
	old := wireCodec
	wireCodec = c
	t.Cleanup(func() { wireCodec = old })
}
