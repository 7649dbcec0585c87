package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func (a *app) duplicateCmd() *cobra.Command {
	cmd := a.group("duplicate", "Duplicate registrations: one ID number registered as two cadres by two offices; list, resolve", "")
	cmd.AddCommand(a.duplicateListCmd(), a.duplicateResolveCmd())
	return cmd
}

// duplicateEntryJSON is one record of a duplicate registration.
type duplicateEntryJSON struct {
	ID        uuid.UUID `json:"id"`
	Name      string    `json:"name"`
	IDNumber  string    `json:"id_number"`
	Community string    `json:"community"`
	Office    string    `json:"office"`
	Address   string    `json:"address"`
	Phone     string    `json:"phone"`
	Status    string    `json:"status"`
	Records   int       `json:"records"`
}

func (a *app) duplicateListCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("list", "List each ID number registered as more than one cadre, the records side by side", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			groups, err := r.Duplicates(cmd.Context())
			if err != nil {
				return err
			}
			out := make([][]duplicateEntryJSON, 0, len(groups))
			for _, g := range groups {
				entries := make([]duplicateEntryJSON, 0, len(g.Entries))
				for _, e := range g.Entries {
					c := e.Cadre
					entries = append(entries, duplicateEntryJSON{ID: c.ID, Name: c.Name, IDNumber: cadre.MaskIDNumber(c.IDNumber), Community: c.Community,
						Office: e.Office, Address: c.Address, Phone: c.Phone, Status: string(c.Status), Records: e.Records})
				}
				out = append(out, entries)
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("没有重复登记\n", "no duplicate registrations\n")
				return nil
			}
			for i, entries := range out {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				a.printf("身份证号 %s 登记了 %d 次：\n", "ID number %s is registered %d times:\n", entries[0].IDNumber, len(entries))
				rows := make([][]string, 0, len(entries))
				for _, e := range entries {
					office := e.Office
					if office == "" {
						office = "-"
					}
					rows = append(rows, []string{e.ID.String(), e.Name, e.Community, office, e.Address, e.Phone, cadre.Status(e.Status).Label(a.lang), fmt.Sprint(e.Records)})
				}
				if err := writeTable(a.stdout, []string{"ID", a.t("姓名", "name"), a.t("社区", "community"), a.t("登记办公室", "office"),
					a.t("住址", "address"), a.t("电话", "phone"), a.t("状态", "status"), a.t("相关记录", "records")}, rows); err != nil {
					return err
				}
			}
			a.printf("核实后运行 wanxia hub duplicate resolve 保留的ID --void 作废的ID --reason 原因\n",
				"after checking, run wanxia hub duplicate resolve KEEP-ID --void OTHER-ID --reason WHY\n")
			return nil
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) duplicateResolveCmd() *cobra.Command {
	var void, reason string
	var asJSON bool
	cmd := a.leaf("resolve KEEP", "Keep one registration and void the other (--void ID --reason WHY): the records about the voided one move to the one kept, in one transaction", 1, func(cmd *cobra.Command, args []string) error {
		if void == "" || strings.TrimSpace(reason) == "" {
			return a.usage("请给出 --void 作废的ID 和 --reason 原因", "give --void OTHER-ID and --reason WHY")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			keep, err := a.findCadre(ctx, r, args[0])
			if err != nil {
				return err
			}
			drop, err := a.findCadre(ctx, r, void)
			if err != nil {
				return err
			}
			res, err := desk.ResolveDuplicate(ctx, r, desk.DuplicateResolution{Keep: keep.ID, Void: drop.ID, Reason: reason})
			n := res.RecordsMoved
			if errors.Is(err, store.ErrNotDuplicate) {
				return a.fail(err, "%s 和 %s 不是同一身份证号的两条在册登记：用 wanxia hub duplicate list 查看", "%s and %s are not two live registrations of one ID number: see wanxia hub duplicate list", keep.ID, drop.ID)
			}
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"kept": keep.ID, "voided": drop.ID, "records_moved": n})
			}
			a.printf("已保留 %s（%s），作废 %s；%d 条相关记录已转到保留的登记。办公室同步后可见\n",
				"kept %s (%s), voided %s; %d records moved to the one kept. Offices see it after they sync\n", keep.ID, keep.Community, drop.ID, n)
			return nil
		})
	})
	cmd.Flags().StringVar(&void, "void", "", "the registration to void (UUID or a unique prefix)")
	cmd.Flags().StringVar(&reason, "reason", "", "why, for the record")
	jsonFlag(cmd, &asJSON)
	return cmd
}
