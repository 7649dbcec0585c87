package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/wanxia/wanxia/cadre"
)

// CadrePage is one page of the live cadres a filter selects, by community
// then name, with how many it selects in all.
type CadrePage struct {
	Cadres []cadre.Cadre
	Total  int
}

// CadresPage reads the cadres of f (and of category, when given) from
// offset, at most limit, without reading the others: a list's page from
// an office of tens of thousands of cadres.
func (r *Replica) CadresPage(ctx context.Context, f CadreFilter, category cadre.Category, offset, limit int) (CadrePage, error) {
	rd := r.Read(ctx)
	var conds []string
	var args []any
	if f.Community != "" {
		conds, args = append(conds, "community=?"), append(args, f.Community)
	}
	if f.Status != "" {
		conds, args = append(conds, "status=?"), append(args, string(f.Status))
	}
	if category != "" {
		conds, args = append(conds, "category=?"), append(args, string(category))
	}
	where := strings.Join(append(conds, "1=1"), " AND ")
	var out CadrePage
	if err := rd.rd.QueryRow(`SELECT COUNT(*) FROM `+CadresTable+` WHERE _void IS NULL AND `+where, args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count cadres: %w", err)
	}
	cs, err := cadres(rd.rd, where+" ORDER BY community, name, id LIMIT ? OFFSET ?", append(args, limit, offset)...)
	out.Cadres = cs
	return out, err
}

// CadreCommunities lists the communities of the live cadres held, sorted.
func (r *Replica) CadreCommunities(ctx context.Context) ([]string, error) {
	rows, err := r.Read(ctx).rd.QueryRows(`SELECT DISTINCT community FROM ` + CadresTable + ` WHERE _void IS NULL ORDER BY community`)
	if err != nil {
		return nil, fmt.Errorf("communities of cadres: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("communities of cadres: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CountCadres counts the live cadres held.
func (r *Replica) CountCadres(ctx context.Context) (int, error) {
	var n int
	if err := r.Read(ctx).rd.QueryRow(`SELECT COUNT(*) FROM ` + CadresTable + ` WHERE _void IS NULL`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count cadres: %w", err)
	}
	return n, nil
}

// Members reads the live cadres who have a Party branch membership held
// here (past or present), without reading the others.
func (r *Replica) Members(ctx context.Context) ([]cadre.Cadre, error) {
	return cadres(r.Read(ctx).rd, `id IN (SELECT cadre_id FROM `+MembershipsTable+` WHERE _void IS NULL) ORDER BY community, name, id`)
}
