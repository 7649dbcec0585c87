package desk

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/report"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Memo serves, for a program that keeps one replica open and lists its
// cadres again and again (the office desk), the use cases that look at
// every cadre — VisitsDue, ListCadres and BuildReports — from what it read
// of them before: the cadres, the records their visits due are worked out
// from, the pinyin initials of their names, and what the reports read and
// group (report.Cache). What it read of a table stands
// until that table is written: a write by this replica tells it which
// tables it changed (syncsvc.Replica.OnCommit), so that recording a visit
// reads the visits again and nothing else; a write it was not told of (by
// another process, syncsvc.Replica.Commits) makes it read everything
// again. Its answers are those of the functions of the same names. It is
// safe for concurrent use.
type Memo struct {
	rep  *store.Replica
	stop func()
	mu   sync.Mutex
	cur  *roll
	// told are the tables this replica's commits changed, by the commit's
	// number, for the numbers after cur's.
	told map[int64][]string
	// reports keeps what the reports read; forget are the tables written
	// since it was last told, and forgetAll that it must forget
	// everything (both guarded by mu).
	reports   *report.Cache
	forget    map[string]bool
	forgetAll bool
}

// maxTold bounds the commits a Memo keeps the tables of between two
// requests; past it, the next request reads everything again.
const maxTold = 10_000

// NewMemo returns a Memo over rep, which follows rep's writes until Close.
func NewMemo(rep *store.Replica) *Memo {
	m := &Memo{rep: rep, told: map[int64][]string{}}
	m.stop = rep.OnCommit(m.committed)
	m.reports = report.NewCache(rep, report.Sources{
		Cadres: func(ctx context.Context) ([]cadre.Cadre, error) {
			r, err := m.roll(ctx)
			if err != nil {
				return nil, err
			}
			return r.everyCadre(ctx, rep)
		},
		ScheduleRecords: func(ctx context.Context) (map[uuid.UUID]care.Records, error) {
			r, err := m.roll(ctx)
			if err != nil {
				return nil, err
			}
			return r.scheduleRecords(ctx, rep)
		},
	})
	return m
}

// Close stops the memo following the replica's writes; it reads
// everything again on each call after.
func (m *Memo) Close() { m.stop() }

// committed notes the tables one of the replica's own commits changed.
func (m *Memo) committed(c syncsvc.Commit) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.told) >= maxTold {
		clear(m.told) // a gap: the next roll reads everything
	}
	m.told[c.Number] = c.Tables
}

// VisitsDue is VisitsDue over the memo's replica.
func (m *Memo) VisitsDue(ctx context.Context, on cadre.Date, all bool) (DueVisits, error) {
	r, err := m.roll(ctx)
	if err != nil {
		return DueVisits{}, fmt.Errorf("visits due: %w", err)
	}
	return r.dueVisits(ctx, m.rep, on, all)
}

// ListCadres is ListCadres over the memo's replica.
func (m *Memo) ListCadres(ctx context.Context, q CadreQuery) (CadreList, error) {
	r, err := m.roll(ctx)
	if err != nil {
		return CadreList{}, fmt.Errorf("list cadres: %w", err)
	}
	return listCadres(ctx, m.rep, r, q)
}

// BuildReports is BuildReports over the memo's replica: a report none of
// whose tables was written since it was last built is given again (with
// in.Now), and the others are built from what was read for them before,
// but for the tables written since (report.Cache). The reports' tables are
// shared: read them, never change them.
func (m *Memo) BuildReports(ctx context.Context, in ReportRequest) ([]*report.Report, error) {
	if _, err := m.roll(ctx); err != nil {
		return nil, fmt.Errorf("reports: %w", err)
	}
	m.mu.Lock()
	all, tables := m.forgetAll, m.forget
	m.forgetAll, m.forget = false, nil
	m.mu.Unlock()
	switch {
	case all:
		m.reports.Forget(nil)
	case tables != nil:
		written := make([]string, 0, len(tables)) // none: bookkeeping only
		for t := range tables {
			written = append(written, t)
		}
		m.reports.Forget(written)
	}
	return buildReports(ctx, m.rep, in, func(k report.Kind, o report.Options) (*report.Report, error) {
		return m.reports.Build(ctx, k, o)
	})
}

// roll returns what stands at the replica's present version: the roll
// of the last call while nothing has been committed since; once something
// has, a new roll that keeps what the last one read of the tables no
// commit since has changed, when every commit since was this replica's
// own, and nothing otherwise.
func (m *Memo) roll(ctx context.Context) (*roll, error) {
	v, err := m.rep.Version(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.cur != nil && m.cur.version == v {
		defer m.mu.Unlock()
		return m.cur, nil
	}
	m.mu.Unlock()
	// The count is read after the version: a commit between the two is
	// counted, and moves the version again for the next call.
	n, err := m.rep.Commits(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur != nil && m.cur.version == v {
		return m.cur, nil
	}
	next := &roll{version: v, commits: n}
	kept := false
	if m.cur != nil {
		if tables, ok := m.ownSince(m.cur.commits, n); ok {
			next, kept = m.cur.keep(v, n, tables), true
			if m.forget == nil {
				m.forget = map[string]bool{}
			}
			for _, t := range tables {
				m.forget[t] = true
			}
		}
	}
	if !kept {
		m.forgetAll = true
	}
	for k := range m.told {
		if k <= n {
			delete(m.told, k)
		}
	}
	m.cur = next
	return next, nil
}

// ownSince returns the tables changed by the commits after from up to
// to, when every one of them was this replica's own; false when one was
// not (another process wrote), or when nothing was counted though the
// version moved (a program that does not count its writes).
func (m *Memo) ownSince(from, to int64) ([]string, bool) {
	if to <= from {
		return nil, false
	}
	var tables []string
	for k := from + 1; k <= to; k++ {
		ts, ok := m.told[k]
		if !ok {
			return nil, false
		}
		tables = append(tables, ts...)
	}
	return tables, true
}

// roll is what the lists read of every live cadre, each part read when
// first asked for and kept: one roll a call for the package's functions,
// one a replica version for a Memo, which hands what a roll read of the
// tables not written since on to the next (keep). What it returns is
// shared: read it, never change it.
type roll struct {
	// version and commits are the replica's when the roll was made
	// (syncsvc.Replica.Version, Commits).
	version, commits int64
	mu               sync.Mutex
	cadres           *cadreRoll
	// parts are the parts of the schedule records read, by table
	// (store.ScheduleRecordsParts); records, once set, all of them put
	// together.
	parts   map[string]map[uuid.UUID]care.Records
	records map[uuid.UUID]care.Records

	// due is VisitsDue of the last day asked (dueOn, dueAll), once
	// dueSet: the settings and the helpers it reads are the replica's too.
	dueMu  sync.Mutex
	due    DueVisits
	dueOn  cadre.Date
	dueAll bool
	dueSet bool
}

// cadreRoll is every live cadre, as store.Replica.Cadres lists them, and
// their names as a search compares them (NameKey, initials), by the
// cadres' index, each worked out when first asked for.
type cadreRoll struct {
	list     []cadre.Cadre
	mu       sync.Mutex
	keys     []string
	initials [][][]string
}

// keep returns a roll of version v and count n that keeps what r read of
// the tables not among written.
func (r *roll) keep(v, n int64, written []string) *roll {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := &roll{version: v, commits: n, parts: map[string]map[uuid.UUID]care.Records{}}
	if !slices.Contains(written, store.CadresTable) {
		next.cadres = r.cadres
	}
	for t, p := range r.parts {
		if !slices.Contains(written, t) {
			next.parts[t] = p
		}
	}
	if len(next.parts) == len(r.parts) {
		next.records = r.records
	}
	return next
}

// everyCadre returns the live cadres, as store.Replica.Cadres lists them.
func (r *roll) everyCadre(ctx context.Context, rep *store.Replica) ([]cadre.Cadre, error) {
	cr, err := r.cadreRoll(ctx, rep)
	if err != nil {
		return nil, err
	}
	return cr.list, nil
}

// cadreRoll returns the roll's cadres, read when first asked for.
func (r *roll) cadreRoll(ctx context.Context, rep *store.Replica) (*cadreRoll, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cadres == nil {
		cs, err := rep.Cadres(ctx, store.CadreFilter{})
		if err != nil {
			return nil, err
		}
		r.cadres = &cadreRoll{list: cs}
	}
	return r.cadres, nil
}

// scheduleRecords returns what care.Schedule needs of every cadre, by
// cadre id, as store.Replica.ScheduleRecordsByCadre reads it: the parts
// not kept read in one read, and all put together.
func (r *roll) scheduleRecords(ctx context.Context, rep *store.Replica) (map[uuid.UUID]care.Records, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.records != nil {
		return r.records, nil
	}
	var missing []string
	for _, t := range store.ScheduleTables {
		if _, ok := r.parts[t]; !ok {
			missing = append(missing, t)
		}
	}
	read, err := rep.ScheduleRecordsParts(ctx, missing...)
	if err != nil {
		return nil, err
	}
	if r.parts == nil {
		r.parts = map[string]map[uuid.UUID]care.Records{}
	}
	parts := make([]map[uuid.UUID]care.Records, 0, len(store.ScheduleTables))
	for _, t := range store.ScheduleTables {
		if p, ok := read[t]; ok {
			r.parts[t] = p
		}
		parts = append(parts, r.parts[t])
	}
	r.records = store.MergeScheduleRecords(parts...)
	return r.records, nil
}

// nameKeys returns the NameKey of every cadre's name, by the index of
// everyCadre's list, and their pinyin initials when asked for, each
// worked out once; cs is everyCadre's list.
func (r *roll) nameKeys(cs []cadre.Cadre, withInitials bool) ([]string, [][][]string) {
	r.mu.Lock()
	cr := r.cadres
	r.mu.Unlock()
	if cr == nil { // not read through r: worked out for this call
		cr = &cadreRoll{list: cs}
	}
	cr.mu.Lock()
	defer cr.mu.Unlock()
	if cr.keys == nil {
		cr.keys = make([]string, len(cs))
		for i, c := range cs {
			cr.keys[i] = NameKey(c.Name)
		}
	}
	if withInitials && cr.initials == nil {
		cr.initials = make([][][]string, len(cs))
		for i, c := range cs {
			cr.initials[i] = initials(c.Name)
		}
	}
	return cr.keys, cr.initials
}

// dueVisits returns VisitsDue of on and all, worked out once a roll for
// the last day asked (a page asks for today again and again); what it
// returns is a copy, the caller's to change.
func (r *roll) dueVisits(ctx context.Context, rep *store.Replica, on cadre.Date, all bool) (DueVisits, error) {
	r.dueMu.Lock()
	defer r.dueMu.Unlock()
	if !r.dueSet || r.dueOn != on || r.dueAll != all {
		dv, err := visitsDue(ctx, rep, r, on, all)
		if err != nil {
			return DueVisits{}, err
		}
		r.due, r.dueOn, r.dueAll, r.dueSet = dv, on, all, true
	}
	dv := r.due
	dv.Dues = slices.Clone(dv.Dues)
	dv.HelperNames = maps.Clone(dv.HelperNames)
	return dv, nil
}
