package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/spf13/cobra"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBadUsageExitsTwoWithOneLine(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	id := testkit.IDNumberFor("370102", "19440315", 1)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no verb", []string{}, "hub、office"},
		{"unknown verb", []string{"hub", "offce", "list"}, "office"},
		{"unknown flag", []string{"office", "cadre", "list", "--bogus", "--db", o.db}, "--bogus"},
		{"missing --name", append([]string{"office", "cadre", "add", "--db", o.db}, cadreArgs("王建国", id, "sy")[2:]...), "--name"},
		{"missing argument", []string{"office", "cadre", "show", "--db", o.db}, "REF"},
		{"extra argument", []string{"office", "cadre", "list", "extra", "--db", o.db}, "extra"},
		{"bad enum value", append([]string{"office", "cadre", "add", "--db", o.db, "--gender", "x"}, cadreArgs("王建国", id, "sy")...), "--gender"},
		{"bad date", append([]string{"office", "cadre", "add", "--db", o.db, "--retired-on", "2004/13/01"}, cadreArgs("王建国", id, "sy")[:12]...), "--retired-on"},
		{"bad pension", append([]string{"office", "cadre", "add", "--db", o.db, "--pension", "5123.456"}, cadreArgs("王建国", id, "sy")...), "--pension"},
		{"lat without lng", append([]string{"office", "cadre", "add", "--db", o.db, "--lat", "36.6"}, cadreArgs("王建国", id, "sy")...), "--lng"},
		{"bad language", []string{"office", "cadre", "list", "--lang", "fr", "--db", o.db}, "--lang"},
		{"flag needs a value", []string{"office", "cadre", "list", "--db"}, "--db"},
		{"short reference", []string{"office", "cadre", "show", "01ab", "--db", o.db}, "8"},
		{"keep and value", []string{"office", "conflict", "resolve", "01234567", "--keep", "current", "--value", "x", "--db", o.db}, "--keep"},
		{"bad log format", []string{"hub", "serve", "--log-format", "xml", "--db", filepath.Join(t.TempDir(), "hub.db")}, "--log-format"},
		{"bad merge time", []string{"hub", "serve", "--merge-at", "25:00", "--db", filepath.Join(t.TempDir(), "hub.db")}, "--merge-at"},
		{"export to another format", []string{"office", "export", "roster.txt", "--db", o.db}, ".xlsx"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := wx(t, tc.args...)
			assert.Equal(t, 2, res.code, res.stderr)
			assert.Empty(t, res.stdout)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.Contains(t, res.stderr, tc.want)
			assert.Contains(t, res.stderr, "--help", "says where to look")
		})
	}
	res := wx(t, "--lang", "en", "office", "cadre", "list", "--bogus")
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "usage: unknown flag --bogus; see wanxia office cadre list --help")
}

func TestHelpOnEveryVerb(t *testing.T) {
	var paths [][]string
	var walk func(prefix []string, cmds []*cobra.Command)
	walk = func(prefix []string, cmds []*cobra.Command) {
		for _, c := range cmds {
			if c.Name() == "help" {
				continue
			}
			p := append(append([]string(nil), prefix...), c.Name())
			paths = append(paths, p)
			walk(p, c.Commands())
		}
	}
	walk(nil, (&app{}).rootCmd().Commands())
	require.Greater(t, len(paths), 30)
	for _, p := range paths {
		res := wx(t, append(p, "--help")...)
		assert.Equal(t, 0, res.code, p)
		assert.Contains(t, res.stdout, "用法：", p)
	}
}

func TestCadreRoundTrip(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	wangID, liID := testkit.IDNumberFor("370102", "19440315", 1), testkit.IDNumberFor("370102", "19450601", 2)

	var empty []any
	o.okJSON(&empty, "cadre", "list")
	require.NotNil(t, empty, "an empty list is [] in JSON")
	assert.Empty(t, empty)
	assert.Equal(t, "[]\n", o.ok("cadre", "list", "--json"))
	assert.Contains(t, o.ok("cadre", "list"), "没有干部")

	out := o.ok(append([]string{"cadre", "add"}, cadreArgs("王建国", wangID, "sy", "--pension", "5123.40", "--lat", "36.65", "--lng", "117.0", "--phone", "0531-86001234")...)...)
	assert.Contains(t, out, "已登记干部 王建国")
	li := o.addCadre("李秀英", liID, "sy", "--gender", "女", "--living", "family")

	// Lists mask the ID number, in both languages.
	list := o.ok("cadre", "list")
	assert.Contains(t, list, "姓名")
	assert.Contains(t, list, "370102********")
	assert.NotContains(t, list, wangID)
	assert.Contains(t, list, "退休")
	en := o.ok("cadre", "list", "--lang", "en")
	assert.Contains(t, en, "name")
	assert.Contains(t, en, "retired")
	assert.NotContains(t, en, "退休")
	assert.NotContains(t, en, wangID)

	// JSON has the contract's keys and full ID numbers.
	var cadres []map[string]any
	o.okJSON(&cadres, "cadre", "list")
	require.Len(t, cadres, 2)
	assert.ElementsMatch(t, []string{"王建国", "李秀英"}, names(t, cadres))
	for _, key := range []string{"id", "name", "gender", "id_number", "birth_date", "category", "retired_on", "rank", "party",
		"party_joined_on", "health", "living", "children_nearby", "living_difficulty", "community", "address", "lat", "lng",
		"phone", "emergency_contact", "original_unit", "pension_fen", "status", "status_on"} {
		assert.Contains(t, cadres[0], key)
	}
	var wang map[string]any
	o.okJSON(&wang, "cadre", "show", wangID)
	assert.Equal(t, wangID, wang["id_number"])
	assert.Equal(t, "1944-03-15", wang["birth_date"], "from the ID number")
	assert.Equal(t, "male", wang["gender"])
	assert.Equal(t, float64(512340), wang["pension_fen"])
	assert.Equal(t, 36.65, wang["lat"])
	wangUUID := wang["id"].(string)

	// show gives the ID number in full; REF is a UUID, a long enough
	// prefix, or an ID number; flags before or after the argument.
	show := o.ok("cadre", "show", wangUUID)
	assert.Contains(t, show, wangID)
	assert.Contains(t, show, "5123.40")
	assert.Contains(t, o.ok("cadre", "show", "--lang", "en", wangUUID[:24]), "emergency_contact")
	res := o.run("cadre", "show", "ffffffff")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有干部")
	if wangUUID[:8] == li[:8] {
		res = o.run("cadre", "show", wangUUID[:8])
		assert.Equal(t, 1, res.code, "ambiguous prefix")
		assert.Contains(t, res.stderr, "多给几个字符")
	}

	// Edit changes only the flags given; the same edit again changes nothing.
	assert.Contains(t, o.ok("cadre", "edit", wangID, "--phone", "13800000000"), "已保存")
	assert.Contains(t, o.ok("cadre", "edit", "--phone", "13800000000", wangID), "没有变化")
	o.okJSON(&wang, "cadre", "show", wangUUID)
	assert.Equal(t, "13800000000", wang["phone"])
	assert.Equal(t, float64(512340), wang["pension_fen"], "untouched")
	assert.Equal(t, 36.65, wang["lat"], "untouched")
	o.ok("cadre", "edit", wangUUID, "--address", "舜园小区3号楼")
	o.okJSON(&wang, "cadre", "show", wangUUID)
	assert.Nil(t, wang["lat"], "a new address without coordinates drops the old position")
	o.ok("cadre", "edit", wangUUID, "--status", "去世", "--status-on", "2026-10-01")
	o.okJSON(&cadres, "cadre", "list", "--status", "active")
	assert.Equal(t, []string{"李秀英"}, names(t, cadres))

	// --community moves the cadre.
	o.ok("cadre", "edit", li, "--community", "gsq")
	o.okJSON(&cadres, "cadre", "list", "--community", "gsq")
	assert.Equal(t, []string{"李秀英"}, names(t, cadres))

	// Search by name or ID number prefix (the cadres found, with how many
	// in all).
	var found struct {
		Total  int              `json:"total"`
		Cadres []map[string]any `json:"cadres"`
	}
	o.okJSON(&found, "cadre", "search", "秀")
	assert.Equal(t, []string{"李秀英"}, names(t, found.Cadres))
	o.okJSON(&found, "cadre", "search", wangID[:10])
	assert.Equal(t, []string{"王建国"}, names(t, found.Cadres))
	assert.Equal(t, 1, found.Total)
	search := o.ok("cadre", "search", "王")
	assert.Contains(t, search, "王建国")
	assert.NotContains(t, search, wangID)
	assert.Contains(t, o.ok("cadre", "search", "赵", "--json"), `"cadres": []`)

	// Remove needs a reason; the record is then gone from lists.
	res = o.run("cadre", "remove", li)
	assert.Equal(t, 2, res.code)
	assert.Contains(t, res.stderr, "--reason")
	var removed map[string]any
	o.okJSON(&removed, "cadre", "remove", li, "--reason", "重复录入")
	assert.Equal(t, true, removed["removed"])
	o.okJSON(&cadres, "cadre", "list")
	assert.Equal(t, []string{"王建国"}, names(t, cadres))
	res = o.run("cadre", "show", li)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "误录")
}

func TestInvalidCadreExitsOneNamingTheField(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	id := testkit.IDNumberFor("370102", "19440315", 1) // a man's number

	res := o.run(append([]string{"cadre", "add", "--gender", "女"}, cadreArgs("王建国", id, "sy")...)...)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	assert.Contains(t, res.stderr, "性别：与身份证号不符")

	res = o.run(append([]string{"cadre", "add", "--lang", "en"}, cadreArgs("王建国", id, "sy", "--retired-on", "2999-01-01")...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "retired_on")

	bad := id[:17] + string("0123456789"[(int(id[17]-'0')+1)%10])
	if id[17] == 'X' {
		bad = id[:17] + "0"
	}
	res = o.run(append([]string{"cadre", "add"}, cadreArgs("王建国", bad, "sy")...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "身份证号")
	assert.NotContains(t, res.stderr, "出生日期", "the birth date comes from the number")

	o.addCadre("王建国", id, "sy")
	res = o.run(append([]string{"cadre", "add"}, cadreArgs("王建国", id, "sy")...)...)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "已经登记")

	var list []json.RawMessage
	o.okJSON(&list, "cadre", "list")
	assert.Len(t, list, 1, "nothing invalid was stored")
}
