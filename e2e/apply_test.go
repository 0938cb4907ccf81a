package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestSandboxApply is `om-auth0 sandbox` against its simulated OpenMetadata
// 2.0.2 through "Apply to OpenMetadata": Apply now (the sandbox passes its
// admin token, so nothing is asked), the plan and OpenMetadata's validation
// with the question (default No), store, the result; then Done's "c check
// it" finds om.provider ✓ and no check failing. The simulated server's
// stored settings, from the state file, are the rendered ones.
func TestSandboxApply(t *testing.T) {
	needTmux(t)
	dir := fixedTempDir(t)
	bin := buildBinary(t)
	out, state := filepath.Join(dir, "out"), filepath.Join(dir, "state.json")
	cmd := fmt.Sprintf("env -u ACCESSIBLE %s sandbox --out %s --state-file %s; echo EXIT=$?; sleep 600", bin, out, state)
	p := startPane(t, 100, 30, []string{"NO_COLOR=1", "TERM=xterm-256color"}, cmd)
	save := screenSaver(t, p, dir, "")

	walkToApply(p)

	// Apply to OpenMetadata: the sandbox has the admin token, so only the choice is asked.
	save("apply-form", p.wait("● Apply", "┃ Apply the settings to OpenMetadata at", "> Apply now", "Not now — show me the manual steps"))
	p.keys("Enter")
	plan := p.wait("Plan for OpenMetadata 2.0.2 at", "~ provider", "basic → auth0", "✓ OpenMetadata's validation passed",
		"Store these settings in OpenMetadata?", "[No]")
	save("apply-plan", plan)
	p.keys("Left")
	p.wait("[Store]")
	p.keys("Enter")
	save("applied", p.wait("✓ Stored the SSO settings in OpenMetadata at", "✓ Read them back: OpenMetadata runs with the planned settings.",
		`Browser sessions signed in with "basic" end now`))
	p.keys("Enter")

	p.wait("┃ Ingestion-bot JWT (optional)")
	p.keys("Enter")
	p.wait("ingestion/workflow-config.yaml  mode 0")
	p.keys("Enter")
	p.wait(": 2 written (files with a secret")
	p.keys("Enter")
	p.wait("Auth0 SSO for OpenMetadata is set up on tenant", "c check it")
	p.keys("c")
	checked := p.wait("Informational: whatever these checks find, the run ends with exit status 0.", "✓ om.provider", "r re-run the checks")
	save("checked", checked)
	// The rest of the report is below the fold: it scrolls to its summary.
	p.keys("NPage", "NPage")
	rest := p.wait(" ok, 0 warnings, 0 failed, ")
	for _, screen := range []string{checked, rest} {
		if strings.Contains(screen, "✗") || strings.Contains(screen, "\n ! ") {
			t.Errorf("a check failed or warned after the apply:\n%s", screen)
		}
	}
	p.keys("Enter")
	p.wait("EXIT=0")

	answers, err := os.ReadFile(filepath.Join(out, "answers.yaml"))
	if err != nil || !strings.Contains(string(answers), "\napply: true\n") {
		t.Errorf("answers.yaml does not record the choice (%v):\n%s", err, answers)
	}
	checkStoredSettings(t, state)
}

// checkStoredSettings compares the simulated OpenMetadata's stored settings
// (the state file) with the tenant's application and the answers.
func checkStoredSettings(t *testing.T, statePath string) {
	t.Helper()
	raw, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Clients []struct {
			ClientID, Name string
			Callbacks      []string
		}
		Settings struct {
			Authn struct {
				Provider, ClientID, Authority, CallbackURL, ClientType string
				PublicKeyURLs                                          []string
			} `json:"authenticationConfiguration"`
			Authz struct {
				AdminPrincipals []string
				PrincipalDomain string
			} `json:"authorizerConfiguration"`
		} `json:"openmetadata_settings"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		t.Fatalf("state file: %v", err)
	}
	i := slices.IndexFunc(st.Clients, func(c struct {
		ClientID, Name string
		Callbacks      []string
	}) bool {
		return c.Name == "OpenMetadata"
	})
	if i < 0 || len(st.Clients[i].Callbacks) != 1 {
		t.Fatalf("no UI application in the tenant: %+v", st.Clients)
	}
	ui, omURL := st.Clients[i], strings.TrimSuffix(st.Clients[i].Callbacks[0], "/callback")
	a := st.Settings.Authn
	if a.Provider != "auth0" || a.ClientID != ui.ClientID || a.CallbackURL != omURL+"/callback" || a.ClientType != "public" ||
		!strings.HasPrefix(a.Authority, "http://127.0.0.1:") {
		t.Errorf("stored authentication settings: %+v (application %s, OpenMetadata %s)", a, ui.ClientID, omURL)
	}
	if len(a.PublicKeyURLs) != 2 || a.PublicKeyURLs[0] != a.Authority+"/.well-known/jwks.json" || a.PublicKeyURLs[1] != omURL+"/api/v1/system/config/jwks" {
		t.Errorf("stored publicKeyUrls %q: want the tenant's JWKS and OpenMetadata's own", a.PublicKeyURLs)
	}
	if z := st.Settings.Authz; !slices.Equal(z.AdminPrincipals, []string{"alice"}) || z.PrincipalDomain != "acme.com" {
		t.Errorf("stored authorizer settings: %+v", z)
	}
}
