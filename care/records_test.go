package care_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

var asOf = time.Date(2026, 11, 28, 10, 0, 0, 0, shanghai)

func fields(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	return ve.Fields()
}

func TestRecordsValidate(t *testing.T) {
	d := cadre.NewDate
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"helper", helper(1, at(0), 5).Validate(), nil},
		{"helper without name, bad base, capacity, dates",
			care.Helper{Base: &cadre.Location{Lat: 91}, Capacity: -1, ActiveFrom: d(2026, 1, 2), ActiveTo: d(2026, 1, 1)}.Validate(),
			[]string{"name", "base", "capacity", "active_to"}},
		{"pair", pair(1, 2, 3).Validate(), nil},
		{"pair without ids and reason", care.Pair{From: d(2026, 1, 1), To: d(2025, 1, 1), EndReason: "gone"}.Validate(),
			[]string{"helper_id", "cadre_id", "to", "reason", "end_reason"}},
		{"pair with an end reason but no end", care.Pair{HelperID: id(1), CadreID: id(2), From: d(2026, 1, 1), Reason: cadre.NeedLixiu, EndReason: care.EndDuplicate}.Validate(),
			[]string{"end_reason"}},
		{"visit", visit(1, care.VisitHome, d(2026, 11, 28)).Validate(asOf), nil},
		{"visit tomorrow of no kind", care.Visit{CadreID: id(1), On: d(2026, 11, 29)}.Validate(asOf), []string{"kind", "on"}},
		{"stay", care.HospitalStay{CadreID: id(1), Admitted: d(2026, 11, 1), Discharged: d(2026, 11, 1)}.Validate(asOf), nil},
		{"stay discharged before admission", care.HospitalStay{CadreID: id(1), Admitted: d(2026, 11, 2), Discharged: d(2026, 11, 1)}.Validate(asOf),
			[]string{"discharged"}},
		{"open case", care.HelpCase{CadreID: id(1), Kind: care.HelpMedical, Opened: asOf.Add(-time.Hour), Status: care.HelpOpen}.Validate(asOf), nil},
		{"closed case", care.HelpCase{CadreID: id(1), Kind: care.HelpMedical, Opened: asOf.Add(-time.Hour), Status: care.HelpExplained,
			Closed: asOf, Resolution: "no subsidy applies; explained in person"}.Validate(asOf), nil},
		{"closed case without time or resolution",
			care.HelpCase{CadreID: id(1), Kind: care.HelpMedical, Opened: asOf, Status: care.HelpResolved}.Validate(asOf),
			[]string{"closed", "resolution"}},
		{"case with notes too long", care.HelpCase{CadreID: id(1), Kind: care.HelpMedical, Opened: asOf, Status: care.HelpExplained, Closed: asOf,
			Note: strings.Repeat("记", 4001), Resolution: strings.Repeat("解", 4001)}.Validate(asOf),
			[]string{"note", "resolution"}},
		{"open case with a closing time and an action before opening",
			care.HelpCase{CadreID: id(1), Kind: "food", Opened: asOf, FirstActionAt: asOf.Add(-time.Hour), Status: care.HelpOpen, Closed: asOf}.Validate(asOf),
			[]string{"kind", "first_action_at", "closed"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, fields(t, tt.err), tt.name)
	}
}

func TestHelpCaseNote(t *testing.T) {
	c := care.HelpCase{ID: id(9), CadreID: id(1), Kind: care.HelpMedical, Opened: asOf.Add(-48 * time.Hour), Status: care.HelpResolved,
		FirstActionAt: asOf.Add(-47 * time.Hour), Closed: asOf,
		Note:       "需要陪同复查；2026-11-26 11:00 已联系社区医院",
		Resolution: "已安排志愿者陪同"}
	require.NoError(t, c.Validate(asOf))
	c.Note = strings.Repeat("记", 4000)
	assert.NoError(t, c.Validate(asOf), "4000 characters, as for every free text")
	c.Note = "需要陪同复查；2026-11-26 11:00 已联系社区医院"

	b, err := json.Marshal(c)
	require.NoError(t, err)
	var fields map[string]any
	require.NoError(t, json.Unmarshal(b, &fields))
	assert.Equal(t, c.Note, fields["note"])
	assert.Equal(t, c.Resolution, fields["resolution"], "what was asked and how it ended stay apart")
	var back care.HelpCase
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.Opened.Equal(c.Opened) && back.FirstActionAt.Equal(c.FirstActionAt) && back.Closed.Equal(c.Closed))
	back.Opened, back.FirstActionAt, back.Closed = c.Opened, c.FirstActionAt, c.Closed
	assert.Equal(t, c, back)
	assert.NoError(t, back.Validate(asOf))
}

func TestInForce(t *testing.T) {
	p := care.Pair{From: cadre.NewDate(2026, 1, 1), To: cadre.NewDate(2026, 11, 20)}
	assert.False(t, p.InForce(cadre.NewDate(2025, 12, 31)))
	assert.True(t, p.InForce(cadre.NewDate(2026, 1, 1)))
	assert.True(t, p.InForce(cadre.NewDate(2026, 11, 19)))
	assert.False(t, p.InForce(cadre.NewDate(2026, 11, 20)), "a pair ending on the date of death is not in force on it")

	h := helper(1, nil, 0)
	h.ActiveTo = cadre.NewDate(2026, 6, 1)
	assert.True(t, h.Active(cadre.NewDate(2026, 5, 31)))
	assert.False(t, h.Active(cadre.NewDate(2026, 6, 1)))

	s := care.HospitalStay{Admitted: cadre.NewDate(2026, 5, 10), Discharged: cadre.NewDate(2026, 5, 12)}
	assert.True(t, s.In(cadre.NewDate(2026, 5, 11)))
	assert.False(t, s.In(cadre.NewDate(2026, 5, 12)), "the day of discharge is a day at home")
}

func TestEnums(t *testing.T) {
	k, err := care.ParseVisitKind("电话或视频联系")
	require.NoError(t, err)
	assert.Equal(t, care.VisitCall, k)
	assert.Equal(t, "phone or video call", k.Label(cadre.English))
	k, err = care.ParseVisitKind("HOME")
	require.NoError(t, err)
	assert.Equal(t, care.VisitHome, k)
	_, err = care.ParseVisitKind("letter")
	assert.ErrorIs(t, err, cadre.ErrInvalid)

	for _, tc := range []struct {
		s, zh string
		want  care.HelpKind
	}{
		{"经济", "经济", care.HelpEconomic}, {"medical", "医疗", care.HelpMedical},
		{"家政", "家政", care.HelpHousekeeping}, {"Spiritual", "精神", care.HelpSpiritual},
	} {
		got, err := care.ParseHelpKind(tc.s)
		require.NoError(t, err)
		assert.Equal(t, tc.want, got)
		assert.Equal(t, tc.zh, got.Label(cadre.Chinese))
	}

	var c care.HelpCase
	require.NoError(t, json.Unmarshal([]byte(`{"kind":"医疗","status":"已解决"}`), &c))
	assert.Equal(t, care.HelpMedical, c.Kind)
	assert.Equal(t, care.HelpResolved, c.Status)
	assert.True(t, c.Status.Closed())
	assert.Error(t, json.Unmarshal([]byte(`{"kind":"food"}`), &c))

	assert.Equal(t, "春节走访", care.DueSpringFestival.Label(cadre.Chinese))
	assert.Equal(t, "winter warmth visit", care.DueWinter.Label(cadre.English))
	assert.Equal(t, "no helper capacity left", care.UnpairedNoCapacity.Label(cadre.English))
	assert.Equal(t, "干部去世", care.EndCadreDied.Label(cadre.Chinese))
	assert.Equal(t, "unknown", care.DueKind("unknown").Label(cadre.English))

	for _, v := range []care.VisitKind{care.VisitHome, care.VisitCall, care.VisitHospital, care.VisitHoliday, care.VisitBirthday, care.VisitCondolence, care.VisitSeasonal} {
		assert.True(t, v.Valid())
		back, err := care.ParseVisitKind(v.Label(cadre.Chinese))
		require.NoError(t, err)
		assert.Equal(t, v, back)
	}
	assert.True(t, care.DueDischarge.Accepts(care.VisitCall))
	assert.False(t, care.DueDischarge.Accepts(care.VisitHospital))
	assert.True(t, care.DueContact.Accepts(care.VisitHoliday))
	assert.False(t, care.DueHome.Accepts(care.VisitCall))
	assert.False(t, care.DueHome.Accepts(care.VisitCondolence))
}

func TestEndPairs(t *testing.T) {
	c := needy(1, 1, nil)
	ps := []care.Pair{
		{ID: id(10), HelperID: id(100), CadreID: id(1), From: testkit.Date("2025-01-01")},
		{ID: id(11), HelperID: id(101), CadreID: id(1), From: testkit.Date("2024-01-01"), To: testkit.Date("2024-06-01")},
		{ID: id(12), HelperID: id(101), CadreID: id(1), From: testkit.Date("2026-12-01")},
		{ID: id(13), HelperID: id(100), CadreID: id(2), From: testkit.Date("2025-01-01")},
	}
	assert.Empty(t, care.EndPairs(c, ps), "a cadre on the roll keeps the pairs")
	c.Status, c.StatusOn = cadre.StatusDeceased, testkit.Date("2026-11-20")
	got := care.EndPairs(c, ps)
	require.Len(t, got, 2)
	assert.Equal(t, id(10), got[0].ID)
	assert.Equal(t, testkit.Date("2026-11-20"), got[0].To)
	assert.Equal(t, care.EndCadreDied, got[0].EndReason)
	assert.Equal(t, testkit.Date("2026-12-01"), got[1].To, "a pair that began later ends on its first day")
	c.Status = cadre.StatusMoved
	assert.Equal(t, care.EndCadreMoved, care.EndPairs(c, ps)[0].EndReason)
}

// TestUsualVisitSatisfiesItsDue: the visit recorded in one step for a due
// is one of the kinds the due accepts, for every kind of due.
func TestUsualVisitSatisfiesItsDue(t *testing.T) {
	kinds := []care.DueKind{care.DueCondolence, care.DueAdmission, care.DueDischarge, care.DueHospitalMonthly, care.DueHome,
		care.DueContact, care.DueSpringFestival, care.DueDoubleNinth, care.DueWinter, care.DueSummer, care.DueBirthday}
	for _, k := range kinds {
		require.True(t, k.Valid(), k)
		assert.True(t, k.Accepts(k.Usual()), "%s: usual %s", k, k.Usual())
	}
	assert.Equal(t, care.VisitCall, care.DueContact.Usual())
	assert.Equal(t, care.VisitHome, care.DueHome.Usual())
	assert.Equal(t, care.VisitHospital, care.DueAdmission.Usual())
}
