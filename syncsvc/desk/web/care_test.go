package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestCareRecordsAVisitAHospitalStayAndAHelpCase(t *testing.T) {
	s := officeOf(t, "sy")
	wang := testkit.Wang()
	_, err := s.rep.PutCadre(ctx, &wang)
	require.NoError(t, err)

	p := s.post("/care/visit", url.Values{"visit_cadre": {"王建国"}, "visit_kind": {"home"}, "visit_on": {"2026年11月30日"}, "visit_notes": {"身体尚可"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "日期晚于今天", "a visit to come is refused")
	assert.Contains(t, p.body, `value="王建国"`, "what was typed is kept")
	assert.Contains(t, p.body, "身体尚可")

	p = s.post("/care/visit", url.Values{"visit_cadre": {"王建国"}, "visit_kind": {"home"}, "visit_on": {"2026/11/27"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	assert.Contains(t, s.get(p.location).body, "已记录：王建国，入户走访（2026-11-27）")
	vs, err := s.rep.Visits(ctx, store.VisitFilter{CadreID: wang.ID})
	require.NoError(t, err)
	require.Len(t, vs, 1)
	assert.Equal(t, care.VisitHome, vs[0].Kind)

	p = s.post("/care/visit", url.Values{"visit_cadre": {"李四"}, "visit_kind": {"home"}, "visit_on": {"2026-11-27"}})
	assert.Contains(t, p.body, "本机没有干部“李四”")

	p = s.post("/care/stay", url.Values{"stay_cadre": {wang.IDNumber}, "stay_on": {"2026-11-20"}, "stay": {"discharge"}})
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "这位干部没有在住院")
	p = s.post("/care/stay", url.Values{"stay_cadre": {wang.IDNumber}, "stay_on": {"2026-11-20"}, "stay": {"admit"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	stays, err := s.rep.HospitalStays(ctx, wang.ID)
	require.NoError(t, err)
	assert.Len(t, stays, 1)

	p = s.post("/care/help", url.Values{"help_cadre": {"王建国"}, "help_kind": {"medical"}, "help_urgent": {"yes"}, "help_note": {"需要陪同就医"}})
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	page := s.get("/care")
	assert.Contains(t, page.body, "需要陪同就医")
	cases, err := s.rep.HelpCases(ctx, store.HelpFilter{CadreID: wang.ID})
	require.NoError(t, err)
	require.Len(t, cases, 1)
	id := cases[0].ID.String()
	require.Equal(t, http.StatusSeeOther, s.post("/care/help/"+id+"/act", url.Values{"note": {"已联系家属"}}).status)
	require.Equal(t, http.StatusSeeOther, s.post("/care/help/"+id+"/close", url.Values{"resolution": {"已陪同就医"}, "status": {"resolved"}}).status)
	cases, err = s.rep.HelpCases(ctx, store.HelpFilter{CadreID: wang.ID})
	require.NoError(t, err)
	assert.Equal(t, care.HelpResolved, cases[0].Status)
	assert.Contains(t, cases[0].Note, "已联系家属")
	assert.Contains(t, s.get("/care").body, "没有未结案的求助")
}
