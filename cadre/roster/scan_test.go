package roster_test

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// pipe hides a reader's Seek, as a pipe or standard input has none.
type pipe struct{ r io.Reader }

func (p pipe) Read(b []byte) (int, error) { return p.r.Read(b) }

// scanAll reads every row of a scanner, as Read would keep them.
func scanAll(t *testing.T, s *roster.Scanner) *roster.Result {
	t.Helper()
	res := &roster.Result{Header: s.Header}
	for s.Next() {
		row, problems := s.Row()
		if len(problems) == 0 {
			res.Rows = append(res.Rows, row)
		}
		res.Errors = append(res.Errors, problems...)
	}
	require.NoError(t, s.Err())
	require.NoError(t, s.Close())
	return res
}

// A roster read row by row is the roster Read reads, from a file, from a
// pipe, and from a file read from the middle; Total counts its rows that
// are not blank before the first is read.
func TestScannerReadsWhatReadReads(t *testing.T) {
	bad := strings.Replace(minRow("赵", idSun), "科级", "副部长", 1)
	messy := bureauRoster + ",,,,,,,,,\n" + "3,赵六," + idSun + ",1928-09,离休,1990/5/1,厅级,群众,健康,独自居住,sy,\n" + "4,孙七," + idSun + ",1928-09,离休,1990/5/1,正科级,群众,健康,独自居住,sy,\n"
	for name, file := range map[string]string{
		"bureau":  messy,
		"gb18030": gb18030(t, messy),
		"bom":     "\uFEFF" + zhSample,
		"bad row": minHeader + "\n" + minRow("王", idWang) + "\n\n" + bad + "\n" + minRow("李", idLi) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			want, err := roster.Read(strings.NewReader(file), testkit.FixedNow())
			require.NoError(t, err)
			require.NotEmpty(t, want.Rows)
			rows := len(want.Rows) + len(want.BadLines())

			s, err := roster.NewScanner(strings.NewReader(file), testkit.FixedNow())
			require.NoError(t, err)
			assert.Equal(t, rows, s.Total, "the rows under the header")
			assert.Equal(t, want, scanAll(t, s))

			s, err = roster.NewScanner(pipe{strings.NewReader(file)}, testkit.FixedNow())
			require.NoError(t, err)
			assert.Equal(t, rows, s.Total)
			assert.Equal(t, want, scanAll(t, s), "a pipe reads as a file")

			mid := strings.NewReader("not part of it\n" + file)
			_, err = mid.Seek(int64(len("not part of it\n")), io.SeekStart)
			require.NoError(t, err)
			s, err = roster.NewScanner(mid, testkit.FixedNow())
			require.NoError(t, err)
			assert.Equal(t, want, scanAll(t, s), "read from where the reader stood")
		})
	}
}

// A CSV form broken on the last line refuses the file before any row is
// handed out: nothing of a file that is no roster is stored.
func TestScannerRefusesABrokenFileBeforeTheFirstRow(t *testing.T) {
	var b strings.Builder
	b.WriteString(minHeader + "\n")
	for i := range 3000 {
		b.WriteString(minRow(fmt.Sprint("王", i), testkit.IDNumber(i)) + "\n")
	}
	b.WriteString(`"王,` + idWang + "\n") // a quote that never ends
	for _, r := range []io.Reader{strings.NewReader(b.String()), pipe{strings.NewReader(b.String())}, strings.NewReader(gb18030(t, b.String()))} {
		s, err := roster.NewScanner(r, testkit.FixedNow())
		require.ErrorIs(t, err, roster.ErrNotCSV)
		assert.Nil(t, s)
		assert.Contains(t, roster.Describe(err, cadre.Chinese), "第 3002 行", "where the form breaks")
	}
	_, err := roster.Read(strings.NewReader(b.String()), testkit.FixedNow())
	assert.ErrorIs(t, err, roster.ErrNotCSV, "Read says the same")
}

// reach is a file that records how far into it the reads went since the
// last seek.
type reach struct {
	*bytes.Reader
	since, most int64
}

func (r *reach) Read(b []byte) (int, error) {
	n, err := r.Reader.Read(b)
	r.since += int64(n)
	r.most = max(r.most, r.since)
	return n, err
}

func (r *reach) Seek(off int64, whence int) (int64, error) {
	r.since = 0
	return r.Reader.Seek(off, whence)
}

// A file is read through once and then row by row: the first row is handed
// out having read a buffer's worth of it, not the file.
func TestScannerDoesNotHoldTheFile(t *testing.T) {
	var b bytes.Buffer
	b.WriteString(minHeader + "\n")
	for i := range 20000 {
		b.WriteString(minRow(fmt.Sprint("王", i), testkit.IDNumber(i)) + "\n")
	}
	f := &reach{Reader: bytes.NewReader(b.Bytes())}
	s, err := roster.NewScanner(f, testkit.FixedNow())
	require.NoError(t, err)
	assert.Equal(t, int64(b.Len()), f.most, "read through once")
	assert.Equal(t, 20000, s.Total)
	f.most = 0
	require.True(t, s.Next())
	row, problems := s.Row()
	require.Empty(t, problems)
	assert.Equal(t, 2, row.Line)
	assert.Less(t, f.most, int64(256<<10), "the first row, of a file of %d bytes", b.Len())
	n := 1
	for s.Next() {
		n++
	}
	require.NoError(t, s.Err())
	assert.Equal(t, 20000, n)
}

// A workbook's rows read one by one are those ReadXLSX reads; Total is
// what the sheet's dimension counts under the header.
func TestSheetScannerReadsWhatReadXLSXReads(t *testing.T) {
	cs := []cadre.Cadre{testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy"), testkit.Cadre(3, "sy")}
	var book bytes.Buffer
	require.NoError(t, roster.WriteXLSX(&book, cs))
	want, err := roster.ReadXLSX(bytes.NewReader(book.Bytes()), testkit.FixedNow())
	require.NoError(t, err)
	require.Len(t, want.Rows, 3)

	s, err := roster.NewSheetScanner(bytes.NewReader(book.Bytes()), "", testkit.FixedNow())
	require.NoError(t, err)
	assert.Equal(t, 3, s.Total)
	assert.Equal(t, want, scanAll(t, s))
}
