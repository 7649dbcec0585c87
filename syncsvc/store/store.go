// Package store is the district's records on top of the sync engine: the
// record types of cadres, communities, branch work, care work, venues and
// the district settings, declared through the engine's RecordType API, and
// typed methods that write and read them as the domain packages' values
// (cadre.Cadre, branch.Membership, care.Visit, venue.Venue…).
//
// Each write checks the value with its domain package's rule before it is
// written, and the hub checks every pushed change with the same rule
// (RecordType.Validate). What a write implies for other records (a cadre
// who died or moved away leaves their branch and their pairs) is decided
// by the domain packages (branch.EndMemberships, care.EndPairs) and written
// here in the same transaction.
//
// A Replica is a *syncsvc.Replica with these types declared: every method
// of the engine (Sync, Backup, Conflicts…) is there too.
package store

import (
	"context"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// Replica is a replica of the district's records: the engine's replica
// with the typed methods of this package.
type Replica struct {
	*syncsvc.Replica
}

// Tx is a write transaction with the typed methods of this package: what
// is written through it commits together or not at all, and what is read
// through it sees its own writes.
type Tx struct {
	*syncsvc.Tx
	Reads
}

// Reads reads the typed records through a syncsvc.Reader: a transaction
// (Tx embeds the Reads of its own writes), a snapshot (View) or the
// replica as it stands (Replica.Read). Each of its methods is the
// replica's method of the same name.
type Reads struct {
	rd syncsvc.Reader
}

// Read returns the typed reads of the replica as it stands, bound to ctx.
func (r *Replica) Read(ctx context.Context) Reads { return Reads{rd: r.Reader(ctx)} }

// ReadView returns the typed reads of a snapshot (syncsvc.Replica.View).
func ReadView(v *syncsvc.View) Reads { return Reads{rd: v} }

// Open opens or creates the replica at path with the district's record
// types declared (before any in opts.Types) and, on the hub, the
// communities of each office added registered.
func Open(ctx context.Context, path string, opts syncsvc.Options) (*Replica, error) {
	opts.Types = append(Types(), opts.Types...)
	next := opts.OfficeAdded
	opts.OfficeAdded = func(tx *syncsvc.Tx, o syncsvc.Office) error {
		if err := registerOfficeCommunities(tx, o); err != nil {
			return err
		}
		if next != nil {
			return next(tx, o)
		}
		return nil
	}
	r, err := syncsvc.Open(ctx, path, opts)
	if err != nil {
		return nil, err
	}
	return &Replica{Replica: r}, nil
}

// Types declares the record types of the district's records, each with the
// rule its records keep (Validate) and the size limits of its text
// columns.
func Types() []syncsvc.RecordType {
	types := declared()
	for i := range types {
		types[i].Check = rule(types[i].Name)
		types[i].MaxRunes = runeLimits
		if types[i].Name == CadresTable {
			types[i].Label = func(col string) string { return cadre.FieldLabel(col, cadre.Chinese) }
		}
	}
	return types
}

// Update runs fn in one write transaction and commits when fn returns nil.
func (r *Replica) Update(ctx context.Context, fn func(tx *Tx) error) error {
	return r.Replica.Update(ctx, func(tx *syncsvc.Tx) error { return fn(&Tx{Tx: tx, Reads: Reads{rd: tx}}) })
}

// declared lists the record types as declared, without their rules.
func declared() []syncsvc.RecordType {
	types := append([]syncsvc.RecordType{CommunityType(), CadreType()}, BranchTypes()...)
	types = append(types, CareTypes()...)
	types = append(types, VenueTypes()...)
	return append(types, SettingType())
}
