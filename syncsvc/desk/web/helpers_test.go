package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/syncsvc/desk/web"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

var ctx = context.Background()

// served is a desk over a real office replica, served on loopback, with a
// browser-like client (cookies, no redirects followed unless asked) and
// the desk's log.
type served struct {
	t    *testing.T
	rep  *store.Replica
	desk *web.Server
	srv  *httptest.Server
	c    *http.Client
	log  *lockedBuffer
}

// serve starts a desk on rep with opts (the fixed clock unless given).
func serve(t *testing.T, rep *store.Replica, opts web.Options) *served {
	t.Helper()
	if opts.Now == nil {
		opts.Now = testkit.FixedNow
	}
	logs := &lockedBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	if opts.AutoSync == 0 {
		opts.AutoSync = -1
	}
	d, err := web.New(ctx, rep, opts)
	require.NoError(t, err)
	srv := httptest.NewServer(d)
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &served{t: t, rep: rep, desk: d, srv: srv, c: c, log: logs}
}

// browserlessClient is a client that keeps cookies and follows no
// redirect, as serve gives.
func browserlessClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// page is one response: its status, address it sent to (for a redirect)
// and body.
type page struct {
	status   int
	location string
	body     string
}

func (s *served) do(req *http.Request) page {
	s.t.Helper()
	res, err := s.c.Do(req)
	require.NoError(s.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(s.t, err)
	return page{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b)}
}

// get fetches a page.
func (s *served) get(path string) page {
	s.t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	require.NoError(s.t, err)
	return s.do(req)
}

// post sends a form as a browser would; the session's token is added
// unless the form has one (an empty value sends none).
func (s *served) post(path string, form url.Values) page {
	s.t.Helper()
	if _, ok := form["_token"]; !ok {
		form.Set("_token", s.token())
	} else if form.Get("_token") == "" {
		form.Del("_token")
	}
	req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(form.Encode()))
	require.NoError(s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.do(req)
}

var tokenRE = regexp.MustCompile(`name="_token" value="([^"]+)"`)

// token is the session's form token, as a page carries it.
func (s *served) token() string {
	s.t.Helper()
	p := s.get("/today")
	m := tokenRE.FindStringSubmatch(p.body)
	require.NotNil(s.t, m, "a page carries the form token: %s", p.body)
	return m[1]
}

// lockedBuffer is a log a server writes while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// storeAll selects every cadre.
var storeAll = store.CadreFilter{}
