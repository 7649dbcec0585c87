package main

import (
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// The office's own backup and restore, so that copying the replica's file
// by hand is never the only way: a backup is a consistent copy, checked by
// opening it again; a restore checks the copy is of this office, keeps the
// file it replaces aside and puts the copy in place. What the restored file
// lacks at the hub is sent again by the next sync, which notices that the
// file went back in time (syncsvc.Agent).

// officeBackupJSON is what office backup wrote.
type officeBackupJSON struct {
	DB     string `json:"db"`
	Office string `json:"office_id"`
	Backup string `json:"backup"`
}

func (a *app) officeBackupCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "backup [DIR]",
		Short: "Write a checked backup of the office's replica into DIR (default: backups, beside the replica) and print its path",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 1 {
				return a.usage("多余的参数 %q", "unexpected argument %q", args[1])
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := desk.OfficeBackupDir(a.officeDB)
			if len(args) == 1 {
				dir = args[0]
			}
			return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
				officeID, err := r.Meta(cmd.Context(), metaOfficeID)
				if err != nil {
					return err
				}
				path, err := r.Backup(cmd.Context(), dir)
				if err != nil {
					return a.fail(err, "没有备份成功（数据库未动）：%v", "no backup written (the database is as it was): %v", a.libText(err))
				}
				if asJSON {
					return a.printJSON(officeBackupJSON{DB: a.officeDB, Office: officeID, Backup: path})
				}
				a.printf("已备份办公室 %s 的数据库 %s，并检查过备份：\n", "backed up the database %[2]s of office %[1]s, and checked the backup:\n", orDash(officeID), a.officeDB)
				a.printf("%s\n", "%s\n", path)
				a.printf("需要时用 wanxia office restore --from 这个文件 恢复\n", "restore it when needed with wanxia office restore --from that file\n")
				return nil
			})
		},
	}
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) officeRestoreCmd() *cobra.Command {
	var from string
	var asJSON bool
	cmd := a.leaf("restore", "Put a backup of this office's replica back in place (checked first; refused while another wanxia process has the replica open); the replaced file is kept beside it, and the next sync sends again what the hub lacks", 0, func(cmd *cobra.Command, _ []string) error {
		if from == "" {
			return a.usage("缺少选项 --from（备份文件，由 wanxia office backup 写下）", "missing --from (the backup file, as wanxia office backup wrote it)")
		}
		res, err := syncsvc.RestoreFile(cmd.Context(), from, a.officeDB, syncsvc.RestoreOptions{
			Role: syncsvc.RoleOffice, Same: []string{metaOfficeID}, Now: a.now,
		})
		if err != nil {
			return a.restoreError(err, res, syncsvc.RoleOffice)
		}
		officeID := res.Settings[metaOfficeID]
		if asJSON {
			return a.printJSON(restoreJSON{DB: a.officeDB, From: from, Office: officeID, Aside: orNil(res.Aside), Damaged: res.Damaged})
		}
		a.printf("已用备份 %[3]s 恢复办公室 %[1]s 的数据库 %[2]s\n", "restored the database %[2]s of office %[1]s from %[3]s\n", orDash(officeID), a.officeDB, from)
		a.printAside(res)
		if res.Aside != "" {
			a.printf("备份之后的录入：已同步的仍在 hub 上；没同步过的只在 %s 里\n",
				"what was entered after the backup: what was synced is still at the hub; what was not is only in %s\n", res.Aside)
		}
		a.printf("下次运行 wanxia office sync 时，会把 hub 缺少的更改再发一遍\n", "the next wanxia office sync sends again whatever the hub lacks\n")
		return nil
	})
	cmd.Flags().StringVar(&from, "from", "", "the backup file (made by wanxia office backup)")
	jsonFlag(cmd, &asJSON)
	return cmd
}
