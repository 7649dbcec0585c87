package web

func init() { addWords(messagesEN, reportsEN) }

// reportsEN are reportsZH in English.
var reportsEN = words{
	"reports.title":        "Reports",
	"reports.on":           "Report date",
	"reports.show":         "Show",
	"reports.back":         "Back to Reports",
	"reports.col.report":   "Report",
	"reports.col.about":    "What it shows",
	"reports.col.download": "Download",
	"reports.xlsx":         "Download as Excel (.xlsx)",
	"reports.allXLSX":      "Download every report as one Excel workbook",
	"reports.allFile":      "office reports",
	"reports.more":         "Only the first %d of %d lines are listed here: download the Excel workbook for all of them.",
	"reports.empty":        "(none)",

	"reports.about.visits":       "Visits overdue and due soon, by community and helper",
	"reports.about.pairs":        "1-to-5 pairing coverage and the helpers' load",
	"reports.about.branches":     "Branch coverage, committees and elections, meetings missed, study not delivered",
	"reports.about.dues":         "Party dues in arrears, the longest first",
	"reports.about.nearby":       "Four-nearby coverage (study, activity, service, contribution near home)",
	"reports.about.invitations":  "The spring forum invitation list",
	"reports.about.completeness": "Unknown fields of the cadres' records, and who to visit to find out",
	"reports.about.sync":         "Each office's syncs",
}
