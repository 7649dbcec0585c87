package desk_test

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/csv"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"
	"github.com/stretchr/testify/require"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/desk"
	"github.com/wanxia/wanxia/syncsvc/store"
	"github.com/wanxia/wanxia/syncsvc/testkit"
)

// The benchmarks of BENCHMARKS.md's "Roster import": ImportRoster of a
// roster of every column into an office that holds the district key,
// beside what the storage itself takes for the same CSV: the sqlite3
// shell's .import into a bare table, and a prepared INSERT loop through
// database/sql in one transaction.

// benchRoster writes a CSV roster of n cadres with all 23 columns, as
// office export writes it, and returns its path.
func benchRoster(b testing.TB, n int) string {
	b.Helper()
	cs := make([]cadre.Cadre, n)
	for i := range cs {
		c := testkit.Cadre(i, fmt.Sprintf("c%d", i%10))
		c.Address = fmt.Sprintf("舜园小区%d号楼%d单元%d", i%50, i%6, 100+i%900)
		c.Phone = fmt.Sprintf("0531-8%07d", i)
		c.OriginalUnit = "济南市第一机床厂"
		c.PensionFen = int64(300000 + i)
		c.Status = cadre.StatusActive
		cs[i] = c
	}
	path := filepath.Join(b.TempDir(), fmt.Sprintf("roster-%d.csv", n))
	var buf bytes.Buffer
	require.NoError(b, roster.Write(&buf, cs, cadre.Chinese))
	require.NoError(b, os.WriteFile(path, buf.Bytes(), 0o600))
	return path
}

// benchOffice opens an empty office replica that holds a district key, as
// one does after its first sync.
func benchOffice(b testing.TB, path string) *store.Replica {
	b.Helper()
	r, err := store.Open(ctx, path, syncsvc.Options{Role: syncsvc.RoleOffice, Now: func() time.Time { return testNow }})
	require.NoError(b, err)
	require.NoError(b, r.SetDistrictKey(ctx, bytes.Repeat([]byte{7}, 32)))
	return r
}

// BenchmarkImportRoster imports a roster of 20,000 (and 100,000) new
// cadres into an empty office, with the references beside it in the same
// run. Reported: time per import, allocations (-benchmem), rows/s,
// peak-MiB, the process's peak resident set during the import, and
// base-MiB, its resident set when the import starts (the program, the
// runtime and the opened replica: the floor of the peak).
func BenchmarkImportRoster(b *testing.B) {
	for _, n := range []int{20_000, 100_000} {
		file := benchRoster(b, n)
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			var peak, base float64
			var cpu time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				r := benchOffice(b, filepath.Join(dir, fmt.Sprintf("office-%d.db", i)))
				f, err := os.Open(file)
				require.NoError(b, err)
				// What the setup left (the roster written, the run
				// before) goes back to the system, so that the peak is
				// the import's own above what the process holds anyway.
				debug.FreeOSMemory()
				base = max(base, testkit.StatusMiB("VmRSS:"))
				testkit.ResetPeak()
				before := testkit.CPUTime()
				b.StartTimer()
				res, err := desk.ImportRoster(ctx, r, testNow, desk.RosterImport{File: f, Format: desk.RosterCSV})
				b.StopTimer()
				cpu += testkit.CPUTime() - before
				peak = max(peak, testkit.StatusMiB("VmHWM:"))
				require.NoError(b, err)
				require.Equal(b, n, res.Added, "every row a new cadre: %+v", res.Problems)
				require.NoError(b, f.Close())
				require.NoError(b, r.Close())
				b.StartTimer()
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			if peak > 0 {
				b.ReportMetric(peak, "peak-MiB")
				b.ReportMetric(base, "base-MiB")
			}
		})
		b.Run(fmt.Sprintf("rows=%d/sqlite3-shell", n), func(b *testing.B) { benchShellImport(b, file) })
		b.Run(fmt.Sprintf("rows=%d/insert-loop", n), func(b *testing.B) { benchInsertLoop(b, file, n) })
	}
}

// benchShellImport times the sqlite3 shell's .import of the roster into a
// new bare table (every column text, no index), the process started and
// ended included; skipped where the shell is not installed.
func benchShellImport(b *testing.B, file string) {
	shell, err := exec.LookPath("sqlite3")
	if err != nil {
		b.Skip("the sqlite3 shell is not installed (Debian: apt-get install sqlite3); insert-loop is the reference")
	}
	dir := b.TempDir()
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db := filepath.Join(dir, fmt.Sprintf("shell-%d.db", i))
		cmd := exec.Command(shell, db, ".mode csv", ".import "+file+" cadres")
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("sqlite3 .import: %v: %s", err, out)
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
}

// benchInsertLoop reads the CSV and inserts its rows into a bare table of
// 23 text columns with one prepared INSERT in one transaction, through
// database/sql and the same driver the replica uses, WAL and
// synchronous=FULL as the replica.
func benchInsertLoop(b *testing.B, file string, n int) {
	dir := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(dir, fmt.Sprintf("loop-%d.db", i))+"?_journal_mode=WAL&_synchronous=FULL")
		require.NoError(b, err)
		f, err := os.Open(file)
		require.NoError(b, err)
		rd := csv.NewReader(bufio.NewReader(f))
		header, err := rd.Read()
		require.NoError(b, err)
		cols := make([]string, len(header))
		for j := range cols {
			cols[j] = fmt.Sprintf("c%d TEXT", j)
		}
		_, err = db.Exec("CREATE TABLE cadres (" + strings.Join(cols, ",") + ")")
		require.NoError(b, err)
		tx, err := db.Begin()
		require.NoError(b, err)
		stmt, err := tx.Prepare("INSERT INTO cadres VALUES (" + strings.TrimSuffix(strings.Repeat("?,", len(header)), ",") + ")")
		require.NoError(b, err)
		args := make([]any, len(header))
		rows := 0
		for {
			rec, err := rd.Read()
			if err != nil {
				break
			}
			for j := range args {
				args[j] = rec[j]
			}
			_, err = stmt.Exec(args...)
			require.NoError(b, err)
			rows++
		}
		require.NoError(b, tx.Commit())
		require.Equal(b, n, rows)
		require.NoError(b, f.Close())
		require.NoError(b, db.Close())
	}
}
