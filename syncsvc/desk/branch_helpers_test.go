package desk_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// branchNow is the fixed clock of the branch tests: 28 November 2026.
var branchNow = time.Date(2026, 11, 28, 9, 0, 0, 0, syncsvc.Shanghai())

// branchToday is branchNow's date.
var branchToday = cadre.DateOf(branchNow)

// openBranchReplica opens a replica of role in t.TempDir() whose clock is
// now (branchNow when nil).
func openBranchReplica(t testing.TB, role syncsvc.Role, now func() time.Time) *store.Replica {
	t.Helper()
	if now == nil {
		now = func() time.Time { return branchNow }
	}
	r, err := store.Open(context.Background(), filepath.Join(t.TempDir(), string(role)+".db"), syncsvc.Options{Role: role, Now: now})
	require.NoError(t, err)
	t.Cleanup(func() { r.Close() })
	return r
}

// branchIDNumber returns a valid ID number; n picks the birth date and
// sequence.
func branchIDNumber(t testing.TB, n int) string {
	t.Helper()
	born := cadre.NewDate(1930, 1, 1).AddDays(n * 37 % 12000)
	first17 := fmt.Sprintf("370102%04d%02d%02d%03d", born.Year, born.Month, born.Day, 100+n%900)
	c, err := cadre.IDCheckChar(first17)
	require.NoError(t, err)
	return first17 + string(c)
}

// putBranchCadre stores a valid cadre named name, a full Party member in
// community, and returns it.
func putBranchCadre(t testing.TB, r *store.Replica, n int, name, community string) cadre.Cadre {
	t.Helper()
	c := cadre.Cadre{Name: name, IDNumber: branchIDNumber(t, n), Category: cadre.Tuixiu, Rank: cadre.RankSection,
		Party: cadre.PartyFull, Health: cadre.HealthGood, Living: cadre.LivingSpouse, Community: community, PensionFen: 600_000}
	c.Normalize()
	c.RetiredOn = c.BirthDate.AddDays(60 * 365)
	_, err := r.PutCadre(context.Background(), &c)
	require.NoError(t, err)
	return c
}

// putBranch stores a community branch of community sy and its members,
// each from 2020-01-01.
func putBranch(t testing.TB, r *store.Replica, members ...cadre.Cadre) branch.Branch {
	t.Helper()
	ctx := context.Background()
	b := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}, FoundedOn: cadre.NewDate(2019, 7, 1)}
	_, err := r.PutBranch(ctx, &b)
	require.NoError(t, err)
	for _, c := range members {
		m := branch.Membership{CadreID: c.ID, BranchID: b.ID, From: cadre.NewDate(2020, 1, 1)}
		_, err := r.PutMembership(ctx, &m)
		require.NoError(t, err)
	}
	return b
}

// putPost stores a post.
func putPost(t testing.TB, r *store.Replica, p branch.Post) branch.Post {
	t.Helper()
	_, err := r.PutPost(context.Background(), &p)
	require.NoError(t, err)
	return p
}

// branchMonth parses a YYYY-MM month.
func branchMonth(t testing.TB, s string) branch.Month {
	t.Helper()
	m, err := branch.ParseMonth(s)
	require.NoError(t, err)
	return m
}
