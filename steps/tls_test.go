package steps_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// TestTLSSetupFreshThenIdempotent runs the steps against an https tenant the
// way they run against a real one: Connect with nothing but an HTTP client
// that trusts the tenant's certificate, so the token request, the
// Management API (go-auth0 without WithInsecure), the JWKS and discovery
// fetches and the verification all go over TLS, with https identifiers.
func TestTLSSetupFreshThenIdempotent(t *testing.T) {
	t.Parallel()
	for _, ct := range []openmetadata.ClientType{openmetadata.Public, openmetadata.Confidential} {
		t.Run(string(ct), func(t *testing.T) {
			tt := newTenantWith(t, sandbox.Options{RateLimit: -1, TLS: true, TenantName: "Acme"}, sandbox.WizardScopes)
			if tt.Domain().Scheme != "https" {
				t.Fatalf("tenant domain %v is not https", tt.Domain())
			}
			opts := steps.Options{HTTPClient: tt.HTTPClient()}
			c := choices(ct, steps.Separate)
			s, err := steps.Connect(context.Background(), tt.req, opts)
			if err != nil {
				t.Fatalf("Connect over https: %v", err)
			}
			if d, name := s.Tenant(); d != tt.Domain() || name != "Acme" {
				t.Errorf("Tenant() = %v %q, want %v Acme", d, name, tt.Domain())
			}
			r := runSetup(t, s, c)
			assertFreshTenant(t, tt, s, c, r)
			assertTLSVerification(t, tt, r.verification)
			for _, want := range []string{"GET /.well-known/openid-configuration", "GET /.well-known/jwks.json", "POST /oauth/token", "POST /api/v2/client-grants"} {
				if !slices.ContainsFunc(tt.Requests(), func(q sandbox.Request) bool { return q.Method+" "+q.Path == want && q.Status < 300 }) {
					t.Errorf("no successful %s in the request log: %+v", want, tt.Requests())
				}
			}

			tt.ResetRequests()
			s, err = steps.Connect(context.Background(), tt.req, opts)
			if err != nil {
				t.Fatalf("second Connect: %v", err)
			}
			again := runSetup(t, s, c)
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("second run wrote %v", w)
			}
			if again.uiPlan.Writes() || again.saPlan.Writes() || again.ui.ClientID != r.ui.ClientID || again.sa.Grant.ID != r.sa.Grant.ID {
				t.Errorf("second run planned %+v %+v, found %s / %s", again.uiPlan.Changes, again.saPlan.Changes, again.ui.ClientID, again.sa.Grant.ID)
			}
			assertTLSVerification(t, tt, again.verification)
		})
	}
}

// assertTLSVerification checks that every verification check passed and
// that they name the tenant's https endpoints.
func assertTLSVerification(t *testing.T, tt *tenantUnderTest, v steps.Verification) {
	t.Helper()
	if !v.OK() {
		t.Errorf("verification failed over https: %+v", v.Checks)
	}
	var names []string
	for _, c := range v.Checks {
		names = append(names, c.Name)
	}
	base := tt.URL()
	if !strings.HasPrefix(base, "https://") {
		t.Fatalf("tenant URL %s", base)
	}
	for _, want := range []string{
		steps.CheckDiscovery(base + "/.well-known/openid-configuration"),
		steps.CheckJWKS(base + "/.well-known/jwks.json"),
		steps.CheckSignature(base + "/.well-known/jwks.json"),
		steps.CheckTokenBasic,
		steps.CheckTokenForm,
	} {
		if !slices.Contains(names, want) {
			t.Errorf("verification lacks %q: %q", want, names)
		}
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.HasSuffix(n, "aud "+base+"/api/v2/") }) {
		t.Errorf("no claims check against the https audience: %q", names)
	}
}

// countingTransport counts the requests it is asked to send.
type countingTransport struct {
	base http.RoundTripper
	n    atomic.Int32
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

// A TLS failure makes Connect fail at once (no retry: it will not heal)
// with an error that names the TLS problem and what to do about it.
func TestTLSConnectFailures(t *testing.T) {
	t.Parallel()
	secure := newTenantWith(t, sandbox.Options{RateLimit: -1, TLS: true}, sandbox.WizardScopes)
	plain := newTenantWith(t, sandbox.Options{RateLimit: -1}, sandbox.WizardScopes)
	host := secure.Domain().Host
	systemRoots := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(systemRoots.CloseIdleConnections)

	// A client that trusts the tenant's certificate but reaches it under a
	// name the certificate does not carry.
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(secure.CertPEM())
	misnamed := http.DefaultTransport.(*http.Transport).Clone()
	misnamed.TLSClientConfig = &tls.Config{RootCAs: roots}
	misnamed.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
		return (&net.Dialer{}).DialContext(ctx, network, host)
	}
	t.Cleanup(misnamed.CloseIdleConnections)

	tests := []struct {
		name      string
		req       steps.ConnectRequest
		transport http.RoundTripper
		meaning   string
		hint      string
	}{
		{
			name:      "certificate not trusted",
			req:       secure.req,
			transport: systemRoots,
			meaning:   "the TLS certificate of " + host + " is not trusted (x509: certificate signed by unknown authority)",
			hint:      "SSL_CERT_FILE",
		},
		{
			name:      "certificate for another name",
			req:       steps.ConnectRequest{Domain: tenant.MustParse("acme.us.auth0.com"), ClientID: secure.req.ClientID, ClientSecret: secure.req.ClientSecret},
			transport: misnamed,
			meaning:   "the TLS certificate of acme.us.auth0.com is for another name (x509: certificate is valid for localhost, not acme.us.auth0.com)",
			hint:      "check the tenant domain",
		},
		{
			name:      "plain http server",
			req:       steps.ConnectRequest{Domain: tenant.Domain{Scheme: "https", Host: plain.Domain().Host}, ClientID: plain.req.ClientID, ClientSecret: plain.req.ClientSecret},
			transport: plain.HTTPClient().Transport,
			meaning:   plain.Domain().Host + " answers plain http, not https",
			hint:      "give the domain as " + plain.URL(),
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ct := &countingTransport{base: tc.transport}
			_, err := steps.Connect(context.Background(), tc.req, steps.Options{HTTPClient: &http.Client{Transport: ct}})
			var e *steps.Error
			if !errors.As(err, &e) {
				t.Fatalf("Connect error %v (%T) is not a *steps.Error", err, err)
			}
			if e.Meaning != tc.meaning || !strings.Contains(e.Hint, tc.hint) || e.Status != 0 ||
				!strings.HasPrefix(e.Op, "get a Management API token") {
				t.Errorf("error = %+v\nwant meaning %q and a hint with %q", e, tc.meaning, tc.hint)
			}
			if strings.Contains(err.Error(), "could not reach") || strings.Contains(err.Error(), "idempotent") {
				t.Errorf("the error blames the network or suggests a re-run: %v", err)
			}
			if n := ct.n.Load(); n != 1 {
				t.Errorf("%d attempts, want 1: a TLS failure is not retried", n)
			}
		})
	}
}
