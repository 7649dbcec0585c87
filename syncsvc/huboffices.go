package syncsvc

import "context"

// The hub's calls about offices and credentials, for the transport: each
// is its store's.

// Authenticate maps an office token to its office; any failure is
// ErrUnauthenticated.
func (h *Hub) Authenticate(ctx context.Context, token string) (Office, error) {
	return h.s.Authenticate(ctx, token)
}

// AuthenticateAdmin checks an admin credential.
func (h *Hub) AuthenticateAdmin(ctx context.Context, token string) error {
	return h.s.AuthenticateAdmin(ctx, token)
}

// AddOffice registers an office and returns its token, once.
func (h *Hub) AddOffice(ctx context.Context, id, name string, communities []string) (Office, string, error) {
	return h.s.AddOffice(ctx, id, name, communities)
}

// Offices lists the offices with their last sync.
func (h *Hub) Offices(ctx context.Context) ([]Office, error) { return h.s.Offices(ctx) }

// RotateToken gives an office a new token; the old one stops working.
func (h *Hub) RotateToken(ctx context.Context, id string) (string, error) {
	return h.s.RotateToken(ctx, id)
}

// RevokeOffice stops an office's token from working.
func (h *Hub) RevokeOffice(ctx context.Context, id string) error { return h.s.RevokeOffice(ctx, id) }
