package testkit

import (
	"fmt"
	"sync"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// FixedNow is the instant of a test that names none: 2026-11-28 10:00 in
// Shanghai, a Saturday. It is itself a clock that never moves, to pass
// where a func() time.Time is asked for.
func FixedNow() time.Time { return time.Date(2026, 11, 28, 10, 0, 0, 0, syncsvc.Shanghai()) }

// Today is the date of FixedNow, 2026-11-28.
func Today() cadre.Date { return cadre.DateOf(FixedNow()) }

// At returns the instant "YYYY-MM-DD HH:MM" in Shanghai. It panics on any
// other form: the string is a test's own literal.
func At(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, syncsvc.Shanghai())
	if err != nil {
		panic(fmt.Sprintf("testkit.At(%q): %v", s, err))
	}
	return t
}

// Date parses "YYYY-MM-DD". It panics on anything else: the string is a
// test's own literal.
func Date(s string) cadre.Date {
	d, err := cadre.ParseDate(s)
	if err != nil {
		panic(fmt.Sprintf("testkit.Date(%q): %v", s, err))
	}
	return d
}

// Fixed returns a clock that always reads t.
func Fixed(t time.Time) func() time.Time { return func() time.Time { return t } }

// Clock is a clock a test moves by hand: it reads the instant it was made
// with or last moved to. A ticking clock (see Ticking) also moves on by its
// step before each reading. It is safe for concurrent use, so a replica's
// goroutines may read it while the test moves it.
type Clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

// NewClock returns a clock that reads t until it is set or advanced.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Ticking returns a clock that reads start plus step at its first reading,
// and step later at each reading after: every stamp it gives is distinct.
func Ticking(start time.Time, step time.Duration) *Clock { return &Clock{t: start, step: step} }

// Now reads the clock. Pass the method value c.Now as a replica's clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(c.step)
	return c.t
}

// Set moves the clock to t, backwards or forwards.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}
