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
// hub at scale"). The reports are built in one goroutine and written in
// another, the next built while one is written. A failed office's workbook
// does not keep the district's from being written.
func WriteWorkbooks(ctx context.Context, r *store.Replica, dir string, on cadre.Date) ([]string, error) {
	return WriteWorkbooksWith(ctx, r, dir, on, nil)
}

// WriteWorkbooksWith is WriteWorkbooks with the rules' settings as the
// district has them (nil: DefaultSettings).
func WriteWorkbooksWith(ctx context.Context, r *store.Replica, dir string, on cadre.Date, s *Settings) ([]string, error) {
	c := newCache(ctx, r) // the replica is read once for the district and every office
	// The reports are built here, in order, through the cache (which one
	// goroutine uses at a time), and written by a second goroutine: each
	// report's sheets are written as soon as it is built, and the report
	// let go, while the next is built; each workbook is the one WriteXLSX
	// writes of buildAll's reports, without holding them all.
	w := &workbookWriter{dir: dir, reports: make(chan workbookReport), done: make(chan struct{})}
	go w.run()
	produce := func(name string, o Options, last bool) error {
		defer func() { w.reports <- workbookReport{name: name, end: true} }()
		for _, k := range kindsOf(r) {
			rep, err := build(ctx, r, k, o, c)
			if err != nil {
				w.reports <- workbookReport{name: name, err: err}
				return fmt.Errorf("reports for %s: %w", name, err)
			}
			w.reports <- workbookReport{name: name, rep: rep}
			if last {
				c.release(k)
			}
		}
		return nil
	}
	var buildErr error
	if r.Role() == syncsvc.RoleHub {
		offices, err := r.Offices(ctx)
		if err != nil {
			buildErr = err
		}
		for _, o := range offices {
			if buildErr != nil {
				break
			}
			if !o.Revoked() {
				buildErr = produce(o.ID+".xlsx", Options{On: on, Communities: o.Communities, Settings: s}, false)
			}
		}
	}
	buildErr = errors.Join(buildErr, produce(DistrictWorkbook, Options{On: on, Settings: s}, true))
	close(w.reports)
	<-w.done
	files := w.files
	if n := len(files); n > 0 && filepath.Base(files[n-1]) == DistrictWorkbook {
		files = slices.Concat(files[n-1:], files[:n-1]) // the district's first
	}
	return files, errors.Join(buildErr, w.err)
}

// workbookReport is a report for a workbook being written, or the end of
// the workbook, or the failure to build one of its reports (the workbook
// is then not written).
type workbookReport struct {
	name string
	rep  *Report
	end  bool
	err  error
}

// workbookWriter writes workbooks, a report at a time, in the order they
// come, each whole or not at all.
type workbookWriter struct {
	dir     string
	reports chan workbookReport
	done    chan struct{}
	// files and err are the files written and what failed, once done.
	files []string
	err   error
}

func (w *workbookWriter) run() {
	defer close(w.done)
	var wb *workbook
	var failed error  // writing the workbook
	var notBuilt bool // one of its reports (the builder returns why)
	for m := range w.reports {
		if wb == nil && failed == nil && !notBuilt {
			if wb, failed = newWorkbook(cadre.Chinese); failed != nil {
				failed = fmt.Errorf("write %s: %w", m.name, failed)
			}
		}
		switch {
		case failed != nil || notBuilt:
		case m.err != nil:
			notBuilt = true
		case m.rep != nil:
			if err := wb.add(m.rep); err != nil {
				failed = fmt.Errorf("write %s: %w", m.name, err)
			}
		}
		if !m.end {
			continue
		}
		switch {
		case notBuilt:
		case failed != nil:
			w.err = errors.Join(w.err, failed)
		default:
			path := filepath.Join(w.dir, m.name)
			if err := atomicfile.Write(path, wb.write); err != nil {
				w.err = errors.Join(w.err, fmt.Errorf("write %s: %w", path, err))
			} else {
				w.files = append(w.files, path)
			}
		}
		if wb != nil {
			wb.close()
		}
		wb, failed, notBuilt = nil, nil, false
	}
}
