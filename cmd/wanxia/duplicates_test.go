package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// TestDuplicateListAndResolve: two offices register one person; the hub
// lists the two records side by side, and resolving keeps one, voids the
// other and moves its visit.
func TestDuplicateListAndResolve(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := newHubDB(t, dir)
	hubR, err := store.Open(ctx, db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	number := testkit.IDNumberFor("370102", "19450312", 21)
	var ids []string
	var visitID string
	for _, code := range []string{"sy", "gsq"} {
		o, _, err := hubR.AddOffice(ctx, code, code+"办公室", []string{code})
		require.NoError(t, err)
		r, err := store.Open(ctx, filepath.Join(dir, code+".db"), syncsvc.Options{})
		require.NoError(t, err)
		c := cadre.Cadre{Name: "王建国", IDNumber: number, Category: cadre.Tuixiu, Rank: cadre.RankSection, RetiredOn: cadre.NewDate(2005, 4, 1), Party: cadre.PartyFull, Health: cadre.HealthGood,
			Living: cadre.LivingSpouse, Community: code, Phone: "0531-1234567"}
		c.Normalize()
		_, err = r.PutCadre(ctx, &c)
		require.NoError(t, err)
		ids = append(ids, c.ID.String())
		if code == "gsq" {
			v := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 11, 1)}
			_, err = r.PutVisit(ctx, &v)
			require.NoError(t, err)
			visitID = v.ID.String()
		}
		out, err := r.Outbox(ctx, 100)
		require.NoError(t, err)
		_, err = hub.Push(ctx, o, r.Node(), out)
		require.NoError(t, err)
		require.NoError(t, r.Close())
	}
	require.NoError(t, hubR.Close())

	out := ok(t, hubArgs(db, "duplicate", "list")...)
	assert.Contains(t, out, "登记了 2 次")
	assert.Contains(t, out, ids[0])
	assert.Contains(t, out, ids[1])
	assert.NotContains(t, out, number, "ID numbers are masked")
	var groups [][]duplicateEntryJSON
	okJSON(t, &groups, hubArgs(db, "duplicate", "list")...)
	require.Len(t, groups, 1)
	require.Len(t, groups[0], 2)
	offices := map[string]int{}
	for _, e := range groups[0] {
		offices[e.Office] = e.Records
	}
	assert.Equal(t, map[string]int{"sy": 0, "gsq": 1}, offices)

	res := wx(t, hubArgs(db, "duplicate", "resolve", ids[0])...)
	assert.Equal(t, 2, res.code, "--void and --reason are required")
	out = ok(t, hubArgs(db, "duplicate", "resolve", ids[0], "--void", ids[1], "--reason", "舜园已登记")...)
	assert.Contains(t, out, "1 条相关记录已转到保留的登记")
	assert.Contains(t, ok(t, hubArgs(db, "duplicate", "list")...), "没有重复登记")
	res = wx(t, hubArgs(db, "duplicate", "resolve", ids[0], "--void", ids[1], "--reason", "again")...)
	assert.Equal(t, 1, res.code, "the voided record is gone")

	hubR, err = store.Open(ctx, db, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(t, err)
	defer hubR.Close()
	rec, err := hubR.Get(ctx, store.VisitsTable, mustUUID(t, visitID))
	require.NoError(t, err)
	assert.Equal(t, ids[0], rec.Values["cadre_id"])
	assert.Equal(t, "sy", rec.Scope)
}

func mustUUID(t *testing.T, s string) uuid.UUID {
	t.Helper()
	id, err := uuid.Parse(s)
	require.NoError(t, err)
	return id
}
