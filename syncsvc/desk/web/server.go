package web

import (
	"context"
	"crypto/rand"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

//go:embed templates static
var files embed.FS

// ErrNoPassword: the desk was asked to require a password (it listens on
// an address other computers reach) but none is set (SetPassword).
var ErrNoPassword = errors.New("the office desk has no password set")

// Options are the settings of an office desk. The zero value serves a
// desk on loopback in Chinese, on the real clock, syncing every
// DefaultAutoSync.
type Options struct {
	// Now is the clock: what today is for visits due and when a visit is
	// recorded. Nil means time.Now.
	Now func() time.Time
	// Lang is the language of a reader who has not chosen one (the
	// command's --lang); "" is Chinese.
	Lang cadre.Lang
	// RequirePassword asks every reader to sign in with the password set
	// by SetPassword before anything else: for a desk that listens on an
	// address other computers reach. New fails with ErrNoPassword when
	// none is set.
	RequirePassword bool
	// LoopbackOnly refuses a request whose Host is not a loopback name
	// (127.0.0.1, ::1, localhost), so that a web page elsewhere cannot
	// reach the desk under a name of its own (DNS rebinding).
	LoopbackOnly bool
	// Secure marks the cookies Secure, for a desk served over TLS.
	Secure bool
	// AutoSync is how often the desk syncs by itself while AutoSync runs;
	// zero means the office's setting (SetAutoSync), DefaultAutoSync when
	// it has none; negative never.
	AutoSync time.Duration
	// Sync is how the desk calls the hub (retries, deadlines).
	Sync desk.SyncOptions
	// Logger hears of each request (method, route, status, duration:
	// never a query, an ID number or a health detail) and of automatic
	// syncs; nil logs nothing.
	Logger *slog.Logger
}

// Server is an office desk: an http.Handler serving the pages over one
// office replica.
type Server struct {
	rep *store.Replica
	// memo serves the lists of every cadre (今日, a search) from what
	// they read before, until something is written.
	memo  *desk.Memo
	opts  Options
	log   *slog.Logger
	mux   *http.ServeMux
	pages map[string]*pageTemplate
	// key signs the forms' tokens (see sessions).
	key      []byte
	sessions *sessions
	attempts loginAttempts
	// hash is the password's hash, "" when none is required.
	hash  string
	sync  *syncer
	ctx   context.Context
	stop  context.CancelFunc
	close sync.Once
}

// New returns the desk over rep, an office replica the caller keeps open
// while the desk serves and closes after Close.
func New(ctx context.Context, rep *store.Replica, opts Options) (*Server, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Lang == "" {
		opts.Lang = cadre.Chinese
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{rep: rep, memo: desk.NewMemo(rep), opts: opts, log: log, key: make([]byte, 32), sessions: newSessions()}
	if _, err := rand.Read(s.key); err != nil {
		return nil, fmt.Errorf("office desk: %w", err)
	}
	if opts.RequirePassword {
		hash, err := rep.Meta(ctx, metaPassword)
		if err != nil {
			return nil, fmt.Errorf("office desk: %w", err)
		}
		if hash == "" {
			return nil, ErrNoPassword
		}
		s.hash = hash
	}
	pages, err := parsePages()
	if err != nil {
		return nil, fmt.Errorf("office desk: %w", err)
	}
	s.pages = pages
	s.ctx, s.stop = context.WithCancel(context.WithoutCancel(ctx))
	s.sync = newSyncer(s)
	s.routes()
	return s, nil
}

// Close stops a sync in progress and waits for it to end. The replica
// stays open.
func (s *Server) Close() {
	s.close.Do(func() {
		s.stop()
		s.sync.wait()
		s.memo.Close()
	})
}

// routes registers every address the desk answers: the desk's own, then
// each section's (its …Routes method, listed here; its nav entry is in
// sections, nav.go).
func (s *Server) routes() {
	m := http.NewServeMux()
	static, _ := fs.Sub(files, "static")
	m.Handle("GET /static/", http.StripPrefix("/static/", cacheFor(24*time.Hour, http.FileServerFS(static))))
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/today", http.StatusSeeOther) })
	m.HandleFunc("GET /login", s.loginPage)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("POST /logout", s.logout)
	m.HandleFunc("POST /lang", s.setLang)
	m.HandleFunc("POST /id-number", s.idNumberInfo)
	m.HandleFunc("POST /sync", s.startSync)
	m.HandleFunc("GET /sync/panel", s.syncPanel)
	for _, rts := range [][]route{s.todayRoutes(), s.cadreRoutes(), s.registerRoutes(), s.rosterRoutes(), s.careRoutes(), s.branchRoutes(), s.reportRoutes(), s.conflictRoutes(), s.officeRoutes()} {
		for _, rt := range rts {
			m.HandleFunc(rt.pattern, rt.handler)
		}
	}
	s.mux = m
}

// route is one address of a section and its handler.
type route struct {
	pattern string
	handler http.HandlerFunc
}

// ServeHTTP serves one request: security headers, the host check, the
// reader's session, the password and the form token, then the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	s.serve(rec, r)
	_, pattern := s.mux.Handler(r)
	if pattern == "" {
		pattern = r.Method + " (no route)"
	}
	// The route's pattern, never the path or its query: they may hold what
	// a log must not.
	s.log.Info("desk request", "route", pattern, "status", rec.status, "took", time.Since(start).Round(time.Microsecond).String())
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	if s.opts.LoopbackOnly && !loopbackHost(r.Host) {
		http.Error(w, "421 misdirected request: the office desk answers only at 127.0.0.1", http.StatusMisdirectedRequest)
		return
	}
	if strings.HasPrefix(r.URL.Path, "/static/") {
		s.mux.ServeHTTP(w, r)
		return
	}
	// Pages hold personal records: no cache keeps them.
	h.Set("Cache-Control", "no-store")
	sess := s.sessions.get(w, r, s.opts.Secure)
	r = r.WithContext(context.WithValue(r.Context(), sessionKey{}, sess))
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	}
	if r.Method == http.MethodPost && !s.tokenOK(r, sess) {
		s.forbidden(w, r)
		return
	}
	if s.hash != "" && !sess.signedIn() && r.URL.Path != "/login" && r.URL.Path != "/lang" {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/login", http.StatusSeeOther)
			return
		}
		s.forbidden(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// loopbackHost reports whether a request's Host names this computer.
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// cacheFor lets a browser keep the embedded assets for d.
func cacheFor(d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", fmt.Sprintf("public, max-age=%d", int(d.Seconds())))
		h.ServeHTTP(w, r)
	})
}

// statusRecorder keeps the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// Flush lets a handler stream through the recorder.
func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// now is the desk's clock.
func (s *Server) now() time.Time { return s.opts.Now() }

// today is the civil day in Shanghai.
func (s *Server) today() cadre.Date { return desk.Today(s.now()) }
