package desk_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

func TestProposeAndApplyPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	r := openBranchReplica(t, syncsvc.RoleHub, nil)
	require.NoError(t, r.SetCommunity(ctx, store.Community{Code: "sy", Name: "舜园"}))
	for i, name := range []string{"王建国", "安红", "张伟", "李秀英"} {
		putBranchCadre(t, r, i+1, name, "sy")
	}

	p, err := desk.ProposePlan(ctx, r, desk.PlanInput{On: branchToday})
	require.NoError(t, err)
	assert.Nil(t, p.Written, "a proposal writes nothing")
	require.NotEmpty(t, p.Proposal.Branches)
	assert.Equal(t, "舜园", p.CommunityNames["sy"])
	planned := p.Proposal.Branches[0].Branch
	assert.Equal(t, planned.Name, p.BranchNames[planned.ID], "planned branches are named")
	var names []string
	for _, m := range p.Moves {
		names = append(names, m.Name)
	}
	assert.Equal(t, []string{"安红", "李秀英", "王建国", "张伟"}, names, "moves by destination, then by name in pinyin order")
	bs, err := r.Branches(ctx, "")
	require.NoError(t, err)
	assert.Empty(t, bs)

	a, err := desk.ApplyPlan(ctx, r, desk.PlanInput{On: branchToday})
	require.NoError(t, err)
	require.NotNil(t, a.Written)
	assert.Equal(t, 4, a.Written.MembershipsBegun)
	assert.Equal(t, len(p.Proposal.Branches), a.Written.BranchesCreated)
	ms, err := r.Memberships(ctx, store.MembershipFilter{})
	require.NoError(t, err)
	assert.Len(t, ms, 4)

	again, err := desk.ApplyPlan(ctx, r, desk.PlanInput{On: branchToday})
	require.NoError(t, err)
	assert.Equal(t, store.PlanApplied{}, *again.Written, "a plan in place writes nothing")
	assert.Empty(t, again.Moves)
	assert.Equal(t, branch.BranchUnchanged, again.Proposal.Branches[0].Change)
}
