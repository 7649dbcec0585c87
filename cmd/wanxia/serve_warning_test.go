package main

import (
	"context"
	"net"
	"regexp"
	"strings"
	"testing"

	"github.com/wanxia/wanxia/syncsvc/testkit"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serveBriefly runs hub serve with args until it prints where it serves,
// then stops it, and returns what it wrote on stdout and stderr.
func serveBriefly(t *testing.T, args ...string) (stdout, stderr string) {
	t.Helper()
	db := newHubDB(t, t.TempDir())
	ctx, stop := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	served := make(chan int, 1)
	go func() {
		served <- runAt(ctx, testkit.FixedNow, hubArgs(db, append([]string{"serve"}, args...)...), strings.NewReader(""), &out, &errOut)
	}()
	listening := regexp.MustCompile(`https?://\S+:\d+`)
	waitFor(t, "hub serve to listen", func() bool { return listening.MatchString(out.String()) })
	stop()
	require.Equal(t, 0, <-served, errOut.String())
	return out.String(), errOut.String()
}

// warningLines returns the lines of stderr that are the plain-text warning
// (the log lines are key=value records, never starting with 警告 or warning).
func warningLines(stderr string) []string {
	var lines []string
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "警告：") || strings.HasPrefix(l, "warning: ") {
			lines = append(lines, l)
		}
	}
	return lines
}

func TestServeWarnsWithoutTLSOnAnOpenAddress(t *testing.T) {
	t.Run("zh", func(t *testing.T) {
		_, stderr := serveBriefly(t, "--addr", "0.0.0.0:0")
		lines := warningLines(stderr)
		require.Len(t, lines, 1, stderr)
		assert.Contains(t, lines[0], "不加密")
		assert.Contains(t, lines[0], "--tls-cert")
		assert.Regexp(t, `0\.0\.0\.0:\d+|\[::\]:\d+`, lines[0], "names the address it serves on")
	})
	t.Run("en", func(t *testing.T) {
		_, stderr := serveBriefly(t, "--addr", "0.0.0.0:0", "--lang", "en")
		lines := warningLines(stderr)
		require.Len(t, lines, 1, stderr)
		assert.Contains(t, lines[0], "without TLS")
		assert.Contains(t, lines[0], "--tls-cert and --tls-key")
		assert.NotContains(t, lines[0], "不加密")
	})
}

func TestServeDoesNotWarnOnLoopbackOrWithTLS(t *testing.T) {
	t.Run("loopback", func(t *testing.T) {
		_, stderr := serveBriefly(t, "--addr", "127.0.0.1:0")
		assert.Empty(t, warningLines(stderr), stderr)
	})
	t.Run("tls on an open address", func(t *testing.T) {
		cert, key := selfSigned(t, t.TempDir())
		_, stderr := serveBriefly(t, "--addr", "0.0.0.0:0", "--tls-cert", cert, "--tls-key", key)
		assert.Empty(t, warningLines(stderr), stderr)
	})
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8080":   true,
		"127.0.0.53:8080":  true,
		"[::1]:8080":       true,
		"0.0.0.0:8080":     false,
		"[::]:8080":        false,
		"192.0.2.10:8080":  false,
		"[2001:db8::]:443": false,
	} {
		tcp, err := net.ResolveTCPAddr("tcp", addr)
		require.NoError(t, err)
		assert.Equal(t, want, isLoopback(tcp), addr)
	}
	assert.False(t, isLoopback(&net.UnixAddr{Name: "/tmp/hub.sock", Net: "unix"}), "not a TCP address")
}
