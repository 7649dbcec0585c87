package desk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// RefusalCause is why the hub refused a record, as this office can tell
// it; a page or the command says what to do about each.
type RefusalCause int

const (
	// CauseNotHeld: the record is no longer held here; only the refusal
	// is left to close.
	CauseNotHeld RefusalCause = iota + 1
	// CauseOutsideOffice: the record names a community that is not this
	// office's (RefusedView.Community, RefusedView.Scopes).
	CauseOutsideOffice
	// CauseCadreElsewhere: at the hub this cadre belongs to another
	// community: registered there by another office, or moved there.
	CauseCadreElsewhere
	// CauseMovedAway: at the hub the record is no longer in this office's
	// communities.
	CauseMovedAway
	// CauseUnknownType: the hub does not know this kind of record (its
	// program is older).
	CauseUnknownType
	// CauseSkew: this computer's clock was ahead of the hub's.
	CauseSkew
	// CauseInvalid: the hub found the content invalid; for a cadre, the
	// problems its own rule finds now are in RefusedView.Problems.
	CauseInvalid
)

// RefusedView is a record the hub refused, as a person is shown it: what
// it is, its content (ID numbers masked) and why.
type RefusedView struct {
	// Refused is the record and its refusals, as the replica keeps them.
	Refused syncsvc.RefusedRecord
	// Latest is its newest refusal: the hub's code and words.
	Latest syncsvc.RefusalRecord
	// Name is the cadre's name: the refused cadre's, or that of the cadre
	// the record is about; "" when not known here.
	Name string
	// On is the date that tells the record apart (a visit's day, a
	// meeting's, a payment's), "" when it has none.
	On string
	// Fields are the record's fields as held here, the ID number masked.
	Fields map[string]any
	// Cadre is the refused cadre as held here; nil for another record, or
	// a cadre no longer held.
	Cadre *cadre.Cadre
	// Cause is why the hub refused it.
	Cause RefusalCause
	// Community is the community the record names; Scopes are this
	// office's.
	Community string
	Scopes    []string
	// Problems are what a cadre's own rule finds wrong with it now, for
	// CauseInvalid.
	Problems []*cadre.FieldError
}

// dateFields are the fields that date a record, most telling first; a
// register's first column is its date.
var dateFields = []string{"visited_on", "held_on", "paid_on", "attended_on", "delivered_on", "received_on", "opened_at",
	"span", "stay", "relief", "term_start", "founded_on"}

// ListRefused describes the records the hub refused that wait for a
// person (every one, resent and discarded too, when all is set).
func ListRefused(ctx context.Context, rep *store.Replica, all bool, now time.Time) ([]RefusedView, error) {
	recs, err := rep.RefusedRecords(ctx, all)
	if err != nil {
		return nil, fmt.Errorf("refused records: %w", err)
	}
	scopes, err := rep.OfficeScopes(ctx)
	if err != nil {
		return nil, fmt.Errorf("refused records: %w", err)
	}
	out := make([]RefusedView, 0, len(recs))
	for _, rr := range recs {
		out = append(out, DescribeRefused(ctx, rep, rr, scopes, now))
	}
	return out, nil
}

// DescribeRefused says what a refused record is and why the hub refused
// it, given the office's communities; a cadre's content is judged by its
// rule as of now.
func DescribeRefused(ctx context.Context, rep *store.Replica, rr syncsvc.RefusedRecord, scopes []string, now time.Time) RefusedView {
	latest := rr.Latest()
	vals := rr.Record.Values
	v := RefusedView{Refused: rr, Latest: latest, Fields: map[string]any{}, Scopes: scopes, On: recordDate(vals), Community: rr.Record.Scope}
	for k, x := range vals {
		if k == "id_number" {
			x = cadre.MaskIDNumber(IDNumberOf(vals))
		}
		v.Fields[k] = x
	}
	if c, ok := vals["community"].(string); ok && c != "" {
		v.Community = c
	}
	isCadre := rr.Table == store.CadresTable
	if isCadre {
		v.Name, _ = vals["name"].(string)
		if c, err := rep.Cadre(ctx, rr.ID); rr.Held && err == nil {
			v.Cadre = &c
			v.Fields = cadreFields(c)
		}
	} else if cid, ok := vals["cadre_id"].(string); ok {
		if id, err := uuid.Parse(cid); err == nil {
			if c, err := rep.Get(ctx, store.CadresTable, id); err == nil {
				v.Name, _ = c.Values["name"].(string)
			}
		}
	}
	switch code := latest.Code; {
	case !rr.Held:
		v.Cause = CauseNotHeld
	case code == "scope" && !slices.Contains(scopes, v.Community) && len(scopes) > 0:
		v.Cause = CauseOutsideOffice
	case code == "scope" && isCadre:
		// One person is one record district-wide (the id comes from the
		// ID number): the hub holds this person in another community.
		v.Cause = CauseCadreElsewhere
	case code == "scope":
		v.Cause = CauseMovedAway
	case code == "unknown_type":
		v.Cause = CauseUnknownType
	case code == "skew":
		v.Cause = CauseSkew
	default:
		v.Cause = CauseInvalid
		var ve *cadre.ValidationError
		if v.Cadre != nil && errors.As(v.Cadre.Validate(now.In(syncsvc.Shanghai())), &ve) {
			v.Problems = WithoutDerived(ve.Problems)
		}
	}
	return v
}

// cadreFields are a cadre's fields by JSON key, as a person is shown
// them: the ID number masked, the id left out.
func cadreFields(c cadre.Cadre) map[string]any {
	fields := map[string]any{}
	if b, err := json.Marshal(c); err == nil && json.Unmarshal(b, &fields) == nil {
		fields["id_number"] = cadre.MaskIDNumber(c.IDNumber)
		delete(fields, "id")
	}
	return fields
}

// recordDate is the date that tells a record apart: a visit's day, a
// meeting's, a payment's.
func recordDate(vals map[string]any) string {
	for _, f := range dateFields {
		switch v := vals[f].(type) {
		case string:
			if v != "" {
				return v
			}
		case []any:
			if len(v) > 0 {
				if s, ok := v[0].(string); ok && s != "" {
					return s
				}
			}
		}
	}
	return ""
}
