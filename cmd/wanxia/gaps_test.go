package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAddACadreWithOnlyNameIDNumberAndCommunity(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	id := testkit.IDNumberFor("370102", "19400501", 11)
	var c map[string]any
	o.okJSON(&c, "cadre", "add", "--name", "张志强", "--id-number", id, "--community", "sy")
	for _, k := range []string{"category", "retired_on", "rank", "party", "health", "living"} {
		assert.Equal(t, "", c[k], "%s is stored as unknown, not a default", k)
	}
	assert.Equal(t, "active", c["status"])
	assert.Equal(t, "1940-05-01", c["birth_date"], "from the ID number")
	assert.Equal(t, "male", c["gender"])

	shown := o.ok("cadre", "show", id)
	assert.Contains(t, shown, "未填")
	assert.Contains(t, ok(t, "--lang", "en", "office", "cadre", "show", id, "--db", o.db), "unknown")

	res := o.run("cadre", "add", "--name", "李四", "--id-number", testkit.IDNumberFor("370102", "19450101", 12))
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "--community", "the community is still required")

	// The completeness report lists him for a first home visit.
	var rep map[string]any
	o.okJSON(&rep, "report", "completeness", "--on", "2026-11-28", "--json")
	tables := rep["tables"].([]any)
	who := tables[0].(map[string]any)
	assert.Equal(t, "gaps", who["key"])
	require.Len(t, who["rows"], 1)
	text := o.ok("report", "completeness", "--on", "2026-11-28")
	assert.Contains(t, text, "张志强")
	assert.Contains(t, text, "需入户了解")
	assert.Contains(t, ok(t, "--lang", "en", "office", "report", "completeness", "--on", "2026-11-28", "--db", o.db), "first home visit")
}

func TestImportAcceptsRowsWithGapsAndKeepsWhatIsKnown(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	known := testkit.IDNumberFor("370102", "19440315", 13)
	o.addCadre("王建国", known, "sy")
	path := filepath.Join(t.TempDir(), "roster.csv")
	csv := "姓名,身份证号,社区,类别,离退休时间,健康状况\n" +
		"张志强," + testkit.IDNumberFor("370102", "19400501", 11) + ",sy,,,\n" +
		"王建国," + known + ",sy,,,重病\n" +
		"王\u200b六," + testkit.IDNumberFor("370102", "19500101", 14) + ",sy,,,\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	res := o.run("import", path, "--json")
	assert.Equal(t, 1, res.code, res.stderr)
	var out importJSON
	require.NoError(t, json.Unmarshal([]byte(res.stdout), &out))
	assert.Equal(t, 1, out.Added, "a row with only name, ID number and community is kept")
	assert.Equal(t, 1, out.Updated)
	require.Len(t, out.Errors, 1)
	assert.Equal(t, 4, out.Errors[0].Line)
	assert.Equal(t, "name", out.Errors[0].Field)
	assert.Contains(t, out.Errors[0].Message, "零宽空格", "an invisible character is refused with its place")

	var c map[string]any
	o.okJSON(&c, "cadre", "show", known, "--json")
	assert.Equal(t, "tuixiu", c["category"], "an empty cell keeps what is known")
	assert.Equal(t, "2004-04-01", c["retired_on"])
	assert.Equal(t, "serious", c["health"], "a filled cell updates")
}

func TestUnsafeTextIsRefusedByTheCommand(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	res := o.run(append([]string{"cadre", "add"}, cadreArgs("王六", testkit.IDNumberFor("370102", "19440315", 1), "sy", "--address", "舜园路\x1b[2J1号")...)...)
	assert.Equal(t, 1, res.code)
	assert.True(t, strings.HasPrefix(res.stderr, "错误："), res.stderr)
	assert.Contains(t, res.stderr, "住址")
	assert.Contains(t, res.stderr, "ESC")
	res = wx(t, append([]string{"--lang", "en", "office", "cadre", "add", "--db", o.db}, cadreArgs("王六", testkit.IDNumberFor("370102", "19440315", 1), "sy", "--name", "王\u200b六")...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "zero-width space")
	assert.Contains(t, o.ok("cadre", "list"), "没有干部")
}

// A field that was known can be set back to unknown (未填), say when it
// was entered wrongly and nobody knows the right answer yet; a value that
// is neither a label nor 未填 is still refused.
func TestEditSetsAFieldBackToUnknown(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	id := testkit.IDNumberFor("370102", "19400501", 11)
	o.ok("cadre", "add", "--name", "李秀英", "--id-number", id, "--community", "sy", "--health", "良好", "--rank", "科级")
	o.ok("cadre", "edit", id, "--health", "未填", "--rank", "unknown")
	var c map[string]any
	o.okJSON(&c, "cadre", "show", id)
	assert.Equal(t, "", c["health"], "health is unknown again")
	assert.Equal(t, "", c["rank"], "rank is unknown again")
	res := o.run("cadre", "edit", id, "--health", "还行")
	assert.Equal(t, 2, res.code, res.stderr)
}
