package web

import (
	"context"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
)

// clockWarning is the clock offset past which the panel warns.
const clockWarning = time.Minute

// syncPanelView is the sync panel: where the office stands, a sync in
// progress, and how the last one ended, in words.
type syncPanelView struct {
	State desk.SyncState
	// HasHub is false before office init set the hub.
	HasHub bool
	// Running is set while a sync runs; Progress says how far it is.
	Running  bool
	Progress string
	// Outcome says how the last sync of this run of the desk ended; "" when
	// none ran. OutcomeOK is set when it finished.
	Outcome   string
	OutcomeOK bool
	OutcomeAt time.Time
	// Offset is the clock offset as shown; OffsetWarn is set past a minute.
	Offset     string
	OffsetWarn bool
	// AutoMinutes is how often the desk syncs by itself; 0 never.
	AutoMinutes int
}

func (s *Server) syncView(ctx context.Context, p *page) (syncPanelView, error) {
	st, err := desk.OfficeSyncState(ctx, s.rep)
	if err != nil {
		return syncPanelView{}, err
	}
	v := syncPanelView{State: st, HasHub: st.HubURL != "", Offset: "-", AutoMinutes: s.autoSyncMinutes(ctx)}
	if st.ClockOffset != nil {
		v.Offset = showOffset(*st.ClockOffset)
		v.OffsetWarn = *st.ClockOffset > clockWarning || *st.ClockOffset < -clockWarning
	}
	snap := s.sync.snapshot()
	if snap.Running {
		v.Running, v.Progress = true, syncStep(p, snap.Step)
	}
	if o := snap.Last; o != nil {
		v.OutcomeAt, v.OutcomeOK = o.At, o.Err == nil
		v.Outcome = syncOutcomeText(p, o)
	}
	return v, nil
}

// showOffset shows hub time minus office time, to the second.
func showOffset(d time.Duration) string {
	d = d.Round(time.Second)
	if d >= 0 {
		return "+" + d.String()
	}
	return d.String()
}

// syncStep says how far a sync is.
func syncStep(p *page, s syncsvc.Progress) string {
	label := p.T("sync.phase." + s.Phase)
	if strings.HasPrefix(label, "⟦") {
		label = s.Phase
	}
	switch {
	case s.Total > 0:
		return p.T("sync.step.of", label, s.Done, s.Total)
	case s.Done > 0:
		return p.T("sync.step.count", label, s.Done)
	}
	return p.T("sync.step", label)
}

// syncOutcomeText says how a sync ended and, when it did not finish, what
// to do; the office's work is kept either way.
func syncOutcomeText(p *page, o *syncOutcome) string {
	if o.Err == nil {
		r := o.Result
		parts := []string{p.T("sync.ok", r.Report.Pushed, r.Report.Pulled)}
		switch r.Report.Recovery {
		case syncsvc.RecoveryHubRestored:
			parts = append(parts, p.T("sync.hubRestored", r.Report.Reconciled))
		case syncsvc.RecoveryReplicaRestored:
			parts = append(parts, p.T("sync.replicaRestored", r.Report.Reconciled))
		}
		if r.Report.Refused > 0 {
			parts = append(parts, p.T("sync.refused", r.Report.Refused))
		}
		if r.ConflictsOpen > 0 {
			parts = append(parts, p.T("sync.conflicts", r.ConflictsOpen))
		}
		return strings.Join(parts, p.T("sentence.sep"))
	}
	d := o.Why
	switch d.Kind {
	case desk.TroubleNetwork:
		return p.T("sync.trouble.network", pick(p, d.FaultZH, d.FaultEN), o.Result.HubURL)
	case desk.TroubleClockAhead:
		also := ""
		if d.Pulled {
			also = p.T("sync.trouble.clock.pulled")
		}
		switch {
		case d.ClockWrong && d.Minutes > 0:
			return p.T("sync.trouble.clock.wrong", d.Minutes, also)
		case d.Minutes > 0:
			return p.T("sync.trouble.clock.was", d.Minutes, also)
		}
		return p.T("sync.trouble.clock", also)
	case desk.TroubleWrongOffice:
		return p.T("sync.trouble.wrongOffice", d.Got, d.Want)
	case desk.TroubleCA:
		return p.T("sync.trouble.ca", d.File)
	case desk.TroublePermission, desk.TroubleInvalidChange, desk.TroubleHubRefused:
		return p.T(troubleKeys[d.Kind], d.HubSaid)
	case desk.TroubleOther:
		if d.HubSaid != "" {
			return p.T("sync.trouble.hubRefused", d.HubSaid)
		}
		return p.T("sync.trouble.other", wording.Error(d.Err, p.Lang))
	}
	return p.T(troubleKeys[d.Kind])
}

// troubleKeys are the message keys of the kinds of trouble that need no
// more than their key (and, for the hub's refusals, what the hub said).
var troubleKeys = map[desk.SyncTrouble]string{
	desk.TroubleNoConnection:      "sync.trouble.noHub",
	desk.TroubleUntrusted:         "sync.trouble.untrusted",
	desk.TroubleInterrupted:       "sync.trouble.interrupted",
	desk.TroubleHubDamaged:        "sync.trouble.hubDamaged",
	desk.TroubleTokenRefused:      "sync.trouble.token",
	desk.TroubleNodeOfOtherOffice: "sync.trouble.otherNode",
	desk.TroublePermission:        "sync.trouble.permission",
	desk.TroubleInvalidChange:     "sync.trouble.invalid",
	desk.TroubleTooOld:            "sync.trouble.tooOld",
	desk.TroubleHubRefused:        "sync.trouble.hubRefused",
}

// pick is zh or en, for the reader.
func pick(p *page, zh, en string) string {
	if p.Lang == "en" {
		return en
	}
	return zh
}
