package main

import (
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// statusJSON is what office status reports.
type statusJSON struct {
	OfficeID      string  `json:"office_id"`
	HubURL        string  `json:"hub_url"`
	Node          string  `json:"node"`
	LastSync      *string `json:"last_sync"`
	Outbox        int     `json:"outbox"`
	ClockOffsetMS *int64  `json:"clock_offset_ms"`
	ConflictsOpen int     `json:"conflicts_open"`
}

func (a *app) statusCmd() *cobra.Command {
	var asJSON bool
	cmd := a.leaf("status", "Show the last sync, the changes waiting to be pushed and the clock offset", 0, func(cmd *cobra.Command, _ []string) error {
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			state, err := desk.OfficeSyncState(cmd.Context(), r)
			if err != nil {
				return err
			}
			outbox := state.Outbox
			st := statusJSON{OfficeID: state.OfficeID, HubURL: state.HubURL, Node: state.Node, Outbox: outbox, ConflictsOpen: state.ConflictsOpen}
			last := state.LastSync
			if !last.IsZero() {
				st.LastSync = jsonTime(last)
			}
			if state.ClockOffset != nil {
				ms := state.ClockOffset.Milliseconds()
				st.ClockOffsetMS = &ms
			}
			if asJSON {
				return a.printJSON(st)
			}
			offset := "-"
			if st.ClockOffsetMS != nil {
				offset = showOffset(time.Duration(*st.ClockOffsetMS) * time.Millisecond)
			}
			lastText := showTime(last)
			if last.IsZero() {
				lastText = a.t("从未同步", "never")
			}
			rows := [][]string{
				{a.t("办公室", "office"), orDash(st.OfficeID)},
				{"hub", orDash(st.HubURL)},
				{a.t("节点", "node"), st.Node},
				{a.t("最近同步", "last sync"), lastText},
				{a.t("待推送更改", "changes to push"), strconv.Itoa(outbox)},
				{a.t("时钟偏差", "clock offset"), offset},
				{a.t("待解决冲突", "open conflicts"), strconv.Itoa(st.ConflictsOpen)},
			}
			return writeTable(a.stdout, rows[0], rows[1:])
		})
	})
	jsonFlag(cmd, &asJSON)
	return cmd
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// communitiesOnly drops "district" from an office's scopes: the district's
// own data (helpers, venues) is not a community a clerk would recognise.
func communitiesOnly(scopes []string) []string {
	out := make([]string, 0, len(scopes))
	for _, s := range scopes {
		if s != "district" {
			out = append(out, s)
		}
	}
	return out
}
