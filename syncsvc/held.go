package syncsvc

import (
	"cmp"
	"slices"
)

// SeqRange is a run of positions in the district sequence, From through
// Through, both included.
type SeqRange struct {
	From, Through int64
}

// MaxHeldRanges is how many ranges of held records a pull heeds: a push
// of new records is numbered in one run, so a sync's pushes name a few;
// ranges past this many are ignored, and their records are sent as
// usual.
const MaxHeldRanges = 64

// seqRanges returns the runs of consecutive numbers in seqs, in
// ascending order; zeros (records not numbered) are left out.
func seqRanges(seqs []int64) []SeqRange {
	s := slices.DeleteFunc(slices.Clone(seqs), func(n int64) bool { return n <= 0 })
	slices.Sort(s)
	var out []SeqRange
	for _, n := range s {
		if k := len(out) - 1; k >= 0 && n <= out[k].Through+1 {
			out[k].Through = max(out[k].Through, n)
			continue
		}
		out = append(out, SeqRange{From: n, Through: n})
	}
	return out
}

// joinRanges returns the ranges of a and b together, in ascending order,
// runs that touch or overlap made one.
func joinRanges(a, b []SeqRange) []SeqRange {
	all := slices.Concat(a, b)
	slices.SortFunc(all, func(x, y SeqRange) int { return cmp.Compare(x.From, y.From) })
	var out []SeqRange
	for _, r := range all {
		if r.From > r.Through {
			continue
		}
		if k := len(out) - 1; k >= 0 && r.From <= out[k].Through+1 {
			out[k].Through = max(out[k].Through, r.Through)
			continue
		}
		out = append(out, r)
	}
	return out
}

// heldClause returns the condition (" AND NOT (_seq BETWEEN ? AND ?) …")
// and its arguments that leave out of a feed query the records in held,
// at most MaxHeldRanges of them.
func heldClause(held []SeqRange) (string, []any) {
	clause, args := "", []any(nil)
	for i, h := range held {
		if i == MaxHeldRanges {
			break
		}
		if h.From > h.Through {
			continue
		}
		clause += " AND NOT (_seq BETWEEN ? AND ?)"
		args = append(args, h.From, h.Through)
	}
	return clause, args
}
