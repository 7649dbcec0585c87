package syncsvc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// Errors of the hub's office registry.
var (
	// ErrUnauthenticated: a token is malformed, unknown, revoked or wrong.
	ErrUnauthenticated = errors.New("token not accepted")
	// ErrOfficeExists: an office with that id is registered already.
	ErrOfficeExists = errors.New("office already registered")
	// ErrNotHub: the call needs the hub's replica.
	ErrNotHub = errors.New("this is done on the hub's replica only")
)

// Office is a registered office: one computer (or several in turn) with
// one replica, reading and writing the communities it covers.
type Office struct {
	ID          string
	Name        string
	Communities []string
	CreatedAt   time.Time
	RevokedAt   time.Time // zero while the office may sync
	// LastSyncAt, LastNode, Acknowledged and Pulled describe the office's
	// most recent sync: when, from which node, how far the hub has applied
	// that node's log, and how far the node has pulled.
	LastSyncAt   time.Time
	LastNode     NodeID
	Acknowledged int64
	Pulled       int64
}

// Scopes returns what the office may read: its communities and district data.
func (o Office) Scopes() []string {
	return append(append([]string(nil), o.Communities...), districtScope)
}

// Revoked reports whether the office's token was revoked.
func (o Office) Revoked() bool { return !o.RevokedAt.IsZero() }

var officeIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,31}$`)

// tokenSecretBytes is the entropy of a token: 256 bits.
const tokenSecretBytes = 32

// adminTokenID prefixes admin credentials; no office may take it as its id.
const adminTokenID = "admin"

// newToken returns a token "<id>.<secret>" and the hash kept of it.
func newToken(id string) (token string, hash []byte) {
	secret := make([]byte, tokenSecretBytes)
	rand.Read(secret) // never fails; see crypto/rand
	token = id + "." + base64.RawURLEncoding.EncodeToString(secret)
	return token, hashToken(token)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func (r *Replica) requireHub() error {
	if r.role != RoleHub {
		return ErrNotHub
	}
	return nil
}

// AddOffice registers an office and returns its token, which is shown once
// and stored only as a hash. Options.OfficeAdded, when set, runs in the
// same transaction (a typed layer registers the office's communities).
func (r *Replica) AddOffice(ctx context.Context, id, name string, communities []string) (Office, string, error) {
	if err := r.requireHub(); err != nil {
		return Office{}, "", err
	}
	o := Office{ID: id, Name: strings.TrimSpace(name), Communities: dedupe(communities), CreatedAt: r.now().UTC().Truncate(time.Second)}
	if err := o.validate(); err != nil {
		return Office{}, "", fmt.Errorf("add office %s: %w", id, err)
	}
	token, hash := newToken(id)
	err := r.write(ctx, func(w *writeTx) error {
		_, err := w.exec("INSERT INTO offices(id, name, communities, token_hash, created_at) VALUES(?, ?, ?, ?, ?)",
			o.ID, o.Name, strings.Join(o.Communities, ","), hash, o.CreatedAt.Format(time.RFC3339))
		if err != nil && strings.Contains(err.Error(), "UNIQUE") {
			return ErrOfficeExists
		}
		if err != nil {
			return err
		}
		if r.officeAdded != nil {
			return r.officeAdded(&Tx{w: w}, o)
		}
		return nil
	})
	if err != nil {
		return Office{}, "", fmt.Errorf("add office %s: %w", id, err)
	}
	r.log.Info("office added", "office", id, "communities", o.Communities)
	return o, token, nil
}

func (o Office) validate() error {
	if !officeIDRE.MatchString(o.ID) || o.ID == adminTokenID {
		return fmt.Errorf("%w: office id %q: want 1–32 lower-case letters, digits or -", ErrInvalidChange, o.ID)
	}
	if o.Name == "" {
		return fmt.Errorf("%w: give the office a name", ErrInvalidChange)
	}
	if len(o.Communities) == 0 {
		return fmt.Errorf("%w: give the office at least one community", ErrInvalidChange)
	}
	for _, c := range o.Communities {
		if strings.TrimSpace(c) == "" || strings.ContainsAny(c, ","+scopeSep) {
			return fmt.Errorf("%w: community %q", ErrInvalidChange, c)
		}
	}
	return nil
}

// Offices lists the registered offices by id, each with its latest sync.
func (r *Replica) Offices(ctx context.Context) ([]Office, error) {
	if err := r.requireHub(); err != nil {
		return nil, err
	}
	out, err := r.listOffices(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("list offices: %w", err)
	}
	return out, nil
}

// officesQuery reads offices with their latest sync; %s is a WHERE clause
// or nothing.
const officesQuery = `SELECT o.id, o.name, o.communities, o.created_at, COALESCE(o.revoked_at, ''),
	COALESCE(n.node, ''), COALESCE(n.last_sync_at, ''), COALESCE(n.pulled, 0), COALESCE(p.seq, 0)
	FROM offices o
	LEFT JOIN office_nodes n ON n.node = (SELECT node FROM office_nodes WHERE office_id = o.id ORDER BY last_sync_at DESC LIMIT 1)
	LEFT JOIN positions p ON p.key = 'push/' || n.node
	%s ORDER BY o.id`

// listOffices reads every office, or the one with the given id.
func (r *Replica) listOffices(ctx context.Context, id string) ([]Office, error) {
	q, args := fmt.Sprintf(officesQuery, ""), []any(nil)
	if id != "" {
		q, args = fmt.Sprintf(officesQuery, "WHERE o.id = ?"), []any{id}
	}
	rows, err := r.rdb.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Office{}
	for rows.Next() {
		var o Office
		var comms, created, revoked, node, last string
		if err := rows.Scan(&o.ID, &o.Name, &comms, &created, &revoked, &node, &last, &o.Pulled, &o.Acknowledged); err != nil {
			return nil, err
		}
		o.Communities = strings.Split(comms, ",")
		o.CreatedAt, _ = time.Parse(time.RFC3339, created)
		o.RevokedAt, _ = time.Parse(time.RFC3339, revoked)
		o.LastSyncAt, _ = time.Parse(time.RFC3339, last)
		o.LastNode, _ = uuid.Parse(node)
		out = append(out, o)
	}
	return out, rows.Err()
}

// Office returns one registered office, with its latest sync.
func (r *Replica) Office(ctx context.Context, id string) (Office, error) {
	if err := r.requireHub(); err != nil {
		return Office{}, err
	}
	found, err := r.listOffices(ctx, id)
	if err != nil {
		return Office{}, fmt.Errorf("office %s: %w", id, err)
	}
	if len(found) == 0 {
		return Office{}, fmt.Errorf("office %s: %w", id, ErrNotFound)
	}
	return found[0], nil
}

// RotateToken gives an office a new token; the old one stops working at once.
func (r *Replica) RotateToken(ctx context.Context, id string) (string, error) {
	token, hash := newToken(id)
	if err := r.updateOffice(ctx, id, "UPDATE offices SET token_hash=?, revoked_at=NULL WHERE id=?", hash, id); err != nil {
		return "", fmt.Errorf("rotate token of %s: %w", id, err)
	}
	r.log.Info("office token rotated", "office", id)
	return token, nil
}

// RevokeOffice stops an office's token from working. RotateToken gives it
// a working one again.
func (r *Replica) RevokeOffice(ctx context.Context, id string) error {
	if err := r.updateOffice(ctx, id, "UPDATE offices SET revoked_at=? WHERE id=?", r.now().UTC().Format(time.RFC3339), id); err != nil {
		return fmt.Errorf("revoke office %s: %w", id, err)
	}
	r.log.Info("office revoked", "office", id)
	return nil
}

func (r *Replica) updateOffice(ctx context.Context, id, q string, args ...any) error {
	if err := r.requireHub(); err != nil {
		return err
	}
	return r.write(ctx, func(w *writeTx) error {
		res, err := w.exec(q, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// Authenticate maps an office token to its office: its registration
// (id, name, communities, when it was added), without its latest sync,
// which Office and Offices read. The comparison of hashes is in constant
// time; any failure is ErrUnauthenticated, whatever its cause.
//
// Its cost does not grow with the number of offices: the offices it has
// authenticated are kept in memory (officeCache) and each call reads one
// row, the registry's mark (office_registry), which every write to the
// offices changes, whichever process makes it (calls that come while
// another reads it share the next read: sharedRead); an office not kept is
// read by its id.
func (r *Replica) Authenticate(ctx context.Context, token string) (Office, error) {
	if err := r.requireHub(); err != nil {
		return Office{}, err
	}
	id, _, ok := strings.Cut(token, ".")
	if !ok || !officeIDRE.MatchString(id) || id == adminTokenID {
		return Office{}, ErrUnauthenticated
	}
	// Read by one call for the calls that come while another reads it;
	// not cancelled with the call that reads it for the others.
	version, err := r.marksRead.do(func() (string, error) { return r.registryVersion(context.WithoutCancel(ctx), r.rdb) })
	if err != nil {
		return Office{}, fmt.Errorf("authenticate: %w", err)
	}
	reg, kept := r.offices.get(version, id)
	if !kept {
		if reg, err = r.loadRegistration(ctx, id); errors.Is(err, ErrNotFound) {
			return Office{}, ErrUnauthenticated
		} else if err != nil {
			return Office{}, fmt.Errorf("authenticate: %w", err)
		}
	}
	if subtle.ConstantTimeCompare(reg.hash, hashToken(token)) != 1 || reg.revoked {
		return Office{}, ErrUnauthenticated
	}
	o := reg.office
	o.Communities = slices.Clone(o.Communities)
	return o, nil
}

// registration is an office as the registry holds it, with its token's
// hash.
type registration struct {
	office  Office
	hash    []byte
	revoked bool
}

// officeCache keeps the registrations Authenticate has read, valid while
// the registry's mark is the one they were read under.
type officeCache struct {
	mu      sync.Mutex
	version string
	byID    map[string]registration
}

// get returns the registration of an office kept under the registry's
// mark version; a new mark forgets every one kept before.
func (c *officeCache) get(version, id string) (registration, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		c.version, c.byID = version, map[string]registration{}
	}
	reg, ok := c.byID[id]
	return reg, ok
}

// put keeps a registration read under the registry's mark version, unless
// the mark has moved on since.
func (c *officeCache) put(version string, reg registration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version == version {
		c.byID[reg.office.ID] = reg
	}
}

// registryQuery reads the registry's mark (migration 9).
const registryQuery = "SELECT version FROM office_registry WHERE id = 1"

// registryVersion reads the registry's mark through q.
func (r *Replica) registryVersion(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}) (string, error) {
	var v string
	if err := q.QueryRowContext(ctx, registryQuery).Scan(&v); err != nil {
		return "", fmt.Errorf("read the office registry's mark: %w", err)
	}
	return v, nil
}

// loadRegistration reads one office's registration and the registry's
// mark in one read transaction, keeps it, and returns it; ErrNotFound when
// no office has the id.
func (r *Replica) loadRegistration(ctx context.Context, id string) (registration, error) {
	tx, err := r.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return registration{}, err
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	version, err := r.registryVersion(ctx, tx)
	if err != nil {
		return registration{}, err
	}
	var reg registration
	var comms, created string
	var revoked sql.NullString
	err = tx.QueryRowContext(ctx, "SELECT name, communities, created_at, revoked_at, token_hash FROM offices WHERE id = ?", id).
		Scan(&reg.office.Name, &comms, &created, &revoked, &reg.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return registration{}, ErrNotFound
	}
	if err != nil {
		return registration{}, err
	}
	reg.office.ID = id
	reg.office.Communities = strings.Split(comms, ",")
	reg.office.CreatedAt, _ = time.Parse(time.RFC3339, created)
	reg.revoked = revoked.Valid
	if revoked.Valid {
		reg.office.RevokedAt, _ = time.Parse(time.RFC3339, revoked.String)
	}
	r.offices.put(version, reg)
	return reg, nil
}

// NewAdminToken creates an admin credential for the office operations over
// RPC and returns it, once.
func (r *Replica) NewAdminToken(ctx context.Context) (string, error) {
	if err := r.requireHub(); err != nil {
		return "", err
	}
	token, hash := newToken(adminTokenID)
	err := r.write(ctx, func(w *writeTx) error {
		_, err := w.exec("INSERT INTO admin_tokens(token_hash, created_at) VALUES(?, ?)", hash, r.now().UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return "", fmt.Errorf("create admin token: %w", err)
	}
	return token, nil
}

// AuthenticateAdmin checks an admin credential.
func (r *Replica) AuthenticateAdmin(ctx context.Context, token string) error {
	if err := r.requireHub(); err != nil {
		return err
	}
	if !strings.HasPrefix(token, adminTokenID+".") {
		return ErrUnauthenticated
	}
	var stored []byte
	err := r.rdb.QueryRowContext(ctx, "SELECT token_hash FROM admin_tokens WHERE token_hash=?", hashToken(token)).Scan(&stored)
	if err != nil || subtle.ConstantTimeCompare(stored, hashToken(token)) != 1 {
		return ErrUnauthenticated
	}
	return nil
}
