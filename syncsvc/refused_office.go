package syncsvc

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/google/uuid"
)

// ErrWrongOffice: the hub says the token belongs to another office than
// the one this replica was set up for. Nothing is synced or dropped.
var ErrWrongOffice = errors.New("the token belongs to another office")

// WrongOfficeError names both offices. It wraps ErrWrongOffice.
type WrongOfficeError struct {
	// Want is the office this replica was set up for; Got the office the
	// hub says the token is of.
	Want, Got string
}

func (e *WrongOfficeError) Error() string {
	return fmt.Sprintf("%v: the hub says %s, this replica is office %s", ErrWrongOffice, e.Got, e.Want)
}

// Unwrap returns ErrWrongOffice.
func (e *WrongOfficeError) Unwrap() error { return ErrWrongOffice }

// checkHelloOffice refuses a hello that names another office than the one
// stored in this replica (by office init or an earlier sync): a token of
// another office would sync this replica as that office, and drop every
// record of this office as outside its communities.
func (r *Replica) checkHelloOffice(ctx context.Context, got string) error {
	want, err := r.Meta(ctx, "office_id")
	if err != nil {
		return err
	}
	if want != "" && got != want {
		return &WrongOfficeError{Want: want, Got: got}
	}
	return nil
}

// tokenOKKey keeps the fingerprint of the token the hub last confirmed as
// this office's.
const tokenOKKey = "token_ok"

// TokenFingerprint is what a replica keeps (meta token_ok) of a token the
// hub confirmed as its office's: a short SHA-256 prefix.
func TokenFingerprint(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:8])
}

// ProbeOffice asks the hub which office the agent's token belongs to. It
// says Hello with a throwaway node, not this replica's: the hub ties a node
// to the first office that says Hello with it, and a token of another
// office must not take this replica's node. It stores nothing.
func (a *Agent) ProbeOffice(ctx context.Context) (HelloResult, error) {
	probe := NodeID(uuid.Must(uuid.NewV7()))
	h, err := call(ctx, a, a.hub.Hello, HelloRequest{Node: probe, OfficeHello: OfficeHello{
		Schema: SchemaVersion(), OfficeTime: a.r.now(),
	}})
	if err != nil {
		return HelloResult{}, fmt.Errorf("check the token: %w", err)
	}
	return helloResult(h), nil
}

// ConfirmOffice checks, once per token, that the hub takes the agent's
// token for the office this replica was set up for (meta office_id, set by
// office init; without it there is nothing to check), before the
// replica's own node first says Hello with it (after a sync, the hub ties
// the node to its office and refuses another office's token itself). A token of another office
// gives a *WrongOfficeError and nothing is stored; a confirmed token is
// remembered (by a fingerprint) with the office's id and communities, and
// not probed again. It reports whether it asked the hub.
func (a *Agent) ConfirmOffice(ctx context.Context) (bool, error) {
	st, err := a.r.readSyncState(ctx)
	if err != nil {
		return false, err
	}
	return a.confirmOffice(ctx, st)
}

// confirmOffice is ConfirmOffice from the sync's state st, read before.
func (a *Agent) confirmOffice(ctx context.Context, st syncState) (bool, error) {
	if st.meta[tokenOKKey] == TokenFingerprint(a.opts.Token) {
		return false, nil
	}
	if st.meta["office_id"] == "" {
		return false, nil // no office named here to check against (Hello's own check suffices)
	}
	if st.meta["last_sync"] != "" {
		return false, nil // this node has said Hello: the hub refuses it to another office's token
	}
	h, err := a.ProbeOffice(ctx)
	if err != nil {
		return true, err
	}
	if err := a.r.checkHelloOffice(ctx, h.Office); err != nil {
		return true, fmt.Errorf("check the token: %w", err)
	}
	return true, a.r.SetMeta(ctx, map[string]string{"office_id": h.Office, "scopes": fmt.Sprint(h.Scopes), tokenOKKey: TokenFingerprint(a.opts.Token)})
}
