package report

import (
	"cmp"
	"math"
	"slices"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

// Pairing states of a cadre who needs a pair, in the order the report
// lists them: what needs doing first.
var (
	pairUnpaired = Label{"unpaired", Text{"未结对", "unpaired"}}
	pairProposed = Label{"proposed", Text{"待结对（有空位）", "to pair (a helper has room)"}}
	pairPaired   = Label{"paired", Text{"已结对", "paired"}}
	pairOrder    = []string{pairUnpaired.Code, pairProposed.Code, pairPaired.Code}
)

// pairRow is a cadre who needs a pair, with what Assign found.
type pairRow struct {
	c    *cadre.Cadre
	tier int
	need cadre.Need
	pairState
}

// pairState is a cadre's pairing as care.Assign leaves it: the pairsIndex
// holds one for each cadre of the district, so it holds no more.
type pairState struct {
	state  Label
	helper string
	reason care.UnpairedReason
}

// pairCount counts cadres who need a pair by their state.
type pairCount struct{ needing, paired, proposed, unpaired int }

func (p *pairCount) add(state Label) {
	p.needing++
	switch state.Code {
	case pairPaired.Code:
		p.paired++
	case pairProposed.Code:
		p.proposed++
	default:
		p.unpaired++
	}
}

// rate is the share of those needing a pair who have one, in per cent to
// one decimal.
func (p pairCount) rate() float64 {
	if p.needing == 0 {
		return 0
	}
	return math.Round(float64(p.paired)*1000/float64(p.needing)) / 10
}

// pairs shows 1对5 pairing as it stands on On: care.Assign, without
// rebalancing, over the replica's whole AssignInput (so that helpers'
// capacity counts every pair), keeps the valid pairs, proposes pairs where
// a helper has room, and says why the others stay unpaired. The cadres
// shown are those of the scope.
func (b *builder) pairs() ([]*Table, error) {
	settings := b.s.Assign
	settings.Rebalance = false
	ix, err := b.c.PairsIndex(b.on, settings, b.compareNames)
	if err != nil {
		return nil, err
	}
	state := ix.state

	var rows []pairRow
	byTier := make([]pairCount, 6)
	byCommunity := map[string]*pairCount{}
	for _, c := range b.scope.Communities {
		byCommunity[c.Code] = &pairCount{}
	}
	var total pairCount
	for i := range b.scoped {
		c := &b.scoped[i] // read only: the cadres are shared
		tier := c.NeedTier(b.on, settings.Policy)
		if tier == 0 {
			continue
		}
		row := pairRow{pairState: state[c.ID]}
		if row.state.Code == "" {
			row.state = pairUnpaired
		}
		row.c, row.tier = c, tier
		row.need = c.Needs(b.on, settings.Policy)[0]
		rows = append(rows, row)
		byTier[tier].add(row.state)
		if byCommunity[c.Community] == nil {
			byCommunity[c.Community] = &pairCount{}
		}
		byCommunity[c.Community].add(row.state)
		total.add(row.state)
	}
	slices.SortStableFunc(rows, func(x, y pairRow) int {
		return cmp.Or(cmp.Compare(slices.Index(pairOrder, x.state.Code), slices.Index(pairOrder, y.state.Code)), cmp.Compare(x.tier, y.tier))
	})

	cadres := &Table{Key: "cadres", Name: Text{"结对：需结对的干部", "Cadres who need a pair"}, Columns: []Column{
		{"state", "结对情况", "state", 18},
		{"tier", "档次", "tier", 6},
		{"need", "需结对原因", "need", 20},
		{"community", "社区", "community", 14},
		{"name", "姓名", "name", 10},
		{"helper", "帮扶人", "helper", 10},
		{"reason", "未结对原因", "why unpaired", 30},
	}}
	for _, r := range rows {
		cadres.add(r.state, int64(r.tier), labelOf(r.need, cadre.Need.Label), b.community(r.c.Community), r.c.Name, r.helper,
			labelOf(r.reason, care.UnpairedReason.Label))
	}
	cadres.Summary = tf("需结对 %d 名：已结对 %d 名，帮扶人有空位待结对 %d 名，未结对 %d 名；结对率 %.1f%%",
		"%d need a pair: %d paired, %d to pair where a helper has room, %d unpaired; %.1f%% paired",
		total.needing, total.paired, total.proposed, total.unpaired, total.rate())

	tiers := &Table{Key: "by_tier", Name: Text{"结对：按档次", "Pairing by tier"}, Columns: []Column{
		{"tier", "档次", "tier", 6},
		{"need", "需结对原因", "need", 20},
		{"needing", "需结对", "need a pair", 10},
		{"paired", "已结对", "paired", 10},
		{"proposed", "待结对", "to pair", 10},
		{"unpaired", "未结对", "unpaired", 10},
	}}
	for _, n := range []cadre.Need{cadre.NeedLixiu, cadre.NeedSeriousHealth, cadre.NeedAloneElderly, cadre.NeedLivingDifficulty, cadre.NeedElderly} {
		p := byTier[n.Tier()]
		tiers.add(int64(n.Tier()), labelOf(n, cadre.Need.Label), int64(p.needing), int64(p.paired), int64(p.proposed), int64(p.unpaired))
	}

	communities := &Table{Key: "by_community", Name: Text{"结对：按社区", "Pairing by community"}, Columns: []Column{
		{"community", "社区", "community", 14},
		{"needing", "需结对", "need a pair", 10},
		{"paired", "已结对", "paired", 10},
		{"proposed", "待结对", "to pair", 10},
		{"unpaired", "未结对", "unpaired", 10},
		{"paired_pct", "结对率(%)", "paired (%)", 10},
	}}
	codes := make([]string, 0, len(byCommunity))
	for code := range byCommunity {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	for _, code := range codes {
		p := byCommunity[code]
		communities.add(b.community(code), int64(p.needing), int64(p.paired), int64(p.proposed), int64(p.unpaired), p.rate())
	}

	// The helpers' load is the district's, the same in every report.
	load := *ix.load
	load.Rows = slices.Clone(load.Rows)
	return []*Table{cadres, tiers, communities, &load}, nil
}
