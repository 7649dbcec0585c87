package main

import (
	"errors"
	"os"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// tokenCheckTimeout bounds office init's call to the hub.
const tokenCheckTimeout = 15 * time.Second

// connectError words what office init could not keep (desk.ConnectOffice):
// nothing was written.
func (a *app) connectError(err error, hubURL string) error {
	var caErr *transport.CAError
	var wrong *syncsvc.WrongOfficeError
	var other *desk.OtherOfficeError
	switch {
	case errors.Is(err, transport.ErrBadHubURL):
		return a.usage("--hub %q 不是 hub 的地址：写成 http://主机:端口 或 https://主机:端口", "--hub %q is no hub address: write it like https://host:port", hubURL)
	case errors.As(err, &caErr):
		return a.fail(caErr.Err, "读不了 CA 证书 %s：%v", "cannot read the CA certificate %s: %v", caErr.File, a.libText(caErr.Err))
	case errors.As(err, &other):
		return a.fail(nil, "%s 是办公室 %s 的数据库：为办公室 %s 用另一个 --db", "%s is the database of office %s: use another --db for office %s", a.officeDB, other.Have, other.Want)
	case errors.As(err, &wrong):
		return a.fail(wrong, "这个令牌属于办公室 %s，不是 %s；请向 hub 管理员核对令牌（什么都没有写入）",
			"this token belongs to office %s, not %s; check the token with the hub's administrator (nothing was written)", wrong.Got, wrong.Want)
	case errors.Is(err, desk.ErrTokenRefused):
		return a.fail(err, "hub 不接受这个令牌（输错了，或已更换、吊销）：请向 hub 管理员核对（什么都没有写入）",
			"the hub does not accept this token (mistyped, rotated or revoked?): check it with the hub's administrator (nothing was written)")
	}
	return err
}

// removeNewDB removes a replica file office init created and then refused
// to keep, with SQLite's companions.
func removeNewDB(path string) {
	for _, p := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		_ = os.Remove(p)
	}
}
