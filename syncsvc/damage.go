package syncsvc

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
)

// reportDamage is the outermost interceptor of the hub's calls: a call
// that failed because the hub's database is damaged (SQLite finds it
// malformed) is answered as damaged (see damaged).
func (h *Hub) reportDamage(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		if err != nil && IsDamaged(err) {
			return nil, h.damaged(req.Spec().Procedure, err)
		}
		return res, err
	}
}

// callError is wireError for a call that failed before its handler ran
// (the token check): a damaged database is answered as damaged.
func (h *Hub) callError(procedure string, err error) error {
	if IsDamaged(err) {
		return h.damaged(procedure, err)
	}
	return wireError(err)
}

// damaged logs a call that failed on a damaged database, with SQLite's
// words and no data from the records, and returns the answer: Internal,
// with a message that says the hub's database is damaged, for the office
// to show. The office's work is kept: what it could not push stays in its
// outbox.
func (h *Hub) damaged(procedure string, err error) error {
	h.log.Error("the hub's database is damaged: stop hub serve and restore it with wanxia hub restore",
		"procedure", procedure, "err", damageText(err))
	return connect.NewError(connect.CodeInternal,
		fmt.Errorf("%w: the hub's database is damaged; its administrator must restore it from a backup (wanxia hub restore); the office's work is kept", ErrDamaged))
}
