package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/report"
)

// idLike is a report whose one table holds an 18-digit ID number, which
// Excel would turn into a number (and lose its last digits) if it were
// written as one, beside a count, an amount and a date.
func idLike() *report.Report {
	return &report.Report{Kind: report.Invitations, Title: report.Text{Zh: "测试", En: "test"}, On: on,
		Scope: report.Scope{All: true, Hub: true},
		Tables: []*report.Table{{Key: "ids", Name: report.Text{Zh: "身份证号", En: "ID numbers"}, Columns: []report.Column{
			{Key: "id_number", Zh: "身份证号", En: "ID number", Width: 22},
			{Key: "count", Zh: "人数", En: "count", Width: 8},
			{Key: "owed_yuan", Zh: "欠交(元)", En: "owed (yuan)", Width: 10},
			{Key: "on", Zh: "日期", En: "date", Width: 12},
			{Key: "ok", Zh: "是否", En: "ok", Width: 6},
		}, Rows: [][]any{{"370102194501010216", int64(3), report.Yuan(12050), on, true}}}}}
}

func TestWriteXLSXOneSheetPerTableWithChineseHeadersFrozenAndText(t *testing.T) {
	d := newDistrict(t)
	reps, err := report.BuildAll(ctx, d.r, report.Options{On: on, Now: now})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, report.WriteXLSX(&buf, cadre.Chinese, append(reps, idLike())...))

	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, 0, f.GetActiveSheetIndex(), "the workbook opens on its first sheet")
	assert.Equal(t, []string{
		"走访：逾期与近期到期",
		"结对：需结对的干部", "结对：按档次", "结对：按社区", "结对：帮扶人负荷",
		"党支部：概况", "党支部：未编入支部的党员", "党支部：班子与换届", "党支部：上月缺开会议", "党支部：送学上门待办",
		"党费：欠交",
		"四就近：覆盖", "四就近：缺少服务的对象",
		"春季座谈会邀请名单",
		"完整性：缺项名单",
		"完整性：缺项统计",
		"同步：各办公室", "同步：被拒绝的更改",
		"身份证号",
	}, f.GetSheetList())

	// Headers in Chinese, the header row frozen, widths as the columns say.
	rows, err := f.GetRows("春季座谈会邀请名单")
	require.NoError(t, err)
	assert.Equal(t, []string{"社区", "姓名", "性别", "年龄", "类别", "健康状况", "电话", "原工作单位", "身份证号"}, rows[0])
	assert.Equal(t, []string{"杆石桥社区", "孙立", "男", "76", "军休", "良好", "13905310002", "济南军分区", "370102********0114"}, rows[1])
	assert.Equal(t, "副县处级及以上 5 名，在册 4 名；邀请 3 名，因健康状况未邀请 1 名（可安排走访）", rows[5][0], "the summary under a blank row")
	for _, sheet := range f.GetSheetList() {
		panes, err := f.GetPanes(sheet)
		require.NoError(t, err)
		assert.True(t, panes.Freeze, sheet)
		assert.Equal(t, 1, panes.YSplit, sheet)
		assert.Equal(t, "A2", panes.TopLeftCell, sheet)
	}
	for col, want := range map[string]float64{"A": 14, "B": 10, "G": 16, "I": 22} {
		w, err := f.GetColWidth("春季座谈会邀请名单", col)
		require.NoError(t, err)
		assert.Equal(t, want, w, col)
	}
	// A phone number of digits only stays text.
	typ, err := f.GetCellType("春季座谈会邀请名单", "G2")
	require.NoError(t, err)
	assert.NotEqual(t, excelize.CellTypeNumber, typ)

	// The ID number keeps all 18 digits as text, in a column formatted as
	// text; the count and the amount are numbers; the date is text.
	id, err := f.GetCellValue("身份证号", "A2")
	require.NoError(t, err)
	assert.Equal(t, "370102194501010216", id)
	for cell, number := range map[string]bool{"A2": false, "B2": true, "C2": true, "D2": false, "E2": false} {
		typ, err := f.GetCellType("身份证号", cell)
		require.NoError(t, err)
		assert.Equal(t, number, typ == excelize.CellTypeNumber || typ == excelize.CellTypeUnset, cell)
	}
	style, err := f.GetCellStyle("身份证号", "A2")
	require.NoError(t, err)
	s, err := f.GetStyle(style)
	require.NoError(t, err)
	assert.Equal(t, 49, s.NumFmt, "the ID number's column is formatted as text")
	owed, err := f.GetCellValue("身份证号", "C2")
	require.NoError(t, err)
	assert.Equal(t, "120.50", owed)
	day, err := f.GetCellValue("身份证号", "D2")
	require.NoError(t, err)
	assert.Equal(t, "2026-07-10", day)
	ok, err := f.GetCellValue("身份证号", "E2")
	require.NoError(t, err)
	assert.Equal(t, "是", ok)
}

func TestWriteXLSXNamesSheetsOnceAndWithinExcelsLimit(t *testing.T) {
	long, odd := idLike(), idLike()
	long.Tables[0].Name = report.Text{Zh: "一个名字非常长的表格：超过了 Excel 允许的三十一个字符的上限", En: "x"}
	odd.Tables[0].Name = report.Text{Zh: "党费[欠交]/2026?", En: "x"}
	var buf bytes.Buffer
	require.NoError(t, report.WriteXLSX(&buf, cadre.Chinese, long, long, odd, idLike()))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	names := f.GetSheetList()
	require.Len(t, names, 4)
	assert.Equal(t, "一个名字非常长的表格：超过了 Excel 允许的三十一个字符的", names[0], "31 characters")
	assert.Equal(t, "一个名字非常长的表格：超过了 Excel 允许的三十一 (2)", names[1])
	assert.Equal(t, "党费_欠交__2026_", names[2])
	assert.Equal(t, "身份证号", names[3])
	for _, n := range names {
		assert.LessOrEqual(t, len([]rune(n)), 31, n)
	}
}

func TestWriteCSVHasABOMAndReadsBack(t *testing.T) {
	d := newDistrict(t)
	var buf bytes.Buffer
	require.NoError(t, build(t, d, report.Invitations).WriteCSV(&buf, cadre.Chinese))
	require.True(t, bytes.HasPrefix(buf.Bytes(), []byte("\uFEFF")), "a BOM, so that Excel reads UTF-8")
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	require.NoError(t, err)
	require.Len(t, records, 4)
	assert.Equal(t, []string{"社区", "姓名", "性别", "年龄", "类别", "健康状况", "电话", "原工作单位", "身份证号"}, records[0])
	assert.Equal(t, []string{"舜园社区", "王建国", "男", "78", "退休", "慢性病", "13805310001", "济南市财政局", "370102********0070"}, records[3])

	// Several tables: each under its name, after an empty line.
	buf.Reset()
	require.NoError(t, build(t, d, report.Pairs).WriteCSV(&buf, cadre.English))
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF"))))
	r.FieldsPerRecord = -1
	records, err = r.ReadAll()
	require.NoError(t, err)
	assert.Equal(t, []string{"Cadres who need a pair"}, records[0])
	assert.Equal(t, []string{"state", "tier", "need", "community", "name", "helper", "why unpaired"}, records[1])
	assert.Equal(t, []string{"Pairing by tier"}, records[8])
	assert.Contains(t, buf.String(), "\n\nPairing by tier\n")
	assert.Equal(t, []string{"Helpers' load"}, records[len(records)-4])
}

func TestWriteJSONUsesCodesAndEmptyArrays(t *testing.T) {
	d := newDistrict(t)
	var buf bytes.Buffer
	require.NoError(t, build(t, d, report.Dues, "hx").WriteJSON(&buf))
	var got map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	assert.Equal(t, "dues", got["kind"])
	assert.Equal(t, "2026-07-10", got["on"])
	assert.Equal(t, "2026-07-10T00:00:00Z", got["generated_at"])
	assert.Equal(t, map[string]any{"all": false, "hub": true, "label": map[string]any{"zh": "华信社区", "en": "华信社区"},
		"communities": []any{map[string]any{"code": "hx", "name": "华信社区"}}}, got["scope"])
	tables := got["tables"].([]any)
	require.Len(t, tables, 1)
	arrears := tables[0].(map[string]any)
	assert.Equal(t, []any{}, arrears["rows"], "no arrears in hx: [] and not null")
	assert.Contains(t, buf.String(), `"rows": []`)

	buf.Reset()
	require.NoError(t, build(t, d, report.Dues).WriteJSON(&buf))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &got))
	first := got["tables"].([]any)[0].(map[string]any)["rows"].([]any)[0].(map[string]any)
	assert.Equal(t, "review", first["action"])
	assert.Equal(t, "sy", first["community"])
	assert.Equal(t, 20.0, first["monthly_due_yuan"])
	assert.Equal(t, 120.0, first["arrears_yuan"])
	assert.Contains(t, buf.String(), `"arrears_yuan": 120.00`, "yuan to the fen, as written")
	assert.Equal(t, map[string]any{"zh": "连续6个月未交纳党费，提请党支部按规定研究处理（是否按自行脱党处理由党组织决定，软件不作处置）",
		"en": first["text"].(map[string]any)["en"]}, first["text"])
	// Keys in column order.
	assert.Less(t, strings.Index(buf.String(), `"action"`), strings.Index(buf.String(), `"community"`))
}

func TestWriteTextAlignsColumns(t *testing.T) {
	d := newDistrict(t)
	var buf bytes.Buffer
	require.NoError(t, build(t, d, report.Invitations).WriteText(&buf, cadre.Chinese))
	// A Chinese character takes two cells; numbers align right.
	assert.Equal(t, `春季座谈会邀请名单
日期：2026-07-10　范围：全区（3 个社区）　生成于 2026-07-10 08:00

【春季座谈会邀请名单】
社区        姓名    性别  年龄  类别  健康状况  电话           原工作单位            身份证号
杆石桥社区  孙立    男      76  军休  良好      13905310002    济南军分区            370102********0114
舜园社区    高兰英  女      96  离休  良好      0531-86001001  济南市人民政府办公厅  370102********0024
舜园社区    王建国  男      78  退休  慢性病    13805310001    济南市财政局          370102********0070
副县处级及以上 5 名，在册 4 名；邀请 3 名，因健康状况未邀请 1 名（可安排走访）
`, buf.String())

	buf.Reset()
	require.NoError(t, build(t, d, report.Dues, "hx").WriteText(&buf, cadre.English))
	assert.Equal(t, `Party dues in arrears
as of 2026-07-10; scope: 华信社区; made 2026-07-10 08:00

[Dues in arrears]
(none)
1 members with a branch record, 0 in arrears owing 0.00 yuan; 0 to remind, 0 referred for handling
`, buf.String())
}

func TestEveryTableNameIsASheetName(t *testing.T) {
	d := newDistrict(t)
	reps, err := report.BuildAll(ctx, d.r, report.Options{On: on})
	require.NoError(t, err)
	keys := map[string]bool{}
	for _, rep := range reps {
		for _, tb := range rep.Tables {
			for _, name := range []string{tb.Name.Zh, tb.Name.En} {
				assert.LessOrEqual(t, len([]rune(name)), 31, name)
				assert.False(t, strings.ContainsAny(name, `:\/?*[]`), name)
			}
			assert.False(t, keys[string(rep.Kind)+"/"+tb.Key], "table keys are unique within a report")
			keys[string(rep.Kind)+"/"+tb.Key] = true
			for _, c := range tb.Columns {
				assert.Regexp(t, `^[a-z][a-z0-9_]*$`, c.Key, "snake_case JSON keys")
				assert.Positive(t, c.Width, c.Key)
			}
		}
	}
}
