package omsim

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"
)

const patchType = "application/json-patch+json"

func TestPatch(t *testing.T) {
	ten := newTenant(t)
	cfg := func(om string) SecurityConfig {
		return Auth0Public(ten.tenant.URL(), ten.spa, om, []string{"alice"}, "acme.com")
	}
	for _, version := range []string{"2.0.2", "2.1.0"} {
		t.Run(version, func(t *testing.T) {
			s := NewTest(t, Options{Version: version, Deployment: cfg})
			u := s.URL() + securityPath

			a := call(t, "PATCH", u, s.AdminToken(), patchType, `[{"op":"replace","path":"/authorizerConfiguration/principalDomain","value":"acme.org"},{"op":"add","path":"/authorizerConfiguration/adminPrincipals/-","value":"bob"}]`)
			if a.status != 204 || len(a.body) != 0 {
				t.Fatalf("patch: %d %s", a.status, a.body)
			}
			if z := s.Settings().Authorizer; z.PrincipalDomain != "acme.org" || !slices.Equal(z.AdminPrincipals, []string{"alice", "bob"}) {
				t.Fatalf("stored %+v", z)
			}

			// A patch whose result fails validation is refused with the
			// validation response and changes nothing.
			before := string(s.SettingsJSON())
			a = call(t, "PATCH", u, s.AdminToken(), patchType, `[{"op":"replace","path":"/authenticationConfiguration/clientId","value":"nobody"}]`)
			var res ValidationResponse
			if err := json.Unmarshal(a.body, &res); a.status != 400 || err != nil || res.Status != "failed" {
				t.Fatalf("invalid patch: %d %s", a.status, a.body)
			}
			if (version == "2.1.0") != (len(res.Errors) == 1 && res.Errors[0].Field == fieldClientID) {
				t.Fatalf("response shape: %s", a.body)
			}
			if string(s.SettingsJSON()) != before {
				t.Fatal("a refused patch changed the settings")
			}

			wantError(t, call(t, "PATCH", u, s.AdminToken(), jsonType, `[]`), 415, "HTTP 415 Unsupported Media Type")
			wantError(t, call(t, "PATCH", u, s.AdminToken(), patchType, `{"op":"x"}`), 400, "Unable to process JSON")
			a = call(t, "PATCH", u, s.AdminToken(), patchType, `[{"op":"remove","path":"/authenticationConfiguration/nothing"}]`)
			if a.status != 400 || !strings.HasPrefix(a.json(t)["message"].(string), "Invalid JSON Patch: ") {
				t.Fatalf("bad patch: %d %s", a.status, a.body)
			}
			wantError(t, call(t, "PATCH", u, s.UserToken("bob"), patchType, `[]`), 403, "Principal: CatalogPrincipal{name='bob'} is not admin")
		})
	}
}

func TestApplyPatch(t *testing.T) {
	doc := func() object {
		o, _ := decodeObject([]byte(`{"a":{"b":1,"list":["x","y"]},"c":"d"}`))
		return o
	}
	for _, tc := range []struct {
		name, ops, want, err string
	}{
		{"replace", `[{"op":"replace","path":"/a/b","value":2}]`, `{"a":{"b":2,"list":["x","y"]},"c":"d"}`, ""},
		{"add to object", `[{"op":"add","path":"/a/n","value":null}]`, `{"a":{"b":1,"list":["x","y"],"n":null},"c":"d"}`, ""},
		{"append", `[{"op":"add","path":"/a/list/-","value":"z"}]`, `{"a":{"b":1,"list":["x","y","z"]},"c":"d"}`, ""},
		{"insert", `[{"op":"add","path":"/a/list/0","value":"w"}]`, `{"a":{"b":1,"list":["w","x","y"]},"c":"d"}`, ""},
		{"remove element", `[{"op":"remove","path":"/a/list/0"}]`, `{"a":{"b":1,"list":["y"]},"c":"d"}`, ""},
		{"remove field", `[{"op":"remove","path":"/c"}]`, `{"a":{"b":1,"list":["x","y"]}}`, ""},
		{"move", `[{"op":"move","from":"/c","path":"/e"}]`, `{"a":{"b":1,"list":["x","y"]},"e":"d"}`, ""},
		{"copy", `[{"op":"copy","from":"/a/b","path":"/f"}]`, `{"a":{"b":1,"list":["x","y"]},"c":"d","f":1}`, ""},
		{"test passes", `[{"op":"test","path":"/c","value":"d"}]`, `{"a":{"b":1,"list":["x","y"]},"c":"d"}`, ""},
		{"escaped pointer", `[{"op":"add","path":"/a~1b~0c","value":1}]`, `{"a":{"b":1,"list":["x","y"]},"a/b~c":1,"c":"d"}`, ""},
		{"test fails", `[{"op":"test","path":"/c","value":"e"}]`, "", "test failed"},
		{"replace missing", `[{"op":"replace","path":"/z","value":1}]`, "", "no field"},
		{"index out of range", `[{"op":"add","path":"/a/list/5","value":1}]`, "", "bad array index"},
		{"no value", `[{"op":"add","path":"/z"}]`, "", "has no value"},
		{"unknown op", `[{"op":"frob","path":"/z"}]`, "", "unknown op"},
		{"not a pointer", `[{"op":"remove","path":"c"}]`, "", "not a JSON pointer"},
		{"whole document", `[{"op":"replace","path":"","value":[1]}]`, "", "cannot remove the whole document"},
		{"root becomes a list", `[{"op":"add","path":"","value":[1]}]`, "", "non-object"},
		{"all or nothing", `[{"op":"remove","path":"/c"},{"op":"remove","path":"/c"}]`, "", "operation 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ops []patchOp
			if err := json.Unmarshal([]byte(tc.ops), &ops); err != nil {
				t.Fatal(err)
			}
			d := doc()
			got, err := applyPatch(d, ops)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want %q", err, tc.err)
				}
			} else if err != nil || string(mustJSON(got)) != tc.want {
				t.Fatalf("got %s (%v), want %s", mustJSON(got), err, tc.want)
			}
			if string(mustJSON(d)) != string(mustJSON(doc())) {
				t.Fatalf("the input changed: %s", mustJSON(d))
			}
		})
	}
}

// stale is the situation of issue #31786: new files (Auth0) on a server
// whose database still holds the basic settings.
func stale(ten *tenantApps) (deploy, stored func(string) SecurityConfig) {
	deploy = func(om string) SecurityConfig {
		return Auth0Public(ten.tenant.URL(), ten.spa, om, []string{"alice"}, "acme.com")
	}
	return deploy, FreshInstall
}

func TestDatabaseWinsOverFilesBefore21(t *testing.T) {
	ten := newTenant(t)
	deploy, stored := stale(ten)
	s := NewTest(t, Options{Version: "2.0.2", Deployment: deploy, Stored: stored})
	if p := s.Settings().Authentication.Provider; p != "basic" {
		t.Fatalf("provider %q: the stored rows must win", p)
	}
	s.Restart()
	if p := s.Settings().Authentication.Provider; p != "basic" {
		t.Fatalf("after a restart: %q; rows are seeded once only", p)
	}
	if d := s.Deployment().Authentication; d.Provider != "auth0" || d.ClientID != ten.spa {
		t.Fatalf("deployment %+v", d)
	}
	// The documented remedy: remove the rows, restart.
	s.RemoveStored()
	s.Restart()
	if c := s.Settings().Authentication; c.Provider != "auth0" || c.ClientID != ten.spa {
		t.Fatalf("after remove-security-config and a restart: %+v", c)
	}
	if err := s.SetStored(FreshInstall(s.URL())); err != nil || s.Settings().Authentication.Provider != "basic" {
		t.Fatalf("SetStored: %v", err)
	}
}

func TestFilesOnlyBefore110(t *testing.T) {
	s := NewTest(t, Options{Version: "1.6.4"})
	if err := s.SetStored(FreshInstall(s.URL())); err == nil {
		t.Fatal("SetStored on 1.6")
	}
	s.SetDeployment(Auth0Public("https://acme.us.auth0.com", "abc", s.URL(), []string{"alice"}, "acme.com"))
	if p := s.Settings().Authentication.Provider; p != "basic" {
		t.Fatalf("files changed without a restart: %q", p)
	}
	s.Restart()
	if p := s.Settings().Authentication.Provider; p != "auth0" {
		t.Fatalf("after a restart: %q", p)
	}
	if err := s.SetSourceMode(ModeEnv); err == nil {
		t.Fatal("source mode on 1.6")
	}
}

func TestConfigAuthByVersion(t *testing.T) {
	deploy := func(om string) SecurityConfig {
		return Auth0Confidential("https://acme.us.auth0.com", "files-id", "s3cret", om, []string{"alice"}, "acme.com")
	}
	for _, tc := range []struct {
		version, clientID string
		restricted        bool
	}{
		{"1.6.4", "files-id", false},
		{"1.12.6", "files-id", false}, // issue #29597: the files, not the database
		{"1.13.0", "db-id", false},
		{"2.0.10", "db-id", true},
		{"2.1.0", "db-id", true},
	} {
		t.Run(tc.version, func(t *testing.T) {
			s := NewTest(t, Options{Version: tc.version, Deployment: deploy})
			if s.version.settingsInDatabase() {
				c := s.Settings()
				c.Authentication.ClientID = "db-id"
				if err := s.SetStored(c); err != nil {
					t.Fatal(err)
				}
			}
			a := call(t, "GET", s.URL()+"/api/v1/system/config/auth", "", "", nil)
			m := a.json(t)
			if a.status != 200 || m["clientId"] != tc.clientID || m["provider"] != "auth0" || m["clientType"] != "confidential" || m["callbackUrl"] != s.URL()+"/callback" {
				t.Fatalf("%d %s", a.status, a.body)
			}
			if _, ok := m["oidcConfiguration"]; ok || strings.Contains(string(a.body), "s3cret") {
				t.Fatalf("OIDC details served: %s", a.body)
			}
			keys, _ := m["publicKeyUrls"].([]any)
			if tc.restricted {
				// Not copied: the schema's defaults instead of the real values.
				if len(keys) != 0 || m["responseType"] != "id_token" {
					t.Fatalf("restricted copy: %s", a.body)
				}
			} else if len(keys) != 2 || m["responseType"] != "code" {
				t.Fatalf("whole object: %s", a.body)
			}
		})
	}
}

func TestSettingsSource(t *testing.T) {
	ten := newTenant(t)
	deploy, _ := stale(ten)
	storedClientID := func(om string) SecurityConfig {
		c := deploy(om)
		c.Authentication.ClientID = "set-in-the-ui"
		c.Authentication.EnableSelfSignup = false
		return c
	}
	source := func(t *testing.T, s *Server) []SettingSource {
		t.Helper()
		a := call(t, "GET", s.URL()+sourcePath, s.AdminToken(), "", nil)
		var body struct{ Settings []SettingSource }
		if err := json.Unmarshal(a.body, &body); a.status != 200 || err != nil || len(body.Settings) != 2 {
			t.Fatalf("%d %s", a.status, a.body)
		}
		return body.Settings
	}

	t.Run("AUTO: the database overrides fields", func(t *testing.T) {
		s := NewTest(t, Options{Version: "2.1.0", Deployment: deploy, Stored: storedClientID})
		st := source(t, s)
		authn := st[0]
		want := []OverriddenField{{"/clientId", "AUTHENTICATION_CLIENT_ID"}, {"/enableSelfSignup", "AUTHENTICATION_ENABLE_SELF_SIGNUP"}}
		if authn.ConfigType != "authenticationConfiguration" || authn.Source != ModeAuto || authn.SourceVariable != "SECURITY_CONFIG_SOURCE" ||
			!authn.Editable || len(authn.ManagedPaths) != 0 || !slices.Equal(authn.OverriddenFields, want) {
			t.Fatalf("%+v", authn)
		}
		if z := st[1]; z.ConfigType != "authorizerConfiguration" || len(z.OverriddenFields) != 0 {
			t.Fatalf("%+v", z)
		}
		// A restart keeps what the API set.
		s.Restart()
		if s.Settings().Authentication.ClientID != "set-in-the-ui" {
			t.Fatal("AUTO applied the files over an API change")
		}

		u := s.URL() + sourcePath + "/authenticationConfiguration/adopt"
		a := call(t, "POST", u, s.AdminToken(), jsonType, map[string]any{"paths": []string{"/clientId"}})
		var got SettingSource
		if err := json.Unmarshal(a.body, &got); a.status != 200 || err != nil || len(got.OverriddenFields) != 1 || got.OverriddenFields[0].Path != "/enableSelfSignup" {
			t.Fatalf("adopt /clientId: %d %s", a.status, a.body)
		}
		if c := s.Settings().Authentication; c.ClientID != ten.spa || c.EnableSelfSignup {
			t.Fatalf("after adopting /clientId: %+v", c)
		}
		a = call(t, "POST", u, s.AdminToken(), "", nil)
		if err := json.Unmarshal(a.body, &got); a.status != 200 || err != nil || len(got.OverriddenFields) != 0 {
			t.Fatalf("adopt all: %d %s", a.status, a.body)
		}
		if !s.Settings().Authentication.EnableSelfSignup {
			t.Fatal("adopt all left a field")
		}
		wantError(t, call(t, "POST", u, s.AdminToken(), jsonType, map[string]any{"paths": []string{"/clientId"}}), 400,
			"/clientId is not a field the database overrides in authenticationConfiguration")
		wantError(t, call(t, "POST", s.URL()+sourcePath+"/bogus/adopt", s.AdminToken(), "", nil), 400, "Unknown config type: bogus")
		wantError(t, call(t, "POST", s.URL()+sourcePath+"/emailConfiguration/adopt", s.AdminToken(), "", nil), 400, "emailConfiguration is not in the deployment configuration")
		wantError(t, call(t, "POST", u, s.UserToken("bob"), "", nil), 403, "Principal: CatalogPrincipal{name='bob'} is not admin")
		wantError(t, call(t, "GET", s.URL()+sourcePath, s.UserToken("bob"), "", nil), 403, "Principal: CatalogPrincipal{name='bob'} is not admin")
	})

	t.Run("AUTO: files changed since the last start apply unless the API changed them", func(t *testing.T) {
		s := NewTest(t, Options{Version: "2.1.0", Deployment: deploy})
		c := s.Settings()
		c.Authentication.ClientID = "from-the-api"
		if a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, c); a.status != 200 {
			t.Fatalf("put: %d %s", a.status, a.body)
		}
		files := s.Deployment()
		files.Authentication.ClientID = "new-in-files"
		files.Authorizer.PrincipalDomain = "acme.org"
		s.SetDeployment(files)
		s.Restart()
		got := s.Settings()
		if got.Authentication.ClientID != "from-the-api" || got.Authorizer.PrincipalDomain != "acme.org" {
			t.Fatalf("after restart: clientId %q principalDomain %q", got.Authentication.ClientID, got.Authorizer.PrincipalDomain)
		}
	})

	t.Run("adopt refuses to mix providers", func(t *testing.T) {
		s := NewTest(t, Options{Version: "2.1.0", Deployment: deploy, Stored: FreshInstall})
		a := call(t, "POST", s.URL()+sourcePath+"/authenticationConfiguration/adopt", s.AdminToken(), jsonType, map[string]any{"paths": []string{"/clientId"}})
		if a.status != 400 || !strings.Contains(a.json(t)["message"].(string), "would mix two identity providers") {
			t.Fatalf("%d %s", a.status, a.body)
		}
		if s.Settings().Authentication.ClientID != "" {
			t.Fatal("a refused adopt changed the settings")
		}
		a = call(t, "POST", s.URL()+sourcePath+"/authenticationConfiguration/adopt", s.AdminToken(), "", nil)
		if a.status != 200 || s.Settings().Authentication.Provider != "auth0" {
			t.Fatalf("adopt all: %d %s", a.status, a.body)
		}
	})

	t.Run("ENV: the files own the settings", func(t *testing.T) {
		s := NewTest(t, Options{Version: "2.1.0", Deployment: deploy, Stored: storedClientID, SourceMode: "env"})
		if c := s.Settings().Authentication; c.ClientID != ten.spa {
			t.Fatalf("ENV start kept the stored value: %+v", c)
		}
		authn := source(t, s)[0]
		if authn.Source != ModeEnv || authn.Editable || len(authn.OverriddenFields) != 0 || !slices.Contains(authn.ManagedPaths, "/clientId") {
			t.Fatalf("%+v", authn)
		}
		c := s.Settings()
		c.Authentication.ClientID = "x"
		wantError(t, call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, c), 409, envConflict("authenticationConfiguration", "/clientId"))
		wantError(t, call(t, "PATCH", s.URL()+securityPath, s.AdminToken(), patchType, `[{"op":"replace","path":"/authenticationConfiguration/clientId","value":"x"}]`), 409,
			"authenticationConfiguration is managed by the deployment configuration (SECURITY_CONFIG_SOURCE=ENV), so /clientId cannot be changed here. Change the configuration file or environment and restart the server.")
		wantError(t, call(t, "POST", s.URL()+sourcePath+"/authenticationConfiguration/adopt", s.AdminToken(), "", nil), 409, envConflict("authenticationConfiguration", "/"))
		if s.Settings().Authentication.ClientID != ten.spa {
			t.Fatal("a refused write changed the settings")
		}
		// Back to AUTO at the next start.
		if err := s.SetSourceMode(ModeAuto); err != nil {
			t.Fatal(err)
		}
		s.Restart()
		if a := call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, c); a.status != 200 {
			t.Fatalf("AUTO put: %d %s", a.status, a.body)
		}
	})

	t.Run("DB: the files only fill missing fields", func(t *testing.T) {
		s := NewTest(t, Options{Version: "2.1.0", Deployment: deploy, Stored: storedClientID, SourceMode: ModeDB})
		files := s.Deployment()
		files.Authorizer.AllowedDomains = []string{"acme.com"}
		s.SetDeployment(files)
		s.Restart()
		got := s.Settings()
		// The rows hold a clientId and no allowedDomains.
		if got.Authentication.ClientID != "set-in-the-ui" || !slices.Equal(got.Authorizer.AllowedDomains, []string{"acme.com"}) {
			t.Fatalf("%+v", got)
		}
		if src := source(t, s)[0]; src.Source != ModeDB || !src.Editable {
			t.Fatalf("%+v", src)
		}
	})
}

func TestFaults(t *testing.T) {
	s := NewTest(t, Options{})
	catcher := NewTest(t, Options{})
	s.InjectFault(Fault{Method: "GET", Path: "/api/v1/system/version", Status: 503})
	s.InjectFault(Fault{Path: "/api/v1/system/config/*", Nth: 2, RedirectTo: catcher.URL() + securityPath})
	s.InjectFault(Fault{Path: securityPath, Latency: 50 * time.Millisecond})

	wantError(t, call(t, "GET", s.URL()+"/api/v1/system/version", "", "", nil), 503, "Service Unavailable")
	if a := call(t, "GET", s.URL()+"/api/v1/system/version", "", "", nil); a.status != 200 {
		t.Fatalf("a fault fires once: %d", a.status)
	}
	if a := call(t, "GET", s.URL()+jwksPath, "", "", nil); a.status != 200 {
		t.Fatalf("first config request: %d", a.status)
	}
	// Go's client follows the redirect and, the host being the same but for
	// the port, carries the token along: the catcher's log shows it (as
	// invalid: it is another server's).
	start := time.Now()
	a := call(t, "GET", s.URL()+"/api/v1/system/config/auth", s.AdminToken(), "", nil)
	if a.status != 401 {
		t.Fatalf("redirected: %d %s", a.status, a.body)
	}
	if got := catcher.Requests(); len(got) != 1 || got[0].Path != securityPath || got[0].Credential != "invalid" {
		t.Fatalf("catcher saw %+v", got)
	}
	if a := call(t, "GET", s.URL()+securityPath, s.AdminToken(), "", nil); a.status != 200 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("latency: %d after %s", a.status, time.Since(start))
	}
	log := s.Requests()
	var statuses []int
	for _, r := range log {
		statuses = append(statuses, r.Status)
	}
	if !slices.Equal(statuses, []int{503, 200, 200, 307, 200}) {
		t.Fatalf("logged statuses %v", statuses)
	}
	s.ResetRequests()
	if len(s.Requests()) != 0 {
		t.Fatal("log not reset")
	}

	// A concurrent writer's 412 (2.1) and a failed reload's 500, on demand;
	// neither changes the settings.
	before := string(s.SettingsJSON())
	s.InjectFault(Fault{Method: "PATCH", Path: securityPath, Status: 412})
	s.InjectFault(Fault{Method: "PUT", Path: securityPath, Status: 500})
	wantError(t, call(t, "PATCH", s.URL()+securityPath, s.AdminToken(), patchType, `[]`), 412, "Precondition Failed")
	wantError(t, call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, Auth0Public("https://a.auth0.com", "x", s.URL(), []string{"a"}, "a.com")), 500, "Internal Server Error")
	if string(s.SettingsJSON()) != before {
		t.Fatal("a failed request changed the settings")
	}
}

func TestRequestLogHidesSecrets(t *testing.T) {
	s := NewTest(t, Options{Version: "2.1.0"})
	cfg := Auth0Confidential("https://acme.us.auth0.com", "id1", "top-secret-value", s.URL(), []string{"alice"}, "acme.com")
	call(t, "POST", s.URL()+validatePath, s.AdminToken(), jsonType, cfg)
	call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, cfg)
	call(t, "PATCH", s.URL()+securityPath, s.AdminToken(), patchType, `[{"op":"replace","path":"/authenticationConfiguration/oidcConfiguration/secret","value":"top-secret-value"}]`)
	call(t, "PUT", s.URL()+securityPath, s.AdminToken(), jsonType, "not json top-secret-value")
	log := s.Requests()
	if len(log) != 4 {
		t.Fatalf("%+v", log)
	}
	for _, r := range log {
		if strings.Contains(r.Body, "top-secret-value") || r.Body == "" {
			t.Fatalf("logged body %q", r.Body)
		}
		if r.Credential != "token" || r.User != "admin" {
			t.Fatalf("credential %+v", r)
		}
	}
	if !strings.Contains(log[0].Body, `"secret":"`+Mask+`"`) || !strings.Contains(log[2].Body, `"value":"`+Mask+`"`) || log[3].Body != "(25 bytes, not JSON)" {
		t.Fatalf("%q\n%q\n%q", log[0].Body, log[2].Body, log[3].Body)
	}
}
