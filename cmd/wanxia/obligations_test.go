package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestAnOfficesFirstDayListsNoOldDebts: on the day an office starts and
// registers its cadres, visit due lists what is really due from then on —
// no 重阳节 visit of 2026-10-18, no contact for October — while an office
// that registered the same cadres in September owes them.
func TestAnOfficesFirstDayListsNoOldDebts(t *testing.T) {
	people := []struct {
		name, birth string
		seq         int
		extra       []string
	}{
		{"周桂兰", "19520418", 4, []string{"--health", "serious"}},
		{"王建国", "19400315", 1, []string{"--category", "lixiu"}},
		{"曹秀珍", "19361205", 2, nil}, // 90 on 2026-12-05
		{"马学军", "19461120", 5, nil}, // 80 on 2026-11-20, before the office began
	}
	start := func(day string) *office {
		o := &office{t: t, db: t.TempDir() + "/sy-1.db"}
		okAt(t, testAt(day), "office", "init", "--db", o.db, "--hub", "http://127.0.0.1:1", "--office", "sy-1", "--token", "sy-1.secret")
		for _, p := range people {
			o.okAt(day, append([]string{"cadre", "add"}, cadreArgs(p.name, testkit.IDNumberFor("370102", p.birth, p.seq), "sy", p.extra...)...)...)
		}
		return o
	}
	dues := func(o *office) []dueItem {
		var out []dueItem
		o.okJSON(&out, "visit", "due", "--on", "2026-11-28")
		return out
	}

	first := start("2026-11-28")
	got := dues(first)
	for _, d := range got {
		assert.False(t, d.Overdue, "first day: %s of %s due %s is not overdue", d.Kind, d.Name, d.DueOn)
		assert.NotEqual(t, "double_ninth", d.Kind, "重阳节 came before %s was registered", d.Name)
	}
	assert.Equal(t, []string{"待走访 逢十寿辰（90岁） 曹秀珍 2026-12-05"}, brief(got),
		"only the birthday still to come; 马学军's 80th was before registration")
	out := first.ok("visit", "due", "--on", "2026-11-28")
	assert.Contains(t, out, "逾期 0 项")

	// The same cadres, registered on 1 September, owe the Double Ninth.
	earlier := dues(start("2026-09-01"))
	var overdue []string
	for _, d := range earlier {
		if d.Overdue {
			overdue = append(overdue, d.KindLabel+" "+d.Name+" "+d.DueOn)
		}
	}
	assert.ElementsMatch(t, []string{
		"重阳节走访 周桂兰 2026-10-18", "重阳节走访 王建国 2026-10-18", "重阳节走访 曹秀珍 2026-10-18",
		"重阳节走访 马学军 2026-10-18", "逢十寿辰（80岁） 马学军 2026-11-20",
	}, overdue)
}

// TestLateEntriesAreDueFromTheirEntry: an admission entered days after it
// happened is due three days from its entry, not overdue the moment it is
// entered; a cadre entered as already dead is owed no condolence.
func TestLateEntriesAreDueFromTheirEntry(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.secret", "http://127.0.0.1:1")
	who := testkit.IDNumberFor("370102", "19520418", 4)
	o.okAt("2026-09-01", append([]string{"cadre", "add"}, cadreArgs("周桂兰", who, "sy")...)...)

	out := o.ok("hospital", "admit", who, "--on", "2026-11-20") // entered on 11-28
	assert.Contains(t, out, "应于 2026-12-01 前住院探望")
	var stay map[string]any
	res := o.ok("hospital", "discharge", who, "--on", "2026-11-28", "--json")
	require.NoError(t, json.Unmarshal([]byte(res), &stay))
	assert.Equal(t, "2026-12-05", stay["due"].(map[string]any)["due_on"])

	var ds []dueItem
	o.okJSON(&ds, "visit", "due", "--on", "2026-11-29")
	for _, d := range ds {
		assert.False(t, d.Overdue && d.StayID != "", "%s due %s", d.Kind, d.DueOn)
	}

	o.ok(append([]string{"cadre", "add"}, cadreArgs("刘淑芬", testkit.IDNumberFor("370102", "19410203", 6), "sy", "--status", "deceased", "--status-on", "2026-11-20")...)...)
	out = o.ok("visit", "due", "--on", "2026-11-28", "--json")
	assert.False(t, strings.Contains(out, "刘淑芬"), "registered after her death: no condolence owed\n%s", out)
}
