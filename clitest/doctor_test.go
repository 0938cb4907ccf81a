package clitest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/doctor"
	"github.com/om-auth0/om-auth0/omsim"
)

// parseReport decodes doctor --json output, which must be one JSON object and nothing else.
func parseReport(t *testing.T, stdout string) doctor.Report {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	var rep doctor.Report
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if rest := strings.TrimSpace(stdout[dec.InputOffset():]); rest != "" {
		t.Fatalf("stdout holds more than the report: %q", rest)
	}
	return rep
}

// `om-auth0 doctor --json` after a setup run, against the simulated tenant
// and a simulated OpenMetadata holding the files' settings: every check
// passes, exit 0; without credentials the checks that need them are
// skipped and named; a wrong client id on the server is exit 1.
func TestDoctorJSON(t *testing.T) {
	t.Parallel()
	tn := newTenant(t)
	om := omsim.NewTest(t, omsim.Options{Version: "2.0.2"})
	dir := t.TempDir()
	r := run(t, dir, tn.env(), "", "setup", "--no-input", "--json", "--om-url", om.URL(), "--om-version", "2.0.2",
		"--admin", "alice@example.com", "--target", "docker", "--out", "out")
	if r.code != 0 {
		t.Fatalf("setup: %v", r)
	}
	res := parseResult(t, r.stdout)
	settings := omsim.Auth0Public(tn.URL(), res.UIApp.ClientID, om.URL(), []string{"alice"}, "example.com")
	om.SetDeployment(settings)
	if err := om.SetStored(settings); err != nil {
		t.Fatal(err)
	}
	answersFile := filepath.Join("out", "answers.yaml")
	// The answers file holds the Management application's client id: its secret and the admin token come from the environment.
	env := []string{"AUTH0_CLIENT_SECRET=" + tn.secret, "OM_ADMIN_TOKEN=" + om.AdminToken()}

	r = run(t, dir, env, "", "doctor", "--json", "--answers", answersFile)
	rep := parseReport(t, r.stdout)
	if r.code != 0 || rep.Failed() {
		t.Fatalf("%v", r)
	}
	for _, c := range rep.Checks {
		if c.Status != doctor.OK && c.ID != doctor.IDOMSettingsSource {
			t.Errorf("check %+v, want ok", c)
		}
	}
	if rep.OMVersion != "2.0.2" || rep.OMURL != om.URL() || len(rep.Checks) < 15 {
		t.Errorf("report %+v", rep)
	}
	if !strings.Contains(r.stderr, "ok:") || strings.Contains(r.stdout+r.stderr, tn.secret) || strings.Contains(r.stdout+r.stderr, om.AdminToken()) {
		t.Errorf("stderr should hold the lines for a person and no secret:\n%s", r.stderr)
	}

	// No credential: exit 0, the skipped checks named by what they wait for.
	r = run(t, dir, nil, "", "doctor", "--out", "out")
	if r.code != 0 || !strings.Contains(r.stdout, "Skipped for want of Auth0 credentials") ||
		!strings.Contains(r.stdout, "Skipped for want of an OpenMetadata admin credential") {
		t.Fatalf("%v", r)
	}

	// A wrong client id on the server: exit 1, naming the check.
	settings.Authentication.ClientID = "SomeOtherApp0123"
	if err := om.SetStored(settings); err != nil {
		t.Fatal(err)
	}
	// The admin token from stdin this time.
	r = run(t, dir, env[:1], om.AdminToken()+"\n", "doctor", "--json", "--answers", answersFile, "--om-token", "-")
	rep = parseReport(t, r.stdout)
	cred, _ := rep.Check(doctor.IDOMCredential)
	if c, _ := rep.Check(doctor.IDOMClient); r.code != 1 || cred.Status != doctor.OK || c.Status != doctor.Fail || !strings.Contains(r.stderr, "1 check(s) failed: om.client") ||
		strings.Contains(r.stdout+r.stderr, om.AdminToken()) {
		t.Fatalf("%v", r)
	}
}
