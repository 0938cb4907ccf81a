package sandbox

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"
	"github.com/golang-jwt/jwt/v5"
	"golang.org/x/oauth2"
)

// tlsTenant is a TLS tenant without rate limit.
func tlsTenant(t *testing.T) *Server {
	t.Helper()
	return NewTest(t, Options{RateLimit: -1, TLS: true})
}

// A TLS tenant names itself with https everywhere a client reads its
// identity: the URL, the domain, the discovery document and the tokens.
func TestTLSIdentifiersAreHTTPS(t *testing.T) {
	s := tlsTenant(t)
	if !regexp.MustCompile(`^https://127\.0\.0\.1:[0-9]+$`).MatchString(s.URL()) || s.Domain().Scheme != "https" || s.Domain().String() != s.URL() {
		t.Fatalf("URL %q, domain %+v", s.URL(), s.Domain())
	}
	c := s.HTTPClient()
	resp, err := c.Get(s.URL() + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	if resp.ProtoMajor != 2 {
		t.Errorf("protocol %s, want HTTP/2 as Auth0 offers", resp.Proto)
	}
	doc := readResponse(t, resp).json(t)
	for key, want := range map[string]string{
		"issuer":                 s.URL() + "/",
		"jwks_uri":               s.URL() + "/.well-known/jwks.json",
		"token_endpoint":         s.URL() + "/oauth/token",
		"authorization_endpoint": s.URL() + "/authorize",
	} {
		if doc[key] != want {
			t.Errorf("discovery %s = %v, want %s", key, doc[key], want)
		}
	}

	id, secret := s.CreateM2MApp("tls", []string{"read:clients"})
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/oauth/token",
		strings.NewReader("grant_type=client_credentials&audience="+s.URL()+"/api/v2/"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err = c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r := readResponse(t, resp)
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	claims := jwt.MapClaims{}
	if _, _, err := jwt.NewParser().ParseUnverified(r.json(t)["access_token"].(string), claims); err != nil {
		t.Fatal(err)
	}
	if claims["iss"] != s.URL()+"/" || claims["aud"] != s.URL()+"/api/v2/" {
		t.Errorf("token iss %v aud %v, want the https tenant", claims["iss"], claims["aud"])
	}
}

// go-auth0 as a real operator runs it: https, no WithInsecure, the token
// fetched by x/oauth2 through the ctx's client, the Management API through
// WithClient's.
func TestTLSWithGoAuth0(t *testing.T) {
	s := NewTest(t, Options{RateLimit: -1, TLS: true, TenantName: "Secure"})
	id, secret := s.CreateM2MApp("om-auth0 tls", WizardScopes)
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, s.HTTPClient())
	m, err := management.New(s.Domain().Host, management.WithClient(s.HTTPClient()),
		management.WithClientCredentials(ctx, id, secret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	list, err := m.Client.List(ctx)
	if err != nil {
		t.Fatalf("list clients over https: %v", err)
	}
	if n := len(list.Clients); n != 2 { // the M2M app and the global client
		t.Errorf("%d clients, want 2", n)
	}
	ten, err := m.Tenant.Read(ctx)
	if err != nil || ten.GetFriendlyName() != "Secure" {
		t.Fatalf("tenant settings: %+v, %v", ten, err)
	}
	var got []string
	for _, r := range s.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+http.StatusText(r.Status))
	}
	want := []string{"POST /oauth/token OK", "GET /api/v2/clients OK", "GET /api/v2/tenants/settings OK"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("requests:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// CertPEM is what a client needs to trust the tenant, under either of its
// names; without it the handshake fails, and a plain http client gets no
// Management API.
func TestTLSTrust(t *testing.T) {
	s := tlsTenant(t)
	block, rest := pem.Decode(s.CertPEM())
	if block == nil || block.Type != "CERTIFICATE" || len(rest) != 0 {
		t.Fatalf("CertPEM is not one PEM certificate: %q", s.CertPEM())
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(s.CertPEM())
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	t.Cleanup(trusting.CloseIdleConnections)
	port := s.URL()[strings.LastIndex(s.URL(), ":"):]
	for _, base := range []string{s.URL(), "https://localhost" + port} {
		resp, err := trusting.Get(base + "/.well-known/jwks.json")
		if err != nil {
			t.Fatalf("%s with CertPEM trusted: %v", base, err)
		}
		if r := readResponse(t, resp); r.status != http.StatusOK {
			t.Errorf("%s: %d", base, r.status)
		}
	}

	_, err := httpClient.Get(s.URL() + "/.well-known/jwks.json")
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("the system roots trust the tenant: %v", err)
	}
	resp, err := httpClient.Get("http://" + s.Domain().Host + "/api/v2/clients")
	if err == nil {
		r := readResponse(t, resp)
		if r.status != http.StatusBadRequest {
			t.Errorf("plain http to the TLS tenant: %d %s", r.status, r.body)
		}
	}

	plain := unlimited(t)
	if plain.CertPEM() != nil {
		t.Errorf("a plain http tenant has a certificate")
	}
	if resp, err := plain.HTTPClient().Get(plain.URL() + "/.well-known/jwks.json"); err != nil {
		t.Errorf("HTTPClient of a plain tenant: %v", err)
	} else if r := readResponse(t, resp); r.status != http.StatusOK {
		t.Errorf("HTTPClient of a plain tenant: %d", r.status)
	}
}

// Over HTTP/2 a dropped answer resets the stream: the write is done and the
// client gets no answer, as with a dropped HTTP/1 connection.
func TestTLSDropAfterCommit(t *testing.T) {
	s := tlsTenant(t)
	tok := tokenForClient(t, s, s.HTTPClient(), "create:clients")
	s.InjectFault(Fault{Method: http.MethodPost, Path: "/api/v2/clients", DropAfterCommit: true})
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/api/v2/clients", strings.NewReader(`{"name":"dropped"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := s.HTTPClient().Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the dropped request was answered %s (%s)", resp.Status, resp.Proto)
	}
	if n := len(s.Clients()); n != 3 { // token app, the dropped one, global
		t.Errorf("%d clients after the dropped create, want it committed", n)
	}
	if last := s.Requests()[len(s.Requests())-1]; last.Path != "/api/v2/clients" || last.Status != 0 {
		t.Errorf("log = %+v, want the create with status 0", last)
	}
}

// tokenForClient is tokenFor through client.
func tokenForClient(t *testing.T, s *Server, client *http.Client, scopes ...string) string {
	t.Helper()
	id, secret := s.CreateM2MApp("token for "+strings.Join(scopes, " "), scopes)
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/oauth/token",
		strings.NewReader("grant_type=client_credentials&audience="+s.Domain().ManagementAudience()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r := readResponse(t, resp)
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	return r.json(t)["access_token"].(string)
}
