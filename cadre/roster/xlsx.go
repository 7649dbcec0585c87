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
	s, err := NewSheetScanner(r, sheet, asOf)
	if err != nil {
		return nil, err
	}
	return collect(s)
}

// NewSheetScanner reads the header of one sheet of an .xlsx workbook and
// returns a Scanner of its rows, as ReadXLSXSheet reads them. The workbook
// is read into memory (it is compressed); its sheet is read row by row,
// from a temporary file when it is large. Close the scanner when done.
func NewSheetScanner(r io.Reader, sheet string, asOf time.Time) (*Scanner, error) {
	f, err := excelize.OpenReader(r, excelize.Options{ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, workbookError{err}
	}
	rows, err := openSheet(f, sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	s, err := newScanner(rows, asOf)
	if err != nil {
		rows.close()
		return nil, err
	}
	s.fix = func(l layout, rec []string) { rawDates(l, rec, rows.raw) }
	s.close = rows.close
	if last := lastRow(f, rows.name); last > s.HeaderLine {
		s.Total = last - s.HeaderLine
	}
	return s, nil
}

// lastRow is the last row of a sheet: as its dimension says, or, in a
// workbook written without one (or with the single cell a writer that
// streams leaves there), as its rows say, read through once without their
// cells; 0 when neither can be read.
func lastRow(f *excelize.File, sheet string) int {
	if dim, err := f.GetSheetDimension(sheet); err == nil {
		if _, last, found := strings.Cut(dim, ":"); found {
			if _, row, err := excelize.CellNameToCoordinates(last); err == nil {
				return row
			}
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return 0
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
	}
	return n
}

// sheetRows are the rows of a sheet that have a cell, each with its sheet
// row, read twice in step: as Excel shows the cells, and as it holds them
// (raw, the last row's), for the dates.
type sheetRows struct {
	f          *excelize.File
	name       string
	shown, all *excelize.Rows
	row        int
	raw        []string
}

// openSheet opens the sheet asked for (see pickSheet).
func openSheet(f *excelize.File, sheet string) (*sheetRows, error) {
	name, err := pickSheet(f.GetSheetList(), sheet)
	if err != nil {
		return nil, fmt.Errorf("roster: %w", err)
	}
	s := &sheetRows{f: f, name: name}
	if s.shown, err = f.Rows(name); err != nil {
		return nil, workbookError{err}
	}
	if s.all, err = f.Rows(name); err != nil {
		s.shown.Close()
		return nil, workbookError{err}
	}
	return s, nil
}

func (s *sheetRows) next() ([]string, int, error) {
	for s.shown.Next() && s.all.Next() {
		s.row++
		rec, err := s.shown.Columns()
		if err != nil {
			return nil, 0, workbookError{err}
		}
		if s.raw, err = s.all.Columns(excelize.Options{RawCellValue: true}); err != nil {
			return nil, 0, workbookError{err}
		}
		if len(rec) > 0 { // a row without cells is skipped, as CSV skips an empty line
			return rec, s.row, nil
		}
	}
	if err := s.shown.Error(); err != nil {
		return nil, 0, workbookError{err}
	}
	return nil, 0, io.EOF
}

// close closes the rows and the workbook, keeping the first error.
func (s *sheetRows) close() error {
	err := s.shown.Close()
	if e := s.all.Close(); err == nil {
		err = e
	}
	if e := s.f.Close(); err == nil {
		err = e
	}
	if err != nil {
		return workbookError{err}
	}
	return nil
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

// rawDates puts back, in the date columns of rec, the date of each cell
// Excel holds (raw) as a number shown in a date format: the format may
// show less than the date (1990.05 for 1990-05-17) or a form of the
// locale, while the number is the date itself. A number shown as it is
// (General) is left to parseDate, which reads a five-digit serial.
func rawDates(l layout, rec, raw []string) {
	for j, col := range l {
		if col == nil || j >= len(rec) || j >= len(raw) || !isDateColumn(col.field) {
			continue
		}
		if v := raw[j]; v != rec[j] {
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
