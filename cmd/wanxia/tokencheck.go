package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// tokenCheckTimeout bounds office init's call to the hub.
const tokenCheckTimeout = 15 * time.Second

// tokenCheck is what office init learnt of its token from the hub.
type tokenCheck struct {
	// Checked: the hub answered and the token is this office's.
	Checked bool
	Hello   syncsvc.HelloResult
	// Why the token could not be checked (the hub was not reached).
	Unchecked error
}

// checkToken greets the hub with the token, once, without retrying: a
// token of another office, or one the hub does not accept, is a failure
// (the caller writes nothing); a hub that cannot be reached leaves the
// token to be checked at the first sync.
func (a *app) checkToken(ctx context.Context, r *store.Replica, conn transport.Connection, officeID string) (tokenCheck, error) {
	agent, err := conn.NewAgent(r.Replica, tokenCheckTimeout, syncsvc.AgentOptions{Retries: -1})
	var caErr *transport.CAError
	if errors.As(err, &caErr) {
		return tokenCheck{}, a.fail(caErr.Err, "读不了 CA 证书 %s：%v", "cannot read the CA certificate %s: %v", caErr.File, a.libText(caErr.Err))
	}
	if err != nil {
		return tokenCheck{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, tokenCheckTimeout)
	defer cancel()
	hello, err := agent.ProbeOffice(ctx)
	var wrong *syncsvc.WrongOfficeError
	switch {
	case err == nil && hello.Office != officeID:
		wrong = &syncsvc.WrongOfficeError{Want: officeID, Got: hello.Office}
		fallthrough
	case errors.As(err, &wrong):
		return tokenCheck{}, a.fail(wrong, "这个令牌属于办公室 %s，不是 %s；请向 hub 管理员核对令牌（什么都没有写入）",
			"this token belongs to office %s, not %s; check the token with the hub's administrator (nothing was written)", wrong.Got, wrong.Want)
	case err == nil:
		return tokenCheck{Checked: true, Hello: hello}, nil
	case errors.Is(err, syncsvc.ErrUnauthenticated) || errors.Is(err, syncsvc.ErrPermission):
		return tokenCheck{}, a.fail(err, "hub 不接受这个令牌（输错了，或已更换、吊销）：请向 hub 管理员核对（什么都没有写入）",
			"the hub does not accept this token (mistyped, rotated or revoked?): check it with the hub's administrator (nothing was written)")
	case errors.Is(err, context.Canceled) && ctx.Err() == nil:
		return tokenCheck{}, err
	}
	return tokenCheck{Unchecked: err}, nil
}

// removeNewDB removes a replica file office init created and then refused
// to keep, with SQLite's companions.
func removeNewDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		_ = os.Remove(p)
	}
}

// meta is what a confirmed token lets the office keep: its communities (for
// the check when a cadre is typed) and the token's confirmation, so that
// the first sync need not ask again, and the office's name, for the desk.
func (c tokenCheck) meta(token string) map[string]string {
	return map[string]string{"scopes": fmt.Sprint(c.Hello.Scopes), "token_ok": syncsvc.TokenFingerprint(token), desk.MetaOfficeName: c.Hello.OfficeName}
}
