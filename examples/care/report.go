package main

import (
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
)

// report is what the program shows, in the form --json prints it: codes
// for scripts, with labels in the language asked for beside them. Lists are
// never null.
type report struct {
	On       cadre.Date     `json:"on"`
	Lang     cadre.Lang     `json:"lang"`
	Helpers  []helperView   `json:"helpers"`
	Ended    []endedView    `json:"ended"`
	Unpaired []unpairedView `json:"unpaired"`
	// TotalKm is the distance of the pairs whose distance is known; Assign's
	// own total counts a placeholder for each of the others.
	TotalKm              float64  `json:"total_km"`
	UnknownDistancePairs int      `json:"unknown_distance_pairs"`
	Week                 weekView `json:"week"`
}

// helperView is an active helper and the cadres paired after Assign.
type helperView struct {
	Name     string       `json:"name"`
	Capacity int          `json:"capacity"`
	Cadres   []pairedView `json:"cadres"`
}

type pairedView struct {
	Cadre     string     `json:"cadre"`
	Tier      int        `json:"tier"`
	Need      cadre.Need `json:"need"`
	NeedLabel string     `json:"need_label"`
	// Km is nil when the cadre's home or the helper's base is unknown.
	Km   *float64   `json:"km"`
	New  bool       `json:"new"`
	From cadre.Date `json:"from"`
}

type endedView struct {
	Cadre       string         `json:"cadre"`
	Helper      string         `json:"helper"`
	From        cadre.Date     `json:"from"`
	To          cadre.Date     `json:"to"`
	Reason      care.EndReason `json:"reason"`
	ReasonLabel string         `json:"reason_label"`
}

type unpairedView struct {
	Cadre       string              `json:"cadre"`
	Tier        int                 `json:"tier"`
	Need        cadre.Need          `json:"need"`
	NeedLabel   string              `json:"need_label"`
	Reason      care.UnpairedReason `json:"reason"`
	ReasonLabel string              `json:"reason_label"`
}

// weekView is the visits due from From to To, both included, and those
// overdue, with counts of each state.
type weekView struct {
	From    cadre.Date  `json:"from"`
	To      cadre.Date  `json:"to"`
	Overdue int         `json:"overdue"`
	Open    int         `json:"open"`
	Done    int         `json:"done"`
	Cadres  []cadreDues `json:"cadres"`
}

type cadreDues struct {
	Cadre string `json:"cadre"`
	Tier  int    `json:"tier"`
	// Helper is the helper paired after Assign, "" for none.
	Helper      string       `json:"helper"`
	Status      cadre.Status `json:"status"`
	StatusLabel string       `json:"status_label"`
	StatusOn    cadre.Date   `json:"status_on,omitzero"`
	Visits      []dueView    `json:"visits"`
}

type dueView struct {
	Kind        care.DueKind `json:"kind"`
	Label       string       `json:"label"`
	Milestone   int          `json:"milestone,omitempty"`
	DueOn       cadre.Date   `json:"due_on"`
	WindowStart cadre.Date   `json:"window_start"`
	WindowEnd   cadre.Date   `json:"window_end"`
	Overdue     bool         `json:"overdue"`
	SatisfiedBy *visitView   `json:"satisfied_by"`
}

type visitView struct {
	Kind  care.VisitKind `json:"kind"`
	Label string         `json:"label"`
	On    cadre.Date     `json:"on"`
	By    string         `json:"by"`
}
