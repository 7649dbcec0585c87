package web

// section is one of the desk's sections: its nav entry. A section is
// listed only once its pages are built; its addresses are registered by
// Server.routes.
type section struct {
	key, path, label string
}

// sections are the desk's sections in the order of the nav.
var sections = []section{
	{key: "today", path: "/today", label: "nav.today"},
	{key: "cadres", path: "/cadres", label: "nav.cadres"},
	{key: "register", path: "/register", label: "nav.register"},
	{key: "roster", path: "/roster", label: "nav.roster"},
	{key: "care", path: "/care", label: "nav.care"},
	{key: "branch", path: "/branch", label: "nav.branch"},
	{key: "reports", path: "/reports", label: "nav.reports"},
	{key: "conflicts", path: "/conflicts", label: "nav.conflicts"},
	{key: "office", path: "/office", label: "nav.office"},
}

// navEntry is one link of the nav as a page shows it.
type navEntry struct {
	Key, Path, Label string
	Current          bool
}

func navFor(p *page) []navEntry {
	out := make([]navEntry, 0, len(sections))
	for _, sec := range sections {
		out = append(out, navEntry{Key: sec.key, Path: sec.path, Label: p.T(sec.label), Current: sec.key == p.Section})
	}
	return out
}
