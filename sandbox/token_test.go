package sandbox

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// addApp stores a client built from body (API create defaults) and, when
// scopes is not nil, grants it the Management API.
func addApp(s *Server, body map[string]any, scopes []string) *client {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.newClient(body)
	if scopes != nil {
		s.addGrant(c.id, s.domain.ManagementAudience(), scopes, nil)
	}
	return c
}

func TestTokenEndpoint(t *testing.T) {
	s := unlimited(t)
	aud := s.Domain().ManagementAudience()
	post := addApp(s, map[string]any{"name": "post", "app_type": "non_interactive", "token_endpoint_auth_method": "client_secret_post", "grant_types": []string{"client_credentials"}}, []string{"read:clients", "create:clients"})
	basic := addApp(s, map[string]any{"name": "basic", "app_type": "non_interactive", "token_endpoint_auth_method": "client_secret_basic", "grant_types": []string{"client_credentials"}}, []string{"read:clients"})
	noMethod := addApp(s, map[string]any{"name": "no method"}, []string{"read:clients"})
	public := addApp(s, map[string]any{"name": "spa", "app_type": "spa", "token_endpoint_auth_method": "none"}, []string{"read:clients"})
	noGrantType := addApp(s, map[string]any{"name": "web", "app_type": "regular_web", "token_endpoint_auth_method": "client_secret_post", "grant_types": []string{"authorization_code"}}, []string{"read:clients"})
	ungranted := addApp(s, map[string]any{"name": "ungranted", "app_type": "non_interactive", "token_endpoint_auth_method": "client_secret_post", "grant_types": []string{"client_credentials"}}, nil)

	form := func(kv ...string) url.Values {
		v := url.Values{"grant_type": {"client_credentials"}, "audience": {aud}}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	unauthorizedClient := `{"error":"unauthorized_client","error_description":"Grant type 'client_credentials' not allowed for the client.","error_uri":"https://auth0.com/docs/clients/client-grant-types"}`
	tests := []struct {
		name        string
		form        url.Values
		basic       *client // credentials in the Authorization header
		basicSecret string
		status      int
		body        string // exact error body; "" for success
		scope       string // granted scope on success
	}{
		{name: "Basic for a client_secret_post client", form: form(), basic: post, status: 200, scope: "read:clients create:clients"},
		{name: "Basic for a client_secret_basic client", form: form(), basic: basic, status: 200, scope: "read:clients"},
		{name: "body secret for a client_secret_basic client (OpenMetadata ≤ 1.0 ingestion)", form: form("client_id", basic.id, "client_secret", basic.secret), status: 200, scope: "read:clients"},
		{name: "body secret for a client without a method", form: form("client_id", noMethod.id, "client_secret", noMethod.secret), status: 200, scope: "read:clients"},
		{name: "requested scope subset", form: form("scope", "create:clients"), basic: post, status: 200, scope: "create:clients"},
		{name: "wrong secret [ISSUE node-auth0#428]", form: form(), basic: post, basicSecret: "wrong", status: 401, body: `{"error":"access_denied","error_description":"Unauthorized"}`},
		{name: "unknown client", form: form("client_id", "nope", "client_secret", "nope"), status: 401, body: `{"error":"access_denied","error_description":"Unauthorized"}`},
		{name: "public client with its secret [ISSUE ruby-auth0#190]", form: form("client_id", public.id, "client_secret", public.secret), status: 403, body: unauthorizedClient},
		{name: "public client without secret", form: form("client_id", public.id), status: 403, body: unauthorizedClient},
		{name: "grant type not enabled", form: form(), basic: noGrantType, status: 403, body: unauthorizedClient},
		{name: "unknown audience [ISSUE node-auth0#292]", form: form("audience", "https://api.example.com/"), basic: post, status: 403, body: `{"error":"access_denied","error_description":"Service not enabled within domain: https://api.example.com/"}`},
		{name: "no client grant", form: form(), basic: ungranted, status: 403, body: `{"error":"access_denied","error_description":"Client is not authorized to access \"` + aud + `\". You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants"}`},
		{name: "no audience", form: form("audience", ""), basic: post, status: 403, body: `{"error":"access_denied","error_description":"No audience parameter was provided, and no default audience has been configured"}`},
		{name: "scope not granted", form: form("scope", "read:clients delete:clients"), basic: post, status: 403, body: `{"error":"access_denied","error_description":"Client has not been granted scopes: delete:clients"}`},
		{name: "secret in header and body", form: form("client_secret", post.secret), basic: post, status: 400, body: `{"error":"invalid_request","error_description":"Client credentials were sent both in the Authorization header and in the body"}`},
		{name: "no grant_type", form: form("grant_type", ""), basic: post, status: 400, body: `{"error":"invalid_request","error_description":"Missing required parameter: grant_type"}`},
		{name: "password grant is not simulated", form: form("grant_type", "password"), basic: post, status: 400, body: `{"error":"unsupported_grant_type","error_description":"Unsupported grant type: password"}`},
		{name: "no client_id", form: form(), status: 400, body: `{"error":"invalid_request","error_description":"Missing required parameter: client_id"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r response
			if tt.basic != nil {
				secret := tt.basic.secret
				if tt.basicSecret != "" {
					secret = tt.basicSecret
				}
				r = postForm(t, s, tt.form, tt.basic.id, secret)
			} else {
				r = postForm(t, s, tt.form, "", "")
			}
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if r.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", r.header.Get("Cache-Control"))
			}
			if tt.body != "" {
				if string(r.body) != tt.body {
					t.Errorf("body\n got %s\nwant %s", r.body, tt.body)
				}
				return
			}
			got := r.json(t)
			if len(got) != 4 || got["token_type"] != "Bearer" || got["expires_in"] != float64(86400) || got["scope"] != tt.scope || got["access_token"] == "" {
				t.Errorf("token response %s", r.body)
			}
		})
	}
}

func TestTokenEndpointJSONBody(t *testing.T) {
	s := unlimited(t)
	id, secret := s.CreateM2MApp("json", []string{"read:clients"})
	r := call(t, http.MethodPost, s.URL()+"/oauth/token", "", map[string]string{
		"grant_type": "client_credentials", "client_id": id, "client_secret": secret, "audience": s.Domain().ManagementAudience(),
	})
	if r.status != http.StatusOK || r.json(t)["scope"] != "read:clients" {
		t.Fatalf("%d %s", r.status, r.body)
	}
	r = call(t, http.MethodPost, s.URL()+"/oauth/token", "", `{"grant_type":"client_credentials","client_id":42}`)
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), `"invalid_request"`) {
		t.Fatalf("non-string parameter: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/oauth/token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "text/plain")
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("text/plain body: %d", resp.StatusCode)
	}
}

// TestAccessTokenVerifiesAgainstJWKS follows what OpenMetadata and any JWT
// library do: discovery → jwks_uri → key by kid → RS256 signature → claims.
func TestAccessTokenVerifiesAgainstJWKS(t *testing.T) {
	s := unlimited(t)
	id, secret := s.CreateM2MApp("jwt", []string{"read:clients", "read:client_grants"})
	r := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}, id, secret)
	raw := r.json(t)["access_token"].(string)

	disc := call(t, http.MethodGet, s.Domain().DiscoveryURL(), "", nil)
	if disc.status != http.StatusOK {
		t.Fatalf("discovery: %d", disc.status)
	}
	doc := disc.json(t)
	if doc["issuer"] != s.Domain().Issuer() || doc["jwks_uri"] != s.Domain().JWKSURL() || doc["token_endpoint"] != s.Domain().TokenURL() {
		t.Fatalf("discovery document %s", disc.body)
	}
	jr := call(t, http.MethodGet, doc["jwks_uri"].(string), "", nil)
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.Unmarshal(jr.body, &set); err != nil || len(set.Keys) != 1 {
		t.Fatalf("jwks %s: %v", jr.body, err)
	}
	k := set.Keys[0]
	if k.Kty != "RSA" || k.Use != "sig" || k.Alg != "RS256" || k.Kid == "" {
		t.Fatalf("jwk %+v", k)
	}
	n, _ := base64.RawURLEncoding.DecodeString(k.N)
	e, _ := base64.RawURLEncoding.DecodeString(k.E)
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
	der, _ := base64.StdEncoding.DecodeString(k.X5c[0])
	cert, err := x509.ParseCertificate(der)
	if err != nil || !cert.PublicKey.(*rsa.PublicKey).Equal(pub) {
		t.Fatalf("x5c certificate does not hold the key: %v", err)
	}

	claims := jwt.MapClaims{}
	tok, err := jwt.ParseWithClaims(raw, claims, func(tok *jwt.Token) (any, error) {
		if tok.Header["kid"] != k.Kid {
			t.Errorf("kid %v, want %s", tok.Header["kid"], k.Kid)
		}
		return pub, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithIssuer(s.Domain().Issuer()), jwt.WithAudience(s.Domain().ManagementAudience()))
	if err != nil || !tok.Valid {
		t.Fatalf("token does not verify: %v", err)
	}
	iat, _ := claims.GetIssuedAt()
	exp, _ := claims.GetExpirationTime()
	if claims["sub"] != id+"@clients" || claims["azp"] != id || claims["gty"] != "client-credentials" ||
		claims["scope"] != "read:clients read:client_grants" || exp.Sub(iat.Time) != 86400*time.Second {
		t.Fatalf("claims %v", claims)
	}
}
