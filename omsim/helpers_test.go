package omsim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/sandbox"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

// answer is a plain HTTP answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (a answer) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(a.body, &m); err != nil {
		t.Fatalf("answer %d is not a JSON object: %v\n%s", a.status, err, a.body)
	}
	return m
}

// call sends a request with an optional bearer token; body is sent as is
// when it is a string, as JSON otherwise (nil: no body).
func call(t *testing.T, method, u, token, contentType string, body any) answer {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: raw}
}

const jsonType = "application/json"

// wantError checks an OpenMetadata error answer: status and {"code","message"}.
func wantError(t *testing.T, a answer, status int, message string) {
	t.Helper()
	if a.status != status {
		t.Fatalf("status %d, want %d; body %s", a.status, status, a.body)
	}
	var e errorBody
	if err := json.Unmarshal(a.body, &e); err != nil || e.Code != status || e.Message != message {
		t.Fatalf("body %s, want {\"code\":%d,\"message\":%q}", a.body, status, message)
	}
}

// tenantApps is a simulated Auth0 tenant with the applications the
// validator tests need.
type tenantApps struct {
	tenant *sandbox.Server
	// spa is a single-page application (public client).
	spa string
	// web is a regular web application with the client-credentials grant
	// and a client grant for the Management API: what OpenMetadata's
	// validator needs of a confidential client.
	web, webSecret string
	// noGrantType is a regular web application without the
	// client-credentials grant type.
	noGrantType, noGrantTypeSecret string
	// noClientGrant has the grant type but no client grant for /api/v2/.
	noClientGrant, noClientGrantSecret string
}

func newTenant(t *testing.T) *tenantApps {
	t.Helper()
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret := ten.CreateM2MApp("setup", sandbox.WizardScopes)
	api, err := management.New(ten.URL(), management.WithInsecure(),
		management.WithClientCredentials(context.Background(), id, secret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	create := func(c *management.Client) (string, string) {
		t.Helper()
		if err := api.Client.Create(ctx, c); err != nil {
			t.Fatalf("create %s: %v", c.GetName(), err)
		}
		return c.GetClientID(), c.GetClientSecret()
	}
	out := &tenantApps{tenant: ten}
	out.spa, _ = create(&management.Client{Name: auth0.String("OpenMetadata"), AppType: auth0.String("spa"),
		TokenEndpointAuthMethod: auth0.String("none"), GrantTypes: &[]string{"authorization_code", "implicit", "refresh_token"}})
	web := func(name string, grants []string) (string, string) {
		return create(&management.Client{Name: auth0.String(name), AppType: auth0.String("regular_web"),
			TokenEndpointAuthMethod: auth0.String("client_secret_post"), GrantTypes: &grants})
	}
	out.web, out.webSecret = web("OpenMetadata confidential", []string{"authorization_code", "refresh_token", "client_credentials"})
	out.noGrantType, out.noGrantTypeSecret = web("No client credentials", []string{"authorization_code", "refresh_token"})
	out.noClientGrant, out.noClientGrantSecret = web("No client grant", []string{"authorization_code", "client_credentials"})
	if err := api.ClientGrant.Create(ctx, &management.ClientGrant{ClientID: auth0.String(out.web),
		Audience: auth0.String(ten.Domain().ManagementAudience()), Scope: &[]string{}}); err != nil {
		t.Fatalf("client grant: %v", err)
	}
	return out
}
