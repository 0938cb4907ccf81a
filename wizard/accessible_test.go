package wizard

import (
	"context"
	"errors"
	"io"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
	"github.com/om-auth0/om-auth0/tenant"
)

// lineReader answers one line per Read, as a terminal in line mode does
// (huh's accessible prompts start a new scanner for every question).
type lineReader struct{ lines []string }

func (r *lineReader) Read(p []byte) (int, error) {
	if len(r.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, r.lines[0]+"\n")
	r.lines = r.lines[1:]
	return n, nil
}

func runAccessibleWith(t *testing.T, cfg *setup.Config, lines ...string) (*stepstest.Runner, *setup.Result, string, error) {
	t.Helper()
	return runAccessibleDetecting(t, cfg, func(context.Context, string) (openmetadata.Version, error) {
		return openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, nil
	}, lines...)
}

// runAccessibleDetecting is runAccessibleWith with its own version detection.
func runAccessibleDetecting(t *testing.T, cfg *setup.Config, detect func(context.Context, string) (openmetadata.Version, error),
	lines ...string) (*stepstest.Runner, *setup.Result, string, error) {
	t.Helper()
	ios, _, _, errOut := iostreams.Test()
	ios.In = &lineReader{lines: lines}
	runner := newFakeRunner()
	f := newFlow(Options{IO: ios, Config: cfg, Accessible: true,
		Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
			return runner, runner.Record("Connect")
		},
		DetectVersion: detect,
	})
	f.RenderFiles, f.nextSteps = fakeFiles(f.Cfg), fakeNextSteps
	res, err := runAccessible(context.Background(), f)
	return runner, res, errOut.String(), err
}

// TestAccessibleWalk answers the same sections line by line, including a
// rejected answer, and makes the same Auth0 calls as the TUI.
func TestAccessibleWalk(t *testing.T) {
	cfg := completeConfig(t)
	runner, res, out, err := runAccessibleWith(t, cfg,
		"om.acme.internal",         // OpenMetadata URL: rejected
		"https://om.acme.internal", // accepted
		"", "", "", "",             // version (detected), client type, create, name
		"1", "", // separate; bot name
		"3", "0", // toggle read:clients, confirm the selection
		"y",        // the whole plan: create in Auth0
		"",         // a check failed: continue
		"1",        // Docker
		"alice",    // admins
		"acme.com", // principal domain
		"",         // write the Docker file
		"",         // write the ingestion files (the JWT prompt needs a terminal and is skipped)
	)
	if err == nil || !strings.Contains(err.Error(), "verification failed (granted scopes = requested)") {
		t.Fatalf("run: %v, want the failed check\n%s", err, out)
	}
	for _, want := range []string{
		// Lines printed once cannot take the tenant's name when it comes
		// later: the summary of the connection names the domain, the
		// plan, long after, the name too.
		"== Connect ==", "Connected to tenant acme.us.auth0.com\n", "About to change tenant acme.us.auth0.com (Acme)\n",
		"== Create Server Credentials ==", "must start with http:// or https://",
		"detected 1.6.4 from /api/v1/system/version",
		"== Create Service Account ==", "Authorize the Auth0 Management API", "3.   read:clients",
		`+ create application "OpenMetadata"`, `+ create application "OpenMetadata Ingestion Bot"`,
		"Service account ready (created)", "Client Secret  " + mask,
		"== Verify ==", "✗ granted scopes = requested — missing read:clients",
		"== Deployment ==", "--- docker/openmetadata_auth0.env  mode 0644 ---", ": 1 written (files with a secret",
		"Docker: Apply    (docker) apply the files for OpenMetadata 1.6.4",
		"== Configure Ingestion ==", ": 2 written (files with a secret", "but verification failed: granted scopes = requested",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if strings.Contains(out, "ui-secret-Zm9vYmFy") || strings.Contains(out, "\x1b[") {
		t.Error("the output shows a secret or escape sequences")
	}
	want := []string{"Connect", "PlanUIApp(OpenMetadata,,public,1.6.4)", "ManagementAPIScopes",
		"PlanServiceAccount(separate,OpenMetadata Ingestion Bot,read:clients)", "StartServiceAccount(separate)", "ApplyUIApp(OpenMetadata)", "ApplyServiceAccount(separate)", "Verify"}
	if got := runner.Calls(); !slices.Equal(got, want) {
		t.Fatalf("calls %q, want %q", got, want)
	}
	if cfg.Choices.OMURL != "https://om.acme.internal" || len(res.Files) != 3 || res.ServiceAccount == nil || res.TenantName != "Acme" {
		t.Fatalf("config %+v result %+v", cfg.Choices, res)
	}
	if t.Failed() || testing.Verbose() {
		t.Log(out)
	}
}

// TestAccessibleDetectNoteOnce: what version detection found, or that it
// failed, is said once, on its own line before the version prompt; the
// prompt does not repeat it.
func TestAccessibleDetectNoteOnce(t *testing.T) {
	tests := []struct {
		name   string
		detect func(context.Context, string) (openmetadata.Version, error)
		answer string // to the version prompt
		note   string
	}{
		{"detected", func(context.Context, string) (openmetadata.Version, error) {
			return openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, nil
		}, "", "detected 1.6.4 from /api/v1/system/version"},
		{"unreadable", func(context.Context, string) (openmetadata.Version, error) {
			return openmetadata.Version{}, errors.New("connection refused")
		}, "1.6.4", "could not read /api/v1/system/version (connection refused): give the version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Answers up to the version prompt; the input then ends.
			_, _, out, err := runAccessibleDetecting(t, completeConfig(t), tt.detect, "https://om.acme.internal", tt.answer)
			if !errors.Is(err, ErrAborted) {
				t.Fatalf("err = %v\n%s", err, out)
			}
			if n := strings.Count(out, tt.note); n != 1 {
				t.Fatalf("%q is said %d times, want once:\n%s", tt.note, n, out)
			}
			note, prompt := strings.Index(out, tt.note), strings.Index(out, "OpenMetadata version")
			if prompt < 0 || note > prompt {
				t.Fatalf("the note should come before the version prompt:\n%s", out)
			}
		})
	}
}

// TestAccessibleAdminEmails: line by line too, admins may be emails, and an
// empty principal domain is theirs.
func TestAccessibleAdminEmails(t *testing.T) {
	cfg := completeConfig(t)
	_, res, out, err := runAccessibleWith(t, cfg,
		"https://om.acme.internal", // OpenMetadata URL
		"", "", "", "",             // version (detected), client type, create, name
		"3", // skip the service account
		"",  // create in Auth0? [Y/n]
		"",  // a check failed: continue
		"1", // Docker
		"Alice@Acme.com, Bob.Smith@acme.com, alice", // admins
		"", // principal domain: the emails'
		"", // write the Docker file
		"", // write the ingestion files
	)
	if err == nil || !strings.Contains(err.Error(), "verification failed") {
		t.Fatalf("run: %v, want the failed check\n%s", err, out)
	}
	if !slices.Equal(cfg.Admins, []string{"alice", "bob.smith"}) || cfg.PrincipalDomain != "acme.com" || res == nil {
		t.Fatalf("admins %q, principal domain %q\n%s", cfg.Admins, cfg.PrincipalDomain, out)
	}
	if strings.Contains(out, "give the part before @") || strings.Contains(out, "give your users' email domain") {
		t.Fatalf("an answer was rejected:\n%s", out)
	}
}

// TestAccessibleEndOfInput: input that ends early stops the wizard like
// Ctrl+C, and says what was created.
func TestAccessibleEndOfInput(t *testing.T) {
	// URL, version, client type, create, name, service account, confirm: then the input ends.
	_, res, out, err := runAccessibleWith(t, completeConfig(t), "", "", "", "", "", "", "")
	if !errors.Is(err, ErrAborted) || res != nil {
		t.Fatalf("err %v, result %v", err, res)
	}
	if !strings.Contains(out, "Already created in Auth0") || !strings.Contains(out, `application "OpenMetadata" (client id uiClient9xYtQ2vQa)`) {
		t.Fatalf("output:\n%s", out)
	}
}

// TestDumbTerminalGetsPrompts: TERM=dumb cannot draw the full-screen UI, so
// Run asks line by line.
func TestDumbTerminalGetsPrompts(t *testing.T) {
	ios, _, _, errOut := iostreams.Test()
	ios.SetEnv(func(k string) string { return map[string]string{"TERM": "dumb"}[k] })
	ios.In = &lineReader{}
	runner := newFakeRunner()
	_, err := Run(context.Background(), Options{IO: ios, Config: completeConfig(t),
		Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) { return runner, nil }})
	if !errors.Is(err, ErrAborted) {
		t.Fatalf("err = %v", err)
	}
	if out := errOut.String(); !strings.Contains(out, "== Connect ==") || !strings.Contains(out, "OpenMetadata URL [enter: http://localhost:8585]") {
		t.Fatalf("output:\n%s", out)
	}
}

// The ids answers.yaml in --out recorded reach PlanUIApp only when the
// tenant and the OpenMetadata URL the wizard ends with are the ones they
// are for.
func TestWizardUsesThePreviousRunsIDs(t *testing.T) {
	rec := steps.Recorded{UIAppID: "ui1", ServiceAccountID: "bot1", GrantID: "cgr_1"}
	for _, tt := range []struct {
		name   string
		tenant string // of the previous run
		omURL  string // answered
		want   steps.Recorded
	}{
		{"same tenant and URL", "acme.us.auth0.com", "https://om.acme.internal/", rec},
		{"another URL answered", "acme.us.auth0.com", "https://staging.acme.internal", steps.Recorded{}},
		{"another tenant", "acme.eu.auth0.com", "https://om.acme.internal", steps.Recorded{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := completeConfig(t)
			cfg.Choices.OMURL = "https://om.acme.internal"
			cfg.Previous = &setup.PreviousRun{Domain: tenant.MustParse(tt.tenant), OMURL: "https://om.acme.internal", Recorded: rec}
			cfg.UsePrevious() // as setup does before the wizard
			// Answers up to the UI application's plan; the input then ends.
			runner, _, out, err := runAccessibleWith(t, cfg, tt.omURL, "", "", "", "")
			if !errors.Is(err, ErrAborted) {
				t.Fatalf("err = %v\n%s", err, out)
			}
			if !slices.Contains(runner.Calls(), "PlanUIApp(OpenMetadata,,public,1.6.4)") {
				t.Fatalf("no PlanUIApp in %q\n%s", runner.Calls(), out)
			}
			if got := runner.LastChoices.Recorded; got != tt.want {
				t.Fatalf("PlanUIApp got recorded ids %+v, want %+v", got, tt.want)
			}
		})
	}
}
