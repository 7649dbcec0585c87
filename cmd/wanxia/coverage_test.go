package main

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// coverageDistrict is a small district made by hand, on one meridian
// (117.000) so that every distance is a difference of latitude: 0.001° is
// 111.19 m on the ground and 144.55 m walking (× 1.3); the walking radius
// of 500 m is 0.00346°. Communities (newVenueHub): sy centre 36.660, gsq
// 36.680, dm 36.700.
//
// Venues:
//
//	A 舜园社区老干部活动室  sy        36.660  learning, activities, role
//	B 舜园日间照料中心      sy        36.662  care
//	C 杆石桥社区服务站      gsq       36.680  care, role
//	D 市中区老年大学        district  36.700  learning, activities
//	E 杆石桥活动室          gsq       36.680  activities, closed from 2026-06-01
//
// Enrolments: sy pilot from 2024-03-01, gsq extended from 2025-01-01, dm
// extended from 2027-01-01 (not yet on 2026-11-28).
//
// Cadres on 2026-11-28, with what is within 500 m walking:
//
//	sy  孙振华  离休 1928          36.661   A 145 m, B 145 m: all four
//	sy  王建国  退休 1944 (82)     36.6635  A 506 m out, B 217 m: care
//	sy  周桂兰  退休 1952, 重病    36.659   A 145 m, B 434 m: all four
//	sy  潘建新  退休 1953 (73)     36.660   not in a group served
//	sy  罗守仁  离休 1931          no coordinates: eligible, unlocated
//	sy  冯志刚  退休 1935, 失能    36.660   died 2026-11-25: not counted
//	gsq 赵德明  退休 1941 (85)     36.681   C 145 m: care, role (E closed)
//	gsq 许凤英  退休 1940 (86)     36.697   D 434 m: learning, activities
//	gsq 钱淑芬  退休 1956, 生活困难 36.684  C 578 m out: none
//	gsq 梁春生  退休 1944 (82)     36.686   C 867 m out: none
//	dm  吴国庆  退休 1943 (83)     36.700   dm not enrolled
//	dm  黄卫东  退休 1960 (66)     36.700   not in a group served
func coverageDistrict(t *testing.T) *venueHub {
	t.Helper()
	h := newVenueHub(t, newHubDB(t, t.TempDir()))
	at := func(lat string) []string { return []string{"--lat", lat, "--lng", "117.000"} }
	h.add(t, "舜园社区老干部活动室", append(at("36.660"), "--kind", "activity_room", "--community", "sy", "--services", "learning,activities,role")...)
	h.add(t, "舜园日间照料中心", append(at("36.662"), "--kind", "day_care", "--community", "sy", "--services", "care")...)
	h.add(t, "杆石桥社区服务站", append(at("36.680"), "--kind", "service_station", "--community", "gsq", "--services", "care,role")...)
	h.add(t, "市中区老年大学", append(at("36.700"), "--kind", "senior_university", "--community", "district", "--services", "learning,activities")...)
	h.add(t, "杆石桥活动室", append(at("36.680"), "--kind", "activity_room", "--community", "gsq", "--services", "activities")...)
	ok(t, hubArgs(h.db, "venue", "close", h.venues["杆石桥活动室"], "--on", "2026-06-01")...)
	ok(t, hubArgs(h.db, "program", "enrol", "sy", "--stage", "pilot", "--since", "2024-03-01")...)
	ok(t, hubArgs(h.db, "program", "enrol", "gsq", "--since", "2025-01-01")...)
	ok(t, hubArgs(h.db, "program", "enrol", "dm", "--since", "2027-01-01")...)

	in := func(community string) func(c *cadre.Cadre) { return func(c *cadre.Cadre) { c.Community = community } }
	lixiu := func(c *cadre.Cadre) {
		c.Category, c.RetiredOn, c.PartyJoinedOn = cadre.Lixiu, cadre.NewDate(1990, 6, 1), cadre.NewDate(1947, 7, 1)
	}
	withDB(t, h.db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		for _, c := range []cadre.Cadre{
			careCadre(t, "孙振华", "19280901", 1, 36.661, 117.000, lixiu),
			careCadre(t, "王建国", "19440315", 3, 36.6635, 117.000, nil),
			careCadre(t, "周桂兰", "19520418", 4, 36.659, 117.000, func(c *cadre.Cadre) { c.Health = cadre.HealthSerious }),
			careCadre(t, "潘建新", "19530808", 5, 36.660, 117.000, nil),
			careCadre(t, "罗守仁", "19310214", 7, 0, 0, func(c *cadre.Cadre) { lixiu(c); c.Location = nil }),
			careCadre(t, "冯志刚", "19350612", 9, 36.660, 117.000, func(c *cadre.Cadre) {
				c.Health, c.Status, c.StatusOn = cadre.HealthDependent, cadre.StatusDeceased, cadre.NewDate(2026, 11, 25)
			}),
			careCadre(t, "赵德明", "19410123", 11, 36.681, 117.000, in("gsq")),
			careCadre(t, "许凤英", "19400808", 12, 36.697, 117.000, in("gsq")),
			careCadre(t, "钱淑芬", "19561005", 14, 36.684, 117.000, func(c *cadre.Cadre) { c.Community, c.Difficulty = "gsq", true }),
			careCadre(t, "梁春生", "19440229", 15, 36.686, 117.000, in("gsq")),
			careCadre(t, "吴国庆", "19431001", 17, 36.700, 117.000, in("dm")),
			careCadre(t, "黄卫东", "19600701", 19, 36.700, 117.000, in("dm")),
		} {
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err, c.Name)
		}
	})
	return h
}

// tallyOut is the counts of a coverage report: cadres, eligible, not
// enrolled, unlocated, learning, activities, care, role, all four.
type tallyOut struct {
	Cadres      int `json:"cadres"`
	Eligible    int `json:"eligible"`
	NotEnrolled int `json:"not_enrolled"`
	Unlocated   int `json:"unlocated"`
	Covered     []struct {
		Service string   `json:"service"`
		Cadres  int      `json:"cadres"`
		Percent *float64 `json:"percent"`
	} `json:"covered"`
	AllFour int `json:"all_four"`
}

func (t tallyOut) counts() [9]int {
	out := [9]int{t.Cadres, t.Eligible, t.NotEnrolled, t.Unlocated}
	for i, c := range t.Covered {
		out[4+i] = c.Cadres
	}
	out[8] = t.AllFour
	return out
}

type coverageOut struct {
	On        string `json:"on"`
	Scope     string `json:"scope"`
	ScopeName string `json:"scope_name"`
	tallyOut
	Communities []struct {
		Community string `json:"community"`
		Stage     string `json:"stage"`
		tallyOut
	} `json:"communities"`
	Sites []struct {
		Service   string `json:"service"`
		Uncovered int    `json:"uncovered"`
		Sites     []struct {
			Lat              float64  `json:"lat"`
			Lng              float64  `json:"lng"`
			Cadres           int      `json:"cadres"`
			CadreIDs         []string `json:"cadre_ids"`
			NearestCommunity string   `json:"nearest_community"`
		} `json:"sites"`
	} `json:"sites"`
}

func TestHubCoverageCountsTheDistrict(t *testing.T) {
	h := coverageDistrict(t)
	var c coverageOut
	okJSON(t, &c, hubArgs(h.db, "coverage", "--on", "2026-11-28")...)
	assert.Equal(t, "district", c.Scope)
	// 12 cadres less 冯志刚; eligible 孙 王 周 罗 赵 许 钱 梁; 吴国庆 would be
	// if dm were enrolled; 罗守仁 has no coordinates. Learning: 孙 周 许;
	// activities: 孙 周 许; care: 孙 王 周 赵; role: 孙 周 赵; all four: 孙 周.
	assert.Equal(t, [9]int{11, 8, 1, 1, 3, 3, 4, 3, 2}, c.counts())
	require.NotNil(t, c.Covered[2].Percent)
	assert.Equal(t, 50.0, *c.Covered[2].Percent, "4 of 8")
	require.Len(t, c.Communities, 3)
	byCode := map[string][9]int{}
	for _, cc := range c.Communities {
		byCode[cc.Community] = cc.counts()
	}
	assert.Equal(t, map[string][9]int{
		"dm":  {2, 0, 1, 0, 0, 0, 0, 0, 0}, // 吴国庆 not enrolled, 黄卫东 in no group
		"gsq": {4, 4, 0, 0, 1, 1, 1, 1, 0}, // 许 learns and meets, 赵 cared for with a role
		"sy":  {5, 4, 0, 1, 2, 2, 3, 2, 2}, // 潘建新 in no group, 罗守仁 unlocated
	}, byCode)
	assert.Equal(t, []string{"", "extended", "pilot"}, []string{c.Communities[0].Stage, c.Communities[1].Stage, c.Communities[2].Stage})
	assert.Empty(t, c.Sites)

	out := ok(t, hubArgs(h.db, "coverage", "--on", "2026-11-28")...)
	for _, want := range []string{
		"四就近覆盖情况（全区，2026-11-28，步行500米以内）\n",
		"在册干部 11 人，服务对象 8 人（其中住址无坐标 1 人）；另有 1 人符合条件但所在社区未纳入四就近\n",
		"\n各社区\n",
	} {
		assert.Contains(t, out, want)
	}
	for _, re := range []string{
		`就近学习\s+3 人（37.5%）\n`,
		`就近关心照顾\s+4 人（50.0%）\n`,
		`四项齐全\s+2 人（25.0%）\n`,
		`社区\s+阶段\s+在册\s+服务对象\s+待纳入\s+无坐标\s+学习\s+活动\s+关心照顾\s+发挥作用\s+四项齐全\n`,
		`大明湖社区\(dm\)\s+未纳入\s+2\s+0\s+1\s+0\s+0\s+0\s+0\s+0\s+0\n`,
		`杆石桥社区\(gsq\)\s+推广\s+4\s+4\s+0\s+0\s+1\s+1\s+1\s+1\s+0\n`,
		`舜园社区\(sy\)\s+试点\s+5\s+4\s+0\s+1\s+2\s+2\s+3\s+2\s+2\n`,
	} {
		assert.Regexp(t, re, out)
	}
	assert.NotContains(t, out, "选址")

	// On 2026-05-01 冯志刚 was alive (失能: all four from A at 0 m and B at
	// 289 m) and E was open, so 赵德明 (145 m from it) had activities too.
	okJSON(t, &c, hubArgs(h.db, "coverage", "--on", "2026-05-01")...)
	assert.Equal(t, [9]int{12, 9, 1, 1, 4, 5, 5, 4, 3}, c.counts())

	// One community: only its cadres, no table by community.
	okJSON(t, &c, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--community", "gsq")...)
	assert.Equal(t, "gsq", c.Scope)
	assert.Equal(t, [9]int{4, 4, 0, 0, 1, 1, 1, 1, 0}, c.counts())
	out = ok(t, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--community", "gsq")...)
	assert.Contains(t, out, "四就近覆盖情况（杆石桥社区(gsq)，2026-11-28，步行500米以内）\n")
	assert.NotContains(t, out, "各社区")
}

func TestHubCoverageProposesSites(t *testing.T) {
	h := coverageDistrict(t)
	var c coverageOut
	okJSON(t, &c, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--sites", "2")...)
	require.Len(t, c.Sites, 4)
	learning := c.Sites[0]
	assert.Equal(t, "learning", learning.Service)
	// Without learning within reach: 王建国 36.6635, 赵德明 36.681, 钱淑芬
	// 36.684, 梁春生 36.686. 钱淑芬's home holds 赵 (434 m), herself and 梁
	// (289 m): 3; 赵's home 2 (梁 723 m out), 梁's 2, 王's 1. Then only
	// 王建国 is left, at his own home, nearest sy (0.0035° from its centre).
	assert.Equal(t, 4, learning.Uncovered)
	require.Len(t, learning.Sites, 2)
	first, second := learning.Sites[0], learning.Sites[1]
	assert.Equal(t, [4]any{36.684, 117.0, 3, "gsq"}, [4]any{first.Lat, first.Lng, first.Cadres, first.NearestCommunity})
	assert.Len(t, first.CadreIDs, 3)
	assert.Equal(t, [4]any{36.6635, 117.0, 1, "sy"}, [4]any{second.Lat, second.Lng, second.Cadres, second.NearestCommunity})
	// Care is out of reach for 许凤英, 钱淑芬 and 梁春生: one site holds
	// 钱 and 梁 (289 m apart), then 许凤英's home, nearest dm.
	care := c.Sites[2]
	assert.Equal(t, 3, care.Uncovered)
	require.Len(t, care.Sites, 2)
	assert.Equal(t, 2, care.Sites[0].Cadres)
	assert.Equal(t, [3]any{36.697, 1, "dm"}, [3]any{care.Sites[1].Lat, care.Sites[1].Cadres, care.Sites[1].NearestCommunity})

	out := ok(t, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--sites", "1")...)
	assert.Contains(t, out, "\n新场所选址建议（每项至多 1 处，以服务对象住址为候选点）\n"+
		"就近学习：4 人步行不可达\n"+
		"  1. 36.6840, 117.0000  靠近杆石桥社区  可新覆盖 3 人\n")

	// Within sy only 王建国 lacks learning.
	okJSON(t, &c, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--community", "sy", "--sites", "3")...)
	require.Len(t, c.Sites[0].Sites, 1)
	assert.Equal(t, 36.6635, c.Sites[0].Sites[0].Lat)
	for _, ss := range c.Sites {
		if ss.Service == "care" {
			assert.Empty(t, ss.Sites, "in sy every located cadre served has care within reach")
			continue
		}
		require.Len(t, ss.Sites, 1, ss.Service)
		assert.Equal(t, 1, ss.Sites[0].Cadres, "%s: only 王建国 lacks it", ss.Service)
	}
}

func TestHubCoverageInEnglish(t *testing.T) {
	h := coverageDistrict(t)
	out := ok(t, hubArgs(h.db, "coverage", "--on", "2026-11-28", "--sites", "1", "--lang", "en")...)
	for _, want := range []string{
		"Four-nearby coverage of the district on 2026-11-28 (within 500 m walking)\n",
		"11 cadres on the roll, 8 served by the program (1 without home coordinates); 1 more qualify but their community is not enrolled\n",
		"\nBy community\n",
		"learning: 4 out of reach\n  1. 36.6840, 117.0000  near 杆石桥社区  would cover 3 more\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `care\s+4 \(50.0%\)\n`, out)
	assert.Regexp(t, `舜园社区\(sy\)\s+pilot\s+5\s+4\s+0\s+1\s+2\s+2\s+3\s+2\s+2\n`, out)
	assert.Regexp(t, `大明湖社区\(dm\)\s+not enrolled\s+2\s+0\s+1`, out)
	for _, zh := range []string{"就近", "人", "覆盖", "试点", "推广", "靠近"} {
		assert.NotContains(t, out, zh)
	}
}
