package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

func TestDuplicateRegistrations(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hubR := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	sy, _, err := hubR.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	gsq, _, err := hubR.AddOffice(ctx, "gsq", "杆石桥", []string{"gsq"})
	require.NoError(t, err)
	a := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clk.Now})
	b := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clk.Now})

	// Both offices register the same person, offline; gsq records a visit.
	ca, cb := testkit.Cadre(7, "sy"), testkit.Cadre(7, "gsq")
	_, err = a.PutCadre(ctx, &ca)
	require.NoError(t, err)
	_, err = b.PutCadre(ctx, &cb)
	require.NoError(t, err)
	visit := care.Visit{CadreID: cb.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 11, 20), Notes: "入户"}
	_, err = b.PutVisit(ctx, &visit)
	require.NoError(t, err)
	for _, o := range []struct {
		r *store.Replica
		o syncsvc.Office
	}{{a, sy}, {b, gsq}} {
		out, err := o.r.Outbox(ctx, 100)
		require.NoError(t, err)
		res, err := hub.Push(ctx, o.o, o.r.Node(), out)
		require.NoError(t, err)
		require.Empty(t, res.Refused)
	}

	groups, err := hubR.Duplicates(ctx)
	require.NoError(t, err)
	require.Len(t, groups, 1)
	require.Len(t, groups[0].Entries, 2)
	byOffice := map[string]store.DuplicateEntry{}
	for _, e := range groups[0].Entries {
		byOffice[e.Office] = e
	}
	assert.Equal(t, ca.ID, byOffice["sy"].Cadre.ID)
	assert.Equal(t, cb.ID, byOffice["gsq"].Cadre.ID)
	assert.Equal(t, 1, byOffice["gsq"].Records, "the visit")

	before, err := hubR.LastSeq(ctx)
	require.NoError(t, err)
	_, err = hubR.ResolveDuplicate(ctx, ca.ID, ca.ID, "x")
	require.ErrorIs(t, err, store.ErrNotDuplicate)
	other := testkit.Cadre(8, "sy")
	_, err = hubR.PutCadre(ctx, &other)
	require.NoError(t, err)
	_, err = hubR.ResolveDuplicate(ctx, ca.ID, other.ID, "x")
	require.ErrorIs(t, err, store.ErrNotDuplicate, "different ID numbers")

	n, err := hubR.ResolveDuplicate(ctx, ca.ID, cb.ID, "舜园已登记，重复")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	_, err = hubR.Cadre(ctx, cb.ID)
	require.ErrorIs(t, err, syncsvc.ErrVoided)
	vs, err := hubR.Visits(ctx, store.VisitFilter{CadreID: ca.ID})
	require.NoError(t, err)
	require.Len(t, vs, 1, "the visit now refers to the record kept")
	rec, err := hubR.Get(ctx, store.VisitsTable, visit.ID)
	require.NoError(t, err)
	assert.Equal(t, "sy", rec.Scope, "and moved to its community")
	after, err := hubR.LastSeq(ctx)
	require.NoError(t, err)
	assert.Greater(t, after, before, "ordinary writes, in the district sequence")

	groups, err = hubR.Duplicates(ctx)
	require.NoError(t, err)
	assert.Empty(t, groups)
	assert.NotNil(t, groups)

	// sy's office receives the visit on its next pull.
	page, err := hub.Pull(ctx, sy, a.Node(), 0, 100)
	require.NoError(t, err)
	_, err = a.Apply(ctx, page.Changes, syncsvc.ApplyOptions{Source: "pull", Through: page.Next, Scopes: sy.Scopes()})
	require.NoError(t, err)
	vs, err = a.Visits(ctx, store.VisitFilter{CadreID: ca.ID})
	require.NoError(t, err)
	assert.Len(t, vs, 1)
}
