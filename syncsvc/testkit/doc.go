// Package testkit holds helpers for tests only: valid ID numbers, cadre
// builders, an opened replica and a fixed clock. It gathers what test
// files used to copy from one another.
//
// Every helper is deterministic: the same arguments give the same ID
// number, the same cadre and the same instant, so that a failing test
// fails the same way on every run. Replicas are real SQLite files in the
// test's t.TempDir(), closed when the test ends.
//
// No program may import this package; it is for _test.go files.
package testkit
