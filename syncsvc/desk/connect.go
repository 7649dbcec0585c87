package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// DefaultTokenCheckTimeout bounds ConnectOffice's call to the hub.
const DefaultTokenCheckTimeout = 15 * time.Second

// ErrTokenRefused: the hub does not accept the token given (mistyped,
// rotated or revoked). It is joined with the hub's own error, so
// syncsvc.ErrUnauthenticated or syncsvc.ErrPermission still match.
var ErrTokenRefused = errors.New("the hub does not accept the token")

// OtherOfficeError is a replica set up for one office being connected for
// another: each office keeps its own database.
type OtherOfficeError struct {
	// Have is the office the replica is for; Want the office asked for.
	Have, Want string
}

func (e *OtherOfficeError) Error() string {
	return fmt.Sprintf("the database is office %s's, not %s's", e.Have, e.Want)
}

// ConnectInput is how an office reaches its hub, as a person gives it to
// office init or on the desk's 本机 page.
type ConnectInput struct {
	// HubURL is the hub's address, http:// or https:// with a host.
	HubURL string
	// OfficeID is this office's id, as the hub registered it.
	OfficeID string
	// Token is the office's token.
	Token string
	// CAFile is the CA certificate that signed the hub's certificate;
	// with KeepCA the one kept before is used instead.
	CAFile string
	KeepCA bool
	// Timeout bounds the call to the hub; zero is
	// DefaultTokenCheckTimeout.
	Timeout time.Duration
}

// Connected is what ConnectOffice learnt and kept.
type Connected struct {
	// Connection is the connection kept.
	Connection transport.Connection
	// Checked: the hub answered and the token is this office's; Hello is
	// what it said (the office's name and communities).
	Checked bool
	Hello   syncsvc.HelloResult
	// Unchecked is why the token could not be checked (the hub was not
	// reached): the first sync checks it.
	Unchecked error
}

// ConnectOffice keeps the hub's address, the office's id and its token in
// the replica, after asking the hub, once and without retrying, whose the
// token is: a token of another office (*syncsvc.WrongOfficeError) or one
// the hub does not accept (ErrTokenRefused) is refused and nothing is
// kept; a hub that cannot be reached leaves the token to be checked at
// the first sync. A replica of another office returns *OtherOfficeError;
// a bad address, transport.ErrBadHubURL; a CA that cannot be read, a
// *transport.CAError. A confirmed token also keeps the office's name and
// communities and the district's key, so that cadres registered before
// the first sync get the ids the rest of the district gives them.
func ConnectOffice(ctx context.Context, rep *store.Replica, in ConnectInput) (Connected, error) {
	conn, err := transport.NewConnection(in.HubURL, in.Token, in.CAFile)
	if err != nil {
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	prev, err := rep.Meta(ctx, MetaOfficeID)
	if err != nil {
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	if prev != "" && prev != in.OfficeID {
		return Connected{}, &OtherOfficeError{Have: prev, Want: in.OfficeID}
	}
	if in.KeepCA {
		if conn.CAFile, err = rep.Meta(ctx, transport.MetaCA); err != nil {
			return Connected{}, fmt.Errorf("connect office: %w", err)
		}
	}
	out, err := probeToken(ctx, rep, conn, in)
	if err != nil {
		return Connected{}, err
	}
	kept := map[string]string{MetaOfficeID: in.OfficeID}
	if out.Checked {
		kept["scopes"] = fmt.Sprint(out.Hello.Scopes)
		kept["token_ok"] = syncsvc.TokenFingerprint(in.Token)
		kept[MetaOfficeName] = out.Hello.OfficeName
	}
	if err := conn.Save(ctx, rep, kept); err != nil {
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	if err := rep.SetDistrictKey(ctx, out.Hello.DistrictKey); err != nil {
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	out.Connection = conn
	return out, nil
}

// probeToken asks the hub whose the token is.
func probeToken(ctx context.Context, rep *store.Replica, conn transport.Connection, in ConnectInput) (Connected, error) {
	timeout := in.Timeout
	if timeout <= 0 {
		timeout = DefaultTokenCheckTimeout
	}
	agent, err := conn.NewAgent(rep.Replica, timeout, syncsvc.AgentOptions{Retries: -1})
	if err != nil {
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hello, err := agent.ProbeOffice(cctx)
	var wrong *syncsvc.WrongOfficeError
	switch {
	case err == nil && hello.Office != in.OfficeID:
		return Connected{}, &syncsvc.WrongOfficeError{Want: in.OfficeID, Got: hello.Office}
	case errors.As(err, &wrong):
		return Connected{}, wrong
	case err == nil:
		return Connected{Checked: true, Hello: hello}, nil
	case errors.Is(err, syncsvc.ErrUnauthenticated) || errors.Is(err, syncsvc.ErrPermission):
		return Connected{}, fmt.Errorf("connect office: %w: %w", ErrTokenRefused, err)
	case errors.Is(err, context.Canceled) && ctx.Err() != nil:
		return Connected{}, fmt.Errorf("connect office: %w", err)
	}
	return Connected{Unchecked: err}, nil
}
