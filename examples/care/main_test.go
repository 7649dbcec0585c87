package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/demo"
)

// runArgs runs the program as the command line args would and returns its
// exit code, stdout and stderr.
func runArgs(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := command.ExitCode(run(ctx, args, &stdout, &stderr), &stderr)
	return code, stdout.String(), stderr.String()
}

// output runs the program, requires success and returns stdout.
func output(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runArgs(t, context.Background(), args...)
	require.Equal(t, 0, code, errOut)
	require.Empty(t, errOut)
	return out
}

// jsonReport runs the program with --json and decodes what it printed.
func jsonReport(t *testing.T, args ...string) report {
	t.Helper()
	var r report
	require.NoError(t, json.Unmarshal([]byte(output(t, append(args, "--json")...)), &r))
	return r
}

// section returns the lines of out from the one that starts with from up to
// the one before the line that starts with to ("" for the end).
func section(t *testing.T, out, from, to string) []string {
	t.Helper()
	var lines []string
	in := false
	for l := range strings.Lines(out) {
		l = strings.TrimSuffix(l, "\n")
		switch {
		case strings.HasPrefix(l, from):
			in = true
		case in && to != "" && strings.HasPrefix(l, to):
			return lines
		}
		if in {
			lines = append(lines, l)
		}
	}
	require.True(t, in, "no line starts with %q in:\n%s", from, out)
	return lines
}

// block is one cadre of the week's list and the lines of its visits.
type block struct {
	head  string
	dues  []string
	index int
}

// weekBlocks splits the week's list into cadres.
func weekBlocks(t *testing.T, out, heading string) []block {
	t.Helper()
	var bs []block
	for _, l := range section(t, out, heading, "")[1:] {
		if strings.HasPrefix(l, "  ") {
			require.NotEmpty(t, bs, "a visit before any cadre: %q", l)
			bs[len(bs)-1].dues = append(bs[len(bs)-1].dues, l)
			continue
		}
		bs = append(bs, block{head: l, index: len(bs)})
	}
	return bs
}

func blockOf(t *testing.T, bs []block, name string) block {
	t.Helper()
	for _, b := range bs {
		if strings.HasPrefix(b.head, name+"  ") {
			return b
		}
	}
	t.Fatalf("no cadre %s in the week's list", name)
	return block{}
}

func TestPairingChinese(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	assert.True(t, strings.HasPrefix(out, "1对5 结对帮扶（2026-11-28）\n"), out)

	// The active helpers, each filled to the capacity of the data: demand
	// (30 cadres) is above the total capacity (23).
	var heads []string
	for _, l := range section(t, out, "1对5", "解除的结对")[1:] {
		if !strings.HasPrefix(l, " ") {
			heads = append(heads, l)
		}
	}
	assert.Equal(t, []string{
		"王立军  名额 5，已结对 5 人",
		"李红梅  名额 5，已结对 5 人",
		"张志强  名额 5，已结对 5 人",
		"刘芳  名额 3，已结对 3 人",
		"陈建华  名额 5，已结对 5 人",
	}, heads, "赵国栋 left on 2026-11-01 and is no helper any more")

	// Kept pairs stay with their helper; the cadres of 赵国栋 are paired anew.
	pairing := strings.Join(section(t, out, "王立军", "解除的结对"), "\n")
	for _, want := range []string{
		"  许凤英  第3档 高龄独居或空巢  0.1 公里  保留",
		"  吴国庆  第5档 高龄  1.5 公里  保留",
		"  何锡山  第1档 离休干部  0.1 公里  新结对",
		"  曹秀珍  第3档 高龄独居或空巢  2.2 公里  新结对",
		"  罗守仁  第1档 离休干部  距离未知  新结对",
	} {
		assert.Contains(t, pairing, want)
	}

	assert.Equal(t, []string{
		"解除的结对",
		"  何锡山  帮扶人 赵国栋  2026-11-01 起解除：帮扶人不在岗",
		"  冯志刚  帮扶人 张志强  2026-11-25 起解除：干部去世",
		"  马学军  帮扶人 赵国栋  2026-11-01 起解除：帮扶人不在岗",
		"  韩广田  帮扶人 赵国栋  2026-11-01 起解除：帮扶人不在岗",
		"  曹秀珍  帮扶人 赵国栋  2026-11-01 起解除：帮扶人不在岗",
		"  潘建新  帮扶人 刘芳  2026-11-28 起解除：不再需要结对",
	}, section(t, out, "解除的结对", "未结对"))

	assert.Equal(t, []string{
		"未结对",
		"  李秀英  第5档 高龄  帮扶名额已满",
		"  张永福  第5档 高龄  帮扶名额已满",
		"  刘玉兰  第5档 高龄  帮扶名额已满",
		"  杨桂芳  第5档 高龄  帮扶名额已满",
		"  徐素云  第5档 高龄  帮扶名额已满",
		"  朱树林  第5档 高龄  无住址坐标，名额已满时排在本档之后",
		"  郑庆云  第5档 高龄  帮扶名额已满",
		"总距离 20.0 公里（另有 2 对距离未知，未计入）",
		"",
	}, section(t, out, "未结对", "本周应走访"))
}

// TestPairingRules checks the pairing against the district's data rather
// than against figures: capacity, coverage, tiers and distances.
func TestPairingRules(t *testing.T) {
	for _, on := range []string{"2025-03-03", "2026-10-16", "2026-11-28", "2027-02-01", "2027-10-05"} {
		t.Run(on, func(t *testing.T) {
			day, err := cadre.ParseDate(on)
			require.NoError(t, err)
			r := jsonReport(t, "--on", on)
			d := sampleDistrict().asOf(day)
			policy := cadre.DefaultPolicy()
			people := map[string]cadre.Cadre{}
			for _, c := range d.cadres {
				people[c.Name] = c
			}
			staff := map[string]care.Helper{}
			for _, h := range d.helpers {
				staff[h.Name] = h
			}

			seen := map[string]int{}
			maxPaired := 0
			var measured float64
			for _, h := range r.Helpers {
				hd, ok := staff[h.Name]
				require.True(t, ok, h.Name)
				assert.True(t, hd.Active(day), "%s is not active", h.Name)
				assert.LessOrEqual(t, len(h.Cadres), cmp.Or(hd.Capacity, 5), "%s above capacity", h.Name)
				for _, p := range h.Cadres {
					c := people[p.Cadre]
					seen[p.Cadre]++
					assert.Equal(t, c.NeedTier(day, policy), p.Tier, p.Cadre)
					maxPaired = max(maxPaired, p.Tier)
					if c.Location == nil {
						assert.Nil(t, p.Km, p.Cadre)
						continue
					}
					km := care.DistanceKm(*hd.Base, *c.Location)
					require.NotNil(t, p.Km, p.Cadre)
					assert.InDelta(t, km, *p.Km, 0.05, "%s – %s", h.Name, p.Cadre)
					assert.Less(t, km, 8.0, "homes are within a few km of the bureau")
					measured += km
				}
			}
			assert.InDelta(t, measured, r.TotalKm, 0.05)
			for _, u := range r.Unpaired {
				seen[u.Cadre]++
				// A higher tier (a smaller number) is never left unpaired
				// while a lower one is paired. Assign keeps valid pairs
				// first, so a kept pair of a low tier could break this in
				// a district short of helpers; this one has enough for
				// tiers 1 to 4.
				assert.GreaterOrEqual(t, u.Tier, maxPaired, "%s (tier %d) unpaired", u.Cadre, u.Tier)
			}
			for _, c := range d.cadres {
				if c.NeedTier(day, policy) > 0 {
					assert.Equal(t, 1, seen[c.Name], "%s needs a pair: paired or listed unpaired once", c.Name)
				} else {
					assert.Zero(t, seen[c.Name], "%s needs no pair", c.Name)
				}
			}
			for _, e := range r.Ended {
				if h := staff[e.Helper]; !h.Active(day) {
					assert.Equal(t, care.EndHelperInactive, e.Reason, e.Cadre)
					assert.Equal(t, h.ActiveTo, e.To, e.Cadre)
				}
			}
		})
	}
}

func TestWeekChinese(t *testing.T) {
	out := output(t, "--on", "2026-11-28")
	const heading = "本周应走访（2026-11-28 至 2026-12-04）"
	assert.Contains(t, out, "\n"+heading+"：逾期 4 项，待走访 7 项，已完成 10 项\n")
	bs := weekBlocks(t, out, heading)
	require.Len(t, bs, 17)

	assert.Equal(t, "赵德明  第3档  帮扶人 张志强", bs[0].head, "the cadre with the oldest overdue visit comes first")
	assert.Equal(t, []string{
		"  逾期  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）",
		"  逾期  月度电话或视频联系  应于 2026-10-31（2026-10-01 至 2026-10-31）",
		"  待走访  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）",
	}, bs[0].dues)
	for name, want := range map[string][]string{
		"曹秀珍": {"  逾期  逢十寿辰（90岁）  应于 2026-11-10（2026-10-27 至 2026-11-17）"},
		"冯志刚": {"  已完成  吊唁慰问  应于 2026-11-28（2026-11-25 至 2026-11-28）  2026-11-27 吊唁慰问（张志强）"},
		"郭长青": {"  待走访  住院探望  应于 2026-11-29（2026-11-26 至 2026-11-29）"},
		"唐淑贞": {
			"  待走访  出院回访  应于 2026-11-30（2026-11-23 至 2026-11-30）",
			"  已完成  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）  2026-11-13 电话或视频联系（李红梅）",
		},
		"林美华": {
			"  待走访  长期住院每月探望  应于 2026-11-30（2026-11-01 至 2026-11-30）",
			"  已完成  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）  2026-11-19 电话或视频联系（张志强）",
		},
		"王建国": {"  待走访  月度电话或视频联系  应于 2026-11-30（2026-11-01 至 2026-11-30）"},
		"马学军": {"  待走访  逢十寿辰（80岁）  应于 2026-12-01（2026-11-17 至 2026-12-08）"},
		"彭秉义": {"  待走访  逢十寿辰（80岁）  应于 2026-12-03（2026-11-19 至 2026-12-10）"},
	} {
		assert.Equal(t, want, blockOf(t, bs, name).dues, name)
	}
	assert.Equal(t, "冯志刚  去世 2026-11-25", blockOf(t, bs, "冯志刚").head)
	assert.Equal(t, "郑庆云  第5档  未结对", blockOf(t, bs, "郑庆云").head)
	assert.Equal(t, "彭秉义  无需结对", blockOf(t, bs, "彭秉义").head)
	assertOverdueFirst(t, bs, "  逾期  ")
}

// assertOverdueFirst checks that every cadre with an overdue visit comes
// before every cadre without, and that each cadre's overdue visits come
// before the others.
func assertOverdueFirst(t *testing.T, bs []block, overdue string) {
	t.Helper()
	lastWith, firstWithout := -1, len(bs)
	for _, b := range bs {
		require.NotEmpty(t, b.dues, b.head)
		has := false
		for i, l := range b.dues {
			if strings.HasPrefix(l, overdue) {
				has = true
				assert.True(t, i == 0 || strings.HasPrefix(b.dues[i-1], overdue), "%s: an overdue visit after another: %q", b.head, l)
			}
		}
		if has {
			lastWith = b.index
		} else {
			firstWithout = min(firstWithout, b.index)
		}
	}
	assert.Greater(t, lastWith, -1, "some visit is overdue")
	assert.Less(t, lastWith, firstWithout)
}

func TestFestivals(t *testing.T) {
	t.Run("Spring Festival 2027", func(t *testing.T) {
		out := output(t, "--on", "2027-02-01")
		const line = "  待走访  春节走访  应于 2027-02-06（2027-01-23 至 2027-02-13）"
		// Every cadre on the roll: 51 less 冯志刚 (died) and 陈玉梅 (moved).
		assert.Equal(t, 49, strings.Count(out, line+"\n"))
		bs := weekBlocks(t, out, "本周应走访（2027-02-01 至 2027-02-07）")
		dues := blockOf(t, bs, "孙振华").dues
		assert.Equal(t, line, dues[len(dues)-1], "the visit due latest comes last")
		assertOverdueFirst(t, bs, "  逾期  ")
	})
	t.Run("Double Ninth 2026", func(t *testing.T) {
		out := output(t, "--on", "2026-10-16")
		const heading = "本周应走访（2026-10-16 至 2026-10-22）"
		assert.Contains(t, out, heading+"：逾期 0 项，待走访 2 项，已完成 48 项\n")
		bs := weekBlocks(t, out, heading)
		assert.Len(t, bs, 50, "冯志刚 was alive on 2026-10-16; 陈玉梅 had moved")
		assert.Equal(t, []string{"  待走访  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）"}, blockOf(t, bs, "赵德明").dues)
		assert.Equal(t, []string{"  待走访  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）"}, blockOf(t, bs, "郑庆云").dues)
		assert.Equal(t, []string{"  已完成  重阳节走访  应于 2026-10-18（2026-10-04 至 2026-10-25）  2026-10-16 节日走访（张志强）"},
			blockOf(t, bs, "冯志刚").dues)
		// Before 赵国栋 left, his pairs were in force and nothing ended
		// but the pair of the cadre who recovered.
		assert.Contains(t, out, "赵国栋  名额 5，已结对 5 人\n")
		assert.Equal(t, []string{"解除的结对", "  潘建新  帮扶人 刘芳  2026-10-16 起解除：不再需要结对"}, section(t, out, "解除的结对", "未结对"))
	})
}

func TestEnglish(t *testing.T) {
	out := output(t, "--lang", "en", "--on", "2026-11-28")
	for _, want := range []string{
		"1对5 pairing on 2026-11-28\n",
		"刘芳  capacity 3, 3 paired\n",
		"  许凤英  tier 3 aged and living alone  0.1 km  kept\n",
		"  罗守仁  tier 1 pre-1949 veteran (lixiu)  distance unknown  new\n",
		"  何锡山  helper 赵国栋  ended as of 2026-11-01: the helper is no longer active\n",
		"  冯志刚  helper 张志强  ended as of 2026-11-25: the cadre died\n",
		"  朱树林  tier 5 aged  no home location: last in the tier when capacity ran out\n",
		"total distance 20.0 km (2 more pairs of unknown distance not counted)\n",
		"Visits due 2026-11-28 to 2026-12-04: 4 overdue, 7 open, 10 done\n",
		"赵德明  tier 3  helper 张志强\n  overdue  Double Ninth visit  due 2026-10-18 (2026-10-04 to 2026-10-25)\n",
		"  done  condolence visit  due 2026-11-28 (2026-11-25 to 2026-11-28)  2026-11-27 condolence visit (张志强)\n",
		"冯志刚  deceased 2026-11-25\n",
	} {
		assert.Contains(t, out, want)
	}
	for _, zh := range []string{"帮扶人", "逾期", "待走访", "公里", "第1档", "离休干部", "月度电话"} {
		assert.NotContains(t, out, zh)
	}
	assertOverdueFirst(t, weekBlocks(t, out, "Visits due"), "  overdue  ")
}

func TestJSON(t *testing.T) {
	out := output(t, "--on", "2026-11-28", "--json")
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	snake := regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	var walk func(path string, x any)
	walk = func(path string, x any) {
		switch x := x.(type) {
		case map[string]any:
			for k, e := range x {
				assert.Regexp(t, snake, k, path)
				if e == nil {
					assert.Contains(t, []string{"km", "satisfied_by"}, k, "%s.%s is null", path, k)
				}
				walk(path+"."+k, e)
			}
		case []any:
			for i, e := range x {
				walk(fmt.Sprintf("%s[%d]", path, i), e)
			}
		}
	}
	walk("", v)

	r := jsonReport(t, "--on", "2026-11-28")
	assert.Equal(t, 20.0, r.TotalKm)
	assert.Equal(t, 2, r.UnknownDistancePairs)
	assert.Equal(t, weekView{From: cadre.NewDate(2026, 11, 28), To: cadre.NewDate(2026, 12, 4), Overdue: 4, Open: 7, Done: 10},
		weekView{From: r.Week.From, To: r.Week.To, Overdue: r.Week.Overdue, Open: r.Week.Open, Done: r.Week.Done})

	// Before any pair ended, the list of ended pairs is empty, not null.
	early := output(t, "--on", "2025-03-03", "--json")
	assert.Contains(t, early, `"ended": [],`)
}

func TestDeterministic(t *testing.T) {
	for _, args := range [][]string{
		{"--on", "2026-11-28"},
		{"--on", "2027-02-01", "--lang", "en"},
		{"--on", "2026-11-28", "--json"},
	} {
		assert.Equal(t, output(t, args...), output(t, args...), "%v", args)
	}
}

// TestDistrict checks that the made-up records are ones the district could
// store: valid, with the shape the package doc promises.
func TestDistrict(t *testing.T) {
	d := sampleDistrict()
	asOf := recordedTo.In(time.UTC)
	require.Len(t, d.cadres, 51)
	ids := map[string]bool{}
	centre := cadre.Location{Lat: 36.66, Lng: 117.0}
	located := 0
	for _, c := range d.cadres {
		assert.NoError(t, c.Validate(asOf), c.Name)
		assert.False(t, ids[c.IDNumber], "%s: ID number used twice", c.Name)
		ids[c.IDNumber] = true
		if c.Location != nil {
			located++
			assert.Less(t, care.DistanceKm(centre, *c.Location), 5.0, c.Name)
		}
	}
	assert.Equal(t, 47, located)
	for _, h := range d.helpers {
		assert.NoError(t, h.Validate(), h.Name)
	}
	for _, p := range d.pairs {
		assert.NoError(t, p.Validate())
	}
	for _, v := range d.visits {
		assert.NoError(t, v.Validate(asOf))
		assert.False(t, v.On.After(recordedTo))
	}
	for _, s := range d.stays {
		assert.NoError(t, s.Validate(asOf))
	}
	assert.NoError(t, care.DefaultAssignSettings().Validate())
	assert.NoError(t, care.DefaultScheduleSettings().Validate())
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", []string{"--csv"}, 2, "care: bad usage: flag provided but not defined: -csv; see --help\n"},
		{"bad language", []string{"--lang", "fr"}, 2, "care: bad usage: --lang: invalid value: language \"fr\": want zh or en\n"},
		{"bad date", []string{"--on", "2026-02-30"}, 2, "care: bad usage: --on: date \"2026-02-30\": want YYYY-MM-DD, a real calendar date: invalid value\n"},
		{"argument", []string{"district.csv"}, 2, "care: bad usage: unexpected argument \"district.csv\": the district is built in; see --help\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runArgs(t, context.Background(), tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Equal(t, tt.stderr, errOut)
		})
	}
}

func TestHelp(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, errOut)
	assert.True(t, strings.HasPrefix(out, "usage: go run ./examples/care [--on YYYY-MM-DD] [--lang zh|en] [--json]\n"), out)
	assert.Contains(t, out, "-on YYYY-MM-DD")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := runArgs(t, ctx, "--on", "2026-11-28")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "care: context canceled\n", errOut)
}

func TestDefaultDateIsToday(t *testing.T) {
	before := demo.Today()
	out := output(t)
	after := demo.Today()
	// Either date is right when the test runs across midnight in Shanghai.
	assert.True(t, strings.HasPrefix(out, fmt.Sprintf("1对5 结对帮扶（%s）\n", before)) ||
		strings.HasPrefix(out, fmt.Sprintf("1对5 结对帮扶（%s）\n", after)), strings.SplitN(out, "\n", 2)[0])
}
