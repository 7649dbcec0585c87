package report

import (
	"context"

	"github.com/wanxia/wanxia/syncsvc/store"
)

// NewScopeCache and BuildAllWith let the package's external tests build
// reports of several scopes through one cache, as WriteWorkbooks does.
var NewScopeCache = func(ctx context.Context, r *store.Replica) any { return newCache(ctx, r) }

// BuildAllWith is buildAll through a cache NewScopeCache made.
func BuildAllWith(ctx context.Context, r *store.Replica, o Options, c any) ([]*Report, error) {
	return buildAll(ctx, r, o, c.(*cache))
}

// Release is the cache's release of what each kind reads, for every kind.
func Release(c any) {
	for _, k := range AllKinds() {
		c.(*cache).release(k)
	}
}

// Pairing is the pairing a Cache holds now (nil when it holds none), to
// tell whether a build kept it or worked it out again.
func Pairing(c *Cache) any {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.c.pairsIx == nil {
		return nil
	}
	return c.c.pairsIx
}
