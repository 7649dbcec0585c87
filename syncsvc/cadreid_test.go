package syncsvc_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"pgregory.net/rapid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// provinceCodes are the first two digits ValidateIDNumber takes.
var provinceCodes = []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}

// drawIDNumber draws a valid ID number: a region, a birth date between
// 1900 and 2009, a sequence and its check character.
func drawIDNumber(t *rapid.T, label string) string {
	region := rapid.SampledFrom(provinceCodes).Draw(t, label+" province")*10000 + rapid.IntRange(0, 9999).Draw(t, label+" county")
	born := cadre.NewDate(1900, 1, 1).AddDays(rapid.IntRange(0, 40000).Draw(t, label+" born"))
	seq := rapid.IntRange(0, 999).Draw(t, label+" sequence")
	n := testkit.IDNumberFor(fmt.Sprintf("%06d", region), fmt.Sprintf("%04d%02d%02d", born.Year, born.Month, born.Day), seq)
	if err := cadre.ValidateIDNumber(n); err != nil {
		t.Fatalf("drew an invalid number: %v", err)
	}
	return n
}

func testKey(b byte) []byte { return bytes.Repeat([]byte{b}, syncsvc.DistrictKeySize) }

func TestCadreIDForIsAKeyedVersion8UUID(t *testing.T) {
	t.Parallel()
	key := testKey(7)
	n := testkit.IDNumber(3)
	id := store.CadreIDFor(key, n)
	assert.Equal(t, uuid.Version(8), id.Version())
	assert.Equal(t, uuid.RFC4122, id.Variant(), "the RFC 9562 variant bits")
	assert.Equal(t, id, store.CadreIDFor(key, n), "the same on every computer")
	assert.NotEqual(t, id, store.CadreIDFor(testKey(8), n), "another district's key gives another id")

	x := "11010519491231002X"
	require.NoError(t, cadre.ValidateIDNumber(x))
	assert.Equal(t, store.CadreIDFor(key, x), store.CadreIDFor(key, " 11010519491231002x "), "the number is normalized first")

	// Not the unkeyed hashes an attacker would try first.
	assert.NotEqual(t, uuid.NewSHA1(uuid.Nil, []byte(n)), id)
	assert.NotEqual(t, uuid.NewSHA1(uuid.NameSpaceOID, []byte(n)), id)
}

// TestCadreIDForNeverJoinsTwoPeople: two different valid ID numbers never
// share an id, and a key from another district gives other ids.
func TestCadreIDForNeverJoinsTwoPeople(t *testing.T) {
	checks := 2000
	if os.Getenv("WANXIA_LONG") == "1" {
		checks = 200000
	}
	rapid.Check(t, func(rt *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), syncsvc.DistrictKeySize, syncsvc.DistrictKeySize).Draw(rt, "key")
		a, b := drawIDNumber(rt, "a"), drawIDNumber(rt, "b")
		ida, idb := store.CadreIDFor(key, a), store.CadreIDFor(key, b)
		if (a == b) != (ida == idb) {
			rt.Fatalf("numbers equal %v, ids equal %v", a == b, ida == idb)
		}
		other := rapid.SliceOfN(rapid.Byte(), syncsvc.DistrictKeySize, syncsvc.DistrictKeySize).Filter(func(k []byte) bool { return !bytes.Equal(k, key) }).Draw(rt, "other key")
		if store.CadreIDFor(other, a) == ida {
			rt.Fatalf("two keys give one id")
		}
	})
	// Many numbers of one county, a thousand born on each day: no two share
	// an id.
	key := testKey(1)
	seen := map[uuid.UUID]string{}
	for seq := range checks / 2 {
		born := cadre.NewDate(1930, 1, 1).AddDays(seq / 1000)
		n := testkit.IDNumberFor("370102", fmt.Sprintf("%04d%02d%02d", born.Year, born.Month, born.Day), seq%1000)
		if err := cadre.ValidateIDNumber(n); err != nil {
			t.Fatal(err)
		}
		id := store.CadreIDFor(key, n)
		if prev, dup := seen[id]; dup {
			t.Fatalf("%s and %s share an id", prev, n)
		}
		seen[id] = n
	}
}

func TestDistrictKeyIsMadeOnceAndKept(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	path := filepath.Join(t.TempDir(), "hub.db")
	hub, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	require.NoError(t, err)
	key, err := hub.DistrictKey(ctx)
	require.NoError(t, err)
	require.Len(t, key, syncsvc.DistrictKeySize)
	assert.NotEqual(t, make([]byte, syncsvc.DistrictKeySize), key)
	again, err := hub.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, key, again)
	require.ErrorIs(t, hub.SetDistrictKey(ctx, testKey(3)), syncsvc.ErrRoleMismatch, "the hub makes its own")
	require.NoError(t, hub.Close())
	hub, err = store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub, Now: clk.Now})
	require.NoError(t, err)
	defer hub.Close()
	again, err = hub.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, key, again, "kept across a restart")

	office := openReplica(t, syncsvc.RoleOffice, clk.Now)
	none, err := office.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Nil(t, none, "an office that never synced has no key")
	require.ErrorIs(t, office.SetDistrictKey(ctx, key[:16]), syncsvc.ErrBadDistrictKey)
	require.NoError(t, office.SetDistrictKey(ctx, nil), "a hub too old to send a key changes nothing")
	require.NoError(t, office.SetDistrictKey(ctx, key))
	got, err := office.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, key, got)
	require.NoError(t, office.SetDistrictKey(ctx, nil))
	got, err = office.DistrictKey(ctx)
	require.NoError(t, err)
	assert.Equal(t, key, got)
}

// giveKey hands an office the hub's district key, as Hello does.
func giveKey(t *testing.T, hub, office *store.Replica) []byte {
	t.Helper()
	key, err := hub.DistrictKey(ctx)
	require.NoError(t, err)
	require.NoError(t, office.SetDistrictKey(ctx, key))
	return key
}

// liveWithNumber returns the live cadres of a replica with an ID number.
func liveWithNumber(t *testing.T, r *store.Replica, number string) []cadre.Cadre {
	t.Helper()
	cs, err := r.Cadres(ctx, store.CadreFilter{})
	require.NoError(t, err)
	var out []cadre.Cadre
	for _, c := range cs {
		if c.IDNumber == number {
			out = append(out, c)
		}
	}
	return out
}

// TestOnePersonOnTwoComputersIsOneRecord: two offices of one community,
// each with the district key, register the same ID number offline with
// different phones. After syncing, the hub and both offices hold one live
// cadre, both offices edit it, and the two phones are one conflict, not a
// duplicate.
func TestOnePersonOnTwoComputersIsOneRecord(t *testing.T) {
	t.Parallel()
	h := startHub(t, protocols["connect"], syncsvc.HubOptions{})
	a, agentA := h.office(t, "sy-a", "sy")
	b, agentB := h.office(t, "sy-b", "sy")
	syncOK(t, agentA)
	syncOK(t, agentB)
	key := giveKey(t, h.r, a)
	giveKey(t, h.r, b)

	person := testkit.Cadre(7, "sy")
	onA, onB := person, person
	onA.Phone = "13900000001"
	_, err := a.PutCadre(ctx, &onA)
	require.NoError(t, err)
	h.clk.Advance(time.Second)
	onB.Phone = "13900000002"
	onB.Address = "舜园小区3号楼"
	_, err = b.PutCadre(ctx, &onB)
	require.NoError(t, err)
	require.Equal(t, onA.ID, onB.ID, "both computers derive one id")
	require.Equal(t, store.CadreIDFor(key, person.IDNumber), onA.ID)

	syncOK(t, agentA)
	syncOK(t, agentB)
	syncOK(t, agentA)

	for name, r := range map[string]*store.Replica{"hub": h.r, "sy-a": a, "sy-b": b} {
		live := liveWithNumber(t, r, person.IDNumber)
		require.Len(t, live, 1, name)
		assert.Equal(t, onA.ID, live[0].ID, name)
		assert.Equal(t, "13900000002", live[0].Phone, name+": the later phone wins")
		assert.Equal(t, "舜园小区3号楼", live[0].Address, name+": a field only one computer wrote is kept")
	}
	dups, err := h.r.Duplicates(ctx)
	require.NoError(t, err)
	assert.Empty(t, dups, "no duplicate pair to resolve by hand")
	conflicts, err := h.r.Conflicts(ctx, syncsvc.ConflictFilter{Table: store.CadresTable, RecordID: onA.ID})
	require.NoError(t, err)
	require.Len(t, conflicts, 1, "the two phones, and nothing for the equal fields")
	assert.Equal(t, "phone", conflicts[0].Field)
	assert.Equal(t, "13900000002", conflicts[0].Current.Value)
	assert.Equal(t, "13900000001", conflicts[0].Other.Value)

	// Both offices edit the one record.
	c, err := a.Cadre(ctx, onA.ID)
	require.NoError(t, err)
	c.EmergencyContact = "王小红 13800000000"
	changed, err := a.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.True(t, changed)
	c, err = b.Cadre(ctx, onA.ID)
	require.NoError(t, err)
	c.Health = cadre.HealthChronic
	changed, err = b.PutCadre(ctx, &c)
	require.NoError(t, err)
	require.True(t, changed)
	// Registering the person again is refused, naming the one record.
	again := person
	_, err = a.PutCadre(ctx, &again)
	var dup *syncsvc.DuplicateError
	require.ErrorAs(t, err, &dup)
	assert.Equal(t, onA.ID, dup.ExistingID)

	syncOK(t, agentA)
	syncOK(t, agentB)
	syncOK(t, agentA)
	for name, r := range map[string]*store.Replica{"hub": h.r, "sy-a": a, "sy-b": b} {
		got, err := r.Cadre(ctx, onA.ID)
		require.NoError(t, err, name)
		assert.Equal(t, "王小红 13800000000", got.EmergencyContact, name)
		assert.Equal(t, cadre.HealthChronic, got.Health, name)
	}
	assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, a, "sy", "district"))
	assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, b, "sy", "district"))
}

// TestSameRosterOnTwoComputersIsOneRecordEach: two computers of one office
// import the same roster offline (as office import stores it: a row whose
// number is not registered here is a new cadre); after syncing, one record
// per person and not one duplicate pair or conflict at the hub.
func TestSameRosterOnTwoComputersIsOneRecordEach(t *testing.T) {
	t.Parallel()
	rows := 300
	if os.Getenv("WANXIA_LONG") == "1" {
		rows = 5000
	}
	h := startHub(t, protocols["connect"], syncsvc.HubOptions{})
	_, token, err := h.r.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	one, agentOne := h.install(t, "sy-1", token)
	two, agentTwo := h.install(t, "sy-2", token)
	syncOK(t, agentOne)
	syncOK(t, agentTwo)
	giveKey(t, h.r, one)
	giveKey(t, h.r, two)

	importRoster := func(r *store.Replica) {
		require.NoError(t, r.Update(ctx, func(tx *store.Tx) error {
			for i := range rows {
				c := testkit.Cadre(1000+i, "sy")
				c.Phone = fmt.Sprintf("0531-%07d", i)
				if _, err := tx.PutCadre(&c); err != nil {
					return err
				}
			}
			return nil
		}))
	}
	importRoster(one)
	h.clk.Advance(time.Minute)
	importRoster(two)
	syncOK(t, agentOne)
	syncOK(t, agentTwo)
	syncOK(t, agentOne)

	for name, r := range map[string]*store.Replica{"hub": h.r, "sy-1": one, "sy-2": two} {
		cs, err := r.Cadres(ctx, store.CadreFilter{Community: "sy"})
		require.NoError(t, err)
		assert.Len(t, cs, rows, name+": one record per person")
	}
	dups, err := h.r.Duplicates(ctx)
	require.NoError(t, err)
	assert.Empty(t, dups)
	conflicts, err := h.r.Conflicts(ctx, syncsvc.ConflictFilter{})
	require.NoError(t, err)
	assert.Empty(t, conflicts, "equal values on both computers are no conflict")
	assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, one, "sy", "district"))
	assert.Equal(t, dump(t, h.r, "sy", "district"), dump(t, two, "sy", "district"))
}

// TestEditIsNeverRefusedForATwinRecord: two records of one ID number made
// before the offices had the key (each office registered the person
// offline, never synced) both stay editable at both offices; the hub
// lists them to be joined; a third record may not take the number.
func TestEditIsNeverRefusedForATwinRecord(t *testing.T) {
	t.Parallel()
	h := startHub(t, protocols["connect"], syncsvc.HubOptions{})
	a, agentA := h.office(t, "sy-a", "sy")
	b, agentB := h.office(t, "sy-b", "sy")
	person := testkit.Cadre(9, "sy")
	onA, onB := person, person
	_, err := a.PutCadre(ctx, &onA)
	require.NoError(t, err)
	_, err = b.PutCadre(ctx, &onB)
	require.NoError(t, err)
	require.Equal(t, uuid.Version(7), onA.ID.Version(), "no key yet: a random id")
	require.NotEqual(t, onA.ID, onB.ID)
	syncOK(t, agentA)
	syncOK(t, agentB)
	syncOK(t, agentA)
	require.Len(t, liveWithNumber(t, a, person.IDNumber), 2)

	for _, r := range []*store.Replica{a, b} {
		for i, id := range []uuid.UUID{onA.ID, onB.ID} {
			c, err := r.Cadre(ctx, id)
			require.NoError(t, err)
			c.Phone = fmt.Sprintf("1390000%04d", i)
			_, err = r.PutCadre(ctx, &c)
			require.NoError(t, err, "an edit that keeps the number is never refused")
		}
	}
	other := testkit.Cadre(10, "sy")
	_, err = a.PutCadre(ctx, &other)
	require.NoError(t, err)
	other.IDNumber, other.BirthDate, other.Gender = person.IDNumber, cadre.Date{}, ""
	other.Normalize()
	_, err = a.PutCadre(ctx, &other)
	require.ErrorIs(t, err, syncsvc.ErrDuplicateIDNumber, "changing a number to one held is still refused")

	syncOK(t, agentA)
	syncOK(t, agentB)
	dups, err := h.r.Duplicates(ctx)
	require.NoError(t, err)
	require.Len(t, dups, 1, "the hub still lists the pair to be joined")
	assert.Len(t, dups[0].Entries, 2)
}

// TestRegisteringAgainAfterAVoidOrACorrection: a derived id taken by a
// record voided as entered by mistake, or by one whose number was corrected
// to another, gives way to the next derived id, the same on every computer
// that has seen those records; a live record of the number is the same
// person and refuses the registration.
func TestRegisteringAgainAfterAVoidOrACorrection(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hub := openReplica(t, syncsvc.RoleHub, clk.Now)
	a := openReplica(t, syncsvc.RoleOffice, clk.Now)
	b := openReplica(t, syncsvc.RoleOffice, clk.Now)
	key := giveKey(t, hub, a)
	giveKey(t, hub, b)

	first := testkit.Cadre(21, "sy")
	_, err := a.PutCadre(ctx, &first)
	require.NoError(t, err)
	require.Equal(t, store.CadreIDFor(key, first.IDNumber), first.ID)
	require.NoError(t, a.VoidCadre(ctx, first.ID, "录错了人"))
	push(t, a, hub)
	pull(t, hub, b, "sy")

	againA, againB := testkit.Cadre(21, "sy"), testkit.Cadre(21, "sy")
	_, err = a.PutCadre(ctx, &againA)
	require.NoError(t, err)
	_, err = b.PutCadre(ctx, &againB)
	require.NoError(t, err)
	assert.NotEqual(t, first.ID, againA.ID, "the voided record is not revived")
	assert.Equal(t, uuid.Version(8), againA.ID.Version())
	assert.Equal(t, againA.ID, againB.ID, "both computers that saw the void pick the same id")
	_, err = a.Cadre(ctx, first.ID)
	require.ErrorIs(t, err, syncsvc.ErrVoided)

	// A number corrected after registration: the record keeps its id and
	// its new number; the real holder of the old number is another person.
	wrong := testkit.Cadre(22, "sy")
	_, err = a.PutCadre(ctx, &wrong)
	require.NoError(t, err)
	typo := wrong.ID
	wrong.IDNumber, wrong.BirthDate, wrong.Gender = testkit.IDNumber(23), cadre.Date{}, ""
	wrong.Normalize()
	_, err = a.PutCadre(ctx, &wrong)
	require.NoError(t, err)
	holder := testkit.Cadre(22, "sy")
	holder.Name = "真正的持证人"
	_, err = a.PutCadre(ctx, &holder)
	require.NoError(t, err)
	assert.NotEqual(t, typo, holder.ID, "the corrected record is never joined with another person")
	got, err := a.Cadre(ctx, typo)
	require.NoError(t, err)
	assert.Equal(t, testkit.IDNumber(23), got.IDNumber)
	assert.Equal(t, wrong.Name, got.Name)
}

// TestSamePersonInAnotherCommunityIsRefusedNotMerged: an office of another
// community deriving the id of a person the hub holds in sy does not write
// over sy's record; its push is refused with the reason.
func TestSamePersonInAnotherCommunityIsRefusedNotMerged(t *testing.T) {
	t.Parallel()
	clk := testkit.NewClock(testkit.At("2026-11-28 09:00"))
	hubR := openReplica(t, syncsvc.RoleHub, clk.Now)
	hub, err := syncsvc.NewHub(hubR.Replica, syncsvc.HubOptions{})
	require.NoError(t, err)
	sy, _, err := hubR.AddOffice(ctx, "sy", "舜园", []string{"sy"})
	require.NoError(t, err)
	gsq, _, err := hubR.AddOffice(ctx, "gsq", "杆石桥", []string{"gsq"})
	require.NoError(t, err)
	a := openReplica(t, syncsvc.RoleOffice, clk.Now)
	b := openReplica(t, syncsvc.RoleOffice, clk.Now)
	giveKey(t, hubR, a)
	giveKey(t, hubR, b)

	inSy, inGsq := testkit.Cadre(31, "sy"), testkit.Cadre(31, "gsq")
	inGsq.Phone = "13900000009"
	_, err = a.PutCadre(ctx, &inSy)
	require.NoError(t, err)
	_, err = b.PutCadre(ctx, &inGsq)
	require.NoError(t, err)
	require.Equal(t, inSy.ID, inGsq.ID)
	out, err := a.Outbox(ctx, 100)
	require.NoError(t, err)
	res, err := hub.Push(ctx, sy, a.Node(), out)
	require.NoError(t, err)
	require.Empty(t, res.Refused)
	out, err = b.Outbox(ctx, 100)
	require.NoError(t, err)
	res, err = hub.Push(ctx, gsq, b.Node(), out)
	require.NoError(t, err)
	require.Len(t, res.Refused, 1)
	assert.ErrorIs(t, res.Refused[0].Err, syncsvc.ErrOutOfScope)

	got, err := hubR.Cadre(ctx, inSy.ID)
	require.NoError(t, err)
	assert.Equal(t, "sy", got.Community)
	assert.Empty(t, got.Phone, "nothing of gsq's registration was written over sy's record")
}
