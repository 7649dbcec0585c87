// Package cadre holds the record of a retired cadre (离退休干部) and the rules
// that depend on that record alone: the resident ID number (GB 11643-1999),
// field validation, age, the "empty nest" and "double-high period" states,
// and the priority tier in which a cadre needs a 1对5 pair.
//
// The package is pure: it does no I/O and reads no clock. Every rule that
// depends on time takes the date it is evaluated on, so the same input always
// gives the same output. Storage and sync live in package syncsvc; the
// branch, care and venue packages build their rules on top of this one.
//
// Enumerated fields are string types whose values are the stable codes of
// the wanxia command's contract (for example "lixiu"). Each parses from its
// code or its Chinese label and prints either, so rosters typed in either
// form load alike.
package cadre
