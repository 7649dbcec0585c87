package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDistrictSettingsReachTheOffices changes three settings at the hub;
// after its next sync the office computes with them: four nearby within
// the new walking radius, helpers' capacity, and the urgent help cases
// flagged after the new number of hours.
func TestDistrictSettingsReachTheOffices(t *testing.T) {
	o := newNearbyOffice(t)
	hubDB := o.hub.db
	var before nearbyOut
	o.okJSON(&before, "nearby", o.ids["王建国"], "--on", "2026-11-28")
	assert.Equal(t, []string{"activities", "role"}, before.Covered, "434 m is within the default 500 m")
	ok(t, hubArgs(hubDB, "helper", "add", "--name", "王立军", "--from", "2026-10-01")...)
	o.ok("sync")
	var helpers []map[string]any
	o.okJSON(&helpers, "helper", "list")
	require.Len(t, helpers, 1)
	assert.Equal(t, float64(5), helpers[0]["capacity"], "1对5 by default")
	o.ok("help", "open", o.ids["王建国"], "--kind", "medical", "--urgent", "--at", "2026-11-27 08:00")
	var help helpList
	o.okJSON(&help, "help", "list")
	assert.Equal(t, 1, help.Unattended, "26 hours without action, past the default 24")

	out := ok(t, hubArgs(hubDB, "setting", "set", "venue.radius_metres", "400")...)
	assert.Contains(t, out, "已保存：venue.radius_metres（就近步行距离（米））= 400（默认 500）；各办公室下次同步后生效")
	ok(t, hubArgs(hubDB, "setting", "set", "pairing.capacity", "3")...)
	ok(t, hubArgs(hubDB, "setting", "set", "help.urgent_within_hours", "48")...)
	assert.Contains(t, ok(t, hubArgs(hubDB, "setting", "set", "pairing.capacity", "3")...), "没有变化")

	// Before the sync the office still has the old settings.
	o.okJSON(&help, "help", "list")
	assert.Equal(t, 1, help.Unattended)
	o.ok("sync")

	var after nearbyOut
	o.okJSON(&after, "nearby", o.ids["王建国"], "--on", "2026-11-28")
	assert.Empty(t, after.Covered, "434 m is beyond 400 m")
	assert.Equal(t, []string{"learning", "activities", "care", "role"}, after.Missing)
	o.okJSON(&helpers, "helper", "list")
	assert.Equal(t, float64(3), helpers[0]["capacity"])
	o.okJSON(&help, "help", "list")
	assert.Equal(t, 0, help.Unattended, "26 hours is within 48")

	var list []settingJSON
	o.okJSON(&list, "setting", "list")
	set := map[string]string{}
	for _, s := range list {
		if s.Set {
			set[s.Key] = s.Value + "/" + s.Default
		}
	}
	assert.Equal(t, map[string]string{"venue.radius_metres": "400/500", "pairing.capacity": "3/5", "help.urgent_within_hours": "48/24"}, set)

	// Reset gives the default back, everywhere after a sync.
	ok(t, hubArgs(hubDB, "setting", "reset", "venue.radius_metres")...)
	o.ok("sync")
	o.okJSON(&after, "nearby", o.ids["王建国"], "--on", "2026-11-28")
	assert.Equal(t, []string{"activities", "role"}, after.Covered)

	// Offices read settings; only the hub writes them.
	res := o.run("setting", "set", "pairing.capacity", "4")
	assert.Equal(t, 2, res.code)
}

func TestSettingValuesAreChecked(t *testing.T) {
	db := newHubDB(t, t.TempDir())
	ok(t, hubArgs(db, "office", "add", "--id", "sy", "--name", "舜园", "--communities", "sy")...)
	for _, c := range []struct{ key, value, want string }{
		{"pairing.capacity", "0", "不能小于 1（现为 0）"},
		{"pairing.capacity", "五", `"五" 不是整数`},
		{"dues.review_months", "2", "dues.review_months（2）不能少于 dues.reminder_months（3）"},
		{"venue.detour_factor", "0.5", "四就近规则不能用这个值"},
		{"policy.elderly_age", "200", "policy.elderly_age 应在 50 到 120 岁之间"},
		{"no.such", "1", "没有设置 no.such"},
	} {
		res := wx(t, hubArgs(db, "setting", "set", c.key, c.value)...)
		assert.Equal(t, 2, res.code, c.key)
		assert.Contains(t, res.stderr, c.want, c.key)
		assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %s", res.stderr)
	}
	res := wx(t, hubArgs(db, "setting", "set", "pairing.capacity", "0", "--lang", "en")...)
	assert.Contains(t, res.stderr, "setting pairing.capacity cannot take that value: must be at least 1 (not 0)")
	var list []settingJSON
	okJSON(t, &list, hubArgs(db, "setting", "list")...)
	for _, s := range list {
		assert.False(t, s.Set, "%s: nothing was stored", s.Key)
		assert.Equal(t, s.Default, s.Value)
	}
}
