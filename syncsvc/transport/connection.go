package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wanxia/wanxia/syncsvc"
)

// The replica meta entries that keep an office's connection to its hub
// (the replica's file has mode 0600).
const (
	MetaHubURL = "hub_url"
	MetaToken  = "token"
	MetaCA     = "ca"
)

var (
	// ErrNoConnection: the office replica keeps no hub address or no token
	// (office init has not run).
	ErrNoConnection = errors.New("this office has no hub set")
	// ErrBadHubURL: a hub address that is not http:// or https:// with a
	// host.
	ErrBadHubURL = errors.New("not a hub address")
)

// CAError is a CA certificate file that cannot be read or holds no PEM
// certificate.
type CAError struct {
	// File is the file as it was named.
	File string
	Err  error
}

// Error names the file and the reason.
func (e *CAError) Error() string { return fmt.Sprintf("CA certificate %s: %v", e.File, e.Err) }

// Unwrap returns the reason.
func (e *CAError) Unwrap() error { return e.Err }

// Connection is how an office reaches its hub: the hub's address, the
// office's token and, for a hub whose certificate no CA of the system
// signed, the file of the CA that did. An office keeps it in its replica
// (Save, LoadConnection), so that every program on the office's computer
// syncs the same way.
type Connection struct {
	// HubURL is the hub's base URL, without a trailing slash.
	HubURL string
	Token  string
	// CAFile is the CA certificate's absolute path, "" for the system's
	// roots.
	CAFile string
}

// MetaStore is where a Connection is kept: an office replica
// (*syncsvc.Replica, or a type that embeds one).
type MetaStore interface {
	Meta(ctx context.Context, key string) (string, error)
	SetMeta(ctx context.Context, kv map[string]string) error
}

// NewConnection checks what a person gave for a connection: hubURL must be
// http:// or https:// with a host (else ErrBadHubURL; a trailing slash is
// dropped), caFile, when given, a readable PEM certificate (else a
// *CAError), kept by its absolute path.
func NewConnection(hubURL, token, caFile string) (Connection, error) {
	if u, err := url.Parse(hubURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Connection{}, fmt.Errorf("%w: %q", ErrBadHubURL, hubURL)
	}
	c := Connection{HubURL: strings.TrimRight(hubURL, "/"), Token: token}
	if caFile != "" {
		abs, err := filepath.Abs(caFile)
		if err != nil {
			return Connection{}, fmt.Errorf("CA certificate %s: %w", caFile, err)
		}
		if _, err := LoadCA(abs); err != nil {
			return Connection{}, &CAError{File: caFile, Err: err}
		}
		c.CAFile = abs
	}
	return c, nil
}

// LoadConnection reads the connection an office replica keeps. With no
// hub address or no token kept it returns what there is and an error
// wrapping ErrNoConnection.
func LoadConnection(ctx context.Context, r MetaStore) (Connection, error) {
	var c Connection
	for _, f := range []struct {
		key string
		to  *string
	}{{MetaHubURL, &c.HubURL}, {MetaToken, &c.Token}, {MetaCA, &c.CAFile}} {
		v, err := r.Meta(ctx, f.key)
		if err != nil {
			return Connection{}, fmt.Errorf("read the hub connection: %w", err)
		}
		*f.to = v
	}
	if c.HubURL == "" || c.Token == "" {
		return c, ErrNoConnection
	}
	return c, nil
}

// Save keeps the connection in an office replica, with the extra meta
// entries given, in one write. The CA entry is written only when it
// differs from the one kept.
func (c Connection) Save(ctx context.Context, r MetaStore, extra map[string]string) error {
	kv := map[string]string{MetaHubURL: c.HubURL, MetaToken: c.Token}
	for k, v := range extra {
		kv[k] = v
	}
	kept, err := r.Meta(ctx, MetaCA)
	if err != nil {
		return fmt.Errorf("save the hub connection: %w", err)
	}
	if kept != c.CAFile {
		kv[MetaCA] = c.CAFile
	}
	if err := r.SetMeta(ctx, kv); err != nil {
		return fmt.Errorf("save the hub connection: %w", err)
	}
	return nil
}

// HTTPClient returns an HTTP client for the hub: it trusts the
// connection's CA (a *CAError when the file cannot be read) or the
// system's, and gives up a whole call after timeout (0: never).
func (c Connection) HTTPClient(timeout time.Duration) (*http.Client, error) {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if c.CAFile != "" {
		pool, err := LoadCA(c.CAFile)
		if err != nil {
			return nil, &CAError{File: c.CAFile, Err: err}
		}
		t.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{Transport: t, Timeout: timeout}, nil
}

// NewAgent returns the office replica's sync agent over this connection,
// its HTTP client given up after httpTimeout (0: never; opts.CallTimeout
// bounds each call anyway).
func (c Connection) NewAgent(r *syncsvc.Replica, httpTimeout time.Duration, opts syncsvc.AgentOptions) (*syncsvc.Agent, error) {
	hc, err := c.HTTPClient(httpTimeout)
	if err != nil {
		return nil, err
	}
	return NewAgent(r, ClientConfig{HubURL: c.HubURL, Token: c.Token, HTTPClient: hc}, opts)
}

// LoadCA reads a PEM CA certificate file into a pool.
func LoadCA(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, errors.New("no PEM certificate in the file")
	}
	return pool, nil
}
