package main

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Helpers are district data, written at the hub; an office names them
// from what its sync brought.
var (
	hubHelperNoun    = recordNoun{store.HelpersTable, "帮扶人", "helper", "wanxia hub helper list"}
	officeHelperNoun = recordNoun{store.HelpersTable, "帮扶人", "helper", "wanxia office pair list"}
)

// helperCmd is `hub helper`.
func (a *app) helperCmd() *cobra.Command {
	cmd := a.group("helper", "Helpers in 1对5 pairing (帮扶人, the bureau's leadership and staff): add, list, end", "")
	cmd.AddCommand(a.helperAddCmd(), a.helperListCmd(syncsvc.RoleHub), a.helperEndCmd())
	return cmd
}

// officeHelperCmd lets an office look up the helpers (district data the
// hub writes and every office receives), to name one in visit add --by.
func (a *app) officeHelperCmd() *cobra.Command {
	cmd := a.group("helper", "Helpers in 1对5 pairing (帮扶人), as the hub keeps them: list", "")
	cmd.AddCommand(a.helperListCmd(syncsvc.RoleOffice))
	return cmd
}

// findHelper resolves REF to a live helper: a UUID, a unique prefix of at
// least 8 of its characters, or a name no other helper has (desk.Resolve).
func (a *app) findHelper(ctx context.Context, r *store.Replica, n recordNoun, ref string) (care.Helper, error) {
	m, err := desk.Resolve(ctx, r, desk.KindHelper, ref)
	var re *desk.RefError
	if errors.As(err, &re) && (errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided)) {
		return care.Helper{}, a.helperNotFound(re.Err, n, re.Ref)
	}
	if err != nil {
		return care.Helper{}, a.refFailure(ctx, r, n, err)
	}
	h, err := r.Helper(ctx, m.ID)
	if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
		return h, a.helperNotFound(err, n, ref)
	}
	return h, err
}

// helperNotFound says that no helper is named ref; at an office, where
// helpers arrive with a sync, it says so.
func (a *app) helperNotFound(err error, n recordNoun, ref string) error {
	if n != officeHelperNoun {
		return a.notFound(err, n, ref)
	}
	return a.fail(err, "没有帮扶人 %s：帮扶人由区老干部局登记，同步后可见；已结对的帮扶人见 wanxia office pair list",
		"no helper %s: the district registers helpers and they arrive with a sync; the helpers paired here are in wanxia office pair list", ref)
}

// helperJSON is a helper as scripts see it.
type helperJSON struct {
	ID uuid.UUID `json:"id"`
	// Capacity is how many cadres the helper takes; OwnCapacity is what
	// was recorded, 0 for the district's setting.
	Capacity    int        `json:"capacity"`
	OwnCapacity int        `json:"own_capacity"`
	Name        string     `json:"name"`
	Lat         *float64   `json:"lat"`
	Lng         *float64   `json:"lng"`
	ActiveFrom  cadre.Date `json:"active_from"`
	ActiveTo    cadre.Date `json:"active_to"`
	Active      bool       `json:"active"`
	Pairs       int        `json:"pairs"`
}

// toHelperJSON shows a helper who takes capacity cadres.
func toHelperJSON(h care.Helper, on cadre.Date, pairs, capacity int) helperJSON {
	j := helperJSON{ID: h.ID, Name: h.Name, Capacity: capacity, OwnCapacity: h.Capacity,
		ActiveFrom: h.ActiveFrom, ActiveTo: h.ActiveTo, Active: h.Active(on), Pairs: pairs}
	if h.Base != nil {
		j.Lat, j.Lng = &h.Base.Lat, &h.Base.Lng
	}
	return j
}

func (a *app) helperAddCmd() *cobra.Command {
	var h care.Helper
	var lat, lng float64
	var asJSON bool
	cmd := a.leaf("add", "Add a helper who takes cadres in 1对5 pairing, and print the new helper's ID", 0, func(cmd *cobra.Command, _ []string) error {
		given := cmd.Flags().Changed
		switch {
		case strings.TrimSpace(h.Name) == "":
			return a.usage("缺少选项 --name（帮扶人姓名）", "missing --name (the helper's name)")
		case given("lat") != given("lng"):
			return a.usage("--lat 和 --lng 要一起给出", "give --lat and --lng together")
		case given("capacity") && h.Capacity < 1:
			return a.usage("--capacity 至少为 1；不再帮扶时用 wanxia hub helper end", "--capacity must be at least 1; to take no one, use wanxia hub helper end")
		}
		if given("lat") {
			h.Base = &cadre.Location{Lat: lat, Lng: lng}
			if !h.Base.Valid() {
				return a.usage("--lat/--lng 不是有效坐标：纬度在 ±90、经度在 ±180 之内", "--lat/--lng is no position: latitude within ±90, longitude within ±180")
			}
		}
		in := desk.HelperInput{Name: h.Name, Base: h.Base, Capacity: h.Capacity, From: a.orToday(h.ActiveFrom)}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			added, err := desk.AddHelper(cmd.Context(), r, in)
			if err != nil {
				return a.invalid(err, "帮扶人", "the helper")
			}
			h := added.Helper
			j := toHelperJSON(h, h.ActiveFrom, 0, added.Capacity)
			if asJSON {
				return a.printJSON(j)
			}
			a.printf("已登记帮扶人 %s（名额 %d，%s 起在岗）\n", "added helper %s (capacity %d, serving from %s)\n", h.Name, j.Capacity, h.ActiveFrom)
			a.printf("帮扶人 ID：%s\n", "helper id: %s\n", h.ID)
			a.printf("运行 wanxia hub pair assign 查看结对方案\n", "run wanxia hub pair assign to see the pairing proposed\n")
			return nil
		})
	})
	f := cmd.Flags()
	f.StringVar(&h.Name, "name", "", "the helper's name")
	f.Float64Var(&lat, "lat", 0, "latitude of where the helper sets out from (WGS-84), with --lng; distances are measured from it")
	f.Float64Var(&lng, "lng", 0, "longitude of where the helper sets out from, with --lat")
	f.IntVar(&h.Capacity, "capacity", 0, "how many cadres the helper takes (default 5, the district's 1对5 setting)")
	f.Var(&dateFlag{&h.ActiveFrom}, "from", "the first day the helper serves (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) helperListCmd(role syncsvc.Role) *cobra.Command {
	var on cadre.Date
	var all, asJSON bool
	short := "List the helpers serving on a day, with their capacity and the pairs in force"
	if role == syncsvc.RoleOffice {
		short = "List the helpers serving on a day (the pairs counted are those of this office's communities)"
	}
	cmd := a.leaf("list", short, 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), role, false, func(r *store.Replica) error {
			hs, err := desk.Helpers(cmd.Context(), r, on, all)
			if err != nil {
				return err
			}
			out := make([]helperJSON, 0, len(hs))
			for _, h := range hs {
				out = append(out, toHelperJSON(h.Helper, on, h.Pairs, h.Capacity))
			}
			sortByName(out, func(h helperJSON) string { return h.Name })
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（%s 没有在岗的帮扶人：用 wanxia hub helper add 登记）\n", "(no helper serves on %s: add one with wanxia hub helper add)\n", on)
				return nil
			}
			rows := make([][]string, 0, len(out))
			for _, h := range out {
				base := "-"
				if h.Lat != nil {
					base = strconv.FormatFloat(*h.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(*h.Lng, 'f', -1, 64)
				}
				state := a.tf("%s 起在岗", "from %s", h.ActiveFrom)
				switch {
				case !h.ActiveTo.IsZero() && !h.ActiveTo.After(on):
					state = a.tf("%s 起不在岗", "left %s", h.ActiveTo)
				case h.ActiveFrom.After(on):
					state = a.tf("%s 起在岗（尚未开始）", "from %s (not yet)", h.ActiveFrom)
				case !h.ActiveTo.IsZero():
					state = a.tf("%s 至 %s", "%s until %s", h.ActiveFrom, h.ActiveTo.AddDays(-1))
				}
				rows = append(rows, []string{h.ID.String(), h.Name, strconv.Itoa(h.Capacity), strconv.Itoa(h.Pairs), state, base})
			}
			a.printf("帮扶人（%s）\n", "Helpers on %s\n", on)
			return writeTable(a.stdout, []string{"ID", a.t("姓名", "name"), a.t("名额", "capacity"), a.t("已结对", "paired"),
				a.t("在岗", "serving"), a.t("出发地坐标", "base")}, rows)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day (default today)")
	cmd.Flags().BoolVar(&all, "all", false, "also list the helpers not serving on that day")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// endedPairJSON is a pair that ended, with the names of both sides.
type endedPairJSON struct {
	PairID      uuid.UUID      `json:"pair_id"`
	CadreID     uuid.UUID      `json:"cadre_id"`
	Name        string         `json:"name"`
	HelperID    uuid.UUID      `json:"helper_id"`
	HelperName  string         `json:"helper_name"`
	From        cadre.Date     `json:"from"`
	To          cadre.Date     `json:"to"`
	Reason      care.EndReason `json:"reason"`
	ReasonLabel string         `json:"reason_label"`
}

// helperEndJSON is what helper end wrote.
type helperEndJSON struct {
	Helper  helperJSON      `json:"helper"`
	Ended   []endedPairJSON `json:"ended"`
	Changed bool            `json:"changed"`
}

func (a *app) helperEndCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("end HELPER", "Record that a helper no longer serves from --on, and end the helper's pairs that day so that the next assignment pairs those cadres again (HELPER: UUID, 8+ characters of it, or the name)", 1, func(cmd *cobra.Command, args []string) error {
		if on.IsZero() {
			return a.usage("缺少选项 --on（从哪天起不再帮扶）", "missing --on (the first day the helper no longer serves)")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			h, err := a.findHelper(ctx, r, hubHelperNoun, args[0])
			if err != nil {
				return err
			}
			return a.endHelper(ctx, r, h, on, asJSON)
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the first day the helper no longer serves")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// endHelper ends the helper's service and pairs (desk.EndHelper) and
// prints what it wrote.
func (a *app) endHelper(ctx context.Context, r *store.Replica, h care.Helper, on cadre.Date, asJSON bool) error {
	res, err := desk.EndHelper(ctx, r, desk.HelperEnd{HelperID: h.ID, On: on})
	var he *desk.HelperError
	switch {
	case errors.Is(err, desk.ErrBeforeStart) && errors.As(err, &he):
		return a.usage("--on %s 早于 %s 开始帮扶的日期 %s", "--on %s is before %s began serving on %s", on, he.Helper.Name, he.Helper.ActiveFrom)
	case errors.Is(err, desk.ErrAlreadyLeft) && errors.As(err, &he):
		return a.fail(nil, "%s 已于 %s 起不在岗，没有更改", "%s left on %s already; nothing changed", he.Helper.Name, he.Helper.ActiveTo)
	case err != nil:
		return a.invalid(err, "帮扶人记录", "the helper")
	}
	ppl, err := loadPeople(ctx, r)
	if err != nil {
		return err
	}
	h = res.Helper
	out := helperEndJSON{Ended: []endedPairJSON{}, Changed: res.Changed, Helper: toHelperJSON(h, on, 0, res.Capacity)}
	for _, p := range res.Ended {
		out.Ended = append(out.Ended, endedPairJSON{PairID: p.ID, CadreID: p.CadreID, Name: ppl.name(a, p.CadreID), HelperID: h.ID,
			HelperName: h.Name, From: p.From, To: p.To, Reason: p.EndReason, ReasonLabel: p.EndReason.Label(a.lang)})
	}
	sortByName(out.Ended, func(e endedPairJSON) string { return e.Name })
	if asJSON {
		return a.printJSON(out)
	}
	if !out.Changed {
		a.printf("没有变化：%s 已记录为 %s 起不在岗\n", "nothing changed: %s is recorded as leaving on %s already\n", h.Name, on)
		return nil
	}
	a.printf("已记录 %s 自 %s 起不在岗", "recorded that %s no longer serves from %s", h.Name, on)
	if len(out.Ended) == 0 {
		a.printf("；没有要解除的结对\n", "; no pairs to end\n")
		return nil
	}
	names := make([]string, len(out.Ended))
	for i, e := range out.Ended {
		names[i] = e.Name
	}
	a.printf("；同日解除结对 %d 个：%s\n", "; %d pairs end that day: %s\n", len(out.Ended), strings.Join(names, a.t("、", ", ")))
	a.printf("运行 wanxia hub pair assign --on %s 为他们重新结对\n", "run wanxia hub pair assign --on %s to pair them again\n", on)
	return nil
}
