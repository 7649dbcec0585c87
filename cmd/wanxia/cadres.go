package main

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// cadreFieldOrder is the order of the contract's field table, in which a
// cadre is shown.
var cadreFieldOrder = []string{
	"name", "gender", "id_number", "birth_date", "category", "retired_on", "rank", "party", "party_joined_on",
	"health", "living", "children_nearby", "living_difficulty", "community", "address", "lat", "lng",
	"phone", "emergency_contact", "original_unit", "pension_fen", "status", "status_on",
}

// fieldName is the header a clerk sees for a field (its JSON key), "" for
// a problem of a whole row or record.
func fieldName(field string, lang cadre.Lang) string { return wording.FieldName(field, lang) }

// cadreValue shows one field of a cadre (wording.CadreValue). The ID
// number is shown in full only when full is set; lists show it masked.
func cadreValue(c *cadre.Cadre, field string, lang cadre.Lang, full bool) string {
	return wording.CadreValue(c, field, lang, full)
}

// cadreInput holds the values of the cadre flags; which of them were given
// is asked of the flag set.
type cadreInput struct {
	c        cadre.Cadre
	lat, lng float64
}

func (in *cadreInput) register(fs *pflag.FlagSet) {
	c := &in.c
	fs.StringVar(&c.Name, "name", "", "姓名 name")
	fs.Var(&enumFlag[cadre.Gender]{&c.Gender, cadre.ParseGender}, "gender", "性别: male 男, female 女 (default: from the ID number)")
	fs.StringVar(&c.IDNumber, "id-number", "", "身份证号, 18 characters")
	fs.Var(&dateFlag{&c.BirthDate}, "birth-date", "出生日期 (default: from the ID number)")
	fs.Var(&enumFlag[cadre.Category]{&c.Category, orUnknown(cadre.ParseCategory)}, "category", "类别: lixiu 离休, tuixiu 退休, junxiu 军休")
	fs.Var(&dateFlag{&c.RetiredOn}, "retired-on", "离退休时间")
	fs.Var(&enumFlag[cadre.Rank]{&c.Rank, orUnknown(cadre.ParseRank)}, "rank", "职级: county_deputy_plus 副县处级及以上, section 科级, other 其他")
	fs.Var(&enumFlag[cadre.Party]{&c.Party, orUnknown(cadre.ParseParty)}, "party", "党员: none 非党员, probationary 预备党员, full 正式党员")
	fs.Var(&dateFlag{&c.PartyJoinedOn}, "party-joined-on", "入党时间")
	fs.Var(&enumFlag[cadre.Health]{&c.Health, orUnknown(cadre.ParseHealth)}, "health", "健康状况: good 良好, chronic 慢性病, serious 重病, dependent 失能")
	fs.Var(&enumFlag[cadre.Living]{&c.Living, orUnknown(cadre.ParseLiving)}, "living", "居住情况: alone 独居, spouse 与配偶同住, family 与子女同住")
	fs.Var(&boolFlag{&c.ChildrenNearby}, "children-nearby", "子女在附近: true/false, 是/否")
	fs.Var(&boolFlag{&c.Difficulty}, "living-difficulty", "生活困难: true/false, 是/否")
	fs.StringVar(&c.Community, "community", "", "社区 community code; in edit, moves the cadre to that community")
	fs.StringVar(&c.Address, "address", "", "住址 (changing it without --lat/--lng clears the old position)")
	fs.Float64Var(&in.lat, "lat", 0, "纬度 latitude (WGS-84), with --lng")
	fs.Float64Var(&in.lng, "lng", 0, "经度 longitude (WGS-84), with --lat")
	fs.StringVar(&c.Phone, "phone", "", "电话: digits, - and +")
	fs.StringVar(&c.EmergencyContact, "emergency-contact", "", "紧急联系人")
	fs.StringVar(&c.OriginalUnit, "original-unit", "", "原工作单位")
	fs.Var(&yuanFlag{&c.PensionFen}, "pension", "基本离退休费 in yuan, e.g. 5123.40")
	fs.Var(&enumFlag[cadre.Status]{&c.Status, cadre.ParseStatus}, "status", "状态: active 在册, deceased 去世, moved 迁出")
	fs.Var(&dateFlag{&c.StatusOn}, "status-on", "状态日期: the date of death or of moving away")
}

// requiredCadreFlags are what cadre add cannot do without: what
// identifies the person. Gender and birth date come from the ID number,
// the status is 在册; every other field may be unknown (未填) and stays so.
var requiredCadreFlags = []string{"name", "id-number", "community"}

// flagOf is the flag that sets a field.
func flagOf(field string) string {
	if field == "pension_fen" {
		return "pension"
	}
	return strings.ReplaceAll(field, "_", "-")
}

// input returns the fields whose flags were given, with their values.
func (in *cadreInput) input(a *app, fs *pflag.FlagSet) (desk.CadreInput, error) {
	if fs.Changed("lat") != fs.Changed("lng") {
		return desk.CadreInput{}, a.usage("--lat 和 --lng 要一起给出", "give --lat and --lng together")
	}
	out := desk.CadreInput{Values: in.c}
	for _, field := range desk.CadreFields {
		if fs.Changed(flagOf(field)) {
			out.Set = append(out.Set, field)
		}
	}
	if fs.Changed("lat") {
		out.Values.Location = &cadre.Location{Lat: in.lat, Lng: in.lng}
	}
	return out, nil
}

// cadreCmd is `hub cadre` or `office cadre`: the hub reads the district's
// cadres, an office also writes its own.
func (a *app) cadreCmd(role syncsvc.Role) *cobra.Command {
	if role == syncsvc.RoleHub {
		cmd := a.group("cadre", "Cadres (干部) of the whole district: list, show", "")
		cmd.AddCommand(a.cadreListCmd(role), a.cadreShowCmd(role))
		return cmd
	}
	cmd := a.group("cadre", "This office's cadres (干部): add, list, show, edit, remove, search", "")
	cmd.AddCommand(a.cadreAddCmd(), a.cadreListCmd(role), a.cadreShowCmd(role), a.cadreEditCmd(), a.cadreRemoveCmd(), a.cadreSearchCmd())
	return cmd
}

func (a *app) cadreAddCmd() *cobra.Command {
	var in cadreInput
	var asJSON bool
	cmd := a.leaf("add", "Register a cadre (登记干部); enumerations take a code or the Chinese label", 0, func(cmd *cobra.Command, _ []string) error {
		var missing []string
		for _, f := range requiredCadreFlags {
			if !cmd.Flags().Changed(f) {
				missing = append(missing, "--"+f)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		}
		input, err := in.input(a, cmd.Flags())
		if err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			saved, err := desk.RegisterCadre(cmd.Context(), r, input)
			if err != nil {
				return err
			}
			c := saved.Cadre
			if asJSON {
				return a.printJSON(c)
			}
			a.printf("已登记干部 %s（%s）\n", "registered cadre %s (%s)\n", c.Name, c.ID)
			return nil
		})
	})
	in.register(cmd.Flags())
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) cadreEditCmd() *cobra.Command {
	var in cadreInput
	var asJSON bool
	cmd := a.leaf("edit REF", "Change the fields given by flags (修改); --community moves the cadre. REF: UUID, unique prefix of 8+ characters, or ID number", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			found, err := a.findCadre(cmd.Context(), r, args[0])
			if err != nil {
				return err
			}
			input, err := in.input(a, cmd.Flags())
			if err != nil {
				return err
			}
			saved, err := desk.EditCadre(cmd.Context(), r, found.ID, input)
			if err != nil {
				return err
			}
			c, changed := saved.Cadre, saved.Changed
			switch {
			case asJSON:
				return a.printJSON(c)
			case changed:
				a.printf("已保存干部 %s（%s）\n", "saved cadre %s (%s)\n", c.Name, c.ID)
			default:
				a.printf("没有变化：干部 %s（%s）\n", "nothing changed: cadre %s (%s)\n", c.Name, c.ID)
			}
			return nil
		})
	})
	in.register(cmd.Flags())
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) cadreRemoveCmd() *cobra.Command {
	var reason string
	var asJSON bool
	cmd := a.leaf("remove REF", "Remove a cadre entered by mistake (误录删除), with --reason; a cadre who died or moved away keeps the record: set --status instead", 1, func(cmd *cobra.Command, args []string) error {
		if strings.TrimSpace(reason) == "" {
			return a.usage("缺少选项 --reason（为什么删除）", "missing --reason (why the record is removed)")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			c, err := a.findCadre(cmd.Context(), r, args[0])
			if err != nil {
				return err
			}
			removed, err := desk.RemoveCadre(cmd.Context(), r, desk.CadreRemoval{ID: c.ID, Reason: reason})
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(map[string]any{"id": removed.ID, "removed": true, "reason": removed.Reason})
			}
			a.printf("已删除误录的干部 %s（%s）\n", "removed cadre %s (%s), entered by mistake\n", c.Name, c.ID)
			return nil
		})
	})
	cmd.Flags().StringVar(&reason, "reason", "", "why the record was entered by mistake")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) cadreListCmd(role syncsvc.Role) *cobra.Command {
	var community string
	var status cadre.Status
	var asJSON bool
	cmd := a.leaf("list", "List cadres (干部名单) by community and name; ID numbers masked", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), role, false, func(r *store.Replica) error {
			cs, err := r.Cadres(cmd.Context(), store.CadreFilter{Community: community, Status: status})
			if err != nil {
				return err
			}
			return a.printCadres(cmd.Context(), r, cs, asJSON)
		})
	})
	cmd.Flags().StringVar(&community, "community", "", "only this community")
	cmd.Flags().Var(&enumFlag[cadre.Status]{&status, cadre.ParseStatus}, "status", "only this status: active 在册, deceased 去世, moved 迁出")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) cadreSearchCmd() *cobra.Command {
	var limit int
	var asJSON bool
	cmd := a.leaf("search TEXT", "Find cadres by part of the name, its pinyin initials (zzq: 张志强) or the start of the ID number", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.printSearch(cmd.Context(), r, args[0], limit, asJSON)
		})
	})
	cmd.Flags().IntVar(&limit, "limit", 50, "at most this many")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) cadreShowCmd(role syncsvc.Role) *cobra.Command {
	var asJSON bool
	cmd := a.leaf("show REF", "Show one cadre in full (REF: UUID, unique prefix of 8+ characters, or ID number)", 1, func(cmd *cobra.Command, args []string) error {
		return a.withReplica(cmd.Context(), role, false, func(r *store.Replica) error {
			c, err := a.findCadre(cmd.Context(), r, args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(c)
			}
			rows := [][]string{{"ID", c.ID.String()}}
			for _, f := range cadreFieldOrder {
				rows = append(rows, []string{fieldName(f, a.lang), cadreValue(&c, f, a.lang, true)})
			}
			return writeTable(a.stdout, rows[0], rows[1:])
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

// printCadres prints a list: a table with masked ID numbers, a name that
// more than one cadre has followed by what to type to name that one, or
// JSON.
func (a *app) printCadres(ctx context.Context, r *store.Replica, cs []cadre.Cadre, asJSON bool) error {
	if asJSON {
		if cs == nil {
			cs = []cadre.Cadre{}
		}
		return a.printJSON(cs)
	}
	if len(cs) == 0 {
		a.printf("（没有干部）\n", "(no cadres)\n")
		return nil
	}
	cols := []string{"id", "name", "gender", "id_number", "birth_date", "category", "rank", "community", "status"}
	header := make([]string, len(cols))
	for i, f := range cols {
		header[i] = fieldName(f, a.lang)
	}
	rs, err := loadRefs(ctx, r, desk.KindCadre)
	if err != nil {
		return err
	}
	rows := make([][]string, len(cs))
	for i := range cs {
		rows[i] = make([]string, len(cols))
		for j, f := range cols {
			rows[i][j] = cadreValue(&cs[i], f, a.lang, false)
		}
		rows[i][1] = rs.label(cs[i].ID, rows[i][1])
	}
	if err := writeTable(a.stdout, header, rows); err != nil {
		return err
	}
	a.refNote(rs)
	return nil
}
