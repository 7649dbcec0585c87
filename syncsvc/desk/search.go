package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// DefaultSearchLimit is how many cadres a search shows when no limit is
// given.
const DefaultSearchLimit = 50

// CadreSearch is what a search for cadres found.
type CadreSearch struct {
	// Query is the text searched for, trimmed.
	Query string
	// Cadres are the first Limit matches, by name then id.
	Cadres []cadre.Cadre
	// Total is how many live cadres match, shown or not.
	Total int
	// Limit is the most a search shows.
	Limit int
}

// Partial reports whether the search shows only part of its matches.
func (s CadreSearch) Partial() bool { return len(s.Cadres) < s.Total }

// SearchCadres finds the live cadres whose name contains query (compared
// as NameKey, so spaces do not matter), whose ID number starts with it, or
// whose name's pinyin initials contain it (zzq finds 张志强; a character
// read more than one way matches by any of its readings). It shows at most
// limit (DefaultSearchLimit when limit is not positive) and counts them
// all.
func SearchCadres(ctx context.Context, rep *store.Replica, query string, limit int) (CadreSearch, error) {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	out := CadreSearch{Query: strings.TrimSpace(query), Cadres: []cadre.Cadre{}, Limit: limit}
	if NameKey(query) == "" {
		return out, nil
	}
	r := new(roll)
	all, err := r.everyCadre(ctx, rep)
	if err != nil {
		return out, fmt.Errorf("search cadres: %w", err)
	}
	match := matcher(query, all, r)
	var found []cadre.Cadre
	for i, c := range all {
		if match(i) {
			found = append(found, c)
		}
	}
	byName(found, func(c cadre.Cadre) cadre.Cadre { return c })
	out.Total = len(found)
	out.Cadres = append(out.Cadres, found[:min(limit, len(found))]...)
	return out, nil
}

// matcher is SearchCadres's test of the cadre of index i in cs for query:
// part of the name (as NameKey), the start of the ID number, or a run of
// the name's pinyin initials. An empty query matches every cadre. The
// names' keys come from the roll, worked out once for all the cadres of
// cs; the initials only when the query could be initials.
func matcher(query string, cs []cadre.Cadre, r *roll) func(i int) bool {
	q := NameKey(query)
	if q == "" {
		return func(int) bool { return true }
	}
	letters := isLetters(q)
	idStart := strings.ToUpper(q)
	keys, ini := r.nameKeys(cs, letters)
	return func(i int) bool {
		return strings.Contains(keys[i], q) || strings.HasPrefix(cs[i].IDNumber, idStart) ||
			(letters && initialsContain(ini[i], q))
	}
}

// byName sorts by name, then id, as a search lists its matches.
func byName[T any](xs []T, of func(T) cadre.Cadre) {
	slices.SortFunc(xs, func(a, b T) int {
		ca, cb := of(a), of(b)
		if n := strings.Compare(ca.Name, cb.Name); n != 0 {
			return n
		}
		return strings.Compare(ca.ID.String(), cb.ID.String())
	})
}

// AnyTier is CadreQuery.Tier when the list is not filtered by need tier.
const AnyTier = -1

// CadreQuery selects a page of the live cadres held here: those matching
// Text as SearchCadres matches (all when it is empty) and every filter
// given.
type CadreQuery struct {
	// Text is part of a name, pinyin initials or the start of an ID
	// number; "" lists every cadre.
	Text string
	// Community, Category and Status select those values; "" any.
	Community string
	Category  cadre.Category
	Status    cadre.Status
	// Tier selects cadres whose highest need tier on On is Tier (1 to 5;
	// 0 for those who need no pair); AnyTier, any.
	Tier int
	// On is the day needs are judged on, under the district's settings.
	On cadre.Date
	// Offset and Limit are the page: the matches from Offset, at most
	// Limit (DefaultSearchLimit when not positive).
	Offset, Limit int
}

// ListedCadre is one cadre of a list, with its needs on the day asked.
type ListedCadre struct {
	Cadre cadre.Cadre
	// Tier is the highest need tier, 0 for none.
	Tier  int
	Needs []cadre.Need
}

// CadreList is one page of the cadres a query selects.
type CadreList struct {
	Cadres []ListedCadre
	// Total counts every cadre the query selects, shown or not.
	Total int
	// Offset and Limit are the page shown.
	Offset, Limit int
	// Communities are the communities of the cadres held here, for a
	// filter's choices.
	Communities []string
}

// ListCadres lists a page of the live cadres a query selects: with text,
// by name as SearchCadres does; without, by community then name.
func ListCadres(ctx context.Context, rep *store.Replica, q CadreQuery) (CadreList, error) {
	return listCadres(ctx, rep, new(roll), q)
}

// listCadres is ListCadres, every cadre read through r.
func listCadres(ctx context.Context, rep *store.Replica, r *roll, q CadreQuery) (CadreList, error) {
	if q.Limit <= 0 {
		q.Limit = DefaultSearchLimit
	}
	out := CadreList{Cadres: []ListedCadre{}, Offset: max(q.Offset, 0), Limit: q.Limit}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return out, fmt.Errorf("list cadres: %w", err)
	}
	if NameKey(q.Text) == "" && q.Tier == AnyTier {
		return listPage(ctx, rep, q, rules.Policy, out)
	}
	all, err := r.everyCadre(ctx, rep)
	if err != nil {
		return out, fmt.Errorf("list cadres: %w", err)
	}
	match := matcher(q.Text, all, r)
	seen := map[string]bool{}
	var found []ListedCadre
	for i, c := range all {
		if !seen[c.Community] {
			seen[c.Community] = true
			out.Communities = append(out.Communities, c.Community)
		}
		if (q.Community != "" && c.Community != q.Community) || (q.Category != "" && c.Category != q.Category) ||
			(q.Status != "" && c.Status != q.Status) || !match(i) {
			continue
		}
		l := ListedCadre{Cadre: c, Needs: c.Needs(q.On, rules.Policy)}
		if len(l.Needs) > 0 {
			l.Tier = l.Needs[0].Tier()
		}
		if q.Tier != AnyTier && l.Tier != q.Tier {
			continue
		}
		found = append(found, l)
	}
	slices.Sort(out.Communities)
	if NameKey(q.Text) != "" {
		byName(found, func(l ListedCadre) cadre.Cadre { return l.Cadre })
	}
	out.Total = len(found)
	if out.Offset < len(found) {
		out.Cadres = append(out.Cadres, found[out.Offset:min(out.Offset+q.Limit, len(found))]...)
	}
	return out, nil
}

// listPage is ListCadres of the filters the storage selects by itself:
// only the page is read.
func listPage(ctx context.Context, rep *store.Replica, q CadreQuery, policy cadre.Policy, out CadreList) (CadreList, error) {
	page, err := rep.CadresPage(ctx, store.CadreFilter{Community: q.Community, Status: q.Status}, q.Category, out.Offset, q.Limit)
	if err != nil {
		return out, fmt.Errorf("list cadres: %w", err)
	}
	if out.Communities, err = rep.CadreCommunities(ctx); err != nil {
		return out, fmt.Errorf("list cadres: %w", err)
	}
	out.Total = page.Total
	for _, c := range page.Cadres {
		l := ListedCadre{Cadre: c, Needs: c.Needs(q.On, policy)}
		if len(l.Needs) > 0 {
			l.Tier = l.Needs[0].Tier()
		}
		out.Cadres = append(out.Cadres, l)
	}
	return out, nil
}

// isLetters reports whether s is only the letters a to z, as pinyin
// initials are typed.
func isLetters(s string) bool {
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return false
		}
	}
	return s != ""
}

// initialsArgs reads each character by every reading it has, as its first
// letter.
var initialsArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.FirstLetter
	a.Heteronym = true
	return a
}()

// initials are the letters each character of name may begin with in
// pinyin: a Chinese character's readings' first letters, a Latin letter
// itself in lower case; characters that are neither (spaces, the middle
// dot of 阿卜杜·热合曼) are left out.
func initials(name string) [][]string {
	var out [][]string
	for _, r := range name {
		switch {
		case unicode.Is(unicode.Han, r):
			var letters []string
			for _, readings := range pinyin.Pinyin(string(r), initialsArgs) {
				for _, p := range readings {
					if p != "" && !slices.Contains(letters, p[:1]) {
						letters = append(letters, p[:1])
					}
				}
			}
			if len(letters) > 0 {
				out = append(out, letters)
			}
		case r < unicode.MaxASCII && unicode.IsLetter(r):
			out = append(out, []string{string(unicode.ToLower(r))})
		}
	}
	return out
}

// initialsContain reports whether q, lower-case letters, is a run of ini,
// the pinyin initials of a name's characters.
func initialsContain(ini [][]string, q string) bool {
	for start := 0; start+len(q) <= len(ini); start++ {
		match := true
		for j := 0; j < len(q) && match; j++ {
			match = slices.Contains(ini[start+j], q[j:j+1])
		}
		if match {
			return true
		}
	}
	return false
}
