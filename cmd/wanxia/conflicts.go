package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// showValue shows a field's value in a conflict, ID numbers masked
// (wording.StoredValue).
func (a *app) showValue(table, field string, v any) string {
	return wording.StoredValue(table, field, v, a.lang)
}

// conflictJSON is a conflict as scripts see it; values are as stored
// (codes, fen, a list for fields stored together).
type conflictJSON struct {
	ID           string  `json:"id"`
	Table        string  `json:"table"`
	RecordID     string  `json:"record_id"`
	Field        string  `json:"field"`
	Scope        string  `json:"scope"`
	CurrentValue any     `json:"current_value"`
	CurrentAt    *string `json:"current_at"`
	OtherValue   any     `json:"other_value"`
	OtherAt      *string `json:"other_at"`
	DetectedAt   *string `json:"detected_at"`
	Resolved     bool    `json:"resolved"`
	Resolution   string  `json:"resolution"`
	ResolvedAt   *string `json:"resolved_at"`
}

func (a *app) conflictListCmd() *cobra.Command {
	var all, asJSON bool
	cmd := a.leaf("list", "List the conflicts waiting to be resolved (--all: resolved ones too)", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			cs, err := r.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: !all})
			if err != nil {
				return err
			}
			if asJSON {
				out := make([]conflictJSON, 0, len(cs))
				for _, c := range cs {
					out = append(out, conflictJSON{ID: c.ID.String(), Table: c.Table, RecordID: c.RecordID.String(), Field: c.Field, Scope: c.Scope,
						CurrentValue: c.Current.Value, CurrentAt: jsonTime(c.Current.Stamp.Time()), OtherValue: c.Other.Value, OtherAt: jsonTime(c.Other.Stamp.Time()),
						DetectedAt: jsonTime(c.DetectedAt), Resolved: c.Resolved, Resolution: c.Resolution, ResolvedAt: jsonTime(c.ResolvedAt)})
				}
				return a.printJSON(out)
			}
			if len(cs) == 0 {
				a.printf("（没有待解决的冲突）\n", "(no conflicts to resolve)\n")
				return nil
			}
			rows := make([][]string, 0, len(cs))
			for _, c := range cs {
				record, field := c.Table+" "+c.RecordID.String(), c.Field
				if c.Table == store.CadresTable {
					if cd, err := r.Cadre(ctx, c.RecordID); err == nil {
						record = cd.Name + " " + c.RecordID.String()
					}
					field = fieldName(c.Field, a.lang)
				}
				state := a.t("待解决", "open")
				if c.Resolved {
					state = a.t("已解决", "resolved") + " (" + c.Resolution + ")"
				}
				rows = append(rows, []string{c.ID.String(), record, field, a.showValue(c.Table, c.Field, c.Current.Value),
					a.showValue(c.Table, c.Field, c.Other.Value), showTime(c.DetectedAt), state})
			}
			return writeTable(a.stdout, []string{"ID", a.t("记录", "record"), a.t("字段", "field"), a.t("当前值 (current)", "current"),
				a.t("另一值 (other)", "other"), a.t("发现时间", "detected"), a.t("状态", "state")}, rows)
		})
	})
	cmd.Flags().BoolVar(&all, "all", false, "list resolved conflicts too")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) conflictResolveCmd() *cobra.Command {
	var keep, value string
	cmd := a.leaf("resolve ID", "Settle a conflict: --keep current, --keep other, or --value V (JSON list for fields stored together)", 1, func(cmd *cobra.Command, args []string) error {
		given := cmd.Flags().Changed
		if given("keep") == given("value") {
			return a.usage("给出 --keep current|other 或 --value V，二者选一", "give either --keep current|other or --value V")
		}
		choice := syncsvc.KeepValue
		if given("keep") {
			switch keep {
			case "current":
				choice = syncsvc.KeepCurrent
			case "other":
				choice = syncsvc.KeepOther
			default:
				return a.usage("--keep %q：应为 current 或 other", "--keep %q: want current or other", keep)
			}
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			c, err := a.findConflict(ctx, r, args[0])
			if err != nil {
				return err
			}
			err = desk.ResolveConflict(ctx, r, desk.ConflictResolution{Conflict: c, Keep: choice, Value: value})
			var ve *desk.ValueError
			switch {
			case errors.As(err, &ve):
				return a.usage("--value %q 不适合字段 %s：%v", "--value %q does not fit field %s: %v", value, c.Field, ve.Err)
			case errors.Is(err, syncsvc.ErrConflictResolved):
				return a.fail(err, "冲突 %s 已经解决过了", "conflict %s is resolved already", c.ID)
			case err != nil:
				return err
			}
			a.printf("已解决冲突 %s；下次同步时传给 hub\n", "resolved conflict %s; it goes to the hub on the next sync\n", c.ID)
			return nil
		})
	})
	cmd.Flags().StringVar(&keep, "keep", "", "current or other")
	cmd.Flags().StringVar(&value, "value", "", "the field's new value")
	return cmd
}

// findConflict resolves a conflict's UUID or a unique prefix of at least 8
// of its characters (desk.FindConflict), and words what it could not find.
func (a *app) findConflict(ctx context.Context, r *store.Replica, ref string) (syncsvc.Conflict, error) {
	c, err := desk.FindConflict(ctx, r, ref)
	var re *desk.RefError
	switch {
	case !errors.As(err, &re):
		return c, err
	case errors.Is(err, desk.ErrBadRef):
		return c, a.usage("%q 不是冲突的名字：给出 UUID 或它至少 8 个字符的开头", "%q names no conflict: give its UUID or at least its first 8 characters", ref)
	case errors.Is(err, syncsvc.ErrAmbiguous):
		return c, a.fail(syncsvc.ErrAmbiguous, "%s 是 %d 个冲突 ID 的开头：多给几个字符", "%s starts %d conflict IDs: give more characters", ref, len(re.Matches))
	}
	return c, a.fail(syncsvc.ErrNotFound, "没有冲突 %s：用 wanxia office conflict list --all 查看", "no conflict %s: see wanxia office conflict list --all", ref)
}
