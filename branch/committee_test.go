package branch_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

var testBranch = branch.Branch{ID: id("branch"), Name: "舜园社区离退休干部党支部", Kind: branch.KindCommunity, Communities: []string{"sy"}}

// posts gives the first len(roles) members the roles, elected on start.
func posts(members []cadre.Cadre, start cadre.Date, roles ...branch.Role) []branch.Post {
	out := make([]branch.Post, len(roles))
	for i, r := range roles {
		out[i] = branch.Post{ID: id("post/" + string(r)), BranchID: testBranch.ID, CadreID: members[i].ID, Role: r, TermStart: start}
	}
	return out
}

func codes(fs []branch.Finding) []branch.FindingCode {
	out := []branch.FindingCode{}
	for _, f := range fs {
		out = append(out, f.Code)
	}
	return out
}

func TestCheckCommitteeBySize(t *testing.T) {
	start := testkit.Date("2025-06-01")
	on := testkit.Date("2026-11-28")
	committee := []branch.Role{branch.RoleSecretary, branch.RoleOrganisation, branch.RolePublicity, branch.RoleDiscipline}
	for _, tc := range []struct {
		name  string
		full  int
		roles []branch.Role
		want  []branch.FindingCode
	}{
		{"6 full, secretary only", 6, []branch.Role{branch.RoleSecretary}, []branch.FindingCode{}},
		{"6 full, secretary and deputy", 6, []branch.Role{branch.RoleSecretary, branch.RoleDeputy}, []branch.FindingCode{}},
		{"6 full with a committee", 6, committee, []branch.FindingCode{branch.FindingNoCommitteeNeeded}},
		{"6 full, no secretary", 6, nil, []branch.FindingCode{branch.FindingNoSecretary}},
		{"7 full, secretary only", 7, []branch.Role{branch.RoleSecretary},
			[]branch.FindingCode{branch.FindingCommitteeTooSmall, branch.FindingRoleVacant, branch.FindingRoleVacant, branch.FindingRoleVacant}},
		{"7 full, committee of 3", 7, []branch.Role{branch.RoleSecretary, branch.RoleOrganisation, branch.RolePublicity},
			[]branch.FindingCode{branch.FindingRoleVacant}},
		{"7 full, committee of 4", 7, committee, []branch.FindingCode{}},
		{"7 full, committee of 5", 7, append(committee, branch.RoleDeputy), []branch.FindingCode{}},
	} {
		members := people("sy", 10, tc.full)
		fs := branch.CheckCommittee(testBranch, members, posts(members, start, tc.roles...), on, branch.DefaultCommitteeSettings())
		assert.Equal(t, tc.want, codes(fs), tc.name)
	}
}

func TestCheckCommitteeUpperSizes(t *testing.T) {
	members := people("sy", 20, 20)
	s := branch.DefaultCommitteeSettings()
	on := testkit.Date("2026-11-28")
	for _, tc := range []struct {
		size int
		want []branch.FindingCode
	}{
		{5, []branch.FindingCode{}},
		{6, []branch.FindingCode{branch.FindingCommitteeLarge}},
		{7, []branch.FindingCode{branch.FindingCommitteeLarge}},
		{8, []branch.FindingCode{branch.FindingCommitteeTooLarge}},
	} {
		ps := posts(members, testkit.Date("2025-06-01"), branch.RoleSecretary, branch.RoleDeputy, branch.RoleOrganisation, branch.RolePublicity, branch.RoleDiscipline)
		// Committee members beyond the five posts hold a second deputy post
		// each, which is itself a finding; count only the size findings.
		for i := 5; i < tc.size; i++ {
			ps = append(ps, branch.Post{ID: id("extra"), BranchID: testBranch.ID, CadreID: members[i].ID, Role: branch.RoleDeputy, TermStart: testkit.Date("2025-06-01")})
		}
		var got []branch.FindingCode
		for _, c := range codes(branch.CheckCommittee(testBranch, members, ps, on, s)) {
			if c != branch.FindingRoleDuplicated {
				got = append(got, c)
			}
		}
		if got == nil {
			got = []branch.FindingCode{}
		}
		assert.Equal(t, tc.want, got, "size %d", tc.size)
	}
}

func TestCheckCommitteeHolders(t *testing.T) {
	members := people("sy", 5, 4) // the fifth is probationary
	outsider := person("outsider", "sy", cadre.PartyFull)
	dead := members[1]
	dead.Status, dead.StatusOn = cadre.StatusDeceased, testkit.Date("2026-01-01")
	members[1] = dead
	start := testkit.Date("2025-06-01")
	ps := []branch.Post{
		{ID: id("1"), BranchID: testBranch.ID, CadreID: members[4].ID, Role: branch.RoleSecretary, TermStart: start},
		{ID: id("2"), BranchID: testBranch.ID, CadreID: outsider.ID, Role: branch.RoleDeputy, TermStart: start},
		{ID: id("3"), BranchID: testBranch.ID, CadreID: dead.ID, Role: branch.RoleDeputy, TermStart: start},
		{ID: id("4"), BranchID: id("other"), CadreID: members[0].ID, Role: branch.RoleSecretary, TermStart: start},
		{ID: id("5"), BranchID: testBranch.ID, CadreID: members[0].ID, Role: branch.RoleSecretary, TermStart: testkit.Date("2022-01-01"), EndedOn: start},
	}
	fs := branch.CheckCommittee(testBranch, members, ps, testkit.Date("2026-11-28"), branch.DefaultCommitteeSettings())
	// The two deputies are no members on the roll: their posts are vacant,
	// so the post is not held twice.
	assert.Equal(t, []branch.FindingCode{branch.FindingHolderNotMember, branch.FindingHolderNotMember, branch.FindingHolderNotFull}, codes(fs))
	for _, f := range fs {
		assert.Equal(t, branch.SeverityProblem, f.Severity)
	}
	assert.Equal(t, members[4].ID, fs[2].CadreID)
	assert.Contains(t, fs[2].Text.Zh, "预备党员")
}

func TestCheckCommitteeTerm(t *testing.T) {
	members := people("sy", 5, 5)
	ps := posts(members, testkit.Date("2023-12-01"), branch.RoleSecretary)
	// A by-election does not start a new term.
	ps = append(ps, branch.Post{ID: id("by"), BranchID: testBranch.ID, CadreID: members[1].ID, Role: branch.RoleDeputy, TermStart: testkit.Date("2025-03-01")})
	end := testkit.Date("2026-12-01")
	for _, tc := range []struct {
		on   cadre.Date
		want []branch.FindingCode
	}{
		{end.AddDays(-91), []branch.FindingCode{}},
		{end.AddDays(-90), []branch.FindingCode{branch.FindingElectionDue}},
		{end.AddDays(-1), []branch.FindingCode{branch.FindingElectionDue}},
		{end, []branch.FindingCode{branch.FindingTermExpired}},
		{end.AddDays(400), []branch.FindingCode{branch.FindingTermExpired}},
	} {
		fs := branch.CheckCommittee(testBranch, members, ps, tc.on, branch.DefaultCommitteeSettings())
		require.Equal(t, tc.want, codes(fs), "on %s", tc.on)
		if len(fs) > 0 {
			assert.Equal(t, end, fs[0].Due)
		}
	}
	s := branch.DefaultCommitteeSettings()
	s.TermYears = 5
	assert.Empty(t, branch.CheckCommittee(testBranch, members, ps, end, s), "a five-year term runs on")
}

func TestCheckCommitteeDeadSecretary(t *testing.T) {
	members := people("sy", 4, 4)
	dead := members[0]
	dead.Status, dead.StatusOn = cadre.StatusDeceased, testkit.Date("2026-08-15")
	members[0] = dead
	ps := []branch.Post{{ID: id("1"), BranchID: testBranch.ID, CadreID: dead.ID, Role: branch.RoleSecretary, TermStart: testkit.Date("2025-06-01")}}
	fs := branch.CheckCommittee(testBranch, members, ps, testkit.Date("2026-11-28"), branch.DefaultCommitteeSettings())
	assert.Contains(t, codes(fs), branch.FindingHolderNotMember)
	assert.Contains(t, codes(fs), branch.FindingNoSecretary, "a secretary who died leaves the post vacant")
}
