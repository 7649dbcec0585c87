package main

import (
	"bytes"
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
	"github.com/wanxia/wanxia/venue"
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
	dec := json.NewDecoder(strings.NewReader(output(t, append(args, "--json")...)))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&r))
	return r
}

// section returns the lines of out from the one that is exactly from up
// to the first empty line after it.
func section(t *testing.T, out, from string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(out, "\n"+from+"\n")
	require.True(t, ok, "no line %q in:\n%s", from, out)
	block, _, _ := strings.Cut(rest, "\n\n")
	return append([]string{from}, strings.Split(strings.TrimSuffix(block, "\n"), "\n")...)
}

// The figures below were worked out from district.go by hand, with the
// haversine distance on the sphere of venue.EarthRadiusMetres times 1.3:
// 王建国's home (36.6555, 117.0122) is 148.681 m from 舜园社区老干部活动室
// (36.6565, 117.0125), 231.973 m from 舜园社区服务站 (36.6548, 117.0140) and
// 1,058.421 m from 市中区老年大学 (36.6600, 117.0050), the nearest venue
// offering learning.

func TestEnglish(t *testing.T) {
	out := output(t, "--lang", "en", "--on", "2026-11-28")
	for _, want := range []string{
		"Four nearby on 2026-11-28: 4 communities, 14 venues open, within 500 m walking\n",
		"\n王建国 (舜园社区)\n  served: yes (aged retired cadre): a retired cadre aged 82 on the date, 80 or over; community sy is in the four-nearby program (pilot)\n",
		"  learning  missing  no venue offering learning within 500 m; nearest: 市中区老年大学, 1.1 km\n",
		"  activities  covered  舜园社区老干部活动室 (activity room), 149 m\n",
		"  3 covered, 1 missing: learning\n",
		"  note: the home has no coordinates, so walking distances are unknown; each service lists the venues registered in community sy\n",
		"  served: no (community not enrolled): a retired cadre aged 81 on the date, 80 or over, but community qf joins the four-nearby program only on 2027-03-01\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, out, "  21 cadres on the roll, 14 served by the program (1 without home coordinates); 2 more qualify but their community is not enrolled\n")
	assert.Contains(t, out, "  learning  2 (14.3%)\n")
	assert.Contains(t, out, "  舜园社区  pilot  cadres 7  served 6  waiting 0  no position 1  learning 0  activities 4  care 5  a role to play 5  all four 0\n")
	assert.Contains(t, out, "  learning: 11 out of reach; a venue at 36.6562, 117.0118 (舜园社区, 37 m walk from its centre) would reach 4 of them: 孙振华, 高兰英, 王建国, 周桂兰\n")
	for _, zh := range []string{"就近", "服务对象", "米", "公里", "试点", "未纳入", "离休干部"} {
		assert.NotContains(t, out, zh)
	}
}

func TestLaterDates(t *testing.T) {
	// By 2027-03-01 马学军 has turned 80 (served all the same, now as
	// aged) and so has 彭秉义 (served from 2026-12-03), and qf joins:
	// 郑庆云 and 杨桂芳 are served, both within 500 m of 泉福社区服务站
	// (care and role): 14 + 3.
	r := jsonReport(t, "--on", "2027-03-01")
	assert.Equal(t, 17, r.Coverage.Eligible)
	assert.Equal(t, 0, r.Coverage.NotEnrolled)
	for _, cc := range r.Coverage.Communities {
		if cc.Code == "qf" {
			assert.Equal(t, venue.StageExtended, cc.Stage)
			assert.Equal(t, [3]int{2, 2, 2}, [3]int{cc.Eligible, cc.Covered[2].Cadres, cc.Covered[3].Cadres})
		}
	}
	// Before 杆石桥棋牌室 closed it was open: 15 venues.
	assert.True(t, strings.HasPrefix(output(t, "--on", "2026-09-30"), "四就近（2026-09-30）：4 个社区，15 处开放的场所"))
	// Before 冯志刚 died he was on the roll and served (失能).
	r = jsonReport(t, "--on", "2026-11-24")
	assert.Equal(t, [2]int{22, 15}, [2]int{r.Coverage.Cadres, r.Coverage.Eligible})
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
					assert.Contains(t, []string{"metres", "percent", "all_four_percent"}, k, "%s.%s is null", path, k)
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
	assert.Equal(t, 500.0, r.RadiusMetres)
	require.Len(t, r.Answers, len(featured))
	wang := r.Answers[0]
	assert.Equal(t, venue.RuleAged, wang.Rule)
	require.NotNil(t, wang.Services[1].Metres)
	assert.Equal(t, 148.681, *wang.Services[1].Metres)
	assert.Equal(t, 231.973, *wang.Services[2].Metres)
	assert.Equal(t, 1058.421, *wang.Services[0].Metres)
	assert.Equal(t, 8, r.Coverage.Covered[1].Cadres)

	// Before the program began nobody is served: shares are null, lists empty.
	early := jsonReport(t, "--on", "2024-01-01")
	assert.Zero(t, early.Coverage.Eligible)
	assert.Nil(t, early.Coverage.Covered[0].Percent)
	assert.Equal(t, []siteView{}, early.Sites)
	assert.Contains(t, output(t, "--on", "2024-01-01"), "  有坐标的服务对象四项都已步行可达\n")
}

func TestDeterministic(t *testing.T) {
	for _, args := range [][]string{
		{"--on", "2026-11-28"},
		{"--on", "2026-11-28", "--lang", "en"},
		{"--on", "2026-11-28", "--json"},
	} {
		assert.Equal(t, output(t, args...), output(t, args...), "%v", args)
	}
}

// TestDistrict checks that the made-up records are ones the district could
// store: valid, and placed around the centre of Jinan.
func TestDistrict(t *testing.T) {
	d := sampleDistrict()
	asOf := recordedTo.In(time.UTC)
	require.Len(t, d.cadres, 22)
	require.Len(t, d.venues, 15)
	centre := cadre.Location{Lat: 36.66, Lng: 117.0}
	ids := map[string]bool{}
	located := 0
	for _, c := range d.cadres {
		assert.NoError(t, c.Validate(asOf), c.Name)
		assert.False(t, ids[c.IDNumber], "%s: ID number used twice", c.Name)
		ids[c.IDNumber] = true
		if c.Location != nil {
			located++
			assert.Less(t, venue.GreatCircleMetres(centre, *c.Location), 5000.0, c.Name)
		}
	}
	assert.Equal(t, 21, located)
	for _, v := range d.venues {
		assert.NoError(t, v.Validate(), v.Name)
	}
	for _, e := range d.enrolments {
		assert.NoError(t, e.Validate())
	}
	assert.NoError(t, venue.DefaultSettings().Validate())
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", []string{"--csv"}, 2, "nearby: bad usage: flag provided but not defined: -csv; see --help\n"},
		{"bad language", []string{"--lang", "fr"}, 2, "nearby: bad usage: --lang: invalid value: language \"fr\": want zh or en\n"},
		{"bad date", []string{"--on", "2026-02-30"}, 2, "nearby: bad usage: --on: date \"2026-02-30\": want YYYY-MM-DD, a real calendar date: invalid value\n"},
		{"argument", []string{"王建国"}, 2, "nearby: bad usage: unexpected argument \"王建国\": the district is built in; see --help\n"},
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
	assert.True(t, strings.HasPrefix(out, "usage: go run ./examples/nearby [--on YYYY-MM-DD] [--lang zh|en] [--json]\n"), out)
	assert.Contains(t, out, "-on YYYY-MM-DD")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := runArgs(t, ctx, "--on", "2026-11-28")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "nearby: context canceled\n", errOut)
}
