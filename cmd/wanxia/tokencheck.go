package main

import (
	"context"
	"errors"
	"os"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// checkToken greets the hub with the token, once, without retrying
// (desk.CheckToken): a token of another office, or one the hub does not
// accept, is a failure (the caller writes nothing); a hub that cannot be
// reached leaves the token to be checked at the first sync.
func (a *app) checkToken(ctx context.Context, r *store.Replica, conn transport.Connection, officeID string) (desk.TokenCheck, error) {
	check, err := desk.CheckToken(ctx, r, conn, officeID)
	var caErr *transport.CAError
	var wrong *syncsvc.WrongOfficeError
	switch {
	case errors.As(err, &caErr):
		return check, a.fail(caErr.Err, "读不了 CA 证书 %s：%v", "cannot read the CA certificate %s: %v", caErr.File, a.libText(caErr.Err))
	case errors.As(err, &wrong):
		return check, a.fail(wrong, "这个令牌属于办公室 %s，不是 %s；请向 hub 管理员核对令牌（什么都没有写入）",
			"this token belongs to office %s, not %s; check the token with the hub's administrator (nothing was written)", wrong.Got, wrong.Want)
	case errors.Is(err, syncsvc.ErrUnauthenticated) || errors.Is(err, syncsvc.ErrPermission):
		return check, a.fail(err, "hub 不接受这个令牌（输错了，或已更换、吊销）：请向 hub 管理员核对（什么都没有写入）",
			"the hub does not accept this token (mistyped, rotated or revoked?): check it with the hub's administrator (nothing was written)")
	}
	return check, err
}

// removeNewDB removes a replica file office init created and then refused
// to keep, with SQLite's companions.
func removeNewDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		_ = os.Remove(p)
	}
}
