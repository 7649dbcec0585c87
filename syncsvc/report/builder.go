package report

import (
	"cmp"
	"context"
	"slices"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// builder holds what every report reads: the cadres, the communities and
// the scope, read once per Build.
type builder struct {
	ctx   context.Context
	r     *store.Replica
	o     Options
	s     Settings
	on    cadre.Date
	scope Scope
	// in holds the codes of the scope's communities; nil for the whole
	// replica.
	in map[string]bool
	// names maps community codes to names (shared: read only).
	names map[string]string
	// cadres looks up every live cadre of the replica (any status) by ID
	// (shared: read only).
	cadres func(uuid.UUID) (cadre.Cadre, bool)
	// scoped are the live cadres of the scope's communities, by community
	// then name (shared with the cache's index for the whole replica: read
	// only).
	scoped []cadre.Cadre
	coll   *collate.Collator
	// c reads the replica, once for every report built with it.
	c *cache
}

func newBuilder(ctx context.Context, r *store.Replica, o Options, c *cache) (*builder, error) {
	b := &builder{ctx: ctx, r: r, o: o, s: DefaultSettings(), on: o.On, coll: collate.New(language.Chinese), c: c}
	if o.Settings != nil {
		b.s = *o.Settings
	}
	ix, err := c.CadreIndex()
	if err != nil {
		return nil, err
	}
	b.names, b.cadres = ix.names, ix.cadre
	b.scope = Scope{All: o.Communities == nil, Hub: r.Role() == syncsvc.RoleHub}
	var codes []string
	switch {
	case o.Communities != nil:
		codes = sortedCodes(o.Communities)
		b.in = map[string]bool{}
		for _, c := range codes {
			b.in[c] = true
		}
		// The cadres of the scope's communities, each community's in order.
		b.scoped = ix.in(codes)
	case b.scope.Hub:
		for _, c := range ix.communities {
			codes = append(codes, c.Code)
		}
		b.scoped = ix.sorted[:len(ix.sorted):len(ix.sorted)]
	default:
		// An office reads its own communities (the registry's records of
		// them) and holds the cadres of its own only.
		for _, c := range ix.sorted {
			codes = append(codes, c.Community)
		}
		codes = sortedCodes(codes)
		b.scoped = ix.sorted[:len(ix.sorted):len(ix.sorted)]
	}
	for _, c := range codes {
		b.scope.Communities = append(b.scope.Communities, Community{Code: c, Name: b.name(c)})
	}
	return b, nil
}

// covers reports whether the community is in the scope.
func (b *builder) covers(code string) bool { return b.in == nil || b.in[code] }

// coversAny reports whether any of the communities is in the scope.
func (b *builder) coversAny(codes []string) bool {
	return slices.ContainsFunc(codes, b.covers)
}

// name returns a community's name, or its code when it has none.
func (b *builder) name(code string) string { return cmp.Or(b.names[code], code) }

// community is a community as a cell: its code for scripts, its name for
// people.
func (b *builder) community(code string) Label {
	n := b.name(code)
	return Label{Code: code, Text: Text{Zh: n, En: n}}
}

// cadreName returns the name of a cadre held here, or a mark for one that
// is not (a member living in another office's community).
func (b *builder) cadreName(id uuid.UUID) string {
	if id == uuid.Nil {
		return ""
	}
	if c, ok := b.cadres(id); ok {
		return c.Name
	}
	return "(" + id.String()[:8] + ")"
}

// compareNames orders names as a Chinese reader looks them up (pinyin).
func (b *builder) compareNames(x, y string) int { return b.coll.CompareString(x, y) }
