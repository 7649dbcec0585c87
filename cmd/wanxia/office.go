package main

import (
	"context"
	"crypto/tls"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// Office settings kept in the replica (file mode 0600); the hub's
// address, the token and the CA are the library's (transport.Connection).
const (
	metaHubURL   = transport.MetaHubURL
	metaOfficeID = desk.MetaOfficeID
)

// clockWarning is the clock offset past which sync warns.
const clockWarning = time.Minute

func (a *app) officeCmd() *cobra.Command {
	cmd := a.group("office", "A community office's computer: its replica, cadres, rosters and sync", "")
	cmd.PersistentFlags().StringVar(&a.officeDB, "db", defaultOfficeDB(), "the office's database file")
	conflicts := a.group("conflict", "Conflicts (冲突): list, resolve", "")
	conflicts.AddCommand(a.conflictListCmd(), a.conflictResolveCmd())
	cmd.AddCommand(a.initCmd(), a.officeStartCmd(), a.cadreCmd(syncsvc.RoleOffice), a.importCmd(), a.exportCmd(), a.syncCmd(), a.statusCmd(), conflicts, a.rejectedCmd(),
		a.officeBranchCmd(), a.meetingCmd(), a.duesCmd(), a.officePairCmd(), a.officeHelperCmd(), a.visitCmd(), a.hospitalCmd(), a.helpCmd(), a.nearbyCmd(), a.officeCoverageCmd(), a.reportCmd(syncsvc.RoleOffice), a.officeBackupCmd(), a.officeRestoreCmd(), a.settingCmd(syncsvc.RoleOffice), a.deskCmd())
	return cmd
}

// defaultOfficeDB is the office's replica when --db is not given:
// wanxia-office.db in the folder the command runs in (docs/cli.md); on
// Windows, where a clerk starts the program by a double click from
// wherever it was unpacked, in the Wanxia folder of the user's local
// application data (officeDataDir), its backups beside it.
func defaultOfficeDB() string {
	return filepath.Join(officeDataDir(), "wanxia-office.db")
}

func (a *app) initCmd() *cobra.Command {
	var hubURL, officeID, token, caFile string
	var asJSON bool
	cmd := a.leaf("init", "Create the office's replica and store the hub's address and the token (token also from WANXIA_TOKEN); run again with a new token after a rotation", 0, func(cmd *cobra.Command, _ []string) error {
		if token == "" {
			token = strings.TrimSpace(os.Getenv("WANXIA_TOKEN"))
		}
		var missing []string
		for _, m := range []struct{ flag, value string }{{"--hub", hubURL}, {"--office", officeID}, {"--token", token}} {
			if m.value == "" {
				missing = append(missing, m.flag)
			}
		}
		if len(missing) > 0 {
			return a.usage("缺少选项 %s（令牌也可放在环境变量 WANXIA_TOKEN 中）", "missing %s (the token may also be in WANXIA_TOKEN)", strings.Join(missing, " "))
		}
		conn, err := transport.NewConnection(hubURL, token, caFile)
		var caErr *transport.CAError
		switch {
		case errors.Is(err, transport.ErrBadHubURL):
			return a.usage("--hub %q 不是 hub 的地址：写成 http://主机:端口 或 https://主机:端口", "--hub %q is no hub address: write it like https://host:port", hubURL)
		case errors.As(err, &caErr):
			return a.fail(caErr.Err, "读不了 CA 证书 %s：%v", "cannot read the CA certificate %s: %v", caErr.File, a.libText(caErr.Err))
		case err != nil:
			return err
		}
		_, statErr := os.Stat(a.officeDB)
		created, refused := errors.Is(statErr, os.ErrNotExist), false
		defer func() {
			if created && refused {
				removeNewDB(a.officeDB) // a token refused: nothing written
			}
		}()
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, true, func(r *store.Replica) error {
			ctx := cmd.Context()
			prev, err := r.Meta(ctx, metaOfficeID)
			if err != nil {
				return err
			}
			if prev != "" && prev != officeID {
				return a.fail(nil, "%s 是办公室 %s 的数据库：为办公室 %s 用另一个 --db", "%s is the database of office %s: use another --db for office %s", a.officeDB, prev, officeID)
			}
			settings := map[string]string{metaOfficeID: officeID}
			if !cmd.Flags().Changed("ca") { // the CA kept from before
				if conn.CAFile, err = r.Meta(ctx, transport.MetaCA); err != nil {
					return err
				}
			}
			// The token is checked against the office before anything is kept.
			check, err := a.checkToken(ctx, r, conn, officeID)
			if err != nil {
				refused = true
				return err
			}
			if check.Checked {
				for k, v := range check.Meta(token) {
					settings[k] = v
				}
			}
			if err := conn.Save(ctx, r, settings); err != nil {
				return err
			}
			// The district key, so that cadres registered before the first
			// sync get the ids the rest of the district derives.
			if err := r.SetDistrictKey(ctx, check.Hello.DistrictKey); err != nil {
				return err
			}
			if asJSON {
				scopes := check.Hello.Scopes
				if scopes == nil {
					scopes = []string{}
				}
				return a.printJSON(map[string]any{"db": a.officeDB, "office_id": officeID, "hub_url": hubURL, "ca": conn.CAFile, "node": r.Node().String(),
					"token_checked": check.Checked, "scopes": scopes})
			}
			a.printf("办公室 %s 已就绪：数据库 %s，hub %s。录入后运行 wanxia office sync 同步\n",
				"office %s is ready: database %s, hub %s. Run wanxia office sync to sync\n", officeID, a.officeDB, hubURL)
			if check.Checked {
				a.printf("令牌已向 hub 核对：办公室 %s（%s），社区 %s\n", "the hub confirmed the token: office %s (%s), communities %s\n",
					check.Hello.Office, check.Hello.OfficeName, strings.Join(communitiesOnly(check.Hello.Scopes), a.t("、", ", ")))
			} else {
				a.printf("注意：连不上 hub，令牌还没有核对；第一次同步时会核对（令牌若不属于办公室 %s，同步会停下，不删除任何记录）\n",
					"note: the hub could not be reached, so the token is not checked yet; the first sync checks it (if it is not office %s's, the sync stops and deletes nothing)\n", officeID)
			}
			return nil
		})
	})
	f := cmd.Flags()
	f.StringVar(&hubURL, "hub", "", "the hub's address, e.g. https://hub.example:8080")
	f.StringVar(&officeID, "office", "", "this office's id, as the hub registered it")
	f.StringVar(&token, "token", "", "the office's token (or set WANXIA_TOKEN)")
	f.StringVar(&caFile, "ca", "", "CA certificate file that signed the hub's TLS certificate (kept when init runs again without it; --ca \"\" drops it)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// syncJSON is what office sync did.
type syncJSON struct {
	Office        string   `json:"office"`
	Scopes        []string `json:"scopes"`
	Pushed        int      `json:"pushed"`
	Refused       int      `json:"refused"`
	Pulled        int      `json:"pulled"`
	Dropped       int64    `json:"dropped"`
	Snapshot      bool     `json:"snapshot"`
	ConflictsOpen int      `json:"conflicts_open"`
	ClockOffsetMS int64    `json:"clock_offset_ms"`
	// KeptRefused counts the records kept here though the hub refused them
	// (never dropped until a person resends or discards them).
	KeptRefused int `json:"kept_refused"`
	// Recovery is "hub_restored" or "replica_restored" when the hub or
	// this file had gone back in time, "" otherwise; Reconciled counts the
	// records then sent whole.
	Recovery   string `json:"recovery"`
	Reconciled int    `json:"reconciled"`
}

func (a *app) syncCmd() *cobra.Command {
	var retries int
	var timeout time.Duration
	var asJSON bool
	cmd := a.leaf("sync", "Push this office's changes to the hub and pull the others'", 0, func(cmd *cobra.Command, _ []string) error {
		if retries < 0 {
			return a.usage("--retries 不能小于 0", "--retries may not be negative")
		}
		if timeout <= 0 {
			return a.usage("--timeout 必须大于 0", "--timeout must be positive")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.sync(cmd.Context(), r, retries, timeout, asJSON)
		})
	})
	cmd.Flags().IntVar(&retries, "retries", 5, "times to try again while the hub is unreachable")
	cmd.Flags().DurationVar(&timeout, "timeout", syncsvc.DefaultCallTimeout, "deadline of each call to the hub; a call that stalls longer is given up and tried again")
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) sync(ctx context.Context, r *store.Replica, retries int, timeout time.Duration, asJSON bool) error {
	if retries == 0 {
		retries = -1 // the library's zero means its default
	}
	p := a.newProgress()
	out, err := desk.Sync(ctx, r, desk.SyncOptions{
		Retries: retries, CallTimeout: timeout,
		Progress: func(s syncsvc.Progress) {
			if s.Phase != "hello" || p.tty { // a plain line for saying hello would only come before the result
				p.update(s.Phase, a.syncPhase(s))
			}
		},
	})
	p.done()
	rep := out.Report
	if err != nil {
		return a.syncFailed(ctx, err, rep, out.HubURL) // network fault or refusal (neterr.go)
	}
	res := syncJSON{Office: rep.Office, Scopes: rep.Scopes, Pushed: rep.Pushed, Refused: rep.Refused, Pulled: rep.Pulled,
		Dropped: rep.Dropped, Snapshot: rep.Snapshot, ConflictsOpen: out.ConflictsOpen, ClockOffsetMS: rep.ClockOffset.Milliseconds(),
		Recovery: string(rep.Recovery), Reconciled: rep.Reconciled, KeptRefused: out.KeptRefused}
	if res.Scopes == nil {
		res.Scopes = []string{}
	}
	// Changes the hub refused are work that failed (docs/cli.md: exit 1), even
	// though the rest of the sync went through.
	refused := func() error {
		if res.Refused == 0 {
			return nil
		}
		return a.fail(nil, "hub 拒绝了 %d 条更改（其余已同步）：运行 wanxia office rejected 查看原因", "the hub refused %d changes (the rest synced): run wanxia office rejected to see why", res.Refused)
	}
	if asJSON {
		if err := a.printJSON(res); err != nil {
			return err
		}
		return refused()
	}
	switch rep.Recovery {
	case syncsvc.RecoveryHubRestored:
		a.printf("hub 的数据库已从备份恢复过：本机已把全部 %d 条记录重新发给 hub，并从头重新接收 hub 的数据，没有丢失任何内容\n",
			"the hub's database was restored from a backup: this office sent all its %d records again and received the hub's data again from the start; nothing was lost\n", rep.Reconciled)
	case syncsvc.RecoveryReplicaRestored:
		a.printf("本机数据库文件比 hub 已收到的内容旧（是从旧的副本放回的）：本机已把全部 %d 条记录重新发给 hub，之后的录入不会丢失；hub 上更新的内容随后拉回本机\n",
			"this computer's database file is older than what the hub already has (put back from an older copy): all its %d records were sent again, so nothing entered since is lost; the newer records come back from the hub\n", rep.Reconciled)
	}
	a.printf("已同步：推送 %d 条更改，拉取 %d 条", "synced: pushed %d changes, pulled %d", res.Pushed, res.Pulled)
	if res.Snapshot {
		a.printf("（从快照开始）", " (from a snapshot)")
	}
	if res.Dropped > 0 {
		a.printf("，移除已不归本办公室的记录 %d 条", ", dropped %d records that left this office's communities", res.Dropped)
	}
	a.printf("\n", "\n")
	if res.KeptRefused > 0 {
		a.printf("本机保留了 %d 条 hub 拒绝的记录（没有删除）：运行 wanxia office rejected 查看，改正后重新发送或放弃\n",
			"%d records the hub refused are kept here (not deleted): run wanxia office rejected to see them, then fix and resend or discard\n", res.KeptRefused)
	}
	if res.ConflictsOpen > 0 {
		a.printf("有 %d 个冲突待解决：运行 wanxia office conflict list\n", "%d conflicts to resolve: run wanxia office conflict list\n", res.ConflictsOpen)
	}
	a.printf("本机时钟与 hub 相差 %s\n", "clock offset from the hub: %s\n", showOffset(rep.ClockOffset))
	if rep.ClockOffset > clockWarning || rep.ClockOffset < -clockWarning {
		a.printf("警告：本机时钟偏差超过 1 分钟，请校准这台电脑的时间\n", "warning: this computer's clock is off by more than a minute; set it right\n")
	}
	return refused()
}

// showOffset shows hub time minus office time, to the millisecond.
func showOffset(d time.Duration) string {
	d = d.Round(time.Millisecond)
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

func (a *app) syncPhase(s syncsvc.Progress) string {
	name := map[string][2]string{
		"hello": {"连接 hub", "connecting"}, "push": {"推送", "pushing"},
		"pull": {"拉取", "pulling"}, "snapshot": {"下载快照", "loading snapshot"}, "reconcile": {"重新发送全部记录", "sending every record again"},
		"retry": {"hub 无响应，重试", "hub not answering, retry"}, "busy": {"hub 正忙，稍后再试", "hub busy, trying again"},
	}[s.Phase]
	label := a.t(name[0], name[1])
	if label == "" {
		label = s.Phase
	}
	switch {
	case s.Total > 0:
		return a.tf("同步：%s %d/%d", "sync: %s %d/%d", label, s.Done, s.Total)
	case s.Done > 0:
		return a.tf("同步：%s %d", "sync: %s %d", label, s.Done)
	}
	return a.tf("同步：%s…", "sync: %s…", label)
}

// syncError says why a sync failed and what to do. Whatever failed, the
// office's work is kept: it stays in the outbox until the hub has it.
func (a *app) syncError(err error, hubURL string) error {
	var certErr *tls.CertificateVerificationError
	var wrong *syncsvc.WrongOfficeError
	switch {
	case errors.As(err, &wrong):
		return a.fail(err, "这个令牌属于办公室 %s，不是 %s；请向 hub 管理员核对令牌，再运行 wanxia office init（没有同步，也没有删除任何记录）",
			"this token belongs to office %s, not %s; check the token with the hub's administrator and run wanxia office init again (nothing synced, nothing deleted)", wrong.Got, wrong.Want)
	case errors.As(err, &certErr):
		return a.fail(err, "不信任 hub %s 的证书（%v）：用 wanxia office init --ca 指定签发它的 CA 证书；本机的工作都已保存",
			"the hub's certificate at %s is not trusted (%v): give the CA that signed it with wanxia office init --ca; the office's work is kept", hubURL, a.libText(certErr.Err))
	case errors.Is(err, context.Canceled):
		return a.fail(err, "同步已中断；本机的工作都已保存，再运行 wanxia office sync 即可接着同步", "sync interrupted; the office's work is kept: run wanxia office sync again to go on")
	case syncsvc.IsUnavailable(err):
		return a.fail(err, "连不上 hub %s：本机的工作都已保存，可以离线继续录入；有网络时再运行 wanxia office sync",
			"cannot reach the hub at %s: the office's work is kept offline; run wanxia office sync when the link is back", hubURL)
	case errors.Is(err, syncsvc.ErrUnauthenticated):
		return a.fail(err, "hub 不接受本办公室的令牌（可能已更换或吊销）：向区老干部局要新令牌，再运行 wanxia office init",
			"the hub does not accept this office's token (rotated or revoked?): ask the district for a new one and run wanxia office init with it")
	case syncsvc.HubMessage(err) == "":
		return a.fail(err, "同步没有完成（本机的工作都已保存）：%v", "the sync did not finish (the office's work is kept): %v", a.libText(err))
	}
	return a.fail(err, "hub 拒绝同步（本机的工作都已保存）：%s", "the hub refused the sync (the office's work is kept): %s", syncsvc.HubMessage(err))
}
