package branch_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// A cadre belongs to one branch at a time: a membership that shares even
// one day with another of the same cadre overlaps; one that begins on the
// day the other ends (a move) does not, nor does another cadre's.
func TestCheckOverlap(t *testing.T) {
	day := func(s string) cadre.Date { d, err := cadre.ParseDate(s); require.NoError(t, err); return d }
	who := uuid.New()
	old := branch.Membership{ID: uuid.New(), CadreID: who, BranchID: uuid.New(), From: day("2020-01-01"), To: day("2024-06-01")}
	open := branch.Membership{ID: uuid.New(), CadreID: who, BranchID: uuid.New(), From: day("2024-06-01")}

	assert.NoError(t, branch.CheckOverlap(open, []branch.Membership{old, open}), "a move: the next begins the day the last ends")
	early := open
	early.ID, early.From = uuid.New(), day("2024-05-31")
	err := branch.CheckOverlap(early, []branch.Membership{old})
	require.ErrorIs(t, err, branch.ErrMembershipOverlap, "one day shared")
	assert.Contains(t, err.Error(), old.ID.String(), "names the membership overlapped")
	other := early
	other.CadreID = uuid.New()
	assert.NoError(t, branch.CheckOverlap(other, []branch.Membership{old}), "another cadre's membership")
	assert.ErrorIs(t, branch.CheckOverlap(early, []branch.Membership{open}), branch.ErrMembershipOverlap, "an open membership covers every later day")
}
