package main

import (
	"net/netip"
	"strings"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	c := defaultConfig()
	if err := c.fromEnv(func(k string) string {
		return map[string]string{"TANDEM_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.7 ,fd00::/8"}[k]
	}); err != nil {
		t.Fatal(err)
	}
	got, err := c.trustedProxies()
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.168.1.7/32"), netip.MustParsePrefix("fd00::/8")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %v, want %v", got, want)
		}
	}
	c.TrustedProxies = "10.0.0.0/8,proxy.internal"
	if _, err := c.trustedProxies(); err == nil || !strings.Contains(err.Error(), "--trusted-proxies") {
		t.Errorf("a host name was accepted: %v", err)
	}
}
