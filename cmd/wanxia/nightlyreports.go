package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
)

// writeNightlyReports is the nightly merge's reports step: every report
// for the district in one workbook (区级报表.xlsx), and one workbook per
// office for its communities (<office>.xlsx), in Chinese, as the offices
// read them the next morning.
func writeNightlyReports(ctx context.Context, r *syncsvc.Replica, dir string, on cadre.Date) ([]string, error) {
	var files []string
	write := func(name string, o report.Options) error {
		reps, err := report.BuildAll(ctx, r, o)
		if err != nil {
			return fmt.Errorf("reports for %s: %w", name, err)
		}
		path := filepath.Join(dir, name+".xlsx")
		if err := writeFileAtomic(path, func(w io.Writer) error { return report.WriteXLSX(w, cadre.Chinese, reps...) }); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		files = append(files, path)
		return nil
	}
	if err := write("区级报表", report.Options{On: on}); err != nil {
		return files, err
	}
	offices, err := r.Offices(ctx)
	if err != nil {
		return files, err
	}
	for _, o := range offices {
		if o.Revoked() {
			continue
		}
		if err := write(o.ID, report.Options{On: on, Communities: o.Communities}); err != nil {
			return files, err
		}
	}
	return files, nil
}
