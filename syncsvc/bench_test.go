package syncsvc_test

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// The benchmarks behind BENCHMARKS.md: the cost of a local write, of
// applying a large batch (hub and office) compared with a plain upsert of
// the same rows, and of reading a page of the log as the log grows.

const (
	benchCadres    = 10_000
	benchScopes    = 10
	benchPageScope = "c3"
)

// benchFields are the ten fields each benchmark change sets: 14 columns,
// three of the fields being registers.
var benchFields = []string{"name", "id_number", "category", "retired_on", "rank", "party", "health", "living", "community", "status"}

// benchColumns are the columns benchFields fill, in the same order.
var benchColumns = []string{"name", "id_number", "birth_date", "gender", "category", "retired_on", "rank", "party", "party_joined_on", "health", "living", "community", "status", "status_on"}

var benchRemote = uuid.MustParse("0193a5b0-0000-7000-8000-0000000be4c4")

// benchChanges returns 10,000 changes, each creating a cadre with ten
// fields stamped by a remote node: 100,000 field changes in all.
func benchChanges(tb testing.TB) []syncsvc.Change {
	tb.Helper()
	base := syncsvc.HLCFromTime(time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC))
	out := make([]syncsvc.Change, benchCadres)
	for i := range out {
		community := fmt.Sprintf("c%d", i%benchScopes)
		vals := crashCadreValues(crashCadre(tb, i, community))
		ch := syncsvc.Change{Table: store.CadresTable, ID: uuid.Must(uuid.NewV7()), Scope: community}
		st := syncsvc.Stamp{HLC: base + int64(i), Node: benchRemote}
		for _, f := range benchFields {
			ch.Fields = append(ch.Fields, syncsvc.FieldChange{Name: f, Value: vals[f], Stamp: st})
		}
		out[i] = ch
	}
	return out
}

// benchRow flattens a change of benchChanges into benchColumns' values.
func benchRow(ch syncsvc.Change) []any {
	row := make([]any, 0, len(benchColumns))
	for _, f := range ch.Fields {
		if reg, ok := f.Value.([]any); ok {
			row = append(row, reg...)
		} else {
			row = append(row, f.Value)
		}
	}
	return row
}

// removeDB removes a database file and the files SQLite keeps beside it.
func removeDB(tb testing.TB, path string) {
	tb.Helper()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			tb.Fatal(err)
		}
	}
}

// BenchmarkPutCadre measures a local write of a new cadre: validation, the
// duplicate check, the row, its stamps and its change, one transaction.
func BenchmarkPutCadre(b *testing.B) {
	r := openReplica(b, syncsvc.RoleOffice, nil)
	cadres := make([]cadre.Cadre, b.N)
	for i := range cadres {
		cadres[i] = crashCadre(b, i, "c1")
	}
	b.ResetTimer()
	for i := range cadres {
		if _, err := r.PutCadre(ctx, &cadres[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	n, err := r.OutboxLen(ctx)
	require.NoError(b, err)
	require.Equal(b, b.N, n, "one change per new cadre")
}

// BenchmarkApply100k applies 100,000 field changes (10,000 new cadres of
// ten fields) in one batch into an empty replica, as the hub (which logs
// every change it applies) and as an office (which does not).
func BenchmarkApply100k(b *testing.B) {
	changes := benchChanges(b)
	for _, role := range []syncsvc.Role{syncsvc.RoleHub, syncsvc.RoleOffice} {
		b.Run(string(role), func(b *testing.B) {
			dir := b.TempDir()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				path := filepath.Join(dir, fmt.Sprintf("%s-%d.db", role, i))
				r, err := store.Open(ctx, path, syncsvc.Options{Role: role})
				require.NoError(b, err)
				b.StartTimer()
				res, err := r.Apply(ctx, changes, syncsvc.ApplyOptions{})
				b.StopTimer()
				require.NoError(b, err)
				require.Equal(b, benchCadres, res.Applied)
				require.NoError(b, r.Close())
				removeDB(b, path)
				b.StartTimer()
			}
			b.ReportMetric(float64(b.N*benchCadres*len(benchFields))/b.Elapsed().Seconds(), "fields/s")
		})
	}
}

// BenchmarkReferenceUpsert is what BenchmarkApply100k is measured against:
// the same 10,000 rows upserted into the same table, with the replica's
// connection settings, by one prepared statement in one transaction,
// without stamps or a change log.
func BenchmarkReferenceUpsert(b *testing.B) {
	rows := make([][]any, benchCadres)
	changes := benchChanges(b)
	for i, ch := range changes {
		rows[i] = append([]any{ch.ID.String(), ch.Scope}, benchRow(ch)...)
	}
	quoted := make([]string, len(benchColumns))
	sets := make([]string, len(benchColumns))
	for i, c := range benchColumns {
		quoted[i] = `"` + c + `"`
		sets[i] = quoted[i] + "=excluded." + quoted[i]
	}
	upsert := fmt.Sprintf("INSERT INTO cadres(id, scope, _stamps, %s) VALUES(?, ?, x''%s) ON CONFLICT(id) DO UPDATE SET scope=excluded.scope, %s",
		strings.Join(quoted, ", "), strings.Repeat(", ?", len(benchColumns)), strings.Join(sets, ", "))
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		path := filepath.Join(dir, fmt.Sprintf("ref-%d.db", i))
		r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
		require.NoError(b, err)
		require.NoError(b, r.Close())
		db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_foreign_keys=on&_synchronous=FULL&_busy_timeout=5000&_txlock=immediate")
		require.NoError(b, err)
		b.StartTimer()
		tx, err := db.BeginTx(ctx, nil)
		require.NoError(b, err)
		stmt, err := tx.PrepareContext(ctx, upsert)
		require.NoError(b, err)
		for _, row := range rows {
			if _, err := stmt.ExecContext(ctx, row...); err != nil {
				b.Fatal(err)
			}
		}
		require.NoError(b, stmt.Close())
		require.NoError(b, tx.Commit())
		b.StopTimer()
		var n int
		require.NoError(b, db.QueryRow("SELECT COUNT(*) FROM cadres").Scan(&n))
		require.Equal(b, benchCadres, n)
		require.NoError(b, db.Close())
		removeDB(b, path)
		b.StartTimer()
	}
}

// benchLog is a hub replica whose log holds a given number of changes, and
// the position above which benchPageScope has exactly 100 of them.
type benchLog struct {
	path  string
	since int64
}

// buildBenchLog makes a hub replica with 10,000 applied changes in ten
// scopes, then copies its log entries in SQL until the log holds size
// changes: building a million through Apply would take minutes, and the
// copies are real entries of the same scopes.
func buildBenchLog(tb testing.TB, dir string, size int) benchLog {
	tb.Helper()
	path := filepath.Join(dir, fmt.Sprintf("log-%d.db", size))
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleHub})
	require.NoError(tb, err)
	_, err = r.Apply(ctx, benchChanges(tb), syncsvc.ApplyOptions{})
	require.NoError(tb, err)
	require.NoError(tb, r.Close())

	// The hub's feed is its records, each carrying the district sequence of
	// its last change: grow it by copying records under new ids and new,
	// higher sequence numbers, then move the hub's counter past them.
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL&_synchronous=NORMAL")
	require.NoError(tb, err)
	defer db.Close()
	var cols string
	require.NoError(tb, db.QueryRow("SELECT group_concat(name, ', ') FROM pragma_table_info('cadres') WHERE name NOT IN ('id', '_seq')").Scan(&cols))
	newID := "lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-7' || substr(hex(randomblob(2)), 2) || '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)))"
	copyQ := fmt.Sprintf("INSERT INTO cadres(id, _seq, %s) SELECT %s, ? + row_number() OVER (ORDER BY _seq), %s FROM cadres ORDER BY _seq LIMIT ?", cols, newID, cols)
	for {
		var n, top int64
		require.NoError(tb, db.QueryRow("SELECT COUNT(*), MAX(_seq) FROM cadres").Scan(&n, &top))
		if n >= int64(size) {
			_, err := db.Exec("INSERT INTO meta(key, value) VALUES('seq', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", top)
			require.NoError(tb, err)
			break
		}
		_, err := db.Exec(copyQ, top, min(n, int64(size)-n))
		require.NoError(tb, err)
	}
	log := benchLog{path: path}
	require.NoError(tb, db.QueryRow("SELECT _seq FROM cadres WHERE scope = ? ORDER BY _seq DESC LIMIT 1 OFFSET 100", benchPageScope).Scan(&log.since))
	_, err = db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	require.NoError(tb, err)
	return log
}

// BenchmarkChangesSince reads the last page of 100 changes of one scope
// (of ten) from a log of 10,000 changes and from one of 1,000,000: the
// cost should follow the page, not the log.
func BenchmarkChangesSince(b *testing.B) {
	dir := b.TempDir() // lives until every sub-benchmark and -count round is done
	for _, size := range []struct {
		name string
		n    int
	}{{"log=10k", 10_000}, {"log=1M", 1_000_000}} {
		var log *benchLog
		b.Run(size.name, func(b *testing.B) {
			if log == nil {
				built := buildBenchLog(b, dir, size.n)
				log = &built
			}
			r, err := store.Open(ctx, log.path, syncsvc.Options{Role: syncsvc.RoleHub})
			require.NoError(b, err)
			defer r.Close()
			last, err := r.LastSeq(ctx)
			require.NoError(b, err)
			require.GreaterOrEqual(b, last, int64(size.n))
			scopes := []string{benchPageScope}
			var page syncsvc.ChangesPage
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if page, err = r.ChangesSince(ctx, log.since, scopes, 100); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			require.Len(b, page.Changes, 100)
			require.False(b, page.More)
			for _, ch := range page.Changes {
				require.Equal(b, benchPageScope, ch.Scope)
				require.Greater(b, ch.Seq, log.since)
			}
		})
	}
}

// BenchmarkAuthenticate maps an office's token to its office on a hub of
// 50 and of 1,000 offices: its cost must not grow with the offices.
func BenchmarkAuthenticate(b *testing.B) {
	for _, n := range []int{50, 1000} {
		b.Run(fmt.Sprintf("offices=%d", n), func(b *testing.B) {
			hub := openReplica(b, syncsvc.RoleHub, nil)
			var token string
			for i := range n {
				_, tok, err := hub.AddOffice(ctx, fmt.Sprintf("o%d", i), fmt.Sprintf("办公室%d", i), []string{fmt.Sprintf("c%d", i)})
				require.NoError(b, err)
				if i == n/2 {
					token = tok
				}
			}
			b.ResetTimer()
			for b.Loop() {
				if _, err := hub.Authenticate(ctx, token); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
