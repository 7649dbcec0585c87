package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// editPhone changes a cadre's phone on an office, as the cadre page does.
func editPhone(t *testing.T, rep *store.Replica, c cadre.Cadre, phone string) {
	t.Helper()
	_, err := desk.EditCadre(ctx, rep, c.ID, desk.CadreInput{Values: cadre.Cadre{Phone: phone}, Set: []string{"phone"}})
	require.NoError(t, err)
}

// phoneOf is a cadre's phone as a replica holds it.
func phoneOf(t *testing.T, rep *store.Replica, c cadre.Cadre) string {
	t.Helper()
	got, err := rep.Cadre(ctx, c.ID)
	require.NoError(t, err)
	return got.Phone
}

// Two offices change the same cadre's phone, both sync, and the conflict
// appears on the second's desk with both values side by side; the clerk
// keeps the first office's value with one click and syncs, and the value
// holds at the hub and at both offices.
func TestBrowserResolveAConflict(t *testing.T) {
	d := newDistrict(t, map[string]string{"s1": "sy", "s1b": "sy"})
	a, b := d.office(t, "s1"), d.office(t, "s1b")
	wang := registered(t, a.rep, named(1, "王建国"))[0]
	a.sync()
	b.sync()
	editPhone(t, a.rep, wang, "0531-1111")
	editPhone(t, b.rep, wang, "0531-2222")
	a.sync()
	c := newClerk(t, b.srv.URL)
	c.open("/conflicts")
	assert.Equal(t, 0, c.count("#conflicts article"), "no conflict before the second office syncs")

	res := b.sync()
	require.Equal(t, 1, res.ConflictsOpen, "the hub saw both writes")
	c.open("/conflicts")
	require.Equal(t, 1, c.count("#conflicts article"))
	card := c.text("#conflicts article")
	assert.Contains(t, card, "王建国")
	assert.Contains(t, card, "电话")
	assert.Contains(t, card, "0531-1111")
	assert.Contains(t, card, "0531-2222")
	assert.Contains(t, card, "本机填写", "who wrote each")
	assert.Contains(t, card, "另一台电脑填写")
	assert.Contains(t, card, "2026-11-28", "and when")

	// Keep the value the other office wrote: the side not written here.
	side := "current"
	if read(c, evalBool(`document.querySelector("#conflicts .side-current").innerText.includes("本机填写")`)) {
		side = "other"
	}
	assert.Contains(t, c.text("#conflicts .side-"+side+" .value"), "0531-1111")
	c.submit("#conflicts .side-" + side + " button.keep")
	assert.Contains(t, c.text(".banner"), "冲突已解决")
	assert.Equal(t, "0531-1111", phoneOf(t, b.rep, wang), "kept at once here")
	c.tick("#sync button")
	c.waitText("#sync .sync__live", "同步完成")
	assert.Equal(t, 0, c.count("#conflicts article"))

	a.sync()
	assert.Equal(t, "0531-1111", phoneOf(t, a.rep, wang), "the value holds at the other office")
	assert.Equal(t, "0531-1111", phoneOf(t, d.hub, wang), "and at the hub")
	b.sync()
	assert.Equal(t, "0531-1111", phoneOf(t, b.rep, wang), "and here after another sync")
	for _, o := range []*served{a, b} {
		open, err := desk.ListConflicts(ctx, o.rep, false)
		require.NoError(t, err)
		assert.Empty(t, open, "resolved at both offices")
	}
}

// A cadre registered while the office could not reach the hub names a
// community that is not the office's; the hub refuses it at the sync.
// The clerk sees it with its content (the ID number masked) and why,
// corrects the community on the page, sends it again, and the hub takes
// it.
func TestBrowserCorrectAndResendARefusedRecord(t *testing.T) {
	d := newDistrict(t, map[string]string{"s1": "sy"})
	rep := d.replica(t, "s1")
	away := httptest.NewServer(nil)
	away.Close()
	d.connect(t, rep, "s1", away.URL)
	li := named(7, "李秀英")
	li.Community, li.Phone = "zzz", "0531-7654321"
	li = registered(t, rep, li)[0]
	d.connect(t, rep, "s1", d.url) // the network is back
	o := d.desk(t, rep)
	c := newClerk(t, o.srv.URL)

	c.open("/conflicts")
	c.tick("#sync button")
	outcome := c.waitText("#sync .sync__live", "hub 退回了 1 条修改")
	assert.Contains(t, outcome, "冲突与退回")
	c.open("/conflicts")
	require.Equal(t, 1, c.count("#refused article"))
	card := c.text("#refused article")
	assert.Contains(t, card, "干部 李秀英")
	assert.Contains(t, card, "社区 zzz 不属于本办公室（本办公室的社区：sy）")
	assert.Contains(t, card, "0531-7654321", "the content is shown")
	assert.NotContains(t, card, li.IDNumber, "the ID number is masked")
	assert.Contains(t, card, cadre.MaskIDNumber(li.IDNumber))
	assert.Nil(t, hubCadre(t, d, li), "the hub does not have it")

	c.submit("#refused a.fix")
	assert.Contains(t, c.text("main h1"), "李秀英")
	assert.Equal(t, "zzz", c.value("#f-community"), "the form shows the record as held")
	c.set("#f-community", "sy")
	c.submit("main form button.button")
	assert.Equal(t, "/conflicts", c.path())
	assert.Contains(t, c.text(".banner"), "已改正干部 李秀英")
	c.tick("#sync button")
	c.waitText("#sync .sync__live", "同步完成")
	c.open("/conflicts")
	assert.Equal(t, 0, c.count("#refused article"), "nothing waits")
	got := hubCadre(t, d, li)
	require.NotNil(t, got, "the hub took it")
	assert.Equal(t, "sy", got.Community)
	assert.Equal(t, "0531-7654321", got.Phone, "whole, with what the first change carried")
	all, err := desk.ListRefused(ctx, rep, true, testkit.FixedNow())
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, syncsvc.RefusalResent, all[0].Refused.State)
	assert.NotContains(t, o.log.String(), li.IDNumber, "no ID number in the log")
}

// hubCadre is the hub's copy of a cadre, nil when it has none.
func hubCadre(t *testing.T, d *district, c cadre.Cadre) *cadre.Cadre {
	t.Helper()
	got, err := d.hub.Cadre(ctx, c.ID)
	if err != nil {
		return nil
	}
	return &got
}

// Discarding needs a reason; a value that does not fit a conflict's field
// is refused beside it.
func TestConflictFormsRefuse(t *testing.T) {
	d := newDistrict(t, map[string]string{"s1": "sy", "s1b": "sy"})
	a, b := d.office(t, "s1"), d.office(t, "s1b")
	wang := registered(t, a.rep, named(1, "王建国"))[0]
	a.sync()
	b.sync()
	_, err := desk.EditCadre(ctx, a.rep, wang.ID, desk.CadreInput{Values: cadre.Cadre{Category: cadre.Lixiu}, Set: []string{"category"}})
	require.NoError(t, err)
	_, err = desk.EditCadre(ctx, b.rep, wang.ID, desk.CadreInput{Values: cadre.Cadre{Category: cadre.Junxiu}, Set: []string{"category"}})
	require.NoError(t, err)
	a.sync()
	b.sync()
	cs, err := desk.ListConflicts(ctx, b.rep, false)
	require.NoError(t, err)
	require.Len(t, cs, 1)
	id := cs[0].Conflict.ID.String()

	p := b.get("/conflicts")
	assert.Contains(t, p.body, "离休")
	assert.Contains(t, p.body, "军休")
	p = b.post("/conflicts/"+id, url.Values{"keep": {"value"}, "value": {"半休"}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "这个值不合适")
	assert.Contains(t, p.body, `href="#f-value_`+id+`"`)
	p = b.post("/conflicts/"+id, url.Values{"keep": {"value"}, "value": {"退休"}})
	assert.Equal(t, http.StatusSeeOther, p.status)
	got, err := b.rep.Cadre(ctx, wang.ID)
	require.NoError(t, err)
	assert.Equal(t, cadre.Tuixiu, got.Category, "the value typed is kept")

	assert.Equal(t, http.StatusNotFound, b.get("/conflicts/refused/0194d6c5-0000-7000-8000-000000000000").status)
	p = b.post("/conflicts/0194d6c5-0000-7000-8000-000000000000", url.Values{"keep": {"current"}})
	assert.Equal(t, http.StatusNotFound, p.status)
	p = b.get("/conflicts?all=1")
	assert.Contains(t, p.body, "已解决")
	assert.NotContains(t, p.body, "⟦")
}

// Giving a refused record up needs a reason; with one, it leaves this
// computer.
func TestDiscardARefusedRecordNeedsAReason(t *testing.T) {
	d := newDistrict(t, map[string]string{"s1": "sy"})
	rep := d.replica(t, "s1")
	away := httptest.NewServer(nil)
	away.Close()
	d.connect(t, rep, "s1", away.URL)
	zhao := named(8, "赵志强")
	zhao.Community = "zzz"
	zhao = registered(t, rep, zhao)[0]
	d.connect(t, rep, "s1", d.url)
	o := d.desk(t, rep)
	res := o.sync()
	require.Equal(t, 1, res.Report.Refused)

	base := "/conflicts/refused/" + zhao.ID.String()
	p := o.post(base+"/discard", url.Values{"reason": {"  "}})
	assert.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "请写明原因")
	assert.Contains(t, p.body, `href="#f-reason_`+zhao.ID.String()+`"`)
	_, err := rep.Cadre(ctx, zhao.ID)
	require.NoError(t, err, "nothing given up without a reason")
	p = o.post(base+"/discard", url.Values{"reason": {"不是本社区的人，登记错了"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Contains(t, o.get("/conflicts").body, "已放弃：从本机移除 1 条记录")
	_, err = rep.Cadre(ctx, zhao.ID)
	assert.ErrorIs(t, err, syncsvc.ErrNotFound, "it left this computer")
	all, err := desk.ListRefused(ctx, rep, true, testkit.FixedNow())
	require.NoError(t, err)
	require.Len(t, all, 1)
	assert.Equal(t, syncsvc.RefusalDiscarded, all[0].Refused.State)
	assert.Equal(t, "不是本社区的人，登记错了", all[0].Refused.Refusals[0].Note)
	p = o.get("/conflicts?all=1")
	assert.Contains(t, p.body, "已放弃")
	assert.Contains(t, p.body, "不是本社区的人，登记错了")
}
