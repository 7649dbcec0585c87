package desk

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"

	"github.com/wanxia/wanxia/syncsvc/store"
)

// DuplicateResolved is what ResolveDuplicate did.
type DuplicateResolved struct {
	// Kept is the registration kept and Voided the one voided.
	Kept, Voided uuid.UUID
	// RecordsMoved counts the records about the voided registration that
	// now name the one kept.
	RecordsMoved int
}

// DuplicateResolution joins two registrations of one person.
type DuplicateResolution struct {
	// Keep is the registration kept and Void the one voided.
	Keep, Void uuid.UUID
	// Reason is why, for the record.
	Reason string
}

// ResolveDuplicate keeps one of two live registrations of one ID number
// and voids the other, with the reason why (ErrReasonRequired when
// blank): the records about the voided one move to the one kept, in one
// transaction. Two records that are no such pair wrap
// store.ErrNotDuplicate.
func ResolveDuplicate(ctx context.Context, rep *store.Replica, in DuplicateResolution) (DuplicateResolved, error) {
	keep, void, reason := in.Keep, in.Void, in.Reason
	if strings.TrimSpace(reason) == "" {
		return DuplicateResolved{}, fmt.Errorf("resolve duplicate: %w", ErrReasonRequired)
	}
	n, err := rep.ResolveDuplicate(ctx, keep, void, reason)
	if err != nil {
		return DuplicateResolved{}, fmt.Errorf("resolve duplicate %s/%s: %w", keep, void, err)
	}
	return DuplicateResolved{Kept: keep, Voided: void, RecordsMoved: n}, nil
}
