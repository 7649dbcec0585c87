package web

func init() { addWords(messagesEN, workEN) }

// workEN are workZH in English.
var workEN = words{
	"pick.hint":        "Type a name, its pinyin initials or an ID number",
	"pick.missing":     "Give the cadre's name or ID number",
	"pick.several":     "%d cadres are named %q: choose one below",
	"pick.choose":      "No cadre is named %q: which of these is it? Choose one",
	"pick.many":        "%d cadres match %q; the first %d are listed: choose one, or type the whole name or the ID number",
	"pick.none":        "No cadre %q is held here: check the name, or type the ID number",
	"pick.born":        "born %d",
	"pick.orType":      "Or type another cadre in the box below.",
	"pick.dateMissing": "Give the date",
	"pick.dateBad":     "%q is not a date: write it like 2026-11-28",
	"work.notHeld":     "(not held here)",
}
