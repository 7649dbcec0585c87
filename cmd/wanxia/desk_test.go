package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// startDesk runs office desk on db as a clerk would, without a browser,
// and returns its address and a function that stops it as Ctrl-C does
// and returns the exit code and output.
func startDesk(t *testing.T, db string, args ...string) (string, func() (int, string, string)) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	ended := make(chan int, 1)
	go func() {
		ended <- runAt(ctx, testkit.FixedNow, append([]string{"office", "desk", "--db", db, "--no-browser", "--auto-sync", "-1s"}, args...), strings.NewReader(""), &out, &errOut)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	waitFor(t, "office desk to print its address", func() bool { return addr.MatchString(out.String()) || len(ended) > 0 })
	url := addr.FindString(out.String())
	require.NotEmpty(t, url, "stdout: %s\nstderr: %s", out.String(), errOut.String())
	return url, func() (int, string, string) {
		stop()
		return <-ended, out.String(), errOut.String()
	}
}

func TestOfficeDeskServesTodayAndStopsOnCtrlC(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.token", "http://127.0.0.1:1")
	url, stop := startDesk(t, o.db)
	res, err := http.Get(url + "today")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), "<h1>今日 ")
	code, out, _ := stop()
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "工作台已打开："+url)
	assert.Contains(t, out, "按 Ctrl-C 停止")
	assert.Contains(t, out, "工作台已关闭")
}

func TestOfficeDeskOnANetworkNeedsAPassword(t *testing.T) {
	o := newOffice(t, "sy-1", "sy-1.token", "http://127.0.0.1:1")
	res := o.run("desk", "--addr", "0.0.0.0:0", "--no-browser")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "必须先设置密码：运行 wanxia office desk password")

	var out, errOut strings.Builder
	code := runAt(context.Background(), testkit.FixedNow, []string{"office", "desk", "password", "--db", o.db}, strings.NewReader("短\n"), &out, &errOut)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut.String(), "密码太短")
	code = runAt(context.Background(), testkit.FixedNow, []string{"office", "desk", "password", "--db", o.db}, strings.NewReader("a long passphrase\n"), &out, &errOut)
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, out.String(), "工作台的密码已设置")

	url, stop := startDesk(t, o.db, "--addr", "0.0.0.0:0")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	r, err := client.Get(url + "today")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusSeeOther, r.StatusCode)
	assert.Equal(t, "/login", r.Header.Get("Location"), "a desk on the network asks for the password")
	code, _, stderr := stop()
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "警告：工作台在", "without TLS it warns")
	assert.Contains(t, stderr, "不加密")
}

func TestOfficeDeskNeedsAnOfficeDatabase(t *testing.T) {
	res := wx(t, "office", "desk", "--db", filepath.Join(t.TempDir(), "none.db"), "--no-browser")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "没有数据库")
}
