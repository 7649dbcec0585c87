package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// careCadre is a valid retired cadre of sy born on birth (YYYYMMDD),
// living with family and in good health, so needing no pair until edit
// says otherwise; at is the home's position.
func careCadre(t *testing.T, name, birth string, n int, lat, lng float64, edit func(c *cadre.Cadre)) cadre.Cadre {
	t.Helper()
	c := cadre.Cadre{Name: name, IDNumber: testkit.IDNumberFor("370102", birth, n), Category: cadre.Tuixiu, RetiredOn: cadre.NewDate(2008, 1, 1),
		Rank: cadre.RankSection, Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingFamily, ChildrenNearby: true,
		Community: "sy", Location: &cadre.Location{Lat: lat, Lng: lng}}
	if edit != nil {
		edit(&c)
	}
	c.Normalize()
	return c
}

// pairingDistrict is a hub with five cadres who need a pair, one of each
// tier but 3 and two of tier 2, and one who needs none. Its two helpers,
// added with `hub helper add`, take three cadres in all. 钱淑芬 (tier 4)
// and 吴国庆 (tier 5) live at 王立军's door, so that the distance alone
// would pair them; tiers come first.
type pairingDistrict struct {
	db      string
	cadres  map[string]uuid.UUID
	helpers map[string]string // name → id
}

func newPairingDistrict(t *testing.T) *pairingDistrict {
	t.Helper()
	d := &pairingDistrict{db: newHubDB(t, t.TempDir()), cadres: map[string]uuid.UUID{}, helpers: map[string]string{}}
	withDB(t, d.db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		for i, c := range []cadre.Cadre{
			careCadre(t, "高兰英", "19300512", 2, 36.701, 117.101, func(c *cadre.Cadre) {
				c.Category, c.Rank, c.RetiredOn, c.PartyJoinedOn = cadre.Lixiu, cadre.RankCountyDeputyPlus, cadre.NewDate(1990, 6, 1), cadre.NewDate(1947, 7, 1)
			}),
			careCadre(t, "周桂兰", "19520418", 4, 36.660, 117.020, func(c *cadre.Cadre) { c.Health = cadre.HealthSerious }),
			careCadre(t, "马学军", "19461201", 5, 36.665, 117.005, func(c *cadre.Cadre) { c.Health = cadre.HealthDependent }),
			careCadre(t, "钱淑芬", "19561005", 6, 36.660, 117.000, func(c *cadre.Cadre) { c.Difficulty = true }),
			careCadre(t, "吴国庆", "19401001", 7, 36.6601, 117.0001, nil),
			careCadre(t, "潘建新", "19530808", 9, 36.6602, 117.0002, nil),
		} {
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err, "cadre %d", i)
			d.cadres[c.Name] = c.ID
		}
	})
	d.addHelper(t, "王立军", "--lat", "36.660", "--lng", "117.000", "--capacity", "2", "--from", "2026-01-01")
	d.addHelper(t, "李红梅", "--lat", "36.700", "--lng", "117.100", "--capacity", "1", "--from", "2026-01-01")
	return d
}

func (d *pairingDistrict) addHelper(t *testing.T, name string, flags ...string) {
	t.Helper()
	var h map[string]any
	okJSON(t, &h, hubArgs(d.db, append([]string{"helper", "add", "--name", name}, flags...)...)...)
	d.helpers[name] = h["id"].(string)
}

func (d *pairingDistrict) storedPairs(t *testing.T) []care.Pair {
	t.Helper()
	var ps []care.Pair
	withDB(t, d.db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		var err error
		ps, err = r.Pairs(ctx, store.PairFilter{})
		require.NoError(t, err)
	})
	return ps
}

// pairingOut is hub pair assign --json.
type pairingOut struct {
	On        string `json:"on"`
	Rebalance bool   `json:"rebalance"`
	Helpers   []struct {
		ID       string `json:"id"`
		Name     string `json:"name"`
		Capacity int    `json:"capacity"`
		Cadres   []struct {
			Name      string   `json:"name"`
			Tier      int      `json:"tier"`
			Need      string   `json:"need"`
			NeedLabel string   `json:"need_label"`
			Km        *float64 `json:"km"`
			New       bool     `json:"new"`
			From      string   `json:"from"`
		} `json:"cadres"`
	} `json:"helpers"`
	Ended []struct {
		Name       string `json:"name"`
		HelperName string `json:"helper_name"`
		To         string `json:"to"`
		Reason     string `json:"reason"`
	} `json:"ended"`
	Unpaired []struct {
		Name   string `json:"name"`
		Tier   int    `json:"tier"`
		Reason string `json:"reason"`
	} `json:"unpaired"`
	MeasuredKm float64               `json:"measured_km"`
	Applied    bool                  `json:"applied"`
	Written    *store.PairingApplied `json:"written"`
}

// byHelper is who each helper has, names in pinyin order.
func (p pairingOut) byHelper() map[string][]string {
	out := map[string][]string{}
	for _, h := range p.Helpers {
		out[h.Name] = []string{}
		for _, c := range h.Cadres {
			out[h.Name] = append(out[h.Name], c.Name)
		}
		sortByName(out[h.Name], func(s string) string { return s })
	}
	return out
}

// checkPairing checks the rules every pairing keeps: no helper above
// capacity, and no cadre left unpaired while a cadre of a lower tier (a
// higher number) gets a new pair. Kept pairs are not weighed against the
// tiers: docs/domain.md keeps every valid pair first, and a pair moved by
// --rebalance is a kept cadre with a new helper.
func checkPairing(t *testing.T, p pairingOut) {
	t.Helper()
	moved := map[string]bool{}
	for _, e := range p.Ended {
		moved[e.Name] = e.Reason == "rebalanced"
	}
	lowest := 0
	for _, h := range p.Helpers {
		assert.LessOrEqual(t, len(h.Cadres), h.Capacity, "%s is over capacity", h.Name)
		for _, c := range h.Cadres {
			if c.New && !moved[c.Name] {
				lowest = max(lowest, c.Tier)
			}
		}
	}
	for _, u := range p.Unpaired {
		assert.GreaterOrEqual(t, u.Tier, lowest, "%s (tier %d) is left unpaired while tier %d is newly paired", u.Name, u.Tier, lowest)
	}
}

func TestPairAssignProposesAppliesOnce(t *testing.T) {
	d := newPairingDistrict(t)
	out := ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01")...)
	for _, want := range []string{
		"1对5 结对帮扶方案，截至 2026-11-01\n",
		"王立军  名额 2，已结对 2 人\n",
		"  马学军  第2档 重病或失能  0.7 公里  新结对\n",
		"  周桂兰  第2档 重病或失能  1.8 公里  新结对\n",
		"李红梅  名额 1，已结对 1 人\n",
		"  高兰英  第1档 离休干部  0.1 公里  新结对\n",
		"解除的结对\n  无\n",
		"未结对\n  钱淑芬  第4档 生活困难  帮扶名额已满\n  吴国庆  第5档 高龄  帮扶名额已满\n",
		"总距离 2.6 公里\n",
		"以上是结对方案，尚未写入。确认后运行 wanxia hub pair assign --apply --on 2026-11-01 写入\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.Empty(t, d.storedPairs(t), "without --apply nothing is written")

	var p pairingOut
	okJSON(t, &p, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01")...)
	assert.Equal(t, map[string][]string{"王立军": {"马学军", "周桂兰"}, "李红梅": {"高兰英"}}, p.byHelper())
	require.Len(t, p.Unpaired, 2)
	assert.Equal(t, "钱淑芬", p.Unpaired[0].Name)
	assert.Equal(t, 4, p.Unpaired[0].Tier)
	assert.Equal(t, "no_capacity", p.Unpaired[0].Reason)
	assert.Equal(t, "吴国庆", p.Unpaired[1].Name)
	assert.NotNil(t, p.Ended)
	assert.False(t, p.Applied)
	assert.Nil(t, p.Written)
	checkPairing(t, p)

	out = ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--apply")...)
	assert.Contains(t, out, "已写入：新建结对 3 个，解除结对 0 个")
	stored := d.storedPairs(t)
	require.Len(t, stored, 3)
	for _, sp := range stored {
		assert.Equal(t, "2026-11-01", sp.From.String())
		assert.True(t, sp.To.IsZero())
	}

	okJSON(t, &p, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--apply")...)
	assert.True(t, p.Applied)
	require.NotNil(t, p.Written)
	assert.Equal(t, store.PairingApplied{}, *p.Written, "a second --apply writes nothing")
	for _, h := range p.Helpers {
		for _, c := range h.Cadres {
			assert.False(t, c.New, "%s is kept", c.Name)
		}
	}
	assert.Equal(t, stored, d.storedPairs(t))
	out = ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--apply")...)
	assert.Contains(t, out, "没有需要写入的更改")
	assert.Contains(t, out, "  马学军  第2档 重病或失能  0.7 公里  保留\n")
	assert.Len(t, d.storedPairs(t), 3)

	out = ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--lang", "en")...)
	for _, want := range []string{"1对5 pairing as of 2026-11-01", "王立军  capacity 2, 2 paired", "  马学军  tier 2 seriously ill or dependent  0.7 km  kept",
		"Left unpaired\n  钱淑芬  tier 4 in living difficulty  no helper capacity left", "This is a proposal; nothing was written"} {
		assert.Contains(t, out, want)
	}
}

// TestPairAssignMovesValidPairsOnlyWhenAsked: a new helper lives at 马学军's
// door. The default keeps 马学军 with 王立军 and gives the new helper the
// next cadre in line; --rebalance moves 马学军 to the new helper, which frees
// 王立军 for 钱淑芬 next door.
func TestPairAssignMovesValidPairsOnlyWhenAsked(t *testing.T) {
	d := newPairingDistrict(t)
	ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--apply")...)
	d.addHelper(t, "陈建华", "--lat", "36.665", "--lng", "117.005", "--capacity", "1", "--from", "2026-11-05")

	var p pairingOut
	okJSON(t, &p, hubArgs(d.db, "pair", "assign", "--on", "2026-11-10")...)
	assert.False(t, p.Rebalance)
	assert.Equal(t, map[string][]string{"王立军": {"马学军", "周桂兰"}, "李红梅": {"高兰英"}, "陈建华": {"钱淑芬"}}, p.byHelper())
	assert.Empty(t, p.Ended, "without --rebalance no valid pair ends")
	for _, h := range p.Helpers {
		for _, c := range h.Cadres {
			assert.Equal(t, c.Name == "钱淑芬", c.New, c.Name)
		}
	}
	checkPairing(t, p)

	var moved pairingOut
	okJSON(t, &moved, hubArgs(d.db, "pair", "assign", "--on", "2026-11-10", "--rebalance")...)
	assert.True(t, moved.Rebalance)
	assert.Equal(t, map[string][]string{"王立军": {"钱淑芬", "周桂兰"}, "李红梅": {"高兰英"}, "陈建华": {"马学军"}}, moved.byHelper())
	require.Len(t, moved.Ended, 1)
	assert.Equal(t, "马学军", moved.Ended[0].Name)
	assert.Equal(t, "王立军", moved.Ended[0].HelperName)
	assert.Equal(t, "rebalanced", moved.Ended[0].Reason)
	assert.Less(t, moved.MeasuredKm, p.MeasuredKm)
	checkPairing(t, moved)
	out := ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-10", "--rebalance")...)
	assert.Contains(t, out, "（允许把现有结对调整给更近的帮扶人）")
	assert.Contains(t, out, "  马学军  帮扶人 王立军  2026-11-10 起解除：调整为更近的帮扶人\n")
	assert.Contains(t, out, "wanxia hub pair assign --apply --on 2026-11-10 --rebalance")

	okJSON(t, &moved, hubArgs(d.db, "pair", "assign", "--on", "2026-11-10", "--rebalance", "--apply")...)
	assert.Equal(t, store.PairingApplied{PairsEnded: 1, PairsCreated: 2}, *moved.Written)
	okJSON(t, &p, hubArgs(d.db, "pair", "assign", "--on", "2026-11-10")...)
	assert.Equal(t, moved.byHelper(), p.byHelper(), "the moves are written")
	assert.Empty(t, p.Ended)
}

// TestPairAssignFillsCapacityByTier: one helper with the default capacity
// (5 in 1对5) and eight cadres who need a pair: the seriously ill one who
// lives far away is paired before any of the aged next door.
func TestPairAssignFillsCapacityByTier(t *testing.T) {
	db := newHubDB(t, t.TempDir())
	withDB(t, db, syncsvc.RoleHub, func(ctx context.Context, r *store.Replica) {
		far := careCadre(t, "林美华", "19490308", 2, 36.800, 117.300, func(c *cadre.Cadre) { c.Health = cadre.HealthSerious })
		_, err := r.PutCadre(ctx, &far)
		require.NoError(t, err)
		for i, name := range []string{"王建国", "李秀英", "张永福", "刘玉兰", "陈宝山", "杨桂芳", "黄卫东"} {
			c := careCadre(t, name, "19400101", 11+2*i, 36.660+float64(i)/10000, 117.000, nil)
			_, err := r.PutCadre(ctx, &c)
			require.NoError(t, err)
		}
	})
	ok(t, hubArgs(db, "helper", "add", "--name", "王立军", "--lat", "36.660", "--lng", "117.000", "--from", "2026-01-01")...)
	var p pairingOut
	okJSON(t, &p, hubArgs(db, "pair", "assign", "--on", "2026-11-01")...)
	require.Len(t, p.Helpers, 1)
	assert.Equal(t, 5, p.Helpers[0].Capacity)
	assert.Len(t, p.Helpers[0].Cadres, 5)
	assert.Equal(t, "林美华", p.Helpers[0].Cadres[0].Name, "tier 2 first, however far")
	assert.Len(t, p.Unpaired, 3)
	checkPairing(t, p)
}

func TestHelperAddListEnd(t *testing.T) {
	d := newPairingDistrict(t)
	out := ok(t, hubArgs(d.db, "helper", "add", "--name", "刘芳", "--from", "2026-01-01")...)
	assert.Contains(t, out, "已登记帮扶人 刘芳（名额 5，2026-01-01 起在岗）\n帮扶人 ID：")
	var h map[string]any
	okJSON(t, &h, hubArgs(d.db, "helper", "add", "--name", "赵国栋", "--capacity", "3", "--from", "2027-01-01")...)
	assert.Equal(t, float64(3), h["capacity"])
	assert.Nil(t, h["lat"])
	_, err := uuid.Parse(h["id"].(string))
	assert.NoError(t, err)

	ok(t, hubArgs(d.db, "pair", "assign", "--on", "2026-11-01", "--apply")...)
	var list []map[string]any
	okJSON(t, &list, hubArgs(d.db, "helper", "list", "--on", "2026-11-10")...)
	got := map[string][2]float64{}
	for _, x := range list {
		got[x["name"].(string)] = [2]float64{x["capacity"].(float64), x["pairs"].(float64)}
	}
	assert.Equal(t, map[string][2]float64{"王立军": {2, 2}, "李红梅": {1, 1}, "刘芳": {5, 2}}, got, "赵国栋 begins in 2027")
	out = ok(t, hubArgs(d.db, "helper", "list", "--on", "2026-11-10")...)
	assert.Contains(t, out, "帮扶人（2026-11-10）")
	assert.Contains(t, out, "王立军")
	assert.NotContains(t, out, "赵国栋")

	out = ok(t, hubArgs(d.db, "helper", "end", d.helpers["王立军"][:24], "--on", "2026-11-20")...)
	assert.Contains(t, out, "已记录 王立军 自 2026-11-20 起不在岗；同日解除结对 2 个：")
	assert.Contains(t, out, "wanxia hub pair assign --on 2026-11-20")
	var ended []care.Pair
	for _, p := range d.storedPairs(t) {
		if p.HelperID.String() == d.helpers["王立军"] {
			ended = append(ended, p)
		}
	}
	require.Len(t, ended, 2)
	for _, p := range ended {
		assert.Equal(t, "2026-11-20", p.To.String())
		assert.Equal(t, care.EndHelperInactive, p.EndReason)
	}

	okJSON(t, &list, hubArgs(d.db, "helper", "list", "--on", "2026-11-25")...)
	assert.NotContains(t, names(t, list), "王立军")
	okJSON(t, &list, hubArgs(d.db, "helper", "list", "--on", "2026-11-25", "--all")...)
	assert.Contains(t, names(t, list), "王立军")
	assert.Contains(t, names(t, list), "赵国栋")
	for _, x := range list {
		if x["name"] == "王立军" {
			assert.Equal(t, false, x["active"])
			assert.Equal(t, float64(0), x["pairs"])
			assert.Equal(t, "2026-11-20", x["active_to"])
		}
	}

	var p pairingOut
	okJSON(t, &p, hubArgs(d.db, "pair", "assign", "--on", "2026-11-25")...)
	assert.Empty(t, p.Ended, "the helper's pairs ended already")
	paired := p.byHelper()
	assert.NotContains(t, paired, "王立军")
	assert.Len(t, paired["刘芳"], 4, "刘芳 takes the two cadres 王立军 had, and the two left over")
	assert.Subset(t, paired["刘芳"], []string{"周桂兰", "马学军"})
	assert.Empty(t, p.Unpaired)

	var again map[string]any
	okJSON(t, &again, hubArgs(d.db, "helper", "end", d.helpers["王立军"], "--on", "2026-11-20")...)
	assert.Equal(t, false, again["changed"])
	assert.Equal(t, []any{}, again["ended"])
	res := wx(t, hubArgs(d.db, "helper", "end", "王立军", "--on", "2026-11-21")...)
	assert.Equal(t, 1, res.code, res.stderr)
	assert.Contains(t, res.stderr, "已于 2026-11-20 起不在岗")
}

func TestHubCareVerbsRefuseBadInput(t *testing.T) {
	d := newPairingDistrict(t)
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"helper without a name", []string{"helper", "add", "--capacity", "3"}, 2, "--name"},
		{"latitude alone", []string{"helper", "add", "--name", "x", "--lat", "36.6"}, 2, "--lng"},
		{"no position", []string{"helper", "add", "--name", "x", "--lat", "136.6", "--lng", "117"}, 2, "--lat"},
		{"capacity 0", []string{"helper", "add", "--name", "x", "--capacity", "0"}, 2, "--capacity"},
		{"capacity not a number", []string{"helper", "add", "--name", "x", "--capacity", "五"}, 2, "--capacity"},
		{"bad --from", []string{"helper", "add", "--name", "x", "--from", "2026-02-30"}, 2, "--from"},
		{"end without --on", []string{"helper", "end", d.helpers["王立军"]}, 2, "--on"},
		{"end an unknown helper", []string{"helper", "end", "0190aaaa-0000-7000-8000-000000000000", "--on", "2026-11-20"}, 1, "没有帮扶人"},
		{"end a helper by an unknown name", []string{"helper", "end", "王二", "--on", "2026-11-20"}, 1, "没有帮扶人 王二"},
		{"end before the helper began", []string{"helper", "end", "王立军", "--on", "2025-12-31"}, 2, "早于"},
		{"bad --on", []string{"pair", "assign", "--on", "2026/11/01"}, 2, "--on"},
		{"an argument to assign", []string{"pair", "assign", "now"}, 2, "多余的参数"},
		{"unknown pair verb", []string{"pair", "assing"}, 2, "assign"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := wx(t, hubArgs(d.db, tc.args...)...)
			assert.Equal(t, tc.code, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.Contains(t, res.stderr, tc.want)
		})
	}
	res := wx(t, hubArgs(filepath.Join(t.TempDir(), "none.db"), "pair", "assign")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有数据库")
	res = wx(t, hubArgs(d.db, "helper", "end", "王立军", "--lang", "en")...)
	assert.Equal(t, "usage: missing --on (the first day the helper no longer serves); see wanxia hub helper end --help\n", res.stderr)
	for _, verb := range [][]string{{"helper", "add"}, {"helper", "list"}, {"helper", "end"}, {"pair", "assign"}} {
		out := ok(t, hubArgs(d.db, append(verb, "--help")...)...)
		assert.Contains(t, out, "用法：")
	}
	assert.Equal(t, 0, wx(t, "hub", "helper", "--help").code)
}
