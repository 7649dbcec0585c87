package report

import (
	"cmp"
	"slices"
	"time"

	"github.com/google/uuid"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// The district's records grouped once for every report built with one
// cache: the nightly merge writes the district's workbook and one per
// office, and each office's is built from its own part (its communities'
// cadres, the branches that concern them, their dues and pairs), so that
// the reports cost the cadres plus the offices, not their product. Each
// index is read-only once built; a report copies what it changes.

// cadreIndex is every cadre of the replica: by id, in the order the
// reports list cadres (community, then name as a Chinese reader looks it
// up, then id), and by community in that order.
type cadreIndex struct {
	// byID maps ids to indexes into sorted: a map of copies would hold
	// every cadre twice.
	byID        map[uuid.UUID]int32
	sorted      []cadre.Cadre
	byCommunity map[string][]cadre.Cadre
	// names maps community codes to names, the code where there is none.
	names map[string]string
	// communities are the communities registered, by code.
	communities []store.Community
}

// compareCadres orders cadres as the reports list them: by community
// code, then name (pinyin), then ID.
func compareCadres(coll *collate.Collator) func(x, y cadre.Cadre) int {
	return func(x, y cadre.Cadre) int {
		return cmp.Or(cmp.Compare(x.Community, y.Community), coll.CompareString(x.Name, y.Name), cmp.Compare(x.ID.String(), y.ID.String()))
	}
}

// CadreIndex reads and groups the cadres and communities, once.
func (c *cache) CadreIndex() (*cadreIndex, error) {
	c.read(store.CadresTable, store.CommunitiesTable)
	if c.cadreIx != nil {
		return c.cadreIx, nil
	}
	comms, err := c.Communities()
	if err != nil {
		return nil, err
	}
	all, err := c.allCadres()
	if err != nil {
		return nil, err
	}
	compare := compareCadres(collate.New(language.Chinese))
	if was := c.cadreWas; was != nil {
		// Only the cadres written since was.ix was built are put in their
		// places: sorting them all again is most of the index's cost.
		all = was.ix.patched(all, was.stale, compare)
	} else {
		all = slices.Clone(all) // sorted here: the owner's list is not
		slices.SortFunc(all, compare)
	}
	ix := &cadreIndex{byID: make(map[uuid.UUID]int32, len(all)), sorted: all, byCommunity: map[string][]cadre.Cadre{},
		names: make(map[string]string, len(comms)), communities: comms}
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].Community == all[i].Community {
			ix.byID[all[j].ID] = int32(j)
			j++
		}
		ix.byCommunity[all[i].Community] = all[i:j:j]
		i = j
	}
	for _, cm := range comms {
		ix.names[cm.Code] = cmp.Or(cm.Name, cm.Code)
	}
	c.cadreIx, c.cadreWas = ix, nil
	return ix, nil
}

// allCadres lists every live cadre, through the owner's Sources when it
// has one; the list may be the owner's: never change it.
func (c *cache) allCadres() ([]cadre.Cadre, error) {
	if c.src.Cadres != nil {
		return c.src.Cadres(c.ctx)
	}
	return c.r.Cadres(c.ctx, store.CadreFilter{})
}

// patched returns, in a new slice, the cadres of ix but those of stale,
// and the cadres of all (every live cadre) that are of stale, each in its
// place in report order (compare): what sorting all gives.
func (ix *cadreIndex) patched(all []cadre.Cadre, stale map[uuid.UUID]bool, compare func(x, y cadre.Cadre) int) []cadre.Cadre {
	var fresh []cadre.Cadre
	for _, c := range all {
		if stale[c.ID] {
			fresh = append(fresh, c)
		}
	}
	slices.SortFunc(fresh, compare)
	out := make([]cadre.Cadre, 0, len(ix.sorted)+len(fresh))
	keep := func(cs []cadre.Cadre) {
		for _, c := range cs {
			if !stale[c.ID] {
				out = append(out, c)
			}
		}
	}
	// ix.sorted is in order, the cadres of stale too, and no two cadres
	// compare equal (the id decides last): each of fresh, in order, goes
	// after the last one's place.
	from := 0
	for _, c := range fresh {
		at, _ := slices.BinarySearchFunc(ix.sorted[from:], c, compare)
		keep(ix.sorted[from : from+at])
		out = append(out, c)
		from += at
	}
	keep(ix.sorted[from:])
	return out
}

// cadre returns the cadre of the id, if the replica holds it.
func (ix *cadreIndex) cadre(id uuid.UUID) (cadre.Cadre, bool) {
	i, ok := ix.byID[id]
	if !ok {
		return cadre.Cadre{}, false
	}
	return ix.sorted[i], true
}

// in returns the cadres of the given communities (sorted codes, no
// repeats), in report order, as a slice of the caller's own.
func (ix *cadreIndex) in(codes []string) []cadre.Cadre {
	var out []cadre.Cadre
	for _, code := range codes {
		out = append(out, ix.byCommunity[code]...)
	}
	return out
}

// branchIndex is the branch records grouped by branch for the date on,
// and which branches concern each community.
type branchIndex struct {
	on       cadre.Date
	branches []branch.Branch
	rec      branchRecords
	// concern maps a community to the branches (indexes into branches,
	// ascending) that cover it or have a member living in it on On: the
	// branches a report of the community may show.
	concern map[string][]int
}

// BranchIndex reads and groups the branch records for the date on (the
// meetings of the calendar year of the month before it, and this month),
// once per date; cadres looks up every cadre by id.
func (c *cache) BranchIndex(on cadre.Date, cadres func(uuid.UUID) (cadre.Cadre, bool)) (*branchIndex, error) {
	c.read(branchIndexReads...)
	if c.branchIx != nil && c.branchIx.on == on {
		return c.branchIx, nil
	}
	ix := &branchIndex{on: on, concern: map[string][]int{}, rec: branchRecords{memberships: map[uuid.UUID][]branch.Membership{},
		posts: map[uuid.UUID][]branch.Post{}, meetings: map[uuid.UUID][]branch.Meeting{}, current: map[uuid.UUID]bool{}}}
	var err error
	if ix.branches, err = c.Branches(); err != nil {
		return nil, err
	}
	ms, err := c.Memberships()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		ix.rec.memberships[m.BranchID] = append(ix.rec.memberships[m.BranchID], m)
		if m.Covers(on) {
			ix.rec.current[m.CadreID] = true
		}
	}
	posts, err := c.Posts()
	if err != nil {
		return nil, err
	}
	for _, p := range posts {
		ix.rec.posts[p.BranchID] = append(ix.rec.posts[p.BranchID], p)
	}
	// The longest period a meeting falls due in is the calendar year of
	// last month.
	last := branch.MonthOf(on).Add(-1)
	meetings, err := c.r.Meetings(c.ctx, store.MeetingFilter{From: cadre.NewDate(last.Year, 1, 1), To: branch.MonthOf(on).Last()})
	if err != nil {
		return nil, err
	}
	for _, m := range meetings {
		ix.rec.meetings[m.BranchID] = append(ix.rec.meetings[m.BranchID], m)
	}
	for i, br := range ix.branches {
		codes := slices.Clone(br.Communities)
		for _, m := range branch.MembersDuringFunc(ix.rec.memberships[br.ID], cadre.Through(on, on), cadres) {
			codes = append(codes, m.Community)
		}
		slices.Sort(codes)
		for _, code := range slices.Compact(codes) {
			ix.concern[code] = append(ix.concern[code], i)
		}
	}
	c.branchIx = ix
	return ix, nil
}

// of returns the branches that concern the communities in (nil: every
// branch), in the order they were read.
func (ix *branchIndex) of(in map[string]bool) []branch.Branch {
	if in == nil {
		return ix.branches
	}
	var at []int
	for code := range in {
		at = append(at, ix.concern[code]...)
	}
	slices.Sort(at)
	out := make([]branch.Branch, 0, len(at))
	for _, i := range slices.Compact(at) {
		out = append(out, ix.branches[i])
	}
	return out
}

// duesIndex is every cadre's memberships, dues payments and reliefs, and
// the branches' names.
type duesIndex struct {
	memberships map[uuid.UUID][]branch.Membership
	payments    map[uuid.UUID][]branch.DuesPayment
	reliefs     map[uuid.UUID][]branch.DuesRelief
	branchName  map[uuid.UUID]string
}

// DuesIndex reads and groups the dues records by cadre, once: Arrears
// ignores other cadres' records, and each report reads its own cadres'.
func (c *cache) DuesIndex() (*duesIndex, error) {
	c.read(duesIndexReads...)
	if c.duesIx != nil {
		return c.duesIx, nil
	}
	ix := &duesIndex{memberships: map[uuid.UUID][]branch.Membership{}, payments: map[uuid.UUID][]branch.DuesPayment{},
		reliefs: map[uuid.UUID][]branch.DuesRelief{}, branchName: map[uuid.UUID]string{}}
	ms, err := c.Memberships()
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		ix.memberships[m.CadreID] = append(ix.memberships[m.CadreID], m)
	}
	pays, err := c.r.DuesPayments(c.ctx, uuid.Nil)
	if err != nil {
		return nil, err
	}
	for _, p := range pays {
		ix.payments[p.CadreID] = append(ix.payments[p.CadreID], p)
	}
	reliefs, err := c.DuesReliefs()
	if err != nil {
		return nil, err
	}
	for _, r := range reliefs {
		ix.reliefs[r.CadreID] = append(ix.reliefs[r.CadreID], r)
	}
	bs, err := c.Branches()
	if err != nil {
		return nil, err
	}
	for _, br := range bs {
		ix.branchName[br.ID] = br.Name
	}
	c.duesIx = ix
	return ix, nil
}

// pairsIndex is care.Assign's answer on a date, grouped: each cadre's
// state, and the helpers' load, which every report shows whole.
type pairsIndex struct {
	on    cadre.Date
	state map[uuid.UUID]pairState
	// read is, for a Cache's cache (incremental), what care.Assign read of
	// each cadre (assignView), by id: the pairing stands after a write of
	// cadres that leaves it the same.
	read map[uuid.UUID]cadre.Cadre
	// load is the helpers' load table and its summary, as on the hub.
	load *Table
}

// PairsIndex computes the pairing on a date once (with the settings of
// the first report that asks: one cache serves reports of one set of
// settings, as Assignment's), and what every report of it reads: the
// cadres' states and the helpers' load (compare orders the helpers'
// names).
func (c *cache) PairsIndex(on cadre.Date, settings care.AssignSettings, compare func(x, y string) int) (*pairsIndex, error) {
	c.read(assignReads...)
	if c.pairsIx != nil && c.pairsIx.on == on {
		return c.pairsIx, nil
	}
	if was := c.pairsWas; was != nil && was.ix.on == on {
		kept, err := c.assignSame(was.ix.read, was.stale)
		if err != nil {
			return nil, err
		}
		if kept {
			c.pairsIx, c.pairsWas = was.ix, nil
			return was.ix, nil
		}
	}
	c.pairsWas = nil
	// care.Assign without rebalancing over the replica's whole input: the
	// input and the answer are not kept, only what the reports read of them.
	settings.Rebalance = false
	in, err := c.r.AssignInput(c.ctx, on)
	if err != nil {
		return nil, err
	}
	res := care.Assign(in, settings)
	ix := &pairsIndex{on: on, state: map[uuid.UUID]pairState{}}
	if c.incremental {
		ix.read = make(map[uuid.UUID]cadre.Cadre, len(in.Cadres))
		for _, cd := range in.Cadres {
			ix.read[cd.ID] = assignView(cd)
		}
	}
	helpers := map[uuid.UUID]care.Helper{}
	for _, h := range in.Helpers {
		helpers[h.ID] = h
	}
	kept, proposed := map[uuid.UUID]int{}, map[uuid.UUID]int{}
	for _, a := range res.Pairs {
		row := pairState{state: pairPaired, helper: helpers[a.HelperID].Name}
		if a.New {
			row.state = pairProposed
			proposed[a.HelperID]++
		} else {
			kept[a.HelperID]++
		}
		ix.state[a.CadreID] = row
	}
	for _, u := range res.Unpaired {
		ix.state[u.CadreID] = pairState{state: pairUnpaired, reason: u.Reason}
	}

	ix.load = &Table{Key: "helpers", Name: Text{"结对：帮扶人负荷", "Helpers' load"}, Columns: []Column{
		{"helper", "帮扶人", "helper", 10},
		{"capacity", "可结对", "capacity", 8},
		{"paired", "已结对", "paired", 8},
		{"proposed", "待结对", "to pair", 8},
		{"free", "空位", "room left", 8},
		{"active_from", "开始日期", "serving from", 12},
	}}
	var active []care.Helper
	for _, h := range in.Helpers {
		if h.Active(on) {
			active = append(active, h)
		}
	}
	slices.SortFunc(active, func(x, y care.Helper) int {
		return cmp.Or(compare(x.Name, y.Name), cmp.Compare(x.ID.String(), y.ID.String()))
	})
	capacity, used := 0, 0
	for _, h := range active {
		n := settings.CapacityOf(h)
		capacity, used = capacity+n, used+kept[h.ID]+proposed[h.ID]
		ix.load.add(h.Name, int64(n), int64(kept[h.ID]), int64(proposed[h.ID]), int64(max(n-kept[h.ID]-proposed[h.ID], 0)), h.ActiveFrom)
	}
	ix.load.Summary = tf("在岗帮扶人 %d 名，可结对 %d 名干部，已用 %d 个", "%d helpers serving, room for %d cadres, %d taken",
		len(active), capacity, used)
	if c.r.Role() != syncsvc.RoleHub {
		note := Text{"（本机只有本办公室社区的结对，帮扶人负荷以 hub 的报表为准）", " (this office holds only its communities' pairs: see the hub's report for the helpers' load)"}
		ix.load.Summary.Zh += note.Zh
		ix.load.Summary.En += note.En
	}
	c.pairsIx = ix
	return ix, nil
}

// assignSame reports whether every cadre of stale is, as care.Assign
// reads it (assignView), what read holds: there, as then, or gone, as
// then.
func (c *cache) assignSame(read map[uuid.UUID]cadre.Cadre, stale map[uuid.UUID]bool) (bool, error) {
	if read == nil {
		return false, nil
	}
	ix, err := c.CadreIndex()
	if err != nil {
		return false, err
	}
	for id := range stale {
		now, ok := ix.cadre(id)
		was, wasOK := read[id]
		if ok != wasOK || (ok && !sameForAssign(assignView(now), was)) {
			return false, nil
		}
	}
	return true, nil
}

// assignView is a cadre as care.Assign reads it (AssignInput.Cadres): the
// cadre with the fields it never reads, directly or through the cadre's
// methods (Needs, NeedTier, Age, OnRoll), left empty. A field not named
// here counts, so that a field added to cadre.Cadre counts until it is
// known not to.
func assignView(c cadre.Cadre) cadre.Cadre {
	c.Name, c.Gender, c.IDNumber = "", "", ""
	c.RetiredOn, c.Rank = cadre.Date{}, ""
	c.Party, c.PartyJoinedOn = "", cadre.Date{}
	c.Address, c.Phone, c.EmergencyContact, c.OriginalUnit = "", "", "", ""
	c.PensionFen = 0
	return c
}

// sameForAssign reports whether two assignViews are the same, the
// locations compared by value.
func sameForAssign(x, y cadre.Cadre) bool {
	xl, yl := x.Location, y.Location
	if (xl == nil) != (yl == nil) || (xl != nil && *xl != *yl) {
		return false
	}
	x.Location, y.Location = nil, nil
	return x == y
}

// SyncSummary is syncsvc.Replica.SyncSummary since a time, read once per
// time.
func (c *cache) SyncSummary(since time.Time) ([]syncsvc.OfficeSummary, error) {
	c.read(notRecords)
	if c.syncSums == nil || !c.syncSince.Equal(since) {
		sums, err := c.r.SyncSummary(c.ctx, since)
		if err != nil {
			return nil, err
		}
		c.syncSums, c.syncSince = sums, since
	}
	return c.syncSums, nil
}

// Refusals is every office's refusals (syncsvc.Replica.Refusals), newest
// first, read once; a copy.
func (c *cache) Refusals() ([]syncsvc.RefusalRecord, error) {
	return once(c, "refusals", &c.refusals, func() ([]syncsvc.RefusalRecord, error) { return c.r.Refusals(c.ctx, "") })
}
