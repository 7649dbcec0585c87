package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
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

// rosterFile is a roster read from a file: the rows roster.Read found,
// which fields the file has columns for, and the file's own line (or sheet
// row) of each line roster.Read counted.
type rosterFile struct {
	res     *roster.Result
	columns map[string]bool
	lineOf  func(int) int
}

// readRosterFile reads a CSV file as it is, or the first sheet of an .xlsx
// workbook turned into the same CSV, with roster.Read.
func (a *app) readRosterFile(path, kind string, asOf time.Time) (*rosterFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, a.fail(err, "读不了 %s：%v", "cannot read %s: %v", path, err)
	}
	rf := &rosterFile{lineOf: func(n int) int { return n }}
	var header []string
	if kind == "xlsx" {
		var lines map[int]int
		b, header, lines, err = xlsxToCSV(b)
		if err != nil {
			return nil, a.fail(err, "读不了 Excel 文件 %s：%v", "cannot read the Excel file %s: %v", path, err)
		}
		rf.lineOf = func(n int) int {
			if row, ok := lines[n]; ok {
				return row
			}
			return n
		}
	} else {
		header = csvHeader(b)
	}
	rf.res, err = roster.Read(bytes.NewReader(b), asOf)
	if err != nil {
		return nil, a.fail(err, "%s 不能作为名册读取：%v", "%s cannot be read as a roster: %v", path, err)
	}
	rf.columns = headerFields(header)
	return rf, nil
}

// xlsxToCSV writes the first sheet of a workbook as CSV for roster.Read and
// returns it with its header row and, for each CSV line on which a record
// starts, the sheet row it came from (a cell with line breaks takes more
// than one CSV line). Dates in the locale's short format read as
// YYYY-MM-DD.
func xlsxToCSV(b []byte) ([]byte, []string, map[int]int, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	lines := make(map[int]int, len(rows))
	line := 1
	for i, row := range rows {
		lines[line] = i + 1
		start := buf.Len()
		if err := w.Write(row); err != nil {
			return nil, nil, nil, err
		}
		w.Flush()
		line += bytes.Count(buf.Bytes()[start:], []byte("\n"))
	}
	if err := w.Error(); err != nil {
		return nil, nil, nil, err
	}
	var header []string
	if len(rows) > 0 {
		header = rows[0]
	}
	return buf.Bytes(), header, lines, nil
}

// csvHeader returns the header row of a CSV roster in UTF-8 or GB18030,
// nil when it has none; roster.Read reports why.
func csvHeader(b []byte) []string {
	b = bytes.TrimPrefix(b, []byte("\uFEFF"))
	if !utf8.Valid(b) {
		var err error
		if b, err = simplifiedchinese.GB18030.NewDecoder().Bytes(b); err != nil {
			return nil
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, _ := r.Read()
	return header
}

// headerFolds are the variations of a header that people type.
var headerFolds = strings.NewReplacer(" ", "", "\u3000", "", "（", "(", "）", ")")

func foldHeader(h string) string { return strings.ToLower(strings.TrimSpace(headerFolds.Replace(h))) }

// headerFields returns the fields (JSON keys) that a header has columns
// for, in either language.
func headerFields(header []string) map[string]bool {
	have := map[string]bool{}
	for _, h := range header {
		have[foldHeader(h)] = true
	}
	out := map[string]bool{}
	for _, f := range cadreFieldOrder {
		if have[foldHeader(roster.FieldHeader(f, cadre.Chinese))] || have[foldHeader(roster.FieldHeader(f, cadre.English))] {
			out[f] = true
		}
	}
	return out
}

// keepAbsent keeps on an updated cadre the fields the roster has no column
// for, so that a roster of some columns does not blank the others, and
// the fields whose cell is empty: an empty cell is not known in this
// roster (未填), never a reason to forget what is known. The position goes
// with the address: it is kept when the roster has no coordinates and the
// address is unchanged.
func keepAbsent(c, old *cadre.Cadre, columns map[string]bool) {
	for field, copyField := range cadreFieldCopy {
		if !columns[field] || unknownField(c, field) {
			copyField(c, old)
		}
	}
	if !columns["lat"] && !columns["lng"] && c.Address == old.Address {
		c.Location = old.Location
	}
}

// unknownField reports whether a field that may be unknown is empty on c.
func unknownField(c *cadre.Cadre, field string) bool {
	switch field {
	case "category":
		return c.Category == ""
	case "retired_on":
		return c.RetiredOn.IsZero()
	case "rank":
		return c.Rank == ""
	case "party":
		return c.Party == ""
	case "party_joined_on":
		return c.PartyJoinedOn.IsZero() && c.Party != cadre.PartyNone
	case "health":
		return c.Health == ""
	case "living":
		return c.Living == ""
	case "pension_fen":
		return c.PensionFen == 0
	}
	return false
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

// importBatch is how many rows one transaction stores: a long roster is
// stored in steps, so that an interrupted import keeps what it stored and
// the same file imported again goes on from there.
const importBatch = 500

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
	rf, err := a.readRosterFile(path, kind, a.now().In(syncsvc.Shanghai()))
	if err != nil {
		return err
	}
	out := importJSON{File: path, Errors: []rowErrorJSON{}, UnknownColumns: rf.res.UnknownColumns}
	if out.UnknownColumns == nil {
		out.UnknownColumns = []string{}
	}
	for _, e := range rf.res.Errors {
		out.Errors = append(out.Errors, rowErrorJSON{Line: rf.lineOf(e.Line), Field: e.Field, Column: fieldName(e.Field, a.lang), Message: e.Message(a.lang)})
	}
	p := a.newProgress()
	rows := rf.res.Rows
	for start := 0; start < len(rows); start += importBatch {
		if len(rows) >= progressFrom {
			p.update("import", a.tf("导入 %d/%d 行", "importing row %d of %d", start, len(rows)))
		}
		batch := rows[start:min(start+importBatch, len(rows))]
		var added, updated, unchanged int
		var probs []rowErrorJSON
		err := r.Update(ctx, func(tx *store.Tx) error {
			added, updated, unchanged, probs = 0, 0, 0, nil
			problem := func(line int, field string, err error) {
				probs = append(probs, rowErrorJSON{Line: rf.lineOf(line), Field: field, Column: fieldName(field, a.lang), Message: a.fieldProblem("", err)})
			}
			for _, row := range batch {
				c := row.Cadre
				old, err := r.CadreByIDNumber(ctx, c.IDNumber)
				found := err == nil
				switch {
				case found:
					c.ID = old.ID
					keepAbsent(&c, &old, rf.columns)
				case !errors.Is(err, syncsvc.ErrNotFound):
					return err
				}
				changed, err := tx.PutCadre(&c)
				var ve *cadre.ValidationError
				var dup *syncsvc.DuplicateError
				switch {
				case errors.As(err, &ve):
					for _, fe := range withoutDerived(ve.Problems) {
						problem(row.Line, fe.Field, fe) // fe keeps the wording made at the source
					}
				case errors.As(err, &dup):
					problem(row.Line, "id_number", err)
				case err != nil:
					return err
				case changed && found:
					updated++
				case changed:
					added++
				default:
					unchanged++
				}
			}
			return nil
		})
		if err != nil {
			p.done()
			return a.importStopped(err, out)
		}
		out.Added += added
		out.Updated += updated
		out.Unchanged += unchanged
		out.Errors = append(out.Errors, probs...)
	}
	p.done()
	sort.SliceStable(out.Errors, func(i, j int) bool { return out.Errors[i].Line < out.Errors[j].Line })
	lines := map[int]bool{}
	for _, e := range out.Errors {
		lines[e.Line] = true
	}
	out.BadRows = len(lines)
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
func (a *app) importStopped(err error, out importJSON) error {
	done := out.Added + out.Updated + out.Unchanged
	if errors.Is(err, context.Canceled) {
		return a.fail(err, "导入已中断，已处理 %d 行并保存；再导入同一文件即可继续", "import interrupted after %d rows, which are kept; import the same file again to go on", done)
	}
	return a.fail(err, "导入在第 %d 行后停止（之前的行已保存）：%v", "import stopped after %d rows (those are kept): %v", done, err)
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
				write = func(w io.Writer) error { return writeXLSX(w, cs) }
			}
			if err := atomicfile.Write(args[0], write); err != nil {
				return a.fail(err, "没有写成 %s：%v", "could not write %s: %v", args[0], err)
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

// writeXLSX writes the roster layout into the first sheet of a workbook:
// the CSV roster.Write makes, cell for cell, with the ID number column
// formatted as text so that Excel keeps every digit, also of numbers a
// clerk types in later.
func writeXLSX(w io.Writer, cs []cadre.Cadre) error {
	var buf bytes.Buffer
	if err := roster.Write(&buf, cs, cadre.Chinese); err != nil {
		return err
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@", text
	if err != nil {
		return err
	}
	idCol := -1
	for i, h := range records[0] {
		if h == roster.FieldHeader("id_number", cadre.Chinese) {
			idCol = i
		}
	}
	if idCol >= 0 {
		if err := sw.SetColStyle(idCol+1, idCol+1, text); err != nil {
			return err
		}
		if err := sw.SetColWidth(idCol+1, idCol+1, 22); err != nil {
			return err
		}
	}
	for i, rec := range records {
		cells := make([]any, len(rec))
		for j, v := range rec {
			if j == idCol {
				cells[j] = excelize.Cell{StyleID: text, Value: v}
			} else {
				cells[j] = v
			}
		}
		ref, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}
