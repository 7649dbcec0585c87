package desk_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/venue"
)

func TestCoverage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleHub, nil)
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园", Centre: &cadre.Location{Lat: 36.66, Lng: 117.02}}))
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "dm", Name: "东门", Centre: &cadre.Location{Lat: 36.70, Lng: 117.10}}))
	_, err := r.PutEnrolment(ctx, &venue.Enrolment{Community: "sy", Stage: venue.StagePilot, Since: cadre.NewDate(2026, 1, 1)})
	require.NoError(t, err)
	for i := range 3 {
		c := putBranchCadre(t, r, i+1, "离休干部", "sy")
		c.Category = cadre.Lixiu
		c.Address = "舜园小区"
		c.Location = &cadre.Location{Lat: 36.6601, Lng: 117.0201}
		_, err := r.PutCadre(ctx, &c)
		require.NoError(t, err)
	}
	putBranchCadre(t, r, 9, "东门干部", "dm")

	_, err = desk.Coverage(ctx, r, desk.CoverageInput{Community: "zz", On: branchToday})
	assert.ErrorIs(t, err, desk.ErrUnknownCommunity)

	all, err := desk.Coverage(ctx, r, desk.CoverageInput{On: branchToday})
	require.NoError(t, err)
	assert.Equal(t, 4, all.Report.Cadres)
	assert.Equal(t, 3, all.Report.Eligible, "the 离休 cadres of the enrolled community")
	assert.Equal(t, "东门", all.CommunityNames["dm"])
	assert.Positive(t, all.RadiusMetres)
	assert.Empty(t, all.Sites, "no sites without Sites")

	sy, err := desk.Coverage(ctx, r, desk.CoverageInput{Community: "sy", On: branchToday, Sites: 2})
	require.NoError(t, err)
	assert.Equal(t, 3, sy.Report.Cadres, "one community only")
	require.Len(t, sy.Sites, len(venue.AllServices()))
	for _, ss := range sy.Sites {
		assert.Equal(t, 3, ss.Uncovered, "no venue: every located cadre is out of reach of %s", ss.Service)
		require.Len(t, ss.Sites, 1, "one home covers all three")
		assert.Equal(t, 3, len(ss.Sites[0].Site.Cadres))
		assert.Equal(t, "sy", ss.Sites[0].NearestCommunity)
	}
}
