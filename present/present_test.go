package present

import (
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/steps"
)

func TestChangesOneWording(t *testing.T) {
	changes := []steps.Change{
		{Action: steps.Create, Resource: steps.Application, Name: "OpenMetadata", Fields: []steps.FieldChange{{Field: "app_type", To: "spa"}}},
		{Action: steps.Update, Resource: steps.Application, Name: "Bot", Fields: []steps.FieldChange{{Field: "token_endpoint_auth_method", From: "none", To: "client_secret_basic"}},
			Consequence: "the browser sign-in breaks"},
		{Action: steps.Create, Resource: steps.ClientGrant, Name: "https://acme/api/v2/", Fields: []steps.FieldChange{{Field: "scope", To: ""}}},
		{Action: steps.Keep, Resource: steps.Application, Name: "Kept"},
	}
	for _, tt := range []struct {
		name string
		st   *Styles
		want []string
	}{
		{"unicode", Plain(false), []string{
			`  + create application "OpenMetadata"`,
			"      app type                    spa",
			`  ~ update application "Bot"`,
			"      token endpoint auth method  none → client_secret_basic",
			"    ! the browser sign-in breaks",
			"      scope                       (none)",
			`  = keep application "Kept" as it is`,
		}},
		{"ascii", Plain(true), []string{"none -> client_secret_basic", "    ! the browser sign-in breaks"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := Changes(tt.st, changes)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("lacks %q:\n%s", w, got)
				}
			}
		})
	}
	if got := Plan(Plain(false), "acme", changes[3:]); !strings.HasPrefix(got, "Nothing to change in tenant acme") || strings.Contains(got, "Nothing else changes") {
		t.Errorf("keep-only plan:\n%s", got)
	}
	if got := Plan(Plain(false), "acme", changes); !strings.HasPrefix(got, "About to change tenant acme") || !strings.HasSuffix(got, "  Nothing else changes.\n") {
		t.Errorf("plan:\n%s", got)
	}
}

func TestOutcome(t *testing.T) {
	upd := &steps.Plan{Changes: []steps.Change{{Action: steps.Update, Resource: steps.Application, Name: "OM", Fields: []steps.FieldChange{{Field: "callbacks"}}}}}
	create := &steps.Plan{Changes: []steps.Change{{Action: steps.Create, Resource: steps.Application, Name: "OM"}, {Action: steps.Create, Resource: steps.ClientGrant, Name: "aud"}}}
	keep := &steps.Plan{Changes: []steps.Change{{Action: steps.Keep, Resource: steps.Application, Name: "OM"}}}
	for _, tt := range []struct {
		name     string
		p        *steps.Plan
		resource steps.ResourceKind
		created  bool
		want     string
	}{
		{"created", create, steps.Application, true, "created"},
		{"updated", upd, steps.Application, false, "updated (callbacks)"},
		{"kept", keep, steps.Application, false, "already set up"},
		{"grant found on a duplicate", create, steps.ClientGrant, false, "already existed"},
		{"grant created", create, steps.ClientGrant, true, "created"},
		{"no plan", nil, steps.Application, false, "ready"},
	} {
		if got := Outcome(tt.p, tt.resource, "OM", tt.created); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCreated(t *testing.T) {
	for _, tt := range []struct {
		created []string
		ascii   bool
		want    string
	}{
		{nil, false, "Nothing was created in Auth0.\n"},
		{[]string{"application \"OM\""}, false, "Already created in Auth0: kept, and found again by the next run.\n  • application \"OM\"\n"},
		{[]string{"a", "b"}, true, "Already created in Auth0: kept, and found again by the next run.\n  - a\n  - b\n"},
	} {
		if got := Created(Plain(tt.ascii), tt.created); got != tt.want {
			t.Errorf("Created(%v) = %q, want %q", tt.created, got, tt.want)
		}
	}
}

func TestVerificationError(t *testing.T) {
	ok := &steps.Verification{Checks: []steps.Check{{Name: "a", OK: true}}}
	bad := &steps.Verification{Checks: []steps.Check{{Name: "a", OK: true}, {Name: "sign-in", Detail: "add the callback"}}}
	if err := VerificationError(ok); err != nil {
		t.Errorf("passed checks: %v", err)
	}
	if err := VerificationError(bad); err == nil || !strings.Contains(err.Error(), "verification failed (sign-in)") {
		t.Errorf("failed checks: %v", err)
	}
	if got := Verification(Plain(true), bad); !strings.Contains(got, "FAILED: sign-in — add the callback") {
		t.Errorf("checklist:\n%s", got)
	}
}

// TestPlanWithin: a plan that does not fit leaves out the created
// resources' fields first, keeping an update's from → to and every
// consequence, then every field; it says so.
func TestPlanWithin(t *testing.T) {
	changes := []steps.Change{
		{Action: steps.Create, Resource: steps.Application, Name: "Bot", Fields: []steps.FieldChange{{Field: "app_type", To: "non_interactive"}}},
		{Action: steps.Update, Resource: steps.Application, Name: "OM", Fields: []steps.FieldChange{{Field: "callbacks", From: "a", To: "b"}}, Consequence: "breaks"},
	}
	lines := func(s string) int { return strings.Count(s, "\n") }
	full := Plan(Plain(false), "acme", changes)
	for _, tt := range []struct {
		room           int
		create, upd    bool
		mentionsFields bool
	}{
		{lines(full), true, true, false},
		{lines(full) - 1, false, true, true},
		{lines(full) - 2, false, false, true},
	} {
		got := PlanWithin(Plain(false), "acme", changes, func(s string) bool { return lines(s) <= tt.room })
		if strings.Contains(got, "non_interactive") != tt.create || strings.Contains(got, "a → b") != tt.upd ||
			strings.Contains(got, "left out to fit") != tt.mentionsFields || !strings.Contains(got, "! breaks") {
			t.Errorf("room %d:\n%s", tt.room, got)
		}
	}
}

// TestNextSteps: one heading wording for every part, parts without steps
// left out, the steps indented (blank lines stay blank).
func TestNextSteps(t *testing.T) {
	got := NextSteps(Plain(true), 0, []NextStep{{"Docker", "run this\n\nthen that\n"}, {"bare metal", ""}, {"ingestion", "metadata ingest -c x"}})
	want := "\nNext steps for Docker:\n  run this\n\n  then that\n\nNext steps for ingestion:\n  metadata ingest -c x\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestSummary: the same summary for the Done screen and a script's report;
// in ASCII its first line is a sentence without a progress mark.
func TestSummary(t *testing.T) {
	s := Summary{Tenant: "acme.us.auth0.com", Out: "out", AnswersPath: "out/answers.yaml", SkippedServiceAccount: true,
		Changes: []steps.Change{{Action: steps.Create, Resource: steps.Application, Name: "OM"}, {Action: steps.Keep, Resource: steps.ClientGrant, Name: "aud"}}}
	for _, tt := range []struct {
		name   string
		st     *Styles
		failed []string
		first  string
		want   []string
	}{
		{"ascii", Plain(true), nil, "Auth0 SSO for OpenMetadata is set up on tenant acme.us.auth0.com.",
			[]string{`Created   application "OM"`, "Kept      Management API grant", "Skipped   service account", "Again     om-auth0 setup --answers out/answers.yaml"}},
		{"marked", Plain(false), nil, "✓ Auth0 SSO for OpenMetadata is set up on tenant acme.us.auth0.com.", nil},
		{"failed", Plain(false), []string{"a", "b"}, "✗ Auth0 SSO is configured, but verification failed: a; b",
			[]string{"Tenant acme.us.auth0.com; the files are written", "exit status 1"}},
	} {
		s.FailedChecks = tt.failed
		got := s.Text(tt.st)
		if first, _, _ := strings.Cut(got, "\n"); first != tt.first {
			t.Errorf("%s: first line %q, want %q", tt.name, first, tt.first)
		}
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
	}
}

// TestProgramName: printed commands run the binary as it was invoked; a
// binary `go run` built in a temporary folder is run again with `go run .`.
func TestProgramName(t *testing.T) {
	for _, tt := range []struct{ arg0, want string }{
		{"/tmp/go-build2863516781/b001/exe/om-auth0", "go run ."},
		{"/home/ann/.cache/tmp/go-build123/b001/exe/main", "go run ."},
		{"/usr/local/bin/om-auth0", "om-auth0"},
		{"./om-auth0", "om-auth0"},
		{"/opt/sso/om-auth0-linux-amd64", "om-auth0-linux-amd64"},
		{"/srv/exe/om-auth0", "om-auth0"}, // a folder named exe is not go run's
		{"", "om-auth0"},
	} {
		if got := ProgramName(tt.arg0); got != tt.want {
			t.Errorf("ProgramName(%q) = %q, want %q", tt.arg0, got, tt.want)
		}
	}
}

// TestSummaryAgain: the Again and Check rows name the program as invoked,
// and a sandbox run is run again with the sandbox, whose tenant the answers
// would no longer find.
func TestSummaryAgain(t *testing.T) {
	defer func(p string) { Program = p }(Program)
	Program = "go run ."
	base := Summary{Tenant: "127.0.0.1:4000", Out: "out", AnswersPath: "out/answers.yaml", CheckCommand: Invocation("doctor", "--answers", "out/answers.yaml")}
	for _, tt := range []struct {
		name    string
		sandbox bool
		want    []string
		not     string
	}{
		{"tenant", false, []string{"Again     go run . setup --answers out/answers.yaml", "Check     go run . doctor --answers out/answers.yaml"}, "om-auth0"},
		{"sandbox", true, []string{"Again     go run . sandbox"}, "setup --answers"},
	} {
		s := base
		s.Sandbox = tt.sandbox
		got := s.Text(Plain(true))
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
		if strings.Contains(got, tt.not) {
			t.Errorf("%s: says %q:\n%s", tt.name, tt.not, got)
		}
	}
}

// TestStopped: a stopped run names what it created in Auth0 and, once it
// wrote files, those too.
func TestStopped(t *testing.T) {
	files := []output.FileResult{{Path: "out/docker/openmetadata_auth0.env", Status: output.Written}, {Path: "out/kubernetes/values-auth0.yaml", Status: output.Unchanged}}
	for _, tt := range []struct {
		name  string
		files []output.FileResult
		want  []string
		not   string
	}{
		{"no files yet", nil, []string{"Already created in Auth0", `application "OM"`}, "written in"},
		{"files written", files, []string{`application "OM"`, "Already written in out (1 written, 1 unchanged):", "docker/openmetadata_auth0.env  written", "kubernetes/values-auth0.yaml   unchanged"}, ""},
	} {
		got := Stopped(Plain(true), []string{`application "OM"`}, "out", tt.files)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: lacks %q:\n%s", tt.name, w, got)
			}
		}
		if tt.not != "" && strings.Contains(got, tt.not) {
			t.Errorf("%s: says %q:\n%s", tt.name, tt.not, got)
		}
	}
}
