package syncsvc

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
)

// reportDamage is the outermost interceptor of the hub's calls: a call
// that failed because the hub's database is damaged (SQLite finds it
// malformed) is logged, with SQLite's words and no data from the records,
// and answered as Internal with a message that says so, for the office to
// show. The office's work is kept: what it could not push stays in its
// outbox.
func (h *Hub) reportDamage(next connect.UnaryFunc) connect.UnaryFunc {
	return func(ctx context.Context, req connect.AnyRequest) (connect.AnyResponse, error) {
		res, err := next(ctx, req)
		if err == nil || !IsDamaged(err) {
			return res, err
		}
		h.log.Error("the hub's database is damaged: stop hub serve and restore it with wanxia hub restore",
			"procedure", req.Spec().Procedure, "err", damageText(err))
		return nil, connect.NewError(connect.CodeInternal,
			fmt.Errorf("%w: the hub's database is damaged; its administrator must restore it from a backup (wanxia hub restore); the office's work is kept", ErrDamaged))
	}
}
