package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// serveOptions are the settings of hub serve.
type serveOptions struct {
	addr, certFile, keyFile string
	maxSkew                 time.Duration
	mergeAt                 *clockTime
	merge                   mergeOptions
	logger                  *slog.Logger
	limits                  transport.Limits
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
		if o.limits.Calls < 0 || o.limits.Waiting < 0 {
			return a.usage("--max-calls 和 --max-waiting 不能小于 0", "--max-calls and --max-waiting may not be negative")
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
	f.StringVar(&o.merge.backupDir, "backup", "", "directory for the scheduled merge's verified backups")
	f.StringVar(&o.merge.reportDir, "reports", "", "directory for the scheduled merge's reports and branch plan, one folder per date")
	f.IntVar(&o.limits.Calls, "max-calls", 0, "sync calls worked on at once (0: 4 per CPU, at least 8); more wait for a place")
	f.IntVar(&o.limits.Waiting, "max-waiting", 0, "new syncs wait for a place only while fewer calls wait (0: 2048), in the order they came, after the syncs begun; the others are told to come back later")
	f.StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	f.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	return cmd
}

// serve runs the hub until ctx is cancelled, holding the database's lock so
// that a restore cannot replace the file under it.
func (a *app) serve(ctx context.Context, o serveOptions) (err error) {
	log := o.logger
	if _, err := os.Stat(a.hubDB); errors.Is(err, fs.ErrNotExist) {
		return a.noHubDB(a.hubDB) // before the lock, which would leave its file
	}
	release, err := syncsvc.Lock(a.hubDB)
	if errors.Is(err, syncsvc.ErrInUse) {
		return a.fail(err, "另一个 wanxia hub serve 正在使用 %s：先停止它", "another wanxia hub serve is using %s: stop it first", a.hubDB)
	}
	if err != nil {
		return err
	}
	defer release()
	if err := a.checkHubDB(ctx, o.merge.backupDir, log); err != nil {
		return err
	}
	r, err := store.Open(ctx, a.hubDB, syncsvc.Options{Role: syncsvc.RoleHub, Logger: log})
	if syncsvc.IsDamaged(err) {
		return a.damagedHub(ctx, err, o.merge.backupDir)
	}
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	if r.ReadOnly() {
		return &syncsvc.ReadOnlyError{Path: a.hubDB} // a hub that cannot write cannot serve
	}
	hub, err := syncsvc.NewHub(r, syncsvc.HubOptions{MaxSkew: o.maxSkew, Logger: log})
	if err != nil {
		return err
	}
	var tlsConf *tls.Config
	if o.certFile != "" {
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return a.fail(err, "读不了 TLS 证书或密钥：%v", "cannot load the TLS certificate or key: %v", a.libText(err))
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return a.fail(err, "不能在 %s 上监听：%v；换一个 --addr", "cannot listen on %s: %v; choose another --addr", o.addr, a.libText(err))
	}
	if tlsConf == nil && !isLoopback(ln.Addr()) {
		fmt.Fprintln(a.stderr, a.tf("警告：hub 在 %s 上不加密地服务（没有 --tls-cert）：令牌和干部信息以明文经过网络；真正的办公室要连接一个开启 TLS 的 hub（--tls-cert 和 --tls-key）",
			"warning: the hub serves %s without TLS (no --tls-cert): tokens and cadre records cross the network in clear; real offices need a hub with TLS (--tls-cert and --tls-key)", ln.Addr()))
	}
	srv := transport.NewServer(ln.Addr().String(), transport.HandlerWithLimits(hub, o.limits))
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
		loops.Go(func() { a.mergeLoop(loopCtx, r, *o.mergeAt, o.merge, log) })
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
		return a.fail(serveErr, "hub 停止了：%v", "the hub stopped: %v", a.libText(serveErr))
	}
	log.Info("hub stopped")
	return nil
}

// isLoopback reports whether the hub listens on a loopback address only,
// where nothing it sends leaves the machine: 127.0.0.1 or ::1, not an
// unspecified address (0.0.0.0, ::) that every interface answers on.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// checkHubDB checks the hub's database before hub serve opens it
// (syncsvc.CheckDatabase: PRAGMA integrity_check, 0.1–0.4 s for a hub of
// 50,000 cadres) and refuses a damaged one, naming hub restore. A missing
// file is a new hub.
func (a *app) checkHubDB(ctx context.Context, backupDir string, log *slog.Logger) error {
	start := time.Now()
	err := syncsvc.CheckDatabase(ctx, a.hubDB)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return a.noHubDB(a.hubDB)
	case syncsvc.IsDamaged(err):
		return a.damagedHub(ctx, err, backupDir)
	case err != nil:
		return a.fail(err, "检查不了 hub 数据库 %s：%v", "cannot check the hub's database %s: %v", a.hubDB, a.libText(err))
	}
	log.Info("database checked", "db", a.hubDB, "took", time.Since(start).Round(time.Millisecond).String())
	return nil
}

// damagedHub is the one line hub serve ends with on a damaged database:
// the file, what SQLite found, and the restore to run, from the newest
// sound backup it finds.
func (a *app) damagedHub(ctx context.Context, err error, backupDir string) error {
	problem := err.Error()
	var de *syncsvc.DamageError
	if errors.As(err, &de) {
		problem = de.Problem
	}
	from := newestHubBackup(ctx, a.hubDB, backupDir)
	if from == "" {
		return a.fail(err, "hub 数据库 %s 已损坏，hub 没有启动：用备份恢复：wanxia hub restore --db %s --from 备份文件（hub merge --backup 写下的最新的 wanxia-hub-….db）；损坏的文件会改名留在旁边，不会删除（%s）",
			"the hub's database %s is damaged; the hub did not start: restore it from a backup: wanxia hub restore --db %s --from BACKUP (the newest wanxia-hub-….db that hub merge --backup wrote); the damaged file is renamed and kept beside it, never deleted (%s)",
			a.hubDB, a.hubDB, problem)
	}
	return a.fail(err, "hub 数据库 %s 已损坏，hub 没有启动：用最新的备份恢复：wanxia hub restore --db %s --from %s；损坏的文件会改名留在旁边，不会删除（%s）",
		"the hub's database %s is damaged; the hub did not start: restore it from the newest backup: wanxia hub restore --db %s --from %s; the damaged file is renamed and kept beside it, never deleted (%s)",
		a.hubDB, a.hubDB, from, problem)
}

// newestHubBackup is the newest hub backup that passes the restore's
// check, in backupDir (hub serve --backup) or the backups folder beside
// the database; "" when there is none.
func newestHubBackup(ctx context.Context, db, backupDir string) string {
	var candidates []string
	for _, dir := range []string{backupDir, filepath.Join(filepath.Dir(db), "backups")} {
		if dir == "" {
			continue
		}
		found, err := syncsvc.Backups(dir, syncsvc.RoleHub)
		if err != nil {
			continue
		}
		candidates = append(candidates, found...)
	}
	// Backups name their time (UTC) in the file's name, which sorts as text.
	sort.Slice(candidates, func(i, j int) bool { return filepath.Base(candidates[i]) > filepath.Base(candidates[j]) })
	for i, c := range candidates {
		if i == 5 {
			break
		}
		if syncsvc.VerifyBackup(ctx, c, syncsvc.RoleHub) == nil {
			return c
		}
	}
	return ""
}
