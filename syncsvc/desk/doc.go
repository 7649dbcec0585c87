// Package desk: what an office's staff do, one function per task — each
// runs in one transaction and returns plain view structs that the command
// prints and a web page can render.
//
// A function takes a context, the replica, and an input struct naming the
// records by id and the date the task is done on (the caller supplies
// today: no function reads the clock). Reads that the replica offers inside
// a transaction are made there, so that what a task decides on is what it
// writes over; an election, for one, reads the branch's posts in the
// transaction that ends and begins them.
//
// Views carry the domain's own values (kinds, roles, states, and texts in
// both languages); they hold no wording of their own, so that a command or
// a page labels them in the language its reader asks for. A cadre a view
// refers to but this replica does not hold is marked so (MemberRef.Held),
// not named.
//
// Errors wrap their cause with what was being done; conditions a caller
// words for a person are sentinel errors (ErrNotPartyMember,
// ErrYearOutOfRange, …), some carried by a typed error with the records
// concerned (PayDuesError, OmittedPostError, DeliveryBeforeMeetingError).
package desk
