package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/google/uuid"
	"github.com/spf13/cobra"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// hubPairCmd is `hub pair`.
func (a *app) hubPairCmd() *cobra.Command {
	cmd := a.group("pair", "1对5 pairing (结对帮扶) of helpers with the cadres who need one: assign", "")
	cmd.AddCommand(a.pairAssignCmd())
	return cmd
}

// officePairCmd is `office pair`.
func (a *app) officePairCmd() *cobra.Command {
	cmd := a.group("pair", "1对5 pairs (结对帮扶) of the cadres held here: list", "")
	cmd.AddCommand(a.pairListCmd())
	return cmd
}

// needLabel is a need's label, "" for none.
func (a *app) needLabel(n cadre.Need) string {
	if n == "" {
		return ""
	}
	return n.Label(a.lang)
}

// tierLabel shows a need tier: 第1档, or "-" for none.
func (a *app) tierLabel(tier int) string {
	if tier == 0 {
		return "-"
	}
	return a.tf("第%d档", "tier %d", tier)
}

// round1 rounds kilometres to one decimal, as they are shown.
func round1(km float64) float64 { return math.Round(km*10) / 10 }

// pairingJSON is a pairing proposed, and with --apply written.
type pairingJSON struct {
	On        cadre.Date      `json:"on"`
	Rebalance bool            `json:"rebalance"`
	Helpers   []helperPair    `json:"helpers"`
	Ended     []endedPairJSON `json:"ended"`
	Unpaired  []unpairedJSON  `json:"unpaired"`
	// MeasuredKm is the total distance of the pairs whose distance is
	// known; UnknownDistancePairs counts the others.
	MeasuredKm           float64               `json:"measured_km"`
	UnknownDistancePairs int                   `json:"unknown_distance_pairs"`
	Applied              bool                  `json:"applied"`
	Written              *store.PairingApplied `json:"written"`
}

// helperPair is a helper serving on the day with the cadres paired after
// the assignment.
type helperPair struct {
	ID       uuid.UUID        `json:"id"`
	Name     string           `json:"name"`
	Capacity int              `json:"capacity"`
	Cadres   []assignmentJSON `json:"cadres"`
}

// assignmentJSON is one pair in force after the assignment; Km is null
// when the cadre's home or the helper's base is unknown.
type assignmentJSON struct {
	PairID    string     `json:"pair_id"`
	CadreID   uuid.UUID  `json:"cadre_id"`
	Name      string     `json:"name"`
	Tier      int        `json:"tier"`
	Need      cadre.Need `json:"need"`
	NeedLabel string     `json:"need_label"`
	Km        *float64   `json:"km"`
	New       bool       `json:"new"`
	From      cadre.Date `json:"from"`
}

type unpairedJSON struct {
	CadreID     uuid.UUID           `json:"cadre_id"`
	Name        string              `json:"name"`
	Community   string              `json:"community"`
	Tier        int                 `json:"tier"`
	Need        cadre.Need          `json:"need"`
	NeedLabel   string              `json:"need_label"`
	Reason      care.UnpairedReason `json:"reason"`
	ReasonLabel string              `json:"reason_label"`
}

func (a *app) pairAssignCmd() *cobra.Command {
	var on cadre.Date
	var apply, rebalance, asJSON bool
	cmd := a.leaf("assign", "Propose the 1对5 pairing: keep every valid pair, pair as many cadres as capacity allows, higher tiers first, then the least distance; --apply writes it", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleHub, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			p, err := desk.ProposePairing(ctx, r, desk.PairingRequest{On: on, Rebalance: rebalance})
			if err != nil {
				return err
			}
			out := a.pairingReport(p.Input, p.Result, p.Settings)
			if apply {
				written, err := desk.ApplyPairing(ctx, r, p)
				if err != nil {
					return a.fail(err, "结对没有写入（数据库未改动）：%v", "the pairing was not written (the database is as it was): %v", a.libText(errors.Unwrap(err)))
				}
				out.Applied, out.Written = true, &written
			}
			if asJSON {
				return a.printJSON(out)
			}
			return a.printPairing(out)
		})
	})
	f := cmd.Flags()
	f.Var(&dateFlag{&on}, "on", "pair on this date: needs are judged on it and new pairs begin on it (default today)")
	f.BoolVar(&apply, "apply", false, "write the pairing: end the pairs that end and store the new ones")
	f.BoolVar(&rebalance, "rebalance", false, "let valid pairs move to a nearer helper (the nightly merge never does); the cadres stay paired")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// pairingReport gathers what Assign decided with names and labels.
func (a *app) pairingReport(in care.AssignInput, res care.AssignResult, s care.AssignSettings) pairingJSON {
	ppl := people{}
	for _, c := range in.Cadres {
		ppl[c.ID] = c
	}
	helpers := map[uuid.UUID]care.Helper{}
	for _, h := range in.Helpers {
		helpers[h.ID] = h
	}
	out := pairingJSON{On: in.On, Rebalance: s.Rebalance, Helpers: []helperPair{}, Ended: []endedPairJSON{}, Unpaired: []unpairedJSON{}}
	// Every helper serving on the day is shown, with room or not, and so
	// is any other helper the result pairs.
	byHelper := map[uuid.UUID]*helperPair{}
	entry := func(h care.Helper) *helperPair {
		if byHelper[h.ID] == nil {
			byHelper[h.ID] = &helperPair{ID: h.ID, Name: h.Name, Capacity: s.CapacityOf(h), Cadres: []assignmentJSON{}}
		}
		return byHelper[h.ID]
	}
	for _, h := range in.Helpers {
		if h.Active(in.On) {
			entry(h)
		}
	}
	for _, p := range res.Pairs {
		hp := entry(helpers[p.HelperID])
		c := ppl[p.CadreID]
		need := desk.TopNeed(c, in.On, s.Policy)
		j := assignmentJSON{PairID: idOrEmpty(p.ID), CadreID: p.CadreID, Name: ppl.name(a, p.CadreID), Tier: p.Tier, Need: need,
			NeedLabel: a.needLabel(need), New: p.New, From: p.From}
		if p.Located {
			km := round1(p.Km)
			j.Km = &km
		}
		hp.Cadres = append(hp.Cadres, j)
	}
	for _, hp := range byHelper {
		sortByName(hp.Cadres, func(x assignmentJSON) string { return x.Name })
		slices.SortStableFunc(hp.Cadres, func(x, y assignmentJSON) int { return cmp.Compare(x.Tier, y.Tier) })
		out.Helpers = append(out.Helpers, *hp)
	}
	slices.SortFunc(out.Helpers, func(x, y helperPair) int { return cmp.Compare(x.ID.String(), y.ID.String()) })
	sortByName(out.Helpers, func(h helperPair) string { return h.Name })
	for _, p := range res.Ended {
		out.Ended = append(out.Ended, endedPairJSON{PairID: p.ID, CadreID: p.CadreID, Name: ppl.name(a, p.CadreID), HelperID: p.HelperID,
			HelperName: cmp.Or(helpers[p.HelperID].Name, p.HelperID.String()[:8]), From: p.From, To: p.To, Reason: p.EndReason, ReasonLabel: p.EndReason.Label(a.lang)})
	}
	sortByName(out.Ended, func(e endedPairJSON) string { return e.Name })
	for _, u := range res.Unpaired {
		c := ppl[u.CadreID]
		need := desk.TopNeed(c, in.On, s.Policy)
		out.Unpaired = append(out.Unpaired, unpairedJSON{CadreID: u.CadreID, Name: c.Name, Community: c.Community, Tier: u.Tier,
			Need: need, NeedLabel: a.needLabel(need), Reason: u.Reason, ReasonLabel: u.Reason.Label(a.lang)})
	}
	sortByName(out.Unpaired, func(u unpairedJSON) string { return u.Name })
	slices.SortStableFunc(out.Unpaired, func(x, y unpairedJSON) int { return cmp.Compare(x.Tier, y.Tier) })
	km, unknown := res.MeasuredKm()
	out.MeasuredKm, out.UnknownDistancePairs = round1(km), unknown
	return out
}

func (a *app) printPairing(p pairingJSON) error {
	a.printf("1对5 结对帮扶方案，截至 %s", "1对5 pairing as of %s", p.On)
	if p.Rebalance {
		a.printf("（允许把现有结对调整给更近的帮扶人）", " (valid pairs may move to a nearer helper)")
	}
	a.printf("\n", "\n")
	if len(p.Helpers) == 0 {
		a.printf("  （%s 没有在岗的帮扶人：用 wanxia hub helper add 登记）\n", "  (no helper serves on %s: add one with wanxia hub helper add)\n", p.On)
	}
	for _, h := range p.Helpers {
		a.printf("%s  名额 %d，已结对 %d 人\n", "%s  capacity %d, %d paired\n", h.Name, h.Capacity, len(h.Cadres))
		for _, c := range h.Cadres {
			dist := a.t("距离未知", "distance unknown")
			if c.Km != nil {
				dist = a.tf("%.1f 公里", "%.1f km", *c.Km)
			}
			state := a.t("保留", "kept")
			if c.New {
				state = a.t("新结对", "new")
			}
			fmt.Fprintf(a.stdout, "  %s  %s %s  %s  %s\n", c.Name, a.tierLabel(c.Tier), c.NeedLabel, dist, state)
		}
	}
	a.printf("解除的结对\n", "Pairs ended\n")
	for _, e := range p.Ended {
		a.printf("  %s  帮扶人 %s  %s 起解除：%s\n", "  %s  helper %s  ends as of %s: %s\n", e.Name, e.HelperName, e.To, e.ReasonLabel)
	}
	if len(p.Ended) == 0 {
		a.printf("  无\n", "  none\n")
	}
	a.printf("未结对\n", "Left unpaired\n")
	for _, u := range p.Unpaired {
		fmt.Fprintf(a.stdout, "  %s  %s %s  %s\n", u.Name, a.tierLabel(u.Tier), u.NeedLabel, u.ReasonLabel)
	}
	if len(p.Unpaired) == 0 {
		a.printf("  无\n", "  none\n")
	}
	a.printf("总距离 %.1f 公里", "total distance %.1f km", p.MeasuredKm)
	if p.UnknownDistancePairs > 0 {
		a.printf("（另有 %d 对距离未知，未计入）", " (%d more pairs of unknown distance not counted)", p.UnknownDistancePairs)
	}
	a.printf("\n\n", "\n\n")
	if !p.Applied {
		again := "wanxia hub pair assign --apply --on " + p.On.String()
		if p.Rebalance {
			again += " --rebalance"
		}
		a.printf("以上是结对方案，尚未写入。确认后运行 %s 写入\n", "This is a proposal; nothing was written. Once agreed, run %s to write it\n", again)
		return nil
	}
	if *p.Written == (store.PairingApplied{}) {
		a.printf("没有需要写入的更改：结对已与方案一致\n", "nothing to write: the pairs are as proposed already\n")
		return nil
	}
	a.printf("已写入：新建结对 %d 个，解除结对 %d 个。办公室同步后可见\n", "written: %d pairs created, %d ended. Offices see them after they sync\n",
		p.Written.PairsCreated, p.Written.PairsEnded)
	return nil
}

// pairListJSON is a pair in force in an office's replica.
type pairListJSON struct {
	PairID      uuid.UUID  `json:"pair_id"`
	CadreID     uuid.UUID  `json:"cadre_id"`
	Name        string     `json:"name"`
	Community   string     `json:"community"`
	Tier        int        `json:"tier"`
	Need        cadre.Need `json:"need"`
	NeedLabel   string     `json:"need_label"`
	HelperID    uuid.UUID  `json:"helper_id"`
	HelperName  string     `json:"helper_name"`
	Since       cadre.Date `json:"since"`
	Reason      cadre.Need `json:"reason"`
	ReasonLabel string     `json:"reason_label"`
}

func (a *app) pairListCmd() *cobra.Command {
	var on cadre.Date
	var asJSON bool
	cmd := a.leaf("list", "List the 1对5 pairs in force for the cadres held here: cadre, need tier, helper, since, and the need the pair was made for", 0, func(cmd *cobra.Command, _ []string) error {
		on = a.orToday(on)
		return a.withReplica(cmd.Context(), syncsvc.RoleOffice, false, func(r *store.Replica) error {
			ctx := cmd.Context()
			out, err := a.pairsInForce(ctx, r, on)
			if err != nil {
				return err
			}
			if asJSON {
				return a.printJSON(out)
			}
			if len(out) == 0 {
				a.printf("（%s 本机没有在结对中的干部：结对由区老干部局用 wanxia hub pair assign --apply 安排，同步后可见）\n",
					"(no cadre held here is paired on %s: the district pairs them with wanxia hub pair assign --apply; pairs arrive with a sync)\n", on)
				return nil
			}
			rs, err := loadRefs(ctx, r, desk.KindCadre)
			if err != nil {
				return err
			}
			rows := make([][]string, 0, len(out))
			for _, p := range out {
				rows = append(rows, []string{rs.label(p.CadreID, p.Name), a.tierLabel(p.Tier) + " " + orDash(p.NeedLabel), p.HelperName, p.Since.String(), p.ReasonLabel})
			}
			a.printf("结对帮扶（%s，%d 对）\n", "Pairs in force on %s (%d)\n", on, len(out))
			if err := writeTable(a.stdout, []string{a.t("干部", "cadre"), a.t("需要档次", "tier"), a.t("帮扶人", "helper"),
				a.t("结对起始", "since"), a.t("结对原因", "paired for")}, rows); err != nil {
				return err
			}
			a.refNote(rs)
			return nil
		})
	})
	cmd.Flags().Var(&dateFlag{&on}, "on", "the day (default today)")
	jsonFlag(cmd, &asJSON)
	return cmd
}

// pairsInForce lists the pairs in force on a day whose cadre is held here,
// by helper and cadre name.
func (a *app) pairsInForce(ctx context.Context, r *store.Replica, on cadre.Date) ([]pairListJSON, error) {
	ps, err := desk.PairsInForce(ctx, r, on)
	if err != nil {
		return nil, err
	}
	out := make([]pairListJSON, 0, len(ps))
	for _, p := range ps {
		c := p.Cadre
		out = append(out, pairListJSON{PairID: p.Pair.ID, CadreID: c.ID, Name: c.Name, Community: c.Community, Tier: p.Tier,
			Need: p.Need, NeedLabel: a.needLabel(p.Need), HelperID: p.Pair.HelperID,
			HelperName: cmp.Or(p.HelperName, a.tf("（不在本机：%s）", "(not held here: %s)", p.Pair.HelperID.String()[:8])),
			Since:      p.Pair.From, Reason: p.Pair.Reason, ReasonLabel: a.needLabel(p.Pair.Reason)})
	}
	sortByName(out, func(p pairListJSON) string { return p.Name })
	return out, nil
}
