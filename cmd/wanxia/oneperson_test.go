package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOnePersonOnTwoComputers is issue 12's point 12 as a clerk meets it:
// two computers of one office, initialised against the hub (which hands
// them the district key), register the same ID number offline with
// different phones and import the same roster. After syncing, the hub
// holds one record per person and no duplicate pair, both computers edit
// the person by ID number, and the two phones are one conflict.
func TestOnePersonOnTwoComputers(t *testing.T) {
	dir := t.TempDir()
	hubDB := newHubDB(t, dir)
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy", "--name", "舜园社区", "--communities", "sy")...)
	token := added["token"].(string)

	ctx, stop := context.WithCancel(context.Background())
	var out, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- runAt(ctx, testkit.FixedNow, hubArgs(hubDB, "serve", "--addr", "127.0.0.1:0"), strings.NewReader(""), &out, &logs)
	}()
	defer func() {
		stop()
		<-served
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return addr.MatchString(out.String()) })
	hubURL := addr.FindString(out.String())

	one := newOffice(t, "sy", token, hubURL)
	two := newOffice(t, "sy", token, hubURL)

	// The same person typed in on both computers, offline.
	number := testkit.IDNumberFor("370102", "19440315", 1)
	idOne := one.addCadre("王建国", number, "sy", "--phone", "13900000001")
	idTwo := two.addCadre("王建国", number, "sy", "--phone", "13900000002")
	assert.Equal(t, idOne, idTwo, "one person, one record id on both computers")
	id, err := uuid.Parse(idOne)
	require.NoError(t, err)
	assert.Equal(t, uuid.Version(8), id.Version())
	assert.NotContains(t, idOne, number[6:14], "the id does not show the birth date")

	// The same roster imported on both computers.
	rows := 40
	var csv strings.Builder
	csv.WriteString("姓名,身份证号,类别,离退休时间,职级,党员,健康状况,居住情况,社区,电话\n")
	for i := range rows {
		fmt.Fprintf(&csv, "干部%02d,%s,退休,2004-04-01,科级,正式党员,良好,独居,sy,0531-%07d\n", i, testkit.IDNumberFor("370102", "19450601", 100+i), i)
	}
	roster := filepath.Join(dir, "名册.csv")
	require.NoError(t, os.WriteFile(roster, []byte(csv.String()), 0o600))
	var rep map[string]any
	one.okJSON(&rep, "import", roster)
	assert.Equal(t, float64(rows), rep["added"])
	two.okJSON(&rep, "import", roster)
	assert.Equal(t, float64(rows), rep["added"])

	one.ok("sync")
	two.ok("sync")
	one.ok("sync")

	assert.Contains(t, ok(t, hubArgs(hubDB, "duplicate", "list")...), "没有重复登记")
	var hubCadres []map[string]any
	okJSON(t, &hubCadres, hubArgs(hubDB, "cadre", "list")...)
	assert.Len(t, hubCadres, rows+1, "one record per person")
	for _, o := range []*office{one, two} {
		var list []map[string]any
		o.okJSON(&list, "cadre", "list")
		assert.Len(t, list, rows+1)
	}

	// Both computers edit the person, by ID number and by id.
	one.ok("cadre", "edit", number, "--emergency-contact", "王小红")
	two.ok("cadre", "edit", idOne, "--living", "与配偶同住")
	var conflicts []map[string]any
	one.okJSON(&conflicts, "conflict", "list")
	require.Len(t, conflicts, 1, "the two phones")
	assert.Equal(t, "phone", conflicts[0]["field"])
	one.ok("sync")
	two.ok("sync")
	one.ok("sync")
	for _, o := range []*office{one, two} {
		var c map[string]any
		o.okJSON(&c, "cadre", "show", number)
		assert.Equal(t, idOne, c["id"])
		assert.Equal(t, "王小红", c["emergency_contact"])
		assert.Equal(t, "spouse", c["living"])
	}

	// Registering the person again names the one record, which edits.
	res := one.run("cadre", "add", "--name", "王建国", "--id-number", number, "--category", "退休", "--retired-on", "2004-04-01",
		"--rank", "section", "--party", "正式党员", "--health", "chronic", "--living", "独居", "--community", "sy")
	assert.Equal(t, 1, res.code)
	assert.Contains(t, res.stderr, idOne)
	one.ok("cadre", "edit", idOne, "--phone", "13900000003")
}

// TestTwinRecordsStayEditable: two computers that never synced register
// one person (random ids, as before the district key); after syncing,
// both records are editable on both computers, by their ids — no edit
// answers "请用 edit" the other one — and an edit by the ID number says
// that the number is registered twice; the hub lists the pair.
func TestTwinRecordsStayEditable(t *testing.T) {
	dir := t.TempDir()
	hubDB := newHubDB(t, dir)
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy", "--name", "舜园社区", "--communities", "sy")...)
	token := added["token"].(string)

	// Initialised while the hub is down: no key yet.
	one := newOffice(t, "sy", token, "http://127.0.0.1:1")
	two := newOffice(t, "sy", token, "http://127.0.0.1:1")
	number := testkit.IDNumberFor("370102", "19440315", 1)
	idOne := one.addCadre("王建国", number, "sy")
	idTwo := two.addCadre("王建国", number, "sy")
	require.NotEqual(t, idOne, idTwo)

	ctx, stop := context.WithCancel(context.Background())
	var out, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- runAt(ctx, testkit.FixedNow, hubArgs(hubDB, "serve", "--addr", "127.0.0.1:0"), strings.NewReader(""), &out, &logs)
	}()
	defer func() {
		stop()
		<-served
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return addr.MatchString(out.String()) })
	hubURL := addr.FindString(out.String())
	for _, o := range []*office{one, two} {
		o.ok("init", "--hub", hubURL, "--office", "sy", "--token", token)
	}
	one.ok("sync")
	two.ok("sync")
	one.ok("sync")

	for _, o := range []*office{one, two} {
		for i, id := range []string{idOne, idTwo} {
			res := o.run("cadre", "edit", id, "--phone", fmt.Sprintf("1390000%04d", i))
			require.Equal(t, 0, res.code, res.stderr)
			assert.NotContains(t, res.stderr, "请用")
		}
		res := o.run("cadre", "edit", number, "--phone", "13900009999")
		assert.Equal(t, 1, res.code)
		assert.Contains(t, res.stderr, "登记了 2 次")
		assert.Contains(t, res.stderr, idOne)
		assert.Contains(t, res.stderr, idTwo)
	}
	assert.Contains(t, ok(t, hubArgs(hubDB, "duplicate", "list")...), "登记了 2 次")
}
