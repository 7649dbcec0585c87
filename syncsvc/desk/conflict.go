package desk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/cadre"
	"github.com/wanxia/wanxia/syncsvc"
	"github.com/wanxia/wanxia/syncsvc/store"
)

// FindConflict resolves a conflict's UUID or a unique prefix of at least 8
// of its characters, among resolved and open conflicts. A reference that
// finds no single conflict returns a *RefError (ErrBadRef,
// syncsvc.ErrNotFound or syncsvc.ErrAmbiguous with the matches).
func FindConflict(ctx context.Context, rep *store.Replica, ref string) (syncsvc.Conflict, error) {
	ref = strings.TrimSpace(ref)
	prefix := strings.ToLower(ref)
	if len(prefix) < 8 || strings.Trim(prefix, "0123456789abcdef-") != "" {
		return syncsvc.Conflict{}, &RefError{Ref: ref, Err: ErrBadRef}
	}
	all, err := rep.Conflicts(ctx, syncsvc.ConflictFilter{})
	if err != nil {
		return syncsvc.Conflict{}, fmt.Errorf("find conflict: %w", err)
	}
	var found []syncsvc.Conflict
	for _, c := range all {
		if strings.HasPrefix(c.ID.String(), prefix) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return syncsvc.Conflict{}, &RefError{Ref: ref, By: ByPrefix, Err: syncsvc.ErrNotFound}
	case 1:
		return found[0], nil
	}
	ids := make([]uuid.UUID, len(found))
	for i, c := range found {
		ids[i] = c.ID
	}
	return syncsvc.Conflict{}, &RefError{Ref: ref, By: ByPrefix, Matches: ids, Err: syncsvc.ErrAmbiguous}
}

// ValueError is a value that does not fit a conflict's field: it could not
// be read, or the storage refused it (then it wraps
// syncsvc.ErrInvalidChange).
type ValueError struct {
	// Field is the conflict's field.
	Field string
	// Value is the value as given.
	Value string
	// Err is why it does not fit.
	Err error
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("value %q for field %s: %v", e.Value, e.Field, e.Err)
}

// Unwrap returns why the value does not fit.
func (e *ValueError) Unwrap() error { return e.Err }

// ConflictResolution settles a conflict.
type ConflictResolution struct {
	// Conflict is the conflict, as FindConflict returned it.
	Conflict syncsvc.Conflict
	// Keep is syncsvc.KeepCurrent, syncsvc.KeepOther or syncsvc.KeepValue.
	Keep syncsvc.Keep
	// Value is the field's new value as a person writes it, with
	// syncsvc.KeepValue: a JSON list for fields stored together, yuan for
	// the pension, a code or label for an enumeration.
	Value string
}

// ResolveConflict settles a conflict in one transaction: the chosen value
// is written to the record's field and the conflict marked resolved; both
// sync like any write. A value that does not fit returns a *ValueError; a
// conflict resolved already wraps syncsvc.ErrConflictResolved.
func ResolveConflict(ctx context.Context, rep *store.Replica, in ConflictResolution) error {
	c := in.Conflict
	var v any
	if in.Keep == syncsvc.KeepValue {
		var err error
		if v, err = ParseFieldValue(c, in.Value); err != nil {
			return &ValueError{Field: c.Field, Value: in.Value, Err: err}
		}
	}
	err := rep.ResolveConflict(ctx, c.ID, in.Keep, v)
	switch {
	case errors.Is(err, syncsvc.ErrInvalidChange):
		return &ValueError{Field: c.Field, Value: in.Value, Err: err}
	case err != nil:
		return fmt.Errorf("resolve conflict %s: %w", c.ID, err)
	}
	return nil
}

// ParseFieldValue reads s as a value of the conflict's field, taking the
// kind of value from what the field holds: a JSON list for fields stored
// together, yuan for the pension, a code or label for an enumeration.
func ParseFieldValue(c syncsvc.Conflict, s string) (any, error) {
	example := c.Current.Value
	if example == nil {
		example = c.Other.Value
	}
	if c.Table == store.CadresTable {
		switch c.Field {
		case "pension_fen":
			return cadre.ParseYuan(s)
		case "category", "rank", "health", "living":
			return parseEnum(c.Field, s)
		}
	}
	switch example.(type) {
	case []any:
		d := json.NewDecoder(bytes.NewReader([]byte(s)))
		d.UseNumber()
		var list []any
		if err := d.Decode(&list); err != nil {
			return nil, errors.New(`write the values stored together as a JSON list, e.g. ["街道 1 号", 36.65, 117.0]`)
		}
		for i, e := range list {
			if n, ok := e.(json.Number); ok {
				if v, err := n.Int64(); err == nil {
					list[i] = v
				} else if list[i], err = n.Float64(); err != nil {
					return nil, err
				}
			}
		}
		return list, nil
	case bool:
		return cadre.ParseBool(s)
	case int64:
		return strconv.ParseInt(s, 10, 64)
	case float64:
		return strconv.ParseFloat(s, 64)
	}
	if s == "" {
		return nil, nil
	}
	return s, nil
}

// parseEnum reads an enumeration of a cadre as its code.
func parseEnum(field, s string) (any, error) {
	var code string
	var err error
	switch field {
	case "category":
		var v cadre.Category
		v, err = cadre.ParseCategory(s)
		code = string(v)
	case "rank":
		var v cadre.Rank
		v, err = cadre.ParseRank(s)
		code = string(v)
	case "health":
		var v cadre.Health
		v, err = cadre.ParseHealth(s)
		code = string(v)
	case "living":
		var v cadre.Living
		v, err = cadre.ParseLiving(s)
		code = string(v)
	}
	return code, err
}
