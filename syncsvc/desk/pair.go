package desk

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc/settings"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// PairingRequest asks for a 1对5 pairing.
type PairingRequest struct {
	// On is the day: needs are judged on it and new pairs begin on it.
	On cadre.Date
	// Rebalance lets valid pairs move to a nearer helper (the nightly
	// merge never does); the cadres stay paired.
	Rebalance bool
}

// Pairing is a 1对5 pairing proposed: what care.Assign decided from the
// hub's records under the district's settings.
type Pairing struct {
	// Input is what the assignment read: the cadres, helpers and pairs.
	Input care.AssignInput
	// Result is what it decided: the pairs in force after it, the pairs
	// it ends, the cadres it leaves unpaired.
	Result care.AssignResult
	// Settings are the settings it ran with.
	Settings care.AssignSettings
}

// ProposePairing proposes the 1对5 pairing on a day: every valid pair kept,
// as many cadres paired as capacity allows, higher tiers first, then the
// least distance. Nothing is written; ApplyPairing writes it.
func ProposePairing(ctx context.Context, rep *store.Replica, in PairingRequest) (Pairing, error) {
	input, err := rep.AssignInput(ctx, in.On)
	if err != nil {
		return Pairing{}, fmt.Errorf("propose pairing: %w", err)
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return Pairing{}, fmt.Errorf("propose pairing: %w", err)
	}
	s := rules.Assign
	s.Rebalance = in.Rebalance
	return Pairing{Input: input, Result: care.Assign(input, s), Settings: s}, nil
}

// ApplyPairing writes a pairing proposed, in one transaction: the pairs it
// ends end, its new pairs are stored. Applying the same pairing twice
// writes nothing the second time.
func ApplyPairing(ctx context.Context, rep *store.Replica, p Pairing) (store.PairingApplied, error) {
	written, err := rep.ApplyPairing(ctx, p.Result)
	if err != nil {
		return written, fmt.Errorf("apply pairing: %w", err)
	}
	return written, nil
}

// PairInForce is a pair in force on a day whose cadre is held here.
type PairInForce struct {
	// Pair is the pair.
	Pair care.Pair
	// Cadre is the cadre paired.
	Cadre cadre.Cadre
	// Tier is the cadre's need tier on the day, 0 for none.
	Tier int
	// Need is the need of the cadre's tier on the day, "" for none.
	Need cadre.Need
	// HelperName is the helper's name, "" when the helper is not held
	// here.
	HelperName string
}

// PairsInForce lists the pairs in force on a day whose cadre is held in the
// replica, in the replica's order.
func PairsInForce(ctx context.Context, rep *store.Replica, on cadre.Date) ([]PairInForce, error) {
	ps, err := rep.Pairs(ctx, store.PairFilter{OpenOn: on})
	if err != nil {
		return nil, fmt.Errorf("pairs in force: %w", err)
	}
	cs, err := rep.Cadres(ctx, store.CadreFilter{})
	if err != nil {
		return nil, fmt.Errorf("pairs in force: %w", err)
	}
	byID := make(map[uuid.UUID]cadre.Cadre, len(cs))
	for _, c := range cs {
		byID[c.ID] = c
	}
	names, err := HelperNames(ctx, rep)
	if err != nil {
		return nil, err
	}
	rules, err := settings.Load(ctx, rep)
	if err != nil {
		return nil, fmt.Errorf("pairs in force: %w", err)
	}
	out := make([]PairInForce, 0, len(ps))
	for _, p := range ps {
		c, known := byID[p.CadreID]
		if !known {
			continue
		}
		out = append(out, PairInForce{Pair: p, Cadre: c, Tier: c.NeedTier(on, rules.Policy), Need: TopNeed(c, on, rules.Policy),
			HelperName: names[p.HelperID]})
	}
	return out, nil
}

// TopNeed is the need of c's tier on the day, "" when c needs no pair.
func TopNeed(c cadre.Cadre, on cadre.Date, p cadre.Policy) cadre.Need {
	if ns := c.Needs(on, p); len(ns) > 0 {
		return ns[0]
	}
	return ""
}
