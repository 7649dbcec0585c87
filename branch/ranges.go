package branch

import (
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// Span returns the days of m as a span: its first day to the first day of
// the next month.
func (m Month) Span() cadre.Span { return cadre.Span{From: m.First(), To: m.Add(1).First()} }

// MembersDuring returns the cadres whose membership among ms holds on at
// least one day of s, once each, in the order of their first such
// membership. A cadre missing from known (not held here) is left out.
func MembersDuring(ms []Membership, s cadre.Span, known map[uuid.UUID]cadre.Cadre) []cadre.Cadre {
	return MembersDuringFunc(ms, s, func(id uuid.UUID) (cadre.Cadre, bool) {
		c, ok := known[id]
		return c, ok
	})
}

// MembersDuringFunc is MembersDuring with the known cadres looked up by a
// function, for callers that index the cadres otherwise than in a map of
// copies (the hub's reports, over every cadre of a district).
func MembersDuringFunc(ms []Membership, s cadre.Span, known func(uuid.UUID) (cadre.Cadre, bool)) []cadre.Cadre {
	var out []cadre.Cadre
	seen := map[uuid.UUID]bool{}
	for _, m := range ms {
		if seen[m.CadreID] || !s.Overlaps(cadre.Span{From: m.From, To: m.To}) {
			continue
		}
		c, ok := known(m.CadreID)
		if !ok {
			continue
		}
		seen[m.CadreID] = true
		out = append(out, c)
	}
	return out
}

// JoinMonths writes sorted months with each run of consecutive months
// joined by an em dash, the parts separated by sep: with ", ",
// "2026-01, 2026-04—2026-06".
func JoinMonths(ms []Month, sep string) string {
	var parts []string
	for i := 0; i < len(ms); {
		j := i
		for j+1 < len(ms) && ms[j+1] == ms[j].Add(1) {
			j++
		}
		if j == i {
			parts = append(parts, ms[i].String())
		} else {
			parts = append(parts, ms[i].String()+"—"+ms[j].String())
		}
		i = j + 1
	}
	return strings.Join(parts, sep)
}
