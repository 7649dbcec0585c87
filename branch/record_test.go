package branch_test

import (
	"encoding/json"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// fields returns the fields a validation error names, or nil for no error.
func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *cadre.ValidationError
	require.ErrorAs(t, err, &ve)
	return ve.Fields()
}

func TestValidateRecords(t *testing.T) {
	from := testkit.Date("2020-01-01")
	for _, tc := range []struct {
		name string
		err  error
		want []string
	}{
		{"branch ok", testBranch.Validate(), nil},
		{"branch", branch.Branch{Kind: branch.KindJoint, Communities: []string{"Bad Code"}}.Validate(), []string{"id", "name", "communities"}},
		{"unit branch without units", branch.Branch{ID: id("b"), Name: "x", Kind: branch.KindUnit}.Validate(), []string{"units"}},
		{"membership ok", branch.Membership{CadreID: id("c"), BranchID: id("b"), From: from}.Validate(), nil},
		{"membership", branch.Membership{From: from, To: from}.Validate(), []string{"cadre_id", "branch_id", "to"}},
		{"post", branch.Post{BranchID: id("b"), CadreID: id("c"), Role: "chair"}.Validate(), []string{"role", "term_start"}},
		{"community ok", community("sy", 36.6).Validate(), nil},
		{"community", branch.Community{Code: "district", Centre: &cadre.Location{Lat: 91}}.Validate(), []string{"code", "name", "centre"}},
		{"training", branch.TrainingAttendance{CadreID: id("c")}.Validate(), []string{"course", "on"}},
		{"feedback", branch.Feedback{BranchID: id("b"), On: from}.Validate(), []string{"source"}},
		{"payment ok", branch.DuesPayment{CadreID: id("c"), Months: []branch.Month{month(t, "2026-01")}, AmountFen: 2000, PaidOn: from}.Validate(), nil},
		{"payment", branch.DuesPayment{CadreID: id("c"), Months: []branch.Month{month(t, "2026-01"), month(t, "2026-01")}, PaidOn: from}.Validate(), []string{"months", "amount_fen"}},
		{"relief ok", branch.DuesRelief{CadreID: id("c"), From: month(t, "2026-01"), Exempt: true, ApprovedBy: "支部委员会", ApprovedOn: from}.Validate(), nil},
		{"relief", branch.DuesRelief{CadreID: id("c"), From: month(t, "2026-03"), To: month(t, "2026-01"), ApprovedOn: from}.Validate(), []string{"to", "reduced_fen", "approved_by"}},
		{"relief both", branch.DuesRelief{CadreID: id("c"), From: month(t, "2026-03"), Exempt: true, ReducedFen: 100, ApprovedBy: "x", ApprovedOn: from}.Validate(), []string{"reduced_fen"}},
	} {
		assert.Equal(t, tc.want, fields(t, tc.err), tc.name)
	}
	err := branch.Membership{From: from, To: from}.Validate()
	assert.ErrorIs(t, err, cadre.ErrRequired)
	assert.ErrorIs(t, err, cadre.ErrOrder)
}

func TestEnumsParseCodesAndLabels(t *testing.T) {
	k, err := branch.ParseKind("联合党支部")
	require.NoError(t, err)
	assert.Equal(t, branch.KindJoint, k)
	r, err := branch.ParseRole("SECRETARY")
	require.NoError(t, err)
	assert.Equal(t, "书记", r.Label(cadre.Chinese))
	mk, err := branch.ParseMeetingKind("主题党日")
	require.NoError(t, err)
	assert.Equal(t, "theme Party day", mk.Label(cadre.English))
	a, err := branch.ParseAbsence("外出")
	require.NoError(t, err)
	assert.Equal(t, branch.AbsenceAway, a)
	m, err := branch.ParseMeasure("按月交纳党费")
	require.NoError(t, err)
	assert.Equal(t, branch.MeasureDuesPaid, m)
	_, err = branch.ParseKind("club")
	assert.ErrorIs(t, err, cadre.ErrInvalid)

	var p branch.Post
	require.NoError(t, json.Unmarshal([]byte(`{"role":"组织委员","term_start":"2025-06-01"}`), &p))
	assert.Equal(t, branch.RoleOrganisation, p.Role)
	assert.Equal(t, "联合党支部", branch.KindJoint.Label(cadre.Chinese))
	assert.Equal(t, "提请组织处理", branch.ActionReview.Label(cadre.Chinese))
	assert.Equal(t, "Chinese", branch.Text{Zh: "中文", En: "Chinese"}.In(cadre.English))
}

func TestMonth(t *testing.T) {
	m := month(t, "2026-12")
	assert.Equal(t, "2027-01", m.Add(1).String())
	assert.Equal(t, "2025-12", m.Add(-12).String())
	assert.Equal(t, testkit.Date("2026-12-31"), m.Last())
	assert.Equal(t, testkit.Date("2028-02-29"), month(t, "2028-02").Last())
	assert.True(t, m.Contains(testkit.Date("2026-12-01")))
	assert.True(t, m.After(month(t, "2026-11")))
	assert.Equal(t, branch.NewMonth(2027, 1), branch.NewMonth(2026, 13))
	for _, bad := range []string{"2026-13", "2026/01", "26-01", ""} {
		_, err := branch.ParseMonth(bad)
		assert.ErrorIs(t, err, cadre.ErrInvalid, bad)
	}
	b, err := json.Marshal(branch.DuesPayment{Months: []branch.Month{m}})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"months":["2026-12"]`)
	var back branch.DuesPayment
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, []branch.Month{m}, back.Months)
}

func TestPlanNamesManyParts(t *testing.T) {
	p := plan(branch.PlanInput{Cadres: people("sy", 530, 530), Communities: []branch.Community{community("sy", 36.6)}})
	require.Len(t, p.Branches, 11)
	var names []string
	ids := map[uuid.UUID]bool{}
	for _, b := range p.Branches {
		names = append(names, b.Branch.Name)
		ids[b.Branch.ID] = true
	}
	assert.Contains(t, names, "sy社区离退休干部第一党支部")
	assert.Contains(t, names, "sy社区离退休干部第十一党支部")
	assert.Len(t, ids, 11)
}
