package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// TestSandboxCheckIt is `om-auth0 sandbox` against its simulated
// OpenMetadata 2.0.2 (the default URL there) to the Done screen, whose "c
// check it" runs doctor's checks with the simulated server's admin token.
// Nothing applied the new settings to that server, which still runs its
// fresh installation's basic provider: om.provider fails, its fix naming
// om-auth0 apply and the ops script, and the run still exits 0.
func TestSandboxCheckIt(t *testing.T) {
	needTmux(t)
	dir := fixedTempDir(t)
	bin := buildBinary(t)
	out := filepath.Join(dir, "out")
	cmd := fmt.Sprintf("env -u ACCESSIBLE %s sandbox --out %s; echo EXIT=$?; sleep 600", bin, out)
	p := startPane(t, 100, 30, []string{"NO_COLOR=1", "TERM=xterm-256color"}, cmd)
	save := screenSaver(t, p, dir, "")

	walkToApply(p)
	p.wait("┃ Apply the settings to OpenMetadata at", "> Apply now")
	p.keys("Down")
	p.wait("> Not now")
	p.keys("Enter")
	p.wait("┃ Ingestion-bot JWT (optional)")
	p.keys("Enter")
	p.wait("ingestion/workflow-config.yaml  mode 0")
	p.keys("Enter")
	p.wait(": 2 written (files with a secret")
	p.keys("Enter")

	save("done", p.wait("Auth0 SSO for OpenMetadata is set up on tenant", "c check it"))
	p.keys("c")
	checked := p.wait("Informational: whatever these checks find, the run ends with exit status 0.", "✗ om.provider", "r re-run the checks")
	save("checked", checked)
	provider := checkBlock(checked, "om.provider")
	for _, want := range []string{`the provider is "basic"`, "fix:", "om-auth0 apply", "./bootstrap/openmetadata-ops.sh", "remove-security-config --force"} {
		if !strings.Contains(provider, want) {
			t.Errorf("om.provider does not say %q:\n%s", want, provider)
		}
	}
	for _, ok := range []string{"✓ om.reachable", "✓ om.credential", "✓ om.validate"} {
		if !strings.Contains(checked, ok) {
			t.Errorf("the checks lack %q", ok)
		}
	}
	// The Auth0 side is below the fold: the report scrolls.
	p.keys("NPage")
	p.wait("✓ auth0.app ", "✓ auth0.urls ", "1 failed")
	p.keys("Enter")
	p.wait("EXIT=0", "Next steps for ingestion:")
	// The results stay in the scrollback, above the next steps.
	history := p.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", p.target)
	if i, j := strings.Index(history, "✗ om.provider"), strings.Index(history, "Next steps for ingestion:"); i < 0 || j < i ||
		!strings.Contains(history[i:j], "om-auth0 apply") {
		t.Errorf("the check's results are not in the scrollback before the next steps:\n%s", history)
	}
}

// checkBlock is the rows of check id on a screen: its line and the rows
// under it up to the next check's mark.
func checkBlock(screen, id string) string {
	lines := strings.Split(screen, "\n")
	for i, l := range lines {
		if !strings.Contains(l, " "+id+" ") {
			continue
		}
		block := []string{l}
		for _, next := range lines[i+1:] {
			t := strings.TrimSpace(next)
			if t == "" || strings.ContainsAny(t[:1], "✓✗!-") {
				break
			}
			block = append(block, next)
		}
		return strings.Join(block, "\n")
	}
	return ""
}

// walkToApply answers the sandbox wizard with its defaults (a public client,
// no service account, every target, admin alice@acme.com) from Connect until
// the files are written: the next screen is the Apply to OpenMetadata
// question of a 2.0.2 server.
func walkToApply(p *pane) {
	p.t.Helper()
	p.wait("Connected to tenant")
	p.keys("Enter")
	p.wait("┃ OpenMetadata URL", "/callback will be an allowed callback")
	p.keys("Enter")
	p.wait("detected 2.0.2 from /api/v1/system/version", "┃ OpenMetadata version")
	for _, next := range []string{"┃ Client type", "┃ Application\n", "┃ Application name"} {
		p.keys("Enter")
		p.wait(next)
	}
	p.keys("Enter")
	p.wait("┃ Service account", "> Skip")
	p.keys("Enter")
	p.wait("Create in Auth0?")
	p.keys("Enter")
	p.wait("Application ready (created)")
	p.keys("Enter")
	p.wait("● Verify", "All checks passed.")
	p.keys("Enter")
	p.wait("┃ Where does OpenMetadata run?", "> All of them")
	p.keys("Enter")
	p.wait("┃ Admin principals")
	p.typ("alice@acme.com")
	p.keys("Enter")
	p.wait("┃ Principal domain", "┃ > acme.com")
	p.keys("Enter")
	p.wait("w/enter write")
	p.keys("w")
	p.wait(": 3 written (files with a secret")
	p.keys("Enter")
}
