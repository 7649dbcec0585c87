// Package report makes the reports people read the morning after the nightly
// merge: the visits overdue and due soon, 1对5 pairing coverage, the Party
// branches' coverage, committees and meetings, Party dues in arrears,
// four-nearby coverage, the spring forum invitation list, and the summary of
// each office's syncs.
//
// Build reads a *store.Replica through syncsvc's exported API only (no SQL
// of its own) and runs the domain rules of packages cadre, branch, care and
// venue on what it read, for one date and one scope: the whole replica (the
// district, on the hub) or some of its communities (one office's). A Report
// is plain data — a title, the date, the scope and one or more Tables of
// typed cells — so that one report prints as aligned text, JSON for scripts,
// CSV, or a sheet of an Excel workbook, in Chinese or English. Nothing is
// stored: like every derived state in Wanxia (docs/architecture.md), a report is
// computed when it is read.
//
// Cells hold string, int64, float64, cadre.Date, bool, Label (an enumerated
// value: its code for scripts, its label for people), Text (a phrase in both
// languages) or Yuan (an amount in fen, shown in yuan). The renderers choose
// the language; JSON carries codes and keeps both languages of a Text.
package report
