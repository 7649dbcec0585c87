package desk

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/cadre/roster"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// RosterFormat is the form of a roster file.
type RosterFormat string

const (
	// RosterCSV is a CSV file in UTF-8 or GB18030.
	RosterCSV RosterFormat = "csv"
	// RosterXLSX is an Excel workbook; its first sheet is read.
	RosterXLSX RosterFormat = "xlsx"
)

// DefaultImportBatch is how many rows one transaction of ImportRoster
// stores unless told otherwise.
const DefaultImportBatch = 500

// RosterImport is a roster to import.
type RosterImport struct {
	// File is the roster's content.
	File io.Reader
	// Format is the form of File.
	Format RosterFormat
	// Sheet is the sheet of a workbook to read, by name or 1-based number
	// (see roster.ReadXLSXSheet); "" is the first.
	Sheet string
	// Batch is how many rows one transaction stores (DefaultImportBatch
	// when 0): a long roster is stored in steps, so that an interrupted
	// import keeps what it stored and the same file imported again goes on
	// from there.
	Batch int
	// Progress, when set, is called before each batch with the rows
	// stored so far and the rows to store.
	Progress func(done, total int)
}

// ImportResult is what ImportRoster did.
type ImportResult struct {
	// Added, Updated and Unchanged count the good rows by what they did.
	Added, Updated, Unchanged int
	// Problems are the problems of the rows not stored, by line (the sheet
	// row of a workbook): those roster.Read found, then those the storage
	// refused (an invalid record, an ID number another record holds).
	Problems []roster.RowError
	// BadRows counts the lines with problems.
	BadRows int
	// UnknownColumns are the headers that were not recognised; their
	// cells were ignored.
	UnknownColumns []string
}

// Done is the number of rows stored or found unchanged.
func (r ImportResult) Done() int { return r.Added + r.Updated + r.Unchanged }

// ImportRoster imports a roster into the office's replica, validating as of
// now. A row whose ID number is registered updates that cadre, keeping the
// fields the roster has no column for (KeepAbsent); other rows register new
// cadres. Bad rows are reported in the result and the good ones kept. Each
// batch is one transaction, which reads the cadres it updates through
// itself. A file that is no roster wraps ErrUnreadableRoster; an import
// that stops part way returns what the batches before stored with the
// error.
func ImportRoster(ctx context.Context, rep *store.Replica, now time.Time, in RosterImport) (ImportResult, error) {
	asOf := now.In(syncsvc.Shanghai())
	read := roster.Read
	if in.Format == RosterXLSX {
		read = func(r io.Reader, asOf time.Time) (*roster.Result, error) {
			return roster.ReadXLSXSheet(r, in.Sheet, asOf)
		}
	}
	res, err := read(in.File, asOf)
	if err != nil {
		return ImportResult{}, &kindError{kind: ErrUnreadableRoster, err: err}
	}
	out := ImportResult{UnknownColumns: res.UnknownColumns}
	out.Problems = append(out.Problems, res.Errors...)
	batch := in.Batch
	if batch <= 0 {
		batch = DefaultImportBatch
	}
	rows := res.Rows
	for start := 0; start < len(rows); start += batch {
		if in.Progress != nil {
			in.Progress(start, len(rows))
		}
		step, err := importRows(ctx, rep, res, rows[start:min(start+batch, len(rows))])
		if err != nil {
			return out, fmt.Errorf("import roster after %d rows: %w", out.Done(), err)
		}
		out.Added += step.Added
		out.Updated += step.Updated
		out.Unchanged += step.Unchanged
		out.Problems = append(out.Problems, step.Problems...)
	}
	sort.SliceStable(out.Problems, func(i, j int) bool { return out.Problems[i].Line < out.Problems[j].Line })
	lines := map[int]bool{}
	for _, p := range out.Problems {
		lines[p.Line] = true
	}
	out.BadRows = len(lines)
	return out, nil
}

// importRows stores one batch of rows in one transaction.
func importRows(ctx context.Context, rep *store.Replica, res *roster.Result, rows []roster.Row) (ImportResult, error) {
	var out ImportResult
	err := rep.Update(ctx, func(tx *store.Tx) error {
		out = ImportResult{}
		for _, row := range rows {
			c := row.Cadre
			old, err := tx.CadreByIDNumber(c.IDNumber)
			found := err == nil
			switch {
			case found:
				c.ID = old.ID
				KeepAbsent(&c, &old, res)
			case !errors.Is(err, syncsvc.ErrNotFound):
				return err
			}
			changed, err := tx.PutCadre(&c)
			var ve *cadre.ValidationError
			var dup *syncsvc.DuplicateError
			switch {
			case errors.As(err, &ve):
				for _, fe := range WithoutDerived(ve.Problems) {
					out.Problems = append(out.Problems, roster.RowError{Line: row.Line, Field: fe.Field, Err: fe})
				}
			case errors.As(err, &dup):
				out.Problems = append(out.Problems, roster.RowError{Line: row.Line, Field: "id_number", Err: err})
			case err != nil:
				return err
			case changed && found:
				out.Updated++
			case changed:
				out.Added++
			default:
				out.Unchanged++
			}
		}
		return nil
	})
	return out, err
}

// KeepAbsent keeps on an updated cadre c the fields of old that the roster
// has no column for, so that a roster of some columns does not blank the
// others, and the fields whose cell is empty (未填 in this roster). The
// position goes with the address: it is kept when the roster
// has no coordinates and the address is unchanged.
func KeepAbsent(c, old *cadre.Cadre, res *roster.Result) {
	for field, cp := range copyField {
		if !res.HasColumn(field) || unknownField(c, field) {
			cp(c, old)
		}
	}
	if !res.HasColumn("lat") && !res.HasColumn("lng") && c.Address == old.Address {
		c.Location = old.Location
	}
}

// unknownField reports whether a field that may be unknown (未填) is empty
// on c: an empty cell is not known in this roster, never a reason to
// forget what is known.
func unknownField(c *cadre.Cadre, field string) bool {
	switch field {
	case "category":
		return c.Category == ""
	case "retired_on":
		return c.RetiredOn.IsZero()
	case "rank":
		return c.Rank == ""
	case "party":
		return c.Party == ""
	case "party_joined_on":
		return c.PartyJoinedOn.IsZero() && c.Party != cadre.PartyNone
	case "health":
		return c.Health == ""
	case "living":
		return c.Living == ""
	case "pension_fen":
		return c.PensionFen == 0
	}
	return false
}

// WithoutDerived drops "required" for the birth date and gender when the
// ID number, which gives them, is itself at fault: fixing it fixes them.
func WithoutDerived(ps []*cadre.FieldError) []*cadre.FieldError {
	idBad := false
	for _, p := range ps {
		idBad = idBad || p.Field == "id_number"
	}
	out := make([]*cadre.FieldError, 0, len(ps))
	for _, p := range ps {
		if idBad && (p.Field == "birth_date" || p.Field == "gender") && errors.Is(p.Err, cadre.ErrRequired) {
			continue
		}
		out = append(out, p)
	}
	return out
}
