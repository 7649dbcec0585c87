package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

// cellString writes a cell for people, in lang.
func cellString(v any, lang cadre.Lang) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case cadre.Date:
		return v.String()
	case bool:
		return cadre.BoolLabel(v, lang)
	case Label:
		return v.In(lang)
	case Text:
		return v.In(lang)
	case Yuan:
		return cadre.FormatYuan(int64(v))
	}
	return fmt.Sprint(v)
}

// numeric reports whether a cell is a number, which text aligns right.
func numeric(v any) bool {
	switch v.(type) {
	case int64, float64, Yuan:
		return true
	}
	return false
}

// header is the lines above a report's tables.
func (r *Report) header(lang cadre.Lang) []string {
	t := Text{Zh: "日期：" + r.On.String() + "　范围：" + r.Scope.Label().Zh, En: "as of " + r.On.String() + "; scope: " + r.Scope.Label().En}
	if !r.Now.IsZero() {
		t.Zh += "　生成于 " + display.Time(r.Now, "")
		t.En += "; made " + display.Time(r.Now, "")
	}
	return []string{r.Title.In(lang), t.In(lang)}
}

// WriteText writes the report for a person to read: its title, date and
// scope, then each table under its name, in columns aligned for a terminal
// (a Chinese character takes two cells, numbers align right), with its
// summary line. Labels are in lang (cadre.Chinese by default).
func (r *Report) WriteText(w io.Writer, lang cadre.Lang) error {
	bw := bufio.NewWriter(w)
	for _, line := range r.header(lang) {
		fmt.Fprintln(bw, line)
	}
	for _, t := range r.Tables {
		fmt.Fprintln(bw)
		fmt.Fprintln(bw, Text{"【" + t.Name.Zh + "】", "[" + t.Name.En + "]"}.In(lang))
		if len(t.Rows) == 0 {
			fmt.Fprintln(bw, Text{"（无）", "(none)"}.In(lang))
		} else {
			writeAligned(bw, t, lang)
		}
		if s := t.Summary.In(lang); s != "" {
			fmt.Fprintln(bw, s)
		}
	}
	return bw.Flush()
}

// writeAligned writes a table's header and rows in padded columns.
func writeAligned(w io.Writer, t *Table, lang cadre.Lang) {
	cells := make([][]string, 0, len(t.Rows)+1)
	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Header(lang)
	}
	cells = append(cells, header)
	right := make([]bool, len(t.Columns))
	for _, row := range t.Rows {
		line := make([]string, len(row))
		for i, v := range row {
			line[i] = cellString(v, lang)
			right[i] = right[i] || numeric(v)
		}
		cells = append(cells, line)
	}
	widths := make([]int, len(t.Columns))
	for _, line := range cells {
		for i, s := range line {
			widths[i] = max(widths[i], display.Width(s))
		}
	}
	var b strings.Builder
	for _, line := range cells {
		b.Reset()
		for i, s := range line {
			pad := strings.Repeat(" ", widths[i]-display.Width(s))
			switch {
			case right[i]:
				b.WriteString(pad + s)
			case i < len(line)-1:
				b.WriteString(s + pad)
			default:
				b.WriteString(s)
			}
			if i < len(line)-1 {
				b.WriteString("  ")
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// WriteJSON writes the report as JSON for scripts (see MarshalJSON),
// indented.
func (r *Report) WriteJSON(w io.Writer) error {
	b, err := r.MarshalJSON()
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// jsonTable is a table as JSON has it.
type jsonTable struct {
	Key     string       `json:"key"`
	Name    Text         `json:"name"`
	Columns []jsonColumn `json:"columns"`
	Rows    []jsonRow    `json:"rows"`
	Summary Text         `json:"summary"`
}

type jsonColumn struct {
	Key   string `json:"key"`
	Zh    string `json:"zh"`
	En    string `json:"en"`
	Width int    `json:"width"`
}

// jsonRow is a row as an object keyed by the columns' keys, in column
// order.
type jsonRow struct {
	columns []Column
	cells   []any
}

func (r jsonRow) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, c := range r.columns {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(c.Key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(jsonCell(r.cells[i]))
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonCell is a cell as scripts read it: codes for labels, both languages
// for a text, yuan as a decimal number with two places.
func jsonCell(v any) any {
	switch v := v.(type) {
	case cadre.Date:
		return v.String()
	case Label:
		return v.Code
	case Yuan:
		return json.Number(cadre.FormatYuan(int64(v)))
	}
	return v
}

// MarshalJSON encodes the report with snake_case keys: kind, title (zh and
// en), on, generated_at (RFC 3339, or null), scope, and tables, each with
// its key, name, columns, rows (objects keyed by the columns' keys) and
// summary. Every list is an array, [] when empty.
func (r *Report) MarshalJSON() ([]byte, error) {
	type scope struct {
		All         bool        `json:"all"`
		Hub         bool        `json:"hub"`
		Label       Text        `json:"label"`
		Communities []Community `json:"communities"`
	}
	out := struct {
		Kind        Kind        `json:"kind"`
		Title       Text        `json:"title"`
		On          cadre.Date  `json:"on"`
		GeneratedAt *string     `json:"generated_at"`
		Scope       scope       `json:"scope"`
		Tables      []jsonTable `json:"tables"`
	}{Kind: r.Kind, Title: r.Title, On: r.On, Tables: []jsonTable{},
		Scope: scope{All: r.Scope.All, Hub: r.Scope.Hub, Label: r.Scope.Label(), Communities: append([]Community{}, r.Scope.Communities...)}}
	if !r.Now.IsZero() {
		s := r.Now.UTC().Format(time.RFC3339)
		out.GeneratedAt = &s
	}
	for _, t := range r.Tables {
		jt := jsonTable{Key: t.Key, Name: t.Name, Columns: []jsonColumn{}, Rows: []jsonRow{}, Summary: t.Summary}
		for _, c := range t.Columns {
			jt.Columns = append(jt.Columns, jsonColumn(c))
		}
		for _, row := range t.Rows {
			jt.Rows = append(jt.Rows, jsonRow{columns: t.Columns, cells: row})
		}
		out.Tables = append(out.Tables, jt)
	}
	return marshal(out)
}

// marshal encodes v leaving <, > and & as they are: names and texts are
// read by people, not embedded in HTML.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// WriteCSV writes the report's tables as CSV in UTF-8 with a byte-order
// mark, so that Excel opens it in the right encoding, with headers and
// labels in lang. A report of one table is that table alone: a header line
// and the rows. A report of several writes them one after another, each
// preceded by a line holding only the table's name and separated from the
// one before by an empty line; read it with csv.Reader.FieldsPerRecord
// set to -1. Summary lines are left out: CSV carries the data, WriteText
// and WriteXLSX the summaries.
func (r *Report) WriteCSV(w io.Writer, lang cadre.Lang) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	for i, t := range r.Tables {
		if len(r.Tables) > 1 {
			if i > 0 {
				cw.Flush()
				bw.WriteString("\n")
			}
			if err := cw.Write([]string{t.Name.In(lang)}); err != nil {
				return err
			}
		}
		header := make([]string, len(t.Columns))
		for j, c := range t.Columns {
			header[j] = c.Header(lang)
		}
		if err := cw.Write(header); err != nil {
			return err
		}
		for _, row := range t.Rows {
			line := make([]string, len(row))
			for j, v := range row {
				line[j] = cellString(v, lang)
			}
			if err := cw.Write(line); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}
