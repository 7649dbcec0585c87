package main

import (
	"errors"
	"os"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// hubInitJSON is what hub init prints for scripts.
type hubInitJSON struct {
	DB      string `json:"db"`
	Node    string `json:"node"`
	Created bool   `json:"created"`
}

// hubInitCmd is hub init: the one hub verb that creates a database, so
// that a mistyped --db of any other is refused rather than starting a new,
// empty hub.
func (a *app) hubInitCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("init", "Create the hub's database at --db (every other hub verb needs one); on an existing hub database it changes nothing", 0, func(cmd *cobra.Command, _ []string) error {
		_, statErr := os.Stat(a.hubDB)
		created := errors.Is(statErr, os.ErrNotExist)
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, true, func(r *store.Replica) error {
			out := hubInitJSON{DB: a.hubDB, Node: r.Node().String(), Created: created}
			switch {
			case asJSON:
				return a.printJSON(out)
			case created:
				a.printf("已建立 hub 数据库 %s（节点 %s）\n下一步：wanxia hub community set 登记社区，wanxia hub office add 登记办公室，wanxia hub serve 开始同步\n",
					"created the hub's database %s (node %s)\nnext: register communities with wanxia hub community set, offices with wanxia hub office add, and start syncing with wanxia hub serve\n",
					out.DB, out.Node)
			default:
				a.printf("hub 数据库 %s 已经存在（节点 %s），没有改动\n", "the hub's database %s already exists (node %s); nothing changed\n", out.DB, out.Node)
			}
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}
