package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// venueHub is a hub database with venues added through `hub venue add`;
// venues holds their ids by name.
type venueHub struct {
	db     string
	venues map[string]string
}

// newVenueHub registers the communities sy, gsq and dm with their centres
// on one meridian (117.000), 0.02° of latitude apart: 2,224 m on the
// ground, 2,891 m walking.
func newVenueHub(t *testing.T, db string) *venueHub {
	t.Helper()
	for _, c := range [][]string{
		{"sy", "舜园社区", "36.660"}, {"gsq", "杆石桥社区", "36.680"}, {"dm", "大明湖社区", "36.700"},
	} {
		ok(t, hubArgs(db, "community", "set", c[0], "--name", c[1], "--lat", c[2], "--lng", "117.000")...)
	}
	return &venueHub{db: db, venues: map[string]string{}}
}

// add registers a venue and keeps its id.
func (h *venueHub) add(t *testing.T, name string, flags ...string) {
	t.Helper()
	var v map[string]any
	okJSON(t, &v, hubArgs(h.db, append([]string{"venue", "add", "--name", name}, flags...)...)...)
	h.venues[name] = v["id"].(string)
}

// venueNames are the names of a venue list printed as JSON.
func venueNames(t *testing.T, h *venueHub, args ...string) []string {
	t.Helper()
	var list []map[string]any
	okJSON(t, &list, hubArgs(h.db, append([]string{"venue", "list"}, args...)...)...)
	return names(t, list)
}

func TestVenueAddListClose(t *testing.T) {
	h := newVenueHub(t, newHubDB(t, t.TempDir()))
	out := ok(t, hubArgs(h.db, "venue", "add", "--kind", "活动室", "--name", "舜园社区老干部活动室", "--community", "sy",
		"--address", "舜园小区 3 号楼", "--lat", "36.660", "--lng", "117.000", "--capacity", "60", "--hours", "周一至周五 8:30-17:00",
		"--services", "学习,activities，发挥作用")...)
	assert.Contains(t, out, "已登记场所 舜园社区老干部活动室（活动室，舜园社区(sy)），提供：学习、活动、发挥作用\n场所 ID：")
	assert.NotContains(t, out, "没有坐标")

	var v map[string]any
	okJSON(t, &v, hubArgs(h.db, "venue", "add", "--kind", "senior_university", "--name", "市中区老年大学", "--community", "district",
		"--services", "activities,learning")...)
	_, err := uuid.Parse(v["id"].(string))
	require.NoError(t, err)
	assert.Equal(t, "senior_university", v["kind"])
	assert.Equal(t, "老年大学", v["kind_label"])
	assert.Equal(t, "全区", v["community_name"])
	assert.Equal(t, []any{"learning", "activities"}, v["services"], "services in the order of the program")
	assert.Nil(t, v["lat"])
	assert.Equal(t, "", v["closed_on"])
	out = ok(t, hubArgs(h.db, "venue", "add", "--kind", "clinic", "--name", "杆石桥社区卫生服务站", "--community", "gsq", "--services", "care")...)
	assert.Contains(t, out, "注意：没有坐标（--lat --lng），这个场所不计入任何干部的步行范围")
	h.add(t, "舜园日间照料中心", "--kind", "day_care", "--community", "sy", "--services", "care", "--lat", "36.662", "--lng", "117.000")

	// By community code, then name: district < gsq < sy.
	assert.Equal(t, []string{"市中区老年大学", "杆石桥社区卫生服务站", "舜园日间照料中心", "舜园社区老干部活动室"}, venueNames(t, h, "--on", "2026-11-28"))
	assert.Equal(t, []string{"舜园日间照料中心", "舜园社区老干部活动室"}, venueNames(t, h, "--community", "sy"))
	assert.Equal(t, []string{"市中区老年大学"}, venueNames(t, h, "--community", "district"))
	out = ok(t, hubArgs(h.db, "venue", "list", "--on", "2026-11-28")...)
	assert.Contains(t, out, "场所（2026-11-28，4 处）\n")
	assert.Regexp(t, `舜园社区老干部活动室\s+活动室\s+舜园社区\(sy\)\s+学习、活动、发挥作用\s+60\s+周一至周五 8:30-17:00\s+36.66, 117\s+开放\n`, out)

	// The day-care centre closes on 2026-12-01: open the day before, gone
	// from the list that day, listed with --all.
	out = ok(t, hubArgs(h.db, "venue", "close", h.venues["舜园日间照料中心"][:24], "--on", "2026-12-01")...)
	assert.Equal(t, "已记录 舜园日间照料中心 自 2026-12-01 起关闭；办公室同步后可见\n", out)
	assert.Contains(t, venueNames(t, h, "--on", "2026-11-30"), "舜园日间照料中心")
	assert.NotContains(t, venueNames(t, h, "--on", "2026-12-01"), "舜园日间照料中心")
	var all []map[string]any
	okJSON(t, &all, hubArgs(h.db, "venue", "list", "--on", "2026-12-01", "--all")...)
	require.Len(t, all, 4)
	for _, x := range all {
		if x["name"] == "舜园日间照料中心" {
			assert.Equal(t, "2026-12-01", x["closed_on"])
			assert.Equal(t, false, x["open"])
		}
	}
	assert.Regexp(t, `舜园日间照料中心.*2026-12-01 起关闭\n`, ok(t, hubArgs(h.db, "venue", "list", "--on", "2026-12-05", "--all")...))
	assert.Regexp(t, `舜园日间照料中心.*开放，2026-12-01 起关闭\n`, ok(t, hubArgs(h.db, "venue", "list", "--on", "2026-11-05")...))

	res := wx(t, hubArgs(h.db, "venue", "close", h.venues["舜园日间照料中心"], "--on", "2026-12-10")...)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, "错误：舜园日间照料中心 已于 2026-12-01 起关闭，没有更改\n", res.stderr)
	// Closing earlier than recorded moves the day forward.
	var closed map[string]any
	okJSON(t, &closed, hubArgs(h.db, "venue", "close", h.venues["舜园日间照料中心"], "--on", "2026-11-20")...)
	assert.Equal(t, "2026-11-20", closed["closed_on"])

	assert.Equal(t, "[]\n", ok(t, hubArgs(h.db, "venue", "list", "--community", "dm", "--json")...))
	assert.Contains(t, ok(t, hubArgs(h.db, "venue", "list", "--community", "dm")...), "没有开放的场所")
}

func TestProgramEnrolAndList(t *testing.T) {
	h := newVenueHub(t, newHubDB(t, t.TempDir()))
	out := ok(t, hubArgs(h.db, "program", "enrol", "sy", "--stage", "试点", "--since", "2024-03-01")...)
	assert.Equal(t, "已将 舜园社区(sy) 纳入四就近（试点），2024-03-01 起；办公室同步后可见\n", out)
	out = ok(t, hubArgs(h.db, "program", "enrol", "sy", "--stage", "pilot", "--since", "2024-03-01")...)
	assert.Equal(t, "没有变化：舜园社区(sy) 已于 2024-03-01 起纳入四就近（试点）\n", out)

	var e map[string]any
	okJSON(t, &e, hubArgs(h.db, "program", "enrol", "gsq", "--since", "2025-01-01")...)
	assert.Equal(t, "extended", e["stage"], "a community enrolled after the pilots is an extension by default")
	assert.Equal(t, "推广", e["stage_label"])
	assert.Equal(t, true, e["changed"])
	assert.Equal(t, "", e["until"])

	res := wx(t, hubArgs(h.db, "program", "enrol", "sy", "--since", "2025-06-01")...)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, "错误：舜园社区(sy) 已有四就近记录（试点，2024-03-01 起）与之重叠：要修改那条记录，用 --since 2024-03-01 再运行\n", res.stderr)

	// The same first day names the same enrolment: --until ends it.
	out = ok(t, hubArgs(h.db, "program", "enrol", "sy", "--since", "2024-03-01", "--until", "2027-01-01")...)
	assert.Equal(t, "已将 舜园社区(sy) 纳入四就近（试点），2024-03-01 起，2027-01-01 起退出；办公室同步后可见\n", out)
	ok(t, hubArgs(h.db, "program", "enrol", "dm", "--since", "2027-03-01", "--lang", "en")...)

	var list []map[string]any
	okJSON(t, &list, hubArgs(h.db, "program", "list", "--on", "2026-11-28")...)
	require.Len(t, list, 3)
	assert.Equal(t, []any{"dm", "gsq", "sy"}, []any{list[0]["community"], list[1]["community"], list[2]["community"]})
	assert.Equal(t, []any{false, true, true}, []any{list[0]["in_force"], list[1]["in_force"], list[2]["in_force"]})
	assert.Equal(t, "2027-01-01", list[2]["until"])
	assert.Equal(t, "pilot", list[2]["stage"])

	out = ok(t, hubArgs(h.db, "program", "list", "--on", "2027-02-01")...)
	assert.Contains(t, out, "四就近社区（2027-02-01）\n")
	assert.Regexp(t, `大明湖社区\(dm\)\s+推广\s+2027-03-01\s+-\s+尚未开始\n`, out)
	assert.Regexp(t, `杆石桥社区\(gsq\)\s+推广\s+2025-01-01\s+-\s+纳入中\n`, out)
	assert.Regexp(t, `舜园社区\(sy\)\s+试点\s+2024-03-01\s+2027-01-01\s+已退出\n`, out)
	out = ok(t, hubArgs(h.db, "program", "list", "--on", "2027-02-01", "--lang", "en")...)
	assert.Regexp(t, `舜园社区\(sy\)\s+pilot\s+2024-03-01\s+2027-01-01\s+out\n`, out)

	// A second spell after the first ended does not overlap it.
	okJSON(t, &e, hubArgs(h.db, "program", "enrol", "sy", "--since", "2027-01-01")...)
	assert.Equal(t, true, e["changed"])
}

func TestVenueVerbsRefuseBadInput(t *testing.T) {
	h := newVenueHub(t, newHubDB(t, t.TempDir()))
	h.add(t, "舜园社区老干部活动室", "--kind", "activity_room", "--community", "sy", "--services", "activities")
	add := func(flags ...string) []string {
		return append([]string{"venue", "add"}, flags...)
	}
	full := []string{"--kind", "clinic", "--name", "x", "--community", "sy", "--services", "care"}
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown kind", add("--kind", "gym", "--name", "x", "--community", "sy", "--services", "care"), 2, `--kind 的值 "gym" 不对`},
		{"unknown service", add("--kind", "clinic", "--name", "x", "--community", "sy", "--services", "care,dancing"), 2, "“dancing”"},
		{"a service twice", add("--kind", "clinic", "--name", "x", "--community", "sy", "--services", "care,关心照顾"), 2, "写了两次"},
		{"missing flags", add("--name", "x"), 2, "缺少选项 --kind --community --services"},
		{"empty name", add("--kind", "clinic", "--name", " ", "--community", "sy", "--services", "care"), 2, "--name"},
		{"empty services", add("--kind", "clinic", "--name", "x", "--community", "sy", "--services", ""), 2, "--services"},
		{"bad community code", add("--kind", "clinic", "--name", "x", "--community", "舜园", "--services", "care"), 2, "不是社区代码"},
		{"unknown community", add("--kind", "clinic", "--name", "x", "--community", "hx", "--services", "care"), 1, "没有社区 hx"},
		{"latitude alone", append(add(full...), "--lat", "36.6"), 2, "--lng"},
		{"no position", append(add(full...), "--lat", "136.6", "--lng", "117"), 2, "--lat"},
		{"negative capacity", append(add(full...), "--capacity", "-1"), 2, "--capacity"},
		{"list: unknown community", []string{"venue", "list", "--community", "hx"}, 1, "没有社区 hx"},
		{"list: bad date", []string{"venue", "list", "--on", "2026-13-01"}, 2, "--on"},
		{"close without --on", []string{"venue", "close", h.venues["舜园社区老干部活动室"]}, 2, "缺少选项 --on"},
		{"close an unknown venue", []string{"venue", "close", "0190aaaa-0000-7000-8000-000000000000", "--on", "2026-12-01"}, 1, "没有场所"},
		{"close by a short id", []string{"venue", "close", "0190", "--on", "2026-12-01"}, 2, "至少 8 个字符"},
		{"close without an id", []string{"venue", "close", "--on", "2026-12-01"}, 2, "缺少参数 ID"},
		{"enrol without a community", []string{"program", "enrol"}, 2, "缺少参数 COMMUNITY"},
		{"enrol an unknown community", []string{"program", "enrol", "hx"}, 1, "没有社区 hx"},
		{"enrol the district", []string{"program", "enrol", "district"}, 2, "不是社区代码"},
		{"enrol: bad stage", []string{"program", "enrol", "sy", "--stage", "final"}, 2, "--stage"},
		{"enrol: until before since", []string{"program", "enrol", "sy", "--since", "2026-01-01", "--until", "2025-12-31"}, 2, "--until"},
		{"coverage: negative sites", []string{"coverage", "--sites", "-1"}, 2, "--sites"},
		{"coverage: unknown community", []string{"coverage", "--community", "hx"}, 1, "没有社区 hx"},
		{"unknown venue verb", []string{"venue", "remove"}, 2, "没有动词"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := wx(t, hubArgs(h.db, tc.args...)...)
			assert.Equal(t, tc.code, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.Contains(t, res.stderr, tc.want)
		})
	}
	res := wx(t, hubArgs(h.db, "venue", "add", "--name", "x", "--lang", "en")...)
	assert.Equal(t, "usage: missing --kind --community --services; see wanxia hub venue add --help\n", res.stderr)
	res = wx(t, hubArgs(h.db, "venue", "add", "--kind", "gym", "--lang", "en")...)
	assert.Contains(t, res.stderr, "want one of senior_university 老年大学")
	res = wx(t, hubArgs(filepath.Join(t.TempDir(), "none.db"), "venue", "list")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有数据库")
	for _, verb := range [][]string{{"venue", "add"}, {"venue", "list"}, {"venue", "close"}, {"program", "enrol"}, {"program", "list"}, {"coverage"}} {
		assert.Contains(t, ok(t, hubArgs(h.db, append(verb, "--help")...)...), "用法：", verb)
	}
}
