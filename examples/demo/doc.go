// Package demo is what the example programs under examples/ share: the
// command line of a program that shows the rules on a made-up district
// (a date, a language, JSON or text), and the makings of made-up
// districts of Jinan — people whose records are valid to the last check
// character, fixed record IDs, and a seeded generator of further cadres.
//
// It exists so that each example shows its own rules and its own district
// and nothing else. It is not for real data: every person in it is made up,
// and every ID number, though it passes cadre.ValidateIDNumber, belongs to
// nobody the programs know of.
package demo
