package branch_test

import (
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// wellRun returns a year's records of a branch of 8 members (7 full, so
// with a committee) that did everything: every meeting, every due, the
// secretary's training, the study taken to an ill member, good feedback.
func wellRun(t *testing.T) branch.AssessmentInput {
	members := people("sy", 8, 7)
	in := branch.AssessmentInput{
		Members:     members,
		Memberships: memberships(testBranch.ID, testkit.Date("2020-01-01"), members...),
		Posts:       posts(members, testkit.Date("2025-06-01"), branch.RoleSecretary, branch.RoleOrganisation, branch.RolePublicity, branch.RoleDiscipline),
		Training:    []branch.TrainingAttendance{{ID: id("t"), CadreID: members[0].ID, Course: "支部书记培训班", On: testkit.Date("2026-09-18")}},
		Feedback: []branch.Feedback{
			{ID: id("f1"), BranchID: testBranch.ID, On: testkit.Date("2026-06-01"), Good: true, Source: "社区居民座谈"},
			{ID: id("f2"), BranchID: testBranch.ID, On: testkit.Date("2026-12-01"), Good: true, Source: "社区居委会"},
		},
	}
	for m := branch.NewMonth(2026, time.January); m.Year == 2026; m = m.Add(1) {
		meet := func(k branch.MeetingKind) {
			in.Meetings = append(in.Meetings, meeting(t, k, m.First().AddDays(9), members))
		}
		meet(branch.MeetingThemeDay)
		meet(branch.MeetingCommittee)
		if m.Month%3 == 0 {
			meet(branch.MeetingMembers)
			meet(branch.MeetingLecture)
		}
		if m.Month == 12 {
			meet(branch.MeetingLifeMeeting)
			meet(branch.MeetingAppraisal)
		}
		for _, c := range members {
			in.Payments = append(in.Payments, branch.DuesPayment{ID: id(c.Name + m.String()), CadreID: c.ID, Months: []branch.Month{m}, AmountFen: 2000, PaidOn: m.First()})
		}
	}
	return in
}

// meeting is attended by everyone but the last member, who is ill and has
// the study brought home the same week.
func meeting(t *testing.T, k branch.MeetingKind, on cadre.Date, members []cadre.Cadre) branch.Meeting {
	m := branch.Meeting{ID: id(string(k) + on.String()), BranchID: testBranch.ID, Kind: k, On: on}
	for _, c := range members[:len(members)-1] {
		m.Attendance = append(m.Attendance, branch.Attendance{CadreID: c.ID, Present: true})
	}
	ill := members[len(members)-1]
	m.Attendance = append(m.Attendance, branch.Attendance{CadreID: ill.ID, Absence: branch.AbsenceHealth})
	m.Deliveries = []branch.Delivery{{CadreID: ill.ID, On: on.AddDays(3)}}
	return m
}

func criterion(a branch.Assessment, code string) branch.CriterionResult {
	for _, c := range a.Criteria {
		if c.Code == code {
			return c
		}
	}
	return branch.CriterionResult{}
}

func TestAssessFiveGood(t *testing.T) {
	in := wellRun(t)
	a := branch.Assess(testBranch, in, 2026, branch.FiveGood())
	for _, c := range a.Criteria {
		assert.Equal(t, branch.AssessMet, c.State, c.Name.Zh)
		assert.Equal(t, 100, c.Score, c.Name.Zh)
		for _, ir := range c.Indicators {
			assert.NotEmpty(t, ir.Evidence, "%s: evidence listed", ir.Measure)
		}
	}
	require.True(t, a.Met)
	assert.Equal(t, []string{"支部班子好", "党员队伍好", "组织设置好", "活动开展好", "群众反映好"},
		[]string{a.Criteria[0].Name.Zh, a.Criteria[1].Name.Zh, a.Criteria[2].Name.Zh, a.Criteria[3].Name.Zh, a.Criteria[4].Name.Zh})
	assert.Contains(t, a.Text.Zh, "供党组织研究决定")
	dues := criterion(a, "members").Indicators[0]
	assert.Equal(t, "应交96人·月，已交96人·月", dues.Evidence[0].Zh)
}

func TestAssessFromTheRecords(t *testing.T) {
	t.Run("no feedback recorded: cannot tell", func(t *testing.T) {
		in := wellRun(t)
		in.Feedback = nil
		a := branch.Assess(testBranch, in, 2026, branch.FiveGood())
		assert.Equal(t, branch.AssessUnknown, criterion(a, "feedback").State)
		assert.False(t, a.Met, "a criterion that cannot be told is not met")
	})
	t.Run("four theme days missed", func(t *testing.T) {
		in := wellRun(t)
		var kept []branch.Meeting
		for _, m := range in.Meetings {
			if m.Kind != branch.MeetingThemeDay || m.On.Month > 4 {
				kept = append(kept, m)
			}
		}
		in.Meetings = kept
		c := criterion(branch.Assess(testBranch, in, 2026, branch.FiveGood()), "activities")
		assert.Equal(t, branch.AssessNotMet, c.State)
		held := c.Indicators[0]
		assert.InDelta(t, 30.0/34, held.Value, 1e-9, "34 due: 12 theme days, 12 committee meetings, 4+4 quarterly, 2 yearly")
		var lines []string
		for _, e := range held.Evidence {
			lines = append(lines, e.Zh)
		}
		assert.Contains(t, lines, "主题党日：应开12次，已开8次；未开：2026-01、2026-02、2026-03、2026-04")
	})
	t.Run("a member three months behind", func(t *testing.T) {
		in := wellRun(t)
		late := in.Members[2].ID
		var kept []branch.DuesPayment
		for _, p := range in.Payments {
			if p.CadreID != late || p.Months[0].Month < 10 {
				kept = append(kept, p)
			}
		}
		in.Payments = kept
		c := criterion(branch.Assess(testBranch, in, 2026, branch.FiveGood()), "members")
		dues := c.Indicators[0]
		assert.InDelta(t, 93.0/96, dues.Value, 1e-9)
		assert.True(t, dues.Met, "above the 95 %% target")
		assert.Equal(t, "sy-002未交：2026-10、2026-11、2026-12", dues.Evidence[1].Zh)
	})
	t.Run("study not delivered", func(t *testing.T) {
		in := wellRun(t)
		in.Meetings[0].Deliveries = nil
		c := criterion(branch.Assess(testBranch, in, 2026, branch.FiveGood()), "activities")
		assert.Equal(t, branch.AssessNotMet, c.State)
		assert.False(t, c.Indicators[1].Met)
	})
	t.Run("mid-year: only what is due so far", func(t *testing.T) {
		in := wellRun(t)
		in.On = testkit.Date("2026-07-15")
		a := branch.Assess(testBranch, in, 2026, branch.FiveGood())
		held := criterion(a, "activities").Indicators[0]
		assert.Equal(t, 1.0, held.Value, "the yearly meetings of December are not yet missed")
		assert.Equal(t, branch.AssessNotMet, criterion(a, "committee").State, "trained in September, so not yet")
	})
}

func TestAssessLoadsAnotherSet(t *testing.T) {
	data, err := os.ReadFile("testdata/liuhao.json")
	require.NoError(t, err)
	set, err := branch.LoadCriteria(data)
	require.NoError(t, err)
	a := branch.Assess(testBranch, wellRun(t), 2026, set)
	require.Len(t, a.Criteria, 6)
	assert.Equal(t, "六好党支部（示例）", a.Set.Zh)
	assert.True(t, a.Met)
}

func TestLoadCriteriaRefusesWhatItCannotAssess(t *testing.T) {
	for _, tc := range []struct {
		json string
		want error
	}{
		{`{"name":{"zh":"x"},"criteria":[{"code":"a","name":{"zh":"a"},"indicators":[{"measure":"happiness","target":1}]}]}`, branch.ErrUnknownMeasure},
		{`{"name":{"zh":"x"},"criteria":[{"code":"a","name":{"zh":"a"},"indicators":[{"measure":"dues_paid","target":95}]}]}`, branch.ErrCriteria},
		{`{"name":{"zh":"x"},"criteria":[{"code":"a","name":{"zh":"a"},"indicators":[]}]}`, branch.ErrCriteria},
		{`{"name":{"zh":"x"},"criteria":[{"code":"a","name":{"zh":"a"},"indicators":[{"measure":"dues_paid","target":1}]},{"code":"a","name":{"zh":"b"},"indicators":[{"measure":"dues_paid","target":1}]}]}`, branch.ErrCriteria},
		{`{"name":{"zh":"x"},"criteria":[],"weights":[1]}`, branch.ErrCriteria},
		{`{"name":{"zh":"x"},"criteria":[]}`, branch.ErrCriteria},
		{`not json`, branch.ErrCriteria},
	} {
		_, err := branch.LoadCriteria([]byte(tc.json))
		assert.ErrorIs(t, err, tc.want, tc.json)
	}
	assert.NoError(t, branch.FiveGood().Validate())
}
