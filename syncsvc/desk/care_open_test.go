package desk_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func TestParseCivilTime(t *testing.T) {
	for _, s := range []string{"2026-11-28 09:30", "2026-11-28T09:30", " 2026-11-28   09:30 "} {
		got, err := desk.ParseCivilTime(s)
		require.NoError(t, err, s)
		assert.True(t, got.Equal(time.Date(2026, 11, 28, 9, 30, 0, 0, syncsvc.Shanghai())), s)
	}
	_, err := desk.ParseCivilTime("28/11/2026")
	require.ErrorIs(t, err, desk.ErrBadTime)
	assert.Contains(t, cadre.Describe(err, cadre.Chinese), "北京时间")
}

func TestOpenCareWork(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	a, b := register(t, r, 31, "sy"), register(t, r, 32, "sy")
	today := desk.Today(testNow)

	_, err := desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: a.ID, On: today.AddDays(-9)})
	require.NoError(t, err)
	_, err = desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: b.ID, On: today.AddDays(-20)})
	require.NoError(t, err)
	_, err = desk.DischargeFromHospital(ctx, r, testNow, desk.StayInput{CadreID: b.ID, On: today.AddDays(-2)})
	require.NoError(t, err)
	in, total, err := desk.InHospital(ctx, r, today, 0)
	require.NoError(t, err)
	require.Len(t, in, 1, "a discharged stay is not open")
	assert.Equal(t, 1, total)
	assert.Equal(t, a.Name, in[0].Cadre.Name)
	assert.Equal(t, 9, in[0].Days)
	in, _, err = desk.InHospital(ctx, r, today.AddDays(-10), 0)
	require.NoError(t, err)
	assert.Len(t, in, 1, "on a day before the admission only b was in")
	assert.Equal(t, b.Name, in[0].Cadre.Name)

	_, err = desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: a.ID, Kind: care.VisitHospital, On: today.AddDays(-8)})
	require.NoError(t, err)
	_, err = desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: b.ID, Kind: care.VisitCall, On: today.AddDays(-1), Notes: "精神好"})
	require.NoError(t, err)
	vs, total, err := desk.ListVisits(ctx, r, store.VisitFilter{From: today.AddDays(-30)}, 0)
	require.NoError(t, err)
	require.Len(t, vs, 2)
	assert.Equal(t, 2, total)
	one, total, err := desk.ListVisits(ctx, r, store.VisitFilter{From: today.AddDays(-30)}, 1)
	require.NoError(t, err)
	assert.Len(t, one, 1, "at most the limit")
	assert.Equal(t, 2, total, "and the count of all")
	assert.Equal(t, b.Name, one[0].Cadre.Name, "the latest")
	assert.Equal(t, b.Name, vs[0].Cadre.Name, "the latest first")
	assert.Equal(t, "精神好", vs[0].Visit.Notes)
	assert.Empty(t, vs[0].ByName, "someone not on the helper list")

	urgent, err := desk.OpenHelpCase(ctx, r, testNow, desk.HelpOpening{CadreID: a.ID, Kind: care.HelpMedical, Urgent: true, At: testNow.Add(-30 * time.Hour)})
	require.NoError(t, err)
	calm, err := desk.OpenHelpCase(ctx, r, testNow, desk.HelpOpening{CadreID: b.ID, Kind: care.HelpHousekeeping, At: testNow.Add(-48 * time.Hour)})
	require.NoError(t, err)
	done, err := desk.OpenHelpCase(ctx, r, testNow, desk.HelpOpening{CadreID: b.ID, Kind: care.HelpEconomic})
	require.NoError(t, err)
	_, err = desk.CloseHelpCase(ctx, r, testNow, desk.HelpClosing{CaseID: done.ID, Status: care.HelpResolved, Resolution: "已办"})
	require.NoError(t, err)
	open, err := desk.OpenHelpCases(ctx, r, testNow, 0)
	require.NoError(t, err)
	require.Len(t, open.Cases, 2, "closed cases are not open")
	few, err := desk.OpenHelpCases(ctx, r, testNow, 1)
	require.NoError(t, err)
	require.Len(t, few.Cases, 1, "the urgent case nobody acted on, within the limit")
	assert.Equal(t, urgent.ID, few.Cases[0].Case.ID)
	assert.Equal(t, 1, few.Hidden)
	assert.Equal(t, urgent.ID, open.Cases[0].Case.ID, "the urgent case nobody acted on comes first")
	assert.True(t, open.Cases[0].Unattended)
	assert.Equal(t, a.Name, open.Cases[0].Cadre.Name)
	assert.Equal(t, calm.ID, open.Cases[1].Case.ID)
	assert.False(t, open.Cases[1].Unattended)

	v, err := desk.ShowHelpCase(ctx, r, testNow, urgent.ID)
	require.NoError(t, err)
	assert.True(t, v.Unattended)
	assert.True(t, v.Cadre.Held)
	_, err = desk.ActOnHelpCase(ctx, r, testNow, desk.HelpAction{CaseID: urgent.ID, Note: "已联系医院"})
	require.NoError(t, err)
	v, err = desk.ShowHelpCase(ctx, r, testNow, urgent.ID)
	require.NoError(t, err)
	assert.False(t, v.Unattended, "acted on")
	assert.Equal(t, care.HelpInProgress, v.Case.Status)
}
