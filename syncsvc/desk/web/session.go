package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// The cookies of the desk, and the form field that carries the token.
const (
	sessionCookie = "wanxia_desk"
	langCookie    = "wanxia_lang"
	tokenField    = "_token"
	// maxSessions bounds the sessions kept in memory; the oldest goes.
	maxSessions = 500
)

// metaPassword is the replica meta entry holding the desk's password as a
// bcrypt hash (the replica's file has mode 0600).
const metaPassword = "desk_password"

// MinPasswordRunes is the shortest password SetPassword accepts.
const MinPasswordRunes = 8

// ErrShortPassword: a password shorter than MinPasswordRunes.
var ErrShortPassword = errors.New("the password is too short")

// SetPassword keeps the password readers must give when the desk listens
// on an address other computers reach (Options.RequirePassword), as a
// bcrypt hash in the office's replica; it replaces the one before.
func SetPassword(ctx context.Context, rep *store.Replica, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordRunes {
		return cadre.WordedZH(fmt.Errorf("%w: give at least %d characters", ErrShortPassword, MinPasswordRunes),
			fmt.Sprintf("密码太短：至少 %d 个字符", MinPasswordRunes))
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return fmt.Errorf("set the desk's password: %w", err)
	}
	if err := rep.SetMeta(ctx, map[string]string{metaPassword: string(hash)}); err != nil {
		return fmt.Errorf("set the desk's password: %w", err)
	}
	return nil
}

// HasPassword reports whether a password is set for the desk.
func HasPassword(ctx context.Context, rep *store.Replica) (bool, error) {
	hash, err := rep.Meta(ctx, metaPassword)
	if err != nil {
		return false, fmt.Errorf("read the desk's password: %w", err)
	}
	return hash != "", nil
}

// session is one reader's visit: a browser holding the session cookie.
type session struct {
	id      string
	created time.Time
	mu      sync.Mutex
	signed  bool
	// flash is what the last action did, for the next page to show once.
	flash string
	// uploads are rosters uploaded for a preview, awaiting confirmation,
	// by a key the confirming form carries.
	uploads map[string]*upload
}

func (s *session) signedIn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.signed
}

// sessionKey is the request context's key of the session.
type sessionKey struct{}

func sessionOf(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey{}).(*session)
	return s
}

// sessions are the sessions of this run of the desk, in memory: a
// restart asks each browser to load its page again before a form is
// accepted.
type sessions struct {
	mu   sync.Mutex
	byID map[string]*session
}

func newSessions() *sessions { return &sessions{byID: map[string]*session{}} }

// get returns the request's session, starting one (and setting its
// cookie) when the request has none this run knows.
func (ss *sessions) get(w http.ResponseWriter, r *http.Request, secure bool) *session {
	if c, err := r.Cookie(cookieName(r)); err == nil {
		ss.mu.Lock()
		s := ss.byID[c.Value]
		ss.mu.Unlock()
		if s != nil {
			return s
		}
	}
	return ss.start(w, r, secure)
}

// cookieName is the session cookie's name for the desk the request came
// to: a browser keeps cookies by host, not port, so two desks on one
// computer (two offices' files) each keep their own session.
func cookieName(r *http.Request) string {
	_, port, err := net.SplitHostPort(r.Host)
	if err != nil || strings.ContainsFunc(port, func(c rune) bool { return c < '0' || c > '9' }) {
		return sessionCookie
	}
	return sessionCookie + "_" + port
}

// start begins a new session and sets its cookie.
func (ss *sessions) start(w http.ResponseWriter, r *http.Request, secure bool) *session {
	s := &session{id: randomToken(), created: time.Now(), uploads: map[string]*upload{}}
	ss.mu.Lock()
	if len(ss.byID) >= maxSessions {
		var oldest *session
		for _, o := range ss.byID {
			if oldest == nil || o.created.Before(oldest.created) {
				oldest = o
			}
		}
		delete(ss.byID, oldest.id)
	}
	ss.byID[s.id] = s
	ss.mu.Unlock()
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: s.id, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteStrictMode})
	return s
}

// drop ends a session.
func (ss *sessions) drop(s *session) {
	ss.mu.Lock()
	delete(ss.byID, s.id)
	ss.mu.Unlock()
}

// randomToken is 256 random bits, URL-safe.
func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("office desk: no randomness: %v", err)) // crypto/rand never fails on a working system
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// token is the form token of a session: a keyed hash of its id, which a
// page on another site can neither read nor make.
func (s *Server) token(sess *session) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(sess.id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// tokenOK reports whether a POST carries its session's token, in the form
// or, from the page's script, in the X-Desk-Token header.
func (s *Server) tokenOK(r *http.Request, sess *session) bool {
	got := r.Header.Get("X-Desk-Token")
	if got == "" {
		if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			if err := r.ParseMultipartForm(maxUpload); err != nil {
				return false
			}
		}
		got = r.PostFormValue(tokenField)
	}
	return got != "" && hmac.Equal([]byte(got), []byte(s.token(sess)))
}

// forbidden answers a POST without its session's token: 403 and a page
// that says so, and that nothing was saved.
func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "forbidden.title")
	s.renderStatus(w, r, http.StatusForbidden, "forbidden", p)
}

// langOf is the reader's language: their choice, else the desk's.
func (s *Server) langOf(r *http.Request) cadre.Lang {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, err := cadre.ParseLang(c.Value); err == nil {
			return l
		}
	}
	return s.opts.Lang
}

// setLang keeps the reader's choice of language and goes back to the page.
func (s *Server) setLang(w http.ResponseWriter, r *http.Request) {
	l, err := cadre.ParseLang(r.PostFormValue("lang"))
	if err != nil {
		l = cadre.Chinese
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.opts.Secure, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, localPath(r.PostFormValue("back")), http.StatusSeeOther)
}

// localPath is back when it is a path of this desk, else the first page:
// a form never sends the reader elsewhere.
func localPath(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return "/today"
	}
	return back
}

// loginAttempts slows down guessing: after maxFailures wrong passwords
// within failureWindow, every sign-in waits out the window.
type loginAttempts struct {
	mu       sync.Mutex
	failures []time.Time
}

const (
	maxFailures   = 5
	failureWindow = time.Minute
)

func (la *loginAttempts) blocked(now time.Time) bool {
	la.mu.Lock()
	defer la.mu.Unlock()
	kept := la.failures[:0]
	for _, f := range la.failures {
		if now.Sub(f) < failureWindow {
			kept = append(kept, f)
		}
	}
	la.failures = kept
	return len(kept) >= maxFailures
}

func (la *loginAttempts) fail(now time.Time) {
	la.mu.Lock()
	la.failures = append(la.failures, now)
	la.mu.Unlock()
}

// loginView is the sign-in page.
type loginView struct {
	Wrong, Blocked bool
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if s.hash == "" || sessionOf(r).signedIn() {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "", "login.title")
	p.Data = loginView{}
	s.render(w, r, "login", p)
}

// login checks the password and, when it is right, starts a new signed-in
// session (a new id, so that a session fixed before cannot be used).
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.hash == "" {
		http.Redirect(w, r, "/today", http.StatusSeeOther)
		return
	}
	p := s.newPage(r, "", "login.title")
	if s.attempts.blocked(time.Now()) {
		p.Data = loginView{Blocked: true}
		s.renderStatus(w, r, http.StatusTooManyRequests, "login", p)
		return
	}
	if bcrypt.CompareHashAndPassword([]byte(s.hash), []byte(r.PostFormValue("password"))) != nil {
		s.attempts.fail(time.Now())
		p.Problems = []problem{{Field: "password", Text: p.T("login.wrong")}}
		p.Data = loginView{Wrong: true}
		s.renderStatus(w, r, http.StatusUnauthorized, "login", p)
		return
	}
	s.sessions.drop(sessionOf(r))
	fresh := s.sessions.start(w, r, s.opts.Secure)
	fresh.mu.Lock()
	fresh.signed = true
	fresh.mu.Unlock()
	http.Redirect(w, r, "/today", http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	s.sessions.drop(sessionOf(r))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// setFlash keeps what an action did, for the next page to show once.
func (s *session) setFlash(text string) {
	s.mu.Lock()
	s.flash = text
	s.mu.Unlock()
}

// takeFlash returns what an action did and forgets it.
func (s *session) takeFlash() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.flash
	s.flash = ""
	return f
}
