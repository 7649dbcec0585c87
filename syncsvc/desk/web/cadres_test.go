package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// officeOf is an office replica that covers community sy, as office init
// leaves one whose token the hub confirmed.
func officeOf(t *testing.T, communities string) *served {
	t.Helper()
	rep := testkit.OpenOffice(t)
	require.NoError(t, rep.SetMeta(ctx, map[string]string{"scopes": "[" + communities + " district]", "office_id": "sy-1"}))
	return serve(t, rep, web.Options{})
}

func TestRegisterKeepsWhatWasTypedAndShowsEachProblemBesideItsField(t *testing.T) {
	s := officeOf(t, "sy")
	id := testkit.IDNumberFor("370102", "19440315", 13)
	wrong := id[:16] + "9" + id[17:]
	form := url.Values{"name": {"王建国"}, "id_number": {wrong}, "community": {"sy"}, "category": {"tuixiu"},
		"retired_on": {"2004-04"}, "phone": {"0531-86001234"}, "address": {"舜园小区3号楼"}, "status": {"active"},
		"children_nearby": {"false"}, "living_difficulty": {"false"}}
	p := s.post("/register", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, `class="error-summary"`)
	assert.Contains(t, p.body, `<a href="#f-id_number">身份证号校验位不符`)
	assert.Regexp(t, `(?s)id="f-id_number-error">.*校验位不符`, p.body, "the problem beside the field")
	for _, kept := range []string{`value="王建国"`, `value="` + wrong + `"`, `value="2004-04"`, `value="0531-86001234"`, `value="舜园小区3号楼"`, `<option value="tuixiu" selected>`} {
		assert.Contains(t, p.body, kept, "nothing typed is lost")
	}
	n, err := s.rep.Cadres(ctx, storeAll)
	require.NoError(t, err)
	assert.Empty(t, n, "nothing registered")

	form.Set("id_number", id)
	p = s.post("/register", form)
	require.Equal(t, http.StatusSeeOther, p.status, p.body)
	require.True(t, strings.HasPrefix(p.location, "/cadres/"), p.location)
	page := s.get(p.location)
	assert.Contains(t, page.body, "已登记：王建国")
	assert.Contains(t, page.body, "1944-03-15", "the birth date from the ID number")
	assert.Contains(t, page.body, "2004-04-01", "a month alone is its first day")

	p = s.post("/register", form)
	require.Equal(t, http.StatusUnprocessableEntity, p.status)
	assert.Contains(t, p.body, "这个身份证号已经登记过了")
	assert.Contains(t, p.body, `href="`+p.location, "no second record")
	assert.Regexp(t, regexp.MustCompile(`<a href="/cadres/[0-9a-f-]{36}">打开已登记这个身份证号的记录`), p.body)
}

func TestSearchByIDNumberIsAPostAndNamesAreAddresses(t *testing.T) {
	s := officeOf(t, "sy")
	for _, n := range []int{1, 2, 3} {
		c := testkit.Cadre(n, "sy")
		_, err := s.rep.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	id := testkit.IDNumber(2)
	p := s.post("/cadres", url.Values{"q": {id[:14]}})
	require.Equal(t, http.StatusOK, p.status, "an ID number is searched at once, not sent to an address")
	assert.Contains(t, p.body, "测试002")
	assert.NotContains(t, p.body, "测试001")
	assert.NotContains(t, p.body, id, "the list masks ID numbers")
	assert.Contains(t, p.body, cadre.MaskIDNumber(id))

	p = s.post("/cadres", url.Values{"q": {"测试00"}, "community": {"sy"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/cadres?community=sy&q=%E6%B5%8B%E8%AF%9500", p.location)
	list := s.get(p.location)
	assert.Contains(t, list.body, "测试001")
	assert.Contains(t, list.body, "共 3 名")

	assert.NotContains(t, s.log.String(), id[:14], "no ID number in the log")
	ignored := s.get("/cadres?q=" + id[:14]).body
	assert.Contains(t, ignored, "共 3 名", "an ID number in an address is not searched")
	assert.NotContains(t, ignored, id[:14])
}
