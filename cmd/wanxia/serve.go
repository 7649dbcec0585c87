package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
)

// serveOptions are the settings of hub serve.
type serveOptions struct {
	addr, certFile, keyFile string
	maxSkew                 time.Duration
	mergeAt                 *clockTime
	backupDir               string
	logger                  *slog.Logger
}

// shutdownTimeout is how long hub serve waits for calls in flight when it
// is told to stop.
const shutdownTimeout = 10 * time.Second

func (a *app) serveCmd() *cobra.Command {
	var o serveOptions
	var mergeAt, logFormat, logLevel string
	cmd := a.leaf("serve", "Serve sync to the offices (Connect, gRPC and gRPC-Web on one port) until SIGINT or SIGTERM", 0, func(cmd *cobra.Command, _ []string) error {
		var level slog.Level
		if err := level.UnmarshalText([]byte(logLevel)); err != nil {
			return a.usage("--log-level %q：应为 debug、info、warn 或 error", "--log-level %q: want debug, info, warn or error", logLevel)
		}
		hopts := &slog.HandlerOptions{Level: level}
		switch logFormat {
		case "text":
			o.logger = slog.New(slog.NewTextHandler(a.stderr, hopts))
		case "json":
			o.logger = slog.New(slog.NewJSONHandler(a.stderr, hopts))
		default:
			return a.usage("--log-format %q：应为 text 或 json", "--log-format %q: want text or json", logFormat)
		}
		if (o.certFile == "") != (o.keyFile == "") {
			return a.usage("--tls-cert 和 --tls-key 要一起给出", "give --tls-cert and --tls-key together")
		}
		if o.maxSkew <= 0 {
			return a.usage("--max-skew 要大于 0", "--max-skew must be more than 0")
		}
		if mergeAt != "" {
			at, err := parseClockTime(mergeAt)
			if err != nil {
				return a.usage("--merge-at %q：应为 HH:MM（上海时间）", "--merge-at %q: want HH:MM (Shanghai time)", mergeAt)
			}
			o.mergeAt = &at
		}
		return a.serve(cmd.Context(), o)
	})
	f := cmd.Flags()
	f.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on (port 0 picks a free port)")
	f.StringVar(&o.certFile, "tls-cert", "", "TLS certificate file (with --tls-key)")
	f.StringVar(&o.keyFile, "tls-key", "", "TLS key file (with --tls-cert)")
	f.DurationVar(&o.maxSkew, "max-skew", 10*time.Minute, "refuse changes stamped further ahead of the hub's clock")
	f.StringVar(&mergeAt, "merge-at", "", "run the merge daily at HH:MM Shanghai time, and at start when the last one was missed")
	f.StringVar(&o.backupDir, "backup", "", "directory for the scheduled merge's verified backups")
	f.StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return cmd
}

// serve runs the hub until ctx is cancelled, holding the database's lock so
// that a restore cannot replace the file under it.
func (a *app) serve(ctx context.Context, o serveOptions) (err error) {
	log := o.logger
	release, err := syncsvc.Lock(a.hubDB)
	if errors.Is(err, syncsvc.ErrInUse) {
		return a.fail(err, "另一个 wanxia hub serve 正在使用 %s：先停止它", "another wanxia hub serve is using %s: stop it first", a.hubDB)
	}
	if err != nil {
		return err
	}
	defer release()
	r, err := syncsvc.Open(ctx, a.hubDB, syncsvc.Options{Role: syncsvc.RoleHub, Logger: log})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{MaxSkew: o.maxSkew, Logger: log})
	if err != nil {
		return err
	}
	var tlsConf *tls.Config
	if o.certFile != "" {
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return a.fail(err, "读不了 TLS 证书或密钥：%v", "cannot load the TLS certificate or key: %v", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return a.fail(err, "不能在 %s 上监听：%v；换一个 --addr", "cannot listen on %s: %v; choose another --addr", o.addr, err)
	}
	srv := syncsvc.NewServer(ln.Addr().String(), hub.Handler())
	srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
	srv.TLSConfig = tlsConf
	served := make(chan error, 1)
	go func() {
		if tlsConf != nil {
			served <- srv.ServeTLS(ln, "", "")
			return
		}
		served <- srv.Serve(ln)
	}()
	scheme := "http"
	if tlsConf != nil {
		scheme = "https"
	}
	a.printf("hub 正在 %s://%s 上服务（数据库 %s）；按 Ctrl-C 停止\n", "hub serving on %s://%s (database %s); Ctrl-C stops it\n", scheme, ln.Addr(), a.hubDB)
	log.Info("hub serving", "addr", ln.Addr().String(), "tls", tlsConf != nil, "db", a.hubDB)

	loopCtx, stopLoop := context.WithCancel(ctx)
	var loops sync.WaitGroup
	if o.mergeAt != nil {
		loops.Go(func() { a.mergeLoop(loopCtx, r, *o.mergeAt, o.backupDir, log) })
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-served:
	}
	log.Info("hub stopping")
	stopLoop()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("calls still running at shutdown were cut off", "err", err)
	}
	loops.Wait()
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return a.fail(serveErr, "hub 停止了：%v", "the hub stopped: %v", serveErr)
	}
	log.Info("hub stopped")
	return nil
}

// clockTime is a time of day, HH:MM, in Shanghai.
type clockTime struct{ hour, minute int }

func parseClockTime(s string) (clockTime, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		return clockTime{}, err
	}
	return clockTime{t.Hour(), t.Minute()}, nil
}

func (c clockTime) String() string { return fmt.Sprintf("%02d:%02d", c.hour, c.minute) }

// on returns the time of day c on the Shanghai date of t.
func (c clockTime) on(t time.Time) time.Time {
	t = t.In(syncsvc.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), c.hour, c.minute, 0, 0, syncsvc.Shanghai)
}

// latest returns the most recent time of day c at or before now.
func (c clockTime) latest(now time.Time) time.Time {
	t := c.on(now)
	if t.After(now) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// next returns the first time of day c after now.
func (c clockTime) next(now time.Time) time.Time {
	t := c.on(now)
	if !t.After(now) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// mergeLoop runs the merge daily at the time at, and once at start when the
// last merge is older than the most recent scheduled time (a missed night).
// Merges run one after another on this goroutine; a failed one is logged
// and tried again at the next scheduled time.
func (a *app) mergeLoop(ctx context.Context, r *syncsvc.Replica, at clockTime, backupDir string, log *slog.Logger) {
	log.Info("merge scheduled", "daily_at", at.String(), "zone", "Asia/Shanghai")
	for {
		last, err := lastMerge(ctx, r)
		switch {
		case err != nil:
			log.Error("read the time of the last merge", "err", err)
		case last.Before(at.latest(time.Now())):
			res, err := runMerge(ctx, r, backupDir)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				log.Error("merge failed", "err", err)
				break
			}
			logMerge(log, res)
		}
		timer := time.NewTimer(time.Until(at.next(time.Now())))
		select {
		case <-ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
	}
}

func logMerge(log *slog.Logger, res mergeResult) {
	var silent []string
	for _, s := range res.Offices {
		if !s.Synced {
			silent = append(silent, s.Office)
			continue
		}
		log.Info("sync summary", "office", s.Office, "pushes", s.Pushes, "applied", s.Applied, "refused", s.Refused,
			"conflicts", s.Conflicts, "pulled", s.Pulled)
	}
	attrs := []any{"offices", len(res.Offices), "did_not_sync", silent}
	if res.Backup != nil {
		attrs = append(attrs, "backup", *res.Backup)
	}
	log.Info("merge done", attrs...)
}

// lastMergeKey is the hub setting that holds when the last merge ran.
const lastMergeKey = "last_merge"

// lastMerge returns when the last merge ran, zero when none has.
func lastMerge(ctx context.Context, r *syncsvc.Replica) (time.Time, error) {
	s, err := r.Meta(ctx, lastMergeKey)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("setting %s=%q: %w", lastMergeKey, s, err)
	}
	return t, nil
}

// officeSummaryJSON is one office's syncs since the last merge.
type officeSummaryJSON struct {
	Office    string  `json:"office"`
	Name      string  `json:"name"`
	Synced    bool    `json:"synced"`
	Pushes    int     `json:"pushes"`
	Applied   int     `json:"applied"`
	Refused   int     `json:"refused"`
	Conflicts int     `json:"conflicts"`
	Pulled    int     `json:"pulled"`
	LastSync  *string `json:"last_sync"`
}

// mergeResult is what one merge did.
type mergeResult struct {
	Since   *string             `json:"since"`
	At      string              `json:"at"`
	Offices []officeSummaryJSON `json:"offices"`
	Backup  *string             `json:"backup"`
}

// errMergeRunning: another merge holds the merge lock.
var errMergeRunning = errors.New("another merge is running")

// runMerge sums up each office's syncs since the last merge, writes a
// verified backup into backupDir when it is set, and records the merge.
// The merge lock keeps two merges (scheduled or by hand) from running at
// once. The time recorded is the time the summary was read from, so that a
// sync during the merge is counted by the next one.
func runMerge(ctx context.Context, r *syncsvc.Replica, backupDir string) (mergeResult, error) {
	release, err := syncsvc.Lock(r.Path() + ".merge")
	if errors.Is(err, syncsvc.ErrInUse) {
		return mergeResult{}, errMergeRunning
	}
	if err != nil {
		return mergeResult{}, err
	}
	defer release()
	since, err := lastMerge(ctx, r)
	if err != nil {
		return mergeResult{}, err
	}
	at := time.Now()
	sums, err := r.SyncSummary(ctx, since)
	if err != nil {
		return mergeResult{}, err
	}
	res := mergeResult{Since: jsonTime(since), At: at.UTC().Format(time.RFC3339), Offices: make([]officeSummaryJSON, 0, len(sums))}
	for _, s := range sums {
		res.Offices = append(res.Offices, officeSummaryJSON{Office: s.Office.ID, Name: s.Office.Name, Synced: s.Synced,
			Pushes: s.Pushes, Applied: s.Applied, Refused: s.Refused, Conflicts: s.Conflicts, Pulled: s.Pulled, LastSync: jsonTime(s.LastSync)})
	}
	if backupDir != "" {
		path, err := r.Backup(ctx, backupDir)
		if err != nil {
			return res, err
		}
		res.Backup = &path
	}
	if err := r.SetMeta(ctx, map[string]string{lastMergeKey: at.UTC().Format(time.RFC3339Nano)}); err != nil {
		return res, err
	}
	return res, nil
}

func (a *app) mergeCmd() *cobra.Command {
	var backupDir string
	var asJSON bool
	cmd := a.leaf("merge", "The nightly merge: each office's syncs since the last merge, and a verified backup with --backup", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *syncsvc.Replica) error {
			res, err := runMerge(cmd.Context(), r, backupDir)
			if errors.Is(err, errMergeRunning) {
				return a.fail(err, "另一次合并正在进行：等它结束", "another merge is running: wait for it to finish")
			}
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(res)
			}
			return a.printMerge(res)
		})
	})
	cmd.Flags().StringVar(&backupDir, "backup", "", "write a verified backup into this directory")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) printMerge(res mergeResult) error {
	if res.Since == nil {
		a.printf("各办公室的同步（第一次合并）：\n", "Each office's syncs (first merge):\n")
	} else {
		since, _ := time.Parse(time.RFC3339, *res.Since)
		a.printf("自 %s 以来各办公室的同步：\n", "Each office's syncs since %s:\n", showTime(since))
	}
	rows := make([][]string, 0, len(res.Offices))
	var silent []string
	for _, s := range res.Offices {
		if !s.Synced {
			silent = append(silent, s.Office)
		}
		last := "-"
		if s.LastSync != nil {
			t, _ := time.Parse(time.RFC3339, *s.LastSync)
			last = showTime(t)
		}
		rows = append(rows, []string{s.Office, s.Name, strconv.Itoa(s.Pushes), strconv.Itoa(s.Applied), strconv.Itoa(s.Refused),
			strconv.Itoa(s.Conflicts), strconv.Itoa(s.Pulled), last})
	}
	if len(rows) == 0 {
		a.printf("（没有办公室）\n", "(no offices)\n")
	} else if err := writeTable(a.stdout, []string{a.t("办公室", "office"), a.t("名称", "name"), a.t("推送次数", "pushes"),
		a.t("收到更改", "applied"), a.t("拒绝", "refused"), a.t("冲突", "conflicts"), a.t("拉取更改", "pulled"), a.t("最近同步", "last sync")}, rows); err != nil {
		return err
	}
	if len(silent) > 0 {
		a.printf("没有同步的办公室：%v\n", "offices that did not sync: %v\n", silent)
	}
	if res.Backup != nil {
		a.printf("备份（已检查）：%s\n", "backup (checked): %s\n", *res.Backup)
	}
	return nil
}
