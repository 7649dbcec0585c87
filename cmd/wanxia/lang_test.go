package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// What may stay in ASCII in Chinese output: command lines (wanxia …),
// flags, and the names and codes a clerk types or sees on screens.
var (
	commandLine = regexp.MustCompile(`wanxia(\s+[\x21-\x7e]+)*`)
	flagWord    = regexp.MustCompile(`--?[A-Za-z][\w-]*(=\S*)?`)
	allowed     = regexp.MustCompile(`\b(hub|CSV|Excel|JSON|UTF-8|GBK|GB18030|TLS|CA|RPC|UUID|ID|MiB|WGS-84|Connect|gRPC|gRPC-Web|SIGINT|SIGTERM|GOMEMLIMIT|WANXIA_TOKEN|YYYY-MM-DD|YYYY-MM|HH:MM)\b`)
	// englishRun is three or more ASCII words in a row, apart by spaces: an
	// English sentence (codes listed with bare commas are no sentence).
	englishRun = regexp.MustCompile(`[A-Za-z][A-Za-z']*([,;:]? +[A-Za-z][A-Za-z']*){2,}`)
)

// englishIn returns the English sentences in out, after what may stay in
// ASCII is taken away.
func englishIn(out string) []string {
	var found []string
	for _, line := range strings.Split(out, "\n") {
		s := commandLine.ReplaceAllString(line, " ")
		s = flagWord.ReplaceAllString(s, " ")
		s = allowed.ReplaceAllString(s, " ")
		if m := englishRun.FindString(s); m != "" {
			found = append(found, m+"   ← "+strings.TrimSpace(line))
		}
	}
	return found
}

// verbs returns the command path of every verb and group, without "wanxia".
func verbs() [][]string {
	var out [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		out = append(out, path)
		for _, s := range c.Commands() {
			walk(s, append(append([]string{}, path...), s.Name()))
		}
	}
	walk((&app{lang: cadre.Chinese}).rootCmd(), nil)
	return out
}

// TestHelpIsChinese: every verb's --help is Chinese by default, cobra's own
// words included, and English with --lang en.
func TestHelpIsChinese(t *testing.T) {
	require.NotEmpty(t, englishIn("错误：roster: no header row: the file is empty"), "the check finds English")
	require.Empty(t, englishIn("见 wanxia office cadre add --help；CSV 或 Excel，--services learning,activities"), "and allows command lines, flags and codes")
	all := verbs()
	require.Greater(t, len(all), 90, "the walk reaches every verb")
	for _, path := range all {
		name := "wanxia " + strings.Join(path, " ")
		zh := ok(t, append(path, "--help")...)
		assert.Empty(t, englishIn(zh), "%s --help has English:\n%s", name, zh)
		assert.Contains(t, zh, "用法：", name)
		assert.NotContains(t, zh, "Usage:", name)

		en := ok(t, append(path, "--help", "--lang", "en")...)
		assert.Contains(t, en, "Usage:", name)
		assert.Contains(t, en, "Flags:", name)
		assert.NotContains(t, en, "用法：", name)
	}
	en := ok(t, "office", "cadre", "add", "--help", "--lang=en")
	assert.Contains(t, en, "Register a cadre")
	assert.Contains(t, en, "help for wanxia office cadre add")
	zh := ok(t, "help", "office", "cadre", "add")
	assert.Contains(t, zh, "登记一名干部")
}

// TestFailuresAreChinese: what failing commands print is Chinese by
// default, saying what was wrong and what to do, and English with --lang en.
func TestFailuresAreChinese(t *testing.T) {
	dir := t.TempDir()
	file := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
	db := filepath.Join(dir, "office.db")
	ok(t, "office", "init", "--db", db, "--hub", "http://127.0.0.1:1", "--office", "o1", "--token", "x")
	hubDB := newHubDB(t, dir)
	ok(t, "hub", "office", "add", "--db", hubDB, "--id", "o1", "--name", "舜园", "--communities", "sy")
	id := testkit.IDNumberFor("370102", "19400501", 11)
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "taken.csv", "x"), 0o755))

	failing := [][]string{
		{"office", "visit", "due", "--on", "2026-13-01"},
		{"office", "dues", "pay", "x", "--months", "2026-13"},
		{"office", "help", "open", "x", "--at", "tomorrow"},
		{"office", "cadre", "add", "--category", "foo"},
		{"office", "cadre", "add", "--children-nearby", "maybe"},
		{"office", "cadre", "add", "--pension", "abc"},
		{"office", "cadre", "list", "--lang", "fr"},
		{"office", "dues", "pay", "x", "--months", "2026-01,2026-01"},
		{"office", "meeting", "add", "--absent", "nobody"},
		{"office", "report", "visits", "--format", "pdf"},
		{"hub", "venue", "add", "--services", "care,care"},
		{"office", "cadre", "list", "--no-such-flag"},
		{"office", "cadre", "show"},
		{"office", "nosuchverb"},
		{"office"},
		{"office", "cadre", "list", "--db", file("junk.db", "this is not a database")},
		{"office", "cadre", "list", "--db", filepath.Join(dir, "missing.db")},
		{"office", "cadre", "show", "01234567", "--db", db},
		{"office", "cadre", "add", "--name", "张三", "--db", db},
		{"office", "import", file("empty.csv", ""), "--db", db},
		{"office", "import", file("title.csv", "舜园社区离退休干部花名册\n姓名,社区\n王五,sy\n"), "--db", db}, // a title row, and no ID number column
		{"office", "import", file("nocolumn.csv", "姓名,社区\n张三,sy\n"), "--db", db},
		{"office", "import", file("bad.csv", "姓名,身份证号,社区,类别,离退休时间,健康状况\n张三,"+id+",sy,离休老同志,2009年13月31日,很好\n"), "--db", db},
		{"office", "import", filepath.Join(dir, "nofile.csv"), "--db", db},
		{"office", "export", filepath.Join(dir, "taken.csv"), "--db", db},
		{"hub", "merge", "list", "--db", filepath.Join(dir, "nohub.db")},
	}
	for _, args := range failing {
		name := "wanxia " + strings.Join(args, " ")
		res := wx(t, args...)
		require.NotEqual(t, 0, res.code, name)
		out := res.stdout + res.stderr
		assert.Empty(t, englishIn(out), "%s has English:\n%s", name, out)
		assert.Regexp(t, `(?m)^(错误|用法错误)：`, res.stderr, name)

		en := wx(t, append(args, "--lang", "en")...)
		assert.Equal(t, res.code, en.code, name)
		assert.Regexp(t, `(?m)^(error|usage): `, en.stderr, name)
	}

	bad := wx(t, "office", "import", filepath.Join(dir, "bad.csv"), "--db", db).stderr
	assert.Contains(t, bad, "离休、退休、军休", "a wrong category lists the accepted values")
	assert.Contains(t, bad, "2009年13月31日", "a wrong date names the value")
	assert.Contains(t, bad, "1990年5月1日", "and the accepted forms")
	assert.Contains(t, bad, "良好、慢性病、重病、失能", "a wrong health lists the accepted values")

	// The nightly merge's step details are stored in English (and so
	// printed by --json) and shown in Chinese.
	merge := ok(t, "hub", "merge", "--db", hubDB)
	assert.Empty(t, englishIn(merge), merge)
	assert.Contains(t, merge, "0 个办公室同步了，1 个没有")
	assert.Contains(t, ok(t, "hub", "merge", "list", "--db", hubDB, "--lang", "en"), "0 offices synced, 1 did not")
}
