package desk

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"

	"github.com/wanxia/wanxia/cadre"
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
	q := NameKey(query)
	if q == "" {
		return out, nil
	}
	all, err := rep.Cadres(ctx, store.CadreFilter{})
	if err != nil {
		return out, fmt.Errorf("search cadres: %w", err)
	}
	letters := isLetters(q)
	idStart := strings.ToUpper(q)
	var found []cadre.Cadre
	for _, c := range all {
		if strings.Contains(NameKey(c.Name), q) || strings.HasPrefix(c.IDNumber, idStart) ||
			(letters && initialsContain(c.Name, q)) {
			found = append(found, c)
		}
	}
	slices.SortFunc(found, func(a, b cadre.Cadre) int {
		if n := strings.Compare(a.Name, b.Name); n != 0 {
			return n
		}
		return strings.Compare(a.ID.String(), b.ID.String())
	})
	out.Total = len(found)
	out.Cadres = append(out.Cadres, found[:min(limit, len(found))]...)
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

// initialsContain reports whether q, lower-case letters, is a run of the
// pinyin initials of name's characters.
func initialsContain(name, q string) bool {
	ini := initials(name)
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
