package branch_test

import (
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
)

// testNS makes the tests' IDs readable and stable.
var testNS = uuid.MustParse("0b8e3a4c-6f1d-4e2a-9c7b-1a2b3c4d5e6f")

// id returns a stable UUID for a name used in a test.
func id(name string) uuid.UUID { return uuid.NewSHA1(testNS, []byte(name)) }

// month parses a month or fails the test.
func month(t testing.TB, s string) branch.Month {
	t.Helper()
	m, err := branch.ParseMonth(s)
	require.NoError(t, err)
	return m
}

var planDay = cadre.NewDate(2026, 11, 28)

// person returns an active cadre with the given party membership.
func person(name, community string, party cadre.Party) cadre.Cadre {
	return cadre.Cadre{
		ID: id(name), Name: name, Party: party, Community: community,
		Status: cadre.StatusActive, Health: cadre.HealthGood, Category: cadre.Tuixiu,
		BirthDate: cadre.NewDate(1946, 5, 1), PensionFen: 400_000,
	}
}

// people returns n members of community, the first full of them full members.
func people(community string, n, full int) []cadre.Cadre {
	out := make([]cadre.Cadre, n)
	for i := range out {
		p := cadre.PartyProbationary
		if i < full {
			p = cadre.PartyFull
		}
		out[i] = person(fmt.Sprintf("%s-%03d", community, i), community, p)
	}
	return out
}

// community returns a community with a centre lat° north on 117° E (0.01° ≈ 1.1 km).
func community(code string, lat float64) branch.Community {
	return branch.Community{Code: code, Name: code + "社区", Centre: &cadre.Location{Lat: lat, Lng: 117}}
}

// memberships puts every cadre into b from from.
func memberships(b uuid.UUID, from cadre.Date, cs ...cadre.Cadre) []branch.Membership {
	out := make([]branch.Membership, len(cs))
	for i, c := range cs {
		out[i] = branch.Membership{ID: id("m/" + c.Name + "/" + b.String()), CadreID: c.ID, BranchID: b, From: from}
	}
	return out
}

// where returns the branch each member is in, and fails on a member in two.
func where(t testing.TB, p branch.Proposal) map[uuid.UUID]branch.PlannedBranch {
	t.Helper()
	out := map[uuid.UUID]branch.PlannedBranch{}
	for _, b := range p.Branches {
		for _, m := range b.Members {
			_, dup := out[m]
			require.False(t, dup, "member %s in two branches", m)
			out[m] = b
		}
	}
	return out
}

// movesOf returns the moves by cadre.
func movesOf(p branch.Proposal) map[uuid.UUID]branch.Move {
	out := map[uuid.UUID]branch.Move{}
	for _, m := range p.Moves {
		out[m.CadreID] = m
	}
	return out
}

func concat[T any](parts ...[]T) []T {
	var out []T
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
