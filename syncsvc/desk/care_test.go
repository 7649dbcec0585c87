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
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestHospitalStayAndTheVisitThatCounts(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	c := register(t, r, 30, "shunyuan")
	admitted := desk.Today(testNow).AddDays(-1) // a hospital visit is listed while its window is open

	stay, err := desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: admitted})
	require.NoError(t, err)
	require.NotNil(t, stay.Due, "an admission makes a hospital visit due")
	assert.Equal(t, care.DueAdmission, stay.Due.Due.Kind)
	assert.Equal(t, stay.Stay.ID, stay.Due.Due.StayID)

	_, err = desk.AdmitToHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: admitted.AddDays(1)})
	assert.ErrorIs(t, err, desk.ErrStayOpen, "no second admission while the first stay is open")

	_, err = desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: c.ID, Kind: care.VisitHospital, On: cadre.NewDate(2026, 11, 29)})
	assert.ErrorIs(t, err, desk.ErrFuture)
	visit, err := desk.RecordVisit(ctx, r, testNow, desk.VisitInput{CadreID: c.ID, Kind: care.VisitHospital, On: admitted, Notes: " 带了水果 "})
	require.NoError(t, err)
	assert.Equal(t, "带了水果", visit.Visit.Notes)
	var kinds []care.DueKind
	for _, d := range visit.Satisfies {
		kinds = append(kinds, d.Due.Kind)
	}
	assert.Contains(t, kinds, care.DueAdmission, "the hospital visit counts for the admission")

	_, err = desk.DischargeFromHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: admitted.AddDays(-1)})
	assert.ErrorIs(t, err, desk.ErrBeforeAdmission)
	due, err := desk.VisitsDue(ctx, r, desk.Today(testNow), true)
	require.NoError(t, err)
	var made int
	for _, d := range due.Dues {
		if d.Due.SatisfiedBy != nil && d.Due.SatisfiedBy.ID == visit.Visit.ID {
			made++
		}
	}
	assert.Positive(t, made, "with all, the visits made are listed with the visit that counted")
	open, err := desk.VisitsDue(ctx, r, desk.Today(testNow), false)
	require.NoError(t, err)
	assert.Less(t, len(open.Dues), len(due.Dues), "without all, the visits made are left out")

	out, err := desk.DischargeFromHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: admitted.AddDays(1)})
	require.NoError(t, err)
	assert.Equal(t, admitted.AddDays(1), out.Stay.Discharged)
	require.NotNil(t, out.Due)
	assert.Equal(t, care.DueDischarge, out.Due.Due.Kind)
	_, err = desk.DischargeFromHospital(ctx, r, testNow, desk.StayInput{CadreID: c.ID, On: admitted.AddDays(1)})
	assert.ErrorIs(t, err, desk.ErrNoOpenStay)
}

func TestHelpCaseOpenActClose(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	c := register(t, r, 31, "shunyuan")
	opened := testNow.Add(-3 * time.Hour)

	_, err := desk.OpenHelpCase(ctx, r, testNow, desk.HelpOpening{CadreID: c.ID, Kind: care.HelpMedical, At: testNow.Add(time.Hour)})
	assert.ErrorIs(t, err, desk.ErrFuture)
	hc, err := desk.OpenHelpCase(ctx, r, testNow, desk.HelpOpening{CadreID: c.ID, Kind: care.HelpMedical, Urgent: true, At: opened, Note: "要陪诊"})
	require.NoError(t, err)
	assert.Equal(t, care.HelpOpen, hc.Status)
	late, err := desk.HelpCases(ctx, r, opened.Add(25*time.Hour), false)
	require.NoError(t, err)
	require.Len(t, late.Unattended, 1, "an urgent case nobody acted on within 24 hours comes first")
	assert.Empty(t, late.Others)
	assert.Equal(t, 24*time.Hour, late.UrgentWithin)

	_, err = desk.ActOnHelpCase(ctx, r, testNow, desk.HelpAction{CaseID: hc.ID, At: opened.Add(-time.Hour)})
	assert.ErrorIs(t, err, desk.ErrBeforeOpened)
	acted, err := desk.ActOnHelpCase(ctx, r, testNow, desk.HelpAction{CaseID: hc.ID, At: opened.Add(time.Hour), Note: "已联系医院"})
	require.NoError(t, err)
	assert.True(t, acted.First)
	assert.Equal(t, care.HelpInProgress, acted.Case.Status)
	assert.True(t, acted.Case.FirstActionAt.Equal(opened.Add(time.Hour)))
	assert.Equal(t, "要陪诊；2026-11-28 08:00 已联系医院", acted.Case.Note, "the action is added to the note after the time")

	_, err = desk.CloseHelpCase(ctx, r, testNow, desk.HelpClosing{CaseID: hc.ID, Status: care.HelpResolved, At: opened.Add(30 * time.Minute), Resolution: "x"})
	assert.ErrorIs(t, err, desk.ErrBeforeFirstAction)
	_, err = desk.CloseHelpCase(ctx, r, testNow, desk.HelpClosing{CaseID: hc.ID, Status: care.HelpOpen, Resolution: "x"})
	assert.ErrorIs(t, err, desk.ErrNotClosing)
	closed, err := desk.CloseHelpCase(ctx, r, testNow, desk.HelpClosing{CaseID: hc.ID, Status: care.HelpResolved, Resolution: "已陪诊"})
	require.NoError(t, err)
	assert.Equal(t, care.HelpResolved, closed.Case.Status)
	assert.True(t, closed.Case.Closed.Equal(testNow), "no time given: now")
	_, err = desk.ActOnHelpCase(ctx, r, testNow, desk.HelpAction{CaseID: hc.ID})
	assert.ErrorIs(t, err, desk.ErrCaseClosed)
	open, err := desk.HelpCases(ctx, r, testNow, true)
	require.NoError(t, err)
	assert.Empty(t, open.Others, "a closed case is left out of the open ones")
	all, err := desk.HelpCases(ctx, r, testNow, false)
	require.NoError(t, err)
	assert.Len(t, all.Others, 1)
}

func TestPairingProposedThenAppliedOnceAndHelperEnded(t *testing.T) {
	r := openReplica(t, syncsvc.RoleHub)
	on := desk.Today(testNow)
	c := testkit.Cadre(40, "shunyuan")
	c.Health = cadre.HealthSerious // tier 2: needs a pair
	c.Location = &cadre.Location{Lat: 36.65, Lng: 117.0}
	in := allFields(c)
	in.Set = append(in.Set, "lat", "lng")
	saved, err := desk.RegisterCadre(ctx, r, in)
	require.NoError(t, err)
	h, err := desk.AddHelper(ctx, r, desk.HelperInput{Name: " 李帮扶 ", Base: &cadre.Location{Lat: 36.66, Lng: 117.01}, From: on.AddDays(-30)})
	require.NoError(t, err)
	assert.Equal(t, "李帮扶", h.Helper.Name)
	assert.Equal(t, 5, h.Capacity, "the district's 1对5 capacity")

	p, err := desk.ProposePairing(ctx, r, desk.PairingRequest{On: on})
	require.NoError(t, err)
	require.Len(t, p.Result.Pairs, 1)
	assert.Equal(t, saved.Cadre.ID, p.Result.Pairs[0].CadreID)
	assert.True(t, p.Result.Pairs[0].New)
	ps, err := r.Pairs(ctx, store.PairFilter{})
	require.NoError(t, err)
	assert.Empty(t, ps, "a proposal writes nothing")

	written, err := desk.ApplyPairing(ctx, r, p)
	require.NoError(t, err)
	assert.Equal(t, 1, written.PairsCreated)
	again, err := desk.ApplyPairing(ctx, r, p)
	require.NoError(t, err)
	assert.Zero(t, again.PairsCreated, "the same pairing twice writes nothing the second time")

	listed, err := desk.Helpers(ctx, r, on, false)
	require.NoError(t, err)
	require.Len(t, listed, 1)
	assert.Equal(t, 1, listed[0].Pairs, "the helper's pair in force is counted")

	inForce, err := desk.PairsInForce(ctx, r, on)
	require.NoError(t, err)
	require.Len(t, inForce, 1)
	assert.Equal(t, "李帮扶", inForce[0].HelperName)
	assert.Equal(t, cadre.NeedSeriousHealth, inForce[0].Need)

	_, err = desk.EndHelper(ctx, r, desk.HelperEnd{HelperID: h.Helper.ID, On: on.AddDays(-31)})
	assert.ErrorIs(t, err, desk.ErrBeforeStart)
	ended, err := desk.EndHelper(ctx, r, desk.HelperEnd{HelperID: h.Helper.ID, On: on.AddDays(1)})
	require.NoError(t, err)
	assert.True(t, ended.Changed)
	require.Len(t, ended.Ended, 1)
	assert.Equal(t, care.EndHelperInactive, ended.Ended[0].EndReason)
	assert.Equal(t, on.AddDays(1), ended.Ended[0].To)
	_, err = desk.EndHelper(ctx, r, desk.HelperEnd{HelperID: h.Helper.ID, On: on.AddDays(2)})
	assert.ErrorIs(t, err, desk.ErrAlreadyLeft)
}
