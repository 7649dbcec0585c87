// Package care holds the rules of caring for retired cadres (关心照顾): who
// is paired with which helper in 1对5 pairing (Assign, from the needs that
// package cadre computes), which visits are due for a cadre on a date
// (Schedule), and which urgent help cases wait too long (UrgentUnattended,
// HelpSummary).
//
// The package is pure, like package cadre: no storage, no network, no clock.
// Every rule takes the date or instant it is evaluated on, and the same input
// gives the same output, sorted. Records (Helper, Pair, Visit, HospitalStay,
// HelpCase) are plain values; package syncsvc stores and syncs them, and the
// wanxia command prints what the rules compute. Derived states — overdue,
// unattended, unpaired — are computed when read and never stored.
//
// # Pairing
//
// Assign follows the objective of docs/domain.md in order: keep every existing pair
// that is still valid; pair as many cadres as the helpers' capacity allows,
// higher need tiers first (cadres without a known home location last within
// their tier); then the least total great-circle distance between helper
// bases and cadre homes. Since any cadre may be paired with any helper, the
// first two parts fix how many cadres of each tier are paired; which ones,
// where a tier does not fit whole, and with whom is the distance part. It is
// solved exactly, as a min-cost flow by successive shortest paths over each
// cadre's nearest helpers, with every other helper priced against the final
// potentials so that the answer is optimal for the full problem (see
// mincost.go). The tests check it against a textbook min-cost flow.
//
// # Visits
//
// Schedule lists, for one cadre, each visit owed around a date with its due
// date and window, and the visit that satisfied it if one did. Calendar
// periods (quarter, month) are civil dates, which callers take in
// Asia/Shanghai. Spring Festival (正月初一) and Double Ninth (九月初九) come
// from github.com/6tail/lunar-go, never from a table.
//
// # Dates
//
// Every end date in this package (Pair.To, Helper.ActiveTo,
// HospitalStay.Discharged, a cadre's status date) is the first day on which
// the thing no longer holds: a pair ending on the date of death is not in
// force on that date.
package care
