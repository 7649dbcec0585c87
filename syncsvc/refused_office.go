package syncsvc

import (
	"context"
	"errors"
	"fmt"
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
