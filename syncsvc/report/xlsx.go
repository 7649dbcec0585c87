package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
)

// maxSheetName is the most characters Excel allows in a sheet's name.
const maxSheetName = 31

// xlsxStyles are the cell styles of a workbook.
type xlsxStyles struct {
	header, text, integer, decimal, yuan int
}

func newStyles(f *excelize.File) (xlsxStyles, error) {
	var s xlsxStyles
	var err error
	oneDecimal := "0.0"
	for _, st := range []struct {
		p     *int
		style excelize.Style
	}{
		{&s.header, excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}},
		{&s.text, excelize.Style{NumFmt: 49}}, // "@": text
		{&s.integer, excelize.Style{NumFmt: 1}},
		{&s.decimal, excelize.Style{CustomNumFmt: &oneDecimal}},
		{&s.yuan, excelize.Style{NumFmt: 2}},
	} {
		if *st.p, err = f.NewStyle(&st.style); err != nil {
			return s, err
		}
	}
	return s, nil
}

// WriteXLSX writes the reports into one Excel workbook, one sheet per table
// in order, named after the table in lang: the header row (in lang) frozen
// above the rows, each column as wide as its Column.Width, then under the
// rows the table's summary and the report's title, date and scope.
// Text, dates (YYYY-MM-DD) and labels are written as text in columns
// formatted as text, so that an ID number or a phone number is never
// turned into a number, even when someone types into the column later;
// counts, shares and amounts in yuan are numbers. Sheet names that would
// repeat get a number.
func WriteXLSX(w io.Writer, lang cadre.Lang, reports ...*Report) error {
	wb, err := newWorkbook(lang)
	if err != nil {
		return err
	}
	defer wb.close()
	for _, r := range reports {
		if err := wb.add(r); err != nil {
			return err
		}
	}
	return wb.write(w)
}

// workbook is a workbook being written as WriteXLSX writes it, a report
// at a time: a report's sheets are written when it is added, so that the
// report itself need not be kept (WriteWorkbooks builds a district's
// reports one after the other, and the tables of all of them at once
// would be a large part of the nightly merge's memory).
type workbook struct {
	f      *excelize.File
	lang   cadre.Lang
	styles xlsxStyles
	first  string
	used   map[string]bool
	sheets int
	titles []string
}

func newWorkbook(lang cadre.Lang) (*workbook, error) {
	f := excelize.NewFile()
	styles, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("workbook styles: %w", err)
	}
	return &workbook{f: f, lang: lang, styles: styles, first: f.GetSheetName(0), used: map[string]bool{}}, nil
}

// add writes the report's tables as sheets, in order.
func (wb *workbook) add(r *Report) error {
	wb.titles = append(wb.titles, r.Title.In(wb.lang))
	for _, t := range r.Tables {
		name := sheetName(t.Name.In(wb.lang), wb.used)
		if wb.sheets == 0 {
			if err := wb.f.SetSheetName(wb.first, name); err != nil {
				return fmt.Errorf("sheet %s: %w", name, err)
			}
		} else if _, err := wb.f.NewSheet(name); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
		wb.sheets++
		if err := writeSheet(wb.f, name, r, t, wb.lang, wb.styles); err != nil {
			return fmt.Errorf("sheet %s: %w", name, err)
		}
	}
	return nil
}

// write writes the workbook of the reports added to w.
func (wb *workbook) write(w io.Writer) error {
	if err := wb.f.SetDocProps(&excelize.DocProperties{Title: strings.Join(wb.titles, Text{"、", ", "}.In(wb.lang)), Creator: "Wanxia"}); err != nil {
		return err
	}
	// The first sheet is the active one from NewFile on. (SetActiveSheet
	// here would read every streamed sheet back into memory: 165 MB for a
	// district's workbook.)
	return wb.f.Write(w)
}

// close releases the workbook's buffers and temporary files.
func (wb *workbook) close() { wb.f.Close() }

// sheetName makes a table's name a sheet name Excel accepts and that no
// other sheet of the workbook has, and marks it used.
func sheetName(name string, used map[string]bool) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) {
			return '_'
		}
		return r
	}, strings.Trim(name, "'"))
	if name == "" {
		name = "Sheet"
	}
	name = truncate(name, maxSheetName)
	for n := 2; used[strings.ToLower(name)]; n++ {
		suffix := fmt.Sprintf(" (%d)", n)
		name = truncate(strings.TrimSuffix(name, suffix), maxSheetName-utf8.RuneCountInString(suffix)) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// truncate keeps the first n characters of s.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}

// columnStyle is the style of a column, from its first cell that says.
func columnStyle(t *Table, col int, s xlsxStyles) int {
	for _, row := range t.Rows {
		switch row[col].(type) {
		case int64:
			return s.integer
		case float64:
			return s.decimal
		case Yuan:
			return s.yuan
		case nil:
			continue
		}
		return s.text
	}
	return s.text
}

// xlsxCell is a cell as the sheet holds it: numbers as numbers, everything
// else as text in lang.
func xlsxCell(v any, style int, lang cadre.Lang) excelize.Cell {
	switch v := v.(type) {
	case int64, float64:
		return excelize.Cell{StyleID: style, Value: v}
	case Yuan:
		return excelize.Cell{StyleID: style, Value: float64(v) / 100}
	}
	return excelize.Cell{StyleID: style, Value: cellString(v, lang)}
}

func writeSheet(f *excelize.File, name string, r *Report, t *Table, lang cadre.Lang, s xlsxStyles) error {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
		return err
	}
	styles := make([]int, len(t.Columns))
	for i, c := range t.Columns {
		styles[i] = columnStyle(t, i, s)
		if err := sw.SetColWidth(i+1, i+1, float64(max(c.Width, 4))); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, styles[i]); err != nil {
			return err
		}
	}
	header := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = excelize.Cell{StyleID: s.header, Value: c.Header(lang)}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 2
	for _, cells := range t.Rows {
		line := make([]any, len(cells))
		for i, v := range cells {
			line[i] = xlsxCell(v, styles[i], lang)
		}
		if err := setRow(sw, row, line); err != nil {
			return err
		}
		row++
	}
	notes := []string{t.Summary.In(lang), strings.Join(r.header(lang), Text{"　", " — "}.In(lang))}
	row++ // an empty row between the data and the notes
	for _, n := range notes {
		if n == "" {
			continue
		}
		if err := setRow(sw, row, []any{excelize.Cell{StyleID: s.text, Value: n}}); err != nil {
			return err
		}
		row++
	}
	return sw.Flush()
}

func setRow(sw *excelize.StreamWriter, row int, cells []any) error {
	ref, err := excelize.CoordinatesToCellName(1, row)
	if err != nil {
		return err
	}
	return sw.SetRow(ref, cells)
}
