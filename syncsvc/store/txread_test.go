package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestTxReadsItsOwnWrites: a use case reads and writes in one transaction,
// and its reads see what it wrote before them.
func TestTxReadsItsOwnWrites(t *testing.T) {
	r := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: nil})
	c := testkit.Cadre(1, "sy")
	b := branch.Branch{Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}
	err := r.Update(ctx, func(tx *store.Tx) error {
		if _, err := tx.PutCadre(&c); err != nil {
			return err
		}
		got, err := tx.Cadre(c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Name, got.Name, "the cadre written a moment ago")
		rec, err := tx.Get(store.CadresTable, c.ID)
		require.NoError(t, err)
		assert.Equal(t, c.Name, rec.Values["name"])

		if _, err := tx.PutBranch(&b); err != nil {
			return err
		}
		p := branch.Post{BranchID: b.ID, Role: branch.RoleSecretary, CadreID: c.ID, TermStart: c.RetiredOn}
		if _, err := tx.PutPost(&p); err != nil {
			return err
		}
		posts, err := tx.Posts(b.ID)
		require.NoError(t, err)
		require.Len(t, posts, 1)
		assert.Equal(t, c.ID, posts[0].CadreID)

		m := branch.Membership{CadreID: c.ID, BranchID: b.ID, From: c.RetiredOn}
		if _, err := tx.PutMembership(&m); err != nil {
			return err
		}
		ms, err := tx.Memberships(store.MembershipFilter{CadreID: c.ID})
		require.NoError(t, err)
		require.Len(t, ms, 1, "the membership written in this transaction")
		outside, err := r.Memberships(ctx, store.MembershipFilter{CadreID: c.ID})
		require.NoError(t, err)
		assert.Empty(t, outside, "not seen outside until it commits")
		return nil
	})
	require.NoError(t, err)
	posts, err := r.Posts(ctx, b.ID)
	require.NoError(t, err)
	assert.Len(t, posts, 1, "committed")
}
