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
	"github.com/wanxia/wanxia/syncsvc/store"
)

// Memo serves, for a program that keeps one replica open and lists its
// cadres again and again (the office desk), the use cases that look at
// every cadre — VisitsDue and ListCadres — from what it read of them
// before, for as long as nothing has been committed to the replica since
// (syncsvc.Replica.Version): the cadres, the records their visits due are
// worked out from, and the pinyin initials of their names. Its answers are
// those of the functions of the same names. It is safe for concurrent use.
type Memo struct {
	rep *store.Replica
	mu  sync.Mutex
	cur *roll
}

// NewMemo returns a Memo over rep.
func NewMemo(rep *store.Replica) *Memo { return &Memo{rep: rep} }

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

// roll returns what was read at the replica's present version, a new
// roll, read as it is asked for, once the version has moved.
func (m *Memo) roll(ctx context.Context) (*roll, error) {
	v, err := m.rep.Version(ctx)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cur == nil || m.cur.version != v {
		m.cur = &roll{version: v}
	}
	return m.cur, nil
}

// roll is what the lists read of every live cadre, each part read when
// first asked for and kept: one roll a call for the package's functions,
// one a replica version for a Memo. What it returns is shared: read it,
// never change it.
type roll struct {
	version int64
	mu      sync.Mutex
	cadres  []cadre.Cadre
	records map[uuid.UUID]care.Records
	// keys and initials are the cadres' names as a search compares them
	// (NameKey, initials), by the cadres' index.
	keys     []string
	initials [][][]string

	// due is VisitsDue of the last day asked (dueOn, dueAll), once
	// dueSet: the settings and the helpers it reads are the replica's too.
	dueMu  sync.Mutex
	due    DueVisits
	dueOn  cadre.Date
	dueAll bool
	dueSet bool
}

// everyCadre returns the live cadres, as store.Replica.Cadres lists them.
func (r *roll) everyCadre(ctx context.Context, rep *store.Replica) ([]cadre.Cadre, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cadres == nil {
		cs, err := rep.Cadres(ctx, store.CadreFilter{})
		if err != nil {
			return nil, err
		}
		r.cadres = cs
	}
	return r.cadres, nil
}

// scheduleRecords returns what care.Schedule needs of every cadre, by
// cadre id (store.Replica.ScheduleRecordsByCadre).
func (r *roll) scheduleRecords(ctx context.Context, rep *store.Replica) (map[uuid.UUID]care.Records, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.records == nil {
		recs, err := rep.ScheduleRecordsByCadre(ctx)
		if err != nil {
			return nil, err
		}
		r.records = recs
	}
	return r.records, nil
}

// nameKeys returns the NameKey of every cadre's name, by the index of
// everyCadre's list, and their pinyin initials when asked for, each
// worked out once.
func (r *roll) nameKeys(cs []cadre.Cadre, withInitials bool) ([]string, [][][]string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = make([]string, len(cs))
		for i, c := range cs {
			r.keys[i] = NameKey(c.Name)
		}
	}
	if withInitials && r.initials == nil {
		r.initials = make([][][]string, len(cs))
		for i, c := range cs {
			r.initials[i] = initials(c.Name)
		}
	}
	return r.keys, r.initials
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
