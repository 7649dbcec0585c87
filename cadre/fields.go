package cadre

import "strings"

// fieldLabels names the fields of a cadre record (their JSON keys) as a
// roster's Chinese header does.
var fieldLabels = map[string]string{
	"name": "姓名", "id_number": "身份证号", "gender": "性别", "birth_date": "出生日期",
	"category": "类别", "retired_on": "离退休时间", "rank": "职级", "party": "党员",
	"party_joined_on": "入党时间", "health": "健康状况", "living": "居住情况",
	"children_nearby": "子女在附近", "living_difficulty": "生活困难", "community": "社区",
	"address": "住址", "lat": "纬度", "lng": "经度", "phone": "电话",
	"emergency_contact": "紧急联系人", "original_unit": "原工作单位",
	"pension_fen": "基本离退休费", "status": "状态", "status_on": "状态日期",
}

// FieldLabel names a field of a cadre record (its JSON key, as a
// FieldError's Field) for a person: 姓名 for "name" in Chinese, "name" in
// English. A field it does not know is named by its key, with spaces for
// underscores.
func FieldLabel(field string, lang Lang) string {
	if zh, ok := fieldLabels[field]; ok && lang == Chinese {
		return zh
	}
	return strings.ReplaceAll(field, "_", " ")
}
