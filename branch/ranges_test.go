package branch_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestMembersDuring(t *testing.T) {
	a, b, c, gone := cadre.Cadre{ID: id("a"), Name: "甲"}, cadre.Cadre{ID: id("b"), Name: "乙"}, cadre.Cadre{ID: id("c"), Name: "丙"}, id("gone")
	known := map[uuid.UUID]cadre.Cadre{a.ID: a, b.ID: b, c.ID: c}
	ms := []branch.Membership{
		{CadreID: b.ID, From: testkit.Date("2026-03-31"), To: testkit.Date("2026-05-01")}, // March's last day to April's last
		{CadreID: a.ID, From: testkit.Date("2025-01-01")},                                 // open
		{CadreID: b.ID, From: testkit.Date("2026-05-01")},                                 // b again, after a move
		{CadreID: gone, From: testkit.Date("2025-01-01")},                                 // not held here
		{CadreID: c.ID, From: testkit.Date("2024-02-29"), To: testkit.Date("2026-03-01")}, // ends on March's first day
	}
	names := func(s cadre.Span) []string {
		var out []string
		for _, c := range branch.MembersDuring(ms, s, known) {
			out = append(out, c.Name)
		}
		return out
	}
	for _, tc := range []struct {
		first, last string
		want        []string
	}{
		{"2026-02-01", "2026-02-28", []string{"甲", "丙"}},
		{"2026-03-01", "2026-03-31", []string{"乙", "甲"}}, // c ended on the 1st; b began on the 31st
		{"2026-04-01", "2026-04-30", []string{"乙", "甲"}}, // once each
		{"2026-05-01", "2026-05-31", []string{"甲", "乙"}}, // b's first membership ended; the second holds
		{"2024-02-29", "2024-02-29", []string{"丙"}},      // a leap day, c's first
		{"2026-01-01", "2026-12-31", []string{"乙", "甲", "丙"}},
	} {
		got := names(cadre.Through(testkit.Date(tc.first), testkit.Date(tc.last)))
		assert.Equal(t, tc.want, got, "%s to %s", tc.first, tc.last)
	}
	assert.Empty(t, branch.MembersDuring(nil, cadre.Through(testkit.Date("2026-01-01"), testkit.Date("2026-12-31")), known))
}

func TestMonthSpan(t *testing.T) {
	for _, tc := range []struct{ month, from, to string }{
		{"2026-02", "2026-02-01", "2026-03-01"},
		{"2028-02", "2028-02-01", "2028-03-01"},
		{"2026-12", "2026-12-01", "2027-01-01"},
	} {
		m := month(t, tc.month)
		s := m.Span()
		assert.Equal(t, cadre.Span{From: testkit.Date(tc.from), To: testkit.Date(tc.to)}, s)
		assert.Equal(t, cadre.Through(m.First(), m.Last()), s)
		assert.True(t, s.Contains(m.Last()), "last day of %s", m)
		assert.False(t, s.Contains(m.Add(1).First()))
	}
	assert.True(t, month(t, "2028-02").Span().Contains(testkit.Date("2028-02-29")), "leap day")
}

func TestJoinMonths(t *testing.T) {
	for _, tc := range []struct {
		months []string
		want   string
	}{
		{nil, ""},
		{[]string{"2026-05"}, "2026-05"},
		{[]string{"2026-05", "2026-06"}, "2026-05—2026-06"},
		{[]string{"2026-01", "2026-04", "2026-05", "2026-06", "2026-09"}, "2026-01, 2026-04—2026-06, 2026-09"},
		{[]string{"2026-11", "2026-12", "2027-01", "2027-03"}, "2026-11—2027-01, 2027-03"}, // a run across the year's end
		{[]string{"2026-12", "2028-01"}, "2026-12, 2028-01"},                               // a year apart is no run
	} {
		ms := make([]branch.Month, len(tc.months))
		for i, s := range tc.months {
			ms[i] = month(t, s)
		}
		assert.Equal(t, tc.want, branch.JoinMonths(ms, ", "), "%v", tc.months)
	}
	ms := []branch.Month{month(t, "2026-01"), month(t, "2026-03")}
	assert.Equal(t, "2026-01、2026-03", branch.JoinMonths(ms, "、"))
}
