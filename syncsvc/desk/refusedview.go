package desk

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// RefusalKind is why the hub refused a record, as far as what to do about
// it differs.
type RefusalKind int

// The kinds of refusal.
const (
	// RefusalGone: the record is no longer held here; the refusal only
	// waits to be closed.
	RefusalGone RefusalKind = iota + 1
	// RefusalOutsideOffice: the record's community is not one of the
	// office's (a mistyped community): correct it and send it again.
	RefusalOutsideOffice
	// RefusalUnregisteredCommunity: the record names a community the
	// district has not registered.
	RefusalUnregisteredCommunity
	// RefusalCadreElsewhere: the hub holds this person in another
	// community (registered there by another office, or moved there).
	RefusalCadreElsewhere
	// RefusalMovedAway: at the hub the record is no longer in the
	// office's communities.
	RefusalMovedAway
	// RefusalUnknownType: the hub does not know the kind of record yet.
	RefusalUnknownType
	// RefusalClock: the change was stamped ahead of the hub's clock.
	RefusalClock
	// RefusalInvalid: the hub found the content invalid.
	RefusalInvalid
)

// RefusedView is a refused record as a person is told of it.
type RefusedView struct {
	Record syncsvc.RefusedRecord
	Kind   RefusalKind
	// Name is the cadre's name: the record's own, or of the cadre it is
	// about; "" when not known here.
	Name string
	// When is the date that tells the record apart (a visit's day, a
	// meeting's), "" for none.
	When string
	// Community is the record's community as written; Scopes are the
	// office's communities.
	Community string
	Scopes    []string
	// Cadre is the record when it is a cadre held here.
	Cadre *cadre.Cadre
	// Problems are, for an invalid cadre, what its check finds now.
	Problems []*cadre.FieldError
}

// dateFields are the fields that date a record, most telling first; a
// register's first column is its date.
var dateFields = []string{"visited_on", "held_on", "paid_on", "attended_on", "delivered_on", "received_on", "opened_at",
	"span", "stay", "relief", "term_start", "founded_on"}

// RecordDate is the date that tells a record apart: a visit's day, a
// meeting's, a payment's; "" for none.
func RecordDate(vals map[string]any) string {
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

// DescribeRefused says what a refused record is and why the hub refused
// it, for a person to decide what to do; scopes are the office's
// communities (Replica.OfficeScopes) and now the time its content is
// checked at.
func DescribeRefused(ctx context.Context, rep *store.Replica, rr syncsvc.RefusedRecord, scopes []string, now time.Time) RefusedView {
	v := RefusedView{Record: rr, Scopes: scopes, When: RecordDate(rr.Record.Values), Community: rr.Record.Scope}
	vals := rr.Record.Values
	if rr.Table == store.CadresTable {
		v.Name, _ = vals["name"].(string)
		v.When = ""
	} else if cid, ok := vals["cadre_id"].(string); ok {
		if id, err := uuid.Parse(cid); err == nil {
			if c, err := rep.Get(ctx, store.CadresTable, id); err == nil {
				v.Name, _ = c.Values["name"].(string)
			}
		}
	}
	if c, ok := vals["community"].(string); ok && c != "" {
		v.Community = c
	}
	if rr.Table == store.CadresTable && rr.Held {
		if c, err := rep.Cadre(ctx, rr.ID); err == nil {
			v.Cadre = &c
		}
	}
	latest := rr.Latest()
	switch {
	case !rr.Held:
		v.Kind = RefusalGone
	case latest.Code == "scope" && strings.Contains(latest.Reason, syncsvc.ErrUnregisteredCommunity.Error()):
		v.Kind = RefusalUnregisteredCommunity
	case latest.Code == "scope" && !slices.Contains(scopes, v.Community) && len(scopes) > 0:
		v.Kind = RefusalOutsideOffice
	case latest.Code == "scope" && rr.Table == store.CadresTable:
		v.Kind = RefusalCadreElsewhere
	case latest.Code == "scope":
		v.Kind = RefusalMovedAway
	case latest.Code == "unknown_type":
		v.Kind = RefusalUnknownType
	case latest.Code == "skew":
		v.Kind = RefusalClock
	default:
		v.Kind = RefusalInvalid
		if v.Cadre != nil {
			var ve *cadre.ValidationError
			if errors.As(v.Cadre.Validate(now.In(syncsvc.Shanghai())), &ve) {
				v.Problems = WithoutDerived(ve.Problems)
			}
		}
	}
	return v
}
