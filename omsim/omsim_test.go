package omsim

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	securityPath = "/api/v1/system/security/config"
	validatePath = "/api/v1/system/security/validate"
	sourcePath   = "/api/v1/system/settings/source"
)

func TestStartRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		want string
	}{
		{"not a version", Options{Version: "2.0"}, "is not MAJOR.MINOR.PATCH"},
		{"too old", Options{Version: "0.13.2"}, "older than 1.0"},
		{"source mode before 2.1", Options{Version: "2.0.2", SourceMode: "ENV"}, "needs OpenMetadata 2.1"},
		{"unknown mode", Options{Version: "2.1.0", SourceMode: "FILES"}, "is not AUTO, ENV or DB"},
		{"stored rows before 1.10", Options{Version: "1.6.4", Stored: FreshInstall}, "keeps no settings in its database"},
		{"non-loopback address", Options{Addr: "0.0.0.0:0"}, "not a loopback address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Start(tc.opts)
			if err == nil {
				_ = s.Close()
				t.Fatal("started")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestPublicEndpointsNeedNoToken(t *testing.T) {
	for _, v := range []string{"1.6.4", "1.10.5", "2.0.2", "2.0.10", "2.1.0"} {
		t.Run(v, func(t *testing.T) {
			s := NewTest(t, Options{Version: v})
			a := call(t, "GET", s.URL()+"/api/v1/system/version", "", "", nil)
			var ver struct {
				Version   string
				Revision  string
				Timestamp int64
			}
			if err := json.Unmarshal(a.body, &ver); a.status != 200 || err != nil || ver.Version != v || ver.Revision == "" || ver.Timestamp == 0 {
				t.Fatalf("version: %d %s", a.status, a.body)
			}

			a = call(t, "GET", s.URL()+jwksPath, "", "", nil)
			var keys struct {
				Keys []struct{ Kty, Kid, N, E, Alg string }
			}
			if err := json.Unmarshal(a.body, &keys); a.status != 200 || err != nil || len(keys.Keys) != 1 ||
				keys.Keys[0].Kid != keyID || keys.Keys[0].Kty != "RSA" || keys.Keys[0].N == "" || keys.Keys[0].Alg != "RS256" {
				t.Fatalf("jwks: %d %s", a.status, a.body)
			}

			a = call(t, "GET", s.URL()+"/api/v1/system/config/auth", "", "", nil)
			if a.status != 200 || a.json(t)["provider"] != "basic" {
				t.Fatalf("config/auth: %d %s", a.status, a.body)
			}
			a = call(t, "GET", s.URL()+"/api/v1/system/config/authorizer", "", "", nil)
			if a.status != 200 || string(a.body) != `{"principalDomain":"open-metadata.org"}` {
				t.Fatalf("config/authorizer: %d %s", a.status, a.body)
			}
			if a := call(t, "GET", s.URL()+"/api/v1/system/health", "", "", nil); a.status != 200 || string(a.body) != "OK" {
				t.Fatalf("health: %d %s", a.status, a.body)
			}
		})
	}
}

// The security endpoints exist from 1.10 and the settings-source ones from
// 2.1; older servers answer 404 whatever the token.
func TestEndpointsByVersion(t *testing.T) {
	type probe struct {
		method, path, ctype, body string
	}
	get := probe{"GET", securityPath, "", ""}
	validate := probe{"POST", validatePath, jsonType, string(mustJSON(FreshInstall("http://om.example.com")))}
	source := probe{"GET", sourcePath, "", ""}
	adopt := probe{"POST", sourcePath + "/authenticationConfiguration/adopt", jsonType, ""}
	for _, tc := range []struct {
		version string
		want    map[probe]int
	}{
		{"1.6.4", map[probe]int{get: 404, validate: 404, source: 404, adopt: 404}},
		{"1.9.9", map[probe]int{get: 404, validate: 404, source: 404, adopt: 404}},
		{"1.10.0", map[probe]int{get: 200, validate: 200, source: 404, adopt: 404}},
		{"2.0.2", map[probe]int{get: 200, validate: 200, source: 404, adopt: 404}},
		{"2.1.0", map[probe]int{get: 200, validate: 200, source: 200, adopt: 200}},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := NewTest(t, Options{Version: tc.version})
			for p, want := range tc.want {
				a := call(t, p.method, s.URL()+p.path, s.AdminToken(), p.ctype, p.body)
				if want == 404 {
					wantError(t, a, 404, "HTTP 404 Not Found")
					// Jersey matches the resource before JwtFilter runs.
					wantError(t, call(t, p.method, s.URL()+p.path, "", p.ctype, p.body), 404, "HTTP 404 Not Found")
					continue
				}
				if a.status != want {
					t.Fatalf("%s %s: %d, want %d: %s", p.method, p.path, a.status, want, a.body)
				}
			}
		})
	}
}

func TestUnknownPathAndMethod(t *testing.T) {
	s := NewTest(t, Options{})
	wantError(t, call(t, "GET", s.URL()+"/api/v1/nothing", "", "", nil), 404, "HTTP 404 Not Found")
	wantError(t, call(t, "DELETE", s.URL()+securityPath, s.AdminToken(), "", nil), 405, "HTTP 405 Method Not Allowed")
	wantError(t, call(t, "POST", s.URL()+"/api/v1/system/version", "", "", nil), 405, "HTTP 405 Method Not Allowed")
}

func TestAdminAuthentication(t *testing.T) {
	s := NewTest(t, Options{Version: "2.0.2"})
	expired := s.personalToken("admin")
	expired.ExpiresAt = jwt.NewNumericDate(time.Now().Add(-time.Minute))
	expiredTok, err := s.key.sign(expired)
	if err != nil {
		t.Fatal(err)
	}
	foreign := s.personalToken("admin")
	foreign.Issuer = "someone-else"
	foreignTok, err := s.key.sign(foreign)
	if err != nil {
		t.Fatal(err)
	}
	ghost, err := s.key.sign(s.personalToken("ghost"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, header string
		status       int
		message      string
	}{
		{"no token", "", 401, msgNoToken},
		{"not bearer", "Basic YWRtaW46YWRtaW4=", 401, msgNoToken},
		{"empty bearer", "Bearer ", 401, msgNoToken},
		{"garbage", "Bearer not-a-jwt", 401, msgInvalidToken},
		{"tampered", "Bearer " + s.AdminToken() + "x", 401, msgInvalidToken},
		{"expired", "Bearer " + expiredTok, 401, msgExpiredToken},
		{"other issuer", "Bearer " + foreignTok, 401, msgInvalidToken},
		{"unknown user", "Bearer " + ghost, 401, msgInvalidToken},
		{"not an admin", "Bearer " + s.UserToken("bob"), 403, "Principal: CatalogPrincipal{name='bob'} is not admin"},
		{"admin", "Bearer " + s.AdminToken(), 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("GET", s.URL()+securityPath, nil)
			if tc.header != "" {
				req.Header.Set("Authorization", tc.header)
			}
			resp, err := httpClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var e errorBody
			_ = json.NewDecoder(resp.Body).Decode(&e)
			if resp.StatusCode != tc.status || (tc.message != "" && e.Message != tc.message) {
				t.Fatalf("%d %q, want %d %q", resp.StatusCode, e.Message, tc.status, tc.message)
			}
		})
	}
}

// A user named in adminPrincipals is an admin only after a start.
func TestAdminPrincipalsNeedARestart(t *testing.T) {
	s := NewTest(t, Options{Version: "2.0.2"})
	carol := s.UserToken("carol")
	if a := call(t, "GET", s.URL()+securityPath, carol, "", nil); a.status != 403 {
		t.Fatalf("before: %d", a.status)
	}
	c := s.Settings()
	c.Authorizer.AdminPrincipals = []string{"admin", "Carol"}
	if a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, c); a.status != 200 {
		t.Fatalf("put: %d %s", a.status, a.body)
	}
	if a := call(t, "GET", s.URL()+securityPath, carol, "", nil); a.status != 403 {
		t.Fatalf("after the save, before a restart: %d", a.status)
	}
	s.Restart()
	if a := call(t, "GET", s.URL()+securityPath, carol, "", nil); a.status != 200 {
		t.Fatalf("after a restart: %d %s", a.status, a.body)
	}
}

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func TestLogin(t *testing.T) {
	s := NewTest(t, Options{Version: "2.0.2"})
	login := s.URL() + "/api/v1/users/login"
	for _, tc := range []struct {
		name    string
		body    any
		ctype   string
		status  int
		message string
	}{
		{"plain password", map[string]string{"email": DefaultAdminEmail, "password": "admin!"}, jsonType, 400, msgBase64},
		{"wrong password", map[string]string{"email": DefaultAdminEmail, "password": b64("nope")}, jsonType, 401, msgBadLogin},
		{"unknown user", map[string]string{"email": "eve@open-metadata.org", "password": b64("admin")}, jsonType, 401, msgBadLogin},
		{"no password", map[string]string{"email": DefaultAdminEmail}, jsonType, 400, "[password must not be null]"},
		{"not JSON", "email=admin", jsonType, 400, "Unable to process JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, call(t, "POST", login, "", tc.ctype, tc.body), tc.status, tc.message)
		})
	}

	a := call(t, "POST", login, "", jsonType, map[string]string{"email": DefaultAdminEmail, "password": b64(DefaultAdminPassword)})
	var tok jwtResponse
	if err := json.Unmarshal(a.body, &tok); a.status != 200 || err != nil || tok.TokenType != "Bearer" || tok.AccessToken == "" ||
		tok.RefreshToken == "" || tok.ExpiryDuration <= time.Now().UnixMilli() {
		t.Fatalf("login: %d %s", a.status, a.body)
	}
	if a := call(t, "GET", s.URL()+securityPath, tok.AccessToken, "", nil); a.status != 200 {
		t.Fatalf("session token: %d %s", a.status, a.body)
	}

	// Switching to auth0 ends the basic session; the PAT survives, and
	// basic login is no longer offered.
	cfg := Auth0Public("https://acme.us.auth0.com", "abc", s.URL(), []string{"admin"}, "acme.com")
	if a := call(t, "PUT", s.URL()+securityPath, tok.AccessToken, jsonType, cfg); a.status != 200 {
		t.Fatalf("put: %d %s", a.status, a.body)
	}
	wantError(t, call(t, "GET", s.URL()+securityPath, tok.AccessToken, "", nil), 401, msgStaleSession)
	if a := call(t, "GET", s.URL()+securityPath, s.AdminToken(), "", nil); a.status != 200 {
		t.Fatalf("PAT after the switch: %d", a.status)
	}
	wantError(t, call(t, "POST", login, "", jsonType, map[string]string{"email": DefaultAdminEmail, "password": b64(DefaultAdminPassword)}), 403, msgNotSupported)

	log := s.Requests()
	first := log[0]
	if first.Path != "/api/v1/users/login" || strings.Contains(first.Body, "admin!") || !strings.Contains(first.Body, Mask) || first.Credential != "none" {
		t.Fatalf("login log entry %+v", first)
	}
	var sessions, tokens int
	for _, r := range log {
		switch r.Credential {
		case "session":
			sessions++
		case "token":
			tokens++
		}
	}
	if sessions != 3 || tokens != 1 {
		t.Fatalf("credentials logged: %d sessions, %d tokens: %+v", sessions, tokens, log)
	}
}

func TestLoginWithOtherAdminCredentials(t *testing.T) {
	s := NewTest(t, Options{Version: "1.6.4", AdminEmail: "root@acme.com", AdminPassword: "s3cret"})
	email, pw := s.AdminCredentials()
	a := call(t, "POST", s.URL()+"/api/v1/users/login", "", jsonType, map[string]string{"email": email, "password": b64(pw)})
	if a.status != 200 {
		t.Fatalf("%d %s", a.status, a.body)
	}
	wantError(t, call(t, "POST", s.URL()+"/api/v1/users/login", "", jsonType, map[string]string{"email": DefaultAdminEmail, "password": b64(DefaultAdminPassword)}), 401, msgBadLogin)
}

func TestPutSettingsRefusesSecuritySettings(t *testing.T) {
	for _, v := range []string{"1.6.4", "2.0.2", "2.1.0"} {
		t.Run(v, func(t *testing.T) {
			s := NewTest(t, Options{Version: v})
			for _, ct := range settingKeys {
				a := call(t, "PUT", s.URL()+"/api/v1/system/settings", s.AdminToken(), jsonType, map[string]any{"config_type": ct, "config_value": map[string]any{}})
				wantError(t, a, 400, msgSettingsDenied)
			}
			a := call(t, "PUT", s.URL()+"/api/v1/system/settings", s.AdminToken(), jsonType, map[string]any{"config_type": "emailConfiguration", "config_value": map[string]any{}})
			if a.status != 200 {
				t.Fatalf("other setting: %d %s", a.status, a.body)
			}
			wantError(t, call(t, "PUT", s.URL()+"/api/v1/system/settings", "", jsonType, map[string]any{}), 401, msgNoToken)
		})
	}
}

func TestGetMasksSecretsByVersion(t *testing.T) {
	cfg := func(om string) SecurityConfig {
		return Auth0Confidential("https://acme.us.auth0.com", "id1", "real-secret", om, []string{"alice"}, "acme.com")
	}
	for _, v := range []string{"2.0.2", "2.1.0"} {
		t.Run(v, func(t *testing.T) {
			s := NewTest(t, Options{Version: v, Deployment: cfg})
			a := call(t, "GET", s.URL()+securityPath, s.AdminToken(), "", nil)
			var got SecurityConfig
			if err := json.Unmarshal(a.body, &got); a.status != 200 || err != nil || got.Authentication.OIDC.Secret != Mask || got.Authentication.ClientID != "id1" {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if strings.Contains(string(a.body), "real-secret") {
				t.Fatal("secret leaked")
			}
			if s.Settings().Authentication.OIDC.Secret != "real-secret" {
				t.Fatal("stored secret changed by a GET")
			}
		})
	}
}

// Before 2.1 a GET → PUT round trip stores the mask as the secret; 2.1
// keeps the stored one.
func TestPutMaskedSecret(t *testing.T) {
	cfg := func(om string) SecurityConfig {
		return Auth0Confidential("https://acme.us.auth0.com", "id1", "real-secret", om, []string{"alice"}, "acme.com")
	}
	for _, tc := range []struct {
		version, stored string
		echo            bool
	}{
		{"1.10.0", Mask, true},
		{"2.0.2", Mask, true},
		{"2.1.0", "real-secret", false},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := NewTest(t, Options{Version: tc.version, Deployment: cfg})
			got := call(t, "GET", s.URL()+securityPath, s.AdminToken(), "", nil)
			var body map[string]any
			if err := json.Unmarshal(got.body, &body); err != nil {
				t.Fatal(err)
			}
			body["authenticationConfiguration"].(map[string]any)["clientId"] = "id2"
			body["authenticationConfiguration"].(map[string]any)["futureField"] = "kept"
			a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, body)
			if a.status != 200 {
				t.Fatalf("put: %d %s", a.status, a.body)
			}
			st := s.Settings()
			if st.Authentication.OIDC.Secret != tc.stored || st.Authentication.ClientID != "id2" {
				t.Fatalf("stored secret %q clientId %q, want %q", st.Authentication.OIDC.Secret, st.Authentication.ClientID, tc.stored)
			}
			if !strings.Contains(string(s.SettingsJSON()), `"futureField":"kept"`) {
				t.Fatalf("unknown field dropped: %s", s.SettingsJSON())
			}
			var answered SecurityConfig
			_ = json.Unmarshal(a.body, &answered)
			if answered.Authentication.OIDC.Secret != Mask || strings.Contains(string(a.body), "real-secret") {
				t.Fatalf("answer: %s", a.body)
			}
			// Before 2.1 the answer is the request body itself (2.1 answers
			// the masked settings, checked above).
			if tc.echo && string(a.body) != string(mustJSON(body)) {
				t.Fatalf("answer is not the request: %s", a.body)
			}
		})
	}
}

func TestPutRefusesBadBodies(t *testing.T) {
	missing := map[string]any{"authenticationConfiguration": map[string]any{"provider": "auth0"}, "authorizerConfiguration": FreshInstall("http://x").Authorizer}
	badEnum := toObject(FreshInstall("http://x"))
	badEnum["authenticationConfiguration"].(object)["clientType"] = "secret"
	for _, tc := range []struct {
		version string
		body    any
		ctype   string
		status  int
		check   func(t *testing.T, a answer)
	}{
		{"2.0.2", missing, jsonType, 422, func(t *testing.T, a answer) {
			var e struct{ Errors []string }
			if err := json.Unmarshal(a.body, &e); err != nil || !slices.Contains(e.Errors, "authenticationConfiguration.clientId must not be null") || len(e.Errors) != 6 {
				t.Fatalf("%s", a.body)
			}
		}},
		{"2.1.0", missing, jsonType, 400, func(t *testing.T, a answer) {
			if m := a.json(t)["message"].(string); !strings.Contains(m, "authenticationConfiguration.callbackUrl must not be null") {
				t.Fatalf("%s", a.body)
			}
		}},
		{"2.1.0", badEnum, jsonType, 400, func(t *testing.T, a answer) {
			wantError(t, a, 400, "[authenticationConfiguration.clientType must be one of [public, confidential]]")
		}},
		{"2.0.2", map[string]any{"authenticationConfiguration": nil}, jsonType, 422, nil},
		{"2.0.2", "{", jsonType, 400, func(t *testing.T, a answer) { wantError(t, a, 400, "Unable to process JSON") }},
		{"2.0.2", "[]", jsonType, 400, func(t *testing.T, a answer) { wantError(t, a, 400, "Unable to process JSON") }},
		{"2.1.0", FreshInstall("http://x"), "text/plain", 415, func(t *testing.T, a answer) { wantError(t, a, 415, "HTTP 415 Unsupported Media Type") }},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := NewTest(t, Options{Version: tc.version})
			before := string(s.SettingsJSON())
			a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), tc.ctype, tc.body)
			if a.status != tc.status {
				t.Fatalf("%d, want %d: %s", a.status, tc.status, a.body)
			}
			if tc.check != nil {
				tc.check(t, a)
			}
			if string(s.SettingsJSON()) != before {
				t.Fatal("a refused PUT changed the settings")
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	s := NewTest(t, Options{})
	a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, strings.Repeat(" ", maxBody+1))
	wantError(t, a, 413, "HTTP 413 Request Entity Too Large")
}
