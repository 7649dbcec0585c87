package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
)

// ErrNotWorkbook: an .xlsx roster could not be opened or read as a
// workbook.
var ErrNotWorkbook = errors.New("not an Excel workbook")

// workbookError is a workbook that could not be read: excelize's error
// as it is, and ErrNotWorkbook for errors.Is.
type workbookError struct{ err error }

func (e workbookError) Error() string        { return e.err.Error() }
func (e workbookError) Unwrap() error        { return e.err }
func (e workbookError) Is(target error) bool { return target == ErrNotWorkbook }

// ErrNoSheet: the sheet asked for is not in the workbook. The error lists
// the sheets there are.
var ErrNoSheet = errors.New("no such sheet")

// sheetError is ErrNoSheet with the sheet asked for and those there are.
type sheetError struct {
	asked  string
	sheets []string
}

func (e *sheetError) Error() string {
	return fmt.Sprintf("%v: the workbook has no sheet %q; its sheets are %s (give a name or a number from 1)",
		ErrNoSheet, e.asked, numbered(e.sheets, ", "))
}

func (e *sheetError) Is(target error) bool { return target == ErrNoSheet }

func (e *sheetError) zh() string {
	return fmt.Sprintf("工作簿里没有工作表“%s”；它的工作表是 %s（写名称或从 1 起的序号）", e.asked, numbered(e.sheets, "、"))
}

func numbered(sheets []string, sep string) string {
	parts := make([]string, len(sheets))
	for i, s := range sheets {
		parts[i] = fmt.Sprintf("%d %s", i+1, s)
	}
	return strings.Join(parts, sep)
}

// ReadXLSX reads the first sheet of an .xlsx workbook as a roster; see
// ReadXLSXSheet.
func ReadXLSX(r io.Reader, asOf time.Time) (*Result, error) {
	return ReadXLSXSheet(r, "", asOf)
}

// ReadXLSXSheet reads one sheet of an .xlsx workbook as a roster, as Read
// reads a CSV file: the same layout, checks and Result. sheet is the
// sheet's name (spaces around it and case ignored) or its 1-based number;
// "" is the first sheet. Lines are the sheet's row numbers. A cell Excel
// holds as a date, whatever format shows it, reads as that date. A
// workbook that cannot be read wraps ErrNotWorkbook; a sheet it does not
// have, ErrNoSheet, listing the sheets; a sheet that is no roster, Read's
// errors.
func ReadXLSXSheet(r io.Reader, sheet string, asOf time.Time) (*Result, error) {
	f, err := excelize.OpenReader(r, excelize.Options{ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, workbookError{err}
	}
	defer f.Close()
	name, err := pickSheet(f.GetSheetList(), sheet)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	rows, err := f.GetRows(name)
	if err != nil {
		return nil, workbookError{err}
	}
	raw, err := f.GetRows(name, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, workbookError{err}
	}
	text, rowOf, err := rowsToCSV(rows)
	if err != nil {
		return nil, workbookError{err}
	}
	sheetRow := func(line int) int {
		if row, ok := rowOf[line]; ok {
			return row
		}
		return line
	}
	res, err := readCSV(text, asOf, func(l layout, rec []string, line int) {
		rawDates(l, rec, raw, sheetRow(line)-1)
	})
	if err != nil {
		var ce *columnError
		if errors.As(err, &ce) && ce.line > 0 {
			ce.line = sheetRow(ce.line)
		}
		return nil, err
	}
	res.HeaderLine = sheetRow(res.HeaderLine)
	for i := range res.Rows {
		res.Rows[i].Line = sheetRow(res.Rows[i].Line)
	}
	for i := range res.Errors {
		res.Errors[i].Line = sheetRow(res.Errors[i].Line)
	}
	return res, nil
}

// pickSheet finds the sheet asked for: "" is the first; a name wins over
// a number, so that a sheet named "2" is found by its name.
func pickSheet(sheets []string, asked string) (string, error) {
	if len(sheets) == 0 {
		return "", workbookError{errors.New("the workbook has no sheet")}
	}
	want := strings.TrimSpace(asked)
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if strings.EqualFold(strings.TrimSpace(s), want) {
			return s, nil
		}
	}
	if n, err := strconv.Atoi(cadre.FoldValue(want)); err == nil && n >= 1 && n <= len(sheets) {
		return sheets[n-1], nil
	}
	return "", &sheetError{asked: asked, sheets: sheets}
}

// rawDates puts back, in the date columns of rec (sheet row index i), the
// date of each cell Excel holds as a number shown in a date format: the
// format may show less than the date (1990.05 for 1990-05-17) or a form
// of the locale, while the number is the date itself. A number shown as
// it is (General) is left to parseDate, which reads a five-digit serial.
func rawDates(l layout, rec []string, raw [][]string, i int) {
	if i < 0 || i >= len(raw) {
		return
	}
	for j, col := range l {
		if col == nil || j >= len(rec) || j >= len(raw[i]) || !isDateColumn(col.field) {
			continue
		}
		if v := raw[i][j]; v != rec[j] {
			if date, ok := excelSerialDate(v); ok {
				rec[j] = date
			}
		}
	}
}

func isDateColumn(field string) bool {
	switch field {
	case "birth_date", "retired_on", "party_joined_on", "status_on":
		return true
	}
	return false
}

// rowsToCSV writes the rows of a sheet as CSV for Read and returns it
// with, for each CSV line on which a record starts, the sheet row it came
// from (a cell with line breaks takes more than one CSV line).
func rowsToCSV(rows [][]string) ([]byte, map[int]int, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	lines := make(map[int]int, len(rows))
	line := 1
	for i, row := range rows {
		lines[line] = i + 1
		start := buf.Len()
		if err := w.Write(row); err != nil {
			return nil, nil, err
		}
		w.Flush()
		line += bytes.Count(buf.Bytes()[start:], []byte("\n"))
	}
	if err := w.Error(); err != nil {
		return nil, nil, err
	}
	return buf.Bytes(), lines, nil
}

// WriteXLSX writes the roster layout into the first sheet of a workbook:
// the CSV Write makes in Chinese, cell for cell, with the ID number column
// formatted as text so that Excel keeps every digit, also of numbers a
// clerk types in later.
func WriteXLSX(w io.Writer, cs []cadre.Cadre) error {
	var buf bytes.Buffer
	if err := Write(&buf, cs, cadre.Chinese); err != nil {
		return err
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), utf8BOM))).ReadAll()
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
		if h == FieldHeader("id_number", cadre.Chinese) {
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
