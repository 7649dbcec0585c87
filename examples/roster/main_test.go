package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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

// lineOf returns the line of out that starts with prefix.
func lineOf(t *testing.T, out, prefix string) string {
	t.Helper()
	for l := range strings.Lines(out) {
		if strings.HasPrefix(l, prefix) {
			return strings.TrimSuffix(l, "\n")
		}
	}
	t.Fatalf("no line starts with %q in:\n%s", prefix, out)
	return ""
}

var fullID = regexp.MustCompile(`\d{17}[\dX]`)

func TestSampleChinese(t *testing.T) {
	code, out, errOut := runArgs(t, context.Background(), "--on", "2026-11-28")
	require.Equal(t, 0, code, "broken rows are reported, not a failure: %s", errOut)
	assert.Empty(t, errOut)

	assert.Equal(t, "内置示例名单，截至 2026-11-28", lineOf(t, out, "内置示例名单"))
	assert.Equal(t, "合格 60 行，有误 5 行；第1档 10 人、第2档 13 人、第3档 5 人、第4档 2 人、第5档 8 人、第0档 22 人",
		lineOf(t, out, "合格"))

	for name, want := range map[string]string{
		"孙振华": "孙振华  dm  98岁  370112********5877  第1档  离休干部",
		"周桂兰": "周桂兰  dm  74岁  370103********2960  第2档  重病或失能",
		"赵德明": "赵德明  gsq  85岁  370103********2393  第3档  高龄独居或空巢、高龄",
		"钱淑芬": "钱淑芬  sy  70岁  370103********1181  第4档  生活困难",
		"吴国庆": "吴国庆  dm  83岁  370102********4433  第5档  高龄",
		"郑丽华": "郑丽华  dm  66岁  370103********7828  第0档  无需结对",
		"冯志刚": "冯志刚  sy  91岁  370102********0954  第0档  无需结对（去世 2025-12-03）",
		"陈玉梅": "陈玉梅  gsq  78岁  370112********4223  第0档  无需结对（迁出 2026-05-20）",
	} {
		assert.Equal(t, want, lineOf(t, out, name+"  "))
	}

	for _, want := range []string{
		"第 62 行 身份证号: 身份证号校验位不符，可能有数字录错，请对照身份证逐位核对",
		"第 63 行 身份证号: 身份证号第7–14位不是有效的出生日期",
		"第 64 行 身份证号: Excel 把身份证号存成了数字，末几位已丢失：把身份证号一列设置为文本（设置单元格格式 → 文本）后重新录入",
		"第 65 行 姓名: 必填",
		"第 66 行 离退休时间: 离退休时间 1949-10-01 不在出生日期之后",
	} {
		assert.Contains(t, out, want)
	}
	assert.Equal(t, 5, strings.Count(out, "第 "), "one line per broken row")
	assert.NotRegexp(t, fullID, out)
}

func TestSampleSortedByTier(t *testing.T) {
	_, out, _ := runArgs(t, context.Background(), "--on", "2026-11-28")
	tierOf := regexp.MustCompile(`  第(\d)档  `)
	var tiers []string
	for l := range strings.Lines(out) {
		if m := tierOf.FindStringSubmatch(l); m != nil {
			tiers = append(tiers, m[1])
		}
	}
	require.Len(t, tiers, 60)
	order := strings.Join(tiers, "")
	assert.Regexp(t, `^1+2+3+4+5+0+$`, order, "tier 1 first, tier 0 last")
	// Within a tier, names are in pinyin order: 高 gāo, 何 hé, 李 lǐ.
	assert.Less(t, strings.Index(out, "高兰英"), strings.Index(out, "何惠敏"))
	assert.Less(t, strings.Index(out, "何锡山"), strings.Index(out, "李佩玉"))
}

func TestSampleEnglish(t *testing.T) {
	code, out, _ := runArgs(t, context.Background(), "--lang", "en", "--on", "2026-11-28")
	require.Equal(t, 0, code)
	assert.Equal(t, "the built-in sample roster, as of 2026-11-28", lineOf(t, out, "the built-in"))
	assert.Equal(t, "60 good rows, 5 bad rows; tier 1: 10, tier 2: 13, tier 3: 5, tier 4: 2, tier 5: 8, tier 0: 22",
		lineOf(t, out, "60 good rows"))
	assert.Equal(t, "孙振华  dm  age 98  370112********5877  tier 1  pre-1949 veteran (lixiu)", lineOf(t, out, "孙振华"))
	assert.Equal(t, "冯志刚  sy  age 91  370102********0954  tier 0  no pair needed (deceased 2025-12-03)", lineOf(t, out, "冯志刚"))
	assert.Contains(t, out, "line 64 id_number: invalid resident ID number: Excel stored it as a number")
	assert.Contains(t, out, "line 65 name: is required")
	assert.NotRegexp(t, fullID, out)
}

func TestFileArgument(t *testing.T) {
	path := filepath.Join(t.TempDir(), "roster.csv")
	csv := "社区,姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,备注\n" +
		"sy,孙振华,370102192809010037,离休,1988-10-01,科级,正式党员,良好,独居,\n" +
		"sy,李秀英,370103195006120021,退休,2005-07-01,其他,非党员,良好,与子女同住,\n" +
		"sy,王建国,370102194403150012,退休,2004/4/1,科级,正式党员,良好,独居,外出\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))

	code, out, errOut := runArgs(t, context.Background(), path, "--lang", "en", "--on", "2026-11-28")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "ignored unknown columns: [备注]\n", errOut)
	assert.Equal(t, fmt.Sprintf("%s, as of 2026-11-28\n", path)+
		"孙振华  sy  age 98  370102********0037  tier 1  pre-1949 veteran (lixiu), aged and living alone\n"+
		"王建国  sy  age 82  370102********0012  tier 3  aged and living alone, aged\n"+
		"李秀英  sy  age 76  370103********0021  tier 0  no pair needed\n"+
		"3 good rows, 0 bad rows; tier 1: 1, tier 2: 0, tier 3: 1, tier 4: 0, tier 5: 0, tier 0: 1\n", out)
}

func TestExitCodes(t *testing.T) {
	notCSV := filepath.Join(t.TempDir(), "book.xlsx")
	require.NoError(t, os.WriteFile(notCSV, []byte("PK\x03\x04"), 0o600))
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown flag", []string{"--json"}, 2, "roster: bad usage: flag provided but not defined: -json; see --help\n"},
		{"bad language", []string{"--lang", "fr"}, 2, "roster: bad usage: --lang: invalid value: language \"fr\": want zh or en\n"},
		{"bad date", []string{"--on", "2026-02-30"}, 2, "roster: bad usage: --on: date \"2026-02-30\": want YYYY-MM-DD, a real calendar date: invalid value\n"},
		{"two files", []string{"a.csv", "b.csv"}, 2, "roster: bad usage: one roster file at a time, not 2\n"},
		{"missing file", []string{"no-such-roster.csv"}, 1, "roster: opening the roster: open no-such-roster.csv: no such file or directory\n"},
		{"not a CSV file", []string{notCSV}, 1, "roster: reading " + notCSV + ": roster: not a CSV file: this is an .xlsx workbook; save it as CSV or import it as .xlsx\n"},
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
	assert.True(t, strings.HasPrefix(out, "usage: go run ./examples/roster [--on YYYY-MM-DD] [--lang zh|en] [FILE.csv]\n"), out)
	assert.Contains(t, out, "-on YYYY-MM-DD")
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	code, out, errOut := runArgs(t, ctx, "--on", "2026-11-28")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "context canceled")
}

func TestDefaultDateIsToday(t *testing.T) {
	before := demo.Today()
	code, out, _ := runArgs(t, context.Background())
	require.Equal(t, 0, code)
	after := demo.Today()
	heading := lineOf(t, out, "内置示例名单")
	// Either date is right when the test runs across midnight in Shanghai.
	assert.True(t, strings.HasSuffix(heading, before.String()) || strings.HasSuffix(heading, after.String()), heading)
}
