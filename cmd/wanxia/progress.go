package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// plainEvery is how often progress is written as plain lines when stderr
// is not a terminal (a log file, a pipe); a new phase is always written.
const plainEvery = 2 * time.Second

// progress shows long work on stderr: one line redrawn in place on a
// terminal, an occasional plain line otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	phase string
	last  time.Time
	drawn bool
}

func (a *app) newProgress() *progress {
	f, ok := a.stderr.(*os.File)
	return &progress{w: a.stderr, tty: ok && term.IsTerminal(int(f.Fd()))}
}

// update shows text as the state of phase.
func (p *progress) update(phase, text string) {
	now := time.Now()
	switch {
	case p.tty:
		if phase == p.phase && now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		fmt.Fprintf(p.w, "\r\x1b[K%s", text)
		p.drawn = true
	case phase != p.phase || now.Sub(p.last) >= plainEvery:
		fmt.Fprintln(p.w, text)
	default:
		return
	}
	p.phase, p.last = phase, now
}

// done clears the line drawn on a terminal, so that what follows starts
// on a clean line.
func (p *progress) done() {
	if p.tty && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
