package syncsvc

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// RecordError is a change or a write refused because the record it would
// leave breaks a size limit or the rule of its record type. It wraps
// ErrInvalidChange and the rule's error (a *LimitError, or the error of the
// type's Validate, naming each field and what is wrong with it). Its text names the record
// by type and UUID only; it never repeats a value.
type RecordError struct {
	Table string
	ID    uuid.UUID
	Err   error
}

// Error says what is wrong in English, then in Chinese where the rule
// worded it, so that the reason a hub gives reads in either language.
func (e *RecordError) Error() string {
	msg := fmt.Sprintf("%s %s: %v: %v", e.Table, e.ID, ErrInvalidChange, e.Err)
	if zh := e.Chinese(); zh != "" {
		msg += "（" + zh + "）"
	}
	return msg
}

// Chinese words the problems for staff: "记录有误：字段：问题；…", or ""
// when the rule's error does not word itself in Chinese (a ChineseError).
func (e *RecordError) Chinese() string {
	var ce ChineseError
	if !errors.As(e.Err, &ce) {
		return ""
	}
	return "记录有误：" + ce.Chinese()
}

// ChineseError is an error that words itself for office staff in Chinese,
// as a record type's Validate may return: "字段：问题；…".
type ChineseError interface {
	error
	Chinese() string
}

// Unwrap returns ErrInvalidChange and the rule's error.
func (e *RecordError) Unwrap() []error { return []error{ErrInvalidChange, e.Err} }

// checkIncoming is the hub's check of one pushed change before it is
// merged: each value within its size limit, then the record as it would
// stand after the merge within MaxRecordBytes and, unless voided, valid by
// its type's rule, as of the later of now and the change's newest stamp
// (an office a little ahead of the hub wrote it as of its own today). A
// change none of whose fields would win changes nothing and is not judged.
func (w *writeTx) checkIncoming(t *table, r *row, ch Change, vals []any) error {
	var ps limits
	for i, fc := range ch.Fields {
		t.checkValueBounds(&ps, fc.Name, t.fields[fc.Name], vals[i])
	}
	if err := t.limitErr(&ps); err != nil {
		return &RecordError{Table: t.Name, ID: ch.ID, Err: err}
	}
	merged, won := r.preview(t, ch, vals)
	if !won {
		return nil
	}
	checkRecordBounds(&ps, merged)
	if err := t.limitErr(&ps); err != nil {
		return &RecordError{Table: t.Name, ID: ch.ID, Err: err}
	}
	if (t.Validate == nil && t.Check == nil) || merged.voided() {
		return nil
	}
	asOf := w.r.now()
	for _, fc := range ch.Fields {
		if at := fc.Stamp.Time(); at.After(asOf) {
			asOf = at
		}
	}
	if err := t.validate(merged, asOf.In(Shanghai())); err != nil {
		return &RecordError{Table: t.Name, ID: ch.ID, Err: err}
	}
	return nil
}

// ErrUnregisteredCommunity: an office moved a record to a community the
// district has not registered (a code typed wrong). The hub refuses the
// change alone, with ErrOutOfScope (refusal code "scope"); its reason
// carries these words.
var ErrUnregisteredCommunity = errors.New("community not registered in the district")

// checkDestination refuses an office's change (ApplyOptions.Authorize)
// that moves a record (a cadre who moves, 组织关系随人走: its scope column
// changes) into a scope naming a community no live record of the registry
// names (ScopeRule.Names). A new record's community is one of the office's
// own (Authorize), which the hub registered with the office. An office holds only the registry records of its own
// communities, so it cannot tell a community typed wrong from one it does
// not hold; the hub can. Without a registry every community is taken.
func (w *writeTx) checkDestination(t *table, r *row, ch Change) error {
	reg := w.r.registry
	if reg == nil || t.Scope.Column == "" || ch.Scope == districtScope || !r.exists || r.scope == ch.Scope {
		return nil
	}
	for _, code := range ScopeCommunities(ch.Scope) {
		var n int
		err := w.QueryRowContext(w.ctx, "SELECT COUNT(*) FROM "+reg.Name+" WHERE "+quote(reg.Scope.Names)+" = ? AND _void IS NULL", code).Scan(&n)
		if err != nil {
			return fmt.Errorf("read the registry of communities: %w", err)
		}
		if n == 0 {
			return fmt.Errorf("%s %s: %w: %w: %q（社区 %s 没有在区里登记）", t.Name, ch.ID, ErrOutOfScope, ErrUnregisteredCommunity, code, code)
		}
	}
	return nil
}

// preview returns a copy of the row with the change merged as mergeFields
// would merge it, and whether any field would win; the row itself is left
// as it is.
func (r *row) preview(t *table, ch Change, vals []any) (*row, bool) {
	c := *r
	c.vals = slices.Clone(r.vals)
	c.stamps = slices.Clone(r.stamps)
	c.extra = slices.Clone(r.extra)
	c.changed = nil
	won := false
	for i, fc := range ch.Fields {
		f, known := t.fields[fc.Name]
		if !known {
			won = c.mergeExtra(FieldChange{Name: fc.Name, Value: vals[i], Stamp: fc.Stamp, Prev: fc.Prev}) || won
			continue
		}
		pos := t.pos[fc.Name]
		if fc.Stamp.Compare(c.stamps[pos].Stamp) <= 0 {
			continue
		}
		c.set(f, vals[i])
		c.stamps[pos] = fieldStamp{Stamp: fc.Stamp, Prev: fc.Prev}
		won = true
	}
	return &c, won
}

// checkLocal is the check of a local write through Put: the values within
// their limits, and the record as it would stand within MaxRecordBytes and
// valid by the type's own Validate, when it declares one. (The typed
// methods check their records with the domain's rules before they write.)
func (w *writeTx) checkLocal(t *table, id uuid.UUID, values map[string]any) error {
	if err := t.checkValuesBounds(values); err != nil {
		return err
	}
	r, err := w.row(t, id)
	if err != nil {
		return err
	}
	ch := Change{Table: t.Name, ID: id, Fields: make([]FieldChange, 0, len(values))}
	vals := make([]any, 0, len(values))
	// A stamp after every stamp of the row, so that each value wins.
	var st Stamp
	for _, s := range r.stamps {
		if st.Compare(s.Stamp) < 0 {
			st = s.Stamp
		}
	}
	st.HLC++
	for name, v := range values {
		f, ok := t.fields[name]
		if !ok {
			continue // w.put refuses it
		}
		nv, err := normalizeField(f, v)
		if err != nil {
			continue // w.put refuses it
		}
		ch.Fields = append(ch.Fields, FieldChange{Name: name, Value: nv, Stamp: st})
		vals = append(vals, nv)
	}
	merged, _ := r.preview(t, ch, vals)
	var ps limits
	checkRecordBounds(&ps, merged)
	if err := t.limitErr(&ps); err != nil {
		return err
	}
	if (t.Validate == nil && t.Check == nil) || merged.voided() {
		return nil
	}
	if err := t.validate(merged, w.r.now().In(Shanghai())); err != nil {
		return &RecordError{Table: t.Name, ID: id, Err: err}
	}
	return nil
}

// validate asks the type's rule about a row: Check in place when the type
// declares it, else Validate on the row as a Record.
func (t *table) validate(r *row, asOf time.Time) error {
	if t.Check != nil {
		return t.Check(r, asOf)
	}
	return t.Validate(r.record(), asOf)
}
