package syncsvc

import "strings"

// SetFeedMarksOff turns the hub's feed marks off, so that the feed probes
// every table and scope as it would without them, or on again: the tests
// compare the two.
func SetFeedMarksOff(r *Replica, off bool) { r.marks.off.Store(off) }

// FeedMarks reports whether the hub's feed marks are valid and through
// which number.
func FeedMarks(r *Replica) (valid bool, through int64) {
	r.marks.mu.Lock()
	defer r.marks.mu.Unlock()
	return r.marks.valid, r.marks.through
}

// FeedPlans returns SQLite's plan of each query the feed makes of a table
// for a reader of scopes whose own communities are own, from the start.
func FeedPlans(r *Replica, table string, scopes, own []string) ([]string, error) {
	t := r.tables[table]
	clauses, argsets := r.feedClauses(t, scopes, own, 0, 1<<62, "", nil, 100)
	var plans []string
	for i, c := range clauses {
		rows, err := r.rdb.Query("EXPLAIN QUERY PLAN "+t.selectQ+" "+c, argsets[i]...)
		if err != nil {
			return nil, err
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				rows.Close()
				return nil, err
			}
			plan = append(plan, detail)
		}
		rows.Close()
		plans = append(plans, strings.Join(plan, "; "))
	}
	return plans, nil
}
