package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report/display"
)

var (
	syncSynced    = Label{"synced", Text{"已同步", "synced"}}
	syncNotSynced = Label{"not_synced", Text{"未同步", "did not sync"}}
	syncRevoked   = Label{"revoked", Text{"已停用", "revoked"}}

	refusalCodes = map[string]Text{
		"scope":        {"超出本办公室的社区", "outside the office's communities"},
		"skew":         {"办公室电脑时钟超前", "office clock ahead"},
		"unknown_type": {"未知的记录类型", "unknown record type"},
		"invalid":      {"数据无效", "invalid data"},
	}
)

// since is the start of the sync summary's period.
func (b *builder) since() time.Time {
	if !b.o.Since.IsZero() {
		return b.o.Since
	}
	return b.on.AddDays(-1).In(syncsvc.Shanghai())
}

// sync sums up each office's syncs since Options.Since
// (syncsvc.Replica.SyncSummary): pushes, changes applied, refusals and
// conflicts, changes pulled, and the offices that did not sync; then the
// refused changes themselves. With a scope, the offices are those that cover
// one of its communities.
func (b *builder) sync() ([]*Table, error) {
	since := b.since()
	sums, err := b.c.SyncSummary(since)
	if err != nil {
		return nil, err
	}
	refusals, err := b.c.Refusals()
	if err != nil {
		return nil, err
	}
	offices := &Table{Key: "offices", Name: Text{"同步：各办公室", "Sync by office"}, Columns: []Column{
		{"office", "办公室", "office", 12},
		{"name", "名称", "name", 20},
		{"communities", "社区", "communities", 20},
		{"state", "状态", "state", 10},
		{"pushes", "推送次数", "pushes", 10},
		{"applied", "收到更改", "changes applied", 10},
		{"refused", "拒绝", "refused", 8},
		{"conflicts", "冲突", "conflicts", 8},
		{"pulled", "拉取更改", "changes pulled", 10},
		{"last_sync", "最近同步", "last sync", 18},
	}}
	shown := map[string]bool{}
	var silent []string
	var applied, conflicts, refused int
	for _, s := range sums {
		o := s.Office
		if b.in != nil && !b.coversAny(o.Communities) {
			continue
		}
		shown[o.ID] = true
		state := syncNotSynced
		switch {
		case o.Revoked():
			state = syncRevoked
		case s.Synced:
			state = syncSynced
		default:
			silent = append(silent, o.ID)
		}
		names := make([]string, 0, len(o.Communities))
		for _, c := range o.Communities {
			names = append(names, b.name(c))
		}
		offices.add(o.ID, o.Name, Text{strings.Join(names, "、"), strings.Join(names, ", ")}, state, int64(s.Pushes), int64(s.Applied),
			int64(s.Refused), int64(s.Conflicts), int64(s.Pulled), display.Time(o.LastSyncAt, ""))
		applied, conflicts, refused = applied+s.Applied, conflicts+s.Conflicts, refused+s.Refused
	}
	ids := Text{}
	if len(silent) > 0 {
		ids = Text{"（" + strings.Join(silent, "、") + "）", " (" + strings.Join(silent, ", ") + ")"}
	}
	offices.Summary = Text{
		Zh: fmt.Sprintf("自 %s 起：办公室 %d 个，未同步 %d 个%s；收到更改 %d 项，冲突 %d 项，拒绝 %d 项",
			display.Time(since, ""), len(offices.Rows), len(silent), ids.Zh, applied, conflicts, refused),
		En: fmt.Sprintf("since %s: %d offices, %d did not sync%s; %d changes applied, %d conflicts, %d refused",
			display.Time(since, ""), len(offices.Rows), len(silent), ids.En, applied, conflicts, refused),
	}

	refusedTable := &Table{Key: "refusals", Name: Text{"同步：被拒绝的更改", "Changes refused"}, Columns: []Column{
		{"office", "办公室", "office", 12},
		{"at", "时间", "at", 18},
		{"record_type", "记录类型", "record type", 16},
		{"record_id", "记录", "record", 38},
		{"code", "原因", "why", 20},
		{"reason", "详情", "detail", 60},
	}}
	slices.Reverse(refusals) // oldest first, as things happened
	for _, f := range refusals {
		if !shown[f.Office] || f.At.Before(since.Truncate(time.Second)) {
			continue
		}
		code := Label{Code: f.Code, Text: Text{f.Code, f.Code}}
		if t, ok := refusalCodes[f.Code]; ok {
			code.Text = t
		}
		refusedTable.add(f.Office, display.Time(f.At, ""), f.Table, f.RecordID.String(), code, f.Reason)
	}
	refusedTable.Summary = tf("被拒绝的更改 %d 项：办公室须改正后重新录入", "%d changes refused: the office must correct and enter them again", len(refusedTable.Rows))
	return []*Table{offices, refusedTable}, nil
}
