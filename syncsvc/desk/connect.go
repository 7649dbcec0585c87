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

// TokenCheckTimeout bounds the one call CheckToken makes to the hub.
const TokenCheckTimeout = 15 * time.Second

// TokenCheck is what the hub said of an office's token.
type TokenCheck struct {
	// Checked: the hub answered and the token is this office's; Hello is
	// what it said.
	Checked bool
	Hello   syncsvc.HelloResult
	// Unchecked is why the token could not be checked (the hub was not
	// reached); it is then checked at the first sync.
	Unchecked error
}

// Meta is what a confirmed token lets the office keep: its communities
// (for the check when a cadre is typed), the token's confirmation, so that
// the first sync need not ask again, and the office's name.
func (c TokenCheck) Meta(token string) map[string]string {
	return map[string]string{"scopes": fmt.Sprint(c.Hello.Scopes), "token_ok": syncsvc.TokenFingerprint(token), MetaOfficeName: c.Hello.OfficeName}
}

// CheckToken greets the hub over conn once, without retrying, and reports
// whether the token is officeID's. A token of another office returns a
// *syncsvc.WrongOfficeError; one the hub does not accept, an error
// wrapping syncsvc.ErrUnauthenticated or syncsvc.ErrPermission; a CA file
// that cannot be read, a *transport.CAError. A hub that cannot be reached
// is no error: the check says so (Unchecked) and the first sync checks the
// token.
func CheckToken(ctx context.Context, rep *store.Replica, conn transport.Connection, officeID string) (TokenCheck, error) {
	agent, err := conn.NewAgent(rep.Replica, TokenCheckTimeout, syncsvc.AgentOptions{Retries: -1})
	if err != nil {
		return TokenCheck{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, TokenCheckTimeout)
	defer cancel()
	hello, err := agent.ProbeOffice(ctx)
	var wrong *syncsvc.WrongOfficeError
	switch {
	case err == nil && hello.Office != officeID:
		return TokenCheck{}, &syncsvc.WrongOfficeError{Want: officeID, Got: hello.Office}
	case errors.As(err, &wrong):
		return TokenCheck{}, wrong
	case err == nil:
		return TokenCheck{Checked: true, Hello: hello}, nil
	case errors.Is(err, syncsvc.ErrUnauthenticated) || errors.Is(err, syncsvc.ErrPermission):
		return TokenCheck{}, err
	case errors.Is(err, context.Canceled) && ctx.Err() == nil:
		return TokenCheck{}, err
	}
	return TokenCheck{Unchecked: err}, nil
}

// Reconnect gives an office whose token was rotated (or whose hub moved)
// its new connection: the token is checked with the hub first (CheckToken;
// a refused one is not kept), then the connection is kept in the replica
// with what the hub confirmed. The office's id stays the one office init
// kept.
func Reconnect(ctx context.Context, rep *store.Replica, hubURL, token string) (TokenCheck, error) {
	officeID, err := rep.Meta(ctx, MetaOfficeID)
	if err != nil {
		return TokenCheck{}, fmt.Errorf("reconnect: %w", err)
	}
	old, _ := transport.LoadConnection(ctx, rep)
	conn, err := transport.NewConnection(hubURL, token, "")
	if err != nil {
		return TokenCheck{}, err
	}
	conn.CAFile = old.CAFile
	check, err := CheckToken(ctx, rep, conn, officeID)
	if err != nil {
		return check, err
	}
	settings := map[string]string{}
	if check.Checked {
		settings = check.Meta(token)
	}
	if err := conn.Save(ctx, rep, settings); err != nil {
		return check, fmt.Errorf("reconnect: %w", err)
	}
	if check.Checked {
		if err := rep.SetDistrictKey(ctx, check.Hello.DistrictKey); err != nil {
			return check, fmt.Errorf("reconnect: %w", err)
		}
	}
	return check, nil
}

// Backup writes a checked backup of the office's replica into dir and
// returns its path.
func Backup(ctx context.Context, rep *store.Replica, dir string) (string, error) {
	path, err := rep.Backup(ctx, dir)
	if err != nil {
		return "", fmt.Errorf("back up the office: %w", err)
	}
	return path, nil
}
