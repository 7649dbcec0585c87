package main

import (
	"errors"
	"os"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func (a *app) hubCmd() *cobra.Command {
	cmd := a.group("hub", "The district hub (区老干部局): serve sync, offices, communities, merge and backups", "")
	cmd.PersistentFlags().StringVar(&a.hubDB, "db", "wanxia-hub.db", "the hub's database file")
	var limitMiB int64
	cmd.PersistentFlags().Int64Var(&limitMiB, "memory-limit", defaultMemoryLimitMiB, "soft memory limit of the hub's process in MiB, which the garbage collector keeps to (GOMEMLIMIT, when set, wins; 0: none)")
	cmd.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		setMemoryLimit(limitMiB)
		return nil
	}
	offices := a.group("office", "Offices that sync with this hub: add, list, rotate-token, revoke", "")
	offices.AddCommand(a.officeAddCmd(), a.officeListCmd(), a.rotateTokenCmd(), a.revokeCmd())
	communities := a.group("community", "Communities (社区): set, list", "")
	communities.AddCommand(a.communitySetCmd(), a.communityListCmd())
	cmd.AddCommand(a.hubInitCmd(), a.serveCmd(), offices, a.adminTokenCmd(), communities, a.cadreCmd(syncsvc.RoleHub), a.mergeCmd(), a.restoreCmd(), a.duplicateCmd(), a.hubBranchCmd(),
		a.helperCmd(), a.hubPairCmd(), a.venueCmd(), a.programCmd(), a.hubCoverageCmd(), a.reportCmd(syncsvc.RoleHub), a.settingCmd(syncsvc.RoleHub))
	return cmd
}

// officeJSON is an office as scripts see it.
type officeJSON struct {
	ID           string   `json:"id"`
	Name         string   `json:"name"`
	Communities  []string `json:"communities"`
	CreatedAt    *string  `json:"created_at"`
	Revoked      bool     `json:"revoked"`
	RevokedAt    *string  `json:"revoked_at"`
	LastSyncAt   *string  `json:"last_sync_at"`
	LastNode     *string  `json:"last_node"`
	Acknowledged int64    `json:"acknowledged"`
	Pulled       int64    `json:"pulled"`
}

func toOfficeJSON(o syncsvc.Office) officeJSON {
	j := officeJSON{ID: o.ID, Name: o.Name, Communities: o.Communities, CreatedAt: jsonTime(o.CreatedAt),
		Revoked: o.Revoked(), RevokedAt: jsonTime(o.RevokedAt), LastSyncAt: jsonTime(o.LastSyncAt),
		Acknowledged: o.Acknowledged, Pulled: o.Pulled}
	if j.Communities == nil {
		j.Communities = []string{}
	}
	if o.LastNode != (syncsvc.NodeID{}) {
		s := o.LastNode.String()
		j.LastNode = &s
	}
	return j
}

// officeInputError makes a refusal of what the flags said bad usage.
func (a *app) officeInputError(err error) error {
	if errors.Is(err, syncsvc.ErrInvalidChange) || errors.Is(err, cadre.ErrInvalid) {
		return &usageError{err.Error()}
	}
	if errors.Is(err, syncsvc.ErrOfficeExists) {
		return a.fail(err, "这个办公室已经登记了：换一个 --id，或用 wanxia hub office rotate-token 给它新令牌",
			"that office is registered already: choose another --id, or give it a new token with wanxia hub office rotate-token")
	}
	if errors.Is(err, syncsvc.ErrNotFound) {
		return a.fail(err, "没有这个办公室：用 wanxia hub office list 查看", "no such office: see wanxia hub office list")
	}
	return err
}

func (a *app) officeAddCmd() *cobra.Command {
	var id, name string
	var communities []string
	var asJSON bool
	cmd := a.leaf("add", "Register an office and print its token, once", 0, func(cmd *cobra.Command, _ []string) error {
		var missing []string
		for _, f := range []string{"id", "name", "communities"} {
			if !cmd.Flags().Changed(f) {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			o, token, err := r.AddOffice(cmd.Context(), id, name, communities)
			if err != nil {
				return a.officeInputError(err)
			}
			if asJSON {
				return a.printJSON(struct {
					officeJSON
					Token string `json:"token"`
				}{toOfficeJSON(o), token})
			}
			a.printf("已登记办公室 %s（%s），社区：%s\n", "registered office %s (%s), communities: %s\n", o.ID, o.Name, strings.Join(o.Communities, ", "))
			a.printf("令牌只显示这一次，请交给该办公室用于 wanxia office init：\n", "Its token, shown this once; give it to the office for wanxia office init:\n")
			a.printf("%s\n", "%s\n", token)
			return nil
		})
	})
	cmd.Flags().StringVar(&id, "id", "", "office id: lower-case letters, digits and -")
	cmd.Flags().StringVar(&name, "name", "", "the office's name")
	cmd.Flags().StringSliceVar(&communities, "communities", nil, "community codes it covers, comma-separated")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) officeListCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("list", "List the offices with their last sync", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			offices, err := r.Offices(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]officeJSON, 0, len(offices))
				for _, o := range offices {
					out = append(out, toOfficeJSON(o))
				}
				return a.printJSON(out)
			}
			if len(offices) == 0 {
				a.printf("（没有办公室）\n", "(no offices)\n")
				return nil
			}
			rows := make([][]string, 0, len(offices))
			for _, o := range offices {
				state := a.t("有效", "active")
				if o.Revoked() {
					state = a.t("已吊销", "revoked")
				}
				rows = append(rows, []string{o.ID, o.Name, strings.Join(o.Communities, ","), state, showTime(o.LastSyncAt),
					strconv.FormatInt(o.Acknowledged, 10), strconv.FormatInt(o.Pulled, 10)})
			}
			return writeTable(a.stdout, []string{"ID", a.t("名称", "name"), a.t("社区", "communities"), a.t("状态", "state"),
				a.t("最近同步", "last sync"), a.t("已推送到", "pushed up to"), a.t("已拉取到", "pulled up to")}, rows)
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) rotateTokenCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("rotate-token ID", "Give an office a new token (the old one stops working) and print it, once", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			token, err := r.RotateToken(cmd.Context(), args[0])
			if err != nil {
				return a.officeInputError(err)
			}
			if asJSON {
				return a.printJSON(map[string]string{"id": args[0], "token": token})
			}
			a.printf("办公室 %s 的新令牌（只显示这一次；旧令牌已失效，请在该办公室运行 wanxia office init 换上）：\n",
				"New token of office %s (shown this once; the old one no longer works: run wanxia office init with it at the office):\n", args[0])
			a.printf("%s\n", "%s\n", token)
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) revokeCmd() *cobra.Command {
	return a.leaf("revoke ID", "Stop an office's token from working (rotate-token gives it a new one)", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			if err := r.RevokeOffice(cmd.Context(), args[0]); err != nil {
				return a.officeInputError(err)
			}
			a.printf("已吊销办公室 %s 的令牌\n", "revoked the token of office %s\n", args[0])
			return nil
		})
	})
}

func (a *app) adminTokenCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("admin-token", "Create a credential for managing offices over RPC and print it, once", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			token, err := r.NewAdminToken(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]string{"token": token})
			}
			a.printf("管理令牌（只显示这一次）：\n", "Admin token (shown this once):\n")
			a.printf("%s\n", "%s\n", token)
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

// communityJSON is a community as scripts see it.
type communityJSON struct {
	Code   string   `json:"code"`
	Name   string   `json:"name"`
	Street string   `json:"street"`
	Lat    *float64 `json:"lat"`
	Lng    *float64 `json:"lng"`
}

func (a *app) communitySetCmd() *cobra.Command {
	var c store.Community
	var lat, lng float64
	cmd := a.leaf("set CODE", "Create or complete a community: its Chinese name, street (街道) and centre point", 1, func(cmd *cobra.Command, args []string) error {
		given := cmd.Flags().Changed
		if given("lat") != given("lng") {
			return a.usage("--lat 和 --lng 要一起给出", "give --lat and --lng together")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			all, err := r.Communities(cmd.Context())
			if err != nil {
				return err
			}
			next := store.Community{Code: args[0]}
			for _, old := range all {
				if old.Code == args[0] {
					next = old
				}
			}
			if given("name") {
				next.Name = c.Name
			}
			if given("street") {
				next.Street = c.Street
			}
			if given("lat") {
				next.Centre = &cadre.Location{Lat: lat, Lng: lng}
			}
			if err := r.SetCommunity(cmd.Context(), next); err != nil {
				return a.officeInputError(err)
			}
			a.printf("已保存社区 %s\n", "saved community %s\n", args[0])
			return nil
		})
	})
	cmd.Flags().StringVar(&c.Name, "name", "", "Chinese display name, e.g. 舜园社区")
	cmd.Flags().StringVar(&c.Street, "street", "", "the street (街道) it belongs to")
	cmd.Flags().Float64Var(&lat, "lat", 0, "centre latitude (WGS-84), with --lng")
	cmd.Flags().Float64Var(&lng, "lng", 0, "centre longitude (WGS-84), with --lat")
	return cmd
}

func (a *app) communityListCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("list", "List the communities", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			all, err := r.Communities(cmd.Context())
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]communityJSON, 0, len(all))
				for _, c := range all {
					j := communityJSON{Code: c.Code, Name: c.Name, Street: c.Street}
					if c.Centre != nil {
						j.Lat, j.Lng = &c.Centre.Lat, &c.Centre.Lng
					}
					out = append(out, j)
				}
				return a.printJSON(out)
			}
			if len(all) == 0 {
				a.printf("（没有社区）\n", "(no communities)\n")
				return nil
			}
			rows := make([][]string, 0, len(all))
			for _, c := range all {
				centre := "-"
				if c.Centre != nil {
					centre = strconv.FormatFloat(c.Centre.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(c.Centre.Lng, 'f', -1, 64)
				}
				street := c.Street
				if street == "" {
					street = "-"
				}
				rows = append(rows, []string{c.Code, c.Name, street, centre})
			}
			return writeTable(a.stdout, []string{a.t("代码", "code"), a.t("名称", "name"), a.t("街道", "street"), a.t("中心点", "centre")}, rows)
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

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
			"the backup %s fails the check and cannot be restored: %v; nothing restored, the database is as it was; choose another backup (--from)", res.From, err)
	case errors.Is(err, syncsvc.ErrOtherReplica) && res.Role != role:
		return a.fail(err, "%s 是%s的数据库，不是%s的备份；没有恢复，原数据库未动",
			"%s is the database of %s, not a backup of %s; nothing restored, the database is as it was", res.From, a.roleLabel(res.Role), a.roleLabel(role))
	case errors.Is(err, syncsvc.ErrOtherReplica):
		return a.fail(err, "备份 %s 属于办公室 %s，不是本办公室 %s 的；没有恢复，原数据库未动",
			"the backup %s belongs to office %s, not to this office %s; nothing restored, the database is as it was", res.From, res.Settings[metaOfficeID], res.Replaced[metaOfficeID])
	}
	return a.fail(err, "没有恢复（原数据库未动）：%v", "nothing restored (the database is as it was): %v", err)
}

// defaultMemoryLimitMiB is the hub's default soft memory limit, which
// keeps the Go heap of the nightly merge of a district of 20,000 cadres and
// 50 offices under about 350 MiB (about 470 MiB resident with SQLite's
// caches; BENCHMARKS.md) and leaves a busy hub's garbage collector a bound.
const defaultMemoryLimitMiB = 384

// setMemoryLimit sets the process's soft memory limit, unless GOMEMLIMIT
// already did or mib is 0.
func setMemoryLimit(mib int64) {
	if os.Getenv("GOMEMLIMIT") != "" || mib <= 0 {
		return
	}
	debug.SetMemoryLimit(mib << 20)
}
