package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/examples/demo"
)

// planOn is the date the tests plan for: the records stand as in late
// November 2026.
var planOn = cadre.NewDate(2026, 11, 28)

// runArgs runs the program as the command line args would and returns its
// exit code, stdout and stderr.
func runArgs(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := command.ExitCode(run(ctx, args, &stdout, &stderr), &stderr)
	return code, stdout.String(), stderr.String()
}

// lineOf returns the line of out that starts with prefix, leading spaces
// ignored.
func lineOf(t *testing.T, out, prefix string) string {
	t.Helper()
	for l := range strings.Lines(out) {
		if strings.HasPrefix(strings.TrimLeft(l, " "), prefix) {
			return strings.TrimSpace(l)
		}
	}
	t.Fatalf("no line starts with %q in:\n%s", prefix, out)
	return ""
}

// planJSON runs the program with --json and decodes the report.
func planJSON(t *testing.T, args ...string) report {
	t.Helper()
	code, out, errOut := runArgs(t, context.Background(), append([]string{"--json", "--on", planOn.String()}, args...)...)
	require.Equal(t, 0, code, errOut)
	var rep report
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&rep))
	return rep
}

func TestEnglish(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "--lang", "en", "--on", "2026-11-28")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "Proposed Party branches of the sample district's retired cadres, as of 2026-11-28", lineOf(t, out, "Proposed"))
	assert.Equal(t, "经四路社区离退休干部党支部  joint branch  经四路社区 (jsl), 经五路社区 (jwl)  5 members (3 full)  changed",
		lineOf(t, out, "经四路社区离退休干部党支部  "))
	assert.Equal(t, "大明湖社区离退休干部党支部  community branch  大明湖社区 (dm)  10 members (9 full)  unchanged",
		lineOf(t, out, "大明湖社区离退休干部党支部  "))
	assert.Equal(t, "郭守仁: “经四路社区离退休干部党支部” → (membership ends). Died: the membership ends.", lineOf(t, out, "郭守仁: "))
	assert.Contains(t, out, "problem  term over: election due — the 3-year term from 2023-05-10 ended on 2026-05-10: an election is due\n")
	assert.Contains(t, lineOf(t, out, "冯学军  "), "6 months unpaid")
	assert.Contains(t, lineOf(t, out, "冯学军  "), "refer to the branch for handling: ")
	assert.Contains(t, lineOf(t, out, "朱翠萍  "), "dues 5.00 yuan a month (reduced; standard 16.00 yuan)")

	// Names stay Chinese; no label does. The branch names of this district
	// contain neither kind label.
	for _, zh := range []string{"社区党支部", "联合党支部", "不变", "调整", "新建", "问题", "提示", "未发现问题", "党费已按月交纳", "提请组织处理", "去世"} {
		assert.NotContains(t, out, zh)
	}
}

func TestJSONListsAreNeverNull(t *testing.T) {
	_, out, _ := runArgs(t, context.Background(), "--json", "--on", "2026-11-28")
	assert.NotContains(t, out, "null")
	var rep map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, []any{}, rep["dissolved"])
	assert.Equal(t, "2026-01", rep["dues_since"])

	en := planJSON(t, "--lang", "en")
	assert.Equal(t, cadre.English, en.Lang)
	assert.Equal(t, "community branch", en.Branches[0].KindLabel)
}

func TestDeterministic(t *testing.T) {
	for _, args := range [][]string{{"--on", "2026-11-28"}, {"--on", "2026-11-28", "--json"}, {"--lang", "en", "--on", "2026-11-28"}} {
		_, first, _ := runArgs(t, context.Background(), args...)
		_, second, _ := runArgs(t, context.Background(), args...)
		assert.Equal(t, first, second, args)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", []string{"--file", "x"}, 2, "branches: bad usage: flag provided but not defined: -file; see --help\n"},
		{"bad language", []string{"--lang", "fr"}, 2, "branches: bad usage: --lang: invalid value: language \"fr\": want zh or en\n"},
		{"bad date", []string{"--on", "2026-02-30"}, 2, "branches: bad usage: --on: date \"2026-02-30\": want YYYY-MM-DD, a real calendar date: invalid value\n"},
		{"argument", []string{"district.csv"}, 2, "branches: bad usage: unexpected argument \"district.csv\": the district is built in; see --help\n"},
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
	assert.True(t, strings.HasPrefix(out, "usage: go run ./examples/branches [--on YYYY-MM-DD] [--lang zh|en] [--json]\n"), out)
	assert.Contains(t, out, "-on YYYY-MM-DD")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := runArgs(t, ctx, "--on", "2026-11-28")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Equal(t, "branches: context canceled\n", errOut)
}

func TestDefaultDateIsToday(t *testing.T) {
	before := demo.Today()
	code, out, _ := runArgs(t, context.Background())
	require.Equal(t, 0, code)
	after := demo.Today()
	heading := lineOf(t, out, "示例城区")
	// Either date is right when the test runs across midnight in Shanghai.
	assert.True(t, strings.HasSuffix(heading, before.String()) || strings.HasSuffix(heading, after.String()), heading)
}
