package tenant

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in       string
		want     string
		audience string
		wantErr  string
	}{
		{in: "acme.us.auth0.com", want: "https://acme.us.auth0.com", audience: "https://acme.us.auth0.com/api/v2/"},
		{in: " https://Acme.US.auth0.com/ ", want: "https://acme.us.auth0.com", audience: "https://acme.us.auth0.com/api/v2/"},
		{in: "https://acme.us.auth0.com:443", want: "https://acme.us.auth0.com", audience: "https://acme.us.auth0.com/api/v2/"},
		{in: "https://acme.us.auth0.com:8443", want: "https://acme.us.auth0.com:8443", audience: "https://acme.us.auth0.com:8443/api/v2/"},
		{in: "http://localhost:80", want: "http://localhost", audience: "http://localhost/api/v2/"},
		{in: "http://127.0.0.1:8080", want: "http://127.0.0.1:8080", audience: "http://127.0.0.1:8080/api/v2/"},
		{in: "http://localhost:9", want: "http://localhost:9", audience: "http://localhost:9/api/v2/"},
		{in: "http://[::1]:9", want: "http://[::1]:9", audience: "http://[::1]:9/api/v2/"},
		{in: "", wantErr: "empty"},
		{in: "http://acme.us.auth0.com", wantErr: "https only"},
		{in: "http://10.0.0.1", wantErr: "https only"},
		{in: "ftp://acme.auth0.com", wantErr: "use https"},
		{in: "acme.auth0.com/path", wantErr: "without a path"},
		{in: "acme..auth0.com", wantErr: "not a host name"},
		{in: "acme_x.auth0.com", wantErr: "not a host name"},
		{in: "https://acme.auth0.com:abc", wantErr: "not a host name"},
		{in: "https://acme.auth0.com:99999", wantErr: "invalid port: a port is a number from 1 to 65535"},
		{in: "https://acme.auth0.com:0", wantErr: "invalid port"},
		{in: "https://acme.auth0.com:", wantErr: "invalid port"},
		{in: "http://127.0.0.1:65536", wantErr: "invalid port"},
		{in: "http://127.0.0.1:65535", want: "http://127.0.0.1:65535", audience: "http://127.0.0.1:65535/api/v2/"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			d, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse(%q) error = %v, want containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if d.String() != tt.want || d.ManagementAudience() != tt.audience {
				t.Fatalf("Parse(%q) = %s / %s, want %s / %s", tt.in, d, d.ManagementAudience(), tt.want, tt.audience)
			}
		})
	}
}

func TestDerivedURLs(t *testing.T) {
	d := MustParse("acme.eu.auth0.com")
	got := []string{d.Issuer(), d.JWKSURL(), d.DiscoveryURL(), d.TokenURL(), d.Hostname()}
	want := []string{
		"https://acme.eu.auth0.com/",
		"https://acme.eu.auth0.com/.well-known/jwks.json",
		"https://acme.eu.auth0.com/.well-known/openid-configuration",
		"https://acme.eu.auth0.com/oauth/token",
		"acme.eu.auth0.com",
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("got %q, want %q", got[i], want[i])
		}
	}
}

func TestValidPort(t *testing.T) {
	for p, want := range map[string]bool{
		"1": true, "80": true, "8585": true, "65535": true,
		"": false, "0": false, "65536": false, "99999": false, "123456": false, "-1": false, "+80": false, "8a": false, "٣": false,
	} {
		if got := ValidPort(p); got != want {
			t.Errorf("ValidPort(%q) = %v, want %v", p, got, want)
		}
	}
}

func TestIsCustom(t *testing.T) {
	for in, want := range map[string]bool{
		"acme.us.auth0.com":             false,
		"acme.auth0.com":                false,
		"https://acme.eu.auth0.com:443": false,
		"http://127.0.0.1:4000":         false,
		"http://localhost:4000":         false,
		"login.acme.com":                true,
		"auth0.com.evil.example":        true,
	} {
		if got := MustParse(in).IsCustom(); got != want {
			t.Errorf("IsCustom(%q) = %v, want %v", in, got, want)
		}
	}
	if (Domain{}).IsCustom() {
		t.Error("the zero Domain is custom")
	}
}
