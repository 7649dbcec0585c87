package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/desk"
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
}

// progressFrom is the number of rows from which import shows progress.
const progressFrom = 200

func (a *app) importCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("import FILE", "Import a roster (.csv or .xlsx, first sheet); a row whose ID number is registered updates that cadre; bad rows are reported and the good ones kept", 1, func(cmd *cobra.Command, args []string) error {
		kind, err := a.rosterKind(args[0])
		if err != nil {
			return err
		}
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			return a.importRoster(cmd.Context(), r, args[0], kind, asJSON)
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func (a *app) importRoster(ctx context.Context, r *store.Replica, path, kind string, asJSON bool) error {
	f, err := os.Open(path)
	if err != nil {
		return a.fail(err, "读不了 %s：%s", "cannot read %s: %v", path, a.fileText(err))
	}
	defer f.Close()
	p := a.newProgress()
	res, err := desk.ImportRoster(ctx, r, a.now(), desk.RosterImport{File: f, Format: desk.RosterFormat(kind),
		Progress: func(done, total int) {
			if total >= progressFrom {
				p.update("import", a.tf("导入 %d/%d 行", "importing row %d of %d", done, total))
			}
		}})
	p.done()
	switch {
	case errors.Is(err, roster.ErrNotWorkbook):
		return a.fail(err, "读不了 Excel 文件 %s：文件已损坏或不是 .xlsx 工作簿，请在 Excel 里打开后另存为 .xlsx 或 CSV 再导入", "cannot read the Excel file %s: %v", path, a.rosterText(err))
	case errors.Is(err, desk.ErrUnreadableRoster):
		return a.fail(err, "%s 不能作为名册读取：%s", "%s cannot be read as a roster: %s", path, a.rosterText(err))
	case err != nil:
		return a.importStopped(err, res.Done())
	}
	out := importJSON{File: path, Added: res.Added, Updated: res.Updated, Unchanged: res.Unchanged, BadRows: res.BadRows,
		Errors: []rowErrorJSON{}, UnknownColumns: res.UnknownColumns}
	if out.UnknownColumns == nil {
		out.UnknownColumns = []string{}
	}
	for _, e := range res.Problems {
		out.Errors = append(out.Errors, rowErrorJSON{Line: e.Line, Field: e.Field, Column: fieldName(e.Field, a.lang), Message: e.Message(a.lang)})
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
	a.printf("导入 %s：新增 %d，更新 %d，没有变化 %d，有误 %d 行\n", "imported %s: %d added, %d updated, %d unchanged, %d bad rows\n",
		out.File, out.Added, out.Updated, out.Unchanged, out.BadRows)
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
