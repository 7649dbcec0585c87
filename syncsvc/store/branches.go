package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/branch"
	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
)

// Record type names of the branch records.
const (
	BranchesTable     = "branches"
	MembershipsTable  = "memberships"
	PostsTable        = "branch_posts"
	MeetingsTable     = "meetings"
	AttendanceTable   = "meeting_attendance"
	DeliveriesTable   = "study_deliveries"
	TrainingTable     = "training_attendance"
	DuesPaymentsTable = "dues_payments"
	DuesReliefsTable  = "dues_reliefs"
	FeedbackTable     = "branch_feedback"
)

// BranchTypes declares the records of branch work. Their scopes follow
// docs/architecture.md: a branch has the communities it covers as its scope (a scope
// set for a joint branch, so that every office holding one of them reads
// and writes it; "district" for an original-unit or interest-based branch
// that covers no community, which the hub keeps), and its committee posts,
// meetings, attendance, 送学上门 deliveries and feedback follow it; a
// membership, dues payment, dues relief or training attendance is about a
// cadre and follows the cadre.
//
// Facts that accumulate are rows of their own: each member's attendance at
// a meeting and each delivery is a record, so that two offices recording
// different members of one meeting both keep their entries.
func BranchTypes() []syncsvc.RecordType {
	byBranch := syncsvc.ScopeByParent(BranchesTable, "branch_id")
	byMeeting := syncsvc.ScopeByParent(MeetingsTable, "meeting_id")
	byCadre := syncsvc.ScopeByParent(CadresTable, "cadre_id")
	return []syncsvc.RecordType{
		{Name: BranchesTable, Fields: []syncsvc.Field{
			syncsvc.Col("name", syncsvc.Text), syncsvc.Col("kind", syncsvc.Text), syncsvc.Col("communities", syncsvc.Text), syncsvc.Col("units", syncsvc.Text),
			syncsvc.Col("founded_on", syncsvc.Text), syncsvc.Col("dissolved_on", syncsvc.Text),
		}, Scope: syncsvc.ScopeByColumn("communities")},
		{Name: MembershipsTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("branch_id", syncsvc.Text),
			syncsvc.Register("span", syncsvc.Column{Name: "from_date", Type: syncsvc.Text}, syncsvc.Column{Name: "to_date", Type: syncsvc.Text}),
		}, Scope: byCadre, Indexes: [][]string{{"cadre_id"}, {"branch_id"}}},
		{Name: PostsTable, Fields: []syncsvc.Field{
			syncsvc.Col("branch_id", syncsvc.Text), syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("role", syncsvc.Text),
			syncsvc.Col("term_start", syncsvc.Text), syncsvc.Col("ended_on", syncsvc.Text),
		}, Scope: byBranch, Indexes: [][]string{{"branch_id"}}},
		{Name: MeetingsTable, Fields: []syncsvc.Field{
			syncsvc.Col("branch_id", syncsvc.Text), syncsvc.Col("kind", syncsvc.Text), syncsvc.Col("held_on", syncsvc.Text), syncsvc.Col("topic", syncsvc.Text),
		}, Scope: byBranch, Indexes: [][]string{{"branch_id", "held_on"}}},
		{Name: AttendanceTable, Fields: []syncsvc.Field{
			syncsvc.Col("meeting_id", syncsvc.Text), syncsvc.Col("cadre_id", syncsvc.Text),
			syncsvc.Register("presence", syncsvc.Column{Name: "present", Type: syncsvc.Bool}, syncsvc.Column{Name: "absence", Type: syncsvc.Text}, syncsvc.Column{Name: "note", Type: syncsvc.Text}),
		}, Scope: byMeeting, Indexes: [][]string{{"meeting_id"}, {"cadre_id"}}},
		{Name: DeliveriesTable, Fields: []syncsvc.Field{
			syncsvc.Col("meeting_id", syncsvc.Text), syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("delivered_on", syncsvc.Text), syncsvc.Col("note", syncsvc.Text),
		}, Scope: byMeeting, Indexes: [][]string{{"meeting_id"}}},
		{Name: TrainingTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("course", syncsvc.Text), syncsvc.Col("attended_on", syncsvc.Text),
		}, Scope: byCadre, Indexes: [][]string{{"cadre_id"}}},
		{Name: DuesPaymentsTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text), syncsvc.Col("months", syncsvc.Text), syncsvc.Col("amount_fen", syncsvc.Integer), syncsvc.Col("paid_on", syncsvc.Text),
		}, Scope: byCadre, Indexes: [][]string{{"cadre_id"}}},
		{Name: DuesReliefsTable, Fields: []syncsvc.Field{
			syncsvc.Col("cadre_id", syncsvc.Text),
			syncsvc.Register("relief", syncsvc.Column{Name: "from_month", Type: syncsvc.Text}, syncsvc.Column{Name: "to_month", Type: syncsvc.Text}, syncsvc.Column{Name: "exempt", Type: syncsvc.Bool}, syncsvc.Column{Name: "reduced_fen", Type: syncsvc.Integer}),
			syncsvc.Register("approval", syncsvc.Column{Name: "approved_by", Type: syncsvc.Text}, syncsvc.Column{Name: "approved_on", Type: syncsvc.Text}, syncsvc.Column{Name: "reason", Type: syncsvc.Text}),
		}, Scope: byCadre, Indexes: [][]string{{"cadre_id"}}},
		{Name: FeedbackTable, Fields: []syncsvc.Field{
			syncsvc.Col("branch_id", syncsvc.Text), syncsvc.Col("received_on", syncsvc.Text), syncsvc.Col("good", syncsvc.Bool), syncsvc.Col("source", syncsvc.Text), syncsvc.Col("note", syncsvc.Text),
		}, Scope: byBranch, Indexes: [][]string{{"branch_id"}}},
	}
}

// ErrMembershipOverlap is branch.ErrMembershipOverlap: a cadre would be a
// member of two branches at once.
var ErrMembershipOverlap = branch.ErrMembershipOverlap

// ErrParentMissing: a record refers to a branch, meeting or cadre that is
// not in this replica.
var ErrParentMissing = errors.New("the record it refers to is not here")

// nouns name the records a record may refer to, for messages.
var nouns = map[string]string{CadresTable: "cadre", BranchesTable: "branch", MeetingsTable: "meeting", HelpersTable: "helper"}

// requireLive checks that the record a new record refers to is here and live.
func requireLive(tx *syncsvc.Tx, table string, id uuid.UUID) error {
	rec, err := tx.Get(table, id)
	if err != nil && !errors.Is(err, syncsvc.ErrNotFound) {
		return err
	}
	if err != nil || rec.VoidReason != "" {
		return fmt.Errorf("%w: %s %s", ErrParentMissing, nouns[table], id)
	}
	return nil
}

var branchKind = kind[branch.Branch]{
	table: BranchesTable, noun: "branch",
	id: func(b *branch.Branch) *uuid.UUID { return &b.ID },
	values: func(b *branch.Branch) map[string]any {
		scope := syncsvc.ScopeSet(b.Communities...)
		if scope == "" {
			scope = syncsvc.DistrictScope
		}
		return map[string]any{
			"name": text(b.Name), "kind": text(string(b.Kind)), "communities": scope,
			"units": joined(b.Units, "\n"), "founded_on": dateText(b.FoundedOn), "dissolved_on": dateText(b.DissolvedOn),
		}
	},
	decode: func(d *fieldReader) branch.Branch {
		comms := syncsvc.ScopeCommunities(d.str("communities"))
		if slices.Equal(comms, []string{syncsvc.DistrictScope}) {
			comms = []string{}
		}
		return branch.Branch{
			ID: d.id(), Name: d.str("name"), Kind: branch.Kind(d.str("kind")), Communities: comms,
			Units: d.list("units", "\n"), FoundedOn: d.date("founded_on"), DissolvedOn: d.date("dissolved_on"),
		}
	},
	check: func(tx *syncsvc.Tx, b *branch.Branch) error {
		if b.ID == uuid.Nil {
			b.ID = uuid.Must(uuid.NewV7())
		}
		b.Communities = syncsvc.ScopeCommunities(syncsvc.ScopeSet(b.Communities...))
		if b.Communities == nil {
			b.Communities = []string{}
		}
		if b.Units == nil {
			b.Units = []string{}
		}
		return b.Validate()
	},
}

// PutBranch validates and stores a branch, giving it a new UUID v7 when its
// ID is zero. Its communities are its scope: changing them moves the branch,
// with its posts, meetings and attendance, like a cadre who moves.
func (r *Replica) PutBranch(ctx context.Context, b *branch.Branch) (bool, error) {
	return branchKind.putAlone(ctx, r, b)
}

// PutBranch is Replica.PutBranch within the transaction.
func (tx *Tx) PutBranch(b *branch.Branch) (bool, error) { return branchKind.put(tx.Tx, b) }

// Branch returns a live branch by id.
func (r *Replica) Branch(ctx context.Context, id uuid.UUID) (branch.Branch, error) {
	return r.Read(ctx).Branch(id)
}

// Branch is Replica.Branch through the reader.
func (rd Reads) Branch(id uuid.UUID) (branch.Branch, error) {
	return branchKind.get(rd.rd, id)
}

// Branches lists the live branches by name; with community set, those that
// cover it.
func (r *Replica) Branches(ctx context.Context, community string) ([]branch.Branch, error) {
	return r.Read(ctx).Branches(community)
}

// Branches is Replica.Branches through the reader.
func (rd Reads) Branches(community string) ([]branch.Branch, error) {
	bs, err := branchKind.list(rd.rd, "ORDER BY name, id")
	if err != nil || community == "" {
		return bs, err
	}
	return slices.DeleteFunc(bs, func(b branch.Branch) bool { return !slices.Contains(b.Communities, community) }), nil
}

var membershipKind = kind[branch.Membership]{
	table: MembershipsTable, noun: "membership",
	id: func(m *branch.Membership) *uuid.UUID { return &m.ID },
	values: func(m *branch.Membership) map[string]any {
		return map[string]any{
			"cadre_id": idText(m.CadreID), "branch_id": idText(m.BranchID),
			"span": []any{dateText(m.From), dateText(m.To)},
		}
	},
	decode: func(d *fieldReader) branch.Membership {
		return branch.Membership{ID: d.id(), CadreID: d.uuid("cadre_id"), BranchID: d.uuid("branch_id"), From: d.date("from_date"), To: d.date("to_date")}
	},
}

func init() { membershipKind.check = checkMembership }

// checkMembership is membershipKind's check (set in init: it lists
// memberships through the kind itself).
func checkMembership(tx *syncsvc.Tx, m *branch.Membership) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if err := requireLive(tx, CadresTable, m.CadreID); err != nil {
		return err
	}
	if err := requireLive(tx, BranchesTable, m.BranchID); err != nil {
		return err
	}
	others, err := membershipKind.list(tx, "cadre_id=? AND id<>?", m.CadreID.String(), m.ID.String())
	if err != nil {
		return err
	}
	return branch.CheckOverlap(*m, others)
}

// PutMembership validates and stores a membership. The cadre and the branch
// must be here, and the cadre must not be a member of another branch at any
// time the membership covers (ErrMembershipOverlap): a move ends one
// membership on the day the next begins.
func (r *Replica) PutMembership(ctx context.Context, m *branch.Membership) (bool, error) {
	return membershipKind.putAlone(ctx, r, m)
}

// PutMembership is Replica.PutMembership within the transaction.
func (tx *Tx) PutMembership(m *branch.Membership) (bool, error) {
	return membershipKind.put(tx.Tx, m)
}

// MembershipFilter selects memberships; zero fields select all.
type MembershipFilter struct {
	CadreID  uuid.UUID
	BranchID uuid.UUID
}

// Memberships lists live memberships by cadre, then start.
func (r *Replica) Memberships(ctx context.Context, f MembershipFilter) ([]branch.Membership, error) {
	return r.Read(ctx).Memberships(f)
}

// Memberships is Replica.Memberships through the reader.
func (rd Reads) Memberships(f MembershipFilter) ([]branch.Membership, error) {
	return memberships(rd.rd, f)
}

func memberships(rd syncsvc.Reader, f MembershipFilter) ([]branch.Membership, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": f.CadreID, "branch_id": f.BranchID})
	return membershipKind.list(rd, clause+"ORDER BY cadre_id, from_date, id", args...)
}

// byIDs returns "a=? AND b=? AND " for the non-zero ids, in column order.
func byIDs(cols map[string]uuid.UUID) (string, []any) {
	var clause string
	var args []any
	names := make([]string, 0, len(cols))
	for c := range cols {
		names = append(names, c)
	}
	slices.Sort(names)
	for _, c := range names {
		if id := cols[c]; id != uuid.Nil {
			clause += c + "=? AND "
			args = append(args, id.String())
		}
	}
	if clause != "" {
		clause = strings.TrimSuffix(clause, "AND ") + " "
	}
	return clause, args
}

// endMemberships ends, in w's transaction, the open memberships of a cadre
// who died or moved away, on that date (branch.EndMemberships).
func endMemberships(tx *syncsvc.Tx, c cadre.Cadre) error {
	if c.Status != cadre.StatusDeceased && c.Status != cadre.StatusMoved {
		return nil
	}
	ms, err := memberships(tx, MembershipFilter{CadreID: c.ID})
	if err != nil {
		return err
	}
	for _, m := range branch.EndMemberships(c, ms) {
		if _, err := putValues(tx, MembershipsTable, "membership", m.ID, membershipKind.values(&m)); err != nil {
			return fmt.Errorf("end membership %s: %w", m.ID, err)
		}
	}
	return nil
}

var postKind = kind[branch.Post]{
	table: PostsTable, noun: "post",
	id: func(p *branch.Post) *uuid.UUID { return &p.ID },
	values: func(p *branch.Post) map[string]any {
		return map[string]any{
			"branch_id": idText(p.BranchID), "cadre_id": idText(p.CadreID), "role": text(string(p.Role)),
			"term_start": dateText(p.TermStart), "ended_on": dateText(p.EndedOn),
		}
	},
	decode: func(d *fieldReader) branch.Post {
		return branch.Post{ID: d.id(), BranchID: d.uuid("branch_id"), CadreID: d.uuid("cadre_id"), Role: branch.Role(d.str("role")),
			TermStart: d.date("term_start"), EndedOn: d.date("ended_on")}
	},
	check: func(tx *syncsvc.Tx, p *branch.Post) error {
		if err := p.Validate(); err != nil {
			return err
		}
		return requireLive(tx, BranchesTable, p.BranchID)
	},
}

// PutPost validates and stores a committee post of a branch that is here.
// Whether the holder may hold it (a full member of that branch) is for
// branch.CheckCommittee to report, not a reason to refuse the record: the
// holder may be in a community this office does not hold.
func (r *Replica) PutPost(ctx context.Context, p *branch.Post) (bool, error) {
	return postKind.putAlone(ctx, r, p)
}

// PutPost is Replica.PutPost within the transaction.
func (tx *Tx) PutPost(p *branch.Post) (bool, error) { return postKind.put(tx.Tx, p) }

// Posts lists the live posts of a branch (all branches for uuid.Nil), by
// branch, term start and role.
func (r *Replica) Posts(ctx context.Context, branchID uuid.UUID) ([]branch.Post, error) {
	return r.Read(ctx).Posts(branchID)
}

// Posts is Replica.Posts through the reader.
func (rd Reads) Posts(branchID uuid.UUID) ([]branch.Post, error) {
	clause, args := byIDs(map[string]uuid.UUID{"branch_id": branchID})
	return postKind.list(rd.rd, clause+"ORDER BY branch_id, term_start, role, id", args...)
}

var meetingKind = kind[branch.Meeting]{
	table: MeetingsTable, noun: "meeting",
	id: func(m *branch.Meeting) *uuid.UUID { return &m.ID },
	values: func(m *branch.Meeting) map[string]any {
		return map[string]any{"branch_id": idText(m.BranchID), "kind": text(string(m.Kind)), "held_on": dateText(m.On), "topic": text(m.Topic)}
	},
	decode: func(d *fieldReader) branch.Meeting {
		return branch.Meeting{ID: d.id(), BranchID: d.uuid("branch_id"), Kind: branch.MeetingKind(d.str("kind")), On: d.date("held_on"),
			Topic: d.str("topic"), Attendance: []branch.Attendance{}, Deliveries: []branch.Delivery{}}
	},
	check: func(tx *syncsvc.Tx, m *branch.Meeting) error {
		if err := m.Validate(); err != nil {
			return err
		}
		return requireLive(tx, BranchesTable, m.BranchID)
	},
}

// attendanceRow and deliveryRow are the stored forms of a meeting's
// attendance and deliveries, one record each.
type attendanceRow struct {
	id, meetingID uuid.UUID
	branch.Attendance
}

type deliveryRow struct {
	id, meetingID uuid.UUID
	branch.Delivery
}

var attendanceNS = uuid.MustParse("3b0f6d8e-2f64-4c1a-8a2e-6c1d9e0b7a41")

var deliveryNS = uuid.MustParse("8e4a1c27-95d3-4f0b-b6a8-0d2c7e5f1b93")

var attendanceKind = kind[attendanceRow]{
	table: AttendanceTable, noun: "attendance",
	id: func(a *attendanceRow) *uuid.UUID { return &a.id },
	values: func(a *attendanceRow) map[string]any {
		return map[string]any{"meeting_id": idText(a.meetingID), "cadre_id": idText(a.CadreID),
			"presence": []any{a.Present, text(string(a.Absence)), text(a.Note)}}
	},
	decode: func(d *fieldReader) attendanceRow {
		return attendanceRow{id: d.id(), meetingID: d.uuid("meeting_id"), Attendance: branch.Attendance{
			CadreID: d.uuid("cadre_id"), Present: d.bool("present"), Absence: branch.Absence(d.str("absence")), Note: d.str("note")}}
	},
}

var deliveryKind = kind[deliveryRow]{
	table: DeliveriesTable, noun: "delivery",
	id: func(dr *deliveryRow) *uuid.UUID { return &dr.id },
	values: func(dr *deliveryRow) map[string]any {
		return map[string]any{"meeting_id": idText(dr.meetingID), "cadre_id": idText(dr.CadreID), "delivered_on": dateText(dr.On), "note": text(dr.Note)}
	},
	decode: func(d *fieldReader) deliveryRow {
		return deliveryRow{id: d.id(), meetingID: d.uuid("meeting_id"), Delivery: branch.Delivery{
			CadreID: d.uuid("cadre_id"), On: d.date("delivered_on"), Note: d.str("note")}}
	},
}

// PutMeeting validates and stores a meeting of a branch that is here, with
// its attendance and deliveries. Each member's attendance and each delivery
// is a record of its own, named by the meeting and the member, so that
// recording a member again replaces that member's entry and two offices
// recording different members both keep theirs. Members left out of
// m.Attendance keep what was recorded for them.
func (r *Replica) PutMeeting(ctx context.Context, m *branch.Meeting) (changed bool, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		changed, err = tx.PutMeeting(m)
		return err
	})
	return changed, err
}

// PutMeeting is Replica.PutMeeting within the transaction.
func (tx *Tx) PutMeeting(m *branch.Meeting) (bool, error) {
	w := tx.Tx
	changed, err := meetingKind.put(w, m)
	if err != nil {
		return false, err
	}
	for _, a := range m.Attendance {
		row := attendanceRow{id: derivedID(attendanceNS, m.ID, a.CadreID), meetingID: m.ID, Attendance: a}
		c, err := attendanceKind.put(w, &row)
		if err != nil {
			return false, fmt.Errorf("meeting %s: %w", m.ID, err)
		}
		changed = changed || c
	}
	for _, d := range m.Deliveries {
		row := deliveryRow{id: derivedID(deliveryNS, m.ID, d.CadreID), meetingID: m.ID, Delivery: d}
		c, err := deliveryKind.put(w, &row)
		if err != nil {
			return false, fmt.Errorf("meeting %s: %w", m.ID, err)
		}
		changed = changed || c
	}
	return changed, nil
}

// AddDelivery records that the study of a meeting was taken to a member's
// home (送学上门), on or after the meeting.
func (r *Replica) AddDelivery(ctx context.Context, meetingID uuid.UUID, d branch.Delivery) (changed bool, err error) {
	err = r.Update(ctx, func(tx *Tx) error {
		changed, err = tx.AddDelivery(meetingID, d)
		return err
	})
	return changed, err
}

// AddDelivery is Replica.AddDelivery within the transaction.
func (tx *Tx) AddDelivery(meetingID uuid.UUID, d branch.Delivery) (bool, error) {
	m, err := meetingKind.get(tx.Tx, meetingID)
	if err != nil {
		return false, fmt.Errorf("add delivery to meeting %s: %w", meetingID, err)
	}
	m.Deliveries = []branch.Delivery{d}
	if err := m.Validate(); err != nil {
		return false, fmt.Errorf("add delivery to meeting %s: %w", meetingID, err)
	}
	row := deliveryRow{id: derivedID(deliveryNS, m.ID, d.CadreID), meetingID: m.ID, Delivery: d}
	changed, err := deliveryKind.put(tx.Tx, &row)
	if err != nil {
		return false, fmt.Errorf("add delivery to meeting %s: %w", meetingID, err)
	}
	return changed, nil
}

// MeetingFilter selects meetings; zero fields select all.
type MeetingFilter struct {
	BranchID uuid.UUID
	// From and To bound the day held, inclusive, when set.
	From, To cadre.Date
}

// Meeting returns a live meeting with its attendance and deliveries.
func (r *Replica) Meeting(ctx context.Context, id uuid.UUID) (branch.Meeting, error) {
	return r.Read(ctx).Meeting(id)
}

// Meeting is Replica.Meeting through the reader.
func (rd Reads) Meeting(id uuid.UUID) (branch.Meeting, error) {
	m, err := meetingKind.get(rd.rd, id)
	if err != nil {
		return m, err
	}
	ms := []branch.Meeting{m}
	return ms[0], rd.fillMeetings(ms)
}

// Meetings lists live meetings, by day held, with their attendance (by
// member) and deliveries.
func (r *Replica) Meetings(ctx context.Context, f MeetingFilter) ([]branch.Meeting, error) {
	return r.Read(ctx).Meetings(f)
}

// Meetings is Replica.Meetings through the reader.
func (rd Reads) Meetings(f MeetingFilter) ([]branch.Meeting, error) {
	clause, args := byIDs(map[string]uuid.UUID{"branch_id": f.BranchID})
	if !f.From.IsZero() {
		clause += and(clause) + "held_on>=? "
		args = append(args, f.From.String())
	}
	if !f.To.IsZero() {
		clause += and(clause) + "held_on<=? "
		args = append(args, f.To.String())
	}
	ms, err := meetingKind.list(rd.rd, clause+"ORDER BY held_on, id", args...)
	if err != nil {
		return nil, err
	}
	return ms, rd.fillMeetings(ms)
}

func and(clause string) string {
	if clause == "" {
		return ""
	}
	return "AND "
}

// fillMeetings reads the attendance and deliveries of meetings, in chunks
// of ids.
func (rd Reads) fillMeetings(ms []branch.Meeting) error {
	at := map[uuid.UUID]int{}
	for i := range ms {
		at[ms[i].ID] = i
	}
	for start := 0; start < len(ms); start += 500 {
		ids := make([]uuid.UUID, 0, 500)
		for _, m := range ms[start:min(start+500, len(ms))] {
			ids = append(ids, m.ID)
		}
		in, args := inClause("meeting_id", ids)
		as, err := attendanceKind.list(rd.rd, in+" ORDER BY meeting_id, cadre_id", args...)
		if err != nil {
			return err
		}
		for _, a := range as {
			m := &ms[at[a.meetingID]]
			m.Attendance = append(m.Attendance, a.Attendance)
		}
		ds, err := deliveryKind.list(rd.rd, in+" ORDER BY meeting_id, delivered_on, cadre_id", args...)
		if err != nil {
			return err
		}
		for _, d := range ds {
			m := &ms[at[d.meetingID]]
			m.Deliveries = append(m.Deliveries, d.Delivery)
		}
	}
	return nil
}

var trainingKind = kind[branch.TrainingAttendance]{
	table: TrainingTable, noun: "training attendance",
	id: func(t *branch.TrainingAttendance) *uuid.UUID { return &t.ID },
	values: func(t *branch.TrainingAttendance) map[string]any {
		return map[string]any{"cadre_id": idText(t.CadreID), "course": text(t.Course), "attended_on": dateText(t.On)}
	},
	decode: func(d *fieldReader) branch.TrainingAttendance {
		return branch.TrainingAttendance{ID: d.id(), CadreID: d.uuid("cadre_id"), Course: d.str("course"), On: d.date("attended_on")}
	},
	check: func(tx *syncsvc.Tx, t *branch.TrainingAttendance) error {
		if err := t.Validate(); err != nil {
			return err
		}
		return requireLive(tx, CadresTable, t.CadreID)
	},
}

// PutTraining validates and stores a cadre's attendance at a training course.
func (r *Replica) PutTraining(ctx context.Context, t *branch.TrainingAttendance) (bool, error) {
	return trainingKind.putAlone(ctx, r, t)
}

// PutTraining is Replica.PutTraining within the transaction.
func (tx *Tx) PutTraining(t *branch.TrainingAttendance) (bool, error) {
	return trainingKind.put(tx.Tx, t)
}

// Trainings lists the live training attendance of a cadre (everyone's for
// uuid.Nil), by cadre and day.
func (r *Replica) Trainings(ctx context.Context, cadreID uuid.UUID) ([]branch.TrainingAttendance, error) {
	return r.Read(ctx).Trainings(cadreID)
}

// Trainings is Replica.Trainings through the reader.
func (rd Reads) Trainings(cadreID uuid.UUID) ([]branch.TrainingAttendance, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": cadreID})
	return trainingKind.list(rd.rd, clause+"ORDER BY cadre_id, attended_on, id", args...)
}

var paymentKind = kind[branch.DuesPayment]{
	table: DuesPaymentsTable, noun: "dues payment",
	id: func(p *branch.DuesPayment) *uuid.UUID { return &p.ID },
	values: func(p *branch.DuesPayment) map[string]any {
		months := make([]string, len(p.Months))
		for i, m := range p.Months {
			months[i] = m.String()
		}
		return map[string]any{"cadre_id": idText(p.CadreID), "months": joined(months, ","), "amount_fen": p.AmountFen, "paid_on": dateText(p.PaidOn)}
	},
	decode: func(d *fieldReader) branch.DuesPayment {
		p := branch.DuesPayment{ID: d.id(), CadreID: d.uuid("cadre_id"), AmountFen: d.int("amount_fen"), PaidOn: d.date("paid_on"), Months: []branch.Month{}}
		for _, s := range d.list("months", ",") {
			m, err := branch.ParseMonth(s)
			if err != nil {
				d.bad = append(d.bad, "months")
				continue
			}
			p.Months = append(p.Months, m)
		}
		return p
	},
	check: func(tx *syncsvc.Tx, p *branch.DuesPayment) error {
		slices.SortFunc(p.Months, branch.Month.Compare)
		if err := p.Validate(); err != nil {
			return err
		}
		return requireLive(tx, CadresTable, p.CadreID)
	},
}

// PutDuesPayment validates and stores a dues payment, a fact of its own: a
// payment is never edited into another.
func (r *Replica) PutDuesPayment(ctx context.Context, p *branch.DuesPayment) (bool, error) {
	return paymentKind.putAlone(ctx, r, p)
}

// PutDuesPayment is Replica.PutDuesPayment within the transaction.
func (tx *Tx) PutDuesPayment(p *branch.DuesPayment) (bool, error) {
	return paymentKind.put(tx.Tx, p)
}

// DuesPayments lists the live dues payments of a cadre (everyone's for
// uuid.Nil), by cadre and day paid.
func (r *Replica) DuesPayments(ctx context.Context, cadreID uuid.UUID) ([]branch.DuesPayment, error) {
	return r.Read(ctx).DuesPayments(cadreID)
}

// DuesPayments is Replica.DuesPayments through the reader.
func (rd Reads) DuesPayments(cadreID uuid.UUID) ([]branch.DuesPayment, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": cadreID})
	return paymentKind.list(rd.rd, clause+"ORDER BY cadre_id, paid_on, id", args...)
}

var reliefKind = kind[branch.DuesRelief]{
	table: DuesReliefsTable, noun: "dues relief",
	id: func(r *branch.DuesRelief) *uuid.UUID { return &r.ID },
	values: func(r *branch.DuesRelief) map[string]any {
		to := ""
		if !r.To.IsZero() {
			to = r.To.String()
		}
		return map[string]any{
			"cadre_id": idText(r.CadreID),
			"relief":   []any{text(r.From.String()), text(to), r.Exempt, r.ReducedFen},
			"approval": []any{text(r.ApprovedBy), dateText(r.ApprovedOn), text(r.Reason)},
		}
	},
	decode: func(d *fieldReader) branch.DuesRelief {
		month := func(col string) branch.Month {
			s := d.str(col)
			if s == "" {
				return branch.Month{}
			}
			m, err := branch.ParseMonth(s)
			if err != nil {
				d.bad = append(d.bad, col)
			}
			return m
		}
		return branch.DuesRelief{ID: d.id(), CadreID: d.uuid("cadre_id"), From: month("from_month"), To: month("to_month"),
			Exempt: d.bool("exempt"), ReducedFen: d.int("reduced_fen"),
			ApprovedBy: d.str("approved_by"), ApprovedOn: d.date("approved_on"), Reason: d.str("reason")}
	},
	check: func(tx *syncsvc.Tx, r *branch.DuesRelief) error {
		if err := r.Validate(); err != nil {
			return err
		}
		return requireLive(tx, CadresTable, r.CadreID)
	},
}

// PutDuesRelief validates and stores an approved reduction or exemption of
// a member's dues.
func (r *Replica) PutDuesRelief(ctx context.Context, rel *branch.DuesRelief) (bool, error) {
	return reliefKind.putAlone(ctx, r, rel)
}

// PutDuesRelief is Replica.PutDuesRelief within the transaction.
func (tx *Tx) PutDuesRelief(rel *branch.DuesRelief) (bool, error) { return reliefKind.put(tx.Tx, rel) }

// DuesReliefs lists the live dues reliefs of a cadre (everyone's for
// uuid.Nil), by cadre and first month.
func (r *Replica) DuesReliefs(ctx context.Context, cadreID uuid.UUID) ([]branch.DuesRelief, error) {
	return r.Read(ctx).DuesReliefs(cadreID)
}

// DuesReliefs is Replica.DuesReliefs through the reader.
func (rd Reads) DuesReliefs(cadreID uuid.UUID) ([]branch.DuesRelief, error) {
	clause, args := byIDs(map[string]uuid.UUID{"cadre_id": cadreID})
	return reliefKind.list(rd.rd, clause+"ORDER BY cadre_id, from_month, id", args...)
}

var feedbackKind = kind[branch.Feedback]{
	table: FeedbackTable, noun: "feedback",
	id: func(f *branch.Feedback) *uuid.UUID { return &f.ID },
	values: func(f *branch.Feedback) map[string]any {
		return map[string]any{"branch_id": idText(f.BranchID), "received_on": dateText(f.On), "good": f.Good, "source": text(f.Source), "note": text(f.Note)}
	},
	decode: func(d *fieldReader) branch.Feedback {
		return branch.Feedback{ID: d.id(), BranchID: d.uuid("branch_id"), On: d.date("received_on"), Good: d.bool("good"), Source: d.str("source"), Note: d.str("note")}
	},
	check: func(tx *syncsvc.Tx, f *branch.Feedback) error {
		if err := f.Validate(); err != nil {
			return err
		}
		return requireLive(tx, BranchesTable, f.BranchID)
	},
}

// PutFeedback validates and stores an opinion about a branch.
func (r *Replica) PutFeedback(ctx context.Context, f *branch.Feedback) (bool, error) {
	return feedbackKind.putAlone(ctx, r, f)
}

// PutFeedback is Replica.PutFeedback within the transaction.
func (tx *Tx) PutFeedback(f *branch.Feedback) (bool, error) { return feedbackKind.put(tx.Tx, f) }

// Feedback lists the live feedback about a branch (all for uuid.Nil), by day.
func (r *Replica) Feedback(ctx context.Context, branchID uuid.UUID) ([]branch.Feedback, error) {
	return r.Read(ctx).Feedback(branchID)
}

// Feedback is Replica.Feedback through the reader.
func (rd Reads) Feedback(branchID uuid.UUID) ([]branch.Feedback, error) {
	clause, args := byIDs(map[string]uuid.UUID{"branch_id": branchID})
	return feedbackKind.list(rd.rd, clause+"ORDER BY received_on, id", args...)
}
