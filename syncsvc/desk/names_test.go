package desk_test

import (
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// TestResolveCadreByName: a name only one cadre has names that cadre; a
// name two cadres share is refused with both, told apart by community,
// birth year and masked ID number, each with a reference that names it
// alone.
func TestResolveCadreByName(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	var twins []cadre.Cadre
	for i, community := range []string{"shunyuan", "dongfeng"} {
		c := testkit.Cadre(20+i, community)
		c.Name = "张志强"
		saved, err := desk.RegisterCadre(ctx, r, allFields(c))
		require.NoError(t, err)
		twins = append(twins, saved.Cadre)
	}
	alone := register(t, r, 30, "shunyuan")

	got, err := desk.FindCadre(ctx, r, " "+alone.Name+" ")
	require.NoError(t, err)
	assert.Equal(t, alone.ID, got.ID)

	_, err = desk.FindCadre(ctx, r, "张 志强")
	var re *desk.RefError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, syncsvc.ErrAmbiguous)
	assert.Equal(t, desk.ByName, re.By)
	require.Len(t, re.Candidates, 2)
	seen := map[uuid.UUID]bool{}
	for _, m := range re.Candidates {
		seen[m.ID] = true
		var want cadre.Cadre
		for _, c := range twins {
			if c.ID == m.ID {
				want = c
			}
		}
		assert.Equal(t, want.Community, m.Community)
		assert.Equal(t, want.BirthDate.Year, m.BirthYear)
		assert.Equal(t, cadre.MaskIDNumber(want.IDNumber), m.MaskedIDNumber)
		assert.NotContains(t, m.MaskedIDNumber, want.IDNumber[6:14], "the ID number is masked")
		assert.GreaterOrEqual(t, len(m.Ref), desk.MinRefLen)
		assert.True(t, strings.HasPrefix(m.ID.String(), m.Ref), "the ref is a prefix of the UUID")
		back, err := desk.FindCadre(ctx, r, m.Ref)
		require.NoError(t, err, "the ref %s names one cadre", m.Ref)
		assert.Equal(t, m.ID, back.ID)
	}
	assert.Len(t, seen, 2)

	names, err := desk.LoadNames(ctx, r, desk.KindCadre)
	require.NoError(t, err)
	assert.Equal(t, alone.Name, names.Ref(alone.ID), "a unique name is what to type")
	assert.True(t, strings.HasPrefix(twins[0].ID.String(), names.Ref(twins[0].ID)))
	assert.Empty(t, names.Ref(uuid.New()))
}

// TestResolvePrefixesOfRecordsMadeTogether: UUID v7 ids made in the same
// minute share their first 8 characters and more; what to type for each
// is the shortest prefix no other record shares, and it resolves back.
func TestResolvePrefixesOfRecordsMadeTogether(t *testing.T) {
	r := openReplica(t, syncsvc.RoleHub)
	ids := []string{
		"0190aaaa-bbbb-7000-8000-000000000001",
		"0190aaaa-bbbb-7000-8000-000000000002",
		"0190aaaa-cccc-7000-8000-000000000003",
		"0190ffff-0000-7000-8000-000000000004",
	}
	for i, id := range ids {
		h := care.Helper{ID: uuid.MustParse(id), Name: []string{"刘洋", "刘洋", "陈静", "周敏"}[i], ActiveFrom: cadre.NewDate(2026, 1, 1)}
		_, err := r.PutHelper(ctx, &h)
		require.NoError(t, err)
	}
	names, err := desk.LoadNames(ctx, r, desk.KindHelper)
	require.NoError(t, err)
	m, ok := names.Match(uuid.MustParse(ids[0]))
	require.True(t, ok)
	assert.Equal(t, ids[0], m.Ref, "two ids that differ only in the last character need all of it")
	m, _ = names.Match(uuid.MustParse(ids[2]))
	assert.Equal(t, "0190aaaa-c", m.IDRef)
	assert.Equal(t, "陈静", m.Ref, "a unique name is shorter to type")
	m, _ = names.Match(uuid.MustParse(ids[3]))
	assert.Equal(t, "0190ffff", m.IDRef, "never fewer than 8 characters")

	_, err = desk.Resolve(ctx, r, desk.KindHelper, "0190aaaa")
	var re *desk.RefError
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, syncsvc.ErrAmbiguous)
	require.Len(t, re.Candidates, 3, "every record the prefix starts")
	for _, c := range re.Candidates {
		got, err := desk.Resolve(ctx, r, desk.KindHelper, c.Ref)
		require.NoError(t, err, c.Ref)
		assert.Equal(t, c.ID, got.ID)
	}

	got, err := desk.Resolve(ctx, r, desk.KindHelper, "周敏")
	require.NoError(t, err)
	assert.Equal(t, ids[3], got.ID.String())
	_, err = desk.Resolve(ctx, r, desk.KindHelper, "刘洋")
	require.ErrorAs(t, err, &re)
	assert.Equal(t, []uuid.UUID{uuid.MustParse(ids[0]), uuid.MustParse(ids[1])}, re.Matches)
	_, err = desk.Resolve(ctx, r, desk.KindHelper, "王五")
	assert.ErrorIs(t, err, syncsvc.ErrNotFound)
}

// TestSearchCadresByPinyinInitials: zzq finds 张志强 and not 王建国; a
// character that reads two ways (曾) matches by either reading.
func TestSearchCadresByPinyinInitials(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	for i, name := range []string{"张志强", "王建国", "曾志强", "Anna 张"} {
		c := testkit.Cadre(40+i, "shunyuan")
		c.Name = name
		_, err := desk.RegisterCadre(ctx, r, allFields(c))
		require.NoError(t, err)
	}
	names := func(q string) []string {
		s, err := desk.SearchCadres(ctx, r, q, 0)
		require.NoError(t, err)
		var out []string
		for _, c := range s.Cadres {
			out = append(out, c.Name)
		}
		assert.Equal(t, len(out), s.Total)
		return out
	}
	assert.ElementsMatch(t, []string{"张志强", "曾志强"}, names("zzq"), "曾 reads zēng")
	assert.ElementsMatch(t, []string{"张志强", "曾志强"}, names("ZZQ"), "in capitals too")
	assert.ElementsMatch(t, []string{"张志强", "曾志强"}, names("zq"), "a run inside the name")
	assert.Equal(t, []string{"曾志强"}, names("czq"), "曾 reads céng as well as zēng")
	assert.Equal(t, []string{"王建国"}, names("wjg"))
	assert.Equal(t, []string{"Anna 张"}, names("az"))
	assert.Empty(t, names("xyz"))
	assert.Equal(t, []string{"王建国"}, names("建 国"), "part of the name, spaces aside")
}

// TestSearchCadresSaysWhenItShowsPart: a search shows at most its limit
// and counts every match.
func TestSearchCadresSaysWhenItShowsPart(t *testing.T) {
	r := openReplica(t, syncsvc.RoleOffice)
	for i := range 7 {
		register(t, r, 50+i, "shunyuan")
	}
	s, err := desk.SearchCadres(ctx, r, "测试", 5)
	require.NoError(t, err)
	assert.Len(t, s.Cadres, 5)
	assert.Equal(t, 7, s.Total)
	assert.True(t, s.Partial())
	s, err = desk.SearchCadres(ctx, r, "测试", 0)
	require.NoError(t, err)
	assert.Equal(t, desk.DefaultSearchLimit, s.Limit)
	assert.Len(t, s.Cadres, 7)
	assert.False(t, s.Partial())
}
