package clitest

import (
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// listed reports whether the tenant's log holds a listing of its
// applications (GET /api/v2/clients without an id).
func (tn *tenant) listed() bool {
	for _, r := range tn.Requests() {
		if r.Method == http.MethodGet && r.Path == "/api/v2/clients" {
			return true
		}
	}
	return false
}

// A re-run with the same flags into the same --out, without --answers,
// reads the applications by the ids its answers.yaml recorded instead of
// listing the tenant, but only when that file is for the same tenant and
// the same OpenMetadata URL (compared normalised); an answers.yaml that
// cannot be used is a warning, never a failure, and --answers wins.
func TestRerunIntoTheSameOutReadsRecordedIDs(t *testing.T) {
	t.Parallel()
	base := []string{"setup", "--no-input", "--om-version", "1.0.2", "--scopes", "read:clients", "--target", "docker",
		"--admin", "alice", "--principal-domain", "example.com", "--out", "out"}
	tests := []struct {
		name string
		// omURL is the re-run's --om-url; domain its AUTH0_DOMAIN, from the tenant's URL.
		omURL  string
		domain func(url string) string
		// onOther runs it against another tenant, with the first one's answers.yaml in --out.
		onOther bool
		// prepare changes the output folder after the first run.
		prepare   func(t *testing.T, out string)
		extra     []string
		wantList  bool
		wantWarn  string // on stderr, "" for no warning
		unchanged bool   // the tenant is left as it was: no write
	}{
		{name: "same flags", omURL: omURL, unchanged: true},
		{name: "same tenant and URL written differently", omURL: omURL + "/", domain: func(u string) string { return u + "/" }, unchanged: true},
		{name: "another OpenMetadata URL", omURL: "https://staging.example.com", wantList: true},
		{name: "another tenant", omURL: omURL, onOther: true, wantList: true},
		{name: "corrupt answers.yaml", omURL: omURL, wantList: true, unchanged: true,
			prepare:  func(t *testing.T, out string) { writeAnswers(t, out, "{ui_app_id: [not closed\n") },
			wantWarn: "warning: the ids a previous run recorded are not used (the tenant is listed instead): " + filepath.Join("out", "answers.yaml") + ": not valid YAML"},
		{name: "an id that is not one", omURL: omURL, wantList: true, unchanged: true,
			prepare:  func(t *testing.T, out string) { editAnswers(t, out, "ui_app_id", "../../tenants") },
			wantWarn: `ui_app_id in ` + filepath.Join("out", "answers.yaml") + `: "../../tenants" is not an id om-auth0 records`},
		{name: "an explicit --answers wins", omURL: omURL, wantList: true, unchanged: true,
			prepare: func(t *testing.T, out string) {
				writeAnswers(t, filepath.Dir(out), "om_version: 1.0.2\n") // ../answers.yaml: no ids
			},
			extra: []string{"--answers", "answers.yaml"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tn, other := newTenant(t), newTenant(t)
			dir := t.TempDir()
			first := run(t, dir, tn.env("OM_INGESTION_BOT_JWT="+jwt), "", append(base, "--om-url", omURL)...)
			if first.code != 0 {
				t.Fatalf("first run: %v", first)
			}
			out := filepath.Join(dir, "out")
			if tt.prepare != nil {
				tt.prepare(t, out)
			}
			talked := tn
			if tt.onOther {
				talked = other
			}
			env := talked.env("OM_INGESTION_BOT_JWT=" + jwt)
			if tt.domain != nil {
				env[0] = "AUTH0_DOMAIN=" + tt.domain(talked.URL())
			}
			state := talked.state(t)
			tn.ResetRequests()
			other.ResetRequests()
			again := run(t, dir, env, "", append(append(base, "--om-url", tt.omURL), tt.extra...)...)
			if again.code != 0 {
				t.Fatalf("re-run: %v", again)
			}
			if got := talked.listed(); got != tt.wantList {
				t.Errorf("the re-run listed the tenant's applications: %v, want %v\n%s", got, tt.wantList, again.stderr)
			}
			if tt.onOther && len(tn.Requests()) > 0 {
				t.Errorf("the re-run against another tenant asked the first one: %+v", tn.Requests())
			}
			if tt.unchanged {
				if w := talked.writes(); len(w) > 0 || talked.state(t) != state {
					t.Errorf("the re-run changed the tenant: %v", w)
				}
			}
			warned := strings.Contains(again.stderr, "warning: the ids a previous run recorded")
			if tt.wantWarn == "" && warned || tt.wantWarn != "" && !strings.Contains(again.stderr, tt.wantWarn) {
				t.Errorf("stderr, want warning %q:\n%s", tt.wantWarn, again.stderr)
			}
		})
	}
}

// writeAnswers writes answers.yaml into dir, as someone editing it would.
func writeAnswers(t *testing.T, dir, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "answers.yaml"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// editAnswers sets key to value in answers.yaml in dir.
func editAnswers(t *testing.T, dir, key, value string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "answers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?m)^` + key + `: .*$`)
	if !line.Match(data) {
		t.Fatalf("answers.yaml has no %s:\n%s", key, data)
	}
	writeAnswers(t, dir, string(line.ReplaceAll(data, []byte(key+": "+value))))
}
