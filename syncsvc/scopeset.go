package syncsvc

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// A scope is "district", one community code, or a scope set: the codes of
// several communities, sorted and joined by "+" ("gsq+sy"), for a record
// that belongs to all of them at once, such as a joint branch. An office
// holding any of a set's communities reads and writes its records; a record
// whose scope set changes moves like a cadre that changes community.
//
// The scope column of such a record type (ScopeByColumn) holds the set as
// ScopeSet writes it; a change whose set is not in that canonical form is
// refused, so that one set always has one spelling.
const scopeSep = "+"

// ScopeSet returns the scope of a record that belongs to the given
// communities: the one code for one community, else the codes sorted,
// without repeats, joined by "+". It returns "" for no community.
func ScopeSet(communities ...string) string {
	codes := dedupe(communities)
	if len(codes) > 0 && codes[0] == "" {
		codes = codes[1:]
	}
	return strings.Join(codes, scopeSep)
}

// ScopeCommunities returns the communities a scope names: the codes of a
// scope set, or the scope itself.
func ScopeCommunities(scope string) []string {
	if scope == "" {
		return nil
	}
	return strings.Split(scope, scopeSep)
}

// scopeOverlaps reports whether scope, or one community of a scope set, is
// among scopes.
func scopeOverlaps(scope string, scopes []string) bool {
	if !strings.Contains(scope, scopeSep) {
		return slices.Contains(scopes, scope)
	}
	for _, c := range ScopeCommunities(scope) {
		if slices.Contains(scopes, c) {
			return true
		}
	}
	return false
}

// canonicalScope reports whether a scope set is spelled as ScopeSet spells
// it; a plain scope always is.
func canonicalScope(scope string) bool {
	if !strings.Contains(scope, scopeSep) {
		return true
	}
	codes := ScopeCommunities(scope)
	return ScopeSet(codes...) == scope && len(codes) > 1 && !slices.Contains(codes, districtScope)
}

// registerScope records a scope set in use, in the write's transaction, so
// that readers of its communities find it.
func (w *writeTx) registerScope(scope string) error {
	if !strings.Contains(scope, scopeSep) {
		return nil
	}
	if _, err := w.exec("INSERT OR IGNORE INTO scope_sets(scope) VALUES(?)", scope); err != nil {
		return fmt.Errorf("register scope set %s: %w", scope, err)
	}
	return nil
}

// expandScopes adds to scopes every scope set in use that names one of
// them; nil stays nil (all scopes).
func expandScopes(ctx context.Context, q querier, scopes []string) ([]string, error) {
	if scopes == nil {
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, "SELECT scope FROM scope_sets")
	if err != nil {
		return nil, fmt.Errorf("read scope sets: %w", err)
	}
	defer rows.Close()
	out := dedupe(scopes)
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, fmt.Errorf("read scope sets: %w", err)
		}
		if scopeOverlaps(s, scopes) {
			out = append(out, s)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read scope sets: %w", err)
	}
	return out, nil
}

// DistrictScope is the scope of district-wide records, which the hub keeps
// and every office reads.
const DistrictScope = districtScope

// ScopeOverlaps reports whether scope, or one community of a scope set, is
// among scopes.
func ScopeOverlaps(scope string, scopes []string) bool { return scopeOverlaps(scope, scopes) }
