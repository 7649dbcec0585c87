// Package webtest is for tests of the desk, in a browser: a clerk's tab in
// Debian's chromium, headless, driven with chromedp, and the few things a
// clerk does in it (open a page, type in a field, click, read what a page
// shows, wait for it).
//
// One browser serves the test process, started by the first test that asks
// for a tab and stopped by Stop (a package's TestMain calls it); each tab
// has a browser context of its own, with its own cookies, as a clerk at one
// office's computer. Without chromium, NewTab skips the test, unless
// WANXIA_BROWSER_REQUIRED is set (.ci/run sets it, having installed
// chromium); WANXIA_CHROMIUM names another browser. Screenshots of every
// page a tab visits are written when its test fails, and always when
// WANXIA_SCREENSHOTS names a folder.
//
// The helpers fail the test when a step does not succeed within Timeout.
package webtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// Timeout bounds each step of a test in the browser.
const Timeout = 20 * time.Second

// WindowWidth and WindowHeight are the browser window's size: an office
// PC's screen.
const (
	WindowWidth  = 1280
	WindowHeight = 900
)

var shared struct {
	once   sync.Once
	ctx    context.Context
	cancel func()
	dir    string
	err    error
}

// Chromium finds the browser: WANXIA_CHROMIUM, else chromium on the PATH;
// "" when there is none.
func Chromium() string {
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

// AllocatorOptions are the options chromium is started with: headless,
// offline, in Chinese, in a fresh profile in dir.
func AllocatorOptions(path, dir string) []chromedp.ExecAllocatorOption {
	return append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(dir),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.WindowSize(WindowWidth, WindowHeight),
	)
}

// startBrowser starts the shared browser on first use.
func startBrowser() (context.Context, error) {
	shared.once.Do(func() {
		path := Chromium()
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
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), AllocatorOptions(path, dir)...)
		ctx, cancelCtx := chromedp.NewContext(alloc)
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[int](`1`)); err != nil {
			cancelCtx()
			cancelAlloc()
			_ = os.RemoveAll(dir)
			shared.err = err
			return
		}
		shared.ctx = ctx
		shared.cancel = func() { cancelCtx(); cancelAlloc() }
	})
	return shared.ctx, shared.err
}

// Stop stops the shared browser, if a test started it, and removes its
// profile. A package's TestMain calls it after the tests.
func Stop() {
	if shared.cancel == nil {
		return
	}
	shared.cancel()
	shared.cancel = nil
	for range 50 { // the browser's children may still write in its folder for a moment
		if os.RemoveAll(shared.dir) == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Tab is one browser tab with its own cookies, as a clerk at one office's
// computer, and the screenshots of the pages it visited.
type Tab struct {
	t     testing.TB
	name  string
	ctx   context.Context
	shots []screenshot
}

type screenshot struct {
	name string
	png  []byte
}

// NewTab opens a tab named name (the screenshots' names begin with it) in
// a browser context of its own, closed when the test ends. It skips the
// test when there is no chromium and WANXIA_BROWSER_REQUIRED is not set,
// and fails it when it is.
func NewTab(t testing.TB, name string) *Tab {
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
	b := &Tab{t: t, name: name, ctx: ctx}
	t.Cleanup(func() {
		b.saveShots()
		cancel()
	})
	return b
}

// saveShots writes the screenshots when the test failed, or always when
// WANXIA_SCREENSHOTS is set.
func (b *Tab) saveShots() {
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

// Do runs steps and requires that they succeed.
func (b *Tab) Do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	require.NoError(b.t, chromedp.Do(ctx, steps...))
}

// Run runs one action in the tab that returns a value, and requires that
// it succeeds.
func Run[T any](b *Tab, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	require.NoError(b.t, err)
	return v
}

// Shot keeps a screenshot of the page as it is, named name.
func (b *Tab) Shot(name string) {
	b.t.Helper()
	png := Run(b, chromedp.FullScreenshot(100))
	b.shots = append(b.shots, screenshot{name: name, png: png})
}

// Open goes to url, waits for sel and keeps a screenshot named name.
func (b *Tab) Open(url, sel, name string) {
	b.t.Helper()
	b.Do(chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
	b.Shot(name)
}

// Click clicks sel, waits for the page it leads to to load, and for then
// on it, and keeps a screenshot named name.
func (b *Tab) Click(sel, then, name string) {
	b.t.Helper()
	Run(b, chromedp.Evaluate[bool](`window.__wanxiaOld = true`))
	b.Do(chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(Timeout)
	for {
		loaded, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.__wanxiaOld && document.readyState === "complete"`))
		if loaded {
			break
		}
		if time.Now().After(deadline) {
			b.Shot("clicked")
			b.t.Fatalf("clicking %s led to no new page", sel)
		}
		time.Sleep(30 * time.Millisecond)
	}
	b.Do(chromedp.WaitVisible(chromedp.CSS(then)))
	b.Shot(name)
}

// Tick clicks sel where the click loads no page: a checkbox, a radio
// button, a button the page's own script answers.
func (b *Tab) Tick(sel string) {
	b.t.Helper()
	b.Do(chromedp.Click(chromedp.CSS(sel)))
}

// Text is the visible text of sel.
func (b *Tab) Text(sel string) string {
	b.t.Helper()
	return Run(b, chromedp.Text(chromedp.CSS(sel)))
}

// Value is the value of the form field sel.
func (b *Tab) Value(sel string) string {
	b.t.Helper()
	return Run(b, chromedp.Value(chromedp.CSS(sel)))
}

// FieldError is the error the desk shows beside the form field named
// field (its element #f-field-error), "" when it shows none.
func (b *Tab) FieldError(field string) string {
	b.t.Helper()
	return Run(b, chromedp.Evaluate[string](fmt.Sprintf(`(document.getElementById(%q) || {}).innerText || ""`, "f-"+field+"-error")))
}

// Type types into the field sel as a person does, after emptying it.
func (b *Tab) Type(sel, text string) {
	b.t.Helper()
	b.Do(chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Fill types text into the field sel as a person does, replacing what it
// held (an empty text area too).
func (b *Tab) Fill(sel, text string) {
	b.t.Helper()
	b.Set(sel, "")
	b.Do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Set puts value in the field sel as a date picker or a choice does, and
// tells the page's script it changed.
func (b *Tab) Set(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const f = document.querySelector(%q); if (!f) return false; f.value = %q;
		f.dispatchEvent(new Event("input", {bubbles: true})); f.dispatchEvent(new Event("change", {bubbles: true})); return f.value === %q })()`,
		sel, value, value)
	require.True(b.t, Run(b, chromedp.Evaluate[bool](js)), "set %s to %q", sel, value)
}

// Choose picks the option value of the select sel.
func (b *Tab) Choose(sel, value string) {
	b.t.Helper()
	b.Do(chromedp.SetValue(chromedp.CSS(sel), value))
}

// ChooseText picks the option of the select sel whose text is text.
func (b *Tab) ChooseText(sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); const o = s && [...s.options].find(o => o.text.trim() === %q); if (!o) return false; s.value = o.value; return true })()`, sel, text)
	require.True(b.t, Run(b, chromedp.Evaluate[bool](js)), "%s offers %s", sel, text)
}

// Count is how many elements sel finds.
func (b *Tab) Count(sel string) int {
	b.t.Helper()
	return Run(b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// Path is the address on screen, without base (the desk's address).
func (b *Tab) Path(base string) string {
	b.t.Helper()
	return strings.TrimPrefix(Run(b, chromedp.Location()), base)
}

// WaitText waits until the text of sel contains want.
func (b *Tab) WaitText(sel, want string) {
	b.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		got, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](fmt.Sprintf(`(document.querySelector(%q) || {}).innerText || ""`, sel)))
		if strings.Contains(got, want) {
			return
		}
		if time.Now().After(deadline) {
			b.Shot("waited")
			b.t.Fatalf("%s never showed %q; it shows %q", sel, want, got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Download clicks the link sel, which sends a file, and waits for the
// file; it returns the file's path, in a folder of the test's.
func (b *Tab) Download(sel string) string {
	b.t.Helper()
	dir := b.t.TempDir()
	// The tab's own browser context is told where its downloads go.
	id := chromedp.FromContext(b.ctx).BrowserContextID
	allow := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, BrowserContextID: id})
		return chromedp.Void{}, err
	}
	b.Do(allow, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(Timeout)
	for {
		entries, err := os.ReadDir(dir)
		require.NoError(b.t, err)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				return filepath.Join(dir, e.Name())
			}
		}
		require.False(b.t, time.Now().After(deadline), "%s sent no file", sel)
		time.Sleep(50 * time.Millisecond)
	}
}
