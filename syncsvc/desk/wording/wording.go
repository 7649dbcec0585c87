// Package wording says for a person what the library's values and errors
// mean, in Chinese or English: a cadre's fields as a clerk reads them, a
// file system's error with what to do, and any library error worded at its
// source (cadre.Worded) or, failing that, with a Chinese lead. The command
// and the office desk's pages both word through it, each adding only the
// advice that names its own way of doing things (a verb, a button).
package wording

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"syscall"
	"unicode"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
)

// Sentinel is a caller's Chinese for an error it tests with errors.Is.
type Sentinel struct {
	Err error
	ZH  string
}

// Error is a library error in lang: in English its own text; in Chinese a
// file system's error in Chinese (FileError), a size limit with what to do,
// the caller's wording of a sentinel (the first of sentinels that err
// wraps), the error's own wording (roster.Describe) or, for an error no
// one worded, its text after a Chinese lead that says the work done is
// kept.
func Error(err error, lang cadre.Lang, sentinels ...Sentinel) string {
	if err == nil {
		return ""
	}
	if lang == cadre.English {
		return err.Error()
	}
	var pe *fs.PathError
	var le *os.LinkError
	var limit *syncsvc.LimitError
	switch {
	case errors.As(err, &pe) || errors.As(err, &le):
		return FileError(err, lang)
	case errors.As(err, &limit):
		return limit.Chinese() + "：改短或去掉这些字符后再试"
	}
	for _, s := range sentinels {
		if errors.Is(err, s.Err) {
			return s.ZH
		}
	}
	text := roster.Describe(err, lang)
	if !HasHan(text) {
		return "出了没有预料到的问题（" + text + "）：已完成的工作都已保存；请把这一行提示告诉维护人员"
	}
	return text
}

// HasHan reports whether s has a Chinese character.
func HasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// FileError says what went wrong with a file and where: in Chinese the
// operation, the path and the cause, with what to do for the usual causes;
// in English the error's own text.
func FileError(err error, lang cadre.Lang) string {
	if lang == cadre.English {
		return err.Error()
	}
	cause := osCauseZH(err)
	if errors.Is(err, atomicfile.ErrBusy) {
		// The rename is atomicfile's own, from a temporary twin the clerk
		// never saw; the caller names the file.
		return cause
	}
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
	case DiskFull(err):
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

// FieldName is the header a clerk sees for a cadre's field (its JSON key,
// as a cadre.FieldError names it), "" for a problem of a whole row or
// record.
func FieldName(field string, lang cadre.Lang) string {
	switch field {
	case "":
		return ""
	case "id":
		return "ID"
	}
	return roster.FieldHeader(field, lang)
}

// CadreValue shows one field of a cadre (its JSON key) as a clerk reads
// it: labels in lang, 未填 (unknown) for an enumeration not filled in, "-"
// for an empty text or date. The ID number is shown in full only when full
// is set; lists show it masked.
func CadreValue(c *cadre.Cadre, field string, lang cadre.Lang, full bool) string {
	date := func(d cadre.Date) string {
		if d.IsZero() {
			return "-"
		}
		return d.String()
	}
	text := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	enum := func(label string) string {
		if label == "" {
			return cadre.Unknown(lang)
		}
		return label
	}
	switch field {
	case "id":
		return c.ID.String()
	case "name":
		return c.Name
	case "gender":
		return c.Gender.Label(lang)
	case "id_number":
		if full {
			return c.IDNumber
		}
		return cadre.MaskIDNumber(c.IDNumber)
	case "birth_date":
		return date(c.BirthDate)
	case "category":
		return enum(c.Category.Label(lang))
	case "retired_on":
		if c.RetiredOn.IsZero() {
			return cadre.Unknown(lang)
		}
		return date(c.RetiredOn)
	case "rank":
		return enum(c.Rank.Label(lang))
	case "party":
		return enum(c.Party.Label(lang))
	case "party_joined_on":
		return date(c.PartyJoinedOn)
	case "health":
		return enum(c.Health.Label(lang))
	case "living":
		return enum(c.Living.Label(lang))
	case "children_nearby":
		return cadre.BoolLabel(c.ChildrenNearby, lang)
	case "living_difficulty":
		return cadre.BoolLabel(c.Difficulty, lang)
	case "community":
		return c.Community
	case "address":
		return text(c.Address)
	case "lat", "lng":
		if c.Location == nil {
			return "-"
		}
		v := c.Location.Lat
		if field == "lng" {
			v = c.Location.Lng
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	case "phone":
		return text(c.Phone)
	case "emergency_contact":
		return text(c.EmergencyContact)
	case "original_unit":
		return text(c.OriginalUnit)
	case "pension_fen":
		return cadre.FormatYuan(c.PensionFen)
	case "status":
		return c.Status.Label(lang)
	case "status_on":
		return date(c.StatusOn)
	}
	return ""
}
