package desk

import (
	"context"
	"fmt"
	"slices"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// CommunityInput creates or completes a community at the hub.
type CommunityInput struct {
	// Code is the community's code.
	Code string
	// Name, Street and Centre are the values of the fields named in Set.
	Name, Street string
	Centre       *cadre.Location
	// Set names the fields given: "name", "street", "centre". The others
	// keep what the community has.
	Set []string
}

// SetCommunity creates a community, or changes the fields in.Set names of
// one, and returns it as stored. An invalid code or name wraps
// syncsvc.ErrInvalidChange or cadre.ErrInvalid.
func SetCommunity(ctx context.Context, rep *store.Replica, in CommunityInput) (store.Community, error) {
	all, err := rep.Communities(ctx)
	if err != nil {
		return store.Community{}, fmt.Errorf("set community %s: %w", in.Code, err)
	}
	next := store.Community{Code: in.Code}
	if i := slices.IndexFunc(all, func(c store.Community) bool { return c.Code == in.Code }); i >= 0 {
		next = all[i]
	}
	if slices.Contains(in.Set, "name") {
		next.Name = in.Name
	}
	if slices.Contains(in.Set, "street") {
		next.Street = in.Street
	}
	if slices.Contains(in.Set, "centre") {
		next.Centre = in.Centre
	}
	if err := rep.SetCommunity(ctx, next); err != nil {
		return next, fmt.Errorf("set community %s: %w", in.Code, err)
	}
	return next, nil
}
