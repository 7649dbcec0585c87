package main

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

// Venues and program enrolments are district data, written at the hub.
var venueNoun = recordNoun{store.VenuesTable, "场所", "venue", "wanxia hub venue list"}

// venueCmd is `hub venue`.
func (a *app) venueCmd() *cobra.Command {
	cmd := a.group("venue", "Venues (阵地: senior universities, activity centres and rooms, service stations, day care, clinics): add, list, close", "")
	cmd.AddCommand(a.venueAddCmd(), a.venueListCmd(), a.venueCloseCmd())
	return cmd
}

// servicesFlag is a set of the four services, codes or Chinese labels,
// comma-separated or repeated, each named once.
type servicesFlag struct{ p *[]venue.Service }

func (f *servicesFlag) Set(s string) error {
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		v, err := venue.ParseService(part)
		if err != nil {
			return err
		}
		if slices.Contains(*f.p, v) {
			return cadre.WordedZH(fmt.Errorf("service %s is named twice", v), fmt.Sprintf("服务 %s 写了两次：每项只写一次", v))
		}
		*f.p = append(*f.p, v)
	}
	return nil
}

func (f *servicesFlag) String() string {
	if f.p == nil {
		return ""
	}
	out := make([]string, len(*f.p))
	for i, s := range *f.p {
		out[i] = string(s)
	}
	return strings.Join(out, ",")
}

func (f *servicesFlag) Type() string { return "learning,activities,care,role" }

// communityCode checks the form of a community code given on the command
// line: bad usage when it cannot be one. district is accepted where
// district-wide data may be named.
func (a *app) communityCode(flag, code string, district bool) (string, error) {
	code = strings.TrimSpace(code)
	if district && code == cadre.DistrictScope {
		return code, nil
	}
	if err := cadre.ValidateCommunityCode(code); err != nil {
		also := ""
		if district {
			also = a.t("，全区的场所用 district", "; district for a venue of the whole district")
		}
		return "", a.usage("%s %q 不是社区代码：小写字母开头，由小写字母、数字、- 和 _ 组成%s", "%s %q is no community code: lower-case letters, digits, - and _, starting with a letter%s", flag, code, also)
	}
	return code, nil
}

// knownCommunity refuses a community the replica has never registered,
// so that a typo does not make a community of its own.
func (a *app) knownCommunity(names map[string]string, code string) error {
	if _, ok := names[code]; ok || code == cadre.DistrictScope {
		return nil
	}
	return a.fail(syncsvc.ErrNotFound, "没有社区 %[1]s：用 wanxia hub community list 查看，或先用 wanxia hub community set %[1]s --name 名称 登记",
		"no community %[1]s: see wanxia hub community list, or register it first with wanxia hub community set %[1]s --name NAME", code)
}

// communityLabel shows a community by name and code, or the district.
func (a *app) communityLabel(names map[string]string, code string) string {
	if code == cadre.DistrictScope {
		return a.t("全区", "district-wide")
	}
	if n := names[code]; n != "" && n != code {
		return n + "(" + code + ")"
	}
	return code
}

// serviceLabels are the labels of services, in the order given.
func (a *app) serviceLabels(ss []venue.Service) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Label(a.lang)
	}
	return out
}

// walking shows a walking distance as package venue words it in its
// answers: whole metres below a kilometre, then kilometres to one decimal.
func (a *app) walking(metres float64) string {
	if m := math.Round(metres); m < 1000 {
		return a.tf("%s米", "%s m", strconv.FormatFloat(m, 'f', -1, 64))
	}
	return a.tf("%s公里", "%s km", strconv.FormatFloat(math.Round(metres/100)/10, 'f', -1, 64))
}

// venueJSON is a venue as scripts see it.
type venueJSON struct {
	ID            uuid.UUID       `json:"id"`
	Kind          venue.Kind      `json:"kind"`
	KindLabel     string          `json:"kind_label"`
	Name          string          `json:"name"`
	Community     string          `json:"community"`
	CommunityName string          `json:"community_name"`
	Address       string          `json:"address"`
	Lat           *float64        `json:"lat"`
	Lng           *float64        `json:"lng"`
	Capacity      int             `json:"capacity"`
	OpeningHours  string          `json:"opening_hours"`
	Services      []venue.Service `json:"services"`
	ServiceLabels []string        `json:"service_labels"`
	ClosedOn      cadre.Date      `json:"closed_on"`
	// Open is whether the venue is open on the day the verb looked at.
	Open bool `json:"open"`
}

func (a *app) toVenueJSON(v venue.Venue, names map[string]string, on cadre.Date) venueJSON {
	j := venueJSON{ID: v.ID, Kind: v.Kind, KindLabel: v.Kind.Label(a.lang), Name: v.Name, Community: v.Community,
		CommunityName: a.communityLabel(names, v.Community), Address: v.Address, Capacity: v.Capacity, OpeningHours: v.OpeningHours,
		Services: nonNil(v.Services), ServiceLabels: a.serviceLabels(v.Services), ClosedOn: v.ClosedOn, Open: v.OpenOn(on)}
	if v.Location != nil {
		j.Lat, j.Lng = &v.Location.Lat, &v.Location.Lng
	}
	return j
}

func (a *app) venueAddCmd() *cobra.Command {
	var v venue.Venue
	var lat, lng float64
	var asJSON bool
	cmd := a.leaf("add", "Register a venue with the services it offers (learning, activities, care, role), and print its ID", 0, func(cmd *cobra.Command, _ []string) error {
		given := cmd.Flags().Changed
		var missing []string
		for _, f := range []string{"kind", "name", "community", "services"} {
			if !given(f) {
				missing = append(missing, "--"+f)
			}
		}
		switch {
		case len(missing) > 0:
			return a.usage("缺少选项 %s", "missing %s", strings.Join(missing, " "))
		case strings.TrimSpace(v.Name) == "":
			return a.usage("--name 不能为空", "--name may not be empty")
		case len(v.Services) == 0:
			return a.usage("--services 至少给出一项：learning 学习、activities 活动、care 关心照顾、role 发挥作用",
				"--services needs at least one of learning, activities, care, role")
		case given("lat") != given("lng"):
			return a.usage("--lat 和 --lng 要一起给出", "give --lat and --lng together")
		case v.Capacity < 0:
			return a.usage("--capacity 不能小于 0", "--capacity may not be negative")
		}
		code, err := a.communityCode("--community", v.Community, true)
		if err != nil {
			return err
		}
		v.Community, v.Name = code, strings.TrimSpace(v.Name)
		if given("lat") {
			v.Location = &cadre.Location{Lat: lat, Lng: lng}
			if !v.Location.Valid() {
				return a.usage("--lat/--lng 不是有效坐标：纬度在 ±90、经度在 ±180 之内", "--lat/--lng is no position: latitude within ±90, longitude within ±180")
			}
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			names, err := desk.CommunityNames(ctx, r)
			if err != nil {
				return err
			}
			v, err := desk.AddVenue(ctx, r, v)
			if errors.Is(err, desk.ErrUnknownCommunity) {
				return a.knownCommunity(names, v.Community)
			}
			if err != nil {
				return a.invalid(err, "场所", "the venue")
			}
			j := a.toVenueJSON(v, names, a.today())
			if asJSON {
				return a.printJSON(j)
			}
			a.printf("已登记场所 %s（%s，%s），提供：%s\n", "added venue %s (%s, %s), offering: %s\n",
				v.Name, j.KindLabel, j.CommunityName, strings.Join(j.ServiceLabels, a.t("、", ", ")))
			a.printf("场所 ID：%s\n", "venue id: %s\n", v.ID)
			if v.Location == nil {
				a.printf("注意：没有坐标（--lat --lng），这个场所不计入任何干部的步行范围\n",
					"note: no position (--lat --lng), so the venue is within no cadre's walking distance\n")
			}
			return nil
		})
	})
	f := cmd.Flags()
	f.Var(&enumFlag[venue.Kind]{&v.Kind, venue.ParseKind}, "kind", "senior_university 老年大学, activity_centre 老干部活动中心, activity_room 活动室, service_station 社区服务站, day_care 日间照料中心, clinic 社区卫生服务站")
	f.StringVar(&v.Name, "name", "", "the venue's name, e.g. 舜园社区老干部活动室")
	f.StringVar(&v.Community, "community", "", "the community code it is registered in, or district for a venue of the whole district")
	f.StringVar(&v.Address, "address", "", "street address")
	f.Float64Var(&lat, "lat", 0, "latitude (WGS-84), with --lng; without a position the venue is within no one's reach")
	f.Float64Var(&lng, "lng", 0, "longitude (WGS-84), with --lat")
	f.IntVar(&v.Capacity, "capacity", 0, "how many people it holds (0: unknown)")
	f.StringVar(&v.OpeningHours, "hours", "", "opening hours, e.g. \"周一至周五 8:30-17:00\"")
	f.Var(&servicesFlag{&v.Services}, "services", "the services it offers, comma-separated: learning 学习, activities 活动, care 关心照顾, role 发挥作用")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) venueListCmd() *cobra.Command {
	var on cadre.Date
	var community string
	var all, asJSON bool
	cmd := a.leaf("list", "List the venues open on a day (--all: closed ones too), by community, then name", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		if community != "" {
			code, err := a.communityCode("--community", community, true)
			if err != nil {
				return err
			}
			community = code
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			names, err := desk.CommunityNames(ctx, r)
			if err != nil {
				return err
			}
			if community != "" {
				if err := a.knownCommunity(names, community); err != nil {
					return err
				}
			}
			f := store.VenueFilter{Community: community, OpenOn: on}
			if all {
				f.OpenOn = cadre.Date{}
			}
			vs, err := r.Venues(ctx, f)
			if err != nil {
				return err
			}
			out := make([]venueJSON, 0, len(vs))
			for _, v := range vs {
				out = append(out, a.toVenueJSON(v, names, on))
			}
			if asJSON {
				return a.printJSON(out)
			}
			return a.printVenues(out, on)
		})
	})
	f := cmd.Flags()
	f.Var(&dateFlag{&on}, "on", "the day (default today)")
	f.StringVar(&community, "community", "", "only the venues registered in this community (district: those of the whole district)")
	f.BoolVar(&all, "all", false, "also list the venues closed by that day")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printVenues(vs []venueJSON, on cadre.Date) error {
	if len(vs) == 0 {
		a.printf("（%s 没有开放的场所：用 wanxia hub venue add 登记）\n", "(no venue is open on %s: add one with wanxia hub venue add)\n", on)
		return nil
	}
	rows := make([][]string, 0, len(vs))
	for _, v := range vs {
		state := a.t("开放", "open")
		switch {
		case !v.Open:
			state = a.tf("%s 起关闭", "closed from %s", v.ClosedOn)
		case !v.ClosedOn.IsZero():
			state = a.tf("开放，%s 起关闭", "open, closing %s", v.ClosedOn)
		}
		where := "-"
		if v.Lat != nil {
			where = strconv.FormatFloat(*v.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(*v.Lng, 'f', -1, 64)
		}
		capacity := "-"
		if v.Capacity > 0 {
			capacity = strconv.Itoa(v.Capacity)
		}
		rows = append(rows, []string{v.ID.String(), v.Name, v.KindLabel, v.CommunityName, strings.Join(v.ServiceLabels, a.t("、", ",")),
			capacity, orDash(v.OpeningHours), where, state})
	}
	a.printf("场所（%s，%d 处）\n", "Venues on %s (%d)\n", on, len(vs))
	return writeTable(a.stdout, []string{"ID", a.t("名称", "name"), a.t("类别", "kind"), a.t("社区", "community"), a.t("服务", "services"),
		a.t("容量", "capacity"), a.t("开放时间", "hours"), a.t("坐标", "position"), a.t("状态", "state")}, rows)
}

func (a *app) venueCloseCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("close ID", "Record that a venue closes for good from --on: it no longer covers anyone from that day (ID: its name, UUID or 8+ characters of it)", 1, func(cmd *cobra.Command, args []string) error {
		if on.IsZero() {
			return a.usage("缺少选项 --on（从哪天起关闭）", "missing --on (the first day the venue is closed)")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			m, err := a.resolve(ctx, r, desk.KindVenue, venueNoun, args[0])
			if err != nil {
				return err
			}
			v, err := desk.CloseVenue(ctx, r, desk.VenueClosing{VenueID: m.ID, On: on})
			switch {
			case errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided):
				return a.notFound(err, venueNoun, args[0])
			case errors.Is(err, desk.ErrClosedAlready):
				return a.fail(nil, "%s 已于 %s 起关闭，没有更改", "%s is closed from %s already; nothing changed", v.Name, v.ClosedOn)
			case err != nil:
				return a.invalid(err, "场所", "the venue")
			}
			names, err := desk.CommunityNames(ctx, r)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(a.toVenueJSON(v, names, on))
			}
			a.printf("已记录 %s 自 %s 起关闭；办公室同步后可见\n", "recorded that %s is closed from %s; offices see it after they sync\n", v.Name, on)
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the first day the venue is closed")
	jsonFlag(cmd, &asJSON)
	return cmd
}
