package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
)

// More of what a clerk does in a tab, for the working sections' tests.

// tick clicks a checkbox or a radio button: a click that loads no page.
func (b *tab) tick(sel string) {
	b.t.Helper()
	b.do(chromedp.Click(chromedp.CSS(sel)))
}

// fill types text into the field sel as a person does, replacing what it
// held (an empty text area too).
func (b *tab) fill(sel, text string) {
	b.t.Helper()
	b.set(sel, "")
	b.do(chromedp.SendKeys(chromedp.CSS(sel), text))
}

// set puts value in the field sel as a date picker or a choice does, and
// tells the page's script it changed.
func (b *tab) set(sel, value string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const f = document.querySelector(%q); if (!f) return false; f.value = %q;
		f.dispatchEvent(new Event("input", {bubbles: true})); f.dispatchEvent(new Event("change", {bubbles: true})); return f.value === %q })()`,
		sel, value, value)
	require.True(b.t, run(b, chromedp.Evaluate[bool](js)), "set %s to %q", sel, value)
}

// chooseText picks the option of the select sel whose text is text.
func (b *tab) chooseText(sel, text string) {
	b.t.Helper()
	js := fmt.Sprintf(`(() => { const s = document.querySelector(%q); const o = s && [...s.options].find(o => o.text.trim() === %q); if (!o) return false; s.value = o.value; return true })()`, sel, text)
	require.True(b.t, run(b, chromedp.Evaluate[bool](js)), "%s offers %s", sel, text)
}

// count is how many elements sel finds.
func (b *tab) count(sel string) int {
	b.t.Helper()
	return run(b, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// path is the address on screen, without the desk's host.
func (b *tab) path(base string) string {
	b.t.Helper()
	return strings.TrimPrefix(run(b, chromedp.Location()), base)
}

// download clicks the link sel, which sends a file, and waits for the file;
// it returns the file's path.
func (b *tab) download(sel string) string {
	b.t.Helper()
	dir := b.t.TempDir()
	// The tab's own browser context is told where its downloads go.
	id := chromedp.FromContext(b.ctx).BrowserContextID
	allow := func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := cdp.Call(ctx, t, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
			Behavior: browser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, BrowserContextID: id})
		return chromedp.Void{}, err
	}
	b.do(allow, chromedp.Click(chromedp.CSS(sel)))
	deadline := time.Now().Add(timeout)
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
