package roster_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestResultColumnsAreTheFieldsOfTheHeader(t *testing.T) {
	res := read(t, "姓名, 身份证号 ,Phone,备注\n")
	assert.Equal(t, []string{"name", "id_number", "phone"}, res.Columns, "either language, spaces and case folded; unknown headers are no field")
	assert.True(t, res.HasColumn("phone"))
	assert.False(t, res.HasColumn("address"))
}

// TestReadXLSXGivesSheetRows: a cell with a line break takes two CSV lines,
// but a problem is reported on the row of the sheet.
func TestReadXLSXGivesSheetRows(t *testing.T) {
	f := excelize.NewFile()
	sheet := f.GetSheetName(0)
	rows := [][]any{
		cells(minHeader + ",住址"),
		append(cells(minRow("王", idWang)), "舜园街\n1 号"),
		append(cells(minRow("李", "370103195006120022")), ""), // wrong check character
	}
	for i, row := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, err)
		require.NoError(t, f.SetSheetRow(sheet, cell, &row))
	}
	var b bytes.Buffer
	require.NoError(t, f.Write(&b))

	res, err := roster.ReadXLSX(&b, testkit.FixedNow())
	require.NoError(t, err)
	require.Len(t, res.Rows, 1)
	assert.Equal(t, 2, res.Rows[0].Line)
	assert.Equal(t, "舜园街\n1 号", res.Rows[0].Cadre.Address)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, 3, res.Errors[0].Line, "the sheet's row, not the CSV line")

	_, err = roster.ReadXLSX(strings.NewReader("no workbook"), testkit.FixedNow())
	assert.ErrorIs(t, err, roster.ErrNotWorkbook)
}

func TestWriteXLSXReadsBack(t *testing.T) {
	res := read(t, minHeader+"\n"+minRow("王", idWang)+"\n"+minRow("李", idLi)+"\n")
	cs := []cadre.Cadre{res.Rows[0].Cadre, res.Rows[1].Cadre}
	var b bytes.Buffer
	require.NoError(t, roster.WriteXLSX(&b, cs))
	back, err := roster.ReadXLSX(&b, testkit.FixedNow())
	require.NoError(t, err)
	require.Len(t, back.Rows, 2)
	assert.Equal(t, cs[1], back.Rows[1].Cadre, "an exported workbook reads back as it was")
}

func cells(row string) []any {
	var out []any
	for _, c := range strings.Split(row, ",") {
		out = append(out, c)
	}
	return out
}
