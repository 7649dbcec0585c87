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
	"github.com/wanxia/wanxia/syncsvc/desk"
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
			in := desk.CommunityInput{Code: args[0], Name: c.Name, Street: c.Street}
			for _, f := range []string{"name", "street"} {
				if given(f) {
					in.Set = append(in.Set, f)
				}
			}
			if given("lat") {
				in.Centre, in.Set = &cadre.Location{Lat: lat, Lng: lng}, append(in.Set, "centre")
			}
			if _, err := desk.SetCommunity(cmd.Context(), r, in); err != nil {
				return a.officeInputError(errors.Unwrap(err)) // the storage's own words, as before
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

// setMemoryLimit sets the process's soft memory limit, unless GOMEMLIMIT
// already did or mib is 0: Go's runtime keeps to mib less what SQLite's
// caches and the C library take beside it (syncsvc.GoMemoryLimit).
func setMemoryLimit(mib int64) {
	if os.Getenv("GOMEMLIMIT") != "" || mib <= 0 {
		return
	}
	debug.SetMemoryLimit(syncsvc.GoMemoryLimit(mib))
}
