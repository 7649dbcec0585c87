package web

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

func (s *Server) officeRoutes() []route {
	return []route{
		{"GET /office", s.officePage},
		{"POST /office/connect", s.officeConnect},
		{"POST /office/backup", s.officeBackup},
		{"POST /office/autosync", s.officeAutoSync},
	}
}

// officeView is the 本机 page: the hub, the database and its backups, and
// the automatic sync.
type officeView struct {
	State    desk.SyncState
	Name     string
	DB       string
	DBSize   string
	ReadOnly bool
	// BackupDir is where backups are written; Backups the ones there,
	// newest first.
	BackupDir string
	Backups   []backupFile
	// AutoMinutes is the office's setting; Fixed is set when the command
	// fixed the interval for this run.
	AutoMinutes int
	Fixed       bool
}

// backupFile is one backup of the replica.
type backupFile struct {
	Name, Path, Size string
	At               time.Time
}

// backupDir is where the office's backups go: backups, beside the
// replica, as office backup writes them.
func (s *Server) backupDir() string { return filepath.Join(filepath.Dir(s.rep.Path()), "backups") }

func (s *Server) officePage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "office", "office.title")
	if c, err := transport.LoadConnection(r.Context(), s.rep); err == nil || c.HubURL != "" {
		p.Form.Values["hub_url"] = c.HubURL
	}
	s.showOffice(w, r, p, http.StatusOK)
}

func (s *Server) showOffice(w http.ResponseWriter, r *http.Request, p *page, status int) {
	ctx := r.Context()
	st, err := desk.OfficeSyncState(ctx, s.rep)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := officeView{State: st, Name: s.officeName(r), DB: s.rep.Path(), ReadOnly: s.rep.ReadOnly(), BackupDir: s.backupDir(),
		AutoMinutes: s.autoSyncMinutes(ctx), Fixed: s.opts.AutoSync != 0}
	if fi, err := os.Stat(v.DB); err == nil {
		v.DBSize = sizeText(fi.Size())
	}
	paths, err := syncsvc.Backups(v.BackupDir, syncsvc.RoleOffice)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, path := range paths {
		b := backupFile{Name: filepath.Base(path), Path: path}
		if fi, err := os.Stat(path); err == nil {
			b.Size, b.At = sizeText(fi.Size()), fi.ModTime()
		}
		v.Backups = append(v.Backups, b)
	}
	slices.SortFunc(v.Backups, func(a, b backupFile) int { return strings.Compare(b.Name, a.Name) })
	p.Data = v
	s.renderStatus(w, r, status, "office", p)
}

// sizeText is a file's size in MB, to one decimal.
func sizeText(n int64) string { return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB" }

// officeConnect keeps a new hub address or token, once the hub has
// confirmed it (desk.Reconnect).
func (s *Server) officeConnect(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "office", "office.title")
	hubURL := trimmed(r, "hub_url")
	p.Form.Values["hub_url"] = hubURL
	token := trimmed(r, "token")
	if token == "" {
		p.addProblem("token", p.T("office.token"), p.T("office.tokenRequired"))
		s.showOffice(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	check, err := desk.Reconnect(r.Context(), s.rep, hubURL, token)
	var wrong *syncsvc.WrongOfficeError
	switch {
	case errors.Is(err, transport.ErrBadHubURL):
		p.addProblem("hub_url", p.T("office.hub"), p.T("office.badHub", hubURL))
	case errors.As(err, &wrong):
		p.addProblem("token", p.T("office.token"), p.T("office.wrongOffice", wrong.Got, wrong.Want))
	case errors.Is(err, syncsvc.ErrUnauthenticated), errors.Is(err, syncsvc.ErrPermission):
		p.addProblem("token", p.T("office.token"), p.T("office.tokenRefused"))
	case err != nil:
		p.addProblem("", "", s.describe(err, p))
	case !check.Checked:
		s.redirect(w, r, "/office", p.T("office.savedUnchecked"))
		return
	default:
		s.redirect(w, r, "/office", p.T("office.saved", check.Hello.OfficeName))
		return
	}
	s.showOffice(w, r, p, http.StatusUnprocessableEntity)
}

// officeBackup writes a checked backup beside the replica.
func (s *Server) officeBackup(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "office", "office.title")
	path, err := desk.Backup(r.Context(), s.rep, s.backupDir())
	if err != nil {
		p.addProblem("", "", p.T("office.backupFailed", s.describe(err, p)))
		s.showOffice(w, r, p, http.StatusInternalServerError)
		return
	}
	s.redirect(w, r, "/office#backups", p.T("office.backedUp", path))
}

// officeAutoSync keeps how often the desk syncs by itself.
func (s *Server) officeAutoSync(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "office", "office.title")
	m, err := strconv.Atoi(trimmed(r, "minutes"))
	if err != nil || m < 0 || m > 24*60 {
		p.Form.Values["minutes"] = r.PostFormValue("minutes")
		p.addProblem("minutes", p.T("office.autoMinutes"), p.T("office.badMinutes"))
		s.showOffice(w, r, p, http.StatusUnprocessableEntity)
		return
	}
	if err := s.SetAutoSync(r.Context(), m); err != nil {
		s.fail(w, r, err)
		return
	}
	flash := p.T("office.autoSet", m)
	if m == 0 {
		flash = p.T("office.autoOff")
	}
	s.redirect(w, r, "/office#autosync", flash)
}
