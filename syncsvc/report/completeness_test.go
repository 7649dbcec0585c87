package report_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestCompletenessListsWhoLacksWhatMostNeededFirst(t *testing.T) {
	r := testkit.OpenHub(t)
	for _, code := range []string{"sy", "gsq"} {
		require.NoError(t, r.SetCommunity(ctx, store.Community{Code: code, Name: code + "社区"}))
	}
	put := func(c cadre.Cadre) cadre.Cadre {
		t.Helper()
		c.Normalize()
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
		return c
	}
	complete := testkit.Wang()
	complete.PensionFen, complete.EmergencyContact, complete.OriginalUnit = 512340, "王小明", "济南市财政局"
	put(complete)
	// Only who they are: 86 years old, could be 离休 (tier 1).
	bare := put(cadre.Cadre{Name: "张志强", IDNumber: testkit.IDNumberFor("370102", "19400501", 11), Community: "sy"})
	// 离休 already (tier 1): the unknown health cannot raise the tier.
	lixiu := testkit.Wang()
	lixiu.Name, lixiu.IDNumber, lixiu.BirthDate, lixiu.Gender = "高兰英", testkit.IDNumberFor("370102", "19300101", 22), cadre.Date{}, ""
	lixiu.Category, lixiu.Health, lixiu.Phone = cadre.Lixiu, "", ""
	put(lixiu)
	// Only the phone is missing.
	phone := testkit.Wang()
	phone.Name, phone.IDNumber, phone.BirthDate, phone.Gender = "李秀英", testkit.IDNumberFor("370102", "19500612", 2), cadre.Date{}, ""
	phone.PensionFen, phone.EmergencyContact, phone.OriginalUnit, phone.Phone = 400000, "李明", "市委", ""
	put(phone)
	// In gsq: 退休, aged 70, health unknown: could be tier 2.
	young := testkit.Cadre(3, "gsq")
	young.Health = ""
	young = put(young)
	// Died: not listed whatever it lacks.
	dead := cadre.Cadre{Name: "赵志刚", IDNumber: testkit.IDNumberFor("370102", "19350101", 31), Community: "sy", Status: cadre.StatusDeceased, StatusOn: testkit.Date("2026-01-01")}
	put(dead)

	rep, err := report.Build(ctx, r, report.Completeness, report.Options{On: testkit.Today()})
	require.NoError(t, err)
	who := table(t, rep, "gaps")
	var names []string
	for _, row := range rows(who) {
		names = append(names, row[0].(string)+" "+row[1].(string))
	}
	assert.Equal(t, []string{"gsq " + young.Name, "sy 张志强", "sy 高兰英", "sy 李秀英"}, names,
		"by community, then who a first visit could put in a higher tier, then the most needed field")
	first := rows(who)[1]
	assert.Equal(t, cadre.MaskIDNumber(bare.IDNumber), first[2])
	assert.Equal(t, int64(86), first[3])
	assert.Equal(t, true, first[4])
	assert.Equal(t, "离休干部、重病或失能、高龄独居或空巢、高龄", first[5])
	assert.True(t, len(first[6].(string)) > 0 && first[6].(string)[:len("健康状况")] == "健康状况", first[6])
	assert.Equal(t, false, rows(who)[2][4], "a 离休 cadre is tier 1 already")
	assert.Equal(t, "电话", rows(who)[3][6])
	assert.Equal(t, "在册 5 名，信息齐全 1 名，有未填项 4 名；其中 2 名的健康、类别或居住情况可能使其进入更高的结对等级，请先入户了解", who.Summary.Zh)

	byField := table(t, rep, "fields")
	got := map[string]int64{}
	for _, row := range rows(byField) {
		got[row[0].(string)+"/"+row[1].(string)] = row[2].(int64)
	}
	assert.Equal(t, int64(2), got["sy/health"])
	assert.Equal(t, int64(1), got["gsq/health"])
	assert.Equal(t, int64(3), got["sy/phone"])
	assert.Equal(t, int64(1), got["gsq/phone"], "testkit's cadre has no phone")

	office := report.Options{On: testkit.Today(), Communities: []string{"gsq"}}
	rep, err = report.Build(ctx, r, report.Completeness, office)
	require.NoError(t, err)
	assert.Len(t, table(t, rep, "gaps").Rows, 1, "one community's report holds its own cadres")
}
