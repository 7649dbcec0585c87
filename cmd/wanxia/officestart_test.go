package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// wxIn runs the command with what a person types on stdin.
func wxIn(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := runAt(context.Background(), testkit.FixedNow, args, strings.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// startIn runs office start as a double click does, with what a person
// types on stdin and without a browser, until the desk prints its address
// (or the command ends); stop ends it as Ctrl-C does and returns the exit
// code and output.
func startIn(t *testing.T, stdin string, args ...string) (url string, stop func() result) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	ended := make(chan int, 1)
	go func() {
		ended <- runAt(ctx, testkit.FixedNow, append(args, "--no-browser"), strings.NewReader(stdin), &out, &errOut)
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	waitFor(t, "office start to open the desk", func() bool { return addr.MatchString(out.String()) || len(ended) > 0 })
	return addr.FindString(out.String()), func() result {
		cancel()
		code := <-ended
		return result{code, out.String(), errOut.String()}
	}
}

// TestDoubleClickStartAsksThenOpensTheDesk: the first double click on a
// computer asks for the hub's address, the office's id and the token,
// checks the token with the hub and sets the replica up (in a folder with
// a Chinese name), then serves the office desk; the next start asks
// nothing and opens the desk straight away.
func TestDoubleClickStartAsksThenOpensTheDesk(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "舜园社区", "--communities", "sy")...)
	h := serveHubAt(t, hubDB)
	db := filepath.Join(t.TempDir(), "晚霞", "数据", "wanxia-office.db")
	start := append(append([]string(nil), doubleClickArgs...), "--db", db)

	url, stop := startIn(t, h.url()+"\r\n sy-1 \n"+added["token"].(string)+"\n", start...)
	require.NotEmpty(t, url, "the desk's address")
	assertDeskAnswers(t, url)
	res := stop()
	assert.Equal(t, 0, res.code, res.stderr)
	assert.Contains(t, res.stdout, "欢迎使用晚霞。这台电脑还没有设置")
	assert.Contains(t, res.stdout, "hub 地址（如 https://192.168.1.10:8443）：办公室编号：令牌：")
	assert.Contains(t, res.stdout, "办公室 sy-1 已就绪：数据库 "+db)
	assert.Contains(t, res.stdout, "令牌已向 hub 核对：办公室 sy-1（舜园社区），社区 sy")
	assert.Contains(t, res.stdout, "工作台已打开："+url)
	require.FileExists(t, db)
	var status map[string]any
	okJSON(t, &status, "office", "status", "--db", db)
	assert.Equal(t, "sy-1", status["office_id"])

	url, stop = startIn(t, "", start...)
	require.NotEmpty(t, url)
	assertDeskAnswers(t, url)
	res = stop()
	assert.Equal(t, 0, res.code, res.stderr)
	assert.NotContains(t, res.stdout, "欢迎使用晚霞", "set up already: nothing asked")
}

// assertDeskAnswers checks that the desk at url serves 今日.
func assertDeskAnswers(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url + "today")
	require.NoError(t, err)
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), "<h1>今日 ")
}

// TestFirstStartWithAWrongTokenKeepsNothing: a token the hub does not
// know is refused in Chinese and no replica is left, so the next start
// asks again; answers cut short say what to do.
func TestFirstStartWithAWrongTokenKeepsNothing(t *testing.T) {
	hubDB := newHubDB(t, t.TempDir())
	ok(t, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "舜园社区", "--communities", "sy")...)
	h := serveHubAt(t, hubDB)
	db := filepath.Join(t.TempDir(), "wanxia-office.db")

	res := wxIn(t, h.url()+"\nsy-1\nsy-1.not-the-token\n", "office", "start", "--db", db)
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, "令牌")
	assert.NoFileExists(t, db, "nothing kept: the next start asks again")

	res = wxIn(t, h.url()+"\nsy-1\n", "office", "start", "--db", db)
	assert.Equal(t, 1, res.code)
	assert.Equal(t, "错误：没有输入令牌，没有设置：再启动一次，或运行 wanxia office init --hub 地址 --office 编号 --token 令牌\n", res.stderr)
	assert.NoFileExists(t, db)

	res = wxIn(t, "", "office", "start", "--db", db, "--lang", "en")
	assert.Equal(t, "error: the hub's address was not given, nothing set up: start again, or run wanxia office init --hub ADDRESS --office ID --token TOKEN\n", res.stderr)
	_, err := os.Stat(db)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
