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
	"strconv"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/nightly"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/settings"
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
	f.StringVar(&o.merge.backupDir, "backup", "", "directory for the scheduled merge's verified backups")
	f.StringVar(&o.merge.reportDir, "reports", "", "directory for the scheduled merge's reports and branch plan, one folder per date")
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
	r, err := store.Open(ctx, a.hubDB, syncsvc.Options{Role: syncsvc.RoleHub, Logger: log, Now: a.now})
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
			return a.fail(err, "读不了 TLS 证书或密钥：%v", "cannot load the TLS certificate or key: %v", err)
		}
		tlsConf = &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return a.fail(err, "不能在 %s 上监听：%v；换一个 --addr", "cannot listen on %s: %v; choose another --addr", o.addr, err)
	}
	if tlsConf == nil && !isLoopback(ln.Addr()) {
		fmt.Fprintln(a.stderr, a.tf("警告：hub 在 %s 上不加密地服务（没有 --tls-cert）：令牌和干部信息以明文经过网络；真正的办公室要连接一个开启 TLS 的 hub（--tls-cert 和 --tls-key）",
			"warning: the hub serves %s without TLS (no --tls-cert): tokens and cadre records cross the network in clear; real offices need a hub with TLS (--tls-cert and --tls-key)", ln.Addr()))
	}
	srv := transport.NewServer(ln.Addr().String(), transport.Handler(hub))
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
		return a.fail(serveErr, "hub 停止了：%v", "the hub stopped: %v", serveErr)
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
		return a.fail(err, "检查不了 hub 数据库 %s：%v", "cannot check the hub's database %s: %v", a.hubDB, err)
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

// mergeLoop runs the merge daily at the time at, and once at start when no
// merge started since the most recent scheduled time (a missed night).
// Merges run one after another on this goroutine, and the merge lock keeps
// one run by hand from running beside it; a failed step is logged and the
// next run starts clean.
func (a *app) mergeLoop(ctx context.Context, r *store.Replica, at clockTime, o mergeOptions, log *slog.Logger) {
	log.Info("merge scheduled", "daily_at", at.String(), "zone", "Asia/Shanghai")
	o.logger = log
	for {
		var last time.Time
		run, err := r.LastMergeRun(ctx)
		switch {
		case err == nil:
			last = run.Started
		case !errors.Is(err, syncsvc.ErrNotFound):
			log.Error("read the last merge", "err", err)
		}
		if err == nil || errors.Is(err, syncsvc.ErrNotFound) {
			if nightly.Due(time.Now(), last, at.hour, at.minute) {
				res, err := runMerge(ctx, r, o)
				switch {
				case ctx.Err() != nil:
					return
				case err != nil:
					log.Error("merge failed", "err", err)
				default:
					logMerge(log, res)
				}
			}
		}
		timer := time.NewTimer(time.Until(nightly.Next(time.Now(), at.hour, at.minute)))
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
	attrs := []any{"run", res.Run.ID, "outcome", res.Run.Outcome, "offices", len(res.Offices), "did_not_sync", silent}
	if res.Backup != nil {
		attrs = append(attrs, "backup", *res.Backup)
	}
	log.Info("merge done", attrs...)
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

// mergeResult is what one merge did: each office's syncs since the last
// merge, the backup, and the run with its steps.
type mergeResult struct {
	Since   *string             `json:"since"`
	At      string              `json:"at"`
	Offices []officeSummaryJSON `json:"offices"`
	Backup  *string             `json:"backup"`
	Run     syncsvc.MergeRun    `json:"run"`
}

// mergeOptions are where a merge writes.
type mergeOptions struct {
	backupDir, reportDir string
	logger               *slog.Logger
}

// errMergeRunning: another merge holds the merge lock.
var errMergeRunning = nightly.ErrRunning

// runMerge runs the nightly merge (package nightly: the sync summary,
// duplicates, new pairs, the branch plan as a proposal, the reports,
// compaction and a verified backup, each step recorded) and sums up each
// office's syncs since the previous run.
func runMerge(ctx context.Context, r *store.Replica, o mergeOptions) (mergeResult, error) {
	var since time.Time
	if last, err := r.LastMergeRun(ctx); err == nil {
		since = last.Started
	} else if !errors.Is(err, syncsvc.ErrNotFound) {
		return mergeResult{}, err
	}
	sums, err := r.SyncSummary(ctx, since)
	if err != nil {
		return mergeResult{}, err
	}
	// The night's rules run with the district's settings.
	rules, err := settings.Load(ctx, r)
	if err != nil {
		return mergeResult{}, err
	}
	writeReports := func(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error) {
		return report.WriteWorkbooksWith(ctx, r, dir, on, reportSettings(rules))
	}
	run, err := nightly.Run(ctx, r, nightly.Options{BackupDir: o.backupDir, ReportDir: o.reportDir, WriteReports: writeReports, Logger: o.logger,
		Assign: &rules.Assign, Plan: &rules.Branch.Plan})
	if err != nil {
		return mergeResult{}, err
	}
	res := mergeResult{Since: jsonTime(since), At: run.Started.UTC().Format(time.RFC3339), Offices: make([]officeSummaryJSON, 0, len(sums)), Run: run}
	for _, s := range sums {
		res.Offices = append(res.Offices, officeSummaryJSON{Office: s.Office.ID, Name: s.Office.Name, Synced: s.Synced,
			Pushes: s.Pushes, Applied: s.Applied, Refused: s.Refused, Conflicts: s.Conflicts, Pulled: s.Pulled, LastSync: jsonTime(s.LastSync)})
	}
	for _, st := range run.Steps {
		if st.Name == nightly.StepBackup && st.Outcome == syncsvc.StepOK && len(st.Files) > 0 {
			res.Backup = &st.Files[0]
		}
	}
	return res, nil
}

func (a *app) mergeCmd() *cobra.Command {
	var o mergeOptions
	var asJSON bool
	cmd := a.leaf("merge", "The nightly merge: sync summary, duplicate registrations, new 1对5 pairs, the branch plan as a proposal, reports (--reports), log compaction and a verified backup (--backup), each step recorded", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			res, err := runMerge(cmd.Context(), r, o)
			if errors.Is(err, errMergeRunning) {
				return a.fail(err, "另一次合并正在进行：等它结束", "another merge is running: wait for it to finish")
			}
			if err != nil {
				return err
			}
			if asJSON {
				err = a.printJSON(res)
			} else {
				err = a.printMerge(res)
			}
			if err == nil && res.Run.Outcome == syncsvc.StepFailed {
				return a.fail(errors.New("merge step failed"), "合并有步骤失败，见上；其余步骤已完成，下次合并重新开始", "a merge step failed (see above); the other steps are done and the next merge starts clean")
			}
			return err
		})
	})
	cmd.Flags().StringVar(&o.backupDir, "backup", "", "write a verified backup into this directory")
	cmd.Flags().StringVar(&o.reportDir, "reports", "", "write the reports and the branch plan into this directory, one folder per date")
	jsonFlag(cmd, &asJSON)
	cmd.AddCommand(a.mergeListCmd())
	return cmd
}

// stepLabels name the merge steps for people.
var stepLabels = map[string][2]string{
	nightly.StepSync:       {"同步汇总", "sync summary"},
	nightly.StepDuplicates: {"重复登记", "duplicate registrations"},
	nightly.StepPairs:      {"1对5结对", "1对5 pairing"},
	nightly.StepBranchPlan: {"党支部设置方案", "branch plan"},
	nightly.StepReports:    {"报表", "reports"},
	nightly.StepCompact:    {"压缩变更日志", "log compaction"},
	nightly.StepBackup:     {"备份", "backup"},
}

var outcomeLabels = map[syncsvc.StepOutcome][2]string{
	syncsvc.StepOK: {"完成", "ok"}, syncsvc.StepFailed: {"失败", "failed"},
	syncsvc.StepSkipped: {"跳过", "skipped"}, syncsvc.StepRunning: {"进行中", "running"},
}

func (a *app) label(m map[string][2]string, k string) string {
	if l, ok := m[k]; ok {
		return a.t(l[0], l[1])
	}
	return k
}

func (a *app) printSteps(run syncsvc.MergeRun) error {
	rows := make([][]string, 0, len(run.Steps))
	for _, s := range run.Steps {
		o := outcomeLabels[s.Outcome]
		say := s.Detail
		if s.Error != "" {
			say = s.Error
		}
		rows = append(rows, []string{a.label(stepLabels, s.Name), a.t(o[0], o[1]), showTime(s.Started), s.Ended.Sub(s.Started).Round(time.Millisecond).String(), say})
	}
	return writeTable(a.stdout, []string{a.t("步骤", "step"), a.t("结果", "outcome"), a.t("开始", "started"), a.t("用时", "took"), a.t("说明", "detail")}, rows)
}

func (a *app) mergeListCmd() *cobra.Command {
	var limit int
	var asJSON bool
	cmd := a.leaf("list", "List the recent merge runs with their steps, newest first", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			runs, err := r.MergeRuns(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(runs)
			}
			if len(runs) == 0 {
				a.printf("（还没有合并过）\n", "(no merge has run yet)\n")
				return nil
			}
			for i, run := range runs {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				o := outcomeLabels[run.Outcome]
				a.printf("第%d次合并  %s  %s\n", "merge %d  %s  %s\n", run.ID, showTime(run.Started), a.t(o[0], o[1]))
				if err := a.printSteps(run); err != nil {
					return err
				}
			}
			return nil
		})
	})
	cmd.Flags().IntVar(&limit, "limit", 10, "how many runs to list")
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
	a.printf("\n合并步骤（第%d次）：\n", "\nMerge steps (run %d):\n", res.Run.ID)
	return a.printSteps(res.Run)
}
