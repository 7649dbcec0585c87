package roster

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"github.com/wanxia/wanxia/cadre"
)

// Header is what the header row of a roster says.
type Header struct {
	// UnknownColumns are the headers that were not recognised; their cells
	// are ignored.
	UnknownColumns []string
	// HeaderLine is the line of the header (the sheet row of a workbook):
	// 1, or below the title rows above it.
	HeaderLine int
	// Columns are the fields (JSON keys, as in RowError.Field) the header
	// has a column for, in header order. A caller that updates records
	// from a roster keeps the fields it has no column for.
	Columns []string
}

// HasColumn reports whether the roster has a column for field, a JSON key.
func (h *Header) HasColumn(field string) bool { return slices.Contains(h.Columns, field) }

// Scanner reads a roster one row at a time, as Read reads it whole: the
// same header, checks, lines and problems, in file order. A caller that
// stores a long roster as it reads it holds one batch of rows, never the
// file. The file is read through once before the first row, so that one
// that is no roster — its CSV form broken on the last line included — is
// refused by NewScanner before any row is handed out, and so that Total is
// known; a CSV reader that cannot seek back (a pipe) is held in memory for
// that.
//
// Use it as bufio.Scanner: Next, then Row, until Next returns false; then
// Err, and Close.
type Scanner struct {
	Header
	// Total is the number of rows under the header, known before the
	// first: those of a CSV file that are not blank; for a workbook, what
	// its dimension counts (blank rows with it), 0 when it gives none.
	Total int

	src    source
	l      layout
	header []string
	asOf   time.Time
	// fix, when set, may change the cells of a row before they are read
	// (a workbook's date cells are put back as dates there).
	fix func(layout, []string)
	// firstLine is the line of each valid ID number's first row.
	firstLine map[string]int
	row       Row
	problems  []RowError
	err       error
	close     func() error
}

// source is where a scanner's records come from: the next record that has
// a cell, and its line; io.EOF after the last. A workbook's errors are
// workbookErrors; any other error a CSV reader's.
type source interface {
	next() ([]string, int, error)
}

// NewScanner reads the header of a CSV roster and returns a Scanner of its
// rows, validated as of asOf. Its errors are those of Read for a file that
// cannot be read as a roster. The scanner reads r as it goes: r must stay
// open until the last row is read.
func NewScanner(r io.Reader, asOf time.Time) (*Scanner, error) {
	t, err := openText(r)
	if err != nil {
		return nil, err
	}
	in, err := t.open()
	if err != nil {
		return nil, err
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rows := &csvRows{cr: cr}
	s, err := newScanner(rows, asOf)
	if err != nil {
		return nil, err
	}
	if t.formErr != nil {
		return nil, rowsFormError(t.formErr)
	}
	s.Total = t.records - rows.filled
	return s, nil
}

// newScanner reads the header from src.
func newScanner(src source, asOf time.Time) (*Scanner, error) {
	header, line, err := findHeader(src)
	if err != nil {
		return nil, err
	}
	l, unknown, err := parseHeader(header)
	if err != nil {
		var ce *columnError
		if errors.As(err, &ce) {
			ce.line = line
		}
		return nil, fmt.Errorf("roster: %w", err)
	}
	s := &Scanner{src: src, l: l, header: header, asOf: asOf, firstLine: map[string]int{}}
	s.UnknownColumns, s.HeaderLine = unknown, line
	for _, col := range l {
		if col != nil {
			s.Columns = append(s.Columns, col.field)
		}
	}
	return s, nil
}

// Next reads the next row that is not blank. It returns false after the
// last row, or when reading failed (see Err).
func (s *Scanner) Next() bool {
	for s.err == nil {
		rec, line, err := s.src.next()
		switch {
		case errors.Is(err, io.EOF):
			return false
		case err != nil:
			s.err = readError(err)
			return false
		case blank(rec):
			continue
		}
		if s.fix != nil {
			s.fix(s.l, rec)
		}
		c, problems := s.l.row(rec, s.asOf)
		if first, seen := s.firstLine[c.IDNumber]; seen {
			problems = append(problems, &cadre.FieldError{Field: "id_number", Err: duplicateID{first: first}})
		} else if cadre.ValidateIDNumber(c.IDNumber) == nil {
			// A copy: the number is a part of the whole line's text.
			s.firstLine[strings.Clone(c.IDNumber)] = line
		}
		s.row, s.problems = Row{Line: line, Cadre: c}, nil
		for _, p := range problems {
			e := RowError{Line: line, Field: p.Field, Err: p.Err, zh: p.Message(cadre.Chinese)}
			e.Column, e.Value = s.l.cell(s.header, rec, p.Field)
			s.problems = append(s.problems, e)
		}
		return true
	}
	return false
}

// Row returns the row Next read and its problems, in the order Read gives
// them. A row without problems is good: its Cadre is normalised and valid.
// A row with problems is not to be stored.
func (s *Scanner) Row() (Row, []RowError) { return s.row, s.problems }

// Err returns the error that stopped Next, nil when it reached the end:
// the file could not be read further (a workbook wraps ErrNotWorkbook).
func (s *Scanner) Err() error { return s.err }

// Close releases what the scanner holds (a workbook and its temporary
// files); it does not close the reader it was given.
func (s *Scanner) Close() error {
	if s.close == nil {
		return nil
	}
	err := s.close()
	s.close = nil
	return err
}

// readError words an error reading the rows under the header.
func readError(err error) error {
	var pe *csv.ParseError
	var we workbookError
	switch {
	case errors.As(err, &we):
		return err
	case errors.As(err, &pe):
		return rowsFormError(err)
	}
	return fmt.Errorf("roster: reading: %w", err)
}

// rowsFormError words a CSV form broken under the header.
func rowsFormError(err error) error {
	return cadre.WordedZH(fmt.Errorf("roster: %w: %w; %s", ErrNotCSV, err, quoteHint), "不是正确的 CSV 格式（"+csvPlace(err)+"）："+quoteHintZH)
}

// csvRows are the records of a CSV file, each with the line it starts on;
// a line without any cell is skipped by encoding/csv.
type csvRows struct {
	cr *csv.Reader
	// filled counts the records read that are not blank.
	filled int
}

func (c *csvRows) next() ([]string, int, error) {
	rec, err := c.cr.Read()
	if err != nil {
		return nil, 0, err
	}
	if !blank(rec) {
		c.filled++
	}
	line, _ := c.cr.FieldPos(0)
	return rec, line, nil
}

// text is a roster's text: where it starts in the file, whether it is
// GB18030, and what the first read through it found.
type text struct {
	rs    io.ReadSeeker
	start int64
	gb    bool
	// records counts the records that are not blank; formErr is where the
	// CSV form first breaks (a *csv.ParseError), nil when it does not.
	records int
	formErr error
}

var (
	utf8BOM  = []byte("\uFEFF")
	zipMagic = []byte("PK\x03\x04")
)

// openText reads a CSV roster through once: whether it is UTF-8 (with or
// without a byte order mark) or GB18030, how many records it holds and
// whether its CSV form holds. Chinese text in GB18030 is practically never
// valid UTF-8, so a file that is valid UTF-8 to its last byte is taken as
// UTF-8 and anything else as what Excel writes on a Chinese Windows.
func openText(r io.Reader) (*text, error) {
	t := &text{}
	if rs, ok := r.(io.ReadSeeker); ok {
		if start, err := rs.Seek(0, io.SeekCurrent); err == nil {
			t.rs, t.start = rs, start
		}
	}
	if t.rs == nil { // a pipe: held in memory to be read twice
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("roster: reading: %w", err)
		}
		t.rs = bytes.NewReader(b)
	}
	in, err := t.open()
	if err != nil {
		return nil, err
	}
	var check utf8Check
	if t.records, t.formErr, err = prescan(io.TeeReader(in, &check)); err != nil {
		return nil, fmt.Errorf("roster: reading: %w", err)
	}
	if check.valid() {
		return t, nil
	}
	t.gb = true
	if in, err = t.open(); err != nil {
		return nil, err
	}
	if t.records, t.formErr, err = prescan(in); err != nil {
		return nil, cadre.WordedZH(fmt.Errorf("roster: decoding as GB18030: %w", err), "文件既不是 UTF-8 也不是 GBK/GB18030 编码的文字：在 Excel 里另存为“CSV UTF-8”后再导入")
	}
	return t, nil
}

// open returns the text from its start, as UTF-8 without a byte order mark.
func (t *text) open() (io.Reader, error) {
	if _, err := t.rs.Seek(t.start, io.SeekStart); err != nil {
		return nil, fmt.Errorf("roster: reading: %w", err)
	}
	br := bufio.NewReaderSize(t.rs, 64<<10)
	head, err := br.Peek(len(zipMagic))
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("roster: reading: %w", err)
	}
	if bytes.HasPrefix(head, zipMagic) {
		return nil, cadre.WordedZH(fmt.Errorf("roster: %w: this is an .xlsx workbook; save it as CSV or import it as .xlsx", ErrNotCSV), "这是 Excel 工作簿（.xlsx）：把文件名改为 .xlsx 再导入，或在 Excel 里另存为 CSV")
	}
	if bytes.HasPrefix(head, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM)) // peeked: cannot fail
	}
	if t.gb {
		return transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder()), nil
	}
	return br, nil
}

// prescan reads text through as CSV: how many records are not blank, and
// the first place the form breaks. It reads on to the end after a break,
// so that what it reads through sees every byte; the error is of reading.
func prescan(in io.Reader) (records int, formErr, err error) {
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		var pe *csv.ParseError
		switch {
		case errors.Is(err, io.EOF):
			return records, nil, nil
		case errors.As(err, &pe):
			_, err = io.Copy(io.Discard, in)
			return records, pe, err
		case err != nil:
			return records, nil, err
		case !blank(rec):
			records++
		}
	}
}

// utf8Check tells whether the bytes written to it, in pieces cut anywhere,
// are UTF-8 as a whole: what utf8.Valid says of all of them at once.
type utf8Check struct {
	// tail is the start of a character the last piece cut off.
	tail []byte
	bad  bool
}

func (u *utf8Check) Write(p []byte) (int, error) {
	n := len(p)
	if u.bad {
		return n, nil
	}
	if len(u.tail) > 0 {
		for len(p) > 0 && !utf8.FullRune(u.tail) {
			u.tail, p = append(u.tail, p[0]), p[1:]
		}
		if !utf8.FullRune(u.tail) {
			return n, nil
		}
		if r, size := utf8.DecodeRune(u.tail); r == utf8.RuneError && size == 1 || size != len(u.tail) {
			u.bad = true
			return n, nil
		}
		u.tail = u.tail[:0]
	}
	cut := len(p)
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				cut = i
			}
			break
		}
	}
	if !utf8.Valid(p[:cut]) {
		u.bad = true
		return n, nil
	}
	u.tail = append(u.tail, p[cut:]...)
	return n, nil
}

// valid reports whether everything written was UTF-8.
func (u *utf8Check) valid() bool { return !u.bad && len(u.tail) == 0 }
