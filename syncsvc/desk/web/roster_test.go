package web_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// upload posts a file as the roster form does.
func (s *served) upload(path, name string, data []byte, fields map[string]string) page {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	require.NoError(s.t, mw.WriteField("_token", s.token()))
	for k, v := range fields {
		require.NoError(s.t, mw.WriteField(k, v))
	}
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(s.t, err)
	_, err = fw.Write(data)
	require.NoError(s.t, err)
	require.NoError(s.t, mw.Close())
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, &body)
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return s.do(req)
}

// rosterCSV is a roster of n good rows of community sy, then the bad ones.
func rosterCSV(n int, bad ...string) []byte {
	var b strings.Builder
	b.WriteString("姓名,身份证号,类别,社区,离退休时间\n")
	for i := range n {
		fmt.Fprintf(&b, "%s,%s,退休,sy,2000-01\n", testkit.Cadre(100+i, "sy").Name, testkit.IDNumber(100+i))
	}
	for _, row := range bad {
		b.WriteString(row + "\n")
	}
	return []byte(b.String())
}

func TestRosterPreviewShowsBadRowsAndConfirmImportsTheRest(t *testing.T) {
	s := officeOf(t, "sy")
	wrong := testkit.IDNumber(200)
	wrong = wrong[:16] + string('0'+(wrong[16]-'0'+1)%10) + wrong[17:]
	data := rosterCSV(3, "张三,"+wrong+",退休,sy,2000-01", "李四,"+testkit.IDNumber(201)+",退休的,sy,2000-01")
	p := s.upload("/roster/preview", "名册.csv", data, nil)
	require.Equal(t, http.StatusOK, p.status, p.body)
	assert.Contains(t, p.body, "检查后再导入")
	assert.Regexp(t, `(?s)新增干部</dt><dd>3<`, p.body)
	assert.Regexp(t, `(?s)<td class="num">5</td><td>身份证号</td>.*校验位不符`, p.body, "line 5's ID number")
	assert.Regexp(t, `(?s)<td class="num">6</td><td>类别</td><td>退休的</td><td>.*离休、退休、军休`, p.body, "line 6's category with the accepted values")
	n, err := s.rep.Cadres(ctx, storeAll)
	require.NoError(t, err)
	assert.Empty(t, n, "a preview writes nothing")

	key := regexp.MustCompile(`name="key" value="([^"]+)"`).FindStringSubmatch(p.body)
	require.NotNil(t, key)
	done := s.post("/roster/import", map[string][]string{"key": {key[1]}})
	require.Equal(t, http.StatusOK, done.status, done.body)
	assert.Contains(t, done.body, "导入完成")
	n, err = s.rep.Cadres(ctx, storeAll)
	require.NoError(t, err)
	assert.Len(t, n, 3, "the good rows are imported")

	again := s.post("/roster/import", map[string][]string{"key": {key[1]}})
	assert.Equal(t, http.StatusGone, again.status, "a preview is imported once")
}

func TestRosterExportIsARosterImportReads(t *testing.T) {
	s := officeOf(t, "sy")
	for _, n := range []int{1, 2} {
		c := testkit.Cadre(n, "sy")
		_, err := s.rep.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	for _, ext := range []string{"csv", "xlsx"} {
		p := s.get("/roster/export." + ext)
		require.Equal(t, http.StatusOK, p.status)
		var res *roster.Result
		var err error
		if ext == "csv" {
			res, err = roster.Read(strings.NewReader(p.body), testkit.FixedNow())
		} else {
			res, err = roster.ReadXLSX(strings.NewReader(p.body), testkit.FixedNow())
		}
		require.NoError(t, err, ext)
		assert.Len(t, res.Rows, 2, ext)
	}
}
