package wording

import (
	"strconv"
	"strings"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// registerColumns are the columns of the cadre fields stored together, in
// the order of their values.
var registerColumns = map[string][]string{
	"id_number": {"id_number", "birth_date", "gender"},
	"party":     {"party", "party_joined_on"},
	"address":   {"address", "lat", "lng"},
	"status":    {"status", "status_on"},
}

// enumLabel returns the label of a cadre enumeration's code; an ID number
// is masked.
func enumLabel(column, code string, lang cadre.Lang) string {
	switch column {
	case "gender":
		return cadre.Gender(code).Label(lang)
	case "category":
		return cadre.Category(code).Label(lang)
	case "rank":
		return cadre.Rank(code).Label(lang)
	case "party":
		return cadre.Party(code).Label(lang)
	case "health":
		return cadre.Health(code).Label(lang)
	case "living":
		return cadre.Living(code).Label(lang)
	case "status":
		return cadre.Status(code).Label(lang)
	case "id_number":
		return cadre.MaskIDNumber(code)
	}
	return code
}

// StoredValue shows a field's value as the replica stores it (a conflict's
// two values, a refused record's content): a cadre's codes as their
// labels in lang, the pension in yuan, yes/no, the fields stored together
// one after another, "-" for none; ID numbers masked.
func StoredValue(table, field string, v any, lang cadre.Lang) string {
	one := func(column string, v any) string {
		switch x := v.(type) {
		case nil:
			return "-"
		case string:
			if table == store.CadresTable {
				return enumLabel(column, x, lang)
			}
			return x
		case bool:
			return cadre.BoolLabel(x, lang)
		case int64:
			if table == store.CadresTable && column == "pension_fen" {
				return cadre.FormatYuan(x)
			}
			return strconv.FormatInt(x, 10)
		case float64:
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return "?"
	}
	list, ok := v.([]any)
	if !ok {
		return one(field, v)
	}
	cols := registerColumns[field]
	parts := make([]string, len(list))
	for i, e := range list {
		col := ""
		if table == store.CadresTable && i < len(cols) {
			col = cols[i]
		}
		parts[i] = one(col, e)
	}
	return strings.Join(parts, " / ")
}

// tableLabels name the record types for a clerk.
var tableLabels = map[string][2]string{
	store.CadresTable: {"干部", "cadre"}, store.VisitsTable: {"走访", "visit"}, store.PairsTable: {"结对", "pair"},
	store.HospitalStaysTable: {"住院", "hospital stay"}, store.HelpCasesTable: {"求助", "help case"},
	store.MembershipsTable: {"党支部关系", "branch membership"}, store.BranchesTable: {"党支部", "branch"},
	store.PostsTable: {"支委职务", "branch post"}, store.MeetingsTable: {"会议", "meeting"},
	store.AttendanceTable: {"会议出席", "meeting attendance"}, store.DeliveriesTable: {"送学上门", "study delivered"},
	store.TrainingTable: {"培训", "training"}, store.DuesPaymentsTable: {"党费缴纳", "dues payment"},
	store.DuesReliefsTable: {"党费减免", "dues relief"}, store.FeedbackTable: {"群众反映", "feedback"},
	store.CommunitiesTable: {"社区", "community"}, store.HelpersTable: {"帮扶人", "helper"},
	store.VenuesTable: {"阵地", "venue"}, store.EnrolmentsTable: {"试点", "program enrolment"},
}

// TableLabel names a kind of record (its table) for a clerk; a table it
// does not know is named as it is.
func TableLabel(table string, lang cadre.Lang) string {
	if l, ok := tableLabels[table]; ok {
		if lang == cadre.English {
			return l[1]
		}
		return l[0]
	}
	return table
}
