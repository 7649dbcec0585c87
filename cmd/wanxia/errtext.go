package main

import (
	"fmt"
	"regexp"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
)

// Library errors speak English; the command shows them in the language
// asked for. An error worded at its source (cadre.Worded, cadre's field
// errors) is shown as worded; the file system's and the nightly merge's
// are mapped here, at the edge.

// libText is a library error in the language asked for: its wording when it
// has one, the file system's error in Chinese, else its own text
// (wording.Error, with the command's own advice for the sentinels below).
func (a *app) libText(err error) string { return wording.Error(err, a.lang, sentinelsZH...) }

// sentinelsZH word the engine's and the desk's errors that the verbs do
// not word themselves.
var sentinelsZH = []wording.Sentinel{
	{Err: desk.ErrReasonRequired, ZH: "需要说明原因：加上 --reason 原因"},
	{Err: syncsvc.ErrNotHub, ZH: "这只能在 hub 的数据库上做：用 wanxia hub … 并用 --db 指明 hub 的数据库"},
	{Err: syncsvc.ErrClosed, ZH: "数据库已关闭：重新运行这条命令"},
	{Err: syncsvc.ErrHubFailed, ZH: "hub 出了问题，没有完成：稍后再试；一直这样请告诉区老干部局"},
	{Err: syncsvc.ErrBatchTooLarge, ZH: "一次发送的修改太多，hub 没有接受：再运行 wanxia office sync，会分批发送"},
	{Err: syncsvc.ErrDuplicateIDNumber, ZH: "这个身份证号已经登记了：用 wanxia office cadre search 身份证号 找到那条记录，改那一条"},
	{Err: syncsvc.ErrUnknownType, ZH: "hub 不认识这种记录（程序版本不同）：把 hub 和办公室的 wanxia 升级到同一版本"},
	{Err: syncsvc.ErrInvalidType, ZH: "hub 不认识这种记录（程序版本不同）：把 hub 和办公室的 wanxia 升级到同一版本"},
}

// rosterText is a roster's problem in the language asked for.
func (a *app) rosterText(err error) string { return a.libText(err) }

// fileText says in the language asked for what went wrong with a file and
// where (wording.FileError).
func (a *app) fileText(err error) string { return wording.FileError(err, a.lang) }

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
