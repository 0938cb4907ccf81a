package omsim

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/sandbox"
)

// closedURL is an http URL on a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String()
	_ = ln.Close()
	return u
}

func postValidate(t *testing.T, s *Server, cfg any) ValidationResponse {
	t.Helper()
	a := call(t, "POST", s.URL()+validatePath, s.AdminToken(), jsonType, cfg)
	if a.status != 200 {
		t.Fatalf("validate: %d %s", a.status, a.body)
	}
	var res ValidationResponse
	if err := json.Unmarshal(a.body, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// TestValidateAuth0 runs OpenMetadata's Auth0 validation against the
// simulated tenant, in both response shapes: the older (1.10–2.0) names a
// component and a message, the newer (2.1) a field and an error.
func TestValidateAuth0(t *testing.T) {
	ten := newTenant(t)
	tenURL := ten.tenant.URL()
	down := closedURL(t)
	admins := []string{"alice"}
	public := func(om string) SecurityConfig { return Auth0Public(tenURL, ten.spa, om, admins, "acme.com") }
	confidential := func(id, secret string) func(string) SecurityConfig {
		return func(om string) SecurityConfig { return Auth0Confidential(tenURL, id, secret, om, admins, "acme.com") }
	}
	// httpIssuer serves a discovery document whose issuer is http on a
	// non-loopback host, which OpenMetadata refuses.
	httpIssuer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"issuer":"http://acme.example.com/","authorization_endpoint":"x","token_endpoint":"x","userinfo_endpoint":"x"}`)
	}))
	t.Cleanup(httpIssuer.Close)
	// keyless serves an empty key set.
	keyless := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"keys":[]}`)
	}))
	t.Cleanup(keyless.Close)

	type want struct{ component, older, field, newer string }
	for _, tc := range []struct {
		name string
		cfg  func(om string) SecurityConfig
		want *want // nil: success
	}{
		{"public client", public, nil},
		{"confidential client", confidential(ten.web, ten.webSecret), nil},
		{"unknown public client id", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.ClientID = "nobody"
			return c
		}, &want{"auth0-public-client-id", "Invalid Auth0 client ID. Client does not exist or is not properly configured.",
			fieldClientID, "Invalid Auth0 client ID. Client does not exist or is not properly configured."}},
		{"confidential client without the client-credentials grant", confidential(ten.noGrantType, ten.noGrantTypeSecret),
			&want{"auth0-credentials", "Invalid client credentials. Please verify the client ID and secret are correct.", fieldOIDCSecret, "Invalid client secret"}},
		{"confidential client without a Management API grant", confidential(ten.noClientGrant, ten.noClientGrantSecret),
			&want{"auth0-credentials", "Client is not authorized for client credentials grant. Please enable this grant type in Auth0 application settings.",
				fieldOIDCDiscovery, fmt.Sprintf("Access denied: Client is not authorized to access %q. You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants", tenURL+"/api/v2/")}},
		{"confidential client with a wrong secret", confidential(ten.web, "wrong"),
			&want{"auth0-credentials", "Client is not authorized for client credentials grant. Please enable this grant type in Auth0 application settings.", fieldOIDCDiscovery, "Access denied: Unauthorized"}},
		{"unreachable public key URL", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.PublicKeyURLs = append(c.Authentication.PublicKeyURLs, down+"/jwks")
			return c
		}, &want{"auth0-public-key-urls", "Invalid public key URL '" + down + "/jwks': ", fieldPublicKeys, "Invalid public key URL '" + down + "/jwks': "}},
		{"public key URL without the tenant's JWKS", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.PublicKeyURLs = []string{om + jwksPath}
			return c
		}, &want{"auth0-public-key-urls", "At least one public key URL must be the Auth0 JWKS endpoint: " + tenURL + "/.well-known/jwks.json",
			fieldPublicKeys, "At least one public key URL must be the Auth0 JWKS endpoint: " + tenURL + "/.well-known/jwks.json"}},
		{"authority with a trailing slash", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.Authority = tenURL + "/"
			return c
		}, &want{"auth0-domain", "Domain validation failed: Failed to access Auth0 discovery endpoint. HTTP response: ",
			fieldAuthority, "Domain validation failed: Failed to access Auth0 discovery endpoint. HTTP response: "}},
		{"public key URL on a dotless host", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.PublicKeyURLs = append(c.Authentication.PublicKeyURLs, "http://localhost:8585"+jwksPath)
			return c
		}, &want{"auth0-public-key-urls", "Public key URL domain doesn't match Auth0 pattern: localhost", fieldPublicKeys, "Public key URL domain doesn't match Auth0 pattern: localhost"}},
		{"public key URL with no keys", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.PublicKeyURLs = append(c.Authentication.PublicKeyURLs, keyless.URL)
			return c
		}, &want{"auth0-public-key-urls", "JWKS endpoint returned empty keys array: " + keyless.URL, fieldPublicKeys, "JWKS endpoint returned empty keys array: " + keyless.URL}},
		{"empty admin list", func(om string) SecurityConfig {
			c := public(om)
			c.Authorizer.AdminPrincipals = []string{}
			return c
		}, &want{"authorizer", "Authorizer validation failed: At least one admin principal must be configured", fieldAdmins, "At least one admin principal is required"}},
		{"unknown authorizer class", func(om string) SecurityConfig {
			c := public(om)
			c.Authorizer.ClassName = "com.acme.Authorizer"
			return c
		}, &want{"authorizer", "Authorizer validation failed: Authorizer class not found: com.acme.Authorizer", fieldClassName, "Class not found"}},
		{"unreachable tenant", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.Authority = down
			c.Authentication.PublicKeyURLs = []string{down + "/.well-known/jwks.json"}
			return c
		}, &want{"auth0-domain", "Domain validation failed: ", fieldAuthority, "Domain validation failed: "}},
		{"tenant without a discovery document", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.Authority = om
			c.Authentication.PublicKeyURLs = []string{om + "/.well-known/jwks.json"}
			return c
		}, &want{"auth0-domain", "Domain validation failed: Failed to access Auth0 discovery endpoint. HTTP response: 404 for URL: ",
			fieldAuthority, "Domain validation failed: Failed to access Auth0 discovery endpoint. HTTP response: 404 for URL: "}},
		{"issuer over http", func(om string) SecurityConfig {
			c := public(om)
			c.Authentication.Authority = httpIssuer.URL
			return c
		}, &want{"auth0-domain", "Domain validation failed: Auth0 issuer must use HTTPS", fieldAuthority, "Domain validation failed: Auth0 issuer must use HTTPS"}},
		{"basic provider", FreshInstall, &want{"authentication-base", "Authentication base validation failed: Authentication provider name is required",
			fieldProviderName, "Provider name is required"}},
		{"basic provider with a name", func(om string) SecurityConfig {
			c := FreshInstall(om)
			c.Authentication.ProviderName, c.Authentication.CallbackURL, c.Authentication.ClientID = "basic", om+"/callback", "x"
			return c
		}, &want{"authentication", "Unknown authentication provider: basic", fieldProvider, "Unknown provider: basic"}},
		{"confidential client without a secret", func(om string) SecurityConfig {
			c := confidential(ten.web, "")(om)
			return c
		}, &want{"oidc", "OIDC validation failed: OIDC client secret is required for confidential clients", fieldOIDCSecret, "Client secret is required"}},
		{"unsupported scope", func(om string) SecurityConfig {
			c := confidential(ten.web, ten.webSecret)(om)
			c.Authentication.OIDC.Scope = "openid groups"
			return c
		}, &want{"", "", "authenticationConfiguration.oidcConfiguration.scope", "Scope 'groups' is not supported by the provider. Supported: "}},
	} {
		for _, version := range []string{"2.0.2", "2.1.0"} {
			t.Run(tc.name+"/"+version, func(t *testing.T) {
				s := NewTest(t, Options{Version: version})
				res := postValidate(t, s, tc.cfg(s.URL()))
				newer := version == "2.1.0"
				w := tc.want
				if w != nil && ((newer && w.newer == "") || (!newer && w.older == "")) {
					w = nil // this validator version does not check it
				}
				switch {
				case newer && w == nil:
					if res.Status != "success" || len(res.Errors) != 0 || res.Message != "" || res.Results != nil {
						t.Fatalf("%+v", res)
					}
				case newer:
					if res.Status != "failed" || len(res.Errors) == 0 || res.Errors[0].Field != w.field || !strings.HasPrefix(res.Errors[0].Error, w.newer) {
						t.Fatalf("%+v, want field %s error %q", res, w.field, w.newer)
					}
				case w == nil:
					if res.Status != "success" || res.Message != "Security configuration validation completed successfully" || len(res.Results) != 3 {
						t.Fatalf("%+v", res)
					}
					for _, r := range res.Results {
						if r.Status != "success" {
							t.Fatalf("%+v", res)
						}
					}
				default:
					if res.Status != "failed" || res.Message != "Security configuration validation found issues" {
						t.Fatalf("%+v", res)
					}
					i := slices.IndexFunc(res.Results, func(r ValidationResult) bool { return r.Status == "failed" })
					if i < 0 || res.Results[i].Component != w.component || !strings.HasPrefix(res.Results[i].Message, w.older) {
						t.Fatalf("%+v, want component %s message %q", res, w.component, w.older)
					}
				}
			})
		}
	}
}

// The older validator requires publicKeyUrls of every Auth0 client; the
// newer lets a confidential client leave them to discovery.
func TestValidateEmptyPublicKeysOfAConfidentialClient(t *testing.T) {
	ten := newTenant(t)
	cfg := func(om string) SecurityConfig {
		c := Auth0Confidential(ten.tenant.URL(), ten.web, ten.webSecret, om, []string{"alice"}, "acme.com")
		c.Authentication.PublicKeyURLs = []string{}
		return c
	}
	older := NewTest(t, Options{Version: "2.0.2"})
	res := postValidate(t, older, cfg(older.URL()))
	if res.Status != "failed" || !slices.ContainsFunc(res.Results, func(r ValidationResult) bool {
		return r.Component == "authentication-base" && r.Message == "Authentication base validation failed: Authentication public key URLs are required"
	}) {
		t.Fatalf("older: %+v", res)
	}
	newer := NewTest(t, Options{Version: "2.1.0"})
	if res := postValidate(t, newer, cfg(newer.URL())); res.Status != "success" {
		t.Fatalf("newer: %+v", res)
	}
}

// The validator probes the tenant the way OpenMetadata does, and sends the
// secret only in the token request's form body.
func TestValidatorRequestsToTheTenant(t *testing.T) {
	ten := newTenant(t)
	s := NewTest(t, Options{Version: "2.1.0"})
	ten.tenant.ResetRequests()
	res := postValidate(t, s, Auth0Confidential(ten.tenant.URL(), ten.web, ten.webSecret, s.URL(), []string{"alice"}, "acme.com"))
	if res.Status != "success" {
		t.Fatalf("%+v", res)
	}
	var got []string
	for _, r := range ten.tenant.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+fmt.Sprint(r.Status))
	}
	want := []string{
		"GET /.well-known/openid-configuration 200", // domain
		"GET /.well-known/openid-configuration 200", // OIDC settings against discovery
		"GET /.well-known/jwks.json 200",            // public key URLs (the server's own is on s)
		"GET /authorize 302",                        // client id
		"POST /oauth/token 200",                     // client credentials for /api/v2/
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tenant saw\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, r := range ten.tenant.Requests() {
		if strings.Contains(r.RawQuery, ten.webSecret) {
			t.Fatalf("secret in a query: %+v", r)
		}
	}
}

func TestValidateNeedsAnAdmin(t *testing.T) {
	s := NewTest(t, Options{Version: "2.0.2"})
	a := call(t, "POST", s.URL()+validatePath, s.UserToken("bob"), jsonType, FreshInstall(s.URL()))
	wantError(t, a, 403, "Principal: CatalogPrincipal{name='bob'} is not admin")
	wantError(t, call(t, "POST", s.URL()+validatePath, "", jsonType, FreshInstall(s.URL())), 401, msgNoToken)
}

// Over TLS the tenant's issuer is https, as a real tenant's; the validator
// reaches it with the client given in Options.HTTPClient.
func TestValidateAgainstATenantOverTLS(t *testing.T) {
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1, TLS: true})
	ten.SeedApps(1, "spa")
	spa := ten.Clients()[0].ClientID
	s := NewTest(t, Options{Version: "2.1.0", HTTPClient: ten.HTTPClient()})
	if res := postValidate(t, s, Auth0Public(ten.URL(), spa, s.URL(), []string{"alice"}, "acme.com")); res.Status != "success" {
		t.Fatalf("%+v", res)
	}
	// Without the tenant's certificate the discovery document is out of reach.
	plain := NewTest(t, Options{Version: "2.1.0"})
	res := postValidate(t, plain, Auth0Public(ten.URL(), spa, plain.URL(), []string{"alice"}, "acme.com"))
	if res.Status != "failed" || res.Errors[0].Field != fieldAuthority || !strings.Contains(res.Errors[0].Error, "certificate") {
		t.Fatalf("%+v", res)
	}
}

// 2.1 refuses a body bean validation rejects; before, validate reports on
// whatever it is given.
func TestValidateIncompleteBody(t *testing.T) {
	body := map[string]any{"authenticationConfiguration": map[string]any{"provider": "auth0"}, "authorizerConfiguration": FreshInstall("http://x").Authorizer}
	newer := NewTest(t, Options{Version: "2.1.0"})
	a := call(t, "POST", newer.URL()+validatePath, newer.AdminToken(), jsonType, body)
	if a.status != 400 || !strings.Contains(a.json(t)["message"].(string), "authenticationConfiguration.clientId must not be null") {
		t.Fatalf("2.1: %d %s", a.status, a.body)
	}
	older := NewTest(t, Options{Version: "2.0.2"})
	res := postValidate(t, older, body)
	if res.Status != "failed" || res.Results[0].Message != "Authentication base validation failed: Authentication provider name is required" {
		t.Fatalf("2.0: %+v", res)
	}
}
