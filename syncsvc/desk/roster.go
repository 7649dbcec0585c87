package desk

import (
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/google/uuid"
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
const DefaultImportBatch = 10000

// importStep is how many rows ImportRoster reads, compares and writes at a
// time within a transaction: what it holds in memory. A transaction of
// several steps writes each index page of the cadres once for all of
// them, where one transaction a step would write it again every step.
const importStep = 2000

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
	// from there. A transaction compares and writes its rows 2,000 at a
	// time (fewer when Batch is smaller).
	Batch int
	// Progress, when set, is called before each step of rows is compared
	// and written, with the rows of the file read before it and the rows
	// under the header (roster.Scanner's Total; 0 when the file does not
	// say).
	Progress func(done, total int)
	// AsOf is when the roster was written (its file's modification time,
	// or what the clerk says). A row that would undo work done after it —
	// change a field whose stamp is later — is held back (see Held).
	// Zero: nothing is newer than the roster but a revival.
	AsOf time.Time
	// Overwrite writes the held-back rows too.
	Overwrite bool
	// DryRun reads, checks and compares the roster with the replica but
	// writes nothing; the result says what the import would do, and
	// Changes lists it field by field.
	DryRun bool
}

// ImportResult is what ImportRoster did, or on a dry run would do.
type ImportResult struct {
	// Added, Updated and Unchanged count the good rows by what they did.
	// A held-back row is in none of them unless it was written over
	// (Overwrite), when it counts as updated.
	Added, Updated, Unchanged int
	// Held are the rows that would undo work newer than the roster, in
	// file order: not written unless the import was told to overwrite.
	Held []HeldRow
	// Changes are the rows that add or change a cadre, in file order,
	// listed on a dry run only (an import of 100,000 rows does not keep
	// them all).
	Changes []RowChange
	// Problems are the problems of the rows not stored, by line (the sheet
	// row of a workbook): those the roster's own checks found, and those
	// the storage refused (an invalid record, an ID number another record
	// holds).
	Problems []roster.RowError
	// BadRows counts the lines with problems.
	BadRows int
	// UnknownColumns are the headers that were not recognised; their
	// cells were ignored.
	UnknownColumns []string
}

// Done is the number of rows stored or found unchanged.
func (r ImportResult) Done() int { return r.Added + r.Updated + r.Unchanged }

// HeldBack is the number of rows held back and not written.
func (r ImportResult) HeldBack() int {
	n := 0
	for _, h := range r.Held {
		if !h.Written {
			n++
		}
	}
	return n
}

// RowChange is what one row does to a cadre.
type RowChange struct {
	// Line is the row's line in the file (its sheet row in a workbook).
	Line int
	// Old is the cadre as stored; nil when the row registers a new one.
	Old *cadre.Cadre
	// New is the cadre as the row leaves it (fields the roster has no
	// column for, or an empty cell for, kept from Old).
	New cadre.Cadre
	// Fields are the fields (JSON keys of the contract) whose value
	// changes, in the contract's order; none for a new cadre.
	Fields []string
}

// HeldRow is a row that would undo work done after the roster was
// written.
type HeldRow struct {
	RowChange
	// Newer are the reasons, one per field: a field changed after the
	// roster's time, or a status going back to 在册.
	Newer []NewerField
	// Written is set when the import overwrote the newer work as told.
	Written bool
}

// NewerField is why one field of a held-back row is newer in the replica.
type NewerField struct {
	// Field is the JSON key of the field the row would change.
	Field string
	// ChangedAt is when the stored value was written (its stamp's
	// physical time); zero for a value that has no stamp.
	ChangedAt time.Time
	// Revives is set when the row would make a cadre recorded as 去世 or
	// 迁出 在册 again: held back whenever that was recorded, since a roster
	// rarely knows of a death or a move.
	Revives bool
}

// plannedRow is what one row of a batch does.
type plannedRow struct {
	RowChange
	// newer is why the row is held back; empty when it is not.
	newer []NewerField
	// problems refuse the row.
	problems []roster.RowError
	// changed is whether the write changed the record (on a dry run,
	// whether it would).
	changed bool
	// written is whether the row was stored (or, on a dry run, would be).
	written bool
}

// batchReads is what comparing a batch reads: the write transaction's
// own reads, or on a dry run a snapshot's.
type batchReads interface {
	CadresByIDNumbers(numbers []string) (map[string]cadre.Cadre, error)
	Stamps(typ string, id uuid.UUID) (map[string]syncsvc.Stamp, error)
	// prefetch reads the given cadres at once, where that saves a query
	// each.
	prefetch(ids []uuid.UUID) error
}

// txReads compares a batch in the transaction that writes it.
type txReads struct{ *store.Tx }

func (r txReads) prefetch(ids []uuid.UUID) error {
	_, err := r.Prefetch(store.CadresTable, ids)
	return err
}

// viewReads compares a batch in a snapshot (a dry run).
type viewReads struct {
	store.Reads
	*syncsvc.View
}

func (viewReads) prefetch([]uuid.UUID) error { return nil }

// planRows compares a batch of rows with the replica: the cadres they
// update read in one query per 500, the stamps of those that change.
func planRows(rd batchReads, cols RosterColumns, rows []roster.Row, asOf, written time.Time, overwrite bool) ([]plannedRow, error) {
	plan := make([]plannedRow, len(rows))
	numbers := make([]string, len(rows))
	for i, row := range rows {
		numbers[i] = row.Cadre.IDNumber
	}
	existing, err := rd.CadresByIDNumbers(numbers)
	if err != nil {
		return nil, err
	}
	ids := make([]uuid.UUID, 0, len(existing))
	for _, c := range existing {
		ids = append(ids, c.ID)
	}
	if err := rd.prefetch(ids); err != nil {
		return nil, err
	}
	for i, row := range rows {
		p := &plan[i]
		p.Line, p.New = row.Line, row.Cadre
		old, found := existing[cadre.NormalizeIDNumber(row.Cadre.IDNumber)]
		if !found {
			p.changed, p.written = true, true
			continue
		}
		p.Old = &old
		p.New.ID = old.ID
		KeepAbsent(&p.New, &old, cols)
		p.Fields = changedFields(&old, &p.New)
		if len(p.Fields) == 0 {
			p.written = true
			continue
		}
		if err := p.New.Validate(asOf); err != nil {
			p.problems = rowProblems(row.Line, err)
			if p.problems != nil {
				continue
			}
		}
		stamps, err := rd.Stamps(store.CadresTable, old.ID)
		if err != nil {
			return nil, err
		}
		p.newer = newerFields(&old, &p.New, p.Fields, stamps, written)
		p.changed, p.written = true, len(p.newer) == 0 || overwrite
	}
	return plan, nil
}

// writeRows stores in the transaction the planned rows of a batch that
// change a cadre and are not held back.
func writeRows(tx *store.Tx, plan []plannedRow) error {
	var cs []*cadre.Cadre
	var todo []int
	for i := range plan {
		p := &plan[i]
		if p.written && p.changed && p.problems == nil {
			c := p.New
			cs = append(cs, &c)
			todo = append(todo, i)
		}
	}
	results, err := tx.PutCadres(cs)
	if err != nil {
		return err
	}
	for k, i := range todo {
		p := &plan[i]
		p.changed = results[k].Changed
		if results[k].Err != nil {
			p.written, p.problems = false, rowProblems(p.Line, results[k].Err)
			continue
		}
		p.New = *cs[k]
	}
	return nil
}

// add counts a batch into the result.
func (out *ImportResult) add(plan []plannedRow, dryRun bool) {
	for i := range plan {
		p := &plan[i]
		out.Problems = append(out.Problems, p.problems...)
		if len(p.newer) > 0 {
			out.Held = append(out.Held, HeldRow{RowChange: p.RowChange, Newer: p.newer, Written: p.written && !dryRun})
		}
		switch {
		case !p.written || p.problems != nil:
			continue
		case !p.changed:
			out.Unchanged++
		case p.Old != nil:
			out.Updated++
		default:
			out.Added++
		}
		if dryRun && p.changed {
			out.Changes = append(out.Changes, p.RowChange)
		}
	}
}

// rowProblems words a refusal of the storage as the row's problems; nil
// when err is no refusal of the row.
func rowProblems(line int, err error) []roster.RowError {
	var ve *cadre.ValidationError
	var dup *syncsvc.DuplicateError
	switch {
	case errors.As(err, &ve):
		var out []roster.RowError
		for _, fe := range WithoutDerived(ve.Problems) {
			out = append(out, roster.RowError{Line: line, Field: fe.Field, Err: fe})
		}
		return out
	case errors.As(err, &dup):
		return []roster.RowError{{Line: line, Field: "id_number", Err: err}}
	}
	return nil
}

// rosterFields are the fields of a roster, in the contract's order.
var rosterFields = []string{
	"name", "gender", "id_number", "birth_date", "category", "retired_on", "rank", "party", "party_joined_on",
	"health", "living", "children_nearby", "living_difficulty", "community", "address", "lat", "lng",
	"phone", "emergency_contact", "original_unit", "pension_fen", "status", "status_on",
}

// changedFields lists the fields whose value differs between a and b, in
// the contract's order.
func changedFields(a, b *cadre.Cadre) []string {
	var out []string
	for _, f := range rosterFields {
		if fieldText(a, f) != fieldText(b, f) {
			out = append(out, f)
		}
	}
	return out
}

// fieldText is a field's value as text, to compare: codes, dates as
// YYYY-MM-DD, "" for unknown.
func fieldText(c *cadre.Cadre, field string) string {
	switch field {
	case "name":
		return c.Name
	case "gender":
		return string(c.Gender)
	case "id_number":
		return c.IDNumber
	case "birth_date":
		return c.BirthDate.String()
	case "category":
		return string(c.Category)
	case "retired_on":
		return c.RetiredOn.String()
	case "rank":
		return string(c.Rank)
	case "party":
		return string(c.Party)
	case "party_joined_on":
		return c.PartyJoinedOn.String()
	case "health":
		return string(c.Health)
	case "living":
		return string(c.Living)
	case "children_nearby":
		return strconv.FormatBool(c.ChildrenNearby)
	case "living_difficulty":
		return strconv.FormatBool(c.Difficulty)
	case "community":
		return c.Community
	case "address":
		return c.Address
	case "lat", "lng":
		if c.Location == nil {
			return ""
		}
		if field == "lat" {
			return strconv.FormatFloat(c.Location.Lat, 'g', -1, 64)
		}
		return strconv.FormatFloat(c.Location.Lng, 'g', -1, 64)
	case "phone":
		return c.Phone
	case "emergency_contact":
		return c.EmergencyContact
	case "original_unit":
		return c.OriginalUnit
	case "pension_fen":
		return strconv.FormatInt(c.PensionFen, 10)
	case "status":
		return string(c.Status)
	case "status_on":
		return c.StatusOn.String()
	}
	return ""
}

// storedField is the field of the cadre record type that holds a roster
// field: the registers hold several (the ID number with the birth date and
// gender, the Party status with its date, the address with its position,
// the status with its date), and share one stamp.
func storedField(field string) string {
	switch field {
	case "birth_date", "gender":
		return "id_number"
	case "party_joined_on":
		return "party"
	case "lat", "lng":
		return "address"
	case "status_on":
		return "status"
	}
	return field
}

// rosterTimeSlack is how much later than the roster's time a change may be
// stamped and still count as older: a file system keeps a file's time
// coarsely (Linux a clock tick behind the clock the stamps read, FAT to 2
// seconds), so a roster saved just after an edit may seem older than it.
const rosterTimeSlack = 2 * time.Second

// newerFields says which of the changed fields hold work newer than the
// roster: a stored value written after it (its stamp's time), and a cadre
// recorded as 去世 or 迁出 whom the row makes 在册 again.
func newerFields(old, c *cadre.Cadre, fields []string, stamps map[string]syncsvc.Stamp, written time.Time) []NewerField {
	var out []NewerField
	for _, f := range fields {
		st := stamps[storedField(f)]
		revives := f == "status" && c.Status == cadre.StatusActive && (old.Status == cadre.StatusDeceased || old.Status == cadre.StatusMoved)
		if revives || (!st.IsZero() && st.Time().After(written.Add(rosterTimeSlack))) {
			var at time.Time
			if !st.IsZero() {
				at = st.Time().In(syncsvc.Shanghai())
			}
			out = append(out, NewerField{Field: f, ChangedAt: at, Revives: revives})
		}
	}
	return out
}

// RosterColumns says which fields a roster has a column for:
// *roster.Header, *roster.Result and *roster.Scanner do.
type RosterColumns interface {
	HasColumn(field string) bool
}

// KeepAbsent keeps on an updated cadre c the fields of old that the roster
// has no column for, so that a roster of some columns does not blank the
// others, and the fields whose cell is empty (未填 in this roster). The
// position goes with the address: it is kept when the roster
// has no coordinates and the address is unchanged.
func KeepAbsent(c, old *cadre.Cadre, res RosterColumns) {
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
