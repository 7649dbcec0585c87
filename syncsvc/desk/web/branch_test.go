package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// branchOf stores a community branch of sy whose members are cadres n of
// testkit, with pensions, members since 2026-06-01.
func branchOf(t *testing.T, s *served, ns ...int) (branch.Branch, []cadre.Cadre) {
	t.Helper()
	b := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: testkit.Date("2019-07-01")}
	_, err := s.rep.PutBranch(ctx, &b)
	require.NoError(t, err)
	var out []cadre.Cadre
	for _, n := range ns {
		c := testkit.Cadre(n, "sy")
		c.PensionFen = 600_000
		_, err := s.rep.PutCadre(ctx, &c)
		require.NoError(t, err)
		_, err = s.rep.PutMembership(ctx, &branch.Membership{CadreID: c.ID, BranchID: b.ID, From: testkit.Date("2026-06-01")})
		require.NoError(t, err)
		out = append(out, c)
	}
	return b, out
}

func TestBranchPageRecordsAMeetingStudyTakenHomeAndDues(t *testing.T) {
	s := officeOf(t, "sy")
	b, ms := branchOf(t, s, 1, 2, 3)
	id := b.ID.String()
	assert.Contains(t, s.get("/branch").body, `href="/branch/`+id+`"`)
	page := s.get("/branch/" + id)
	require.Equal(t, http.StatusOK, page.status)
	for _, c := range ms {
		assert.Contains(t, page.body, c.Name)
	}
	assert.Contains(t, page.body, "2026-06", "months unpaid since joining")

	form := url.Values{"meeting_kind": {"members_meeting"}, "meeting_on": {"2026-11-20"}, "meeting_topic": {"学习党章"}}
	for i, c := range ms {
		form.Add("member", c.ID.String())
		v := "present"
		if i == 2 {
			v = "health"
		}
		form.Set("att_"+c.ID.String(), v)
	}
	p := s.post("/branch/"+id+"/meeting", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	page = s.get(p.location)
	assert.Contains(t, page.body, "已记录：党员大会（2026-11-20）")
	ill := ms[2]
	assert.Regexp(t, regexp.MustCompile(`(?s)id="deliveries".*`+ill.Name), page.body, "the member absent ill is owed the study at home")
	meetings, err := s.rep.Meetings(ctx, store.MeetingFilter{BranchID: b.ID})
	require.NoError(t, err)
	require.Len(t, meetings, 1)
	p = s.post("/branch/"+id+"/deliver", url.Values{"meeting": {meetings[0].ID.String()}, "cadre": {ill.ID.String()}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Contains(t, s.get(p.location).body, "已记录："+ill.Name+" 送学上门（2026-11-28）")

	field := "months_" + ms[0].ID.String()
	p = s.post("/branch/"+id+"/dues", url.Values{"cadre": {ms[0].ID.String()}, field: {"2026-13"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "“2026-13”不是月份")
	p = s.post("/branch/"+id+"/dues", url.Values{"cadre": {ms[0].ID.String()}, field: {"2026-06,2026-07"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Contains(t, s.get(p.location).body, "缴纳党费 120.00 元（2 个月）")
	pays, err := s.rep.DuesPayments(ctx, ms[0].ID)
	require.NoError(t, err)
	require.Len(t, pays, 1)

	assess := s.get("/branch/" + id + "/assess?year=2026")
	require.Equal(t, http.StatusOK, assess.status)
	assert.Contains(t, assess.body, "五好")
	assert.Contains(t, assess.body, "由党组织评定授予")
	assert.NotContains(t, assess.body, "⟦")
}
