package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// typed finds what an ambiguity error says to type for each match.
var typed = regexp.MustCompile(`输入 ([0-9a-f-]{8,36})`)

// TestCadresByName: a name only one cadre has works wherever a cadre is
// named; a name two cadres share is refused with both, told apart by
// community, birth year and masked ID number, each with a prefix to type
// that then works.
func TestCadresByName(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	first := testkit.IDNumberFor("370102", "19440315", 1)
	second := testkit.IDNumberFor("370102", "19510702", 2)
	idOne := o.addCadre("张志强", first, "sy")
	idTwo := o.addCadre("张志强", second, "gsq")
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19470101", 3), "sy")

	show := o.ok("cadre", "show", "王建国")
	assert.Contains(t, show, "王建国")
	assert.Contains(t, o.ok("cadre", "edit", "王 建国", "--phone", "13800000000"), "已保存", "spaces in a name do not matter")

	res := o.run("cadre", "show", "张志强")
	assert.Equal(t, 1, res.code)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
	assert.Contains(t, res.stderr, "有 2 个干部叫 张志强")
	assert.Contains(t, res.stderr, "1944 年生")
	assert.Contains(t, res.stderr, "1951 年生")
	assert.Contains(t, res.stderr, cadre.MaskIDNumber(first))
	assert.Contains(t, res.stderr, cadre.MaskIDNumber(second))
	assert.NotContains(t, res.stderr, first, "the ID number is masked")
	refs := typed.FindAllStringSubmatch(res.stderr, -1)
	require.Len(t, refs, 2, res.stderr)
	for i, want := range []string{idOne, idTwo} {
		ref := refs[i][1]
		assert.True(t, strings.HasPrefix(want, ref), "%s names %s", ref, want)
		var c map[string]any
		o.okJSON(&c, "cadre", "show", ref)
		assert.Equal(t, want, c["id"], "what the error says to type names that cadre")
	}
	en := o.run("cadre", "show", "张志强", "--lang", "en")
	assert.Contains(t, en.stderr, "2 cadres are called 张志强")
	assert.Contains(t, en.stderr, "born 1944")

	res = o.run("cadre", "show", "无此人")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有叫 无此人 的干部")
	assert.Contains(t, res.stderr, "cadre search")

	// The list shows what to type: a shared name is followed by the
	// prefix the error gave, a unique name is what to type.
	list := o.ok("cadre", "list")
	for _, ref := range refs {
		assert.Contains(t, list, "张志强 "+ref[1]+" ", "the list shows the prefix the error gave")
	}
	assert.Contains(t, list, "同名的记录后面是它的编号")
	for _, line := range strings.Split(list, "\n") {
		if strings.Contains(line, "王建国") {
			assert.Equal(t, 1, strings.Count(line, "王建国"), line)
			assert.NotContains(t, line, idOne[:8]+" ", "no prefix after a unique name")
		}
	}
}

// TestHelpersVenuesAndBranchesByName: helpers, venues and branches are
// named by name; helpers made in the same minute share the first 8
// characters of their ids, and the error gives a longer prefix that works.
func TestHelpersVenuesAndBranchesByName(t *testing.T) {
	h := newVenueHub(t, newHubDB(t, t.TempDir()))
	var ids []string
	for range 2 {
		var j map[string]any
		okJSON(t, &j, hubArgs(h.db, "helper", "add", "--name", "刘洋", "--from", "2026-01-01")...)
		ids = append(ids, j["id"].(string))
	}
	require.Equal(t, ids[0][:8], ids[1][:8], "UUID v7 ids made together share their start")
	res := wx(t, hubArgs(h.db, "helper", "end", "刘洋", "--on", "2026-12-01")...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "有 2 个帮扶人叫 刘洋")
	refs := typed.FindAllStringSubmatch(res.stderr, -1)
	require.Len(t, refs, 2, res.stderr)
	assert.Greater(t, len(refs[0][1]), 8, "a longer prefix where 8 characters name both")
	res = wx(t, hubArgs(h.db, "helper", "end", ids[0][:8], "--on", "2026-12-01")...)
	assert.Contains(t, res.stderr, refs[0][1], "an ambiguous prefix lists the same refs")
	var ended map[string]any
	okJSON(t, &ended, hubArgs(h.db, "helper", "end", refs[1][1], "--on", "2026-12-01")...)
	assert.Equal(t, ids[1], ended["helper"].(map[string]any)["id"])

	h.add(t, "舜园社区老干部活动室", "--kind", "活动室", "--community", "sy", "--services", "activities")
	out := ok(t, hubArgs(h.db, "venue", "close", "舜园社区老干部活动室", "--on", "2026-12-01")...)
	assert.Contains(t, out, "已记录 舜园社区老干部活动室 自 2026-12-01 起关闭")

	o := newBranchOffice(t)
	var show map[string]any
	o.okJSON(&show, "branch", "show", "舜园社区离退休干部党支部", "--on", "2026-11-20")
	assert.Equal(t, o.branchID, show["branch"].(map[string]any)["id"])
}

// TestSearchSaysWhenItShowsPart: pinyin initials find a name, and a
// search that stops at its limit says how many it found in all, in text
// and in JSON.
func TestSearchSaysWhenItShowsPart(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	o.addCadre("张志强", testkit.IDNumberFor("370102", "19440315", 1), "sy")
	for i := range 4 {
		o.addCadre(fmt.Sprintf("王%s", []string{"一", "二", "三", "四"}[i]), testkit.IDNumberFor("370102", "19500101", 10+i), "sy")
	}

	var found map[string]any
	o.okJSON(&found, "cadre", "search", "zzq")
	cs := found["cadres"].([]any)
	require.Len(t, cs, 1)
	assert.Equal(t, "张志强", cs[0].(map[string]any)["name"])
	assert.Contains(t, o.ok("cadre", "search", "zzq"), "张志强")

	out := o.ok("cadre", "search", "王", "--limit", "3")
	assert.Contains(t, out, "显示前 3 条，共 4 条；用 --limit 调整")
	o.okJSON(&found, "cadre", "search", "王", "--limit", "3")
	assert.Equal(t, float64(4), found["total"])
	assert.Equal(t, float64(3), found["shown"])
	assert.Equal(t, true, found["partial"])
	assert.Len(t, found["cadres"], 3)

	out = o.ok("cadre", "search", "王")
	assert.NotContains(t, out, "显示前", "all shown: nothing to say")
	assert.Contains(t, o.ok("cadre", "search", "王", "--limit", "3", "--lang", "en"), "showing the first 3 of 4")
}
