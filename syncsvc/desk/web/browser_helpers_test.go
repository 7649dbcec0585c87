package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// The browser tests drive Debian's chromium, headless, with chromedp: one
// browser for the package's tests (started by the first that needs it),
// each test in tabs of its own. Without chromium they are skipped, unless
// WANXIA_BROWSER_REQUIRED is set (.ci/run sets it, having installed it).
// Screenshots of every page a test visits are written when it fails, and
// always when WANXIA_SCREENSHOTS names a folder.

var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	dir    string
	err    error
}

// chromium finds the browser: WANXIA_CHROMIUM, else chromium on the PATH.
func chromium() string {
	if p := os.Getenv("WANXIA_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts the shared browser: headless, offline, with a fresh
// profile.
func startBrowser() (context.Context, error) {
	shared.once.Do(func() {
		path := chromium()
		if path == "" {
			shared.err = fmt.Errorf("no chromium")
			return
		}
		dir, err := os.MkdirTemp("", "wanxia-desk-chromium")
		if err != nil {
			shared.err = err
			return
		}
		shared.dir = dir
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir),
			chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
			chromedp.Flag("lang", "zh-CN"), chromedp.WindowSize(1280, 900),
		)
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1`)); err != nil {
			cancelCtx()
			cancelAlloc()
			shared.err = err
			return
		}
		shared.ctx = ctx
		shared.cancel = func() { cancelCtx(); cancelAlloc() }
	})
	return shared.ctx, shared.err
}

// TestMain stops the shared browser after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if shared.cancel != nil {
		shared.cancel()
		for range 50 { // the browser's children may still write in its folder for a moment
			if os.RemoveAll(shared.dir) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	os.Exit(code)
}

// tab is one browser tab with its own cookies, as a clerk at one office's
// computer, and the screenshots of the pages it visited.
type tab struct {
	t     *testing.T
	name  string
	ctx   context.Context
	shots []screenshot
}

type screenshot struct {
	name string
	png  []byte
}

// newTab opens a tab in a browser context of its own; it skips the test
// when there is no chromium and WANXIA_BROWSER_REQUIRED is not set.
func newTab(t *testing.T, name string) *tab {
	t.Helper()
	parent, err := startBrowser()
	if err != nil {
		if os.Getenv("WANXIA_BROWSER_REQUIRED") != "" {
			t.Fatalf("no browser: %v (install chromium: apt-get install -y chromium)", err)
		}
		t.Skipf("no browser (%v): apt-get install -y chromium, or set WANXIA_CHROMIUM", err)
	}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext())
	_, err = chromedp.Run(ctx, chromedp.Evaluate[int](`1`))
	require.NoError(t, err)
	b := &tab{t: t, name: name, ctx: ctx}
	t.Cleanup(func() {
		b.saveShots()
		cancel()
	})
	return b
}

// saveShots writes the screenshots when the test failed, or always when
// WANXIA_SCREENSHOTS is set.
func (b *tab) saveShots() {
	dir := os.Getenv("WANXIA_SCREENSHOTS")
	if dir == "" && !b.t.Failed() {
		return
	}
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "wanxia-desk-screenshots")
	}
	safe := regexp.MustCompile(`[^\w.-]+`)
	dir = filepath.Join(dir, safe.ReplaceAllString(b.t.Name(), "_"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshots not written: %v", err)
		return
	}
	for i, s := range b.shots {
		name := filepath.Join(dir, safe.ReplaceAllString(fmt.Sprintf("%s-%02d-%s", b.name, i+1, s.name), "_")+".png")
		if err := os.WriteFile(name, s.png, 0o644); err != nil {
			b.t.Logf("screenshot not written: %v", err)
		}
	}
	b.t.Logf("screenshots of %s's pages: %s", b.name, dir)
}

// timeout bounds each step of a test in the browser.
const timeout = 20 * time.Second

// do runs steps and requires that they succeed.
func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

// run runs one action that returns a value.
func run[T any](b *tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(b.t, err)
	return v
}

// shot keeps a screenshot of the page as it is.
func (b *tab) shot(name string) {
	b.t.Helper()
	png := run(b, chromedp.FullScreenshot(100))
	b.shots = append(b.shots, screenshot{name: name, png: png})
}

// open goes to url and waits for sel.
func (b *tab) open(url, sel, name string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
	b.shot(name)
}

// click clicks sel, waits for the page it leads to to load, and for then
// on it.
func (b *tab) click(sel, then, name string) {
	b.t.Helper()
	run(b, chromedp.Evaluate[bool](`window.__wanxiaOld = true`))
	b.do(chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(timeout)
	for {
		loaded, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.__wanxiaOld && document.readyState === "complete"`))
		if loaded {
			break
		}
		if time.Now().After(deadline) {
			b.t.Fatalf("clicking %s led to no new page", sel)
		}
		time.Sleep(30 * time.Millisecond)
	}
	b.do(chromedp.WaitVisible(chromedp.CSS(then)))
	b.shot(name)
}

// text is the visible text of sel.
func (b *tab) text(sel string) string {
	b.t.Helper()
	return run(b, chromedp.Text(chromedp.CSS(sel)))
}

// value is the value of the form field sel.
func (b *tab) value(sel string) string {
	b.t.Helper()
	return run(b, chromedp.Value(chromedp.CSS(sel)))
}

// type_ types into the field sel as a person does, after emptying it.
func (b *tab) type_(sel, text string) {
	b.t.Helper()
	b.do(chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// choose picks the option value of the select sel.
func (b *tab) choose(sel, value string) {
	b.t.Helper()
	b.do(chromedp.SetValue(chromedp.CSS(sel), value))
}

// waitText waits until the text of sel contains want.
func (b *tab) waitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).innerText || ""`, sel)))
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.shot("waited")
			b.t.Fatalf("%s never showed %q; it shows %q", sel, want, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// district is a real hub and two offices of community sy, each with its
// desk, on one ticking clock from testkit.FixedNow.
type district struct {
	clock *testkit.Clock
	hub   *store.Replica
	a, b  *officeDesk
}

// officeDesk is one office's replica and its desk, served on loopback.
type officeDesk struct {
	rep *store.Replica
	url string
}

func newDistrict(t *testing.T) *district { return newDistrictWith(t, false) }

// newDistrictWith is newDistrict, with office sy-1 set up while the hub
// could not be reached when offlineA is set: it has not synced, and so
// does not know its communities yet.
func newDistrictWith(t *testing.T, offlineA bool) *district {
	t.Helper()
	d := &district{clock: testkit.Ticking(testkit.FixedNow(), time.Millisecond)}
	dir := t.TempDir()
	hub, err := store.Open(ctx, filepath.Join(dir, "hub.db"), syncsvc.Options{Role: syncsvc.RoleHub, Now: d.clock.Now})
	require.NoError(t, err)
	t.Cleanup(func() { hub.Close() })
	d.hub = hub
	h, err := syncsvc.NewHub(hub, syncsvc.HubOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(transport.Handler(h))
	t.Cleanup(srv.Close)
	for _, o := range []struct {
		id, name string
		to       **officeDesk
	}{{"sy-1", "舜园社区第一办公室", &d.a}, {"sy-2", "舜园社区第二办公室", &d.b}} {
		_, token, err := hub.AddOffice(ctx, o.id, o.name, []string{"sy"})
		require.NoError(t, err)
		rep, err := store.Open(ctx, filepath.Join(dir, o.id+".db"), syncsvc.Options{Role: syncsvc.RoleOffice, Now: d.clock.Now})
		require.NoError(t, err)
		t.Cleanup(func() { rep.Close() })
		conn := transport.Connection{HubURL: srv.URL, Token: token}
		require.NoError(t, conn.Save(ctx, rep, map[string]string{desk.MetaOfficeID: o.id, desk.MetaOfficeName: o.name}))
		if !offlineA || o.id != "sy-1" {
			_, err = desk.Sync(ctx, rep, desk.SyncOptions{Retries: -1})
			require.NoError(t, err, "the first sync says hello and brings the district's key")
		}
		dk, err := web.New(ctx, rep, web.Options{Now: d.clock.Now, AutoSync: -1, LoopbackOnly: true, Sync: desk.SyncOptions{Retries: -1}})
		require.NoError(t, err)
		ds := httptest.NewServer(dk)
		t.Cleanup(func() { ds.Close(); dk.Close() })
		*o.to = &officeDesk{rep: rep, url: ds.URL}
	}
	return d
}

// sync syncs an office from outside its desk, as another computer would.
func (o *officeDesk) sync(t *testing.T) desk.SyncResult {
	t.Helper()
	res, err := desk.Sync(ctx, o.rep, desk.SyncOptions{Retries: -1})
	require.NoError(t, err)
	return res
}
