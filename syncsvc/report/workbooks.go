package report

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"

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
// returns the files written, the district's first; the nightly merge's
// reports step calls it.
//
// The offices' workbooks are written first and the district's last, so
// that as each of the district's reports is written, what only that kind
// of report reads (the visit records, the pairing, the branch and dues
// records) is let go: on the hub of a large district the district's
// workbook is the most memory the nightly merge holds (BENCHMARKS.md, "The
// hub at scale"). A failed office's workbook does not keep the district's
// from being written.
func WriteWorkbooks(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error) {
	return WriteWorkbooksWith(ctx, r, dir, on, nil)
}

// WriteWorkbooksWith is WriteWorkbooks with the rules' settings as the
// district has them (nil: DefaultSettings).
func WriteWorkbooksWith(ctx context.Context, r *store.Replica, dir string, on cadre.Date, s *Settings) ([]string, error) {
	var files []string
	c := newCache(ctx, r) // the replica is read once for the district and every office
	write := func(name string, o Options, last bool) error {
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
			if last {
				c.release(k)
			}
		}
		path := filepath.Join(dir, name)
		if err := atomicfile.Write(path, wb.write); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		files = append(files, path)
		return nil
	}
	var officeErr error
	if r.Role() == syncsvc.RoleHub {
		offices, err := r.Offices(ctx)
		if err != nil {
			return files, err
		}
		for _, o := range offices {
			if o.Revoked() {
				continue
			}
			if officeErr = write(o.ID+".xlsx", Options{On: on, Communities: o.Communities, Settings: s}, false); officeErr != nil {
				break
			}
		}
	}
	err := write(DistrictWorkbook, Options{On: on, Settings: s}, true)
	if err == nil {
		files = slices.Concat(files[len(files)-1:], files[:len(files)-1]) // the district's first
	}
	return files, errors.Join(officeErr, err)
}
