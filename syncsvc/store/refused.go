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

// ResubmitCadre corrects a refused cadre and sends it again in one change:
// c is validated as PutCadre validates it (the community too), and the
// record is written as Resubmit writes it, with c's values.
func (r *Replica) ResubmitCadre(ctx context.Context, c *cadre.Cadre) (res syncsvc.ResubmitResult, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		res, err = tx.ResubmitCadre(c)
		return err
	})
	return res, err
}

// ResubmitCadre is Replica.ResubmitCadre within the transaction.
func (tx *Tx) ResubmitCadre(c *cadre.Cadre) (syncsvc.ResubmitResult, error) {
	res, err := resubmitCadre(tx.Tx, c)
	if err != nil {
		return syncsvc.ResubmitResult{}, fmt.Errorf("correct and resend cadre %s: %w", c.ID, err)
	}
	return res, nil
}

func resubmitCadre(tx *syncsvc.Tx, c *cadre.Cadre) (syncsvc.ResubmitResult, error) {
	if err := c.Validate(tx.Now()); err != nil {
		return syncsvc.ResubmitResult{}, err
	}
	if err := checkOfficeCommunity(tx, c, true); err != nil {
		return syncsvc.ResubmitResult{}, err
	}
	res, err := tx.Resubmit(CadresTable, c.ID, cadreValues(c))
	if err != nil {
		return syncsvc.ResubmitResult{}, err
	}
	if err := endMemberships(tx, *c); err != nil {
		return syncsvc.ResubmitResult{}, err
	}
	return res, endPairs(tx, *c)
}

// checkOfficeCommunity refuses, on an office that knows its communities,
// a cadre typed into a community that is not the office's: a new cadre
// must be in one of them, and an edit may move a cadre to another
// community (a transfer, 组织关系随人走) unless the office holds that
// community's record voided. An office holds the records of its own
// communities only, not the district's whole registry (syncsvc.ScopeRule.Names): whether the district has
// registered another community is the hub's to judge, which refuses a
// move to one it has not. The problem is a *cadre.ValidationError on the
// field community, naming the office's communities, wrapping
// ErrOutOfScope. Unless strict, an edit that keeps the community the
// record already has is not refused for it (a record the hub refused stays
// editable); a resend is strict.
func checkOfficeCommunity(tx *syncsvc.Tx, c *cadre.Cadre, strict bool) error {
	if tx.Role() != syncsvc.RoleOffice {
		return nil
	}
	own, err := tx.OfficeScopes()
	if err != nil {
		return err
	}
	if len(own) == 0 || syncsvc.ScopeOverlaps(c.Community, own) {
		return nil
	}
	known := false
	if c.ID != uuid.Nil {
		rec, err := tx.Get(CadresTable, c.ID)
		if err != nil && !errors.Is(err, syncsvc.ErrNotFound) {
			return err
		}
		exists := err == nil
		stored := newFieldReader(rec).str("community")
		if !strict && exists && stored == c.Community {
			return nil // not typed now: kept as it was
		}
		if exists && stored != c.Community {
			// A move: the hub judges a community this office does not hold.
			if known, err = communityNotVoided(tx, c.Community); err != nil {
				return err
			}
		}
	}
	if known {
		return nil
	}
	names := make([]string, 0, len(own))
	for _, code := range own {
		name := code
		rec, err := tx.Get(CommunitiesTable, CommunityID(code))
		if err != nil && !errors.Is(err, syncsvc.ErrNotFound) {
			return err
		}
		if n := newFieldReader(rec).str("name"); err == nil && rec.VoidReason == "" && n != "" && n != code {
			name = code + " " + n
		}
		names = append(names, name)
	}
	var ps cadre.Problems
	ps.AddWorded("community", syncsvc.ErrOutOfScope,
		fmt.Sprintf("%s 不是本办公室的社区（本办公室的社区：%s），请核对社区代码", c.Community, strings.Join(names, "、")),
		fmt.Sprintf("%s is not one of this office's communities (%s): check the community code", c.Community, strings.Join(names, ", ")))
	return ps.Err()
}

// communityNotVoided reports whether a cadre may move to the community
// with the code as far as this replica can tell: false only when it holds
// the community's record voided.
func communityNotVoided(tx *syncsvc.Tx, code string) (bool, error) {
	rec, err := tx.Get(CommunitiesTable, CommunityID(code))
	if errors.Is(err, syncsvc.ErrNotFound) {
		return true, nil
	}
	return err == nil && rec.VoidReason == "", err
}
