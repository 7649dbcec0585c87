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
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/examples/demo"
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
