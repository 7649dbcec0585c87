package roster

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
)

// Errors that callers test with errors.Is. The first four make Read fail;
// the last two are wrapped by a RowError.
var (
	// ErrNotCSV: the file is not text in CSV form (an .xlsx workbook, or a
	// quoted cell that never ends).
	ErrNotCSV = errors.New("not a CSV file")
	// ErrNoHeader: the file is empty.
	ErrNoHeader = errors.New("no header row")
	// ErrMissingColumn: the header has no 身份证号 / id_number column, without
	// which no row can be matched to a cadre.
	ErrMissingColumn = errors.New("required column missing")
	// ErrDuplicateColumn: two columns of the header name the same field.
	ErrDuplicateColumn = errors.New("column appears twice")

	// ErrIDAsNumber: Excel stored an ID number as a number and lost digits.
	ErrIDAsNumber = fmt.Errorf("%w: Excel stored it as a number and lost digits; format the 身份证号 column as text (设置单元格格式 → 文本) and re-enter the numbers", cadre.ErrIDNumber)
	// ErrDuplicateID: the ID number is the same as on an earlier row.
	ErrDuplicateID = errors.New("ID number appears twice in the roster")
)

// Result is what Read found in a roster.
type Result struct {
	// Rows are the rows that passed validation, in file order.
	Rows []Row
	// Errors are the problems of the other rows, in file order; a row with
	// several problems has several errors, each with the same line.
	Errors []RowError
	Header
}

// BadLines returns the line numbers of the rows with problems, once each, in
// file order.
func (r *Result) BadLines() []int {
	var lines []int
	for _, e := range r.Errors {
		if len(lines) == 0 || lines[len(lines)-1] != e.Line {
			lines = append(lines, e.Line)
		}
	}
	return lines
}

// Row is a good row of a roster.
type Row struct {
	// Line is the 1-based line of the file on which the row starts; the
	// header is line 1.
	Line int
	// Cadre is the row's record, normalised and valid. Its ID is the zero
	// UUID: a roster names a cadre by the ID number.
	Cadre cadre.Cadre
}

// RowError is one problem of one row of a roster. Err says what is wrong and
// what to do; it wraps the cadre package's sentinels (cadre.ErrRequired,
// cadre.ErrIDCheck, …) or ErrIDAsNumber or ErrDuplicateID, for errors.Is.
type RowError struct {
	// Line is the 1-based line of the file on which the row starts.
	Line int
	// Field is the JSON key of the column at fault (see FieldHeader), or ""
	// when the problem is the row as a whole.
	Field string
	// Column is the header of the column at fault as the file writes it
	// (身份证号码, 出生年月), or "" when the file has no column for Field.
	Column string
	// Value is the cell at fault, without line breaks and the spaces
	// around it; an ID number is masked. It is "" for an empty cell.
	Value string
	// Err is the problem, without the line and field.
	Err error
	// zh is the problem in Chinese, when the record's check worded it.
	zh string
}

// Message says what is wrong in lang, without the line and column, and
// with the cell as it was written (Value) when the problem does not
// already quote it (an ID number's masked cell is not added).
func (e RowError) Message(lang cadre.Lang) string {
	msg := Describe(e.Err, lang)
	if lang == cadre.Chinese && e.zh != "" && !errors.Is(e.Err, ErrIDAsNumber) {
		msg = e.zh
	}
	// A masked ID number would add nothing to what the message says.
	if e.Value == "" || e.Field == "id_number" || strings.Contains(msg, e.Value) {
		return msg
	}
	if lang == cadre.English {
		return fmt.Sprintf("%s (the cell reads %q)", msg, e.Value)
	}
	return fmt.Sprintf("%s（所填：“%s”）", msg, e.Value)
}

// Error returns "line N: field: problem".
func (e RowError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d: %s: %v", e.Line, e.Field, e.Err)
}

// Unwrap returns the problem, so that errors.Is sees its sentinels.
func (e RowError) Unwrap() error { return e.Err }

// Read reads a CSV roster and validates each row as of asOf (see
// cadre.Cadre.Validate). Rows that fail validation, and a second row with
// an ID number already seen, are reported in the Result, not as an error;
// the error is for a file that cannot be read as a roster at all, and wraps
// ErrNotCSV, ErrNoHeader, ErrMissingColumn or ErrDuplicateColumn.
//
// The file may be UTF-8, with or without a byte order mark, or GB18030. A
// fully blank row is skipped, as Excel leaves them behind. Read holds every
// row; a Scanner (NewScanner) reads the same roster one row at a time.
func Read(r io.Reader, asOf time.Time) (*Result, error) {
	s, err := NewScanner(r, asOf)
	if err != nil {
		return nil, err
	}
	return collect(s)
}

// collect reads every row of s into a Result.
func collect(s *Scanner) (*Result, error) {
	defer s.Close()
	res := &Result{Header: s.Header}
	for s.Next() {
		row, problems := s.Row()
		if len(problems) == 0 {
			res.Rows = append(res.Rows, row)
		}
		res.Errors = append(res.Errors, problems...)
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	return res, s.Close()
}

// findHeader reads up to the header: the first of the first headerScan
// rows that isHeader. Title rows and blank rows above it are skipped.
func findHeader(src source) ([]string, int, error) {
	var first []string // the first row that is not blank, for the message
	var we workbookError
	for range headerScan {
		rec, line, err := src.next()
		switch {
		case errors.Is(err, io.EOF) && first == nil:
			return nil, 0, fmt.Errorf("roster: %w", cadre.Worded(ErrNoHeader, "文件是空的：第一行应是表头（姓名、身份证号、社区……）", "the file is empty"))
		case errors.Is(err, io.EOF):
			return nil, 0, fmt.Errorf("roster: %w", &columnError{err: ErrMissingColumn, seen: first})
		case errors.As(err, &we):
			return nil, 0, err
		case err != nil:
			return nil, 0, fmt.Errorf("roster: reading the header: %w: %w; %s", ErrNotCSV, err, quoteHint)
		}
		// Copies: a source may reuse its record for the next.
		if isHeader(rec) {
			return slices.Clone(rec), line, nil
		}
		if first == nil && !blank(rec) {
			first = slices.Clone(rec)
		}
	}
	if first == nil {
		return nil, 0, fmt.Errorf("roster: %w", cadre.Worded(ErrNoHeader, fmt.Sprintf("前 %d 行都是空的：表头应在最上面", headerScan), fmt.Sprintf("the first %d rows are blank", headerScan)))
	}
	return nil, 0, fmt.Errorf("roster: %w", &columnError{err: ErrMissingColumn, seen: first})
}

// columnError is ErrMissingColumn or ErrDuplicateColumn with what to do,
// in either language.
type columnError struct {
	err error
	// line is the line of the header; seen, for a missing column, the
	// first row that was not blank.
	line int
	seen []string
	// first and second are the positions of a duplicate column, a and b
	// its headers as written, col the column both name.
	first, second int
	a, b          string
	col           *column
}

func (e *columnError) Error() string {
	if e.err == ErrDuplicateColumn {
		return fmt.Sprintf("%v: columns %d and %d are both %s (%s); delete one of them", e.err, e.first, e.second, e.col.zh, e.col.en)
	}
	return fmt.Sprintf("%v: no 身份证号 (id_number) column among the first %d rows; the header must have one, and rows above it may only be titles", e.err, headerScan)
}

func (e *columnError) Unwrap() error { return e.err }

func (e *columnError) zh() string {
	if e.err == ErrDuplicateColumn {
		return fmt.Sprintf("第 %d 列“%s”和第 %d 列“%s”都是%s：删去其中一列", e.first, e.a, e.second, e.b, e.col.zh)
	}
	return fmt.Sprintf("前 %d 行中没有含“身份证号”一列的表头：表头要有身份证号一列（也可写作身份证号码），表头上面只能是标题", headerScan)
}

// quoteHint is what to do about a quote that breaks the CSV form. Quotes are
// not read leniently because a quote that never closes would silently take
// every later row into one cell.
const quoteHint = `a cell that contains a quote must be in quotes itself, with the quote doubled ("5"" screen"); saving the sheet from Excel does this`

// quoteHintZH is quoteHint in Chinese.
const quoteHintZH = `含英文引号的格子本身要用引号括起，里面的引号写两次（"5"" 屏"）；用 Excel 另存为 CSV 会自动这样做`

// csvPlace says in Chinese where the CSV form broke.
func csvPlace(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("第 %d 行第 %d 列", pe.Line, pe.Column)
	}
	return "文件格式"
}

func blank(rec []string) bool {
	for _, cell := range rec {
		if strings.TrimSpace(cell) != "" {
			return false
		}
	}
	return true
}

// duplicateID is ErrDuplicateID with the line that had the number first.
type duplicateID struct{ first int }

func (e duplicateID) Error() string {
	return fmt.Sprintf("%v: the same as on line %d; keep one of the two rows", ErrDuplicateID, e.first)
}

func (e duplicateID) Is(target error) bool { return target == ErrDuplicateID }

// Describe words a row's problem, or a file's that Read refuses, for staff
// in lang: the roster's own problems here, the record's through
// cadre.Describe.
func Describe(err error, lang cadre.Lang) string {
	var dup duplicateID
	var ce *columnError
	var sheet *sheetError
	switch {
	case lang == cadre.English:
		return cadre.Describe(err, lang)
	case errors.As(err, &ce):
		return ce.zh()
	case errors.As(err, &sheet):
		return sheet.zh()
	case errors.As(err, &dup):
		return fmt.Sprintf("身份证号与第 %d 行相同：保留其中一行", dup.first)
	case errors.Is(err, ErrIDAsNumber):
		return "Excel 把身份证号存成了数字，末几位已丢失：把身份证号一列设置为文本（设置单元格格式 → 文本）后重新录入"
	}
	return cadre.Describe(err, lang)
}
