package clitest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/sandbox"
)

// parseApply decodes apply --json output, which must be one JSON object and nothing else.
func parseApply(t *testing.T, stdout string) apply.Result {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var res apply.Result
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if rest := strings.TrimSpace(stdout[dec.InputOffset():]); rest != "" {
		t.Fatalf("stdout holds more than the result: %q", rest)
	}
	return res
}

// puts counts the PUTs of the SSO settings OpenMetadata got.
func puts(om *omsim.Server) int {
	n := 0
	for _, r := range om.Requests() {
		if r.Method == http.MethodPut && r.Path == omapi.PathSecurityConfig {
			n++
		}
	}
	return n
}

// `om-auth0 apply` as a script runs it, after `om-auth0 setup`: exit codes,
// --json, and what the simulated OpenMetadata stores.
func TestApplyExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		version    string
		mode       string
		clientType string
		arrange    func(t *testing.T, tn *tenant, om *omsim.Server, uiID string) []string // extra arguments
		noYes      bool
		code       int
		stderr     []string
		check      func(t *testing.T, tn *tenant, om *omsim.Server, uiID string, res apply.Result, r result)
	}{
		{name: "public on 2.0", version: "2.0.2", clientType: "public", code: 0,
			check: func(t *testing.T, tn *tenant, om *omsim.Server, uiID string, res apply.Result, r result) {
				if !res.Applied || !res.Confirmed || res.Validation == nil || !res.Validation.Passed() || len(res.Changes) < 10 {
					t.Errorf("result %+v", res)
				}
				if got := om.Settings().Authentication; got.ClientID != uiID || got.Provider != "auth0" || len(got.PublicKeyURLs) != 2 {
					t.Errorf("stored %+v", got)
				}
			}},
		{name: "confidential on 2.1", version: "2.1.0", clientType: "confidential", code: 0,
			check: func(t *testing.T, tn *tenant, om *omsim.Server, uiID string, res apply.Result, r result) {
				secret := tn.client(t, "OpenMetadata").ClientSecret
				if o := om.Settings().Authentication.OIDC; o == nil || o.Secret != secret || secret == "" {
					t.Errorf("stored oidcConfiguration %+v", o)
				}
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Error("the client secret was printed")
				}
			}},
		// setup gave the application the client-credentials grant type that
		// OpenMetadata's validator needs; one that lost it is sent back to setup.
		{name: "confidential without the client-credentials grant", version: "2.0.2", clientType: "confidential", code: 1,
			arrange: func(t *testing.T, tn *tenant, _ *omsim.Server, uiID string) []string {
				tn.patchClient(t, uiID, `{"grant_types":["authorization_code","refresh_token"]}`)
				return nil
			},
			stderr: []string{"is not as sign-in needs it", "setup would change grant_types", "run om-auth0 setup first"},
			check: func(t *testing.T, _ *tenant, om *omsim.Server, _ string, res apply.Result, _ result) {
				if res.Applied || res.Error == nil || puts(om) != 0 {
					t.Errorf("result %+v, %d PUT(s)", res, puts(om))
				}
			}},
		{name: "OpenMetadata 1.6 reads its files", version: "1.6.4", clientType: "public", code: 2,
			stderr: []string{"OpenMetadata 1.6.4 reads its SSO settings from its configuration files", "restart OpenMetadata"}},
		{name: "deployment owns the settings", version: "2.1.0", mode: omsim.ModeEnv, clientType: "public", code: 1,
			stderr: []string{"SECURITY_CONFIG_SOURCE=ENV", "restart OpenMetadata", "Nothing was stored"}},
		{name: "no terminal and no --yes", version: "2.0.2", clientType: "public", noYes: true, code: 2,
			stderr: []string{"pass --yes"},
			check: func(t *testing.T, _ *tenant, om *omsim.Server, _ string, res apply.Result, r result) {
				if res.Applied || puts(om) != 0 || !strings.Contains(r.stderr, "Plan for OpenMetadata") {
					t.Errorf("result %+v, %d PUT(s)", res, puts(om))
				}
			}},
		{name: "a redirect is not followed", version: "2.0.2", clientType: "public", code: 1,
			arrange: func(t *testing.T, _ *tenant, om *omsim.Server, _ string) []string {
				catcher := sandbox.NewTestCatcher(t)
				om.InjectFault(omsim.Fault{Method: http.MethodPut, Path: omapi.PathSecurityConfig, RedirectTo: catcher.URL() + "/steal"})
				t.Cleanup(func() {
					if len(catcher.Requests()) != 0 || catcher.Saw(om.AdminToken()) {
						t.Errorf("the redirect was followed: %+v", catcher.Requests())
					}
				})
				return nil
			},
			stderr: []string{"a redirect to http://", "does not follow"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tn := newTenant(t)
			om := omsim.NewTest(t, omsim.Options{Version: tc.version, SourceMode: tc.mode})
			dir := t.TempDir()
			r := run(t, dir, tn.env(), "", "setup", "--no-input", "--json", "--om-url", om.URL(), "--client-type", tc.clientType,
				"--admin", "alice@example.com", "--target", "docker", "--out", "out")
			if r.code != 0 {
				t.Fatalf("setup: %v", r)
			}
			uiID := parseResult(t, r.stdout).UIApp.ClientID
			args := []string{"apply", "--out", "out", "--json"}
			if !tc.noYes {
				args = append(args, "--yes")
			}
			if tc.arrange != nil {
				args = append(args, tc.arrange(t, tn, om, uiID)...)
			}
			om.ResetRequests()
			r = run(t, dir, tn.env("OM_ADMIN_TOKEN="+om.AdminToken()), "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d\n%v", r.code, tc.code, r)
			}
			res := parseApply(t, r.stdout)
			if (tc.code == 0) != (res.Error == nil) {
				t.Errorf("error in the result: %+v", res.Error)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(r.stdout+r.stderr, om.AdminToken()) || strings.Contains(r.stdout+r.stderr, tn.secret) {
				t.Error("a credential was printed")
			}
			if tc.check != nil {
				tc.check(t, tn, om, uiID, res, r)
			}
			if tc.code != 0 {
				return
			}
			// Again: nothing to change, nothing stored.
			om.ResetRequests()
			r = run(t, dir, tn.env("OM_ADMIN_TOKEN="+om.AdminToken()), "", args...)
			if res := parseApply(t, r.stdout); r.code != 0 || res.Applied || puts(om) != 0 {
				t.Errorf("second apply: %v, %d PUT(s)", r, puts(om))
			}
		})
	}
}
