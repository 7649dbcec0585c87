package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
)

// A value typed for a conflict that does not fit its field is refused
// beside it; one that fits is kept.
func TestConflictValueTypedIsCheckedThenKept(t *testing.T) {
	d := newDistrict(t)
	wang := registered(t, d.a.rep, named(1, "王建国"))[0]
	d.a.sync(t)
	d.b.sync(t)
	// In this order: on the district's ticking clock the later edit, b's,
	// is the value both keep until the conflict is resolved.
	for _, e := range []struct {
		o   *officeDesk
		cat cadre.Category
	}{{d.a, cadre.Lixiu}, {d.b, cadre.Junxiu}} {
		_, err := desk.EditCadre(ctx, e.o.rep, wang.ID, desk.CadreInput{Values: cadre.Cadre{Category: e.cat}, Set: []string{"category"}})
		require.NoError(t, err)
	}
	d.a.sync(t)
	d.b.sync(t)
	b := serve(t, d.b.rep, web.Options{})
	cs, err := b.rep.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
	require.NoError(t, err)
	require.Len(t, cs, 1)
	id := cs[0].ID.String()

	p := b.get("/conflicts")
	assert.Contains(t, p.body, "离休")
	assert.Contains(t, p.body, "军休")
	p = b.post("/conflicts/"+id, url.Values{"keep": {"value"}, "value": {"半休"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, `href="#f-value-`+id+`"`, "the problem links to the conflict's own field")
	got, err := b.rep.Cadre(ctx, wang.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.Junxiu, got.Category, "nothing written")
	p = b.post("/conflicts/"+id, url.Values{"keep": {"value"}, "value": {"退休"}})
	assert.Equal(t, http.StatusSeeOther, p.status)
	got, err = b.rep.Cadre(ctx, wang.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.Tuixiu, got.Category, "the value typed is kept")
	assert.Equal(t, http.StatusNotFound, b.post("/conflicts/0194d6c5-0000-7000-8000-000000000000", url.Values{"keep": {"current"}}).status)
	assert.NotContains(t, b.get("/conflicts?all=1").body, "⟦")
}

// Giving a refused record up needs a reason; with one, it leaves this
// computer and the refusal keeps the reason.
func TestDiscardARefusedRecordNeedsAReason(t *testing.T) {
	d := newDistrictWith(t, true)
	zhao := named(8, "赵志强")
	zhao.Community = "zzz"
	zhao = registered(t, d.a.rep, zhao)[0]
	res := d.a.sync(t)
	require.Equal(t, 1, res.Report.Refused)
	o := serve(t, d.a.rep, web.Options{})

	base := "/refused/" + zhao.ID.String()
	p := o.post(base+"/discard", url.Values{"reason": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "请写明为什么放弃这条记录")
	assert.Contains(t, p.body, `href="#f-reason-`+zhao.ID.String()+`"`)
	_, err := d.a.rep.Cadre(ctx, zhao.ID)
	require.NoError(t, err, "nothing given up without a reason")
	p = o.post(base+"/discard", url.Values{"reason": {"不是本社区的人，登记错了"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	_, err = d.a.rep.Cadre(ctx, zhao.ID)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "it left this computer")
	all, err := d.a.rep.RefusedRecords(ctx, true)
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, syncsvc.RefusalDiscarded, all[0].State)
	assert.Equal(t, "不是本社区的人，登记错了", all[0].Refusals[0].Note)
	assert.NotContains(t, o.get("/conflicts").body, "赵志强", "nothing waits")
}
