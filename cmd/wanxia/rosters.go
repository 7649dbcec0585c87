package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/report/display"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// rosterKind is the kind of a roster file, by its extension.
func (a *app) rosterKind(path string) (string, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv", nil
	case ".xlsx":
		return "xlsx", nil
	}
	return "", a.usage("%s：名册应为 .csv 或 .xlsx 文件", "%s: a roster is a .csv or .xlsx file", path)
}

// rowErrorJSON is one problem of one row.
type rowErrorJSON struct {
	Line    int    `json:"line"`
	Field   string `json:"field"`
	Column  string `json:"column"`
	Value   string `json:"value"`
	Message string `json:"message"`
}

// importJSON is what office import did.
type importJSON struct {
	File           string         `json:"file"`
	Added          int            `json:"added"`
	Updated        int            `json:"updated"`
	Unchanged      int            `json:"unchanged"`
	BadRows        int            `json:"bad_rows"`
	Errors         []rowErrorJSON `json:"errors"`
	UnknownColumns []string       `json:"unknown_columns"`
	DryRun         bool           `json:"dry_run"`
	AsOf           string         `json:"as_of"`
	HeldBack       int            `json:"held_back"`
	Held           []heldJSON     `json:"held"`
	Changes        []changeJSON   `json:"changes"`
}

// fieldChangeJSON is one field a row changes, or would change.
type fieldChangeJSON struct {
	Field  string `json:"field"`
	Column string `json:"column"`
	Old    string `json:"old"`
	New    string `json:"new"`
}

// changeJSON is what one row does to a cadre (listed on a dry run).
type changeJSON struct {
	Line     int               `json:"line"`
	CadreID  string            `json:"cadre_id"`
	Name     string            `json:"name"`
	IDNumber string            `json:"id_number"`
	Action   string            `json:"action"`
	Fields   []fieldChangeJSON `json:"fields"`
}

// newerJSON is one field of a held-back row that is newer in the replica.
type newerJSON struct {
	fieldChangeJSON
	ChangedAt *string `json:"changed_at"`
	Revives   bool    `json:"revives"`
	Reason    string  `json:"reason"`
}

// heldJSON is a row held back because it would undo newer work.
type heldJSON struct {
	Line     int         `json:"line"`
	CadreID  string      `json:"cadre_id"`
	Name     string      `json:"name"`
	IDNumber string      `json:"id_number"`
	Written  bool        `json:"written"`
	Fields   []newerJSON `json:"fields"`
	Todo     string      `json:"todo"`
}

// progressFrom is the number of rows from which import shows progress.
const progressFrom = 200

// importOptions are the flags of office import.
type importOptions struct {
	asJSON, dryRun, overwrite bool
	asOf                      time.Time
	sheet                     string
}

func (a *app) importCmd() *cobra.Command {
	var o importOptions
	cmd := a.leaf("import FILE", "Import a roster (.csv or .xlsx, the first sheet or --sheet); a row whose ID number is registered updates that cadre; a row that would undo work done after the file was written is held back; bad rows are reported and the good ones kept", 1, func(cmd *cobra.Command, args []string) error {
		kind, err := a.rosterKind(args[0])
		if err != nil {
			return err
		}
		if o.sheet != "" && kind != "xlsx" {
			return a.usage("--sheet 只用于 .xlsx 文件", "--sheet is for an .xlsx file only")
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.importRoster(cmd.Context(), r, args[0], kind, o)
		})
	})
	cmd.Flags().StringVar(&o.sheet, "sheet", "", "the sheet of an .xlsx workbook to read, by name or number from 1 (default the first)")
	jsonFlag(cmd, &o.asJSON)
	cmd.Flags().BoolVar(&o.dryRun, "dry-run", false, "show what the import would change, field by field, and write nothing")
	cmd.Flags().BoolVar(&o.overwrite, "overwrite", false, "also write the rows held back because they would undo work done after the file was written")
	cmd.Flags().Var(&asOfFlag{&o.asOf}, "as-of", `when the roster was written ("YYYY-MM-DD" or "YYYY-MM-DD HH:MM"; default the file's modification time)`)
	return cmd
}

// asOfFlag is a roster's time: a date (its first minute) or a civil time,
// in Asia/Shanghai.
type asOfFlag struct{ p *time.Time }

func (f *asOfFlag) Set(s string) error {
	s = strings.TrimSpace(s)
	if d, err := cadre.ParseDate(s); err == nil {
		*f.p = time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, syncsvc.Shanghai())
		return nil
	}
	return (&timeFlag{f.p}).Set(s)
}

func (f *asOfFlag) String() string {
	if f.p == nil || f.p.IsZero() {
		return ""
	}
	return f.p.Format(display.TimeLayout)
}

func (f *asOfFlag) Type() string { return "time" }

func (a *app) importRoster(ctx context.Context, r *store.Replica, path, kind string, o importOptions) error {
	f, err := os.Open(path)
	if err != nil {
		return a.fail(err, "读不了 %s：%s", "cannot read %s: %v", path, a.fileText(err))
	}
	defer f.Close()
	asOf := o.asOf
	if asOf.IsZero() {
		info, err := f.Stat()
		if err != nil {
			return a.fail(err, "读不了 %s：%v", "cannot read %s: %v", path, err)
		}
		asOf = info.ModTime()
	}
	asOf = asOf.In(syncsvc.Shanghai())
	p := a.newProgress()
	res, err := desk.ImportRoster(ctx, r, a.now(), desk.RosterImport{File: f, Format: desk.RosterFormat(kind), Sheet: o.sheet,
		AsOf: asOf, Overwrite: o.overwrite, DryRun: o.dryRun,
		Progress: func(done, total int) {
			switch {
			case total >= progressFrom:
				p.update("import", a.tf("导入 %d/%d 行", "importing row %d of %d", done, total))
			case total == 0 && done >= progressFrom: // a workbook that does not say how long it is
				p.update("import", a.tf("导入第 %d 行", "importing row %d", done))
			}
		}})
	p.done()
	asJSON := o.asJSON
	switch {
	case errors.Is(err, roster.ErrNoSheet):
		return a.fail(err, "%s：%s", "%s: %s", path, roster.Describe(err, a.lang))
	case errors.Is(err, roster.ErrNotWorkbook):
		return a.fail(err, "读不了 Excel 文件 %s：文件已损坏或不是 .xlsx 工作簿，请在 Excel 里打开后另存为 .xlsx 或 CSV 再导入", "cannot read the Excel file %s: %v", path, a.rosterText(err))
	case errors.Is(err, desk.ErrUnreadableRoster):
		return a.fail(err, "%s 不能作为名册读取：%s", "%s cannot be read as a roster: %s", path, roster.Describe(err, a.lang))
	case err != nil:
		return a.importStopped(err, res.Done())
	}
	out := importJSON{File: path, Added: res.Added, Updated: res.Updated, Unchanged: res.Unchanged, BadRows: res.BadRows,
		Errors: []rowErrorJSON{}, UnknownColumns: res.UnknownColumns,
		DryRun: o.dryRun, AsOf: asOf.Format(time.RFC3339), HeldBack: res.HeldBack(), Held: a.heldJSON(res.Held), Changes: a.changesJSON(res.Changes)}
	if out.UnknownColumns == nil {
		out.UnknownColumns = []string{}
	}
	for _, e := range res.Problems {
		column := e.Column // the header as the file writes it
		if column == "" {
			column = fieldName(e.Field, a.lang)
		}
		out.Errors = append(out.Errors, rowErrorJSON{Line: e.Line, Field: e.Field, Column: column, Value: e.Value, Message: e.Message(a.lang)})
	}
	if asJSON {
		if err := a.printJSON(out); err != nil {
			return err
		}
	} else {
		a.printImport(out)
	}
	if out.BadRows > 0 {
		return a.fail(nil, "%s 有 %d 行有误，没有导入（其余各行已导入）：改正这些行后再导入同一文件即可",
			"%s has %d bad rows, not imported (the other rows were): correct them and import the same file again", path, out.BadRows)
	}
	return nil
}

// importStopped reports an import that stopped part way: the rows before
// were stored, and importing the file again goes on where it stopped.
func (a *app) importStopped(err error, done int) error {
	if errors.Is(err, context.Canceled) {
		return a.fail(err, "导入已中断，已处理 %d 行并保存；再导入同一文件即可继续", "import interrupted after %d rows, which are kept; import the same file again to go on", done)
	}
	return a.fail(err, "导入在第 %d 行后停止（之前的行已保存）：%v", "import stopped after %d rows (those are kept): %v", done, a.libText(err))
}

func (a *app) printImport(out importJSON) {
	for _, e := range out.Errors {
		column := ""
		if e.Column != "" {
			column = e.Column + a.t("：", ": ")
		}
		fmt.Fprintf(a.stderr, a.t("第 %d 行：%s%s\n", "line %d: %s%s\n"), e.Line, column, e.Message)
	}
	if len(out.UnknownColumns) > 0 {
		fmt.Fprintf(a.stderr, a.t("忽略了不认识的列：%s\n", "ignored unknown columns: %s\n"), strings.Join(out.UnknownColumns, ", "))
	}
	a.printHeld(out)
	if out.DryRun {
		a.printChanges(out.Changes)
		a.printf("试导入 %s（没有写入）：将新增 %d，更新 %d，没有变化 %d，有误 %d 行，暂缓 %d 行\n",
			"dry run of %s (nothing written): would add %d, update %d, leave %d unchanged, %d bad rows, %d held back\n",
			out.File, out.Added, out.Updated, out.Unchanged, out.BadRows, out.HeldBack)
		return
	}
	a.printf("导入 %s：新增 %d，更新 %d，没有变化 %d，有误 %d 行，暂缓 %d 行\n", "imported %s: %d added, %d updated, %d unchanged, %d bad rows, %d held back\n",
		out.File, out.Added, out.Updated, out.Unchanged, out.BadRows, out.HeldBack)
}

func (a *app) exportCmd() *cobra.Command {
	var community string
	var status cadre.Status
	var asJSON bool
	cmd := a.leaf("export FILE", "Write the cadres as a roster (.csv or .xlsx) with Chinese headers, the layout import reads", 1, func(cmd *cobra.Command, args []string) error {
		kind, err := a.rosterKind(args[0])
		if err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			cs, err := r.Cadres(cmd.Context(), store.CadreFilter{Community: community, Status: status})
			if err != nil {
				return err
			}
			write := func(w io.Writer) error { return roster.Write(w, cs, cadre.Chinese) }
			if kind == "xlsx" {
				write = func(w io.Writer) error { return roster.WriteXLSX(w, cs) }
			}
			if err := atomicfile.Write(args[0], write); err != nil {
				return a.fail(err, "没有写成 %s：%v", "could not write %s: %v", args[0], a.libText(err))
			}
			if asJSON {
				return a.printJSON(map[string]any{"file": args[0], "cadres": len(cs)})
			}
			a.printf("已导出 %d 名干部到 %s\n", "exported %d cadres to %s\n", len(cs), args[0])
			return nil
		})
	})
	cmd.Flags().StringVar(&community, "community", "", "only this community")
	cmd.Flags().Var(&enumFlag[cadre.Status]{&status, cadre.ParseStatus}, "status", "only this status")
	jsonFlag(cmd, &asJSON)
	return cmd
}
