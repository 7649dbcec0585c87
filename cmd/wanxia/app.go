package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// app is one invocation of the command: where it reads and writes, and the
// settings every verb shares.
type app struct {
	stdout, stderr io.Writer
	lang           cadre.Lang
	hubDB          string
	officeDB       string
	// now is the command's clock: what "today" and "now" mean for the
	// defaults of --on and --at and for what is due. time.Now in use;
	// tests fix it so that no test depends on the day it runs.
	now func() time.Time
}

// run executes the command line args and returns the exit code: 0 ok, 1 the
// work failed, 2 bad usage. Data goes to stdout; a failure is one line on
// stderr that says what was wrong and what to do.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runAt(ctx, time.Now, args, stdin, stdout, stderr)
}

// runAt is run with the clock now.
func runAt(ctx context.Context, now func() time.Time, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr, lang: prescanLang(args), now: now}
	root := a.rootCmd()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	line, code := a.errorLine(cmd, err)
	fmt.Fprintln(stderr, line)
	return code
}

// prescanLang finds --lang before the flags are parsed, so that an error in
// parsing them is reported in the language asked for.
func prescanLang(args []string) cadre.Lang {
	for i, arg := range args {
		v, ok := strings.CutPrefix(arg, "--lang=")
		if !ok && arg == "--lang" && i+1 < len(args) {
			v, ok = args[i+1], true
		}
		if l, err := cadre.ParseLang(v); ok && err == nil {
			return l
		}
	}
	return cadre.Chinese
}

func (a *app) rootCmd() *cobra.Command {
	root := a.group("wanxia", "Wanxia (晚霞): retired-cadre records for community offices and the district hub",
		"Two families of verbs: 'wanxia hub …' on the district hub's machine and 'wanxia office …' on an office computer.\n"+
			"Flags may come before or after arguments; --lang en prints English labels; --json prints data for scripts.\n"+
			"Exit codes: 0 ok, 1 the work failed, 2 bad usage.")
	root.SilenceErrors = true
	root.SilenceUsage = true
	root.CompletionOptions.DisableDefaultCmd = true
	root.PersistentFlags().Var(&langFlag{&a.lang}, "lang", "language of labels: zh or en")
	root.SetFlagErrorFunc(a.flagError)
	root.AddCommand(a.hubCmd(), a.officeCmd())
	a.localizeHelp(root)
	return root
}

// group returns a command that only holds verbs: run alone, or with a verb
// it does not know, it is bad usage.
func (a *app) group(use, short, long string) *cobra.Command {
	return &cobra.Command{
		Use: use, Short: short, Long: long,
		SuggestionsMinimumDistance: 2,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			msg := a.tf("%s 没有动词 %q", "%s has no verb %q", cmd.CommandPath(), args[0])
			if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
				msg += a.tf("（是不是 %s？）", " (did you mean %s?)", strings.Join(s, a.t("、", ", ")))
			}
			return &usageError{msg}
		},
		RunE: func(cmd *cobra.Command, _ []string) error {
			var verbs []string
			for _, c := range cmd.Commands() {
				if c.IsAvailableCommand() {
					verbs = append(verbs, c.Name())
				}
			}
			return &usageError{a.tf("请给出动词：%s", "give a verb: %s", strings.Join(verbs, a.t("、", ", ")))}
		},
	}
}

// leaf returns a verb with its positional arguments named in use.
func (a *app) leaf(use, short string, nargs int, runE func(cmd *cobra.Command, args []string) error) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, Args: a.exactArgs(nargs), RunE: runE}
}

// exactArgs checks the number of positional arguments; their names are the
// upper-case words of the command's Use line.
func (a *app) exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		var names []string
		for _, w := range strings.Fields(cmd.Use)[1:] {
			if w == strings.ToUpper(w) && !strings.HasPrefix(w, "[") && !strings.HasPrefix(w, "-") {
				names = append(names, w)
			}
		}
		for len(names) < n {
			names = append(names, "ARG")
		}
		switch {
		case len(args) < n:
			return &usageError{a.tf("缺少参数 %s", "missing argument %s", strings.Join(names[len(args):n], " "))}
		case len(args) > n:
			return &usageError{a.tf("多余的参数 %q", "unexpected argument %q", args[n])}
		}
		return nil
	}
}

// t chooses the text for the language asked for.
func (a *app) t(zh, en string) string {
	if a.lang == cadre.English {
		return en
	}
	return zh
}

// tf formats the text for the language asked for.
func (a *app) tf(zh, en string, args ...any) string { return fmt.Sprintf(a.t(zh, en), args...) }

// printf writes human output.
func (a *app) printf(zh, en string, args ...any) { fmt.Fprintf(a.stdout, a.t(zh, en), args...) }

// printJSON writes v for scripts: indented, HTML characters left as they are.
func (a *app) printJSON(v any) error {
	enc := json.NewEncoder(a.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// jsonFlag adds --json to a verb that prints data.
func jsonFlag(cmd *cobra.Command, p *bool) {
	cmd.Flags().BoolVar(p, "json", false, "print JSON for scripts")
}

// openReplica opens a replica. Only the verbs that create a database
// (hub init, office init) pass create; the others refuse a path with no
// database, so that a mistyped --db neither shows an empty one nor starts
// a new hub.
func (a *app) openReplica(ctx context.Context, path string, role syncsvc.Role, create bool) (*store.Replica, error) {
	if !create {
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			if role == syncsvc.RoleHub {
				return nil, a.noHubDB(path)
			}
			return nil, &failure{msg: a.tf("没有数据库 %s：先运行 wanxia office init，或用 --db 指明文件", "no database at %s: run wanxia office init first, or name the file with --db", path)}
		}
	}
	if create {
		// The default folder on Windows (officeDataDir) may not be there yet.
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, err
		}
	}
	r, err := store.Open(ctx, path, syncsvc.Options{Role: role, Now: a.now})
	if err != nil {
		return nil, err
	}
	if up := r.Upgraded(); up != nil {
		// On stderr: stdout may be JSON for a script.
		fmt.Fprintf(a.stderr, a.t("数据库 %s 已从第 %d 版升级到第 %d 版（这个版本的 wanxia 需要）；升级前的数据库备份在 %s\n",
			"the database %s was upgraded from schema %d to %d (this wanxia needs it); the database as it was before is backed up in %s\n"),
			path, up.From, up.To, up.Backup)
	}
	return r, nil
}

// noHubDB is the refusal of a hub verb whose --db names no file.
func (a *app) noHubDB(path string) error {
	return &failure{msg: a.tf("没有数据库 %s：要建立新的 hub，先运行 wanxia hub init --db %s；已有的 hub 请用 --db 指明它的文件",
		"no database at %s: to start a new hub, run wanxia hub init --db %s first; for an existing hub, name its file with --db", path, path), err: fs.ErrNotExist}
}

// withReplica opens the replica of role for one verb and closes it after,
// keeping the verb's error first.
func (a *app) withReplica(ctx context.Context, role syncsvc.Role, create bool, fn func(r *store.Replica) error) (err error) {
	path := a.officeDB
	if role == syncsvc.RoleHub {
		path = a.hubDB
	}
	r, err := a.openReplica(ctx, path, role, create)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := r.Close(); err == nil {
			err = cerr
		}
	}()
	return fn(r)
}

// usageError is a wrong command line: exit code 2. Its message is already
// in the language asked for.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// usage returns a usageError in the language asked for.
func (a *app) usage(zh, en string, args ...any) error { return &usageError{a.tf(zh, en, args...)} }

// failure is work that failed, with the line to show: exit code 1. err,
// when set, is the cause, for errors.Is.
type failure struct {
	msg string
	err error
}

func (e *failure) Error() string { return e.msg }
func (e *failure) Unwrap() error { return e.err }

// fail returns a failure in the language asked for.
func (a *app) fail(err error, zh, en string, args ...any) error {
	return &failure{msg: a.tf(zh, en, args...), err: err}
}

// flagError turns pflag's errors into one line in the language asked for.
func (a *app) flagError(_ *cobra.Command, err error) error {
	var (
		notExist *pflag.NotExistError
		required *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		return a.usage("没有选项 %s", "unknown flag %s", dashed(notExist.GetSpecifiedName(), notExist.GetSpecifiedShortnames()))
	case errors.As(err, &required):
		return a.usage("选项 %s 需要一个值", "flag %s needs a value", dashed(required.GetSpecifiedName(), required.GetSpecifiedShortnames()))
	case errors.As(err, &invalid):
		return a.usage("选项 --%s 的值 %q 不对：%v", "flag --%s: bad value %q: %v", invalid.GetFlag().Name, invalid.GetValue(), a.libText(errors.Unwrap(invalid)))
	case errors.As(err, &syntax):
		return a.usage("选项写法不对：%s", "bad flag syntax: %s", syntax.GetSpecifiedFlag())
	}
	return &usageError{err.Error()}
}

func dashed(name, short string) string {
	if short != "" {
		return "-" + short
	}
	return "--" + name
}

// errorLine returns the one line to print for err and the exit code.
func (a *app) errorLine(cmd *cobra.Command, err error) (string, int) {
	var ue *usageError
	if errors.As(err, &ue) {
		path := "wanxia"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		return oneLine(a.t("用法错误：", "usage: ") + ue.msg + a.tf("；见 %s --help", "; see %s --help", path)), 2
	}
	var f *failure
	if errors.As(err, &f) {
		return oneLine(a.t("错误：", "error: ") + f.msg), 1
	}
	return oneLine(a.t("错误：", "error: ") + a.describe(err)), 1
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ")), " ")
}

// describe says in the language asked for what a library error means and
// what to do about it.
func (a *app) describe(err error) string {
	var ve *cadre.ValidationError
	var dup *syncsvc.DuplicateError
	var ro *syncsvc.ReadOnlyError
	var tooNew *syncsvc.SchemaTooNewError
	switch {
	case errors.As(err, &ve):
		return a.validationText(desk.WithoutDerived(ve.Problems)) + a.t("。改正后再试", "; correct them and try again")
	case errors.As(err, &dup):
		return a.tf("这个身份证号已经登记了（干部 %s）：请用 wanxia office cadre edit %s 修改那条记录",
			"this ID number is already registered (cadre %s): edit that record with wanxia office cadre edit %s", dup.ExistingID, dup.ExistingID)
	case errors.Is(err, context.Canceled):
		return a.t("已中断；已完成的部分都已保存", "interrupted; what was done is kept")
	case errors.Is(err, syncsvc.ErrInUse):
		return a.t("数据库正被 wanxia hub serve 使用：先停止 hub serve，再试", "the database is in use by wanxia hub serve: stop it first, then try again")
	case errors.Is(err, syncsvc.ErrRoleMismatch):
		return a.t("这个数据库属于另一类（hub / office）：用 --db 指明正确的文件", "the database belongs to the other family (hub / office): name the right file with --db")
	case syncsvc.IsDamaged(err):
		return a.tf("数据库文件已损坏，或不是 wanxia 的数据库%.0s：如果 --db 指错了文件，请改正；如果是损坏，用备份恢复——hub 用 wanxia hub restore --from 备份文件，办公室用 wanxia office restore --from 备份文件；损坏的文件会改名留在旁边，不会删除",
			"the database file is damaged (%v): restore it from a backup with wanxia hub restore --from BACKUP (the hub) or wanxia office restore --from BACKUP (an office); the damaged file is renamed and kept beside it, never deleted", err)
	case errors.As(err, &ro) && ro.Upgrade:
		return a.tf("数据库 %s 是只读的，而这个版本的 wanxia 要先升级它（写入）才能读取：请在可写的位置用这个版本打开一次，或用原来的版本查看",
			"the database %s is read-only, and this wanxia must upgrade it (a write) before reading it: open it once with this version where it can be written, or view it with the version that wrote it", ro.Path)
	case errors.As(err, &ro):
		return a.tf("数据库 %s 是只读的（文件、所在文件夹或存储介质不可写）：可以查看、导出和出报表，不能录入、修改或同步；要修改，请把文件复制到可写的文件夹，或请管理员改正权限",
			"the database %s is read-only (the file, its folder or the medium cannot be written): list, show, export and reports work, but nothing can be entered, changed or synced; to change it, copy the file to a writable folder or have the permissions put right", ro.Path)
	case errors.As(err, &tooNew):
		return a.tf("数据库 %s 由更新版本的 wanxia 写成（数据库第 %d 版，这个 wanxia 只认识到第 %d 版），没有读取也没有改动它：请换用新版本的 wanxia（与写成它的版本相同或更新）",
			"the database %s was written by a newer wanxia (schema %d; this wanxia knows up to %d) and was neither read nor changed: use the newer wanxia (the one that wrote it, or later)",
			tooNew.Path, tooNew.File, tooNew.Program)
	case errors.Is(err, syncsvc.ErrSchemaTooNew):
		return a.t("这个数据库由更新版本的 wanxia 写成：请升级 wanxia", "the database was written by a newer wanxia: upgrade wanxia")
	case errors.Is(err, syncsvc.ErrVoided):
		return a.t("这条记录已删除（误录作废）", "that record was removed (voided as entered by mistake)")
	case errors.Is(err, syncsvc.ErrNotFound):
		return a.t("没有这条记录：用 list 或 search 查看现有记录", "no such record: use list or search to see the records")
	}
	return a.libText(err)
}

// validationText lists field problems one field after another, under the
// names a clerk sees in the roster.
func (a *app) validationText(ps []*cadre.FieldError) string {
	parts := make([]string, 0, len(ps))
	for _, p := range ps {
		parts = append(parts, a.fieldProblem(p.Field, p))
	}
	return a.t("干部信息有误：", "the cadre record is not valid: ") + strings.Join(parts, a.t("；", "; "))
}

// fieldProblem is one problem of one field: the field's header, then what
// is wrong, worded by the cadre package in the language asked for.
func (a *app) fieldProblem(field string, err error) string {
	text := roster.Describe(err, a.lang)
	name := fieldName(field, a.lang)
	switch {
	case name == "":
		return text
	case a.lang == cadre.English:
		return name + ": " + text
	}
	return name + "：" + text
}
