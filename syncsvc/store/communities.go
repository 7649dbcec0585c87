package store

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// CommunitiesTable is the record type name of communities.
const CommunitiesTable = "communities"

// CommunityType declares communities: district data that only the hub
// writes, and the district's registry of communities
// (syncsvc.ScopeDistrictNaming): an office reads the records of its own
// communities, not the whole district's, and the hub refuses a cadre
// moved to a community not registered here. A community's record id is derived from its code (so
// registering a code twice, anywhere, names one record), which therefore
// never changes.
func CommunityType() syncsvc.RecordType {
	return syncsvc.RecordType{
		Name: CommunitiesTable,
		Fields: []syncsvc.Field{
			syncsvc.Col("code", syncsvc.Text),
			syncsvc.Col("name", syncsvc.Text),
			syncsvc.Col("street", syncsvc.Text),
			syncsvc.Register("centre", syncsvc.Column{Name: "lat", Type: syncsvc.Real}, syncsvc.Column{Name: "lng", Type: syncsvc.Real}),
		},
		Scope:   syncsvc.ScopeDistrictNaming("code"),
		Indexes: [][]string{{"code"}},
	}
}

// Community is a neighbourhood with its own office: a short ASCII code, a
// Chinese display name, its street (街道) and an optional centre point.
type Community struct {
	Code   string
	Name   string
	Street string
	Centre *cadre.Location
}

var communityNamespace = uuid.MustParse("0d6f7c1e-6a55-4e0a-9c53-3f1f4f1d2b8a")

// CommunityID returns the record id of the community with the given code.
func CommunityID(code string) uuid.UUID { return uuid.NewSHA1(communityNamespace, []byte(code)) }

// registerCommunity creates a community named by its code unless it exists.
func registerCommunity(tx *syncsvc.Tx, code string) error {
	id := CommunityID(code)
	_, err := tx.Get(CommunitiesTable, id)
	if !errors.Is(err, syncsvc.ErrNotFound) {
		return err
	}
	_, err = putValues(tx, CommunitiesTable, "community", id, map[string]any{"code": code, "name": code})
	return err
}

// registerOfficeCommunities checks the community codes of an office the
// hub adds and registers those seen for the first time, with their code as
// their name (syncsvc.Options.OfficeAdded).
func registerOfficeCommunities(tx *syncsvc.Tx, o syncsvc.Office) error {
	for _, c := range o.Communities {
		if err := cadre.ValidateCommunityCode(c); err != nil {
			return err
		}
		if err := registerCommunity(tx, c); err != nil {
			return err
		}
	}
	return nil
}

// SetCommunity creates or completes a community (hub only).
func (r *Replica) SetCommunity(ctx context.Context, c Community) error {
	if r.Role() != syncsvc.RoleHub {
		return fmt.Errorf("set community: %w", syncsvc.ErrNotHub)
	}
	if err := cadre.ValidateCommunityCode(c.Code); err != nil {
		return fmt.Errorf("set community: %w", err)
	}
	if c.Centre != nil && !c.Centre.Valid() {
		return fmt.Errorf("set community %s: %w: latitude within ±90, longitude within ±180", c.Code, syncsvc.ErrInvalidChange)
	}
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = c.Code
	}
	centre := []any{nil, nil}
	if c.Centre != nil {
		centre = []any{c.Centre.Lat, c.Centre.Lng}
	}
	_, err := r.Put(ctx, CommunitiesTable, CommunityID(c.Code), map[string]any{
		"code": c.Code, "name": name, "street": text(strings.TrimSpace(c.Street)), "centre": centre,
	})
	return err
}

// Communities lists the communities by code.
func (r *Replica) Communities(ctx context.Context) ([]Community, error) {
	return r.Read(ctx).Communities()
}

// Communities is Replica.Communities through the reader.
func (rd Reads) Communities() ([]Community, error) {
	return communities(rd.rd)
}

func communities(rd syncsvc.Reader) ([]Community, error) {
	out := []Community{}
	err := rd.Scan(CommunitiesTable, "ORDER BY code", nil, func(cols syncsvc.Columns) error {
		d := fieldReader{cols: cols}
		out = append(out, Community{Code: d.str("code"), Name: d.str("name"), Street: d.str("street"), Centre: d.location("lat", "lng")})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list communities: %w", err)
	}
	return out, nil
}
