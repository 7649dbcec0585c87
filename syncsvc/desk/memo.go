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
// reads the visits again and nothing else; and which cadres, so that an
// edit of a cadre (or a few hundred: up to syncsvc.MaxCommitRecords) reads
// those cadres again, with the days they were registered, puts them in
// their places in the list, and works out the visits due to them alone. A
// write it was not told of (by another process, syncsvc.Replica.Commits)
// makes it read everything again. Its answers are those of the functions of the same names. It is
// safe for concurrent use.
type Memo struct {
	rep  *store.Replica
	stop func()
	mu   sync.Mutex
	cur  *roll
	// told are this replica's commits, with what they changed, by their
	// number, for the numbers after cur's.
	told map[int64]syncsvc.Commit
	// reports keeps what the reports read; forget are the tables written
	// since it was last told, and forgetAll that it must forget
	// everything, and forgetCadres the ids of the cadres written since,
	// when forget holds the cadres table and they are known (nil when not:
	// all guarded by mu).
	reports      *report.Cache
	forget       map[string]bool
	forgetAll    bool
	forgetCadres map[uuid.UUID]bool
}

// maxTold bounds the commits a Memo keeps the tables of between two
// requests; past it, the next request reads everything again.
const maxTold = 10_000

// NewMemo returns a Memo over rep, which follows rep's writes until Close.
func NewMemo(rep *store.Replica) *Memo {
	m := &Memo{rep: rep, told: map[int64]syncsvc.Commit{}}
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

// committed notes what one of the replica's own commits changed.
func (m *Memo) committed(c syncsvc.Commit) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.told) >= maxTold {
		clear(m.told) // a gap: the next roll reads everything
	}
	m.told[c.Number] = c
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
	all, tables, cadres := m.forgetAll, m.forget, m.forgetCadres
	m.forgetAll, m.forget, m.forgetCadres = false, nil, nil
	m.mu.Unlock()
	switch {
	case all:
		m.reports.Forget(nil)
	case tables != nil:
		written := make([]string, 0, len(tables)) // none: bookkeeping only
		for t := range tables {
			written = append(written, t)
		}
		var ids []uuid.UUID // nil: not known
		if cadres != nil {
			ids = slices.AppendSeq(make([]uuid.UUID, 0, len(cadres)), maps.Keys(cadres))
		}
		m.reports.ForgetCadres(written, ids)
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
		if w, ok := m.ownSince(m.cur.commits, n); ok {
			next, kept = m.cur.keep(v, n, w), true
			if ids, written := w[store.CadresTable]; written {
				// The cadres written since the reports were last told, by
				// id, while every write of them so far is known by id.
				prev := m.forgetCadres
				known := ids != nil && (!m.forget[store.CadresTable] || prev != nil)
				m.forgetCadres = nil
				if known {
					m.forgetCadres = union(prev, ids) // nil past the cap
				}
			}
			if m.forget == nil {
				m.forget = map[string]bool{}
			}
			for t := range w {
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

// ownSince returns what the commits after from up to to changed, when
// every one of them was this replica's own; false when one was not
// (another process wrote), or when nothing was counted though the version
// moved (a program that does not count its writes).
func (m *Memo) ownSince(from, to int64) (writes, bool) {
	if to <= from {
		return nil, false
	}
	w := writes{}
	for k := from + 1; k <= to; k++ {
		c, ok := m.told[k]
		if !ok {
			return nil, false
		}
		w.add(c)
	}
	return w, true
}

// writes are the tables some commits changed, each with the ids of the
// records they stored or deleted there, or nil when those are not known
// or more than syncsvc.MaxCommitRecords (syncsvc.Commit.Records).
type writes map[string]map[uuid.UUID]bool

// add notes what c changed.
func (w writes) add(c syncsvc.Commit) {
	for _, t := range c.Tables {
		ids, seen := w[t]
		rs, known := c.Records[t]
		if !known || (seen && ids == nil) {
			w[t] = nil
			continue
		}
		if ids == nil {
			ids = make(map[uuid.UUID]bool, len(rs))
			w[t] = ids
		}
		for _, id := range rs {
			ids[id] = true
		}
		if len(ids) > syncsvc.MaxCommitRecords {
			w[t] = nil
		}
	}
}

// onlyCadres reports whether the writes changed no table but the cadres,
// and those by id.
func (w writes) onlyCadres() bool {
	for t, ids := range w {
		if t != store.CadresTable || ids == nil {
			return false
		}
	}
	return true
}

// union returns the ids of a and b together in a new set; nil when they
// are more than syncsvc.MaxCommitRecords.
func union(a, b map[uuid.UUID]bool) map[uuid.UUID]bool {
	out := make(map[uuid.UUID]bool, len(a)+len(b))
	for id := range a {
		out[id] = true
	}
	for id := range b {
		out[id] = true
	}
	if len(out) > syncsvc.MaxCommitRecords {
		return nil
	}
	return out
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
	// patch, when set, is what a roll before read of the cadres, and the
	// cadres written since (by id), which are read again and put in when
	// the cadres or their records are first asked for; cadres and
	// parts[store.CadresTable] are then unset.
	patch *cadrePatch

	// dues are VisitsDue of the last day asked, without and with all.
	dueMu sync.Mutex
	dues  [2]dueRoll
}

// cadrePatch is what a roll before read of the cadres (the list, and the
// CadresTable part of the schedule records, each nil when not read; the
// records all put together, nil when they do not stand but for the cadres
// written), and stale, the ids of the cadres written since.
type cadrePatch struct {
	cadres  *cadreRoll
	part    map[uuid.UUID]care.Records
	records map[uuid.UUID]care.Records
	stale   map[uuid.UUID]bool
}

// dueRoll is VisitsDue of one value of all, for the day on, once set,
// with every cadre's dues by id (by); or, when kept is set instead, those
// of a roll before, which stand for the cadres not among kept.stale.
type dueRoll struct {
	set  bool
	on   cadre.Date
	dv   DueVisits
	by   map[uuid.UUID][]DueVisit
	kept *keptDues
}

// keptDues are the dues of every cadre on a day by id, worked out by a
// roll before, and the cadres written since (stale), whose dues are not.
type keptDues struct {
	on    cadre.Date
	by    map[uuid.UUID][]DueVisit
	stale map[uuid.UUID]bool
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
// the tables w does not hold, and of the cadres table but for the cadres
// written, when w knows them; and the visits due to the cadres not
// written, when nothing else was.
func (r *roll) keep(v, n int64, w writes) *roll {
	r.mu.Lock()
	defer r.mu.Unlock()
	next := &roll{version: v, commits: n, parts: map[string]map[uuid.UUID]care.Records{}}
	for t, p := range r.parts {
		if _, written := w[t]; !written {
			next.parts[t] = p
		}
	}
	// The records put together stand but for the cadres' part when no
	// other part was written.
	othersKept := true
	for _, t := range store.ScheduleTables {
		if _, written := w[t]; written && t != store.CadresTable {
			othersKept = false
		}
	}
	ids, cadresWritten := w[store.CadresTable]
	switch {
	case !cadresWritten && r.patch == nil:
		next.cadres = r.cadres
		if len(next.parts) == len(r.parts) {
			next.records = r.records
		}
	case ids != nil || !cadresWritten:
		base := r.patch
		if base == nil {
			base = &cadrePatch{cadres: r.cadres, part: r.parts[store.CadresTable], records: r.records}
		}
		if stale := union(base.stale, ids); stale != nil && (base.cadres != nil || base.part != nil) {
			p := &cadrePatch{cadres: base.cadres, part: base.part, stale: stale}
			if othersKept {
				p.records = base.records
			}
			next.patch = p
			delete(next.parts, store.CadresTable)
		}
	}
	if w.onlyCadres() {
		r.dueMu.Lock()
		defer r.dueMu.Unlock()
		for i := range r.dues {
			d := &r.dues[i]
			switch {
			case d.by != nil:
				next.dues[i].kept = &keptDues{on: d.on, by: d.by, stale: union(nil, ids)}
			case d.kept != nil:
				next.dues[i].kept = &keptDues{on: d.kept.on, by: d.kept.by, stale: union(d.kept.stale, ids)}
			}
			if k := next.dues[i].kept; k != nil && k.stale == nil {
				next.dues[i].kept = nil
			}
		}
	}
	return next
}

// patched applies r's patch, when it has one: reads the cadres written
// since the roll it keeps from, and their part of the schedule records,
// and puts them in; the caller holds r.mu.
func (r *roll) patched(ctx context.Context, rep *store.Replica) error {
	p := r.patch
	if p == nil {
		return nil
	}
	stale := make([]uuid.UUID, 0, len(p.stale))
	for id := range p.stale {
		stale = append(stale, id)
	}
	fresh, part, err := rep.CadresOf(ctx, stale)
	if err != nil {
		return err
	}
	if p.cadres != nil {
		r.cadres = p.cadres.patched(p.stale, fresh)
	}
	if p.part != nil {
		np := maps.Clone(p.part)
		for id := range p.stale {
			delete(np, id)
		}
		maps.Copy(np, part)
		if r.parts == nil {
			r.parts = map[string]map[uuid.UUID]care.Records{}
		}
		r.parts[store.CadresTable] = np
		if p.records != nil && r.records == nil && len(r.parts) == len(store.ScheduleTables) {
			recs := maps.Clone(p.records)
			one := make([]map[uuid.UUID]care.Records, len(store.ScheduleTables))
			for id := range p.stale {
				for i, t := range store.ScheduleTables {
					one[i] = nil
					if rec, ok := r.parts[t][id]; ok {
						one[i] = map[uuid.UUID]care.Records{id: rec}
					}
				}
				if rec, ok := store.MergeScheduleRecords(one...)[id]; ok {
					recs[id] = rec
				} else {
					delete(recs, id)
				}
			}
			r.records = recs
		}
	}
	r.patch = nil
	return nil
}

// patched returns a new cadreRoll: cr's cadres but those of stale, and
// fresh (the cadres of stale still live, in the order of store.Cadres) in
// their places in that order, with their names' keys and initials when
// cr has them.
func (cr *cadreRoll) patched(stale map[uuid.UUID]bool, fresh []cadre.Cadre) *cadreRoll {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	n := len(cr.list) + len(fresh)
	out := &cadreRoll{list: make([]cadre.Cadre, 0, n)}
	if cr.keys != nil {
		out.keys = make([]string, 0, n)
	}
	if cr.initials != nil {
		out.initials = make([][][]string, 0, n)
	}
	i, j := 0, 0
	for i < len(cr.list) || j < len(fresh) {
		if i < len(cr.list) && stale[cr.list[i].ID] {
			i++
			continue
		}
		if j < len(fresh) && (i == len(cr.list) || store.CompareCadres(fresh[j], cr.list[i]) < 0) {
			c := fresh[j]
			out.list = append(out.list, c)
			if out.keys != nil {
				out.keys = append(out.keys, NameKey(c.Name))
			}
			if out.initials != nil {
				out.initials = append(out.initials, initials(c.Name))
			}
			j++
			continue
		}
		out.list = append(out.list, cr.list[i])
		if out.keys != nil {
			out.keys = append(out.keys, cr.keys[i])
		}
		if out.initials != nil {
			out.initials = append(out.initials, cr.initials[i])
		}
		i++
	}
	return out
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
	if err := r.patched(ctx, rep); err != nil {
		return nil, err
	}
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
	if err := r.patched(ctx, rep); err != nil {
		return nil, err
	}
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
// the last day asked (a page asks for today again and again), and for the
// cadres a roll before worked it out for, and not written since, not
// again; what it returns is a copy, the caller's to change.
func (r *roll) dueVisits(ctx context.Context, rep *store.Replica, on cadre.Date, all bool) (DueVisits, error) {
	r.dueMu.Lock()
	defer r.dueMu.Unlock()
	d := &r.dues[0]
	if all {
		d = &r.dues[1]
	}
	if !d.set || d.on != on {
		var kept func(uuid.UUID) ([]DueVisit, bool)
		if k := d.kept; k != nil && k.on == on {
			kept = func(id uuid.UUID) ([]DueVisit, bool) {
				if k.stale[id] {
					return nil, false
				}
				ds, ok := k.by[id]
				return ds, ok
			}
		}
		by := map[uuid.UUID][]DueVisit{}
		dv, err := visitsDue(ctx, rep, r, on, all, kept, by)
		if err != nil {
			return DueVisits{}, err
		}
		*d = dueRoll{set: true, on: on, dv: dv, by: by}
	}
	dv := d.dv
	dv.Dues = slices.Clone(dv.Dues)
	dv.HelperNames = maps.Clone(dv.HelperNames)
	return dv, nil
}
