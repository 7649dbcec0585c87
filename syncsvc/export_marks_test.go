package syncsvc

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
