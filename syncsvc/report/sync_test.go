package report_test

import (
	"testing"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// syncDistrict is a hub with four offices and a day of syncs:
//
//   - gsq-1 (gsq) pulled on 2026-07-09 at 10:00: its community's record,
//     district data; nothing since.
//   - sy-1 (sy), on 2026-07-10: at 09:00 pushed two new cadres, 甲 of sy
//     (applied) and 乙 of gsq (refused: not its community); at 09:01 the
//     hub changed 甲's phone, and at 09:02 sy-1, which had not pulled,
//     changed it too and pushed (applied, and a conflict, since neither
//     write saw the other); at 09:03 it pulled 甲, the conflict record
//     (conflicts sync to the record's scope) and its community's record:
//     3 records.
//   - hx-1 (hx) never synced; old-1 (sy) was revoked.
func syncDistrict(t *testing.T) (*store.Replica, uuid.UUID) {
	t.Helper()
	clock := testkit.NewClock(testkit.At("2026-07-08 12:00"))
	hub := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleHub, Now: clock.Now})
	offices := map[string]syncsvc.Office{}
	for _, o := range []struct{ id, name, community string }{
		{"sy-1", "舜园社区办公室", "sy"}, {"gsq-1", "杆石桥社区办公室", "gsq"}, {"hx-1", "华信社区办公室", "hx"}, {"old-1", "舜园社区旧电脑", "sy"},
	} {
		office, _, err := hub.AddOffice(ctx, o.id, o.name, []string{o.community})
		require.NoError(t, err)
		offices[o.id] = office
	}
	require.NoError(t, hub.RevokeOffice(ctx, "old-1"))
	for code, name := range map[string]string{"sy": "舜园社区", "gsq": "杆石桥社区", "hx": "华信社区"} {
		require.NoError(t, hub.SetCommunity(ctx, store.Community{Code: code, Name: name}))
	}
	h, err := syncsvc.NewHub(hub.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)

	clock.Set(testkit.At("2026-07-09 10:00"))
	page, err := h.Pull(ctx, offices["gsq-1"], uuid.New(), 0, 0)
	require.NoError(t, err)
	require.Len(t, page.Changes, 1, "its community's record, not the others'")

	clock.Set(testkit.At("2026-07-10 09:00"))
	office := testkit.Open(t, syncsvc.Options{Role: syncsvc.RoleOffice, Now: clock.Now})
	jia := person{community: "sy", name: "甲", birth: "19450101", seq: 21, category: cadre.Tuixiu, rank: cadre.RankSection,
		party: cadre.PartyNone, health: cadre.HealthGood, living: cadre.LivingFamily, pensionYuan: "3000.00"}.cadre(t)
	yi := person{community: "gsq", name: "乙", birth: "19460101", seq: 23, category: cadre.Tuixiu, rank: cadre.RankSection,
		party: cadre.PartyNone, health: cadre.HealthGood, living: cadre.LivingFamily, pensionYuan: "3000.00"}.cadre(t)
	for _, c := range []*cadre.Cadre{&jia, &yi} {
		_, err := office.PutCadre(ctx, c)
		require.NoError(t, err)
	}
	pushAll := func() syncsvc.PushResult {
		out, err := office.Outbox(ctx, 100)
		require.NoError(t, err)
		res, err := h.Push(ctx, offices["sy-1"], office.Node(), out)
		require.NoError(t, err)
		require.NoError(t, office.Acknowledge(ctx, res.Acknowledged))
		return res
	}
	require.Len(t, pushAll().Refused, 1)

	clock.Set(testkit.At("2026-07-10 09:01"))
	onHub := jia
	onHub.Phone = "13800000001"
	_, err = hub.PutCadre(ctx, &onHub)
	require.NoError(t, err)
	clock.Set(testkit.At("2026-07-10 09:02"))
	jia.Phone = "13800000002"
	_, err = office.PutCadre(ctx, &jia)
	require.NoError(t, err)
	pushAll()
	clock.Set(testkit.At("2026-07-10 09:03"))
	page, err = h.Pull(ctx, offices["sy-1"], office.Node(), 0, 0)
	require.NoError(t, err)
	require.Len(t, page.Changes, 3, "甲, the conflict and its community's record")
	return hub, yi.ID
}

func TestSyncReportSumsUpEachOfficeSinceMidnight(t *testing.T) {
	hub, yi := syncDistrict(t)
	rep, err := report.Build(ctx, hub, report.Sync, report.Options{On: on, Now: testkit.At("2026-07-10 09:30"), Since: testkit.At("2026-07-10 00:00")})
	require.NoError(t, err)
	require.Len(t, rep.Tables, 2)
	offices, refusals := rep.Tables[0], rep.Tables[1]
	// By office id. Since midnight only sy-1 synced: two pushes (1 + 1
	// applied, 1 refused, 1 conflict) and one pull of 3 records. gsq-1's
	// pull was the day before; hx-1 never synced; old-1 is revoked.
	assert.Equal(t, [][]any{
		{"gsq-1", "杆石桥社区办公室", "杆石桥社区", "not_synced", int64(0), int64(0), int64(0), int64(0), int64(0), "2026-07-09 10:00"},
		{"hx-1", "华信社区办公室", "华信社区", "not_synced", int64(0), int64(0), int64(0), int64(0), int64(0), ""},
		{"old-1", "舜园社区旧电脑", "舜园社区", "revoked", int64(0), int64(0), int64(0), int64(0), int64(0), ""},
		{"sy-1", "舜园社区办公室", "舜园社区", "synced", int64(2), int64(2), int64(1), int64(1), int64(3), "2026-07-10 09:03"},
	}, rows(offices))
	assert.Equal(t, "自 2026-07-10 00:00 起：办公室 4 个，未同步 2 个（gsq-1、hx-1）；收到更改 2 项，冲突 1 项，拒绝 1 项", offices.Summary.Zh)
	assert.Equal(t, "since 2026-07-10 00:00: 4 offices, 2 did not sync (gsq-1, hx-1); 2 changes applied, 1 conflicts, 1 refused", offices.Summary.En)

	got := rows(refusals)
	require.Len(t, got, 1)
	assert.Equal(t, []any{"sy-1", "2026-07-10 09:00", "cadres", yi.String(), "scope"}, got[0][:5])
	assert.Contains(t, got[0][5], "outside the office's communities")

	// Without Since, the period starts at the beginning of the day before
	// On: gsq-1's pull of its community's record counts.
	rep, err = report.Build(ctx, hub, report.Sync, report.Options{On: on})
	require.NoError(t, err)
	assert.Equal(t, []any{"gsq-1", "杆石桥社区办公室", "杆石桥社区", "synced", int64(0), int64(0), int64(0), int64(0), int64(1), "2026-07-09 10:00"},
		rows(rep.Tables[0])[0])

	// An office's scope: the offices that cover one of its communities.
	rep, err = report.Build(ctx, hub, report.Sync, report.Options{On: on, Since: testkit.At("2026-07-10 00:00"), Communities: []string{"sy"}})
	require.NoError(t, err)
	var ids []any
	for _, r := range rows(rep.Tables[0]) {
		ids = append(ids, r[0])
	}
	assert.Equal(t, []any{"old-1", "sy-1"}, ids)
	assert.Len(t, rep.Tables[1].Rows, 1)
	rep, err = report.Build(ctx, hub, report.Sync, report.Options{On: on, Since: testkit.At("2026-07-10 00:00"), Communities: []string{"gsq"}})
	require.NoError(t, err)
	assert.Empty(t, rep.Tables[1].Rows, "sy-1's refusal is not gsq-1's")
}

// rows returns a table's cells with labels as their codes and texts in
// Chinese, the other cells as they are.
func rows(t *report.Table) [][]any {
	out := [][]any{}
	for _, r := range t.Rows {
		line := make([]any, len(r))
		for i, v := range r {
			switch v := v.(type) {
			case report.Label:
				line[i] = v.Code
			case report.Text:
				line[i] = v.Zh
			default:
				line[i] = v
			}
		}
		out = append(out, line)
	}
	return out
}
