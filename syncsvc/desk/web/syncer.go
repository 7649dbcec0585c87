package web

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// DefaultAutoSync is how often the desk syncs by itself when the office
// has not set it (SetAutoSync).
const DefaultAutoSync = 5 * time.Minute

// metaAutoSync is the replica meta entry holding the office's choice of
// how often the desk syncs by itself, in minutes; "0" is never.
const metaAutoSync = "desk_autosync_minutes"

// syncer runs one sync at a time in the background, for the 同步 button
// and the automatic sync, and keeps its progress and outcome for the
// pages to show.
type syncer struct {
	s       *Server
	mu      sync.Mutex
	running bool
	auto    bool
	started time.Time
	step    syncsvc.Progress
	last    *syncOutcome
	wg      sync.WaitGroup
}

// syncOutcome is how the last sync ended.
type syncOutcome struct {
	At     time.Time
	Auto   bool
	Result desk.SyncResult
	Err    error
	Why    desk.SyncDiagnosis
}

func newSyncer(s *Server) *syncer { return &syncer{s: s} }

// start begins a sync unless one is running; it reports whether it began
// one.
func (y *syncer) start(auto bool) bool {
	y.mu.Lock()
	defer y.mu.Unlock()
	if y.running || y.s.ctx.Err() != nil {
		return false
	}
	y.running, y.auto, y.started, y.step = true, auto, y.s.now(), syncsvc.Progress{Phase: "hello"}
	y.wg.Add(1)
	go y.run(auto)
	return true
}

func (y *syncer) run(auto bool) {
	defer y.wg.Done()
	ctx := y.s.ctx
	opts := y.s.opts.Sync
	if auto {
		opts.Retries = -1 // an automatic sync tries once; the next comes soon
	}
	opts.Progress = func(p syncsvc.Progress) {
		y.mu.Lock()
		y.step = p
		y.mu.Unlock()
	}
	res, err := desk.Sync(ctx, y.s.rep, opts)
	out := &syncOutcome{At: y.s.now(), Auto: auto, Result: res, Err: err}
	if err != nil {
		out.Why = desk.DiagnoseSync(ctx, err, res.Report)
		y.s.log.Warn("desk sync did not finish", "auto", auto, "kind", int(out.Why.Kind), "err", redact(err))
	} else {
		y.s.log.Info("desk synced", "auto", auto, "pushed", res.Report.Pushed, "pulled", res.Report.Pulled, "refused", res.Report.Refused)
	}
	y.mu.Lock()
	y.running, y.last = false, out
	y.mu.Unlock()
}

// wait waits for a sync in progress to end.
func (y *syncer) wait() { y.wg.Wait() }

// syncSnapshot is the syncer's state at one moment.
type syncSnapshot struct {
	Running bool
	Auto    bool
	Started time.Time
	Step    syncsvc.Progress
	Last    *syncOutcome
}

func (y *syncer) snapshot() syncSnapshot {
	y.mu.Lock()
	defer y.mu.Unlock()
	return syncSnapshot{Running: y.running, Auto: y.auto, Started: y.started, Step: y.step, Last: y.last}
}

// autoSyncEvery is how often the desk syncs by itself: the option, else
// the office's setting, else DefaultAutoSync; 0 is never.
func (s *Server) autoSyncEvery(ctx context.Context) time.Duration {
	if s.opts.AutoSync < 0 {
		return 0
	}
	if s.opts.AutoSync > 0 {
		return s.opts.AutoSync
	}
	v, err := s.rep.Meta(ctx, metaAutoSync)
	if err != nil || v == "" {
		return DefaultAutoSync
	}
	m, err := strconv.Atoi(v)
	if err != nil || m < 0 {
		return DefaultAutoSync
	}
	return time.Duration(m) * time.Minute
}

// autoSyncMinutes is how often the desk syncs by itself in whole minutes,
// rounded up; 0 never.
func (s *Server) autoSyncMinutes(ctx context.Context) int {
	every := s.autoSyncEvery(ctx)
	if every <= 0 {
		return 0
	}
	return int((every + time.Minute - 1) / time.Minute)
}

// SetAutoSync keeps how often the office's desk syncs by itself, in whole
// minutes; 0 turns it off.
func (s *Server) SetAutoSync(ctx context.Context, minutes int) error {
	if minutes < 0 {
		minutes = 0
	}
	return s.rep.SetMeta(ctx, map[string]string{metaAutoSync: strconv.Itoa(minutes)})
}

// AutoSync syncs the office every few minutes (see Options.AutoSync) until
// ctx ends or the desk is closed: at once when it starts, then after each
// interval. An office whose hub is not set is left alone; a hub that
// cannot be reached is tried again at the next interval, once.
func (s *Server) AutoSync(ctx context.Context) {
	for {
		every := s.autoSyncEvery(ctx)
		if every > 0 && s.hasHub(ctx) {
			s.sync.start(true)
		}
		if every <= 0 {
			every = time.Minute // look at the setting again
		}
		select {
		case <-ctx.Done():
			return
		case <-s.ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// hasHub reports whether the office keeps a hub to sync with.
func (s *Server) hasHub(ctx context.Context) bool {
	_, err := transport.LoadConnection(ctx, s.rep)
	return err == nil
}

// startSync is the 同步 button: it starts a sync and goes back to the page
// it came from, whose panel then shows the progress (the script asks for
// the panel again; without it, the page reloads).
func (s *Server) startSync(w http.ResponseWriter, r *http.Request) {
	s.sync.start(false)
	if r.Header.Get("X-Desk-Token") != "" { // the page's script, which then asks for the panel
		w.WriteHeader(http.StatusAccepted)
		return
	}
	http.Redirect(w, r, localPath(r.PostFormValue("back"))+"#sync", http.StatusSeeOther)
}

// syncPanel is the sync panel alone, for the page's script to show the
// progress live.
func (s *Server) syncPanel(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "", "today.title")
	p.Path = localPath(r.URL.Query().Get("back"))
	view, err := s.syncView(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Data = view
	s.render(w, r, "syncpanel", p)
}
