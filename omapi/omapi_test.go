package omapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/sandbox"
)

func newClient(t *testing.T, om *omsim.Server) *Client {
	t.Helper()
	c, err := New(om.URL()+"/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The public endpoints, by version, and login with the base64 password.
func TestPublicEndpointsAndLogin(t *testing.T) {
	for _, v := range []string{"1.6.4", "2.0.2", "2.1.0"} {
		t.Run(v, func(t *testing.T) {
			om := omsim.NewTest(t, omsim.Options{Version: v})
			c := newClient(t, om)
			ctx := context.Background()
			got, err := c.Version(ctx)
			if err != nil || got.Version.String() != v {
				t.Fatalf("Version = %+v, %v", got, err)
			}
			keys, err := c.JWKS(ctx)
			if err != nil || len(keys.Keys) == 0 {
				t.Fatalf("JWKS = %+v, %v", keys, err)
			}
			ac, err := c.AuthConfig(ctx)
			if err != nil || ac.Provider != "basic" {
				t.Fatalf("AuthConfig = %+v, %v", ac, err)
			}
			email, password := om.AdminCredentials()
			tok, err := c.Login(ctx, email, password)
			if err != nil || tok == "" {
				t.Fatalf("Login = %q, %v", tok, err)
			}
			if _, err := c.Login(ctx, email, "wrong"); StatusOf(err) != http.StatusUnauthorized {
				t.Errorf("Login with a wrong password: %v", err)
			}
			last := om.Requests()[len(om.Requests())-1]
			if last.Path != PathLogin || !strings.Contains(last.Body, omsim.Mask) {
				t.Errorf("login request logged as %+v", last)
			}
		})
	}
}

// The admin endpoints: security config from 1.10, 404 before; settings
// source from 2.1 (404 is ErrNoSettingsSource); both validation shapes.
func TestAdminEndpoints(t *testing.T) {
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	for _, tc := range []struct {
		version         string
		security, newer bool
	}{{"1.6.4", false, false}, {"2.0.2", true, false}, {"2.1.0", true, true}} {
		t.Run(tc.version, func(t *testing.T) {
			om := omsim.NewTest(t, omsim.Options{Version: tc.version, HTTPClient: ten.HTTPClient()})
			c := newClient(t, om).WithToken(om.AdminToken())
			ctx := context.Background()
			sc, err := c.SecurityConfig(ctx)
			if !tc.security {
				if StatusOf(err) != http.StatusNotFound {
					t.Fatalf("SecurityConfig on %s: %v", tc.version, err)
				}
				return
			}
			if err != nil || sc.Authentication.Provider != "basic" || len(sc.Raw) == 0 {
				t.Fatalf("SecurityConfig = %+v, %v", sc, err)
			}
			_, err = c.SettingsSource(ctx)
			if tc.newer != (err == nil) || !tc.newer && !errors.Is(err, ErrNoSettingsSource) {
				t.Errorf("SettingsSource on %s: %v", tc.version, err)
			}

			want := render.Settings{Provider: "auth0", ClientType: "public", ClientID: "nope", Authority: ten.URL(),
				CallbackURL: om.URL() + "/callback", PublicKeyURLs: []string{ten.Domain().JWKSURL(), om.URL() + PathJWKS},
				AdminPrincipals: []string{"alice"}, PrincipalDomain: "example.com"}
			body, err := WithSettings(sc.Raw, want)
			if err != nil {
				t.Fatal(err)
			}
			v, err := c.Validate(ctx, body)
			if err != nil || v.Passed() || len(v.Problems()) == 0 {
				t.Fatalf("Validate of an unknown client id = %+v, %v", v, err)
			}
			if tc.newer != (len(v.Errors) > 0) || tc.newer == (len(v.Results) > 0) {
				t.Errorf("validation shape on %s: %+v", tc.version, v)
			}
			if !strings.Contains(strings.Join(v.Problems(), "\n"), "Invalid Auth0 client ID") {
				t.Errorf("problems %q", v.Problems())
			}
		})
	}
}

// No token without a credential; no redirect followed, and the error names its target.
func TestRefusals(t *testing.T) {
	om := omsim.NewTest(t, omsim.Options{})
	c := newClient(t, om)
	ctx := context.Background()
	if _, err := c.SecurityConfig(ctx); StatusOf(err) != http.StatusUnauthorized {
		t.Errorf("without a token: %v", err)
	}
	catcher := sandbox.NewTestCatcher(t)
	om.InjectFault(omsim.Fault{Path: PathSecurityConfig, RedirectTo: catcher.URL() + "/steal"})
	_, err := c.WithToken(om.AdminToken()).SecurityConfig(ctx)
	var re *RedirectError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), catcher.URL()+"/steal") {
		t.Fatalf("redirect: %v", err)
	}
	if len(catcher.Requests()) != 0 || catcher.Saw(om.AdminToken()) {
		t.Errorf("the redirect was followed: %+v", catcher.Requests())
	}
	om.InjectFault(omsim.Fault{Path: PathVersion, Status: http.StatusServiceUnavailable})
	if _, err := c.Version(ctx); StatusOf(err) != http.StatusServiceUnavailable {
		t.Errorf("503: %v", err)
	}
	dead, _ := New("http://127.0.0.1:1", Options{})
	if _, err := dead.Version(ctx); err == nil || StatusOf(err) != 0 || !strings.Contains(err.Error(), "no answer") {
		t.Errorf("unreachable: %v", err)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                  "plain",
		"\x1b[31mred\x1b[0m":     "red",
		"a\u202eb\x00c":          "abc",
		"two\nlines":             "two lines",
		strings.Repeat("x", 400): strings.Repeat("x", 300) + "…",
		"bad \xff utf8":          "bad \ufffd utf8",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

// WithSettings sets the fields om-auth0 owns and keeps the others.
func TestWithSettings(t *testing.T) {
	cur := []byte(`{"authenticationConfiguration":{"provider":"basic","providerName":"","enableSelfSignup":false,"extra":{"a":1},` +
		`"oidcConfiguration":{"secret":"*********","scope":"openid"}},"authorizerConfiguration":{"adminPrincipals":["admin"],"allowedDomains":["x"]}}`)
	want := render.Settings{Provider: "auth0", ClientType: "confidential", ClientID: "cid", Authority: "https://t.auth0.com",
		CallbackURL: "https://om/callback", PublicKeyURLs: []string{"k1", "k2"}, AdminPrincipals: []string{"alice"}, PrincipalDomain: "a.com",
		OIDC: &render.OIDCSettings{ID: "cid", Type: "auth0", Secret: "s3cret", DiscoveryURI: "d", CallbackURL: "c", ServerURL: "s", ClientAuthenticationMethod: "client_secret_post"}}
	out, err := WithSettings(cur, want)
	if err != nil {
		t.Fatal(err)
	}
	var got SecurityConfig
	var raw map[string]map[string]any
	if json.Unmarshal(out, &got) != nil || json.Unmarshal(out, &raw) != nil {
		t.Fatalf("not JSON: %s", out)
	}
	a := got.Authentication
	if a.Provider != "auth0" || a.ProviderName != "Auth0" || a.ClientID != "cid" || a.ResponseType != "code" ||
		!slices.Equal(a.PublicKeyURLs, []string{"k1", "k2"}) || a.OIDC == nil || a.OIDC.Secret != "s3cret" {
		t.Errorf("authentication = %+v", a)
	}
	if raw["authenticationConfiguration"]["enableSelfSignup"] != false || raw["authenticationConfiguration"]["extra"] == nil ||
		raw["authenticationConfiguration"]["oidcConfiguration"].(map[string]any)["scope"] != "openid" {
		t.Errorf("fields om-auth0 does not own changed: %s", out)
	}
	if !slices.Equal(got.Authorizer.AdminPrincipals, []string{"alice"}) || raw["authorizerConfiguration"]["allowedDomains"] == nil ||
		got.Authorizer.ClassName == "" {
		t.Errorf("authorizer = %s", out)
	}
}

// Hostile answers: an oversized body is refused after 16 MiB, a body that
// is not JSON or a null is an error naming the request, and an error
// message is cleaned before it is shown.
func TestHostileAnswers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   func(w io.Writer)
		want   string
	}{
		{"oversized", 200, func(w io.Writer) {
			_, _ = w.Write([]byte(`{"version":"`))
			_, _ = io.CopyN(w, zeros{}, MaxBody+10)
		}, "larger than 16 MiB"},
		{"not JSON", 200, func(w io.Writer) { _, _ = w.Write([]byte("<html>proxy</html>")) }, "not the JSON expected"},
		{"null", 200, func(w io.Writer) { _, _ = w.Write([]byte("null")) }, "version"},
		{"escape sequences", 500, func(w io.Writer) { _, _ = w.Write([]byte(`{"code":500,"message":"\u001b[2Jgone\u0007"}`)) }, "answered 500: gone"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				tc.body(w)
			}))
			defer srv.Close()
			c, err := New(srv.URL, Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Version(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.ContainsAny(err.Error(), "\x1b\x07") {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// zeros is an endless reader of '0'.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// PutSecurityConfig stores a body and refuses, before sending it, one
// whose client secret is the mask; 2.1 in ENV mode answers 409.
func TestPutSecurityConfig(t *testing.T) {
	ctx := context.Background()
	om := omsim.NewTest(t, omsim.Options{Version: "2.0.2"})
	c := newClient(t, om).WithToken(om.AdminToken())
	stored := omsim.Auth0Confidential("https://t.auth0.com", "cid", "s3cret", om.URL(), []string{"alice"}, "a.com")
	body, err := json.Marshal(stored)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.PutSecurityConfig(ctx, body); err != nil {
		t.Fatal(err)
	}
	if got := om.Settings().Authentication; got.ClientID != "cid" || got.OIDC == nil || got.OIDC.Secret != "s3cret" {
		t.Fatalf("stored %+v", got)
	}
	om.ResetRequests()
	stored.Authentication.OIDC.Secret = Mask
	masked, _ := json.Marshal(stored)
	for _, b := range [][]byte{masked, []byte(`[1]`)} {
		if err := c.PutSecurityConfig(ctx, b); err == nil {
			t.Errorf("PUT of %s was accepted", b)
		}
	}
	if err := c.PutSecurityConfig(ctx, masked); !errors.Is(err, ErrMaskedSecret) {
		t.Errorf("masked secret: %v", err)
	}
	if n := len(om.Requests()); n != 0 || om.Settings().Authentication.OIDC.Secret != "s3cret" {
		t.Errorf("%d request(s) sent, stored secret %q", n, om.Settings().Authentication.OIDC.Secret)
	}

	env := omsim.NewTest(t, omsim.Options{Version: "2.1.0", SourceMode: omsim.ModeEnv})
	err = newClient(t, env).WithToken(env.AdminToken()).PutSecurityConfig(ctx, body)
	if StatusOf(err) != http.StatusConflict || !strings.Contains(err.Error(), "SECURITY_CONFIG_SOURCE=ENV") {
		t.Errorf("ENV mode: %v", err)
	}
}

func TestDotlessHost(t *testing.T) {
	for u, want := range map[string]bool{
		"http://localhost:8585/api/v1/system/config/jwks":    true,
		"http://openmetadata:8585/api/v1/system/config/jwks": true,
		"http://127.0.0.1:8585/api/v1/system/config/jwks":    false,
		"https://om.acme.com/api/v1/system/config/jwks":      false,
		"https://acme.us.auth0.com/.well-known/jwks.json":    false,
		"%zz": false,
	} {
		if got := DotlessHost(u); got != want {
			t.Errorf("DotlessHost(%q) = %v, want %v", u, got, want)
		}
	}
}
