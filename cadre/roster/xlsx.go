package roster

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
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

// ReadXLSX reads the first sheet of an .xlsx workbook as a roster, as Read
// reads a CSV file: the same layout, checks and Result. Lines are the
// sheet's row numbers (the header is row 1). Dates in the locale's short
// format read as YYYY-MM-DD. A workbook that cannot be read wraps
// ErrNotWorkbook; a sheet that is no roster, Read's errors.
func ReadXLSX(r io.Reader, asOf time.Time) (*Result, error) {
	text, rowOf, err := xlsxToCSV(r)
	if err != nil {
		return nil, workbookError{err}
	}
	res, err := Read(bytes.NewReader(text), asOf)
	if err != nil {
		return nil, err
	}
	sheetRow := func(line int) int {
		if row, ok := rowOf[line]; ok {
			return row
		}
		return line
	}
	for i := range res.Rows {
		res.Rows[i].Line = sheetRow(res.Rows[i].Line)
	}
	for i := range res.Errors {
		res.Errors[i].Line = sheetRow(res.Errors[i].Line)
	}
	return res, nil
}

// xlsxToCSV writes the first sheet of a workbook as CSV for Read and
// returns it with, for each CSV line on which a record starts, the sheet
// row it came from (a cell with line breaks takes more than one CSV line).
func xlsxToCSV(r io.Reader) ([]byte, map[int]int, error) {
	f, err := excelize.OpenReader(r, excelize.Options{ShortDatePattern: "yyyy-mm-dd"})
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, errors.New("the workbook has no sheet")
	}
	rows, err := f.GetRows(sheets[0])
	if err != nil {
		return nil, nil, err
	}
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
