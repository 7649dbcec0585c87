package desk_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report"
)

func TestReportKindsOfEachRole(t *testing.T) {
	hub, office := desk.ReportKinds(syncsvc.RoleHub), desk.ReportKinds(syncsvc.RoleOffice)
	assert.Equal(t, report.AllKinds(), hub)
	assert.NotContains(t, office, report.Sync, "the sync summary is the hub's")
	assert.Len(t, office, len(hub)-1)

	r := openReplica(t, syncsvc.RoleOffice)
	register(t, r, 7, "sy")
	reps, err := desk.BuildReports(ctx, r, desk.ReportRequest{Kinds: office, On: desk.Today(testNow), Now: testNow})
	require.NoError(t, err)
	require.Len(t, reps, len(office), "an office makes every report it lists")
	assert.Equal(t, report.Visits, reps[0].Kind)
}
