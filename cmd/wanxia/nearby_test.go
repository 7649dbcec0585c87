package main

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// nearbyOffice is an office of sy and gsq that syncs with a hub served over
// httptest. The hub has three venues on the meridian 117.000 and sy in the
// program; the office has five cadres. Walking distances are differences
// of latitude: 0.003° is 433.661 m walking, 0.004° 578.214 m, 0.04°
// 5,782.144 m (great circle × 1.3).
//
//	舜园社区老干部活动室  sy        36.663  activities, role
//	舜园日间照料中心      sy        36.664  care
//	市中区老年大学        district  36.700  learning, activities
//
//	王建国  sy   退休, 82      36.660  eligible (aged)
//	罗守仁  sy   离休          no coordinates
//	郑丽华  sy   退休, 66      36.660  in no group served
//	赵德明  gsq  退休, 85      36.680  gsq is not enrolled
//	冯志刚  sy   退休, 91      36.660  died on 2026-11-25
type nearbyOffice struct {
	*office
	hub *venueHub
	ids map[string]string
}

func newNearbyOffice(t *testing.T) *nearbyOffice {
	t.Helper()
	hubDB := newHubDB(t, t.TempDir())
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "舜园社区办公室", "--communities", "sy,gsq")...)
	h := newVenueHub(t, hubDB)
	at := func(lat string) []string { return []string{"--lat", lat, "--lng", "117.000"} }
	h.add(t, "舜园社区老干部活动室", append(at("36.663"), "--kind", "活动室", "--community", "sy", "--services", "活动,发挥作用", "--hours", "每天 8:00-20:00")...)
	h.add(t, "舜园日间照料中心", append(at("36.664"), "--kind", "日间照料中心", "--community", "sy", "--services", "care")...)
	h.add(t, "市中区老年大学", append(at("36.700"), "--kind", "老年大学", "--community", "district", "--services", "learning,activities")...)
	ok(t, hubArgs(hubDB, "program", "enrol", "sy", "--stage", "试点", "--since", "2024-03-01")...)

	r, err := store.Open(context.Background(), hubDB, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(hub))
	t.Cleanup(func() {
		srv.Close()
		assert.NoError(t, r.Close())
	})
	o := &nearbyOffice{office: newOffice(t, "sy-1", added["token"].(string), srv.URL), hub: h, ids: map[string]string{}}
	home := []string{"--lat", "36.660", "--lng", "117.000"}
	for _, c := range []struct {
		name, birth string
		seq         int
		community   string
		extra       []string
	}{
		{"王建国", "19440315", 1, "sy", append([]string{"--living", "与子女同住"}, home...)},
		{"罗守仁", "19310214", 3, "sy", []string{"--category", "离休", "--retired-on", "1991-03-01"}},
		{"郑丽华", "19600229", 2, "sy", home},
		{"赵德明", "19410123", 5, "gsq", []string{"--lat", "36.680", "--lng", "117.000"}},
		{"冯志刚", "19350612", 7, "sy", append([]string{"--status", "去世", "--status-on", "2026-11-25"}, home...)},
	} {
		o.ids[c.name] = o.addCadre(c.name, testkit.IDNumberFor("370102", c.birth, c.seq), c.community, c.extra...)
	}
	o.ok("sync")
	return o
}

// nearbyOut is office nearby --json.
type nearbyOut struct {
	Name     string `json:"name"`
	On       string `json:"on"`
	Located  bool   `json:"located"`
	Eligible bool   `json:"eligible"`
	Rule     string `json:"rule"`
	Stage    string `json:"stage"`
	Reason   string `json:"reason"`
	Note     string `json:"note"`
	Services []struct {
		Service string `json:"service"`
		Covered bool   `json:"covered"`
		Venue   *struct {
			Name         string `json:"name"`
			Kind         string `json:"kind"`
			OpeningHours string `json:"opening_hours"`
		} `json:"venue"`
		Metres      *float64 `json:"metres"`
		Distance    string   `json:"distance"`
		Missing     string   `json:"missing"`
		InCommunity []struct {
			Name string `json:"name"`
		} `json:"in_community"`
	} `json:"services"`
	Covered []string `json:"covered"`
	Missing []string `json:"missing"`
}

func TestOfficeNearby(t *testing.T) {
	o := newNearbyOffice(t)
	out := o.ok("nearby", testkit.IDNumberFor("370102", "19440315", 1), "--on", "2026-11-28")
	assert.True(t, strings.HasPrefix(out, "四就近：王建国（舜园社区(sy)），2026-11-28，步行500米以内\n"+
		"服务对象：是（高龄退休干部）——退休干部，该日82岁，在80岁以上；所在社区sy为四就近试点社区\n"), out)
	for _, re := range []string{
		`服务\s+情况\s+场所与步行距离，或缺什么\n`,
		`就近学习\s+未覆盖\s+500米内没有提供学习的场所；最近的是市中区老年大学，5.8公里\n`,
		`就近活动\s+已覆盖\s+舜园社区老干部活动室（活动室），434米\n`,
		`就近关心照顾\s+未覆盖\s+500米内没有提供关心照顾的场所；最近的是舜园日间照料中心，578米\n`,
		`就近发挥作用\s+已覆盖\s+舜园社区老干部活动室（活动室），434米\n`,
	} {
		assert.Regexp(t, re, out)
	}
	assert.True(t, strings.HasSuffix(out, "\n已覆盖 2 项，缺 2 项：学习、关心照顾\n"), out)

	var a nearbyOut
	o.okJSON(&a, "nearby", o.ids["王建国"][:24], "--on", "2026-11-28")
	assert.True(t, a.Eligible)
	assert.Equal(t, "aged", a.Rule)
	assert.Equal(t, "pilot", a.Stage)
	assert.Equal(t, []string{"activities", "role"}, a.Covered)
	assert.Equal(t, []string{"learning", "care"}, a.Missing)
	require.Len(t, a.Services, 4)
	want := []struct {
		venue  string
		metres float64
		text   string
	}{{"市中区老年大学", 5782.144, "5.8公里"}, {"舜园社区老干部活动室", 433.661, "434米"}, {"舜园日间照料中心", 578.214, "578米"}, {"舜园社区老干部活动室", 433.661, "434米"}}
	for i, s := range a.Services {
		require.NotNil(t, s.Venue, s.Service)
		require.NotNil(t, s.Metres, s.Service)
		assert.Equal(t, want[i].venue, s.Venue.Name, s.Service)
		assert.InDelta(t, want[i].metres, *s.Metres, 0.002, s.Service)
		assert.Equal(t, want[i].text, s.Distance, s.Service)
		assert.Equal(t, s.Covered, s.Missing == "", s.Service)
		assert.Equal(t, []struct {
			Name string `json:"name"`
		}{}, s.InCommunity)
	}
	assert.Equal(t, "每天 8:00-20:00", a.Services[1].Venue.OpeningHours)

	en := o.ok("nearby", o.ids["王建国"], "--on", "2026-11-28", "--lang", "en")
	assert.Contains(t, en, "Four nearby for 王建国 (舜园社区(sy)) on 2026-11-28, within 500 m walking\n"+
		"served: yes (aged retired cadre): a retired cadre aged 82 on the date, 80 or over; community sy is in the four-nearby program (pilot)\n")
	assert.Regexp(t, `care\s+missing\s+no venue offering care within 500 m; nearest: 舜园日间照料中心, 578 m\n`, en)
	assert.Regexp(t, `activities\s+covered\s+舜园社区老干部活动室 \(activity room\), 434 m\n`, en)
	assert.Contains(t, en, "2 covered, 2 missing: learning, care\n")
	assert.NotContains(t, en, "就近")
}

func TestOfficeNearbyWithoutCoordinatesOrEligibility(t *testing.T) {
	o := newNearbyOffice(t)
	out := o.ok("nearby", o.ids["罗守仁"], "--on", "2026-11-28")
	for _, want := range []string{
		"服务对象：是（离休干部）——离休干部；所在社区sy为四就近试点社区\n",
		"注意：住址没有坐标，无法计算步行距离；各项列出本社区（sy）登记的场所\n",
		"补上住址坐标后可算步行距离：wanxia office cadre edit " + o.ids["罗守仁"] + " --lat 纬度 --lng 经度\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `就近学习\s+无法判断\s+住址没有坐标，无法判断500米内是否有提供学习的场所；本社区没有登记提供学习的场所\n`, out)
	assert.Regexp(t, `就近活动\s+无法判断\s+住址没有坐标，无法判断500米内是否有提供活动的场所；本社区登记提供活动的场所：舜园社区老干部活动室\n`, out)
	var a nearbyOut
	o.okJSON(&a, "nearby", o.ids["罗守仁"], "--on", "2026-11-28")
	assert.False(t, a.Located)
	assert.True(t, a.Eligible)
	assert.Equal(t, []string{}, a.Covered)
	for _, s := range a.Services {
		assert.Nil(t, s.Venue)
		assert.Nil(t, s.Metres)
	}
	require.Len(t, a.Services[2].InCommunity, 1)
	assert.Equal(t, "舜园日间照料中心", a.Services[2].InCommunity[0].Name)

	out = o.ok("nearby", o.ids["郑丽华"], "--on", "2026-11-28")
	assert.Contains(t, out, "服务对象：否（不属于服务对象）——退休干部，该日66岁：不是离休干部，不是80岁以上的退休干部，也没有特殊困难\n")
	assert.Regexp(t, `就近活动\s+已覆盖\s+舜园社区老干部活动室（活动室），434米\n`, out, "what is nearby is shown all the same")

	o.okJSON(&a, "nearby", o.ids["赵德明"], "--on", "2026-11-28")
	assert.False(t, a.Eligible)
	assert.Equal(t, "not_enrolled", a.Rule)
	assert.Equal(t, "退休干部，该日85岁，在80岁以上，但所在社区gsq未纳入四就近", a.Reason)
	assert.Contains(t, o.ok("nearby", o.ids["赵德明"], "--on", "2026-11-28", "--lang", "en"),
		"served: no (community not enrolled): a retired cadre aged 85 on the date, 80 or over, but community gsq is not in the four-nearby program\n")

	assert.Contains(t, o.ok("nearby", o.ids["冯志刚"], "--on", "2026-11-28"), "服务对象：否（已去世）——已于2026-11-25去世\n")
	o.okJSON(&a, "nearby", o.ids["冯志刚"], "--on", "2026-11-24")
	assert.True(t, a.Eligible, "alive the day before: 91 and retired")
}

func TestClosedVenueNoLongerCoversAtTheOffice(t *testing.T) {
	o := newNearbyOffice(t)
	ok(t, hubArgs(o.hub.db, "venue", "close", o.hub.venues["舜园社区老干部活动室"], "--on", "2026-12-01")...)
	o.ok("sync")
	var a nearbyOut
	o.okJSON(&a, "nearby", o.ids["王建国"], "--on", "2026-11-30")
	assert.Equal(t, []string{"activities", "role"}, a.Covered)
	o.okJSON(&a, "nearby", o.ids["王建国"], "--on", "2026-12-01")
	assert.Equal(t, []string{}, a.Covered)
	out := o.ok("nearby", o.ids["王建国"], "--on", "2026-12-01")
	assert.Regexp(t, `就近活动\s+未覆盖\s+500米内没有提供活动的场所；最近的是市中区老年大学，5.8公里\n`, out)
	assert.Regexp(t, `就近发挥作用\s+未覆盖\s+500米内没有提供发挥作用的场所；更远处也没有\n`, out)
	assert.Contains(t, out, "已覆盖 0 项，缺 4 项：学习、活动、关心照顾、发挥作用\n")
}

func TestOfficeCoverage(t *testing.T) {
	o := newNearbyOffice(t)
	// On the roll: 王建国, 罗守仁, 郑丽华 (sy) and 赵德明 (gsq); 冯志刚 died.
	// Served: 王建国 (activities, role at 434 m) and 罗守仁 (no position);
	// 赵德明 would be if gsq were enrolled.
	var c coverageOut
	o.okJSON(&c, "coverage", "--on", "2026-11-28")
	assert.Equal(t, "office", c.Scope)
	assert.Equal(t, [9]int{4, 2, 1, 1, 0, 1, 0, 1, 0}, c.counts())
	require.Len(t, c.Communities, 2)
	assert.Equal(t, [9]int{1, 0, 1, 0, 0, 0, 0, 0, 0}, c.Communities[0].counts(), "gsq")
	assert.Equal(t, [9]int{3, 2, 0, 1, 0, 1, 0, 1, 0}, c.Communities[1].counts(), "sy")
	assert.Equal(t, []any{}, anySlice(c.Sites))

	out := o.ok("coverage", "--on", "2026-11-28")
	assert.Contains(t, out, "四就近覆盖情况（本办公室，2026-11-28，步行500米以内）\n在册干部 4 人，服务对象 2 人（其中住址无坐标 1 人）；另有 1 人符合条件但所在社区未纳入四就近\n")
	assert.Regexp(t, `就近活动\s+1 人（50.0%）\n`, out)
	assert.Regexp(t, `杆石桥社区\(gsq\)\s+未纳入\s+1\s+0\s+1\s+0`, out)
	assert.Regexp(t, `舜园社区\(sy\)\s+试点\s+3\s+2\s+0\s+1\s+0\s+1\s+0\s+1\s+0\n`, out)

	// Before sy was enrolled nobody was served: shares are not a number.
	o.okJSON(&c, "coverage", "--on", "2024-01-01")
	assert.Equal(t, 0, c.Eligible)
	assert.Nil(t, c.Covered[0].Percent)
	assert.Regexp(t, `就近学习\s+0 人\n`, o.ok("coverage", "--on", "2024-01-01"))
}

// anySlice turns a list into []any, so that an empty list compares equal
// to []any{} whatever its element type.
func anySlice[T any](s []T) []any {
	out := []any{}
	for _, x := range s {
		out = append(out, x)
	}
	return out
}

func TestOfficeNearbyVerbsRefuseBadInput(t *testing.T) {
	o := newNearbyOffice(t)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no cadre", []string{"nearby"}, 2, "缺少参数 CADRE"},
		{"unknown cadre", []string{"nearby", testkit.IDNumberFor("370102", "19500101", 9)}, 1, "没有身份证号为"},
		{"unknown cadre id", []string{"nearby", "0190aaaa-0000-7000-8000-000000000000"}, 1, "没有干部"},
		{"unknown name", []string{"nearby", "无此人"}, 1, "没有叫 无此人 的干部"},
		{"bad date", []string{"nearby", o.ids["王建国"], "--on", "2026-11-31"}, 2, "--on"},
		{"two cadres", []string{"nearby", o.ids["王建国"], o.ids["郑丽华"]}, 2, "多余的参数"},
		{"coverage: argument", []string{"coverage", "sy"}, 2, "多余的参数"},
		{"coverage: sites at the office", []string{"coverage", "--sites", "1"}, 2, "--sites"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := o.run(tc.args...)
			assert.Equal(t, tc.code, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.Contains(t, res.stderr, tc.want)
		})
	}
	res := o.run("nearby", "--lang", "en")
	assert.Equal(t, "usage: missing argument CADRE; see wanxia office nearby --help\n", res.stderr)
	res = wx(t, "office", "nearby", o.ids["王建国"], "--db", filepath.Join(t.TempDir(), "none.db"))
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有数据库")
	for _, verb := range []string{"nearby", "coverage"} {
		assert.Contains(t, o.ok(verb, "--help"), "用法：")
	}
}
