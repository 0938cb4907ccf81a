package sandbox

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

var (
	clientIDPattern     = regexp.MustCompile(`^[A-Za-z0-9]{32}$`)
	clientSecretPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{64}$`)
	grantIDPattern      = regexp.MustCompile(`^cgr_[A-Za-z0-9]{16}$`)
)

func strList(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestCreateClientDefaults checks Auth0's create defaults per app type
// [REC docs/auth0.md, "Applications (clients)": TestAccDataClientHideClientSecret,
// TestAccClientCanSetDefaultAuthMethodOnCreate, TestAccDataClients; REC TestClient_Create].
func TestCreateClientDefaults(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients")
	legacy4 := []string{"authorization_code", "implicit", "refresh_token", "client_credentials"}
	public3 := []string{"authorization_code", "implicit", "refresh_token"}
	tests := []struct {
		appType, method string
		wantGrants      []string
		wantLifetime    float64
		wantRotation    string
	}{
		{"", "", legacy4, 2592000, "non-rotating"},
		{"", "client_secret_post", legacy4, 31557600, "non-rotating"},
		{"non_interactive", "", legacy4, 2592000, "non-rotating"},
		{"non_interactive", "client_secret_post", legacy4, 31557600, "non-rotating"},
		{"regular_web", "client_secret_post", legacy4, 31557600, "non-rotating"},
		{"regular_web", "client_secret_basic", legacy4, 31557600, "non-rotating"},
		{"spa", "none", public3, 2592000, "rotating"},
		{"native", "none", public3, 2592000, "non-rotating"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("app_type=%q method=%q", tt.appType, tt.method), func(t *testing.T) {
			body := map[string]any{"name": "defaults " + tt.appType + tt.method}
			if tt.appType != "" {
				body["app_type"] = tt.appType
			}
			if tt.method != "" {
				body["token_endpoint_auth_method"] = tt.method
			}
			r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, body)
			if r.status != http.StatusCreated {
				t.Fatalf("%d %s", r.status, r.body)
			}
			c := r.json(t)
			if m, ok := c["token_endpoint_auth_method"]; tt.method == "" && ok || tt.method != "" && m != tt.method {
				t.Errorf("token_endpoint_auth_method = %v (present %v), sent %q", m, ok, tt.method)
			}
			if got := strList(c["grant_types"]); !slices.Equal(got, tt.wantGrants) {
				t.Errorf("grant_types = %v, want %v", got, tt.wantGrants)
			}
			rt := c["refresh_token"].(map[string]any)
			if rt["token_lifetime"] != tt.wantLifetime || rt["rotation_type"] != tt.wantRotation {
				t.Errorf("refresh_token = %v", rt)
			}
			if !clientIDPattern.MatchString(c["client_id"].(string)) || !clientSecretPattern.MatchString(c["client_secret"].(string)) {
				t.Errorf("client_id %v / client_secret %v are not well-formed", c["client_id"], c["client_secret"])
			}
			for k, want := range map[string]any{
				"is_first_party": true, "oidc_conformant": false, "is_token_endpoint_ip_header_trusted": false,
				"sso_disabled": false, "cross_origin_authentication": false, "custom_login_page_on": true,
				"tenant": "sandbox", "global": false,
			} {
				if c[k] != want {
					t.Errorf("%s = %v, want %v", k, c[k], want)
				}
			}
			jc := c["jwt_configuration"].(map[string]any)
			if jc["secret_encoded"] != false || jc["lifetime_in_seconds"] != float64(36000) {
				t.Errorf("jwt_configuration = %v", jc)
			}
			if keys, _ := c["signing_keys"].([]any); len(keys) != 1 || !strings.Contains(keys[0].(map[string]any)["cert"].(string), "BEGIN CERTIFICATE") {
				t.Errorf("signing_keys = %v", c["signing_keys"])
			}
			for _, absent := range []string{"callbacks", "web_origins", "allowed_logout_urls", "client_metadata"} {
				if _, ok := c[absent]; ok {
					t.Errorf("%s present though not sent", absent)
				}
			}
		})
	}

	t.Run("third-party client is OIDC conformant [REC TestAccDataClients]", func(t *testing.T) {
		r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, map[string]any{"name": "3p", "app_type": "spa", "is_first_party": false, "token_endpoint_auth_method": "none"})
		c := r.json(t)
		if c["oidc_conformant"] != true || c["third_party_security_mode"] != "permissive" {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("sent jwt_configuration replaces the lifetime [REC TestClientGrantManager_Create]", func(t *testing.T) {
		r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, map[string]any{"name": "jwt", "jwt_configuration": map[string]any{"alg": "RS256"}})
		jc := r.json(t)["jwt_configuration"].(map[string]any)
		if len(jc) != 2 || jc["alg"] != "RS256" || jc["secret_encoded"] != false {
			t.Errorf("jwt_configuration = %v", jc)
		}
	})
}

func TestCreateClientValidation(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients")
	tooMany := map[string]any{}
	for i := range 11 {
		tooMany[fmt.Sprintf("k%d", i)] = "v"
	}
	tests := []struct {
		name    string
		body    any
		status  int
		message string
		code    string
	}{
		{"name is required", map[string]any{"app_type": "spa"}, 400, "Payload validation error: 'Missing required property: name'.", "invalid_body"},
		{"name must be a string", map[string]any{"name": 42}, 400, "Payload validation error: 'Expected type string but found type integer' on property name.", "invalid_body"},
		{"name must not be empty", map[string]any{"name": ""}, 400, "Payload validation error: 'String is too short (0 chars), minimum 1' on property name.", "invalid_body"},
		{"unknown property", map[string]any{"name": "x", "colour": "red"}, 400, "Payload validation error: 'Additional properties not allowed: colour'.", "invalid_body"},
		{"read-only client_id", map[string]any{"name": "x", "client_id": "abc"}, 400, "Payload validation error: 'Additional properties not allowed: client_id'.", "invalid_body"},
		{"callbacks must be an array", map[string]any{"name": "x", "callbacks": "http://a"}, 400, "Payload validation error: 'Expected type array but found type string' on property callbacks.", "invalid_body"},
		{"callbacks items must be strings", map[string]any{"name": "x", "callbacks": []any{1}}, 400, "Payload validation error: 'Expected type string but found type integer' on property callbacks[0].", "invalid_body"},
		{"callbacks must be URLs", map[string]any{"name": "x", "callbacks": []string{"not a url"}}, 400, "Payload validation error: 'Object didn't pass validation for format uri: not a url' on property callbacks[0].", "invalid_body"},
		{"web origins have no path [auth0/docs#5885]", map[string]any{"name": "x", "web_origins": []string{"http://localhost:8585/ui"}}, 400, "Payload validation error: 'Object didn't pass validation for format origin: http://localhost:8585/ui' on property web_origins[0].", "invalid_body"},
		{"client_metadata values are strings", map[string]any{"name": "x", "client_metadata": map[string]any{"managed_by": true}}, 400, "Payload validation error: 'Expected type string but found type boolean' on property client_metadata.managed_by.", "invalid_body"},
		{"client_metadata has at most 10 keys", map[string]any{"name": "x", "client_metadata": tooMany}, 400, "Payload validation error: 'Too many properties defined (11), maximum 10' on property client_metadata.", "invalid_body"},
		{"app_type enum", map[string]any{"name": "x", "app_type": "m2m"}, 400, `Payload validation error: 'No enum match for: "m2m"' on property app_type.`, "invalid_body"},
		{"token_endpoint_auth_method enum", map[string]any{"name": "x", "token_endpoint_auth_method": "private_key"}, 400, `Payload validation error: 'No enum match for: "private_key"' on property token_endpoint_auth_method.`, "invalid_body"},
		{"grant type enum", map[string]any{"name": "x", "grant_types": []string{"magic"}}, 400, `Payload validation error: 'No enum match for: "magic"' on property grant_types[0].`, "invalid_body"},
		{"description max 140", map[string]any{"name": "x", "description": strings.Repeat("d", 141)}, 400, "Payload validation error: 'String is too long (141 chars), maximum 140' on property description.", "invalid_body"},
		{"is_first_party is a boolean", map[string]any{"name": "x", "is_first_party": "yes"}, 400, "Payload validation error: 'Expected type boolean but found type string' on property is_first_party.", "invalid_body"},
		{"jwt alg enum", map[string]any{"name": "x", "jwt_configuration": map[string]any{"alg": "none"}}, 400, `Payload validation error: 'No enum match for: "none"' on property jwt_configuration.alg.`, "invalid_body"},
		{"public client with client_credentials [ISSUE alexkappa/terraform-provider-auth0#256]", map[string]any{"name": "x", "token_endpoint_auth_method": "none", "grant_types": []string{"client_credentials"}}, 400, "Invalid grant types: client_credentials", "invalid_body"},
		{"body is an array", "[]", 400, "Payload validation error: 'Expected type object but found type array'.", "invalid_body"},
		{"body is not JSON", "{", 400, "Invalid request payload JSON format", "invalid_body"},
		{"no body", nil, 400, "Payload validation error: 'Expected type object but found type null'.", "invalid_body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, tt.body)
			wantAPIError(t, r, tt.status, tt.message, tt.code)
		})
	}
	if n := len(s.Clients()); n != 2 { // the token's app and the global client
		t.Errorf("refused creates left %d clients", n)
	}
}

func createClient(t *testing.T, s *Server, tok string, body map[string]any) map[string]any {
	t.Helper()
	r := call(t, http.MethodPost, s.URL()+"/api/v2/clients", tok, body)
	if r.status != http.StatusCreated {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	return r.json(t)
}

func TestPatchClient(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients", "update:clients", "read:clients")
	keysTok := tokenFor(t, s, "update:clients", "update:client_keys", "read:client_keys")
	patch := func(t *testing.T, tok, id string, body any) response {
		t.Helper()
		return call(t, http.MethodPatch, s.URL()+"/api/v2/clients/"+id, tok, body)
	}

	t.Run("arrays are replaced and the full client returns [REC TestClient_Update]", func(t *testing.T) {
		id := createClient(t, s, tok, map[string]any{"name": "arrays", "callbacks": []string{"https://a/cb", "https://b/cb"}})["client_id"].(string)
		r := patch(t, tok, id, map[string]any{"callbacks": []string{"https://c/cb"}, "web_origins": []string{"https://c"}})
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		c := r.json(t)
		if !slices.Equal(strList(c["callbacks"]), []string{"https://c/cb"}) || c["grant_types"] == nil || c["name"] != "arrays" {
			t.Errorf("patched client %s", r.body)
		}
		if _, ok := c["client_secret"]; ok {
			t.Error("PATCH answer shows the secret to a token without read:client_keys")
		}
	})
	t.Run("client_metadata merges; null removes a key", func(t *testing.T) {
		id := createClient(t, s, tok, map[string]any{"name": "md", "client_metadata": map[string]any{"a": "1", "b": "2"}})["client_id"].(string)
		r := patch(t, tok, id, map[string]any{"client_metadata": map[string]any{"b": nil, "c": "3"}})
		if md := r.json(t)["client_metadata"].(map[string]any); len(md) != 2 || md["a"] != "1" || md["c"] != "3" {
			t.Errorf("client_metadata = %v", md)
		}
	})
	t.Run("public to confidential in one request", func(t *testing.T) {
		c := createClient(t, s, tok, map[string]any{"name": "spa", "app_type": "spa", "token_endpoint_auth_method": "none"})
		id, secret := c["client_id"].(string), c["client_secret"].(string)
		r := patch(t, tok, id, map[string]any{"grant_types": []string{"authorization_code", "implicit", "refresh_token", "client_credentials"}})
		wantAPIError(t, r, 400, "Invalid grant types: client_credentials", "invalid_body")
		r = patch(t, tok, id, map[string]any{"token_endpoint_auth_method": "client_secret_basic", "grant_types": []string{"authorization_code", "refresh_token", "client_credentials"}})
		if r.status != http.StatusOK {
			t.Fatalf("%d %s", r.status, r.body)
		}
		// The secret generated at creation now works, by Basic.
		s.mu.Lock()
		s.addGrant(id, s.domain.ManagementAudience(), []string{"read:clients"}, nil)
		s.mu.Unlock()
		tr := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}, id, secret)
		if tr.status != http.StatusOK {
			t.Fatalf("token after the switch: %d %s", tr.status, tr.body)
		}
	})
	t.Run("method none on a client holding client_credentials", func(t *testing.T) {
		id := createClient(t, s, tok, map[string]any{"name": "legacy"})["client_id"].(string)
		r := patch(t, tok, id, map[string]any{"token_endpoint_auth_method": "none"})
		wantAPIError(t, r, 400, "Invalid grant types: client_credentials", "invalid_body")
	})
	t.Run("client_secret needs update:client_keys", func(t *testing.T) {
		id := createClient(t, s, tok, map[string]any{"name": "secret"})["client_id"].(string)
		newSecret := strings.Repeat("s", 64)
		wantAPIError(t, patch(t, tok, id, map[string]any{"client_secret": newSecret}), 403, "Insufficient scope, expected any of: update:client_keys", "insufficient_scope")
		r := patch(t, keysTok, id, map[string]any{"client_secret": newSecret})
		if r.status != http.StatusOK || r.json(t)["client_secret"] != newSecret {
			t.Fatalf("%d %s", r.status, r.body)
		}
		if got := s.lookupClientState(id).ClientSecret; got != newSecret {
			t.Errorf("stored secret %q", got)
		}
	})

	id := createClient(t, s, tok, map[string]any{"name": "errors"})["client_id"].(string)
	tests := []struct {
		name    string
		id      string
		body    any
		status  int
		message string
		code    string
	}{
		{"unknown client", "nope", map[string]any{"name": "x"}, 404, "The client does not exist", "inexistent_client"},
		{"read-only client_id [SRC go-auth0 client_test.go TestClient_Update]", id, map[string]any{"client_id": id}, 400, "Payload validation error: 'Additional properties not allowed: client_id'.", "invalid_body"},
		{"read-only signing_keys", id, map[string]any{"signing_keys": []any{}}, 400, "Payload validation error: 'Additional properties not allowed: signing_keys'.", "invalid_body"},
		{"read-only jwt_configuration.secret_encoded", id, map[string]any{"jwt_configuration": map[string]any{"secret_encoded": true}}, 400, "Payload validation error: 'Additional properties not allowed: secret_encoded' on property jwt_configuration.", "invalid_body"},
		{"create-only resource_server_identifier", id, map[string]any{"resource_server_identifier": "x"}, 400, "Payload validation error: 'Additional properties not allowed: resource_server_identifier'.", "invalid_body"},
		{"wrong type", id, map[string]any{"grant_types": "client_credentials"}, 400, "Payload validation error: 'Expected type array but found type string' on property grant_types.", "invalid_body"},
		{"metadata value not a string", id, map[string]any{"client_metadata": map[string]any{"n": 1}}, 400, "Payload validation error: 'Expected type string but found type integer' on property client_metadata.n.", "invalid_body"},
		{"empty body", id, map[string]any{}, 400, "Payload validation error: 'Too few properties defined (0), minimum 1'.", "invalid_body"},
		{"global client", s.global.id, map[string]any{"name": "x"}, 400, "The global client cannot be updated with this endpoint", "operation_not_supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, patch(t, tok, tt.id, tt.body), tt.status, tt.message, tt.code)
		})
	}
}

// lookupClientState is a snapshot of one client, for assertions.
func (s *Server) lookupClientState(id string) ClientState {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.lookupClient(id); c != nil {
		return c.state()
	}
	return ClientState{}
}

func TestReadClientAndFieldVisibility(t *testing.T) {
	s := unlimited(t)
	c := createClient(t, s, tokenFor(t, s, "create:clients"), map[string]any{"name": "visible", "app_type": "regular_web", "description": "d", "callbacks": []string{"https://om/callback"}})
	id := c["client_id"].(string)
	tests := []struct {
		scope                  string
		wantConfig, wantSecret bool
	}{
		{"read:clients", true, false},
		{"read:client_keys", true, true},
		{"read:client_credentials", false, true},
	}
	for _, tt := range tests {
		t.Run(tt.scope, func(t *testing.T) {
			tok := tokenFor(t, s, tt.scope)
			for _, path := range []string{"/api/v2/clients/" + id, "/api/v2/clients?app_type=regular_web"} {
				r := call(t, http.MethodGet, s.URL()+path, tok, nil)
				if r.status != http.StatusOK {
					t.Fatalf("%s: %d %s", path, r.status, r.body)
				}
				var m map[string]any
				if strings.Contains(path, "?") {
					var list []map[string]any
					mustUnmarshal(t, r.body, &list)
					m = list[0]
				} else {
					m = r.json(t)
				}
				for _, k := range []string{"client_id", "name", "description", "app_type", "tenant"} {
					if _, ok := m[k]; !ok {
						t.Errorf("%s: summary field %s missing", path, k)
					}
				}
				_, hasCallbacks := m["callbacks"]
				_, hasSecret := m["client_secret"]
				_, hasKeys := m["signing_keys"]
				if hasCallbacks != tt.wantConfig || hasSecret != tt.wantSecret || hasKeys != tt.wantSecret {
					t.Errorf("%s: callbacks %v secret %v signing_keys %v", path, hasCallbacks, hasSecret, hasKeys)
				}
			}
		})
	}

	tok := tokenFor(t, s, "read:client_keys")
	t.Run("fields on one client keep tenant and signing_keys [REC TestAccClientCanSetDefaultAuthMethodOnCreate]", func(t *testing.T) {
		m := call(t, http.MethodGet, s.URL()+"/api/v2/clients/"+id+"?fields=client_id,app_type&include_fields=true", tok, nil).json(t)
		if len(m) != 4 || m["app_type"] != "regular_web" || m["tenant"] != "sandbox" || m["signing_keys"] == nil {
			t.Errorf("%v", m)
		}
	})
	t.Run("include_fields=false drops the fields", func(t *testing.T) {
		m := call(t, http.MethodGet, s.URL()+"/api/v2/clients/"+id+"?fields=client_secret,callbacks&include_fields=false", tok, nil).json(t)
		if _, ok := m["client_secret"]; ok || m["name"] != "visible" {
			t.Errorf("%v", m)
		}
	})
	t.Run("unknown client", func(t *testing.T) {
		wantAPIError(t, call(t, http.MethodGet, s.URL()+"/api/v2/clients/nope", tok, nil), 404, "The client does not exist", "inexistent_client")
	})
	t.Run("unknown query parameter", func(t *testing.T) {
		wantAPIError(t, call(t, http.MethodGet, s.URL()+"/api/v2/clients/"+id+"?expand=all", tok, nil), 400, "Query validation error: 'Additional properties not allowed: expand'.", "invalid_query_string")
	})
}

func TestDeleteAndRotateClient(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients", "delete:clients", "read:clients", "update:client_keys")
	c := createClient(t, s, tok, map[string]any{"name": "doomed"})
	id := c["client_id"].(string)

	r := call(t, http.MethodPost, s.URL()+"/api/v2/clients/"+id+"/rotate-secret", tok, nil)
	if r.status != http.StatusOK || r.json(t)["client_secret"] == c["client_secret"] || !clientSecretPattern.MatchString(r.json(t)["client_secret"].(string)) {
		t.Fatalf("rotate-secret [REC TestClient_RotateSecret]: %d %s", r.status, r.body)
	}

	s.mu.Lock()
	s.addGrant(id, s.domain.ManagementAudience(), []string{"read:clients"}, nil)
	s.mu.Unlock()
	r = call(t, http.MethodDelete, s.URL()+"/api/v2/clients/"+id, tok, nil)
	if r.status != http.StatusNoContent || len(r.body) != 0 || r.header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("delete [REC TestClientGrantManager_Create]: %d %q %v", r.status, r.body, r.header)
	}
	wantAPIError(t, call(t, http.MethodGet, s.URL()+"/api/v2/clients/"+id, tok, nil), 404, "The client does not exist", "inexistent_client")
	for _, g := range s.ClientGrants() {
		if g.ClientID == id {
			t.Error("the deleted client's grant survived")
		}
	}
	wantAPIError(t, call(t, http.MethodDelete, s.URL()+"/api/v2/clients/"+id, tok, nil), 404, "The client does not exist", "inexistent_client")
	wantAPIError(t, call(t, http.MethodDelete, s.URL()+"/api/v2/clients/"+s.global.id, tok, nil), 400, "The global client cannot be deleted", "operation_not_supported")
}

func TestListClients(t *testing.T) {
	s := unlimited(t)
	s.SeedApps(60, "regular_web")
	s.SeedApps(3, "spa")
	s.SeedApps(2, "native")
	tok := tokenFor(t, s, "read:clients") // adds a non_interactive app: 67 clients with the global one
	list := func(t *testing.T, query string) response {
		t.Helper()
		return call(t, http.MethodGet, s.URL()+"/api/v2/clients?"+query, tok, nil)
	}

	t.Run("bare array, 50 by default", func(t *testing.T) {
		var items []map[string]any
		mustUnmarshal(t, list(t, "").body, &items)
		if len(items) != 50 || items[0]["name"] != "Seeded regular_web app 1" {
			t.Fatalf("%d items, first %v", len(items), items[0]["name"])
		}
	})
	t.Run("include_totals [REC TestClient_List]", func(t *testing.T) {
		r := list(t, "include_totals=true&page=1&per_page=50")
		if !strings.HasPrefix(string(r.body), `{"total":67,"start":50,"limit":50,"clients":[`) {
			t.Fatalf("%.80s", r.body)
		}
		clients := r.json(t)["clients"].([]any)
		last := clients[len(clients)-1].(map[string]any)
		if len(clients) != 17 || last["name"] != "All Applications" || last["global"] != true {
			t.Errorf("%d clients on page 1, last %v", len(clients), last["name"])
		}
	})
	t.Run("fields=client_id keeps tenant [REC TestClient_List]", func(t *testing.T) {
		var items []map[string]any
		mustUnmarshal(t, list(t, "fields=client_id&include_fields=true&per_page=2").body, &items)
		if len(items) != 2 || len(items[0]) != 2 || items[0]["tenant"] != "sandbox" {
			t.Errorf("%v", items)
		}
	})
	t.Run("app_type is a comma list", func(t *testing.T) {
		var items []map[string]any
		mustUnmarshal(t, list(t, "app_type=spa,native").body, &items)
		if len(items) != 5 {
			t.Errorf("%d spa+native apps, want 5", len(items))
		}
	})
	t.Run("is_global", func(t *testing.T) {
		var items []map[string]any
		mustUnmarshal(t, list(t, "is_global=true").body, &items)
		if len(items) != 1 || items[0]["name"] != "All Applications" {
			t.Errorf("%v", items)
		}
		r := list(t, "is_global=false&include_totals=true")
		if r.json(t)["total"] != float64(66) {
			t.Errorf("total without the global client: %v", r.json(t)["total"])
		}
	})
	t.Run("checkpoint pagination walks the clients by client_id", func(t *testing.T) {
		var ids []string
		next := ""
		for pages := 0; ; pages++ {
			q := "take=40"
			if next != "" {
				q += "&from=" + next
			}
			m := list(t, q).json(t)
			if _, ok := m["total"]; ok {
				t.Fatalf("a checkpoint answer has no totals: %v", m)
			}
			for _, c := range m["clients"].([]any) {
				ids = append(ids, c.(map[string]any)["client_id"].(string))
			}
			n, ok := m["next"].(string)
			if !ok {
				break
			}
			next = n
		}
		var want []string
		for _, c := range s.Clients() {
			want = append(want, c.ClientID)
		}
		slices.Sort(want)
		if !slices.Equal(ids, want) {
			t.Errorf("checkpoint walk = %d clients, want all %d in client_id order", len(ids), len(want))
		}
	})
	tests := []struct {
		query, message string
	}{
		{"per_page=101", "Query validation error: 'Value 101 is greater than maximum 100' on property per_page."},
		{"per_page=0", "Query validation error: 'Value 0 is less than minimum 1' on property per_page."},
		{"page=-1", "Query validation error: 'Value -1 is less than minimum 0' on property page."},
		{"page=one", "Query validation error: 'Expected type integer but found type string' on property page."},
		{"include_totals=yes", "Query validation error: 'Expected type boolean but found type string' on property include_totals."},
		{"app_type=m2m", `Query validation error: 'No enum match for: "m2m"' on property app_type.`},
		{"name=x", "Query validation error: 'Additional properties not allowed: name'."},
		{"q=name:x", "Query validation error: 'The q parameter is not supported by the simulated tenant' on property q."},
		{"from=!!", "Query validation error: 'Invalid checkpoint' on property from."},
		// An offset checkpoint, as the client-grant and resource-server listings give.
		{"take=10&from=" + base64.RawURLEncoding.EncodeToString([]byte("50")), "Query validation error: 'Invalid checkpoint' on property from."},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			wantAPIError(t, list(t, tt.query), 400, tt.message, "invalid_query_string")
		})
	}
}

// TestPageLimit: page-based listing stops at record 1,000 with Auth0's 400
// [ISSUE auth0-python#277], whatever the tenant holds.
func TestPageLimit(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	tests := []struct {
		query string
		page  int // refused page; -1 when served
	}{
		{"page=9&per_page=100", -1},
		{"page=10&per_page=100", 10},
		{"page=11&per_page=100&include_totals=true", 11},
		{"page=19", -1}, // per_page defaults to 50
		{"page=20", 20},
		{"page=32&per_page=30", -1}, // records 961–990
		{"page=33&per_page=30", 33}, // records 991–1020 reach past 1,000
		{"page=1000&per_page=1", 1000},
		{"take=100&from=" + base64.RawURLEncoding.EncodeToString([]byte("k:zzz")), -1}, // checkpoints have no limit
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?"+tt.query, tok, nil)
			if tt.page < 0 {
				if r.status != http.StatusOK {
					t.Fatalf("%d %s", r.status, r.body)
				}
				return
			}
			wantAPIError(t, r, http.StatusBadRequest, fmt.Sprintf("Requesting page %d exceeds the allowed maximum of 1000 records. "+
				"To fetch results beyond 1000, use the checkpoint pagination method.", tt.page), "invalid_paging")
		})
	}
}

// TestPaginationOver5000Clients lists a large tenant with go-auth0 as
// om-auth0 does: pages reach the first 1,000 clients, checkpoints reach
// all of them, with the same filter and fields.
func TestPaginationOver5000Clients(t *testing.T) {
	s := unlimited(t)
	s.SeedApps(5000, "spa")
	m := wizard(t, s)
	ctx := context.Background()
	filter := []management.RequestOption{management.Parameter("is_global", "false"), management.IncludeFields("client_id", "name")}

	for page := 0; page < 10; page++ {
		l, err := m.Client.List(ctx, append(filter, management.Page(page), management.PerPage(100))...)
		if err != nil {
			t.Fatal(err)
		}
		if l.Total != 5001 || l.Start != page*100 || len(l.Clients) != 100 {
			t.Fatalf("page %d: total %d start %d, %d clients", page, l.Total, l.Start, len(l.Clients))
		}
	}
	_, err := m.Client.List(ctx, append(filter, management.Page(10), management.PerPage(100))...)
	wantMgmtStatus(t, err, 400, "Requesting page 10 exceeds the allowed maximum of 1000 records. To fetch results beyond 1000, use the checkpoint pagination method.")

	seen := map[string]bool{}
	requests := 0
	for from := ""; ; {
		opts := append(filter, management.Take(100))
		if from != "" {
			opts = append(opts, management.From(from))
		}
		l, err := m.Client.ListWithCheckpointPagination(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		requests++
		for _, c := range l.Clients {
			if seen[c.GetClientID()] || c.GetName() == "" || c.Callbacks != nil || c.GetName() == "All Applications" {
				t.Fatalf("client %s listed twice, or not as asked: %s", c.GetClientID(), management.Stringify(c))
			}
			seen[c.GetClientID()] = true
		}
		if l.Next == "" {
			break
		}
		from = l.Next
	}
	if len(seen) != 5001 || requests != 51 {
		t.Fatalf("%d clients in %d requests, want 5001 in 51", len(seen), requests)
	}
}

// TestCheckpointFilters: a checkpoint walk honours app_type, is_global and
// the fields, as pages do.
func TestCheckpointFilters(t *testing.T) {
	s := unlimited(t)
	s.SeedApps(30, "spa")
	s.SeedApps(25, "regular_web")
	tok := tokenFor(t, s, "read:clients")
	walk := func(t *testing.T, query string) []map[string]any {
		t.Helper()
		var out []map[string]any
		for from := ""; ; {
			q := query + "&take=7"
			if from != "" {
				q += "&from=" + from
			}
			r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?"+q, tok, nil)
			var page struct {
				Clients []map[string]any `json:"clients"`
				Next    string           `json:"next"`
			}
			mustUnmarshal(t, r.body, &page)
			out = append(out, page.Clients...)
			if page.Next == "" {
				return out
			}
			from = page.Next
		}
	}
	if got := walk(t, "app_type=spa&fields=client_id,app_type&include_fields=true"); len(got) != 30 ||
		len(got[0]) != 3 || got[0]["app_type"] != "spa" || got[0]["tenant"] != "sandbox" {
		t.Errorf("spa walk: %d clients, first %v", len(got), got[0])
	}
	if got := walk(t, "is_global=true"); len(got) != 1 || got[0]["name"] != "All Applications" {
		t.Errorf("global walk: %v", got)
	}
	got := walk(t, "is_global=false&fields=callbacks&include_fields=false")
	if len(got) != 56 { // 55 seeded and the token's application
		t.Errorf("non-global walk: %d clients, want 56", len(got))
	}
	for _, c := range got {
		if _, ok := c["callbacks"]; ok || c["client_id"] == nil {
			t.Fatalf("include_fields=false kept callbacks or dropped client_id: %v", c)
		}
	}
}

// TestCheckpointHoldsWhileClientsChange: clients created or deleted during
// a checkpoint walk move no other client, so none is repeated or skipped.
func TestCheckpointHoldsWhileClientsChange(t *testing.T) {
	s := unlimited(t)
	s.SeedApps(40, "spa")
	tok := tokenFor(t, s, "read:clients", "delete:clients")
	before := map[string]bool{}
	for _, c := range s.Clients() {
		before[c.ClientID] = true
	}
	seen := map[string]int{}
	deleted := ""
	for from, pages := "", 0; ; pages++ {
		q := "take=10"
		if from != "" {
			q += "&from=" + from
		}
		var page struct {
			Clients []map[string]any `json:"clients"`
			Next    string           `json:"next"`
		}
		mustUnmarshal(t, call(t, http.MethodGet, s.URL()+"/api/v2/clients?"+q, tok, nil).body, &page)
		for _, c := range page.Clients {
			seen[c["client_id"].(string)]++
		}
		if pages == 0 {
			// Delete one already listed (not the global client, which
			// cannot be deleted), add some anywhere in client_id order.
			victim := page.Clients[3]
			if victim["global"] == true {
				victim = page.Clients[4]
			}
			deleted = victim["client_id"].(string)
			if r := call(t, http.MethodDelete, s.URL()+"/api/v2/clients/"+deleted, tok, nil); r.status != http.StatusNoContent {
				t.Fatalf("delete: %d %s", r.status, r.body)
			}
			s.SeedApps(15, "native")
		}
		if page.Next == "" {
			break
		}
		from = page.Next
	}
	for id := range before {
		if seen[id] != 1 {
			t.Errorf("client %s listed %d times, want once", id, seen[id])
		}
	}
	// Clients created meanwhile come once or not at all, by where their id falls.
	for id, n := range seen {
		if n != 1 {
			t.Errorf("client %s listed %d times", id, n)
		}
	}
	if seen[deleted] != 1 {
		t.Errorf("the client deleted after its page was listed %d times", seen[deleted])
	}
}

func TestClientsWithGoAuth0(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	ctx := context.Background()

	app := &management.Client{
		Name:                    auth0.String("OpenMetadata"),
		AppType:                 auth0.String("spa"),
		Callbacks:               &[]string{"http://localhost:8585/callback"},
		WebOrigins:              &[]string{"http://localhost:8585"},
		AllowedLogoutURLs:       &[]string{"http://localhost:8585"},
		ClientMetadata:          &map[string]interface{}{"managed_by": "om-auth0"},
		TokenEndpointAuthMethod: auth0.String("none"),
	}
	if err := m.Client.Create(ctx, app); err != nil {
		t.Fatal(err)
	}
	if !clientIDPattern.MatchString(app.GetClientID()) || !clientSecretPattern.MatchString(app.GetClientSecret()) || app.GetOIDCConformant() {
		t.Fatalf("created %s", management.Stringify(app))
	}
	got, err := m.Client.Read(ctx, app.GetClientID())
	if err != nil {
		t.Fatal(err)
	}
	if got.GetName() != "OpenMetadata" || got.GetClientSecret() != app.GetClientSecret() || (*got.ClientMetadata)["managed_by"] != "om-auth0" {
		t.Fatalf("read %s", management.Stringify(got))
	}
	update := &management.Client{
		TokenEndpointAuthMethod: auth0.String("client_secret_basic"),
		GrantTypes:              &[]string{"authorization_code", "refresh_token", "client_credentials"},
	}
	if err := m.Client.Update(ctx, app.GetClientID(), update); err != nil {
		t.Fatal(err)
	}
	if update.GetName() != "OpenMetadata" || len(update.GetGrantTypes()) != 3 {
		t.Fatalf("update answer %s", management.Stringify(update))
	}
	list, err := m.Client.List(ctx, management.Parameter("app_type", "spa"), management.IncludeFields("client_id", "name"))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Clients) != 1 || list.Clients[0].GetName() != "OpenMetadata" || list.Clients[0].Callbacks != nil {
		t.Fatalf("list %s", management.Stringify(list))
	}
	err = m.Client.Update(ctx, "nope", &management.Client{Name: auth0.String("x")})
	wantMgmtStatus(t, err, 404, "404 Not Found: The client does not exist")
	err = m.Client.Create(ctx, &management.Client{Description: auth0.String("nameless")})
	wantMgmtStatus(t, err, 400, "Missing required property: name")
	// Deleting needs delete:clients, which the wizard holds only to remove its own duplicates.
	id, secret := s.CreateM2MApp("no delete", slices.DeleteFunc(slices.Clone(WizardScopes), func(sc string) bool { return sc == "delete:clients" }))
	err = mgmt(t, s, id, secret).Client.Delete(ctx, app.GetClientID())
	wantMgmtStatus(t, err, 403, "Insufficient scope, expected any of: delete:clients")

	state := s.lookupClientState(app.GetClientID())
	if state.TokenEndpointAuthMethod != "client_secret_basic" || !slices.Contains(state.GrantTypes, "client_credentials") ||
		state.ClientMetadata["managed_by"] != "om-auth0" || !slices.Equal(state.WebOrigins, []string{"http://localhost:8585"}) {
		t.Fatalf("state %+v", state)
	}
}

// TestAdminCallsWithGoAuth0 covers the calls outside the wizard's scopes:
// delete, rotate-secret and checkpoint pagination.
func TestAdminCallsWithGoAuth0(t *testing.T) {
	s := unlimited(t)
	id, secret := s.CreateM2MApp("admin", allScopes(t, s))
	m := mgmt(t, s, id, secret)
	ctx := context.Background()
	s.SeedApps(120, "regular_web")

	var names []string
	for from := ""; ; {
		opts := []management.RequestOption{management.Take(100)}
		if from != "" {
			opts = append(opts, management.From(from))
		}
		l, err := m.Client.ListWithCheckpointPagination(ctx, opts...)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range l.Clients {
			names = append(names, c.GetName())
		}
		if !l.HasNext() {
			break
		}
		from = l.Next
	}
	if len(names) != 122 || !slices.Contains(names, "All Applications") {
		t.Fatalf("%d clients by checkpoint", len(names))
	}

	c := &management.Client{Name: auth0.String("temporary")}
	if err := m.Client.Create(ctx, c); err != nil {
		t.Fatal(err)
	}
	rotated, err := m.Client.RotateSecret(ctx, c.GetClientID())
	if err != nil || rotated.GetClientSecret() == c.GetClientSecret() {
		t.Fatalf("rotate: %v", err)
	}
	g := &management.ClientGrant{ClientID: c.ClientID, Audience: auth0.String(s.Domain().ManagementAudience()), Scope: &[]string{}}
	if err := m.ClientGrant.Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	if err := m.ClientGrant.Delete(ctx, g.GetID()); err != nil {
		t.Fatal(err)
	}
	if err := m.Client.Delete(ctx, c.GetClientID()); err != nil {
		t.Fatal(err)
	}
	_, err = m.Client.Read(ctx, c.GetClientID())
	wantMgmtStatus(t, err, 404, "The client does not exist")
}
