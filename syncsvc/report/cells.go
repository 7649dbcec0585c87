package report

import "github.com/wanxia/wanxia/cadre"

// Cell writes a cell of a table for people, in lang, as the text form of a
// report does: a page shows reports with it.
func Cell(v any, lang cadre.Lang) string { return cellString(v, lang) }

// Numeric reports whether a cell is a number, which a page aligns right.
func Numeric(v any) bool { return numeric(v) }

// Heading is the line under a report's title: the date, the scope and when
// it was made, in lang.
func (r *Report) Heading(lang cadre.Lang) string { return r.header(lang)[1] }
