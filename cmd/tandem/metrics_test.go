package main

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// TestServeMetricsListener: --metrics-addr serves /metrics on a listener
// of its own while the main one answers not found, and SIGTERM (the
// context) stops both.
func TestServeMetricsListener(t *testing.T) {
	t.Setenv("TANDEM_DATA", t.TempDir())
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		var out bytes.Buffer
		done <- run(ctx, []string{"serve", "--addr", addr, "--metrics-addr", metricsAddr, "--log-level", "warn"}, strings.NewReader(""), &out, &out)
	}()
	get := func(url string) (int, string, error) {
		resp, err := http.Get(url)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b), nil
	}
	var err error
	for i := 0; i < 600; i++ { // generous: migrations on a loaded machine
		if _, _, err = get("http://" + addr + "/readyz"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not start: %v", err)
	}
	if st, _, err := get("http://" + addr + "/metrics"); err != nil || st != http.StatusNotFound {
		t.Errorf("/metrics on the main listener: %d %v", st, err)
	}
	if st, body, err := get("http://" + metricsAddr + "/metrics"); err != nil || st != http.StatusOK ||
		!strings.Contains(body, `tandem_http_requests_total{route="GET /readyz",status="200"}`) {
		t.Errorf("/metrics on the metrics listener: %d %v\n%s", st, err, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(35 * time.Second):
		t.Fatal("serve did not stop")
	}
	for _, a := range []string{addr, metricsAddr} {
		if _, _, err := get("http://" + a + "/metrics"); err == nil {
			t.Errorf("%s still answers after shutdown", a)
		}
	}
}

// TestMetricsConfig: the metrics settings come from the environment, the
// token from a file too.
func TestMetricsConfig(t *testing.T) {
	f := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(f, []byte("from-a-file\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"TANDEM_METRICS_ADDR": "127.0.0.1:9090", "TANDEM_METRICS_TOKEN_FILE": f, "TANDEM_PUBLIC_ORG": "acme"}
	c := defaultConfig()
	if err := c.fromEnv(func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if c.MetricsAddr != "127.0.0.1:9090" || c.MetricsToken != "from-a-file" || c.PublicOrg != "acme" {
		t.Errorf("metrics addr %q, token %q, public org %q", c.MetricsAddr, c.MetricsToken, c.PublicOrg)
	}
}
