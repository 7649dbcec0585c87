package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"syscall"
	"unicode"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/desk"
)

// Library errors speak English; the command shows them in the language
// asked for. An error worded at its source (cadre.Worded, cadre's field
// errors) is shown as worded; the file system's and the nightly merge's
// are mapped here, at the edge.

// libText is a library error in the language asked for: its wording when it
// has one, the file system's error in Chinese, else its own text.
func (a *app) libText(err error) string {
	if a.lang == cadre.English || err == nil {
		if err == nil {
			return ""
		}
		return err.Error()
	}
	var pe *fs.PathError
	var le *os.LinkError
	var limit *syncsvc.LimitError
	switch {
	case errors.As(err, &pe) || errors.As(err, &le):
		return a.fileText(err)
	case errors.As(err, &limit):
		return limit.Chinese() + "：改短或去掉这些字符后再试"
	}
	for _, s := range sentinelsZH {
		if errors.Is(err, s.err) {
			return s.zh
		}
	}
	text := roster.Describe(err, a.lang)
	if !hasHan(text) {
		return "出了没有预料到的问题（" + text + "）：已完成的工作都已保存；请把这一行提示告诉维护人员"
	}
	return text
}

// sentinelsZH word the engine's and the desk's errors that the verbs do
// not word themselves.
var sentinelsZH = []struct {
	err error
	zh  string
}{
	{desk.ErrReasonRequired, "需要说明原因：加上 --reason 原因"},
	{syncsvc.ErrNotHub, "这只能在 hub 的数据库上做：用 wanxia hub … 并用 --db 指明 hub 的数据库"},
	{syncsvc.ErrClosed, "数据库已关闭：重新运行这条命令"},
	{syncsvc.ErrHubFailed, "hub 出了问题，没有完成：稍后再试；一直这样请告诉区老干部局"},
	{syncsvc.ErrBatchTooLarge, "一次发送的修改太多，hub 没有接受：再运行 wanxia office sync，会分批发送"},
	{syncsvc.ErrDuplicateIDNumber, "这个身份证号已经登记了：用 wanxia office cadre search 身份证号 找到那条记录，改那一条"},
	{syncsvc.ErrUnknownType, "hub 不认识这种记录（程序版本不同）：把 hub 和办公室的 wanxia 升级到同一版本"},
	{syncsvc.ErrInvalidType, "hub 不认识这种记录（程序版本不同）：把 hub 和办公室的 wanxia 升级到同一版本"},
}

// hasHan reports whether s has a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// rosterText is a roster's problem in the language asked for.
func (a *app) rosterText(err error) string { return a.libText(err) }

// fileText says in Chinese what went wrong with a file and where: the
// operation, the path and the cause, with what to do for the usual causes.
func (a *app) fileText(err error) string {
	if a.lang == cadre.English {
		return err.Error()
	}
	cause := osCauseZH(err)
	var le *os.LinkError
	if errors.Is(err, atomicfile.ErrBusy) {
		// The rename is atomicfile's own, from a temporary twin the clerk
		// never saw; the verb names the file.
		return cause
	}
	if errors.As(err, &le) {
		return fmt.Sprintf("%s %s 改名为 %s 时出错：%s", opZH(le.Op), le.Old, le.New, cause)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Sprintf("%s %s 时出错：%s", opZH(pe.Op), pe.Path, cause)
	}
	return cause
}

func opZH(op string) string {
	switch op {
	case "open":
		return "打开"
	case "read":
		return "读取"
	case "write":
		return "写入"
	case "rename":
		return "把"
	case "mkdir":
		return "建立文件夹"
	case "remove":
		return "删除"
	case "stat", "lstat":
		return "查看"
	}
	return "处理"
}

// osCauseZH words the usual causes of a file error and what to do.
func osCauseZH(err error) string {
	switch {
	case errors.Is(err, atomicfile.ErrBusy):
		return "文件正被其他程序（如 Excel、WPS）打开，不能替换：关闭它后再试；原来的文件没有改动"
	case errors.Is(err, fs.ErrExist):
		return "那里已有同名的文件：换一个名字，或先把那个文件移走"
	case errors.Is(err, fs.ErrNotExist):
		return "没有这个文件或文件夹：核对路径和文件名"
	case errors.Is(err, fs.ErrPermission):
		return "没有权限：换一个可以写的文件夹，或请管理员给予权限"
	case diskFull(err):
		return "磁盘已满：腾出空间后再试"
	case errors.Is(err, syscall.EISDIR):
		return "这是一个文件夹，不是文件：给出文件的路径"
	case errors.Is(err, syscall.ENOTDIR):
		return "路径中的某一段不是文件夹：核对路径"
	case errors.Is(err, syscall.EXDEV):
		return "不能跨磁盘改名：把文件放在同一个磁盘上"
	}
	if u := errors.Unwrap(err); u != nil {
		err = u
	}
	return "系统报告：" + err.Error()
}

// mergeDetails turn the nightly merge's step details and errors, which are
// stored as written (in English, and so printed by --json), into Chinese.
var mergeDetails = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`^(\d+) offices synced, (\d+) did not; (\d+) changes applied, (\d+) refused, (\d+) conflicts$`),
		"$1 个办公室同步了，$2 个没有；采用修改 $3 条，拒绝 $4 条，冲突 $5 个"},
	{regexp.MustCompile(`^no ID number registered twice$`), "没有重复登记的身份证号"},
	{regexp.MustCompile(`^(\d+) ID numbers registered more than once \((\d+) records\): resolve with (wanxia hub duplicate resolve)$`),
		"$1 个身份证号重复登记（$2 条记录）：用 $3 处理"},
	{regexp.MustCompile(`^(\d+) new pairs, (\d+) pairs ended, (\d+) cadres unpaired$`), "新结对 $1 个，结束 $2 个，$3 名干部尚未结对"},
	{regexp.MustCompile(`^(\d+) branches proposed, (\d+) moves, (\d+) dissolved; not applied \((wanxia hub branch plan --apply)\)$`),
		"方案含支部 $1 个，调整 $2 人，撤销 $3 个；没有写入（写入用 $4）"},
	{regexp.MustCompile(`^(\d+) report files in (.*)$`), "报表 $1 个，在 $2"},
	{regexp.MustCompile(`^(\d+) log entries older than (\d+) days removed$`), "删除了 $2 天前的变更日志 $1 条"},
	{regexp.MustCompile(`^verified backup (.*)$`), "备份已核验：$1"},
	{regexp.MustCompile(`^no report directory given$`), "没有给出报表文件夹（--reports），不写报表"},
	{regexp.MustCompile(`^no backup directory given$`), "没有给出备份文件夹（--backup），不做备份"},
}

// notRun is the error of a step not run for an earlier one.
var notRun = regexp.MustCompile(`^not run: step (\S+) did not succeed$`)

// mergeText is a merge step's detail or error in the language asked for;
// an error the table does not know keeps its own text after a Chinese lead.
func (a *app) mergeText(s string, failed bool) string {
	if a.lang == cadre.English || s == "" {
		return s
	}
	if m := notRun.FindStringSubmatch(s); m != nil {
		return fmt.Sprintf("没有运行：前一步“%s”没有成功", a.label(stepLabels, m[1]))
	}
	for _, d := range mergeDetails {
		if d.re.MatchString(s) {
			return d.re.ReplaceAllString(s, d.zh)
		}
	}
	if failed {
		return "出错（原文：" + s + "）：处理后再运行 wanxia hub merge"
	}
	return s
}
