package main

import (
	"context"
	"errors"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// syncFailed says why a sync did not finish (desk.DiagnoseSync), telling
// a network fault (the link broke, stalled or the hub is down: nothing to
// do but run the sync again when the network is back) from the hub
// refusing (with what to do about it). Either way the office's data stays
// on this computer. What it does not name (a wrong office, an untrusted
// certificate, the rest) is said by syncError.
func (a *app) syncFailed(ctx context.Context, err error, rep syncsvc.SyncReport, hubURL string) error {
	d := desk.DiagnoseSync(ctx, err, rep)
	said := d.HubSaid
	switch d.Kind {
	case desk.TroubleNoConnection:
		return a.fail(err, "这台电脑还没有设置 hub：先运行 wanxia office init --hub URL --office ID --token 令牌",
			"this office has no hub set: run wanxia office init --hub URL --office ID --token TOKEN first")
	case desk.TroubleCA:
		var caErr *transport.CAError
		errors.As(err, &caErr)
		return a.fail(caErr.Err, "读不了 CA 证书 %s：%v；用 wanxia office init --ca 重新指定", "cannot read the CA certificate %s: %v; give it again with wanxia office init --ca", d.File, a.libText(caErr.Err))
	case desk.TroubleClockAhead:
		return a.clockAhead(err, d.Minutes, d.ClockWrong, d.Pulled)
	case desk.TroubleInterrupted:
		return a.fail(err, "同步已中断：本机数据都在，未丢失；再运行 wanxia office sync 即可接着同步",
			"sync interrupted: all of this office's data is here, nothing is lost; run wanxia office sync again to go on")
	case desk.TroubleNetwork:
		return a.fail(err, "网络中断或 hub 无法连接：本机数据都在，未丢失；网络恢复后再运行 wanxia office sync（%s，hub %s）",
			"the network failed or the hub cannot be reached: all of this office's data is here, nothing is lost; run wanxia office sync again when the network is back (%s, hub %s)",
			a.t(d.FaultZH, d.FaultEN), hubURL)
	case desk.TroubleHubBusy:
		return a.fail(err, "hub 正忙，一直没有空接待本办公室：本机数据都在，未丢失；过几分钟再运行 wanxia office sync",
			"the hub is busy and kept turning this office away: all of this office's data is here, nothing is lost; run wanxia office sync again in a few minutes")
	case desk.TroubleHubDamaged:
		return a.fail(err, "hub 的数据库损坏了，这次没有同步：请通知区老干部局的管理员用备份恢复 hub（wanxia hub restore）；本机数据都在，未丢失，hub 恢复后再运行 wanxia office sync",
			"the hub's database is damaged and nothing was synced: tell the district's administrator to restore the hub from a backup (wanxia hub restore); all of this office's data is here, nothing is lost; run wanxia office sync once the hub is back")
	case desk.TroubleTokenRefused:
		return a.fail(err, "hub 拒绝了本办公室的令牌（可能已更换或吊销）：向区老干部局要新令牌，再运行 wanxia office init --token 新令牌；本机数据都在，未丢失",
			"the hub refused this office's token (rotated or revoked?): ask the district for a new one and run wanxia office init --token NEW-TOKEN; all of this office's data is here, nothing is lost")
	case desk.TroubleNodeOfOtherOffice:
		return a.fail(err, "hub 拒绝：这台电脑已登记在另一个办公室名下，而这次用的令牌不是那个办公室的；请向区老干部局核对本办公室的令牌，用正确的令牌重新运行 wanxia office init；本机数据都在，未丢失",
			"the hub refused: this computer is registered to another office, and the token used is not that office's; check this office's token with the district and run wanxia office init with the right one; all of this office's data is here, nothing is lost")
	case desk.TroublePermission:
		return a.fail(err, "hub 拒绝：本办公室无权这样同步（hub 的说明：%s）；请联系区老干部局核对本办公室的登记（社区、令牌、这台电脑）；本机数据都在，未丢失",
			"the hub refused: this office may not sync this way (the hub says: %s); ask the district to check the office's registration (communities, token, this computer); all of this office's data is here, nothing is lost", said)
	case desk.TroubleInvalidChange:
		return a.fail(err, "hub 拒绝了这次同步发来的数据（hub 的说明：%s）；运行 wanxia office rejected 查看被拒绝的记录，或联系区老干部局；本机数据都在，未丢失",
			"the hub refused what this sync sent (the hub says: %s); run wanxia office rejected to see refused records, or ask the district; all of this office's data is here, nothing is lost", said)
	case desk.TroubleTooOld:
		return a.fail(err, "这台电脑上的 wanxia 版本太旧，hub 不再接受：请升级 wanxia 后再同步；本机数据都在，未丢失",
			"this computer's wanxia is too old for the hub: upgrade wanxia, then sync again; all of this office's data is here, nothing is lost")
	case desk.TroubleHubRefused:
		return a.fail(err, "hub 拒绝同步（hub 的说明：%s）；请联系区老干部局；本机数据都在，未丢失",
			"the hub refused the sync (the hub says: %s); ask the district; all of this office's data is here, nothing is lost", said)
	}
	return a.syncError(err, hubURL)
}

// clockAhead says that the hub refused this office's changes because they
// are stamped ahead of its clock: by minutes (0 when not known), the
// computer's clock still wrong or only the changes made while it was.
func (a *app) clockAhead(err error, minutes int, clockWrong, pulled bool) error {
	also := ""
	if pulled {
		also = a.t("（其他办公室的更新已拉取）", " (the others' changes were pulled)")
	}
	switch {
	case clockWrong && minutes > 0:
		return a.fail(err, "本机时钟快了 %d 分钟，请校准时间后再同步；已录入的内容都在本机%s",
			"this computer's clock is %d minutes fast: set it right, then sync again; everything entered is kept on this computer%s", minutes, also)
	case minutes > 0:
		return a.fail(err, "本机的更改比 hub 的时间快了 %d 分钟（这台电脑的时钟曾经快过），hub 暂不接收；请确认时钟正确，稍后再同步；已录入的内容都在本机%s",
			"this office's changes are stamped %d minutes ahead of the hub (this computer's clock ran fast), so the hub does not take them yet: check the clock and sync again later; everything entered is kept on this computer%s", minutes, also)
	}
	return a.fail(err, "本机时钟快了，请校准时间后再同步；已录入的内容都在本机%s",
		"this computer's clock is fast: set it right, then sync again; everything entered is kept on this computer%s", also)
}
