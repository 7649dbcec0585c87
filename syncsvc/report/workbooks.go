package report

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/atomicfile"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// DistrictWorkbook is the file name of the district's workbook that
// WriteWorkbooks writes.
const DistrictWorkbook = "区级报表.xlsx"

// WriteWorkbooks writes the morning's reports into dir: every report for
// the whole replica (the district, on the hub) in DistrictWorkbook, and on
// the hub one workbook per office that may sync (<office id>.xlsx) for its
// communities, in Chinese. Each file is written whole or not at all. It
// returns the files written; the nightly merge's reports step calls it.
func WriteWorkbooks(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error) {
	return WriteWorkbooksWith(ctx, r, dir, on, nil)
}

// WriteWorkbooksWith is WriteWorkbooks with the rules' settings as the
// district has them (nil: DefaultSettings).
func WriteWorkbooksWith(ctx context.Context, r *store.Replica, dir string, on cadre.Date, s *Settings) ([]string, error) {
	var files []string
	c := newCache(ctx, r) // the replica is read once for the district and every office
	write := func(name string, o Options) error {
		// Each report's sheets are written as soon as it is built, and the
		// report let go: the workbook is the one WriteXLSX writes of
		// buildAll's reports, without holding them all.
		wb, err := newWorkbook(cadre.Chinese)
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		defer wb.close()
		for _, k := range kindsOf(r) {
			rep, err := build(ctx, r, k, o, c)
			if err != nil {
				return fmt.Errorf("reports for %s: %w", name, err)
			}
			if err := wb.add(rep); err != nil {
				return fmt.Errorf("write %s: %w", name, err)
			}
		}
		path := filepath.Join(dir, name)
		if err := atomicfile.Write(path, wb.write); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		files = append(files, path)
		return nil
	}
	if err := write(DistrictWorkbook, Options{On: on, Settings: s}); err != nil {
		return files, err
	}
	if r.Role() != syncsvc.RoleHub {
		return files, nil
	}
	offices, err := r.Offices(ctx)
	if err != nil {
		return files, err
	}
	for _, o := range offices {
		if o.Revoked() {
			continue
		}
		if err := write(o.ID+".xlsx", Options{On: on, Communities: o.Communities, Settings: s}); err != nil {
			return files, err
		}
	}
	return files, nil
}
