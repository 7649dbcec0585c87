package desk

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ErrUnknownOffice: no office has the id given. It wraps
// syncsvc.ErrNotFound.
var ErrUnknownOffice = fmt.Errorf("office is not registered: %w", syncsvc.ErrNotFound)

// ReportRequest asks for reports.
type ReportRequest struct {
	// Kinds are the reports, in order.
	Kinds []report.Kind
	// On is the day the reports are made for.
	On cadre.Date
	// Now is when they are made.
	Now time.Time
	// Since is the start of the sync summary's period; zero for the start
	// of the day before On.
	Since time.Time
	// Office, at the hub, limits the reports to that office's
	// communities; "" for the whole district. An unknown office wraps
	// ErrUnknownOffice.
	Office string
}

// ReportKinds are the reports a replica of role makes, in order: every
// report on the hub, all but the hub's own (the sync summary) on an
// office.
func ReportKinds(role syncsvc.Role) []report.Kind {
	var out []report.Kind
	for _, k := range report.AllKinds() {
		if !k.HubOnly() || role == syncsvc.RoleHub {
			out = append(out, k)
		}
	}
	return out
}

// BuildReports builds the reports asked for with the district's settings.
func BuildReports(ctx context.Context, rep *store.Replica, in ReportRequest) ([]*report.Report, error) {
	return buildReports(ctx, rep, in, func(k report.Kind, o report.Options) (*report.Report, error) {
		return report.Build(ctx, rep, k, o)
	})
}

// buildReports is BuildReports, each report made by build (report.Build,
// or a report.Cache's Build for a Memo).
func buildReports(ctx context.Context, rep *store.Replica, in ReportRequest, build func(report.Kind, report.Options) (*report.Report, error)) ([]*report.Report, error) {
	opts := report.Options{On: in.On, Now: in.Now, Since: in.Since}
	if in.Office != "" {
		o, err := rep.Office(ctx, in.Office)
		if errors.Is(err, syncsvc.ErrNotFound) {
			return nil, fmt.Errorf("reports of office %s: %w", in.Office, ErrUnknownOffice)
		}
		if err != nil {
			return nil, fmt.Errorf("reports of office %s: %w", in.Office, err)
		}
		opts.Communities = append([]string{}, o.Communities...)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	opts.Settings = report.DistrictSettings(rules)
	out := make([]*report.Report, 0, len(in.Kinds))
	for _, k := range in.Kinds {
		r, err := build(k, opts)
		if err != nil {
			return nil, fmt.Errorf("report %s: %w", k, err)
		}
		out = append(out, r)
	}
	return out, nil
}
