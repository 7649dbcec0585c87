package branch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestTrainingDue(t *testing.T) {
	members := people("sy", 3, 3)
	ps := posts(members, testkit.Date("2025-06-01"), branch.RoleSecretary, branch.RoleDeputy)
	attended := []branch.TrainingAttendance{
		{ID: id("t1"), CadreID: members[0].ID, Course: "2025年支部书记培训班", On: testkit.Date("2025-10-10")},
		{ID: id("t2"), CadreID: members[0].ID, Course: "2026年支部书记培训班", On: testkit.Date("2026-09-18")},
		{ID: id("t3"), CadreID: members[1].ID, Course: "2026年支部书记培训班", On: testkit.Date("2026-09-18")},
	}
	for _, tc := range []struct {
		on   string
		done bool
	}{
		{"2026-09-17", false}, // not yet this year; last year's does not count
		{"2026-09-18", true},
		{"2026-12-31", true},
		{"2027-01-01", false}, // a new year, a new course due
	} {
		got := branch.TrainingDue(testBranch, ps, attended, testkit.Date(tc.on), branch.DefaultTrainingSettings())
		require.Len(t, got, 1, "only the secretary by default")
		assert.Equal(t, members[0].ID, got[0].CadreID)
		assert.Equal(t, tc.done, got[0].Done, tc.on)
		assert.Equal(t, testkit.Date(tc.on[:4]+"-12-31"), got[0].DueBy)
	}
	s := branch.DefaultTrainingSettings()
	s.Roles = append(s.Roles, branch.RoleDeputy)
	got := branch.TrainingDue(testBranch, ps, attended, testkit.Date("2026-10-01"), s)
	require.Len(t, got, 2)
	assert.Equal(t, branch.RoleSecretary, got[0].Role)
	assert.Equal(t, branch.RoleDeputy, got[1].Role)
	assert.True(t, got[1].Done)
}
