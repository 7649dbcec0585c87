package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// chromium is Debian's browser, which .ci/run installs when it is missing.
const chromium = "/usr/bin/chromium"

// clerkTimeout bounds each step a clerk takes: a page that does not come
// fails the test rather than hanging it.
const clerkTimeout = 30 * time.Second

// clerk is a person at the desk: a real headless Chromium driven with
// chromedp, on one desk's address. Every page the clerk comes to is kept
// as a screenshot in WANXIA_SCREENSHOTS when it is set, and the page on
// screen is kept (in the test's folder, or there) when the test fails.
type clerk struct {
	t     *testing.T
	ctx   context.Context
	base  string
	shots string
	n     atomic.Int32
}

// newClerk starts a browser for the desk at base (http://127.0.0.1:port).
func newClerk(t *testing.T, base string) *clerk {
	t.Helper()
	if _, err := exec.LookPath(chromium); err != nil {
		t.Skipf("no %s: the browser tests need Debian's chromium (.ci/run installs it)", chromium)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(1280, 1000),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	c := &clerk{t: t, ctx: ctx, base: base, shots: os.Getenv("WANXIA_SCREENSHOTS")}
	require.NoError(t, chromedp.Do(ctx), "start %s", chromium)
	t.Cleanup(func() {
		if t.Failed() {
			c.keepScreen("failed")
		}
		cancel()
		cancelAlloc()
	})
	return c
}

// do takes the steps, each within clerkTimeout.
func (c *clerk) do(steps ...chromedp.Action[chromedp.Void]) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, clerkTimeout)
	defer cancel()
	require.NoError(c.t, chromedp.Do(ctx, steps...))
}

// read runs one step that gives a value.
func read[T any](c *clerk, step chromedp.Action[T]) T {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, clerkTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, step)
	require.NoError(c.t, err)
	return v
}

// open goes to a page of the desk and waits for it.
func (c *clerk) open(path string) {
	c.t.Helper()
	c.do(chromedp.Navigate(c.base+path), chromedp.WaitReady(chromedp.CSS("main")))
	c.seen()
}

// submit presses a button (a CSS selector) and waits for the page it
// leads to: the page on screen is marked, and the next page is the first
// one without the mark.
func (c *clerk) submit(button string) {
	c.t.Helper()
	c.do(chromedp.Evaluate[chromedp.Void](`document.body.dataset.visit = "old"`), chromedp.Click(chromedp.CSS(button)))
	deadline := time.Now().Add(clerkTimeout)
	for {
		ctx, cancel := context.WithTimeout(c.ctx, time.Second)
		// While the next page loads the old one's script context goes
		// away, which an evaluation then reports: it is tried again.
		arrived, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && !!document.querySelector("main") && document.body.dataset.visit !== "old"`))
		cancel()
		if err == nil && arrived {
			break
		}
		require.False(c.t, time.Now().After(deadline), "pressing %s led to no page", button)
		time.Sleep(40 * time.Millisecond)
	}
	c.seen()
}

// fill types text into a field (a CSS selector), replacing what it held.
func (c *clerk) fill(field, text string) {
	c.t.Helper()
	c.set(field, "")
	c.do(chromedp.SendKeys(chromedp.CSS(field), text))
}

// set puts a value in a field as a picker does (a date, a choice), and
// tells the page's script it changed.
func (c *clerk) set(field, value string) {
	c.t.Helper()
	js := fmt.Sprintf(`(() => { const f = document.querySelector(%s); if (!f) return false; f.value = %s;
		f.dispatchEvent(new Event("input", {bubbles: true})); f.dispatchEvent(new Event("change", {bubbles: true})); return f.value === %s })()`,
		jsString(field), jsString(value), jsString(value))
	require.True(c.t, read(c, chromedp.Evaluate[bool](js)), "set %s to %q", field, value)
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// choose picks the option of a select whose text is text.
func (c *clerk) choose(sel, text string) {
	c.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%s); const o = [...s.options].find(o => o.text.trim() === %s); if (!o) return false; s.value = o.value; return true })()`, jsString(sel), jsString(text))
	require.True(c.t, read(c, chromedp.Evaluate[bool](js)), "%s offers %s", sel, text)
}

// value is what a field holds.
func (c *clerk) value(sel string) string {
	c.t.Helper()
	return read(c, chromedp.Value(chromedp.CSS(sel)))
}

// tick clicks a checkbox or radio button.
func (c *clerk) tick(box string) {
	c.t.Helper()
	c.do(chromedp.Click(chromedp.CSS(box)))
}

// text is the visible text of the first element a selector finds.
func (c *clerk) text(sel string) string {
	c.t.Helper()
	return read(c, chromedp.Text(chromedp.CSS(sel)))
}

// mainText is the text of the page's main part.
func (c *clerk) mainText() string {
	c.t.Helper()
	return c.text("main")
}

// path is the address the browser shows, without the desk's host.
func (c *clerk) path() string {
	c.t.Helper()
	return strings.TrimPrefix(read(c, chromedp.Location()), c.base)
}

// count is how many elements a selector finds.
func (c *clerk) count(sel string) int {
	c.t.Helper()
	return read(c, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel))))
}

// waitText waits until the first element a selector finds holds text,
// and returns what it holds then.
func (c *clerk) waitText(sel, text string) string {
	c.t.Helper()
	deadline := time.Now().Add(clerkTimeout)
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText : "" })()`, jsString(sel))
	for {
		got, err := chromedp.Run(c.ctx, chromedp.Evaluate[string](js))
		if err == nil && strings.Contains(got, text) {
			c.seen()
			return got
		}
		require.False(c.t, time.Now().After(deadline), "%s never said %q; it says %q", sel, text, got)
		time.Sleep(100 * time.Millisecond)
	}
}

// download clicks a link that sends a file and waits for the file, which
// it returns the path of.
func (c *clerk) download(link string) string {
	c.t.Helper()
	dir := c.t.TempDir()
	allow := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir})
		return chromedp.Void{}, err
	}
	c.do(allow, chromedp.Click(chromedp.CSS(link)))
	deadline := time.Now().Add(clerkTimeout)
	for {
		entries, err := os.ReadDir(dir)
		require.NoError(c.t, err)
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), ".crdownload") {
				return filepath.Join(dir, e.Name())
			}
		}
		require.False(c.t, time.Now().After(deadline), "%s sent no file", link)
		time.Sleep(50 * time.Millisecond)
	}
}

// seen keeps a screenshot of the page on screen when WANXIA_SCREENSHOTS
// names a folder.
func (c *clerk) seen() {
	if c.shots == "" {
		return
	}
	loc, err := chromedp.Run(c.ctx, chromedp.Location())
	if err == nil {
		c.keepScreen(strings.TrimPrefix(loc, c.base))
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_-]+`)

// keepScreen writes the whole page as a PNG named after the test and what.
func (c *clerk) keepScreen(what string) {
	dir := c.shots
	if dir == "" {
		dir = c.t.TempDir()
	}
	ctx, cancel := context.WithTimeout(c.ctx, clerkTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.t.Logf("no screenshot: %v", err)
		return
	}
	n := c.n.Add(1)
	name := fmt.Sprintf("%s-%02d-%s.png", unsafeName.ReplaceAllString(c.t.Name(), "_"), n, strings.Trim(unsafeName.ReplaceAllString(what, "_"), "_"))
	path := filepath.Join(dir, name)
	if err := os.MkdirAll(dir, 0o755); err == nil {
		if err := os.WriteFile(path, png, 0o644); err == nil {
			c.t.Logf("screenshot: %s", path)
		}
	}
}

// evalBool is a JavaScript expression's truth, as a step.
func evalBool(js string) chromedp.Action[bool] { return chromedp.Evaluate[bool](js) }
