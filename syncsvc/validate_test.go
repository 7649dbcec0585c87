package syncsvc_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/proto"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/care"
	"github.com/wanxia/wanxia/syncsvc"
	syncv1 "github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1"
	"github.com/wanxia/wanxia/syncsvc/internal/gen/wanxia/sync/v1/syncv1connect"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// rawOffice speaks the sync protocol by hand, as a hostile or broken
// office program could: it sends whatever changes a test builds.
type rawOffice struct {
	h    *testHub
	cl   syncv1connect.SyncServiceClient
	node uuid.UUID
	seq  int64
	hlc  int64
}

func newRawOffice(t *testing.T, h *testHub, token string) *rawOffice {
	t.Helper()
	o := &rawOffice{h: h, cl: h.client(token), node: newID(), hlc: syncsvc.HLCFromTime(h.clk.Now())}
	_, err := o.cl.Hello(ctx, connect.NewRequest(&syncv1.HelloRequest{SchemaVersion: int32(syncsvc.SchemaVersion()), Node: o.node[:]}))
	require.NoError(t, err)
	return o
}

// change numbers and stamps one change of the raw office's log; fields are
// name/value pairs.
func (o *rawOffice) change(table string, id uuid.UUID, scope string, fields ...any) syncsvc.Change {
	o.seq++
	o.hlc++
	ch := syncsvc.Change{Seq: o.seq, Table: table, ID: id, Scope: scope}
	for i := 0; i < len(fields); i += 2 {
		ch.Fields = append(ch.Fields, syncsvc.FieldChange{Name: fields[i].(string), Value: fields[i+1],
			Stamp: syncsvc.Stamp{HLC: o.hlc, Node: o.node}})
	}
	return ch
}

func (o *rawOffice) push(t *testing.T, chs ...syncsvc.Change) *syncv1.PushResponse {
	t.Helper()
	req := &syncv1.PushRequest{Node: o.node[:]}
	for _, ch := range chs {
		req.Changes = append(req.Changes, protoChange(ch))
	}
	res, err := o.cl.Push(ctx, connect.NewRequest(req))
	require.NoError(t, err)
	return res.Msg
}

// cadreFields are the fields of a whole cadre as an office's PutCadre
// writes them, as name/value pairs for rawOffice.change.
func cadreFields(c cadre.Cadre) []any {
	txt := func(s string) any {
		if s == "" {
			return nil
		}
		return s
	}
	date := func(d cadre.Date) any {
		if d.IsZero() {
			return nil
		}
		return d.String()
	}
	return []any{
		"name", c.Name,
		"id_number", []any{txt(c.IDNumber), date(c.BirthDate), txt(string(c.Gender))},
		"category", txt(string(c.Category)),
		"retired_on", date(c.RetiredOn),
		"rank", txt(string(c.Rank)),
		"party", []any{txt(string(c.Party)), date(c.PartyJoinedOn)},
		"health", txt(string(c.Health)),
		"living", txt(string(c.Living)),
		"community", txt(c.Community),
		"phone", txt(c.Phone),
		"status", []any{txt(string(c.Status)), date(c.StatusOn)},
	}
}

// TestHubRefusesEachBadCadreAlone is point 4 of issue 12: each bad record
// pushed raw through the Connect client is refused alone, with code
// "invalid" and a reason naming the field, while the good changes of the
// same batch are applied and acknowledged, and no other office ever pulls
// a bad one.
func TestHubRefusesEachBadCadreAlone(t *testing.T) {
	t.Parallel()
	forEachProtocol(t, func(t *testing.T, p []connect.ClientOption) {
		h := startHub(t, p, syncsvc.HubOptions{})
		_, token, err := h.r.AddOffice(ctx, "sy-a", "舜园甲", []string{"sy"})
		require.NoError(t, err)
		o := newRawOffice(t, h, token)

		good, good2 := testkit.Cadre(1, "sy"), testkit.Cadre(2, "sy")
		wrongCheck := testkit.Cadre(3, "sy")
		last := wrongCheck.IDNumber[17:]
		wrongCheck.IDNumber = wrongCheck.IDNumber[:17] + map[bool]string{true: "1", false: "0"}[last == "0"]
		bogus := testkit.Cadre(4, "sy")
		bogus.Category = "bogus"
		drop := testkit.Cadre(5, "sy")
		drop.Phone = "abc; DROP"
		gender := testkit.Cadre(6, "sy")
		gender.Gender = map[bool]cadre.Gender{true: cadre.Female, false: cadre.Male}[gender.Gender == cadre.Male]
		noName := testkit.Cadre(7, "sy")
		noName.Name = ""
		idNumbers := []string{good.IDNumber, good2.IDNumber, wrongCheck.IDNumber, bogus.IDNumber, drop.IDNumber, gender.IDNumber, noName.IDNumber}

		goodID, good2ID, phoneOnlyID := newID(), newID(), newID()
		bad := map[string]uuid.UUID{"id_number": newID(), "category": newID(), "phone": newID(), "gender": newID(), "name": newID()}
		batch := []syncsvc.Change{
			o.change("cadres", goodID, "sy", cadreFields(good)...),                                 // 1 good
			o.change("cadres", bad["id_number"], "sy", cadreFields(wrongCheck)...),                 // 2
			o.change("cadres", bad["category"], "sy", cadreFields(bogus)...),                       // 3
			o.change("cadres", bad["phone"], "sy", cadreFields(drop)...),                           // 4
			o.change("cadres", bad["gender"], "sy", cadreFields(gender)...),                        // 5
			o.change("cadres", bad["name"], "sy", cadreFields(noName)...),                          // 6
			o.change("cadres", phoneOnlyID, "sy", "phone", "13900000000"),                          // 7 a record the hub lacks
			o.change("cadres", goodID, "sy", "phone", "13912345678"),                               // 8 edit after create, same batch
			o.change("cadres", goodID, "sy", "category", "bogus"),                                  // 9 a bad edit of a good record
			o.change("cadres", goodID, "sy", "hobby", "书法"),                                        // 10 a field a newer program declares
			o.change("cadres", bad["id_number"], "sy", "name", "改名"),                               // 11 an edit of a refused record
			o.change("cadres", good2ID, "sy", cadreFields(good2)...),                               // 12 good
			o.change("cadres", good2ID, "sy", "_void", "录入错误"),                                     // 13 a void
			o.change("cadres", goodID, "sy", "hobby2", strings.Repeat("字", 2000)),                  // 14 6,000 bytes in a newer field
			o.change("cadres", goodID, "sy", "address", []any{strings.Repeat("路", 201), nil, nil}), // 15 over the address limit
		}
		res := o.push(t, batch...)
		assert.Equal(t, int64(len(batch)), res.GetAcknowledged(), "the whole batch is acknowledged, the refused changes too")
		assert.False(t, res.GetGap())

		want := map[int64][]string{2: {"id_number"}, 3: {"category"}, 4: {"phone"}, 5: {"gender"}, 6: {"name"},
			7: {"name", "id_number"}, 9: {"category"}, 11: {"id_number"}, 14: {"hobby2", "4096"}, 15: {"address", "200"}}
		got := map[int64]*syncv1.Refusal{}
		for _, f := range res.GetRefused() {
			got[f.GetSeq()] = f
		}
		require.Len(t, got, len(want), "refused: %v", res.GetRefused())
		for seq, fields := range want {
			f := got[seq]
			require.NotNil(t, f, "change %d is refused", seq)
			assert.Equal(t, "invalid", f.GetCode(), "change %d", seq)
			for _, field := range fields {
				assert.Contains(t, f.GetReason(), field, "change %d names what is wrong", seq)
			}
			assert.Contains(t, f.GetReason(), "记录有误", "change %d is worded in Chinese too", seq)
			if seq == 4 {
				assert.Contains(t, f.GetReason(), "电话：", "the Chinese part names the field in Chinese")
			}
			for _, n := range idNumbers {
				assert.NotContains(t, f.GetReason(), n, "change %d: no ID number in a reason", seq)
			}
			assert.Less(t, len(f.GetReason()), 600, "change %d: the reason never repeats a long value", seq)
		}

		// The good changes are applied; nothing of a refused one is.
		hubGood, err := h.r.Cadre(ctx, goodID)
		require.NoError(t, err)
		assert.Equal(t, "13912345678", hubGood.Phone)
		assert.Equal(t, cadre.Tuixiu, hubGood.Category, "the bad edit is not merged")
		assert.Empty(t, hubGood.Address)
		rec, err := h.r.Get(ctx, "cadres", good2ID)
		require.NoError(t, err)
		assert.Equal(t, "录入错误", rec.VoidReason, "a void is accepted")
		for field, id := range bad {
			_, err := h.r.Get(ctx, "cadres", id)
			assert.ErrorIs(t, err, syncsvc.ErrNotFound, "the record with a bad %s is not on the hub", field)
		}
		_, err = h.r.Get(ctx, "cadres", phoneOnlyID)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound, "no record with only a phone")
		var newer []string
		for _, r := range dump(t, h.r, "sy") {
			if r.ID == goodID {
				for _, f := range r.Fields {
					newer = append(newer, f.Name)
				}
			}
		}
		assert.Contains(t, newer, "hobby", "a field a newer program declares is kept")
		assert.NotContains(t, newer, "hobby2")
		kept, err := h.r.Refusals(ctx, "sy-a")
		require.NoError(t, err)
		assert.Len(t, kept, len(want), "the hub keeps each refusal")

		// Another office of the community pulls the good records only.
		b, agentB := h.office(t, "sy-b", "sy")
		syncOK(t, agentB)
		bGood, err := b.Cadre(ctx, goodID)
		require.NoError(t, err)
		assert.Equal(t, "13912345678", bGood.Phone)
		assert.Equal(t, cadre.Tuixiu, bGood.Category)
		for field, id := range bad {
			_, err := b.Get(ctx, "cadres", id)
			assert.ErrorIs(t, err, syncsvc.ErrNotFound, "the record with a bad %s never reaches another office", field)
		}
		_, err = b.Get(ctx, "cadres", phoneOnlyID)
		assert.ErrorIs(t, err, syncsvc.ErrNotFound)
		all, err := b.Cadres(ctx, store.CadreFilter{})
		require.NoError(t, err)
		require.Len(t, all, 1)
		for _, c := range all {
			assert.NoError(t, c.Validate(h.clk.Now()), "every live cadre an office pulls is valid")
		}
	})
}

// TestHubRefusesAHugeNameAndTheCommunityKeepsSyncing is point 5 of issue
// 12: three pushes within the request limit, each a cadre with a 9 MiB
// name, are each refused alone, and the community's offices go on syncing
// and taking snapshots.
func TestHubRefusesAHugeNameAndTheCommunityKeepsSyncing(t *testing.T) {
	t.Parallel()
	h := startHub(t, nil, syncsvc.HubOptions{})
	_, token, err := h.r.AddOffice(ctx, "sy-a", "舜园甲", []string{"sy"})
	require.NoError(t, err)
	o := newRawOffice(t, h, token)
	b, agentB := h.office(t, "sy-b", "sy")
	huge := strings.Repeat("王", 3<<20) // 9 MiB
	for i := range 3 {
		c := testkit.Cadre(10+i, "sy")
		c.Name = huge
		res := o.push(t, o.change("cadres", newID(), "sy", cadreFields(c)...))
		require.Len(t, res.GetRefused(), 1, "push %d", i)
		f := res.GetRefused()[0]
		assert.Equal(t, "invalid", f.GetCode())
		assert.Contains(t, f.GetReason(), "name")
		assert.Contains(t, f.GetReason(), "4096 bytes")
		assert.Less(t, len(f.GetReason()), 400)
		assert.Equal(t, o.seq, res.GetAcknowledged())
	}

	// Both offices keep syncing, both ways.
	fine := testkit.Cadre(20, "sy")
	fineID := newID()
	res := o.push(t, o.change("cadres", fineID, "sy", cadreFields(fine)...))
	assert.Empty(t, res.GetRefused())
	mine := testkit.Cadre(21, "sy")
	_, err = b.PutCadre(ctx, &mine)
	require.NoError(t, err)
	rep := syncOK(t, agentB)
	assert.Equal(t, 1, rep.Pushed)
	_, err = b.Cadre(ctx, fineID)
	require.NoError(t, err, "office b pulled a's good cadre")
	pulled, err := o.cl.Pull(ctx, connect.NewRequest(&syncv1.PullRequest{Node: o.node[:]}))
	require.NoError(t, err)
	var pulledCadres int
	for _, ch := range pulled.Msg.GetChanges() {
		if ch.GetTable() == "cadres" {
			pulledCadres++
		}
		assert.Less(t, proto.Size(ch), 4096, "nothing huge is pulled")
	}
	assert.Equal(t, 2, pulledCadres, "a pulls the two good cadres")

	// A new snapshot of the community holds the good records only.
	cursor := &syncv1.SnapshotCursor{}
	var names []string
	for {
		snap, err := o.cl.Snapshot(ctx, connect.NewRequest(&syncv1.SnapshotRequest{Node: o.node[:], Cursor: cursor}))
		require.NoError(t, err)
		for _, r := range snap.Msg.GetRecords() {
			if r.GetTable() != "cadres" {
				continue
			}
			for _, f := range r.GetFields() {
				if f.GetName() == "name" {
					names = append(names, f.GetValue().GetText())
				}
			}
		}
		if snap.Msg.GetDone() {
			break
		}
		cursor = snap.Msg.GetNext()
	}
	assert.ElementsMatch(t, []string{fine.Name, mine.Name}, names)
	c, agentC := h.office(t, "sy-c", "sy")
	syncOK(t, agentC)
	all, err := c.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	assert.Len(t, all, 2, "a new computer of the community gets the good records")
}

// The office's own writes are held to the same limits, with a message a
// clerk reads in Chinese.
func TestOfficeWritesAreBounded(t *testing.T) {
	t.Parallel()
	r := openReplica(t, syncsvc.RoleOffice, testkit.NewClock(testkit.At("2026-11-28 09:00")).Now)
	c := testkit.Cadre(1, "sy")
	c.Address = strings.Repeat("路", cadre.MaxAddressRunes+1)
	_, err := r.PutCadre(ctx, &c)
	var ve *cadre.ValidationError
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, []string{"address"}, ve.Fields())
	assert.Contains(t, ve.Problems[0].Message(cadre.Chinese), "超过200个字")

	c.Address = "舜园小区1号楼"
	_, err = r.PutCadre(ctx, &c)
	require.NoError(t, err)
	v := care.Visit{CadreID: c.ID, Kind: care.VisitHome, On: cadre.NewDate(2026, 11, 27), Notes: strings.Repeat("好", 1001)}
	_, err = r.PutVisit(ctx, &v)
	require.True(t, errors.As(err, &ve), "%v", err)
	assert.Equal(t, []string{"notes"}, ve.Fields())
	assert.Contains(t, ve.Problems[0].Message(cadre.Chinese), "超过1000个字")
	assert.Contains(t, ve.Problems[0].Message(cadre.English), "longer than 1000 characters")
	v.Notes = strings.Repeat("好", 1000)
	_, err = r.PutVisit(ctx, &v)
	require.NoError(t, err, "at the limit is accepted")
	n, err := r.OutboxLen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, n, "nothing of a refused write was logged")
}

// notesType is a record type of a program's own, with a rule.
var notesType = syncsvc.RecordType{
	Name:   "notes",
	Fields: []syncsvc.Field{syncsvc.Col("community", syncsvc.Text), syncsvc.Col("title", syncsvc.Text), syncsvc.Col("body", syncsvc.Text)},
	Scope:  syncsvc.ScopeByColumn("community"),
	Validate: func(rec syncsvc.Record, _ time.Time) error {
		if s, _ := rec.Values["title"].(string); s == "" {
			return errors.New("title: is required")
		}
		return nil
	},
}

// A program's own record type declares its rule with RecordType.Validate:
// the hub refuses a pushed change that breaks it (alone, on the record as
// it would stand), a local Put is refused, and every type is held to
// MaxTextBytes. An office takes what the hub sends as it is.
func TestRecordTypeValidateHook(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now, notesType)
	office := openReplica(t, syncsvc.RoleOffice, clk.Now, notesType)

	_, err := office.Put(ctx, "notes", newID(), map[string]any{"community": "sy", "body": "无题"})
	assert.ErrorContains(t, err, "title: is required")
	_, err = office.Put(ctx, "notes", newID(), map[string]any{"community": "sy", "title": "t", "body": strings.Repeat("x", syncsvc.MaxTextBytes+1)})
	var le *syncsvc.LimitError
	require.True(t, errors.As(err, &le), "%v", err)
	require.Len(t, le.Problems, 1)
	assert.Equal(t, "body", le.Problems[0].Field)
	assert.ErrorIs(t, err, syncsvc.ErrInvalidChange)
	n, err := office.OutboxLen(ctx)
	require.NoError(t, err)
	require.Zero(t, n)

	node := newID()
	hlc := syncsvc.HLCFromTime(clk.Now())
	st := func(i int64) syncsvc.Stamp { return syncsvc.Stamp{HLC: hlc + i, Node: node} }
	ok, untitled := newID(), newID()
	batch := []syncsvc.Change{
		{Seq: 1, Table: "notes", ID: ok, Scope: "sy", Fields: []syncsvc.FieldChange{{Name: "community", Value: "sy", Stamp: st(1)}, {Name: "title", Value: "会议", Stamp: st(1)}}},
		{Seq: 2, Table: "notes", ID: untitled, Scope: "sy", Fields: []syncsvc.FieldChange{{Name: "community", Value: "sy", Stamp: st(2)}, {Name: "body", Value: "x", Stamp: st(2)}}},
		{Seq: 3, Table: "notes", ID: ok, Scope: "sy", Fields: []syncsvc.FieldChange{{Name: "title", Value: "", Stamp: st(3)}}},
		{Seq: 4, Table: "notes", ID: ok, Scope: "sy", Fields: []syncsvc.FieldChange{{Name: "body", Value: "正文", Stamp: st(4)}}},
	}
	res, err := hub.Apply(ctx, batch, syncsvc.ApplyOptions{Source: "push/" + node.String(), Contiguous: true})
	require.NoError(t, err)
	assert.Equal(t, int64(4), res.Position)
	assert.Equal(t, 2, res.Applied)
	require.Len(t, res.Refused, 2)
	assert.Equal(t, int64(2), res.Refused[0].Change.Seq)
	assert.Equal(t, int64(3), res.Refused[1].Change.Seq)
	assert.ErrorIs(t, res.Refused[0].Err, syncsvc.ErrInvalidChange)
	assert.Equal(t, "invalid", syncsvc.RefusalCode(res.Refused[0].Err))
	rec, err := hub.Get(ctx, "notes", ok)
	require.NoError(t, err)
	assert.Equal(t, "会议", rec.Values["title"])
	assert.Equal(t, "正文", rec.Values["body"])

	// An office applies what it pulls without judging it: the hub did.
	res, err = office.Apply(ctx, batch[1:2], syncsvc.ApplyOptions{})
	require.NoError(t, err)
	assert.Empty(t, res.Refused)
}
