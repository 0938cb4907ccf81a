package clitest

import (
	"slices"
	"strings"
	"testing"
)

// A "same" mode re-run where the UI application needs an update (someone
// replaced its callback in the Dashboard) plans the service account
// against that application, so it finds the client grant of the first run
// and keeps it: the only write is the PATCH that restores the callback, and
// the service account and its grant are reported as already set up, not as
// updated and created.
func TestSameModeRerunKeepsTheGrant(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	dir := t.TempDir()
	args := []string{"setup", "--no-input", "--om-url", omURL, "--om-version", "1.0.2", "--service-account", "same", "--yes",
		"--scopes", "read:clients", "--admin", "alice", "--principal-domain", "example.com", "--out", "out"}
	if r := run(t, dir, tn.env(), "", args...); r.code != 0 {
		t.Fatalf("first run: %v", r)
	}
	ui := tn.client(t, "OpenMetadata")
	grants := tn.ClientGrants()
	tn.patchClient(t, ui.ClientID, `{"callbacks":["https://elsewhere.example.com/callback"]}`)
	tn.ResetRequests()

	r := run(t, dir, tn.env(), "", args...)
	if r.code != 0 {
		t.Fatalf("second run: %v", r)
	}
	if w, want := tn.writes(), []string{"PATCH /api/v2/clients/" + ui.ClientID}; !slices.Equal(w, want) {
		t.Errorf("writes = %v, want only %v", w, want)
	}
	for _, req := range tn.Requests() {
		if req.Method == "POST" && req.Path == "/api/v2/client-grants" {
			t.Errorf("the re-run tried to create the existing grant (answered %d)", req.Status)
		}
	}
	if got := tn.ClientGrants(); len(got) != len(grants) {
		t.Errorf("grants = %+v, want the first run's %+v", got, grants)
	}
	aud := tn.URL() + "/api/v2/"
	if want := "client grant for " + aud + " already set up"; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if want := `service account is application "OpenMetadata" (client id ` + ui.ClientID + `), already set up`; !strings.Contains(r.stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
	}
	if strings.Contains(r.stderr, "client grant for "+aud+" created") {
		t.Errorf("the kept grant is reported as created:\n%s", r.stderr)
	}
}
