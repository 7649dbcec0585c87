package main

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// refusalJSON is one change the hub refused.
type refusalJSON struct {
	Office   string  `json:"office"`
	Node     string  `json:"node"`
	Seq      int64   `json:"seq"`
	Table    string  `json:"table"`
	RecordID string  `json:"record_id"`
	Code     string  `json:"code"`
	Reason   string  `json:"reason"`
	At       string  `json:"at"`
	State    string  `json:"state"`
	Settled  *string `json:"settled_at"`
	Note     string  `json:"note,omitempty"`
}

// rejectedJSON is one record the hub refused, as office rejected lists it.
type rejectedJSON struct {
	Table    string `json:"table"`
	RecordID string `json:"record_id"`
	// What the record is, in the language asked for: 干部 王秀英, 王秀英的走访（2026-11-20）.
	What  string `json:"what"`
	Name  string `json:"name,omitempty"`
	State string `json:"state"`
	// Held: the office still holds the record (it is never dropped while a
	// refusal is open).
	Held bool   `json:"held"`
	Code string `json:"code"`
	// Reason is why, in the language asked for; Detail the hub's own words.
	Reason string `json:"reason"`
	Detail string `json:"detail"`
	Todo   string `json:"todo"`
	// Fields are the record's fields as held here, ID numbers masked.
	Fields     map[string]any `json:"fields"`
	Pending    int            `json:"pending"`
	KnownAtHub bool           `json:"known_at_hub"`
	RefusedAt  string         `json:"refused_at"`
	Refusals   []refusalJSON  `json:"refusals"`
	// lines are a cadre's fields as cadre show words them.
	lines []string
}

func (a *app) tableLabel(table string) string { return wording.TableLabel(table, a.lang) }

func (a *app) rejectedCmd() *cobra.Command {
	var asJSON, all bool
	list := func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.listRejected(cmd.Context(), r, all, asJSON)
		})
	}
	cmd := a.group("rejected", "What the hub refused (被拒绝的记录): list with content, reason and what to do; fix, resend, discard", "")
	cmd.RunE = list
	cmd.Flags().BoolVar(&all, "all", false, "also the refusals already resent or discarded")
	jsonFlag(cmd, &asJSON)
	var listJSON, listAll bool
	listCmd := a.leaf("list", "List the records the hub refused, with their content, the reason and what to do", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.listRejected(cmd.Context(), r, listAll, listJSON)
		})
	})
	listCmd.Flags().BoolVar(&listAll, "all", false, "also the refusals already resent or discarded")
	jsonFlag(listCmd, &listJSON)
	cmd.AddCommand(listCmd, a.rejectedFixCmd(), a.rejectedResendCmd(), a.rejectedDiscardCmd())
	return cmd
}

func (a *app) listRejected(ctx context.Context, r *store.Replica, all, asJSON bool) error {
	recs, err := r.RefusedRecords(ctx, all)
	if err != nil {
		return err
	}
	scopes, err := r.OfficeScopes(ctx)
	if err != nil {
		return err
	}
	out := make([]rejectedJSON, 0, len(recs))
	for _, rr := range recs {
		out = append(out, a.rejected(ctx, r, rr, scopes))
	}
	if asJSON {
		return a.printJSON(out)
	}
	if len(out) == 0 {
		a.printf("（没有待处理的被拒绝记录）\n", "(no refused records waiting)\n")
		return nil
	}
	for i, rj := range out {
		if i > 0 {
			a.printf("\n", "\n")
		}
		state := map[string][2]string{syncsvc.RefusalOpen: {"待处理", "open"}, syncsvc.RefusalResent: {"已重新发送", "resent"},
			syncsvc.RefusalDiscarded: {"已放弃", "discarded"}}[rj.State]
		a.printf("%s  [%s]  %s\n", "%s  [%s]  %s\n", rj.What, a.t(state[0], state[1]), shortID(rj.RecordID))
		a.printf("  原因：%s\n", "  why: %s\n", rj.Reason)
		// The hub's own words are English; in Chinese the reason above says
		// them, and --json keeps them as detail.
		a.printf("  hub 拒绝于 %s（%d 条更改）%.0s\n", "  refused at %s (%d changes); the hub said: %s\n",
			showTime(parseTime(rj.RefusedAt)), len(rj.Refusals), rj.Detail)
		if rj.Held {
			a.printf("  内容：%s\n", "  content: %s\n", a.fieldsLine(rj))
		} else {
			a.printf("  内容：本机已没有这条记录\n", "  content: no longer held here\n")
		}
		if rj.Pending > 0 {
			a.printf("  还有 %d 条更改待发送\n", "  %d changes still to send\n", rj.Pending)
		}
		if rj.State == syncsvc.RefusalOpen {
			a.printf("  怎么办：%s\n", "  what to do: %s\n", rj.Todo)
		} else if n := rj.Refusals[0].Note; n != "" {
			a.printf("  说明：%s\n", "  note: %s\n", n)
		}
	}
	return nil
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339, s)
	return t
}

// findRefused resolves REF among the refused records (desk.FindRefused)
// and words what it could not find.
func (a *app) findRefused(ctx context.Context, r *store.Replica, ref string) (syncsvc.RefusedRecord, error) {
	rr, err := desk.FindRefused(ctx, r, ref)
	var re *desk.RefError
	switch {
	case !errors.As(err, &re):
		return rr, err
	case errors.Is(err, desk.ErrBadRef):
		return rr, a.usage("%q 不是记录的名字：给出 wanxia office rejected 列出的编号（至少 8 个字符），或干部的 18 位身份证号",
			"%q names no record: give the id office rejected lists (at least 8 characters), or a cadre's 18-character ID number", re.Ref)
	case errors.Is(err, syncsvc.ErrAmbiguous):
		return rr, a.fail(syncsvc.ErrAmbiguous, "%s 是不止一条记录的开头：多给几个字符", "%s starts more than one record's id: give more characters", re.Ref)
	}
	return rr, a.fail(syncsvc.ErrNotFound, "hub 没有拒绝过记录 %s：运行 wanxia office rejected 查看", "the hub refused no record %s: see wanxia office rejected", re.Ref)
}

// settleError says what a failed resend or discard means.
func (a *app) settleError(err error) error {
	switch {
	case errors.Is(err, syncsvc.ErrNotRefused):
		return a.fail(err, "这条记录没有待处理的拒绝（已重新发送或已放弃）", "this record has no open refusal (already resent or discarded)")
	case errors.Is(err, syncsvc.ErrRefusedPending):
		return a.fail(err, "这条记录还有更改没有发送：先运行 wanxia office sync，再决定是否放弃", "this record still has changes to send: run wanxia office sync first, then decide")
	case errors.Is(err, syncsvc.ErrNotFound):
		return a.fail(err, "本机已没有这条记录，不能重新发送：用 discard 结束这条拒绝", "the record is no longer held here and cannot be sent again: close the refusal with discard")
	}
	return err
}

func (a *app) rejectedFixCmd() *cobra.Command {
	var in cadreInput
	var asJSON bool
	cmd := a.leaf("fix REF", "Correct a refused cadre with the flags of cadre edit and send it again, whole, in one change (改正后重新发送)", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			input, err := in.input(a, cmd.Flags())
			if err != nil {
				return err
			}
			fixed, err := desk.FixRefusedCadre(ctx, r, rr, input)
			if errors.Is(err, desk.ErrNotCadre) {
				return a.usage("fix 用于干部记录；%s 请用原来的命令改正，再运行 wanxia office rejected resend %s",
					"fix is for cadres; correct a %s with its own verb, then run wanxia office rejected resend %s", a.tableLabel(rr.Table), shortID(rr.ID.String()))
			}
			if err != nil {
				return a.settleError(err)
			}
			c, res := fixed.Cadre, fixed.Resubmit
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalResent, "fields": res.Fields, "whole": res.Whole})
			}
			a.printf("已改正干部 %s，并重新写入 %d 个字段：运行 wanxia office sync 发送到 hub\n",
				"corrected cadre %s and wrote %d fields again: run wanxia office sync to send it to the hub\n", c.Name, res.Fields)
			return nil
		})
	})
	in.register(cmd.Flags())
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) rejectedResendCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("resend REF", "Send a refused record again as it is now (after correcting it, or once the hub can take it): the whole record when the hub never had it", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			res, err := desk.ResendRefused(ctx, r, rr)
			if err != nil {
				return a.settleError(err)
			}
			scopes, err := r.OfficeScopes(ctx)
			if err != nil {
				return err
			}
			what := a.rejected(ctx, r, rr, scopes).What
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalResent, "fields": res.Fields, "whole": res.Whole})
			}
			if res.Whole {
				a.printf("已把%s整条重新写入（%d 个字段）：运行 wanxia office sync 发送到 hub\n",
					"wrote %s again whole (%d fields): run wanxia office sync to send it to the hub\n", what, res.Fields)
			} else {
				a.printf("已把%s被拒绝的 %d 个字段重新写入：运行 wanxia office sync 发送到 hub\n",
					"wrote the %[2]d refused fields of %[1]s again: run wanxia office sync to send them to the hub\n", what, res.Fields)
			}
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) rejectedDiscardCmd() *cobra.Command {
	var reason string
	var asJSON bool
	cmd := a.leaf("discard REF", "Give up a refused record at this office, with --reason: it leaves this computer (the hub's copy, if it has one, comes back at the next sync)", 1, func(cmd *cobra.Command, args []string) error {
		if strings.TrimSpace(reason) == "" {
			return a.usage("缺少选项 --reason（为什么放弃）", "missing --reason (why the record is given up)")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			rr, err := a.findRefused(ctx, r, args[0])
			if err != nil {
				return err
			}
			scopes, err := r.OfficeScopes(ctx)
			if err != nil {
				return err
			}
			what := a.rejected(ctx, r, rr, scopes).What
			res, err := desk.DiscardRefused(ctx, r, rr, reason)
			if err != nil {
				return a.settleError(err)
			}
			if asJSON {
				return a.printJSON(map[string]any{"table": rr.Table, "record_id": rr.ID, "state": syncsvc.RefusalDiscarded,
					"dropped": res.Dropped, "refetch": res.Refetch, "reason": strings.TrimSpace(reason)})
			}
			a.printf("已放弃%s：从本机移除 %d 条记录\n", "gave up %s: %d records removed from this computer\n", what, res.Dropped)
			if res.Refetch {
				a.printf("hub 上有这条记录：下次同步时会取回 hub 上的版本\n", "the hub holds this record: the next sync brings the hub's copy back\n")
			}
			return nil
		})
	})
	cmd.Flags().StringVar(&reason, "reason", "", "why the record is given up")
	jsonFlag(cmd, &asJSON)
	return cmd
}
