package sandbox

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

func TestManagementAPIAuthentication(t *testing.T) {
	clock := newFakeClock()
	s := startWithClock(t, Options{RateLimit: -1}, clock)
	other := unlimited(t)
	good := tokenFor(t, s, "read:clients")
	foreign := tokenFor(t, other, "read:clients")
	wrongAudience, err := s.signToken("someone", "https://api.example.com/", []string{"read:clients"}, 86400)
	if err != nil {
		t.Fatal(err)
	}
	hs256, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": s.Domain().Issuer(), "aud": s.Domain().ManagementAudience(), "exp": clock.Now().Add(time.Hour).Unix(), "scope": "read:clients",
	}).SignedString([]byte("guessed"))
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name          string
		authorization string
		status        int
		message, code string
	}{
		{"no Authorization header", "", 401, "Missing authentication", "missing_authentication"},
		{"not a bearer token", "Basic Zm9vOmJhcg==", 401, "Bad HTTP authentication header format", "invalid_token"},
		{"garbage [notes §3.2]", "Bearer not-a-jwt", 401, "Invalid token", "invalid_token"},
		{"signed by another tenant (issuer differs)", "Bearer " + foreign, 401, "Invalid token", "invalid_token"},
		{"HS256 with a guessed secret", "Bearer " + hs256, 401, "Invalid token", "invalid_token"},
		{"audience is not the Management API", "Bearer " + wrongAudience, 401, "Bad audience: https://api.example.com/", "invalid_token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, s.URL()+"/api/v2/clients", nil)
			if tt.authorization != "" {
				req.Header.Set("Authorization", tt.authorization)
			}
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			r := readResponse(t, resp)
			wantAPIError(t, r, tt.status, tt.message, tt.code)
		})
	}

	t.Run("valid token", func(t *testing.T) {
		if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", good, nil); r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		clock.Advance(86401 * time.Second)
		r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", good, nil)
		wantAPIError(t, r, 401, "Expired token received for JSON Web Token validation", "invalid_token")
	})
}

func TestInsufficientScope(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:client_grants")
	tests := []struct {
		method, path, message string
	}{
		{"GET", "/api/v2/clients", "Insufficient scope, expected any of: read:clients,read:client_keys,read:client_credentials"},
		{"GET", "/api/v2/clients/x", "Insufficient scope, expected any of: read:clients,read:client_keys,read:client_credentials"},
		{"POST", "/api/v2/clients", "Insufficient scope, expected any of: create:clients"},
		{"PATCH", "/api/v2/clients/x", "Insufficient scope, expected any of: update:clients,update:client_keys"},
		{"DELETE", "/api/v2/clients/x", "Insufficient scope, expected any of: delete:clients"},
		{"POST", "/api/v2/clients/x/rotate-secret", "Insufficient scope, expected any of: update:client_keys"},
		{"POST", "/api/v2/client-grants", "Insufficient scope, expected any of: create:client_grants"},
		{"PATCH", "/api/v2/client-grants/x", "Insufficient scope, expected any of: update:client_grants"},
		{"DELETE", "/api/v2/client-grants/x", "Insufficient scope, expected any of: delete:client_grants"},
		{"GET", "/api/v2/resource-servers", "Insufficient scope, expected any of: read:resource_servers"},
		{"GET", "/api/v2/resource-servers/x", "Insufficient scope, expected any of: read:resource_servers"},
		{"GET", "/api/v2/tenants/settings", "Insufficient scope, expected any of: read:tenant_settings"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := call(t, tt.method, s.URL()+tt.path, tok, nil)
			wantAPIError(t, r, http.StatusForbidden, tt.message, "insufficient_scope")
		})
	}
	// Scope is checked before existence: a granted scope reaches the 404.
	r := call(t, http.MethodGet, s.URL()+"/api/v2/client-grants/x", tok, nil)
	wantAPIError(t, r, http.StatusNotFound, "The grant does not exist.", "inexistent_client_grant")
}

func TestUnknownManagementEndpoint(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	r := call(t, http.MethodGet, s.URL()+"/api/v2/users", tok, nil)
	wantAPIError(t, r, http.StatusNotFound, "Not Found", "not_found")
	r = call(t, http.MethodPut, s.URL()+"/api/v2/clients", tok, nil)
	wantAPIError(t, r, http.StatusNotFound, "Not Found", "not_found")
}

// TestTokensAreStateless: like Auth0 JWTs, a token keeps the scopes it was
// issued with; a changed grant applies to the next token.
func TestTokensAreStateless(t *testing.T) {
	s := unlimited(t)
	id, secret := s.CreateM2MApp("stateless", []string{"read:clients"})
	form := url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}
	first := postForm(t, s, form, id, secret).json(t)["access_token"].(string)
	s.mu.Lock()
	s.findGrant(id, s.Domain().ManagementAudience()).scope = []string{"read:resource_servers"}
	s.mu.Unlock()
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", first, nil); r.status != http.StatusOK {
		t.Fatalf("old token: %d", r.status)
	}
	second := postForm(t, s, form, id, secret).json(t)["access_token"].(string)
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients", second, nil); r.status != http.StatusForbidden {
		t.Fatalf("new token: %d", r.status)
	}
}
