package desk

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk/wording"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/transport"
)

// The office replica's meta entries that say where it stands with its hub,
// besides the connection (transport.Connection). The agent writes the last
// sync and the clock offset; office init writes the office's id and the
// name the hub gives it.
const (
	MetaOfficeID   = "office_id"
	MetaOfficeName = "office_name"
	MetaLastSync   = "last_sync"
	MetaOffsetMS   = "clock_offset_ms"
)

// SyncState is where an office stands with its hub, as its replica knows
// it without calling the hub.
type SyncState struct {
	// OfficeID and HubURL are as office init kept them; "" when it has not
	// run.
	OfficeID, HubURL string
	// Node is this computer's node in the district.
	Node string
	// LastSync is when the last sync finished; zero when none has.
	LastSync time.Time
	// Outbox is how many changes wait to be pushed.
	Outbox int
	// ClockOffset is hub time minus this computer's time at the last
	// sync; nil when no sync has measured it.
	ClockOffset *time.Duration
	// ConflictsOpen counts the conflicts not yet resolved.
	ConflictsOpen int
	// KeptRefused counts the records the hub refused that are kept here
	// until a person resends or discards them.
	KeptRefused int
}

// OfficeSyncState reads where an office stands with its hub.
func OfficeSyncState(ctx context.Context, rep *store.Replica) (SyncState, error) {
	st := SyncState{Node: rep.Node().String()}
	meta := map[string]string{}
	for _, k := range []string{MetaOfficeID, transport.MetaHubURL, MetaLastSync, MetaOffsetMS} {
		v, err := rep.Meta(ctx, k)
		if err != nil {
			return SyncState{}, fmt.Errorf("sync state: %w", err)
		}
		meta[k] = v
	}
	st.OfficeID, st.HubURL = meta[MetaOfficeID], meta[transport.MetaHubURL]
	if t, err := time.Parse(time.RFC3339, meta[MetaLastSync]); err == nil {
		st.LastSync = t
	}
	if ms, err := strconv.ParseInt(meta[MetaOffsetMS], 10, 64); err == nil {
		d := time.Duration(ms) * time.Millisecond
		st.ClockOffset = &d
	}
	var err error
	if st.Outbox, err = rep.OutboxLen(ctx); err != nil {
		return SyncState{}, fmt.Errorf("sync state: %w", err)
	}
	open, err := rep.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
	if err != nil {
		return SyncState{}, fmt.Errorf("sync state: %w", err)
	}
	st.ConflictsOpen = len(open)
	if st.KeptRefused, err = rep.KeptByRefusal(ctx); err != nil {
		return SyncState{}, fmt.Errorf("sync state: %w", err)
	}
	return st, nil
}

// SyncOptions are how Sync calls the hub.
type SyncOptions struct {
	// Retries and CallTimeout are the agent's (syncsvc.AgentOptions):
	// zero means its defaults, a negative Retries never to try again.
	Retries     int
	CallTimeout time.Duration
	// Progress, when set, hears of each step.
	Progress func(syncsvc.Progress)
}

// SyncResult is what Sync did.
type SyncResult struct {
	// HubURL is the hub called, also when the sync failed.
	HubURL string
	// Report is the agent's: what was pushed, pulled, refused, and the
	// clock offset; part of it when the sync failed.
	Report syncsvc.SyncReport
	// ConflictsOpen counts the conflicts not yet resolved, after the sync.
	ConflictsOpen int
	// KeptRefused counts the records kept here though the hub refused
	// them, after the sync.
	KeptRefused int
}

// Sync pushes the office's changes to its hub and pulls the others', over
// the connection the replica keeps. Without one it returns an error
// wrapping transport.ErrNoConnection; a CA file it cannot read, a
// *transport.CAError; a sync that did not finish, the agent's error
// (DiagnoseSync says what it means) with what the sync did so far.
func Sync(ctx context.Context, rep *store.Replica, opts SyncOptions) (SyncResult, error) {
	conn, err := transport.LoadConnection(ctx, rep)
	if err != nil {
		return SyncResult{}, fmt.Errorf("sync: %w", err)
	}
	out := SyncResult{HubURL: conn.HubURL}
	agent, err := conn.NewAgent(rep.Replica, 0, syncsvc.AgentOptions{Retries: opts.Retries, CallTimeout: opts.CallTimeout, Progress: opts.Progress})
	if err != nil {
		return out, fmt.Errorf("sync: %w", err)
	}
	out.Report, err = agent.Sync(ctx)
	if err != nil {
		return out, err
	}
	open, err := rep.Conflicts(ctx, syncsvc.ConflictFilter{Unresolved: true})
	if err != nil {
		return out, fmt.Errorf("sync: %w", err)
	}
	out.ConflictsOpen = len(open)
	if out.KeptRefused, err = rep.KeptByRefusal(ctx); err != nil {
		return out, fmt.Errorf("sync: %w", err)
	}
	return out, nil
}

// SyncTrouble is a kind of reason a sync did not finish. Whatever the
// kind, the office's work stays on its computer.
type SyncTrouble int

// The kinds of SyncTrouble, each with its own advice.
const (
	// TroubleOther is a failure none of the others names.
	TroubleOther SyncTrouble = iota
	// TroubleNoConnection: office init has not set the hub.
	TroubleNoConnection
	// TroubleCA: the CA certificate kept for the hub cannot be read.
	TroubleCA
	// TroubleWrongOffice: the token is another office's.
	TroubleWrongOffice
	// TroubleUntrusted: the hub's certificate is not trusted.
	TroubleUntrusted
	// TroubleClockAhead: the office's changes are stamped ahead of the
	// hub's clock.
	TroubleClockAhead
	// TroubleInterrupted: the sync was cancelled here.
	TroubleInterrupted
	// TroubleNetwork: the network failed or the hub cannot be reached.
	TroubleNetwork
	// TroubleHubDamaged: the hub's database is damaged.
	TroubleHubDamaged
	// TroubleTokenRefused: the hub does not accept the token.
	TroubleTokenRefused
	// TroubleNodeOfOtherOffice: this computer is registered to another
	// office.
	TroubleNodeOfOtherOffice
	// TroublePermission: the office may not sync this way.
	TroublePermission
	// TroubleInvalidChange: the hub refused what the sync sent.
	TroubleInvalidChange
	// TroubleTooOld: this program is older than the hub accepts.
	TroubleTooOld
	// TroubleHubRefused: the hub refused for another reason it gives.
	TroubleHubRefused
	// TroubleHubBusy: the hub was at the limit of the work it takes at
	// once and kept turning the office away; try again in a few minutes.
	TroubleHubBusy
)

// SyncDiagnosis is why a sync did not finish, with what its advice needs.
type SyncDiagnosis struct {
	Kind SyncTrouble
	// Err is the error diagnosed.
	Err error
	// HubSaid is the hub's own explanation, "" when it gave none.
	HubSaid string
	// Minutes is how far ahead the office's clock or changes are
	// (TroubleClockAhead), 0 when not known; ClockWrong is set while the
	// computer's clock itself is wrong, Pulled when the others' changes
	// were pulled all the same.
	Minutes    int
	ClockWrong bool
	Pulled     bool
	// FaultZH and FaultEN name a network fault (TroubleNetwork).
	FaultZH, FaultEN string
	// Want and Got are the office set up here and the office the token is
	// of (TroubleWrongOffice).
	Want, Got string
	// File is the CA file that cannot be read (TroubleCA).
	File string
}

// DiagnoseSync says why a sync did not finish: err is what Sync returned,
// ctx the sync's context and rep its report.
func DiagnoseSync(ctx context.Context, err error, rep syncsvc.SyncReport) SyncDiagnosis {
	var (
		ahead   *syncsvc.ClockAheadError
		wrong   *syncsvc.WrongOfficeError
		certErr *tls.CertificateVerificationError
		caErr   *transport.CAError
	)
	d := SyncDiagnosis{Err: err, HubSaid: syncsvc.HubMessage(err)}
	switch {
	case errors.Is(err, transport.ErrNoConnection):
		d.Kind = TroubleNoConnection
	case errors.As(err, &caErr):
		d.Kind, d.File = TroubleCA, caErr.File
	case errors.As(err, &wrong):
		d.Kind, d.Want, d.Got = TroubleWrongOffice, wrong.Want, wrong.Got
	case errors.As(err, &certErr):
		d.Kind = TroubleUntrusted
	case errors.As(err, &ahead):
		d.Kind, d.Minutes, d.ClockWrong, d.Pulled = TroubleClockAhead, ahead.Minutes(), ahead.ClockWrong(), ahead.PullErr == nil
	case ctx.Err() != nil:
		d.Kind = TroubleInterrupted
	case syncsvc.IsNetworkFault(err):
		d.Kind = TroubleNetwork
		d.FaultZH, d.FaultEN = faultKind(err)
	case errors.Is(err, syncsvc.ErrHubBusy):
		d.Kind = TroubleHubBusy
	case errors.Is(err, syncsvc.ErrDamaged):
		d.Kind = TroubleHubDamaged
	case errors.Is(err, syncsvc.ErrUnauthenticated):
		d.Kind = TroubleTokenRefused
	case errors.Is(err, syncsvc.ErrNodeOfOtherOffice):
		d.Kind = TroubleNodeOfOtherOffice
	case errors.Is(err, syncsvc.ErrPermission):
		d.Kind = TroublePermission
	case errors.Is(err, syncsvc.ErrInvalidChange):
		d.Kind = TroubleInvalidChange
	case errors.Is(err, syncsvc.ErrClockSkew):
		d.Kind = TroubleClockAhead
		if -rep.ClockOffset > time.Minute {
			d.Minutes = int(math.Round((-rep.ClockOffset).Minutes()))
		}
		d.ClockWrong = d.Minutes > 0
	case errors.Is(err, syncsvc.ErrSchemaTooOld):
		d.Kind = TroubleTooOld
	case errors.Is(err, syncsvc.ErrHubRefused):
		d.Kind = TroubleHubRefused
	case errors.Is(err, context.Canceled):
		d.Kind = TroubleInterrupted
	}
	return d
}

// faultKind names a network fault for the clerk, or for whoever looks
// after the network.
func faultKind(err error) (zh, en string) {
	msg := err.Error()
	// Windows words a refused or reset connection its own way ("actively
	// refused", "forcibly closed"), in the language of the system.
	lower := strings.ToLower(msg)
	switch {
	case strings.Contains(msg, "did not answer within"), errors.Is(err, context.DeadlineExceeded):
		return "hub 长时间没有响应", "the hub did not answer in time"
	case wording.ConnRefused(err), strings.Contains(lower, "connection refused"), strings.Contains(lower, "actively refused"):
		return "连不上 hub，它的地址上没有服务在运行", "cannot reach the hub: nothing is listening at its address"
	case strings.Contains(msg, "no such host"):
		return "找不到 hub 的地址", "the hub's address was not found"
	case strings.Contains(msg, "unexpected EOF"), strings.Contains(lower, "connection reset"), strings.Contains(msg, "broken pipe"),
		strings.Contains(lower, "forcibly closed"),
		strings.Contains(msg, "connection lost"), strings.Contains(msg, "EOF"):
		return "连接中途断开", "the connection broke off"
	case errors.Is(err, context.Canceled):
		return "连接被取消", "the connection was cancelled"
	}
	return "网络故障", "network fault"
}
