package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// selfSigned writes a certificate for 127.0.0.1 that is its own CA, and its
// key, as PEM files.
func selfSigned(t *testing.T, dir string) (certFile, keyFile string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wanxia test hub"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	certFile, keyFile = filepath.Join(dir, "hub.pem"), filepath.Join(dir, "hub.key")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}), 0o600))
	return certFile, keyFile
}

func TestServeOverTLS(t *testing.T) {
	dir := t.TempDir()
	hubDB := newHubDB(t, dir)
	certFile, keyFile := selfSigned(t, dir)
	var added map[string]any
	okJSON(t, &added, hubArgs(hubDB, "office", "add", "--id", "sy-1", "--name", "舜园", "--communities", "sy")...)

	ctx, stop := context.WithCancel(context.Background())
	var out, logs lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- run(ctx, hubArgs(hubDB, "serve", "--addr", "127.0.0.1:0", "--tls-cert", certFile, "--tls-key", keyFile), strings.NewReader(""), &out, &logs)
	}()
	defer func() {
		stop()
		assert.Equal(t, 0, <-served, logs.String())
	}()
	addr := regexp.MustCompile(`https://127\.0\.0\.1:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return addr.MatchString(out.String()) })
	hubURL := addr.FindString(out.String())

	o := &office{t: t, db: filepath.Join(dir, "office.db")}
	t.Setenv("WANXIA_TOKEN", added["token"].(string))
	initOut := o.ok("init", "--hub", hubURL, "--office", "sy-1")
	assert.NotContains(t, initOut, added["token"], "the token is never echoed")
	o.addCadre("王建国", testkit.IDNumberFor("370102", "19440315", 1), "sy")
	res := o.run("sync", "--retries", "0")
	assert.Equal(t, 1, res.code, "the hub's certificate is not trusted without --ca")
	assert.Contains(t, res.stderr, "--ca")

	var before, after map[string]any
	o.okJSON(&before, "status")
	o.ok("init", "--hub", hubURL, "--office", "sy-1", "--ca", certFile)
	o.okJSON(&after, "status")
	assert.Equal(t, before["node"], after["node"], "init again keeps the replica and its node")
	assert.Equal(t, float64(1), after["outbox"])
	assert.Contains(t, o.ok("sync"), "推送 1 条")
	res = o.run("init", "--hub", hubURL, "--office", "gsq-1", "--token", "x")
	assert.Equal(t, 1, res.code, "a replica belongs to one office")
}
