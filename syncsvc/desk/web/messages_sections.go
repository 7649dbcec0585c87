package web

// addWords adds a section's words to one language's table, from the
// section's own init: each section keeps its words in a pair of files of
// its own (messages_SECTION_zh.go and messages_SECTION_en.go), so that
// sections written side by side do not edit the same table. A key given
// twice would show one section's word on another's page, so it panics
// when the package loads, which every test run sees.
func addWords(table, section words) {
	for k, v := range section {
		if _, dup := table[k]; dup {
			panic("office desk: message key " + k + " is given twice")
		}
		table[k] = v
	}
}
