package clitest

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// marked lists the names of the applications marked for url.
func (tn *tenant) marked(url string) []string {
	var out []string
	for _, c := range tn.Clients() {
		if c.ClientMetadata[steps.MarkerOMURL] == url {
			out = append(out, c.Name)
		}
	}
	return out
}

// TestRemoveAfterSetup: setup, then remove from its answers file: the
// exit codes of the contract, --json on stdout alone, only the marked
// applications and their grant deleted, and a setup afterwards creates
// everything again.
func TestRemoveAfterSetup(t *testing.T) {
	// The CI application may also remove.
	s := sandbox.NewTest(t, sandbox.Options{RateLimit: -1, TenantName: "CI tenant"})
	tn := &tenant{Server: s}
	tn.clientID, tn.secret = s.CreateM2MApp("om-auth0 CI", append(slices.Clone(sandbox.WizardScopes), sandbox.RemoveScopes...))
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	setupArgs := []string{"setup", "--no-input", "--om-url", omURL, "--om-version", "1.0.2",
		"--admin", "alice", "--principal-domain", "example.com", "--out", out}
	if r := run(t, dir, tn.env(), "", setupArgs...); r.code != 0 {
		t.Fatalf("setup: %s", r)
	}
	if r := run(t, dir, tn.env(), "", "setup", "--no-input", "--om-url", "https://staging.example.com", "--om-version", "1.0.2",
		"--admin", "alice", "--principal-domain", "example.com", "--out", filepath.Join(dir, "staging")); r.code != 0 {
		t.Fatalf("setup for staging: %s", r)
	}
	if _, err := tn.SeedApp("Payroll", "", "spa"); err != nil {
		t.Fatal(err)
	}
	answersFile := filepath.Join(out, setup.AnswersFile)
	staging := tn.marked("https://staging.example.com")

	// Without --yes and without a terminal: the plan, then exit 2 naming --yes.
	tn.ResetRequests()
	r := run(t, dir, tn.env(), "", "remove", "--answers", answersFile)
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stdout, `- delete application "OpenMetadata"`) {
		t.Fatalf("remove without --yes: %s", r)
	}
	// --dry-run: the plan, exit 0, no DELETE.
	r = run(t, dir, tn.env(), "", "remove", "--answers", answersFile, "--dry-run", "--json")
	if r.code != 0 {
		t.Fatalf("remove --dry-run: %s", r)
	}
	var res guide.RemoveResult
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil || !res.DryRun || len(res.Plan) != 3 || len(res.Deleted) != 0 {
		t.Fatalf("remove --dry-run --json: %v\n%s", err, r)
	}
	if w := tn.writes(); len(w) != 0 {
		t.Fatalf("remove without deleting wrote: %v", w)
	}

	r = run(t, dir, tn.env(), "", "remove", "--answers", answersFile, "--yes", "--json")
	if r.code != 0 {
		t.Fatalf("remove --yes: %s", r)
	}
	res = guide.RemoveResult{}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	if err := dec.Decode(&res); err != nil || strings.TrimSpace(r.stdout[dec.InputOffset():]) != "" {
		t.Fatalf("stdout is not one JSON result: %v\n%s", err, r)
	}
	if res.OMURL != omURL || len(res.Deleted) != 3 || res.Error != nil {
		t.Errorf("result = %+v", res)
	}
	if m := tn.marked(omURL); len(m) != 0 {
		t.Errorf("still marked for %s: %v", omURL, m)
	}
	if got := tn.marked("https://staging.example.com"); !slices.Equal(got, staging) {
		t.Errorf("staging's applications = %v, want %v", got, staging)
	}
	tn.client(t, "Payroll")
	tn.client(t, "om-auth0 CI")
	for _, g := range tn.ClientGrants() {
		if !slices.ContainsFunc(tn.Clients(), func(c sandbox.ClientState) bool { return c.ClientID == g.ClientID }) {
			t.Errorf("grant %s of a deleted application remains", g.ID)
		}
	}

	r = run(t, dir, tn.env(), "", "remove", "--answers", answersFile, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Nothing to remove") {
		t.Fatalf("second remove: %s", r)
	}

	// Setup again from the same answers creates everything again.
	r = run(t, dir, tn.env(), "", "setup", "--no-input", "--answers", answersFile, "--json")
	if r.code != 0 {
		t.Fatalf("setup after remove: %s", r)
	}
	again := parseResult(t, r.stdout)
	if !again.UIApp.Created || again.ServiceAccount == nil || !again.ServiceAccount.Created || again.Grant == nil || !again.Grant.Created {
		t.Errorf("setup after remove did not create everything again: %+v", again)
	}
}

// TestRemoveNeedsItsScopes: credentials without a delete scope (setup's hold
// delete:clients, not delete:client_grants) are
// refused before anything is deleted, naming the scopes.
func TestRemoveNeedsItsScopes(t *testing.T) {
	tn := newTenant(t)
	dir := t.TempDir()
	r := run(t, dir, tn.env(), "", "setup", "--no-input", "--om-url", omURL, "--om-version", "1.6.4",
		"--admin", "alice", "--principal-domain", "example.com", "--out", filepath.Join(dir, "out"))
	if r.code != 0 {
		t.Fatalf("setup: %s", r)
	}
	tn.ResetRequests()
	r = run(t, dir, tn.env(), "", "remove", "--om-url", omURL, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "they lack 1 scope(s) this run needs: delete:client_grants") {
		t.Fatalf("remove without the delete scopes: %s", r)
	}
	if w := tn.writes(); len(w) != 0 {
		t.Fatalf("wrote: %v", w)
	}
}
