package desk

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// RecordKind is a kind of record a person names on the command line: a
// cadre, a helper, a venue or a branch.
type RecordKind int

const (
	// KindCadre: a cadre (干部), named also by the ID number.
	KindCadre RecordKind = iota + 1
	// KindHelper: a helper in 1对5 pairing (帮扶人).
	KindHelper
	// KindVenue: a venue (场所).
	KindVenue
	// KindBranch: a Party branch (党支部).
	KindBranch
)

// table is where the kind is stored.
func (k RecordKind) table() string {
	switch k {
	case KindHelper:
		return store.HelpersTable
	case KindVenue:
		return store.VenuesTable
	case KindBranch:
		return store.BranchesTable
	}
	return store.CadresTable
}

// MinRefLen is the fewest characters of a UUID that name a record.
const MinRefLen = 8

// Match is one record of a kind, as a person tells it from the others of
// the same name.
type Match struct {
	// ID identifies the record.
	ID uuid.UUID
	// Name is the record's name.
	Name string
	// Community is the community code of a cadre or venue (a venue of the
	// whole district has cadre.DistrictScope), or the codes a branch
	// covers, comma-separated; "" for a helper.
	Community string
	// BirthYear is a cadre's year of birth; 0 when unknown or not a cadre.
	BirthYear int
	// MaskedIDNumber is a cadre's ID number as lists show it
	// (cadre.MaskIDNumber); "" for the other kinds.
	MaskedIDNumber string
	// Ref is the shortest thing to type that names this record alone:
	// its name when no other record of the kind has it, else the shortest
	// prefix of its UUID (at least MinRefLen characters) that no other
	// record of the kind shares.
	Ref string
	// IDRef is the shortest prefix of the UUID that names this record
	// alone (at least MinRefLen characters), whatever its name.
	IDRef string

	idNumber string
}

// RefError is a reference that found no single record. It wraps Err:
// syncsvc.ErrNotFound, syncsvc.ErrVoided, syncsvc.ErrAmbiguous or
// ErrBadRef.
type RefError struct {
	// Kind is the kind of record looked for.
	Kind RecordKind
	// Ref is the reference as given, trimmed.
	Ref string
	// By is how Ref was read; 0 for ErrBadRef.
	By RefKind
	// Matches are the records Ref names when it names more than one, in
	// the order of their ids.
	Matches []uuid.UUID
	// Candidates are those records as a person tells them apart, each
	// with the reference that names it alone (Match.Ref), in the same
	// order as Matches.
	Candidates []Match
	// Err is the condition.
	Err error
}

func (e *RefError) Error() string { return fmt.Sprintf("reference %q: %v", e.Ref, e.Err) }

// Unwrap returns the condition, for errors.Is.
func (e *RefError) Unwrap() error { return e.Err }

// Names is every live record of one kind a replica holds, for naming
// them: each with the shortest reference that names it alone.
type Names struct {
	kind   RecordKind
	byID   map[uuid.UUID]int
	byName map[string][]int
	all    []Match
}

// LoadNames reads every live record of kind.
func LoadNames(ctx context.Context, rep *store.Replica, kind RecordKind) (*Names, error) {
	ms, err := loadMatches(ctx, rep, kind)
	if err != nil {
		return nil, fmt.Errorf("names of %s: %w", kind.table(), err)
	}
	return newNames(kind, ms), nil
}

func newNames(kind RecordKind, ms []Match) *Names {
	slices.SortFunc(ms, func(a, b Match) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	n := &Names{kind: kind, all: ms, byID: make(map[uuid.UUID]int, len(ms)), byName: map[string][]int{}}
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.ID.String()
	}
	for i := range ms {
		n.byID[ms[i].ID] = i
		key := NameKey(ms[i].Name)
		n.byName[key] = append(n.byName[key], i)
		ms[i].IDRef = uniquePrefix(ids, i)
	}
	for i := range ms {
		ms[i].Ref = ms[i].IDRef
		if key := NameKey(ms[i].Name); key != "" && len(n.byName[key]) == 1 && !looksLikeID(ms[i].Name) {
			ms[i].Ref = ms[i].Name
		}
	}
	return n
}

// Ref is what to type to name the record id alone (Match.Ref), or "" when
// the replica holds no live record of the kind with that id.
func (n *Names) Ref(id uuid.UUID) string {
	if i, ok := n.byID[id]; ok {
		return n.all[i].Ref
	}
	return ""
}

// Match is the record id, and whether it is held.
func (n *Names) Match(id uuid.UUID) (Match, bool) {
	i, ok := n.byID[id]
	if !ok {
		return Match{}, false
	}
	return n.all[i], true
}

// Named returns the records whose name is name (NameKey), in the order
// of their ids.
func (n *Names) Named(name string) []Match {
	var out []Match
	for _, i := range n.byName[NameKey(name)] {
		out = append(out, n.all[i])
	}
	return out
}

// withPrefix returns the records whose id starts with prefix.
func (n *Names) withPrefix(prefix string) []Match {
	var out []Match
	for _, m := range n.all {
		if strings.HasPrefix(m.ID.String(), prefix) {
			out = append(out, m)
		}
	}
	return out
}

// NameKey is a name as compared when it names a record: without spaces
// (full-width ones too) and, for letters that have case, in lower case, so
// that 张 三 names 张三.
func NameKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, name)
}

// looksLikeID reports whether s would be read as a UUID prefix or an ID
// number rather than a name.
func looksLikeID(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return (len(s) >= MinRefLen && strings.Trim(s, "0123456789abcdef-") == "") ||
		(len(s) == 18 && cadre.ValidateIDNumber(cadre.NormalizeIDNumber(s)) == nil)
}

// shortPrefix reports whether s, which names nothing by name, is the
// start of a UUID too short to name a record: hexadecimal digits, at least
// one of them a digit, fewer than MinRefLen.
func shortPrefix(s string) bool {
	return len(s) < MinRefLen && strings.Trim(s, "0123456789abcdef-") == "" && strings.ContainsAny(s, "0123456789")
}

// uniquePrefix is the shortest prefix of ids[i], at least MinRefLen
// characters, that no other id of the sorted list starts with.
func uniquePrefix(ids []string, i int) string {
	n := MinRefLen
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(ids) {
			continue
		}
		if l := commonPrefix(ids[i], ids[j]) + 1; l > n {
			n = l
		}
	}
	return ids[i][:min(n, len(ids[i]))]
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// loadMatches reads the live records of kind as matches, Ref not yet set.
func loadMatches(ctx context.Context, rep *store.Replica, kind RecordKind) ([]Match, error) {
	var out []Match
	switch kind {
	case KindCadre:
		cs, err := rep.Cadres(ctx, store.CadreFilter{})
		for _, c := range cs {
			out = append(out, cadreMatch(c))
		}
		return out, err
	case KindHelper:
		hs, err := rep.Helpers(ctx, store.HelperFilter{})
		for _, h := range hs {
			out = append(out, Match{ID: h.ID, Name: h.Name})
		}
		return out, err
	case KindVenue:
		vs, err := rep.Venues(ctx, store.VenueFilter{})
		for _, v := range vs {
			out = append(out, Match{ID: v.ID, Name: v.Name, Community: v.Community})
		}
		return out, err
	case KindBranch:
		bs, err := rep.Branches(ctx, "")
		for _, b := range bs {
			out = append(out, Match{ID: b.ID, Name: b.Name, Community: strings.Join(b.Communities, ",")})
		}
		return out, err
	}
	return nil, fmt.Errorf("record kind %d: %w", kind, ErrBadRef)
}

func cadreMatch(c cadre.Cadre) Match {
	return Match{ID: c.ID, Name: c.Name, Community: c.Community, BirthYear: c.BirthDate.Year,
		MaskedIDNumber: cadre.MaskIDNumber(c.IDNumber), idNumber: c.IDNumber}
}

// Resolve resolves a reference to one live record of kind: its whole
// UUID, a prefix of at least MinRefLen characters that no other record of
// the kind shares, a cadre's 18-character ID number, or a name that no
// other live record of the kind has (compared as NameKey). A reference
// that names no single record returns a *RefError (ErrBadRef, By
// ByPrefix, for fewer than MinRefLen hexadecimal characters that are no
// name); when it names more
// than one, the error's Candidates tell them apart and say what to type
// for each.
func Resolve(ctx context.Context, rep *store.Replica, kind RecordKind, ref string) (Match, error) {
	ref = strings.TrimSpace(ref)
	refErr := func(by RefKind, err error, ms ...Match) error {
		e := &RefError{Kind: kind, Ref: ref, By: by, Err: err, Candidates: ms}
		for _, m := range ms {
			e.Matches = append(e.Matches, m.ID)
		}
		return e
	}
	if ref == "" {
		return Match{}, refErr(0, ErrBadRef)
	}
	if id, err := uuid.Parse(ref); err == nil && len(ref) == 36 {
		m, err := one(ctx, rep, kind, id)
		if errors.Is(err, syncsvc.ErrNotFound) || errors.Is(err, syncsvc.ErrVoided) {
			return Match{}, refErr(ByUUID, err)
		}
		return m, err
	}
	lower := strings.ToLower(ref)
	if kind == KindCadre && len(ref) == 18 && cadre.ValidateIDNumber(cadre.NormalizeIDNumber(ref)) == nil {
		cs, err := rep.CadresByIDNumber(ctx, ref)
		switch {
		case err != nil:
			return Match{}, err
		case len(cs) == 1:
			return cadreMatch(cs[0]), nil
		case len(cs) == 0:
			return Match{}, refErr(ByIDNumber, syncsvc.ErrNotFound)
		}
		// One person registered twice before the computers could tell
		// (the hub's duplicate list joins them): neither is picked.
		names, err := LoadNames(ctx, rep, kind)
		if err != nil {
			return Match{}, err
		}
		var ms []Match
		for _, c := range cs {
			if m, ok := names.Match(c.ID); ok {
				m.Ref = m.IDRef
				ms = append(ms, m)
			}
		}
		return Match{}, refErr(ByIDNumber, syncsvc.ErrAmbiguous, ms...)
	}
	if len(lower) >= MinRefLen && strings.Trim(lower, "0123456789abcdef-") == "" {
		ids, err := rep.IDsWithPrefix(ctx, kind.table(), lower, 2)
		switch {
		case err != nil:
			return Match{}, err
		case len(ids) == 0:
			return Match{}, refErr(ByPrefix, syncsvc.ErrNotFound)
		case len(ids) == 1:
			m, err := one(ctx, rep, kind, ids[0])
			if err != nil {
				return Match{}, refErr(ByPrefix, err)
			}
			return m, nil
		}
		names, err := LoadNames(ctx, rep, kind)
		if err != nil {
			return Match{}, err
		}
		ms := names.withPrefix(lower)
		for i := range ms {
			ms[i].Ref = ms[i].IDRef
		}
		return Match{}, refErr(ByPrefix, syncsvc.ErrAmbiguous, ms...)
	}
	names, err := LoadNames(ctx, rep, kind)
	if err != nil {
		return Match{}, err
	}
	switch ms := names.Named(ref); len(ms) {
	case 0:
		if shortPrefix(lower) {
			return Match{}, refErr(ByPrefix, ErrBadRef)
		}
		return Match{}, refErr(ByName, syncsvc.ErrNotFound)
	case 1:
		return ms[0], nil
	default:
		return Match{}, refErr(ByName, syncsvc.ErrAmbiguous, ms...)
	}
}

// one reads the live record id of kind as a match (Ref left empty).
func one(ctx context.Context, rep *store.Replica, kind RecordKind, id uuid.UUID) (Match, error) {
	switch kind {
	case KindCadre:
		c, err := rep.Cadre(ctx, id)
		return cadreMatch(c), err
	case KindHelper:
		h, err := rep.Helper(ctx, id)
		return Match{ID: h.ID, Name: h.Name}, err
	case KindVenue:
		v, err := rep.Venue(ctx, id)
		return Match{ID: v.ID, Name: v.Name, Community: v.Community}, err
	case KindBranch:
		b, err := rep.Branch(ctx, id)
		return Match{ID: b.ID, Name: b.Name, Community: strings.Join(b.Communities, ",")}, err
	}
	return Match{}, fmt.Errorf("record kind %d: %w", kind, ErrBadRef)
}
