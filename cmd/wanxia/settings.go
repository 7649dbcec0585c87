package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// settingJSON is a district setting as scripts see it.
type settingJSON struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Value   string `json:"value"`
	Default string `json:"default"`
	Set     bool   `json:"set"`
}

// settingCmd is `hub setting` (list, set, reset) or, on an office, `office
// setting` (list: the settings as of the last sync).
func (a *app) settingCmd(role syncsvc.Role) *cobra.Command {
	cmd := a.group("setting", "District settings (区级设置): the numbers of the rules — list"+map[syncsvc.Role]string{syncsvc.RoleHub: ", set, reset"}[role], "")
	cmd.AddCommand(a.settingListCmd(role))
	if role == syncsvc.RoleHub {
		cmd.AddCommand(a.settingSetCmd(), a.settingResetCmd())
	}
	return cmd
}

func (a *app) settingListCmd(role syncsvc.Role) *cobra.Command {
	var asJSON bool
	cmd := a.leaf("list", "List every district setting with its value and its default", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), role, false, func(r *store.Replica) error {
			items, err := settings.List(cmd.Context(), r)
			if err != nil {
				return a.settingError(err, "")
			}
			out := make([]settingJSON, len(items))
			rows := make([][]string, len(items))
			for i, it := range items {
				out[i] = settingJSON{Key: it.Key, Label: it.Label(a.lang), Value: it.Value, Default: it.Default, Set: it.Set}
				mark := ""
				if it.Set {
					mark = a.t("（已改）", " (set)")
				}
				rows[i] = []string{it.Key, it.Label(a.lang), it.Value + mark, it.Default}
			}
			if asJSON {
				return a.printJSON(out)
			}
			return writeTable(a.stdout, []string{a.t("设置", "key"), a.t("含义", "meaning"), a.t("当前值", "value"), a.t("默认值", "default")}, rows)
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) settingSetCmd() *cobra.Command {
	cmd := a.leaf("set KEY VALUE", "Set a district setting (checked against its rule); offices receive it at their next sync", 2, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			return a.putSetting(cmd.Context(), r, args[0], func() (bool, error) { return settings.Set(cmd.Context(), r, args[0], args[1]) })
		})
	})
	return cmd
}

func (a *app) settingResetCmd() *cobra.Command {
	cmd := a.leaf("reset KEY", "Give a district setting back its default", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			return a.putSetting(cmd.Context(), r, args[0], func() (bool, error) { return settings.Reset(cmd.Context(), r, args[0]) })
		})
	})
	return cmd
}

// putSetting writes a setting and says what it is now.
func (a *app) putSetting(ctx context.Context, r *store.Replica, key string, put func() (bool, error)) error {
	changed, err := put()
	if err != nil {
		return a.settingError(err, key)
	}
	items, err := settings.List(ctx, r)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Key != key {
			continue
		}
		if !changed {
			a.printf("没有变化：%s（%s）= %s\n", "no change: %s (%s) = %s\n", it.Key, it.Label(a.lang), it.Value)
			return nil
		}
		a.printf("已保存：%s（%s）= %s（默认 %s）；各办公室下次同步后生效\n", "saved: %s (%s) = %s (default %s); offices use it after their next sync\n",
			it.Key, it.Label(a.lang), it.Value, it.Default)
	}
	return nil
}

// settingError says what was wrong with a setting and what to do.
func (a *app) settingError(err error, key string) error {
	switch {
	case errors.Is(err, settings.ErrUnknownKey):
		return a.usage("没有设置 %s：运行 wanxia hub setting list 查看全部设置", "there is no setting %s: run wanxia hub setting list to see them all", key)
	case errors.Is(err, settings.ErrBadValue):
		var ve *settings.ValueError
		why := err.Error()
		if errors.As(err, &ve) {
			why = ve.Message(a.lang)
		}
		return a.usage("设置 %s 的值不行：%s", "setting %s cannot take that value: %s", key, why)
	}
	return err
}
