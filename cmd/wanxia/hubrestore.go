package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
)

func (a *app) restoreCmd() *cobra.Command {
	var from string
	var asJSON bool
	cmd := a.leaf("restore", "Put a backup back in place of the hub's database, damaged or not (refused while hub serve runs); the replaced file is kept beside it and the restored hub starts a new epoch", 0, func(cmd *cobra.Command, _ []string) error {
		if from == "" {
			return a.usage("缺少选项 --from（备份文件）", "missing --from (the backup file)")
		}
		res, err := syncsvc.RestoreFile(cmd.Context(), from, a.hubDB, syncsvc.RestoreOptions{Role: syncsvc.RoleHub, Now: a.now})
		if err != nil {
			return a.restoreError(err, res, syncsvc.RoleHub)
		}
		if asJSON {
			return a.printJSON(restoreJSON{DB: a.hubDB, From: from, Aside: orNil(res.Aside), Damaged: res.Damaged, HubEpoch: res.HubEpoch})
		}
		a.printf("已用备份 %[2]s 恢复 hub 数据库 %[1]s\n", "restored the hub's database %s from %s\n", a.hubDB, from)
		a.printAside(res)
		a.printf("恢复后的 hub 开始新的纪元（%s）：各办公室下次同步时会发现 hub 回到了备份时，补发 hub 缺少的更改，再拉取它们缺少的\n",
			"the restored hub starts a new epoch (%s): at their next sync the offices see that the hub went back to the backup, send again what it lacks and pull what they lack\n", res.HubEpoch)
		return nil
	})
	cmd.Flags().StringVar(&from, "from", "", "the backup file (made by hub merge --backup)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// restoreJSON is what hub restore and office restore did, for scripts.
type restoreJSON struct {
	DB       string  `json:"db"`
	From     string  `json:"restored_from"`
	Office   string  `json:"office_id,omitempty"`
	Aside    *string `json:"kept_aside"`
	Damaged  bool    `json:"replaced_was_damaged"`
	HubEpoch string  `json:"hub_epoch,omitempty"`
}

func orNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// printAside says where the replaced database went.
func (a *app) printAside(res syncsvc.RestoreResult) {
	if res.Aside == "" {
		return
	}
	with := ""
	if _, err := os.Stat(res.Aside + "-wal"); err == nil {
		with = a.t("（连同它的 -wal、-shm）", " (with its -wal and -shm)")
	}
	if res.Damaged {
		a.printf("损坏的数据库已改名留在 %s%s，没有删除\n", "the damaged database was renamed and kept as %s%s; nothing was deleted\n", res.Aside, with)
		return
	}
	a.printf("原来的数据库已改名留在 %s%s，没有删除\n", "the database it replaced was renamed and kept as %s%s; nothing was deleted\n", res.Aside, with)
}

// roleLabel names a replica's role for people.
func (a *app) roleLabel(role syncsvc.Role) string {
	switch role {
	case syncsvc.RoleHub:
		return a.t("区 hub", "the district hub")
	case syncsvc.RoleOffice:
		return a.t("办公室", "an office")
	}
	return string(role)
}

// restoreError says why hub restore or office restore put nothing back.
func (a *app) restoreError(err error, res syncsvc.RestoreResult, role syncsvc.Role) error {
	switch {
	case errors.Is(err, syncsvc.ErrInUse):
		if role == syncsvc.RoleOffice {
			return a.fail(err, "%s 正被另一个 wanxia 进程使用（例如正在同步）：等它结束或关掉它，再恢复；没有恢复，原数据库未动",
				"%s is in use by another wanxia process (a sync, say): let it finish or close it, then restore; nothing restored, the database is as it was", res.Path)
		}
		return a.fail(err, "%s 正被 wanxia hub serve 或另一个 wanxia 进程使用：先停止它，再恢复；没有恢复，原数据库未动",
			"%s is in use by wanxia hub serve or another wanxia process: stop it, then restore; nothing restored, the database is as it was", res.Path)
	case errors.Is(err, syncsvc.ErrBadBackup):
		return a.fail(err, "备份 %s 没有通过检查，不能用来恢复：%v；没有恢复，原数据库未动；换一个备份（--from）",
			"the backup %s fails the check and cannot be restored: %v; nothing restored, the database is as it was; choose another backup (--from)", res.From, a.libText(err))
	case errors.Is(err, syncsvc.ErrOtherReplica) && res.Role != role:
		return a.fail(err, "%s 是%s的数据库，不是%s的备份；没有恢复，原数据库未动",
			"%s is the database of %s, not a backup of %s; nothing restored, the database is as it was", res.From, a.roleLabel(res.Role), a.roleLabel(role))
	case errors.Is(err, syncsvc.ErrOtherReplica):
		return a.fail(err, "备份 %s 属于办公室 %s，不是本办公室 %s 的；没有恢复，原数据库未动",
			"the backup %s belongs to office %s, not to this office %s; nothing restored, the database is as it was", res.From, res.Settings[metaOfficeID], res.Replaced[metaOfficeID])
	}
	return a.fail(err, "没有恢复（原数据库未动）：%v", "nothing restored (the database is as it was): %v", a.libText(err))
}

// defaultMemoryLimitMiB is the hub's default soft memory limit, for the
// whole process: Go's runtime keeps to it less SQLite's share
// (syncsvc.GoMemoryLimit: 320 MiB), which keeps the nightly merge of a
// district of 50,000 cadres and 125 offices under 384 MiB resident
// (BENCHMARKS.md, "The hub at scale") and leaves a busy hub's garbage
// collector a bound.
const defaultMemoryLimitMiB = 384
