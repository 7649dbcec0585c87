// Package venue holds the rules of the district's venues (阵地建设) and of
// the "four nearby" program (四就近): learning nearby (就近学习), activities
// nearby (就近活动), care nearby (就近得到关心照顾) and a role to play nearby
// (就近发挥作用), within a short walk of a cadre's home.
//
// Venues (Venue: senior universities, activity centres and rooms, community
// service stations, day-care centres, community clinics) offer some of the
// four services. A community takes part in the program from the date of
// its Enrolment, first as a pilot (试点), then as the program is extended
// (推广).
//
//   - NewIndex builds a spatial index (a grid of cells as wide as the
//     walking circle) over the venues once; Reach lists the venues open on
//     a date within walking distance of a home.
//   - FourNearby answers for one cadre: per service, whether it is within
//     reach, by which venue and how far, or what is missing, in Chinese and
//     English; and whether the program serves the cadre, by which rule
//     (Eligible).
//   - Coverage counts eligible cadres and their services within reach for a
//     community or the district; BestNewSites proposes where new venues
//     would cover the most cadres still without a service.
//
// Distances are walking distances: the great-circle distance times a detour
// factor (1.3 by default), to the millimetre, and a venue at exactly the
// radius (500 m by default, the 10-minute life circle of GB 50180-2018) is
// within it. Every number is a setting (Settings, DefaultSettings).
//
// The package is pure, like package cadre below it: no storage, no network,
// no files, no clock. Every rule takes the date it is evaluated on, and the
// same input gives the same output, sorted, with ties broken by ID. End
// dates (Venue.ClosedOn, Enrolment.Until, a cadre's status date) are the
// first day on which the thing no longer holds. Records are plain values;
// package syncsvc stores and syncs them.
package venue
