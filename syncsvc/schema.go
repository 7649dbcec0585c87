package syncsvc

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ColumnType is how the values of a column are stored and carried: Text as
// string, Integer as int64, Real as float64, Bool as bool. Every column may
// also hold nil.
type ColumnType int

// Column types.
const (
	Text ColumnType = iota + 1
	Integer
	Real
	Bool
)

func (t ColumnType) sql() string {
	switch t {
	case Integer, Bool:
		return "INTEGER"
	case Real:
		return "REAL"
	}
	return "TEXT"
}

// Column is one column of a record type's table.
type Column struct {
	Name string
	Type ColumnType
}

// Field is the unit of merge: one column, or a register of columns that only
// make sense together (an address and its coordinates). Each field carries
// its own stamp; two replicas that write different fields of one record both
// keep their writes, and for one field the later stamp wins everywhere.
type Field struct {
	Name    string
	Columns []Column
}

// Col declares a field of one column with the field's name.
func Col(name string, t ColumnType) Field {
	return Field{Name: name, Columns: []Column{{Name: name, Type: t}}}
}

// Register declares a field of several columns written and merged together.
// Its value in a Change is a []any holding the columns' values in order.
func Register(name string, cols ...Column) Field {
	return Field{Name: name, Columns: cols}
}

// ScopeRule says which scope a record belongs to: a community code taken
// from one of its own columns, the scope of a parent record it refers to
// (and moves with), or the district.
type ScopeRule struct {
	// Column names a Text column holding the community code.
	Column string
	// ParentType and ParentColumn: the record's scope is the scope of the
	// ParentType record whose id is in ParentColumn, and follows it when
	// the parent moves.
	ParentType   string
	ParentColumn string
	// District marks district-wide data that every office reads.
	District bool
	// Names, on a district type, names a Text column that holds a
	// community's code and never changes once written: the type's records
	// are then the district's registry of communities, one per code
	// (ScopeDistrictNaming). An office reads only the records that name
	// one of its own communities, so that what each office pulls does not
	// grow with the district; and the hub refuses an office's change that
	// puts a record in a community no live record of the type names. At
	// most one type is the registry.
	Names string
}

// ScopeByColumn returns the rule "the scope is the value of column".
func ScopeByColumn(column string) ScopeRule { return ScopeRule{Column: column} }

// ScopeByParent returns the rule "the scope is that of the parentType record
// whose id is in column".
func ScopeByParent(parentType, column string) ScopeRule {
	return ScopeRule{ParentType: parentType, ParentColumn: column}
}

// ScopeDistrict returns the rule for district-wide data.
func ScopeDistrict() ScopeRule { return ScopeRule{District: true} }

// ScopeDistrictNaming returns the rule of the district's registry of
// communities: district data, each record naming one community by the
// code in column, which never changes once written (see ScopeRule.Names).
func ScopeDistrictNaming(column string) ScopeRule { return ScopeRule{District: true, Names: column} }

// RecordType declares a kind of replicated record: its table, its fields
// and how its scope is found. Declaring one (Options.Types) is all it takes
// for a new kind of record to be stored, captured, merged and synced.
//
// Every table also gets the columns id (the record's UUID), scope, _void (the
// reason a record was voided, or NULL), _stamps (the fields' stamps),
// _extra (fields of the type that only a newer program declares) and _seq
// (on the hub, the district sequence of the record's last change).
type RecordType struct {
	// Name is the table name: lower-case letters, digits and _.
	Name string
	// Fields are the replicated fields, in the order they are listed.
	Fields []Field
	// Scope says which scope a record belongs to.
	Scope ScopeRule
	// Indexes lists extra indexes, each a list of column names.
	Indexes [][]string
	// Validate, when set, is the rule of the type's records. It is given a
	// record as it would stand after a write (never a voided one) and the
	// time it is checked at, and returns what is wrong, naming the field; an
	// error that is a ChineseError is worded for staff in Chinese too.
	// The hub asks it about every pushed change and refuses a change whose
	// record breaks it, alone, with the reason; a local Put asks it too.
	Validate func(rec Record, asOf time.Time) error
	// Check, when set, is the rule read in place: the same as Validate
	// (and used instead of it) but given the stored columns without a
	// Record's map, for a typed layer that decodes records itself; the
	// hub checks every pushed change, so this is the cheaper hook.
	Check func(cols Columns, asOf time.Time) error
	// MaxRunes bounds text columns in characters, by column name, beyond
	// MaxTextBytes, which bounds every text value.
	MaxRunes map[string]int
	// MultiLine names the text columns, by column name, that may hold line
	// breaks and tabs (notes); every other text column holds one line.
	// Every text value is refused when it holds a control character or an
	// invisible one (a NUL, an escape, a zero-width space, a byte-order
	// mark…; see package syncsvc/text), on a local write and in a pushed
	// change alike.
	MultiLine map[string]bool
	// Label, when set, names a column for staff in Chinese, as a refusal
	// for size words it; empty keeps the column's own name.
	Label func(column string) string
}

// voidField is the field every record type has: the reason the record was
// voided, or nil. Its stamp makes a void merge like any other write.
const voidField = "_void"

var identRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

var reservedColumns = map[string]bool{"id": true, "scope": true, voidField: true, "_stamps": true, "_extra": true}

// table is a RecordType checked and prepared for use.
type table struct {
	RecordType
	fields   map[string]*Field
	pos      map[string]int // field name → position in Fields
	columns  []Column       // data columns in declaration order
	colIndex map[string]int // column name → index in columns
	children []*table       // record types whose scope follows this one
	selectQ  string         // SQL reading whole rows; append a WHERE clause
	valuesQ  string         // SQL reading the id and columns only (Reader.Scan)
	colTypes map[string]ColumnType
	writes   map[string]string // writeSQL's statements by their columns; guarded by the replica's writeMu
	nums     map[string]uint64 // field name → number (field_numbers)
	names    map[uint64]string // number → field name, for every number given
}

func compileTable(rt RecordType) (*table, error) {
	if !identRE.MatchString(rt.Name) || strings.HasPrefix(rt.Name, "sqlite_") || internalTables[rt.Name] {
		return nil, fmt.Errorf("record type %q: %w: name must be lower-case letters, digits and _, not a reserved table", rt.Name, ErrInvalidType)
	}
	t := &table{RecordType: rt, fields: map[string]*Field{}, colIndex: map[string]int{}, colTypes: map[string]ColumnType{}}
	all := append([]Field{Col(voidField, Text)}, rt.Fields...)
	for i := range all {
		f := &all[i]
		if _, dup := t.fields[f.Name]; dup || len(f.Columns) == 0 || (f.Name != voidField && !identRE.MatchString(f.Name)) {
			return nil, fmt.Errorf("record type %s: %w: field %q is empty, repeated or badly named", rt.Name, ErrInvalidType, f.Name)
		}
		t.fields[f.Name] = f
		for _, c := range f.Columns {
			_, dup := t.colIndex[c.Name]
			bad := c.Type < Text || c.Type > Bool || (f.Name != voidField && (reservedColumns[c.Name] || !identRE.MatchString(c.Name)))
			if dup || bad {
				return nil, fmt.Errorf("record type %s: %w: column %q is repeated, reserved, badly named or untyped", rt.Name, ErrInvalidType, c.Name)
			}
			t.colIndex[c.Name] = len(t.columns)
			t.columns = append(t.columns, c)
			t.colTypes[c.Name] = c.Type
		}
	}
	t.Fields = all
	t.pos = make(map[string]int, len(all))
	for i, f := range all {
		t.pos[f.Name] = i
	}
	if err := t.checkScope(); err != nil {
		return nil, err
	}
	for _, idx := range rt.Indexes {
		for _, c := range idx {
			if _, ok := t.colIndex[c]; !ok && c != "scope" {
				return nil, fmt.Errorf("record type %s: %w: index on unknown column %q", rt.Name, ErrInvalidType, c)
			}
		}
	}
	if rt.Scope.ParentColumn != "" {
		t.Indexes = append(append([][]string(nil), rt.Indexes...), []string{rt.Scope.ParentColumn})
	}
	t.prepareSQL()
	return t, nil
}

func (t *table) checkScope() error {
	s := t.Scope
	set := 0
	for _, b := range []bool{s.Column != "", s.ParentType != "", s.District} {
		if b {
			set++
		}
	}
	if set != 1 || (s.ParentType != "") != (s.ParentColumn != "") {
		return fmt.Errorf("record type %s: %w: give exactly one scope rule", t.Name, ErrInvalidType)
	}
	if s.Names != "" && !s.District {
		return fmt.Errorf("record type %s: %w: only district data names communities", t.Name, ErrInvalidType)
	}
	for _, c := range []string{s.Column, s.ParentColumn, s.Names} {
		if c != "" && t.colTypes[c] != Text {
			return fmt.Errorf("record type %s: %w: scope column %q must be a Text column of the type", t.Name, ErrInvalidType, c)
		}
	}
	return nil
}

func (t *table) prepareSQL() {
	names := make([]string, len(t.columns))
	for i, c := range t.columns {
		names[i] = quote(c.Name)
	}
	t.selectQ = fmt.Sprintf("SELECT id,scope,_stamps,_extra,_seq,%s FROM %s", strings.Join(names, ","), t.Name)
	t.valuesQ = fmt.Sprintf("SELECT id,%s FROM %s", strings.Join(names, ","), t.Name)
}

// createSQL creates the table with its fixed columns; data columns are
// added one by one so that a table made by an older program gains them.
// _extra keeps the fields a newer program wrote that this one does not
// declare, with their stamps, so that they are passed on, never erased.
func (t *table) createSQL() string {
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (id TEXT PRIMARY KEY, scope TEXT NOT NULL, _stamps BLOB NOT NULL, _extra BLOB, _seq INTEGER)", t.Name)
}

// indexSQL returns the statements creating the table's indexes; each is
// safe to run again.
func (t *table) indexSQL() []string {
	// (scope, _seq) serves both a scope's records and the hub's change
	// feed of that scope.
	stmts := []string{fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s_feed ON %s(scope, _seq)", t.Name, t.Name)}
	indexes := t.Indexes
	if n := t.Scope.Names; n != "" && !slices.ContainsFunc(indexes, func(idx []string) bool { return len(idx) > 0 && idx[0] == n }) {
		// The feed finds an office's own communities in the registry
		// through it (feedClauses).
		indexes = append(slices.Clone(indexes), []string{n})
	}
	for _, idx := range indexes {
		q := make([]string, len(idx))
		for i, c := range idx {
			q[i] = quote(c)
		}
		stmts = append(stmts, fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s_%s ON %s(%s)", t.Name, strings.Join(idx, "_"), t.Name, strings.Join(q, ",")))
	}
	return stmts
}

func quote(ident string) string { return `"` + ident + `"` }

// number returns a field's number; a nil table numbers nothing.
func (t *table) number(name string) (uint64, bool) {
	if t == nil {
		return 0, false
	}
	n, ok := t.nums[name]
	return n, ok
}

// name returns the field a number stands for.
func (t *table) name(num uint64) (string, bool) {
	if t == nil {
		return "", false
	}
	n, ok := t.names[num]
	return n, ok
}

// writeSQL returns the statement that inserts a new row with the given
// columns, or updates those columns of a stored one. Its arguments are
// scope, _stamps, _extra, _seq, the columns' values, then the id.
func (t *table) writeSQL(insert bool, cols []int) string {
	key := make([]byte, 0, len(cols)+1)
	if insert {
		key = append(key, 'i')
	}
	for _, i := range cols {
		key = append(key, byte(i))
	}
	if q, ok := t.writes[string(key)]; ok {
		return q
	}
	names := make([]string, len(cols))
	for j, i := range cols {
		names[j] = quote(t.columns[i].Name)
	}
	var q string
	if insert {
		q = fmt.Sprintf("INSERT INTO %s(scope,_stamps,_extra,_seq%s,id) VALUES(?,?,?,?%s,?)", t.Name,
			strings.Repeat(",", min(len(names), 1))+strings.Join(names, ","), strings.Repeat(",?", len(cols)))
	} else {
		q = fmt.Sprintf("UPDATE %s SET scope=?,_stamps=?,_extra=?,_seq=?%s WHERE id=?", t.Name,
			strings.Repeat(",", min(len(names), 1))+strings.Join(names, "=?,")+strings.Repeat("=?", min(len(names), 1)))
	}
	if t.writes == nil {
		t.writes = map[string]string{}
	}
	t.writes[string(key)] = q
	return q
}
