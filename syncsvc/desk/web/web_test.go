package web_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// hanOutside reports the Chinese characters of a page's text outside the
// language link (which names 中文 in Chinese on an English page).
func hanOutside(body string) []string {
	body = strings.ReplaceAll(body, `lang="zh-CN">中文<`, "")
	var out []string
	for _, r := range body {
		if unicode.Is(unicode.Han, r) {
			out = append(out, string(r))
		}
	}
	return out
}

func TestTodayIsChineseFirstAndEnglishOnAsk(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	p := s.get("/")
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/today", p.location)

	p = s.get("/today")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, `<html lang="zh-CN">`)
	assert.Contains(t, p.body, "<h1>今日 ")
	assert.Contains(t, p.body, "这台电脑还没有设置 hub")
	assert.NotContains(t, p.body, "⟦", "every key is in the Chinese table")

	p = s.post("/lang", url.Values{"lang": {"en"}, "back": {"/today"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/today", p.location)
	p = s.get("/today")
	assert.Contains(t, p.body, `<html lang="en">`)
	assert.Contains(t, p.body, "<h1>Today ")
	assert.NotContains(t, p.body, "⟦")
	assert.Empty(t, hanOutside(p.body), "an English page has no Chinese of the desk's own")

	p = s.post("/lang", url.Values{"lang": {"zh"}, "back": {"//elsewhere.example/x"}})
	assert.Equal(t, "/today", p.location, "a form never sends the reader to another site")
}

func TestEnglishByDefaultWithLangOption(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{Lang: cadre.English})
	p := s.get("/today")
	assert.Contains(t, p.body, "<h1>Today ")
}

func TestPostWithoutTheSessionTokenIsRefused(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	for name, form := range map[string]url.Values{
		"no token":          {"_token": {""}, "lang": {"en"}},
		"another's token":   {"_token": {"bm90IHRoaXMgc2Vzc2lvbidzIHRva2Vu"}, "lang": {"en"}},
		"no session at all": nil,
	} {
		t.Run(name, func(t *testing.T) {
			var p page
			if form == nil {
				res, err := http.PostForm(s.srv.URL+"/lang", url.Values{"lang": {"en"}})
				require.NoError(t, err)
				defer res.Body.Close()
				p.status = res.StatusCode
				b := new(strings.Builder)
				_, _ = io.Copy(b, res.Body)
				p.body = b.String()
			} else {
				p = s.post("/lang", form)
			}
			assert.Equal(t, http.StatusForbidden, p.status)
			assert.Contains(t, p.body, "这张表单没有被接受")
			assert.Contains(t, p.body, "什么都没有保存")
		})
	}
	assert.Contains(t, s.get("/today").body, "<h1>今日 ", "the refused form changed no setting")
}

func TestLoopbackDeskAnswersOnlyToLoopbackNames(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{LoopbackOnly: true})
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+"/today", nil)
	require.NoError(t, err)
	req.Host = "rebound.example:80"
	assert.Equal(t, http.StatusMisdirectedRequest, s.do(req).status)
	assert.Equal(t, http.StatusOK, s.get("/today").status, "127.0.0.1 is answered")
	req.Host = "localhost"
	assert.Equal(t, http.StatusOK, s.do(req).status)
}

func TestDeskOnANetworkAsksForThePassword(t *testing.T) {
	rep := testkit.OpenOffice(t)
	_, err := web.New(ctx, rep, web.Options{RequirePassword: true})
	require.ErrorIs(t, err, web.ErrNoPassword)
	require.ErrorIs(t, web.SetPassword(ctx, rep, "short"), web.ErrShortPassword)
	require.NoError(t, web.SetPassword(ctx, rep, "正确的密码 horse"))
	stored, err := rep.Meta(ctx, "desk_password")
	require.NoError(t, err)
	assert.NotContains(t, stored, "horse", "only a hash is kept")

	s := serve(t, rep, web.Options{RequirePassword: true})
	p := s.get("/today")
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/login", p.location)
	login := s.get("/login")
	tok := tokenRE.FindStringSubmatch(login.body)
	require.NotNil(t, tok)

	p = s.post("/login", url.Values{"_token": {tok[1]}, "password": {"wrong one"}})
	assert.Equal(t, http.StatusUnauthorized, p.status)
	assert.Contains(t, p.body, "出现了问题")
	assert.Contains(t, p.body, `href="#f-password"`)
	assert.Contains(t, p.body, "密码不对")
	assert.Equal(t, http.StatusSeeOther, s.get("/today").status, "still signed out")

	p = s.post("/login", url.Values{"_token": {tok[1]}, "password": {"正确的密码 horse"}})
	require.Equal(t, http.StatusSeeOther, p.status)
	assert.Equal(t, "/today", p.location)
	p = s.get("/today")
	require.Equal(t, http.StatusOK, p.status)
	assert.Contains(t, p.body, "<h1>今日 ")
	newTok := tokenRE.FindStringSubmatch(p.body)
	assert.NotEqual(t, tok[1], newTok[1], "signing in starts a new session")
}

func TestIDNumberIsReadByPostAndNeverLogged(t *testing.T) {
	s := serve(t, testkit.OpenOffice(t), web.Options{})
	id := testkit.IDNumberFor("370102", "19440315", 13)
	p := s.post("/id-number", url.Values{"id_number": {id}})
	require.Equal(t, http.StatusOK, p.status)
	assert.JSONEq(t, `{"ok":true,"birth_date":"1944-03-15","gender":"male"}`, p.body)
	bad := id[:17] + "7"
	p = s.post("/id-number", url.Values{"id_number": {bad}})
	assert.Contains(t, p.body, "校验位不符")
	p = s.post("/id-number", url.Values{"id_number": {id[:10]}})
	assert.JSONEq(t, `{"ok":false}`, p.body, "a number still being typed is not judged")

	logs := s.log.String()
	assert.Contains(t, logs, `route="POST /id-number"`)
	assert.NotContains(t, logs, id[:10], "no ID number in the log")
	assert.NotRegexp(t, regexp.MustCompile(`\d{17}[\dX]`), logs)
}

func TestLogLinesNeverCarryAnIDNumber(t *testing.T) {
	assert.Equal(t, `reference "[ID number]": not found`, web.Redact(fmt.Errorf("reference %q: not found", testkit.IDNumber(3))))
	assert.Equal(t, "no such record", web.Redact(errors.New("no such record")))
}
