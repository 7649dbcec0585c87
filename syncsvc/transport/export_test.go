package transport

// ChangeToProto lets the package's external tests build raw requests; compact
// gives the form with change stamps.
var ChangeToProto = changeToProto

// ChangesToProto and ChangesFromProto let the external tests convert pages
// of changes as the client and the handler do.
var (
	ChangesToProto   = changesToProto
	ChangesFromProto = changesFromProto
)
