package web

import "testing"

// TestSafeNext checks redirect targets taken from the request against what
// a browser does with them (the WHATWG URL parser): only a path on this
// site passes, normalized; anything a browser could read as another host
// becomes "/".
func TestSafeNext(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		// Paths on this site.
		{"/", "/"},
		{"/account", "/account"},
		{"/ok?x=1#f", "/ok?x=1#f"},
		{"/people?q=a+b&department=R%26D", "/people?q=a+b&department=R%26D"},
		{"/engagements/3/sessions/4", "/engagements/3/sessions/4"},
		{"/%09/evil.test", "/%09/evil.test"}, // a tab kept encoded is part of the path
		{"/a b", "/a%20b"},
		{"/@evil.test", "/@evil.test"},
		{"/people/1\t", "/people/1"},
		{"  /account  ", "/account"},
		{"\x00/account", "/account"},
		{"/?next=//evil.test", "/?next=//evil.test"},

		// Another host, once a browser has normalized the text.
		{"", "/"},
		{"//evil.test", "/"},
		{"///evil.test", "/"},
		{"/\\evil.test", "/"},
		{"\\\\evil.test", "/"},
		{"\\/evil.test", "/"},
		{"/\t/evil.test", "/"}, // the decoded /signin?next=%2F%09%2Fevil.test
		{"/\n/evil.test", "/"},
		{"/\r\n/evil.test", "/"},
		{"\t//evil.test", "/"},
		{"/\t\\evil.test", "/"},
		{" //evil.test", "/"},
		{"\x01//evil.test", "/"},
		{"\x1f/\\evil.test", "/"},
		{"/%2F/evil.test", "/"}, // harmless to a browser, refused all the same
		{"https://evil.test", "/"},
		{"https:evil.test", "/"},
		{"http:/evil.test", "/"},
		{"HTTPS://evil.test/", "/"},
		{"javascript:alert(1)", "/"},
		{"java\tscript:alert(1)", "/"},
		{"data:text/html,<script>alert(1)</script>", "/"},
		{"evil.test", "/"},
		{"account", "/"},
		{"./account", "/"},
		{"/a\x01b", "/"}, // other control characters: refused
		{"/a\x7fb", "/"}, // DEL
		{"/a%zzb", "/"},  // not valid percent-encoding
	} {
		got := safeNext(c.in)
		if got != c.want {
			t.Errorf("safeNext(%q) = %q, want %q", c.in, got, c.want)
		}
		if again := safeNext(got); again != got {
			t.Errorf("safeNext(%q) = %q is not stable: %q", got, got, again)
		}
	}
}
