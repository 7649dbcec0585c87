package desk

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// ImportRoster imports a roster into the office's replica, validating as of
// now. A row whose ID number is registered updates that cadre, keeping the
// fields the roster has no column for (KeepAbsent); other rows register new
// cadres. A row that would undo work newer than the roster (in.AsOf) is
// held back and listed unless in.Overwrite. Bad rows are reported in the
// result and the good ones kept. The roster is read as it is stored
// (roster.Scanner), never held whole, and read ahead in a goroutine of its
// own while the rows before are stored: each batch of rows (in.Batch) is
// compared with the replica and written in one transaction, 2,000 rows at
// a time, so that nothing changes between the comparison and the write
// and a batch is stored whole or not at all. A dry run (in.DryRun)
// compares each batch in a snapshot and writes nothing. A file that is no
// roster wraps ErrUnreadableRoster and stores nothing (its CSV form is
// checked to the last line before the first batch); an import that stops
// part way returns what the batches before stored with the error (a
// context's end wraps its error).
func ImportRoster(ctx context.Context, rep *store.Replica, now time.Time, in RosterImport) (ImportResult, error) {
	asOf := now.In(syncsvc.Shanghai())
	var sc *roster.Scanner
	var err error
	if in.Format == RosterXLSX {
		sc, err = roster.NewSheetScanner(in.File, in.Sheet, asOf)
	} else {
		sc, err = roster.NewScanner(in.File, asOf)
	}
	if err != nil {
		return ImportResult{}, &kindError{kind: ErrUnreadableRoster, err: err}
	}
	defer sc.Close()
	im := &importer{ctx: ctx, rep: rep, in: in, header: sc.Header, total: sc.Total, asOf: asOf, written: in.AsOf, batch: in.Batch}
	im.out.UnknownColumns = sc.UnknownColumns
	if im.written.IsZero() {
		im.written = asOf
	}
	if im.batch <= 0 {
		im.batch = DefaultImportBatch
	}
	im.step = min(importStep, im.batch)
	im.ahead = readAhead(sc)
	// The reader is stopped, and done with the file, before it is closed.
	defer im.ahead.stop()
	im.ahead.ask(im.step)
	for {
		part, more, err := im.transaction()
		if err != nil {
			return im.out, fmt.Errorf("import roster after %d rows: %w", im.out.Done(), err)
		}
		im.out.merge(part)
		if !more {
			break
		}
	}
	out := im.out
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Line < out.Problems[j].Line })
	lines := map[int]bool{}
	for _, p := range out.Problems {
		lines[p.Line] = true
	}
	out.BadRows = len(lines)
	return out, nil
}

// importer is one ImportRoster: the roster being read ahead, and what the
// transactions that committed did.
type importer struct {
	ctx           context.Context
	rep           *store.Replica
	in            RosterImport
	header        roster.Header
	total         int
	asOf, written time.Time
	batch, step   int
	ahead         *reader
	// stored counts the rows of the current transaction's batch taken so
	// far; out is what the committed transactions did, with the problems
	// of every bad row read.
	stored int
	out    ImportResult
}

// transaction stores up to a batch of rows in one transaction, a step at
// a time (a dry run compares them in one snapshot), and returns what they
// did and whether the roster goes on. The rows of a transaction that fails
// are stored not at all.
func (im *importer) transaction() (part ImportResult, more bool, err error) {
	im.stored = 0
	st, last, err := im.take()
	if err != nil || len(st.rows) == 0 {
		return part, false, err
	}
	run := func(rd batchReads, write func([]plannedRow) error) error {
		for {
			if im.in.Progress != nil {
				im.in.Progress(st.start, im.total)
			}
			plan, err := planRows(rd, &im.header, st.rows, im.asOf, im.written, im.in.Overwrite)
			if err != nil {
				return err
			}
			if write != nil {
				if err := write(plan); err != nil {
					return err
				}
			}
			part.add(plan, im.in.DryRun)
			if more = !last; last || im.stored == im.batch {
				return nil
			}
			if st, last, err = im.take(); err != nil || len(st.rows) == 0 {
				more = false
				return err
			}
		}
	}
	if im.in.DryRun {
		err = im.rep.View(im.ctx, func(v *syncsvc.View) error { return run(viewReads{store.ReadView(v), v}, nil) })
	} else {
		err = im.rep.Update(im.ctx, func(tx *store.Tx) error {
			return run(txReads{tx}, func(plan []plannedRow) error {
				if err := writeRows(tx, plan); err != nil {
					return err
				}
				// The step is stored in the transaction: what it held can go.
				return tx.Release()
			})
		})
	}
	return part, more, err
}

// take waits for the step of rows asked for and keeps the problems of its
// bad rows. Unless the step ends the roster (last: shorter than asked
// for), it asks for the next at once, so that it is read while this one
// is stored: the rest of this transaction's batch, or the next batch's
// first step.
func (im *importer) take() (st step, last bool, err error) {
	st = im.ahead.take()
	im.out.Problems = append(im.out.Problems, st.problems...)
	if st.err != nil {
		return st, true, st.err
	}
	im.stored += len(st.rows)
	if len(st.rows) < st.asked {
		return st, true, nil
	}
	next := im.batch - im.stored
	if next == 0 {
		next = im.batch
	}
	im.ahead.ask(min(im.step, next))
	return st, false, nil
}

// step is a number of good rows read from the roster, with the problems of
// the bad rows read among them and the rows read before the first.
type step struct {
	asked    int
	rows     []roster.Row
	problems []roster.RowError
	start    int
	err      error
}

// reader reads a roster ahead in a goroutine of its own, a step asked
// for at a time, so that reading and checking rows overlaps with storing
// the ones before.
type reader struct {
	asks  chan int
	steps chan step
	done  chan struct{}
	wg    sync.WaitGroup
}

// readAhead starts reading sc; stop ends it.
func readAhead(sc *roster.Scanner) *reader {
	rd := &reader{asks: make(chan int, 1), steps: make(chan step, 1), done: make(chan struct{})}
	rd.wg.Go(func() {
		read := 0
		for {
			var n int
			select {
			case n = <-rd.asks:
			case <-rd.done:
				return
			}
			st := step{asked: n, rows: make([]roster.Row, 0, n), start: read}
			for len(st.rows) < n && sc.Next() {
				row, problems := sc.Row()
				if len(st.rows) == 0 {
					st.start = read
				}
				read++
				if len(problems) > 0 {
					st.problems = append(st.problems, problems...)
					continue
				}
				st.rows = append(st.rows, row)
			}
			st.err = sc.Err()
			select {
			case rd.steps <- st:
			case <-rd.done:
				return
			}
		}
	})
	return rd
}

// ask asks for the next n good rows.
func (rd *reader) ask(n int) { rd.asks <- n }

// take waits for the rows asked for.
func (rd *reader) take() step { return <-rd.steps }

// stop ends the reading and waits until the scanner is no longer read.
func (rd *reader) stop() {
	close(rd.done)
	rd.wg.Wait()
}

// merge adds what a committed transaction did to the result.
func (out *ImportResult) merge(part ImportResult) {
	out.Added += part.Added
	out.Updated += part.Updated
	out.Unchanged += part.Unchanged
	out.Held = append(out.Held, part.Held...)
	out.Changes = append(out.Changes, part.Changes...)
	out.Problems = append(out.Problems, part.Problems...)
}
