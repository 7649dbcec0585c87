package web

import "strings"

// form is what a reader typed into a form, to show it again when it is
// sent back with a problem, and the problem beside each field.
type form struct {
	Values map[string]string
	Errors map[string]string
}

func newForm() *form { return &form{Values: map[string]string{}, Errors: map[string]string{}} }

// Get is what was typed in field.
func (f *form) Get(field string) string { return f.Values[field] }

// Err is the problem of field, "" when it has none.
func (f *form) Err(field string) string { return f.Errors[field] }

// Is reports whether field holds value: a choice made.
func (f *form) Is(field, value string) bool { return f.Values[field] == value }

// addProblem puts a problem beside its field and in the page's summary.
// A field's first problem is shown beside it; the summary lists each.
func (p *page) addProblem(field, label, text string) {
	if field != "" {
		if prev := p.Form.Errors[field]; prev != "" {
			if !strings.Contains(prev, text) {
				p.Form.Errors[field] = prev + p.T("list.sep") + text
			}
		} else {
			p.Form.Errors[field] = text
		}
	}
	if strings.HasPrefix(text, label) {
		label = "" // the message names its field already
	}
	p.Problems = append(p.Problems, problem{Field: field, Label: label, Text: text})
}
