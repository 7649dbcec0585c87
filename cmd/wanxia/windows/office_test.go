package windows_test

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"debug/pe"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// winResult is what one run of a Windows program did.
type winResult struct {
	code           int
	stdout, stderr string
}

// wanxiaExe runs C:\晚霞\wanxia.exe (unpacked from the office zip) under
// Wine with stdin, in C:\晚霞.
func (w *wine) wanxiaExe(t *testing.T, stdin string, args ...string) winResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := w.command(ctx, w.unix(`C:\晚霞`), w.unix(`C:\晚霞\wanxia.exe`), args...)
	return w.runWin(t, cmd, stdin)
}

// runWin runs cmd with stdin, keeping stdout and stderr apart (in files:
// see combined).
func (w *wine) runWin(t *testing.T, cmd *exec.Cmd, stdin string) winResult {
	t.Helper()
	dir := t.TempDir()
	stdout, err := os.Create(filepath.Join(dir, "stdout"))
	require.NoError(t, err)
	defer stdout.Close()
	stderr, err := os.Create(filepath.Join(dir, "stderr"))
	require.NoError(t, err)
	defer stderr.Close()
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), stdout, stderr
	runErr := cmd.Run()
	res := winResult{}
	var exit *exec.ExitError
	switch {
	case errors.As(runErr, &exit):
		res.code = exit.ExitCode()
	case runErr != nil:
		t.Fatalf("%v: %v", cmd.Args, runErr)
	}
	out, err := os.ReadFile(stdout.Name())
	require.NoError(t, err)
	errOut, err := os.ReadFile(stderr.Name())
	require.NoError(t, err)
	res.stdout, res.stderr = string(out), string(errOut)
	return res
}

// linuxHub is the district hub: the Linux wanxia serving on loopback.
type linuxHub struct {
	exe, db, url string
}

// startLinuxHub builds wanxia for Linux, makes a hub with the office sy-1
// (community sy) and serves it; it returns the hub and the office's token.
func startLinuxHub(t *testing.T, w *wine) (*linuxHub, string) {
	t.Helper()
	h := &linuxHub{exe: filepath.Join(w.root, "linux", "wanxia"), db: filepath.Join(t.TempDir(), "wanxia-hub.db")}
	require.NoError(t, w.goCmd(os.Environ(), "build", "-o", h.exe, "./cmd/wanxia"))
	h.ok(t, "hub", "init", "--db", h.db)
	var added struct{ Token string }
	require.NoError(t, json.Unmarshal([]byte(h.ok(t, "hub", "office", "add", "--db", h.db, "--id", "sy-1", "--name", "舜园社区", "--communities", "sy", "--json")), &added))

	serve := exec.Command(h.exe, "hub", "serve", "--db", h.db, "--addr", "127.0.0.1:0")
	out, err := serve.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, serve.Start())
	t.Cleanup(func() {
		_ = serve.Process.Signal(os.Interrupt)
		_ = serve.Wait()
	})
	listening := regexp.MustCompile(`(http://127\.0\.0\.1:\d+)`)
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case h.url = <-found:
	case <-time.After(time.Minute):
		t.Fatal("hub serve did not say where it listens within a minute")
	}
	return h, added.Token
}

// ok runs the Linux wanxia and requires that it succeeded.
func (h *linuxHub) ok(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command(h.exe, args...).Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("wanxia %s: %v\n%s", strings.Join(args, " "), err, exit.Stderr)
	}
	require.NoError(t, err)
	return string(out)
}

// TestOfficeOnWindows is an office's first days on a Windows PC, under
// Wine, against a district hub on Linux: the zip is built from Linux by
// build.sh and unpacked into C:\晚霞; the first start asks for the hub,
// the office and the token, puts the replica in the user's local
// application data and serves the office desk, which answers a browser on
// this machine; a GB18030 roster with a Chinese name is imported and
// synced, and the hub has the cadres; the desk, driven by a real browser
// (deskInBrowser), registers, records a visit and syncs; backups; an
// update: a replica an older wanxia wrote is upgraded with a copy kept
// first, and a newer one is refused; and the double-click start
// 启动晚霞.bat opens the desk.
func TestOfficeOnWindows(t *testing.T) {
	w := needWine(t)
	start := time.Now()
	zipPath := buildZip(t, w)
	t.Logf("build.sh built wanxia.exe and the zip in %s", time.Since(start).Round(time.Millisecond))
	unzip(t, zipPath, w.unix(`C:\晚霞`))
	hub, token := startLinuxHub(t, w)

	// The first start, as a double click runs it (without the browser,
	// which Wine here has not): the questions, then the desk.
	first := w.startWin(t, w.command(context.Background(), w.unix(`C:\晚霞`), w.unix(`C:\晚霞\wanxia.exe`), "office", "start", "--no-browser"),
		hub.url+"\r\nsy-1\r\n"+token+"\r\n")
	url := first.waitFor(t, deskOpened)
	assertDeskAnswers(t, url)
	w.stopWanxia(t)
	out := first.output()
	assert.Contains(t, out, "欢迎使用晚霞。这台电脑还没有设置")
	assert.Contains(t, out, "办公室 sy-1 已就绪")
	assert.Contains(t, out, "令牌已向 hub 核对：办公室 sy-1（舜园社区），社区 sy")
	assert.Contains(t, out, `\AppData\Local\Wanxia\wanxia-office.db`, "the replica is in the user's local application data")
	replicas, err := filepath.Glob(filepath.Join(w.prefix, "drive_c", "users", "*", "AppData", "Local", "Wanxia", "wanxia-office.db"))
	require.NoError(t, err)
	require.Len(t, replicas, 1)
	assert.NoFileExists(t, w.unix(`C:\晚霞\wanxia-office.db`), "not where the program was started")

	t.Run("a GB18030 roster with a Chinese name, imported and synced", func(t *testing.T) {
		people := map[string]string{"王建国": testkit.IDNumberFor("370102", "19440315", 1), "李秀英": testkit.IDNumberFor("370102", "19491231", 2)}
		csv := "姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区\r\n" +
			"王建国," + people["王建国"] + ",退休,2004/4/1,科级,正式党员,慢性病,独居,sy\r\n" +
			"李秀英," + people["李秀英"] + ",退休,2005-07-01,其他,非党员,良好,与子女同住,sy\r\n"
		gb, err := simplifiedchinese.GB18030.NewEncoder().String(csv)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(w.unix(`C:\晚霞\花名册（舜园社区）.csv`), []byte(gb), 0o600))

		res := w.wanxiaExe(t, "", "office", "import", `C:\晚霞\花名册（舜园社区）.csv`)
		require.Equal(t, 0, res.code, res.stderr)
		assert.Contains(t, res.stdout, "新增 2")
		res = w.wanxiaExe(t, "", "office", "sync")
		require.Equal(t, 0, res.code, res.stderr)

		var atHub []struct{ Name string }
		require.NoError(t, json.Unmarshal([]byte(hub.ok(t, "hub", "cadre", "list", "--db", hub.db, "--json")), &atHub))
		var names []string
		for _, c := range atHub {
			names = append(names, c.Name)
		}
		sort.Strings(names)
		assert.Equal(t, []string{"李秀英", "王建国"}, names, "the hub on Linux has what the Windows office imported")

		res = w.wanxiaExe(t, "", "office", "cadre", "list", "--json")
		require.Equal(t, 0, res.code, res.stderr)
		assert.Contains(t, res.stdout, `"name": "王建国"`, "the office's own list reads in Chinese")
	})

	t.Run("the desk in a browser", func(t *testing.T) { deskInBrowser(t, w, hub) })

	t.Run("a backup beside the replica", func(t *testing.T) {
		res := w.wanxiaExe(t, "", "office", "backup", "--json")
		require.Equal(t, 0, res.code, res.stderr)
		var b struct{ Backup string }
		require.NoError(t, json.Unmarshal([]byte(res.stdout), &b))
		assert.Regexp(t, `\\AppData\\Local\\Wanxia\\backups\\wanxia-office-\d{8}-\d{6}\.\d{3}\.db$`, b.Backup)
		res = w.wanxiaExe(t, "", "office", "backup", `C:\晚霞\U盘备份`)
		require.Equal(t, 0, res.code, res.stderr)
		copies, err := filepath.Glob(filepath.Join(w.unix(`C:\晚霞\U盘备份`), "wanxia-office-*.db"))
		require.NoError(t, err)
		assert.Len(t, copies, 1, "a backup into a folder with a Chinese name")
	})

	t.Run("an update keeps the data", func(t *testing.T) {
		old := w.unix(`C:\晚霞\旧版数据\wanxia-office.db`)
		copyGz(t, filepath.Join(w.repo, "syncsvc", "testdata", "schema7", "office.db.gz"), old)
		res := w.wanxiaExe(t, "", "office", "cadre", "list", "--db", `C:\晚霞\旧版数据\wanxia-office.db`, "--json")
		require.Equal(t, 0, res.code, res.stderr)
		assert.Contains(t, res.stdout, `"name": "张志强"`)
		assert.Contains(t, res.stderr, fmt.Sprintf("已从第 7 版升级到第 %d 版", syncsvc.SchemaVersion()))
		assert.Contains(t, res.stderr, `C:\晚霞\旧版数据\backups\wanxia-office-`)
		copies, err := filepath.Glob(filepath.Join(filepath.Dir(old), "backups", "wanxia-office-*-schema-7.db"))
		require.NoError(t, err)
		require.Len(t, copies, 1)

		// The same file as a newer wanxia would leave it: refused, untouched.
		db, err := sql.Open("sqlite3", old)
		require.NoError(t, err)
		_, err = db.Exec(fmt.Sprintf("PRAGMA user_version = %d", syncsvc.SchemaVersion()+1))
		require.NoError(t, err)
		require.NoError(t, db.Close())
		before, err := os.ReadFile(old)
		require.NoError(t, err)
		res = w.wanxiaExe(t, "", "office", "cadre", "list", "--db", `C:\晚霞\旧版数据\wanxia-office.db`)
		assert.Equal(t, 1, res.code)
		assert.Contains(t, res.stderr, "由更新版本的 wanxia 写成")
		after, err := os.ReadFile(old)
		require.NoError(t, err)
		assert.Equal(t, before, after)
	})

	t.Run("the double-click start 启动晚霞.bat", func(t *testing.T) {
		// cmd.exe runs the .bat from another folder; it runs wanxia.exe
		// office start from its own, which asks nothing (the replica is
		// there), tries to open the browser and serves the desk.
		bat := w.startWin(t, w.command(context.Background(), w.root, "cmd", "/c", `C:\晚霞\启动晚霞.bat`), "")
		url := bat.waitFor(t, deskOpened)
		assertDeskAnswers(t, url)
		w.stopWanxia(t)
		assert.NotContains(t, bat.output(), "欢迎使用晚霞")
	})
}

// deskOpened is what office start prints once the desk serves.
var deskOpened = regexp.MustCompile(`工作台已打开：(http://127\.0\.0\.1:\d+/)`)

// assertDeskAnswers checks that the desk at url serves its 今日 page to a
// browser on this machine.
func assertDeskAnswers(t *testing.T, url string) {
	t.Helper()
	res, err := http.Get(url + "today")
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.NoError(t, res.Body.Close())
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, string(body), "<h1>今日 ")
}

// running is a Windows program started in the background.
type running struct {
	cmd     *exec.Cmd
	outFile string
	done    chan error
}

// startWin starts cmd with stdin, its output (stdout and stderr) going to a
// file, and ends it when the test ends if it has not ended.
func (w *wine) startWin(t *testing.T, cmd *exec.Cmd, stdin string) *running {
	t.Helper()
	out, err := os.Create(filepath.Join(t.TempDir(), "output"))
	require.NoError(t, err)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), out, out
	require.NoError(t, cmd.Start())
	r := &running{cmd: cmd, outFile: out.Name(), done: make(chan error, 1)}
	go func() {
		r.done <- cmd.Wait()
		out.Close()
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = cmd.Process.Kill()
			<-r.done
		}
	})
	return r
}

// output is what the program printed so far.
func (r *running) output() string {
	b, _ := os.ReadFile(r.outFile)
	return string(b)
}

// waitFor waits for the program to print what re matches and returns its
// first group; it fails the test if the program ends first or a minute
// passes.
func (r *running) waitFor(t *testing.T, re *regexp.Regexp) string {
	t.Helper()
	deadline := time.After(time.Minute)
	for {
		if m := re.FindStringSubmatch(r.output()); m != nil {
			return m[1]
		}
		select {
		case err := <-r.done:
			r.done <- err
			t.Fatalf("ended (%v) before printing %s:\n%s", err, re, r.output())
		case <-deadline:
			t.Fatalf("did not print %s within a minute:\n%s", re, r.output())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// stopWanxia ends every wanxia.exe running in the prefix, as Windows' Task
// Manager would: a started desk serves until its window is closed.
func (w *wine) stopWanxia(t *testing.T) {
	t.Helper()
	require.NoError(t, w.run(context.Background(), "wine", "taskkill", "/f", "/im", "wanxia.exe"))
}

// buildZip runs build.sh and checks the zip: wanxia.exe, 启动晚霞.bat and
// 使用说明.txt; the guide as Notepad reads it (UTF-8 with a BOM, CRLF); a
// .bat with CRLF; and a wanxia.exe that needs no DLL beyond Windows' own
// (mingw-w64's runtime linked in).
func buildZip(t *testing.T, w *wine) string {
	t.Helper()
	out := filepath.Join(w.root, "dist")
	cmd := exec.Command("bash", filepath.Join(w.repo, "cmd", "wanxia", "windows", "build.sh"), out)
	printed, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		t.Fatalf("build.sh: %v\n%s", err, exit.Stderr)
	}
	require.NoError(t, err)
	zipPath := filepath.Join(out, "wanxia-windows.zip")
	assert.Equal(t, zipPath, strings.TrimSpace(string(printed)))

	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	files := map[string][]byte{}
	for _, f := range zr.File {
		assert.False(t, f.NonUTF8, "%s: names stored as UTF-8", f.Name)
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		files[f.Name] = b
	}
	var names []string
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	assert.Equal(t, []string{"wanxia.exe", "使用说明.txt", "启动晚霞.bat"}, names)
	guide := string(files["使用说明.txt"])
	assert.True(t, strings.HasPrefix(guide, "\ufeff# 晚霞（Wanxia）办公室电脑使用说明\r\n"), "UTF-8 with a BOM, CRLF")
	assert.NotContains(t, strings.ReplaceAll(guide, "\r\n", ""), "\n", "every line ends in CRLF")
	for _, part := range []string{"第一次启动", "备份", "换新版本"} {
		assert.Contains(t, guide, part)
	}
	bat := string(files["启动晚霞.bat"])
	assert.Contains(t, bat, "wanxia.exe office start\r\n")
	for _, r := range bat {
		require.Less(t, r, rune(128), "the .bat stays ASCII: cmd.exe reads it in the system code page")
	}

	f, err := pe.Open(filepath.Join(out, "wanxia.exe"))
	require.NoError(t, err)
	defer f.Close()
	dlls, err := f.ImportedLibraries()
	require.NoError(t, err)
	windowsOwn := map[string]bool{"kernel32.dll": true, "msvcrt.dll": true, "advapi32.dll": true, "ws2_32.dll": true, "user32.dll": true, "ntdll.dll": true}
	for _, dll := range dlls {
		assert.True(t, windowsOwn[strings.ToLower(dll)], "wanxia.exe needs %s, which an office PC may not have", dll)
	}
	return zipPath
}

// unzip unpacks the zip into dir.
func unzip(t *testing.T, zipPath, dir string) {
	t.Helper()
	zr, err := zip.OpenReader(zipPath)
	require.NoError(t, err)
	defer zr.Close()
	require.NoError(t, os.MkdirAll(dir, 0o700))
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		out, err := os.OpenFile(filepath.Join(dir, f.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o700)
		require.NoError(t, err)
		_, err = io.Copy(out, rc)
		require.NoError(t, err)
		require.NoError(t, out.Close())
		require.NoError(t, rc.Close())
	}
}

// copyGz writes the gunzipped file from to path.
func copyGz(t *testing.T, from, path string) {
	t.Helper()
	in, err := os.Open(from)
	require.NoError(t, err)
	defer in.Close()
	zr, err := gzip.NewReader(in)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o700))
	out, err := os.Create(path)
	require.NoError(t, err)
	_, err = io.Copy(out, zr)
	require.NoError(t, err)
	require.NoError(t, out.Close())
}
