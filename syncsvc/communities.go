package syncsvc

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
)

// CommunitiesTable is the record type name of communities.
const CommunitiesTable = "communities"

// CommunityType declares communities: district data that every office
// reads and only the hub writes. A community's record id is derived from
// its code, so registering a code twice, anywhere, names one record.
func CommunityType() RecordType {
	return RecordType{
		Name: CommunitiesTable,
		Fields: []Field{
			Col("code", Text),
			Col("name", Text),
			Col("street", Text),
			Register("centre", Column{"lat", Real}, Column{"lng", Real}),
		},
		Scope:   ScopeDistrict(),
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
func (w *writeTx) registerCommunity(code string) error {
	t := w.r.tables[CommunitiesTable]
	row, err := w.row(t, CommunityID(code))
	if err != nil || row.exists {
		return err
	}
	_, err = w.put(t, row.id, map[string]any{"code": code, "name": code})
	return err
}

// SetCommunity creates or completes a community (hub only).
func (r *Replica) SetCommunity(ctx context.Context, c Community) error {
	if err := r.requireHub(); err != nil {
		return err
	}
	if err := cadre.ValidateCommunityCode(c.Code); err != nil {
		return fmt.Errorf("set community: %w", err)
	}
	if c.Centre != nil && !c.Centre.Valid() {
		return fmt.Errorf("set community %s: %w: latitude within ±90, longitude within ±180", c.Code, ErrInvalidChange)
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
	return r.communities(ctx, r.rdb)
}

func (r *Replica) communities(ctx context.Context, q querier) ([]Community, error) {
	rows, err := scanRows(ctx, q, r.tables[CommunitiesTable], "WHERE _void IS NULL ORDER BY code")
	if err != nil {
		return nil, fmt.Errorf("list communities: %w", err)
	}
	out := make([]Community, 0, len(rows))
	for _, row := range rows {
		c := Community{Code: row.str("code"), Name: row.str("name"), Street: row.str("street")}
		lat, ok1 := row.col("lat").(float64)
		lng, ok2 := row.col("lng").(float64)
		if ok1 && ok2 {
			c.Centre = &cadre.Location{Lat: lat, Lng: lng}
		}
		out = append(out, c)
	}
	return out, nil
}
