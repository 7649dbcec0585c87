package roster_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

const (
	zhSample = "姓名,性别,身份证号,出生日期,类别,离退休时间,职级,党员,入党时间,健康状况,居住情况,子女在附近,生活困难,社区,住址,纬度,经度,电话,紧急联系人,原工作单位,基本离退休费(元),状态,状态日期\n" +
		"王建国,男," + idWang + ",1944-03-15,退休,2004-04-01,科级,正式党员,1968-07-01,慢性病,与配偶同住,否,是,sy,舜园小区3号楼2单元101,36.6512,117.0203,0531-86001234,,济南第一机床厂,5123.40,在册,\n"
	enSample = "name,gender,id_number,birth_date,category,retired_on,rank,party,party_joined_on,health,living,children_nearby,living_difficulty,community,address,lat,lng,phone,emergency_contact,original_unit,pension_yuan,status,status_on\n" +
		"王建国,male," + idWang + ",1944-03-15,tuixiu,2004-04-01,section,full,1968-07-01,chronic,spouse,false,true,sy,舜园小区3号楼2单元101,36.6512,117.0203,0531-86001234,,济南第一机床厂,5123.40,active,\n"
	// Columns shuffled, labels and codes mixed, birth date and gender left to
	// the ID number, Excel's date forms, header spacing and a full-width bracket.
	shuffledSample = " 社区 ,基本离退休费（元）,经度,纬度,生活困难,身份证号,姓名,类别,离退休时间,职级,PARTY,入党时间,health,living,住址,电话,原工作单位\n" +
		"sy,5123.4,117.0203,36.6512,1,370102194403150012,王建国,tuixiu,2004/4/1,科级,正式党员,1968.07.01,慢性病,与配偶同住,舜园小区3号楼2单元101,0531-86001234,济南第一机床厂\n"
)

func gb18030(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	require.NoError(t, err)
	require.NotEqual(t, s, b, "the sample must have Chinese text to encode")
	return b
}

func TestReadLayouts(t *testing.T) {
	tests := []struct {
		name string
		csv  string
	}{
		{"Chinese headers", zhSample},
		{"English headers", enSample},
		{"shuffled columns", shuffledSample},
		{"UTF-8 with BOM", "\uFEFF" + zhSample},
		{"GB18030 from Excel", gb18030(t, zhSample)},
		{"CRLF line ends", strings.ReplaceAll(zhSample, "\n", "\r\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, tt.csv)
			require.Empty(t, res.Errors)
			assert.Empty(t, res.UnknownColumns)
			require.Len(t, res.Rows, 1)
			assert.Equal(t, 2, res.Rows[0].Line)
			assert.Equal(t, wang(t), res.Rows[0].Cadre)
		})
	}
}

func TestReadUnknownColumn(t *testing.T) {
	res := read(t, minHeader+",备注,,Notes\n"+minRow("王建国", idWang)+",腿脚不便,,x\n")
	assert.Equal(t, []string{"备注", "Notes"}, res.UnknownColumns)
	require.Len(t, res.Rows, 1)
	assert.Empty(t, res.Errors)
}

func TestReadExcelNumberID(t *testing.T) {
	for _, cell := range []string{
		"3.70102E+17",
		"3.70102e+17",
		"370102194403150000", // the last three digits lost, so the check fails
		"37010219440315001",  // 17 digits
		"3701021944031500",   // 16 digits
		"370102194403150012.0",
	} {
		t.Run(cell, func(t *testing.T) {
			res := read(t, minHeader+"\n"+minRow("王建国", cell)+"\n")
			assert.Empty(t, res.Rows)
			require.Len(t, res.Errors, 1, "a missing birth date or gender follows from the ID number and is not reported again")
			e := res.Errors[0]
			assert.Equal(t, 2, e.Line)
			assert.Equal(t, "id_number", e.Field)
			assert.ErrorIs(t, e, roster.ErrIDAsNumber)
			assert.ErrorIs(t, e, cadre.ErrIDNumber)
			assert.Contains(t, e.Error(), "format the 身份证号 column as text")
		})
	}
}

func TestReadYuan(t *testing.T) {
	tests := []struct {
		cell string
		fen  int64
		bad  string // part of the message when the cell is refused
	}{
		{"", 0, ""},
		{"0", 0, ""},
		{"5000", 500000, ""},
		{"5000.00", 500000, ""},
		{"5000.5", 500050, ""},
		{"1234.01", 123401, ""},
		{"0.29", 29, ""}, // 0.29*100 is 28.999… as a float
		{"92233720368547758.07", 9223372036854775807, ""},
		{"-1", 0, "may not be negative"},
		{"1.234", 0, "at most two decimals"},
		{"abc", 0, "not an amount in yuan"},
		{`"5,000"`, 0, "not an amount in yuan"},
		{"5000.", 0, "not an amount in yuan"},
		{".5", 0, "not an amount in yuan"},
		{"92233720368547758.08", 0, "too large"},
	}
	for _, tt := range tests {
		t.Run(tt.cell, func(t *testing.T) {
			res := read(t, minHeader+",pension_yuan\n"+minRow("王建国", idWang)+","+tt.cell+"\n")
			if tt.bad == "" {
				require.Empty(t, res.Errors)
				require.Len(t, res.Rows, 1)
				assert.Equal(t, tt.fen, res.Rows[0].Cadre.PensionFen)
				return
			}
			assert.Empty(t, res.Rows)
			require.Len(t, res.Errors, 1)
			assert.Equal(t, "pension_fen", res.Errors[0].Field)
			assert.ErrorIs(t, res.Errors[0], cadre.ErrInvalid)
			assert.Contains(t, res.Errors[0].Error(), tt.bad)
		})
	}
}

func TestReadCells(t *testing.T) {
	tests := []struct {
		name, header, cell string
		field              string // "" when the cell is good
		sentinel           error
	}{
		{"slash date", "入党时间", "1968/7/1", "", nil},
		{"dotted date", "入党时间", "1968.07.01", "", nil},
		{"30 February", "入党时间", "1968-02-30", "party_joined_on", cadre.ErrInvalid},
		{"not a date", "入党时间", "1968年7月前后", "party_joined_on", cadre.ErrInvalid},
		{"a month alone (issue 14 reads it; it was refused)", "入党时间", "1968年7月", "", nil},
		{"a month alone where the day is needed", "状态日期", "2025年7月", "status_on", cadre.ErrInvalid},
		{"future date", "入党时间", "2027-01-01", "party_joined_on", cadre.ErrFuture},
		{"unknown label", "状态", "健在", "status", cadre.ErrInvalid},
		{"yes in Chinese", "生活困难", "是", "", nil},
		{"not yes or no", "生活困难", "也许", "living_difficulty", cadre.ErrInvalid},
		{"birth date disagrees", "出生日期", "1944-03-16", "birth_date", cadre.ErrMismatch},
		{"gender disagrees", "性别", "女", "gender", cadre.ErrMismatch},
		{"latitude alone", "纬度", "36.65", "lng", cadre.ErrRequired},
		{"longitude not a number", "经度", "东经117度", "lng", cadre.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := read(t, minHeader+","+tt.header+"\n"+minRow("王建国", idWang)+","+tt.cell+"\n")
			if tt.field == "" {
				assert.Empty(t, res.Errors)
				assert.Len(t, res.Rows, 1)
				return
			}
			assert.Empty(t, res.Rows)
			require.Len(t, res.Errors, 1)
			assert.Equal(t, tt.field, res.Errors[0].Field)
			assert.ErrorIs(t, res.Errors[0], tt.sentinel)
		})
	}
}

func TestReadRowWithSeveralProblems(t *testing.T) {
	csv := "姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区,基本离退休费(元)\n" +
		minRow("王建国", idWang) + ",100\n" +
		"," + idLi + ",退役,1940-01-01,科级,正式党员,良好,,sy,abc\n"
	res := read(t, csv)
	require.Len(t, res.Rows, 1)
	assert.Equal(t, []string{"category", "pension_fen", "name", "retired_on"}, fields(res, 3),
		"cells that cannot be read come first, then validation in field order")
	assert.Equal(t, []int{3}, res.BadLines())
	for _, e := range res.Errors {
		assert.True(t, strings.HasPrefix(e.Error(), "line 3: "+e.Field+": "), e.Error())
	}
	assert.ErrorIs(t, res.Errors[2], cadre.ErrRequired)
	assert.Contains(t, res.Errors[2].Error(), "fill in this column")
	assert.ErrorIs(t, res.Errors[3], cadre.ErrOrder)
	assertNoFullID(t, res, idWang, idLi)
}

func TestReadDuplicateID(t *testing.T) {
	csv := minHeader + "\n" +
		minRow("王建国", idWang) + "\n" +
		minRow("李秀英", idLi) + "\n" +
		minRow("王建国", strings.ToLower(idWang)+" ") + "\n"
	res := read(t, csv)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, []int{2, 3}, []int{res.Rows[0].Line, res.Rows[1].Line})
	require.Len(t, res.Errors, 1)
	e := res.Errors[0]
	assert.Equal(t, 4, e.Line)
	assert.Equal(t, "id_number", e.Field)
	assert.ErrorIs(t, e, roster.ErrDuplicateID)
	assert.Contains(t, e.Error(), "line 2")
	assertNoFullID(t, res, idWang)
}

func TestReadIDProblems(t *testing.T) {
	wrongCheck := idWang[:17] + "3"
	res := read(t, minHeader+"\n"+minRow("王建国", wrongCheck)+"\n"+minRow("李秀英", "370103195002300021")+"\n")
	require.Len(t, res.Errors, 2)
	assert.ErrorIs(t, res.Errors[0], cadre.ErrIDCheck)
	assert.ErrorIs(t, res.Errors[1], cadre.ErrIDDate)
	assertNoFullID(t, res, wrongCheck, "370103195002300021")
}

func TestReadLineNumbers(t *testing.T) {
	csv := minHeader + ",住址\n" +
		"\n" + // blank lines are skipped but counted
		minRow("王建国", idWang) + ",\"舜园小区\n3号楼\"\n" +
		",,,,,,,,,\n" + // a row Excel left empty
		minRow("李秀英", idLi) + ",\n" +
		minRow("", idZhang) + ",\n"
	res := read(t, csv)
	require.Len(t, res.Rows, 2)
	assert.Equal(t, 3, res.Rows[0].Line)
	assert.Equal(t, "舜园小区 3号楼", res.Rows[0].Cadre.Address, "a line break in a cell (Alt+Enter in Excel) reads as a space")
	assert.Equal(t, 6, res.Rows[1].Line)
	assert.Equal(t, []int{7}, res.BadLines())
}

func TestReadExtraCells(t *testing.T) {
	res := read(t, minHeader+"\n"+minRow("王建国", idWang)+",济南,历下区\n"+minRow("李秀英", idLi)+",,\n")
	require.Len(t, res.Errors, 1)
	assert.Equal(t, 2, res.Errors[0].Line)
	assert.Empty(t, res.Errors[0].Field)
	assert.Contains(t, res.Errors[0].Error(), "more cells than the header")
	assert.Len(t, res.Rows, 1)
}

func TestReadRefusesFile(t *testing.T) {
	tests := []struct {
		name string
		csv  string
		want error
	}{
		{"empty", "", roster.ErrNoHeader},
		{"only a BOM", "\uFEFF\n\n", roster.ErrNoHeader},
		{"no id column", "姓名,社区\n王建国,sy\n", roster.ErrMissingColumn},
		{"a title row and no header", "舜园社区离退休干部名册\n姓名,社区\n", roster.ErrMissingColumn},
		{"a column twice", "姓名,身份证号,name\n", roster.ErrDuplicateColumn},
		{"xlsx", "PK\x03\x04\x14\x00\x06\x00", roster.ErrNotCSV},
		{"quote never closed", minHeader + "\n\"王建国," + idWang + "\n", roster.ErrNotCSV},
		{"bare quote", minHeader + "\n王\"建国," + idWang + "\n", roster.ErrNotCSV},
		{"quote in the header", "姓名,\"身份证号\"x\n", roster.ErrNotCSV},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := roster.Read(strings.NewReader(tt.csv), testkit.FixedNow())
			assert.Nil(t, res)
			require.ErrorIs(t, err, tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "roster: "), err.Error())
			assert.NotContains(t, err.Error(), idWang)
		})
	}
}

func TestReadError(t *testing.T) {
	failing := errors.New("disk on fire")
	_, err := roster.Read(errReader{failing}, testkit.FixedNow())
	require.ErrorIs(t, err, failing)
	assert.Equal(t, "roster: reading: disk on fire", err.Error())
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestHeaders(t *testing.T) {
	zh, en := roster.Headers(cadre.Chinese), roster.Headers(cadre.English)
	assert.Equal(t, strings.SplitN(zhSample, "\n", 2)[0], strings.Join(zh, ","))
	assert.Equal(t, strings.SplitN(enSample, "\n", 2)[0], strings.Join(en, ","))
	zh[0] = "changed"
	assert.Equal(t, "姓名", roster.Headers(cadre.Chinese)[0], "Headers returns a copy")
}

func TestFieldHeader(t *testing.T) {
	assert.Equal(t, "身份证号", roster.FieldHeader("id_number", cadre.Chinese))
	assert.Equal(t, "基本离退休费(元)", roster.FieldHeader("pension_fen", cadre.Chinese))
	assert.Equal(t, "pension_yuan", roster.FieldHeader("pension_fen", cadre.English))
	assert.Equal(t, "纬度/经度", roster.FieldHeader("location", cadre.Chinese))
	assert.Equal(t, "", roster.FieldHeader("", cadre.Chinese))
}

func TestWriteReadRoundTrip(t *testing.T) {
	withoutLocation := wang(t)
	withoutLocation.IDNumber, withoutLocation.Name, withoutLocation.Gender = idLi, "李秀英", cadre.Female
	withoutLocation.BirthDate = testkit.Date("1950-06-12")
	withoutLocation.Location, withoutLocation.PensionFen = nil, 0
	withoutLocation.Party, withoutLocation.PartyJoinedOn = cadre.PartyNone, cadre.Date{}
	withoutLocation.EmergencyContact = `女儿 "小芳", 138-0000-0000`

	deceased := cadre.Cadre{
		Name: "孙振华", Gender: cadre.Male, IDNumber: idSun, BirthDate: testkit.Date("1928-09-01"),
		Category: cadre.Lixiu, RetiredOn: testkit.Date("1988-10-01"), Rank: cadre.RankCountyDeputyPlus,
		Party: cadre.PartyFull, PartyJoinedOn: testkit.Date("1946-05-04"), Health: cadre.HealthDependent,
		Living: cadre.LivingAlone, ChildrenNearby: true, Community: "gsq",
		Location:   &cadre.Location{Lat: 36.671234, Lng: 116.987654},
		PensionFen: 1023456, Status: cadre.StatusDeceased, StatusOn: testkit.Date("2025-12-03"),
	}
	want := []cadre.Cadre{wang(t), withoutLocation, deceased}
	for _, lang := range []cadre.Lang{cadre.Chinese, cadre.English} {
		t.Run(string(lang), func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, roster.Write(&buf, want, lang))
			res := read(t, buf.String())
			require.Empty(t, res.Errors)
			got := make([]cadre.Cadre, len(res.Rows))
			for i, r := range res.Rows {
				got[i] = r.Cadre
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestWriteLayout(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, roster.Write(&buf, []cadre.Cadre{wang(t)}, cadre.Chinese))
	assert.Equal(t, "\uFEFF"+zhSample, buf.String())
	buf.Reset()
	require.NoError(t, roster.Write(&buf, []cadre.Cadre{wang(t)}, cadre.English))
	assert.Equal(t, "\uFEFF"+enSample, buf.String())
}

func TestWriteError(t *testing.T) {
	err := roster.Write(errWriter{}, []cadre.Cadre{wang(t)}, cadre.Chinese)
	require.ErrorIs(t, err, errFull)
}

var errFull = errors.New("disk full")

type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errFull }
