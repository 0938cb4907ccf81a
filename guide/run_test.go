package guide

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
	"github.com/om-auth0/om-auth0/tenant"
)

const (
	uiSecret  = "ui-secret-VALUE"
	botSecret = "bot-secret-VALUE"
	m2mSecret = "m2m-secret-VALUE"
)

// newFake is a tenant where a public UI application is created and the service account skipped.
func newFake() *stepstest.Runner {
	r := stepstest.New()
	r.UIPlan = steps.NewUIPlan([]steps.Change{{Action: steps.Create, Resource: steps.Application, Name: "OpenMetadata",
		Fields: []steps.FieldChange{{Field: "app_type", To: "spa"}, {Field: "callbacks", To: "https://om.acme.com/callback"}}}})
	r.UI = &steps.App{ClientID: "ui-id", ClientSecret: uiSecret, Name: "OpenMetadata", AppType: "spa", Created: true}
	r.SAPlan = steps.NewServiceAccountPlan(nil)
	r.SA = &steps.ServiceAccount{Mode: steps.Skip}
	r.Verification = steps.Verification{Checks: []steps.Check{{Name: "callbacks include https://om.acme.com/callback", OK: true}}}
	return r
}

func testConfig(t *testing.T, extra answers.Answers) *setup.Config {
	t.Helper()
	a := answers.Answers{Domain: "acme.us.auth0.com", ClientID: "m2m", OMURL: "https://om.acme.com", OMVersion: "1.6.4",
		Admins: []string{"alice"}, PrincipalDomain: "acme.com", Out: filepath.Join(t.TempDir(), "out")}
	flags := setup.Layer{Source: setup.FromFlags, Answers: extra}
	cfg, missing, err := setup.Resolve(flags, setup.Layer{Source: setup.FromFile, Path: "answers.yaml", Answers: a, Secrets: answers.Secrets{ClientSecret: m2mSecret}})
	if err != nil || len(missing) > 0 {
		t.Fatalf("setup.Resolve: %v, missing %v", err, missing)
	}
	return cfg
}

func connectTo(r steps.Runner) setup.ConnectFunc {
	return func(context.Context, steps.ConnectRequest) (steps.Runner, error) { return r, nil }
}

func TestRunCreatesAndWrites(t *testing.T) {
	cfg := testConfig(t, answers.Answers{Targets: []string{"docker"}})
	r := newFake()
	var progress, report bytes.Buffer
	res, err := Run(context.Background(), cfg, connectTo(r), Options{Progress: &progress, Report: &report, ASCII: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCalls := []string{"MissingScopes", "PlanUIApp", "PlanServiceAccount", "ApplyUIApp", "ApplyServiceAccount", "Verify"}
	if !slices.Equal(r.Methods(), wantCalls) {
		t.Fatalf("calls = %v, want %v", r.Methods(), wantCalls)
	}
	wantProgress := `ok: connected to tenant acme.us.auth0.com
ok: application "OpenMetadata" created (client id ui-id)
ok: service account skipped: OpenMetadata 1.6.4 ingestion signs in with the ingestion-bot's JWT
ok: verified: callbacks include https://om.acme.com/callback
ok: files in ` + cfg.Out + ": 3 written\n"
	if progress.String() != wantProgress {
		t.Fatalf("progress:\n%s\nwant:\n%s", progress.String(), wantProgress)
	}
	for _, want := range []string{"docker/openmetadata_auth0.env", "ingestion/workflow-config.yaml", "answers.yaml",
		"docker compose --env-file", "om-auth0 setup --answers " + filepath.Join(cfg.Out, "answers.yaml"),
		"om-auth0 doctor --om-url https://om.acme.com --answers " + filepath.Join(cfg.Out, "answers.yaml")} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, report.String())
		}
	}
	wantFiles := []string{filepath.Join(cfg.Out, "docker/openmetadata_auth0.env"), filepath.Join(cfg.Out, "ingestion/workflow-config.yaml"), filepath.Join(cfg.Out, "answers.yaml")}
	var gotFiles []string
	for _, f := range res.FileResults {
		if f.Status != output.Written {
			t.Errorf("%+v, want written", f)
		}
		gotFiles = append(gotFiles, f.Path)
	}
	if !slices.Equal(gotFiles, wantFiles) {
		t.Fatalf("files = %v, want %v", res.Files, wantFiles)
	}
	for _, f := range wantFiles {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if res.Tenant != "acme.us.auth0.com" || res.TenantName != "Acme" || res.UIApp.ClientID != "ui-id" || !res.UIApp.Created ||
		res.ServiceAccount != nil || res.Grant != nil || res.Verification == nil || !res.Verification.OK || res.Error != nil {
		t.Fatalf("result = %+v", res)
	}
	saved, err := answers.Load(filepath.Join(cfg.Out, "answers.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if saved.OMVersion != "1.6.4" || saved.ServiceAccount != "skip" || !slices.Equal(saved.Targets, []string{"docker"}) {
		t.Fatalf("answers.yaml = %+v", saved)
	}
}

// TestRunReportsIngestionStepsOnce: the summary says how to apply each
// target's files, and how to use the ingestion config once, not per target.
func TestRunReportsIngestionStepsOnce(t *testing.T) {
	cfg := testConfig(t, answers.Answers{}) // every target
	var report bytes.Buffer
	if _, err := Run(context.Background(), cfg, connectTo(newFake()), Options{Report: &report, ASCII: true}); err != nil {
		t.Fatal(err)
	}
	got := report.String()
	for _, want := range []string{"Next steps for Docker:", "Next steps for bare metal:", "Next steps for Kubernetes:"} {
		if strings.Count(got, want) != 1 {
			t.Errorf("report has %q %d times, want once:\n%s", want, strings.Count(got, want), got)
		}
	}
	for _, once := range []string{"Next steps for ingestion:", "Settings > Bots > ingestion-bot", "metadata ingest -c"} {
		if n := strings.Count(got, once); n != 1 {
			t.Errorf("report has %q %d times, want once:\n%s", once, n, got)
		}
	}
	if strings.Index(got, "Next steps for ingestion:") < strings.Index(got, "Next steps for Kubernetes:") {
		t.Errorf("the ingestion steps come before a target's:\n%s", got)
	}
}

// TestRunReportWidth: at a terminal's width the report's commands (the
// next steps, the summary's Check row) are broken between words with a
// trailing " \", no line of the next steps with more than one word wider
// than the terminal;
// without a width (a file or a pipe) each command stays on one line.
func TestRunReportWidth(t *testing.T) {
	for _, width := range []int{0, 60} {
		cfg := testConfig(t, answers.Answers{})
		var report bytes.Buffer
		if _, err := Run(context.Background(), cfg, connectTo(newFake()), Options{Report: &report, ASCII: true, Width: width}); err != nil {
			t.Fatal(err)
		}
		got := report.String()
		if broken := strings.Contains(got, " \\\n"); broken != (width > 0) {
			t.Errorf("width %d: commands broken %v:\n%s", width, broken, got)
		}
		_, next, _ := strings.Cut(got, "Next steps for")
		for _, l := range strings.Split(next, "\n") {
			if width > 0 && len(l) > width && len(strings.Fields(strings.TrimSuffix(l, " \\"))) > 1 {
				t.Errorf("width %d: line of %d columns:\n%s", width, len(l), l)
			}
		}
	}
}

func TestRunProgressMarks(t *testing.T) {
	for _, ascii := range []bool{true, false} {
		var progress bytes.Buffer
		_, err := Run(context.Background(), testConfig(t, answers.Answers{}), connectTo(newFake()), Options{Progress: &progress, ASCII: ascii})
		if err != nil {
			t.Fatal(err)
		}
		isASCII := !slices.ContainsFunc([]byte(progress.String()), func(b byte) bool { return b >= 0x80 })
		if isASCII != ascii || !strings.Contains(progress.String(), "application \"OpenMetadata\" created") {
			t.Fatalf("ascii=%v progress:\n%s", ascii, progress.String())
		}
	}
}

func TestRunDryRunChangesNothing(t *testing.T) {
	cfg := testConfig(t, answers.Answers{ClientType: "confidential"})
	r := newFake()
	var report bytes.Buffer
	res, err := Run(context.Background(), cfg, connectTo(r), Options{DryRun: true, Report: &report, ASCII: true})
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(r.Methods(), func(c string) bool { return strings.HasPrefix(c, "Apply") || c == "Verify" }) {
		t.Fatalf("dry run called %v", r.Methods())
	}
	if r.PlannedUI == nil || r.PlannedUI.Name != "OpenMetadata" || r.PlannedUI.AppType != "regular_web" || r.PlannedUI.ClientID != "" {
		t.Fatalf("service account planned against %+v", r.PlannedUI)
	}
	if _, err := os.Stat(cfg.Out); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("dry run created the output folder: %v", err)
	}
	for _, want := range []string{
		"Plan for tenant acme.us.auth0.com (dry run: nothing is changed or written)",
		`  + create application "OpenMetadata"`,
		"      callbacks  https://om.acme.com/callback",
		"  kubernetes/oidc-secrets.yaml        0600",
		"  answers.yaml                        0644",
	} {
		if !strings.Contains(report.String(), want) {
			t.Errorf("plan lacks %q:\n%s", want, report.String())
		}
	}
	if !res.DryRun || len(res.Plan) != 1 || len(res.Files) != 6 || res.UIApp.Created || res.Verification != nil {
		t.Fatalf("result = %+v", res)
	}
}

func TestRunPreflightStopsBeforeAnyPlan(t *testing.T) {
	r := newFake()
	r.Missing = []string{"create:clients", "read:client_grants"}
	res, err := Run(context.Background(), testConfig(t, answers.Answers{}), connectTo(r), Options{})
	var se *steps.Error
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *steps.Error", err)
	}
	for _, want := range []string{"create:clients, read:client_grants", "authorize application m2m", "Nothing was created in Auth0."} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if !slices.Equal(r.Methods(), []string{"MissingScopes"}) {
		t.Fatalf("calls = %v", r.Methods())
	}
	if res.Error == nil || !strings.Contains(res.Error.Message, "create:clients") {
		t.Fatalf("result error = %+v", res.Error)
	}
}

// A change with a consequence needs --yes, and without it nothing is applied.
func TestRunConsequenceNeedsYes(t *testing.T) {
	for _, yes := range []bool{false, true} {
		r := newFake()
		r.SAPlan = steps.NewServiceAccountPlan([]steps.Change{{Action: steps.Update, Resource: steps.Application, Name: "OpenMetadata",
			Consequence: "browser sign-in to OpenMetadata stops working"}})
		r.SA = &steps.ServiceAccount{Mode: steps.Same, App: r.UI, Grant: &steps.Grant{ID: "cgr_1", Audience: "https://acme.us.auth0.com/api/v2/", Created: true}}
		_, err := Run(context.Background(), testConfig(t, answers.Answers{ServiceAccount: "same"}), connectTo(r), Options{Yes: yes})
		applied := slices.Contains(r.Methods(), "ApplyUIApp")
		if yes {
			if err != nil || !applied {
				t.Fatalf("--yes: error %v, calls %v", err, r.Methods())
			}
			continue
		}
		var ie *setup.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "browser sign-in to OpenMetadata stops working; pass --yes") || applied {
			t.Fatalf("without --yes: error %v, calls %v", err, r.Methods())
		}
	}
}

func TestRunFailureNamesWhatWasCreated(t *testing.T) {
	r := newFake()
	r.SAPlan = steps.NewServiceAccountPlan([]steps.Change{{Action: steps.Create, Resource: steps.Application, Name: "OpenMetadata Ingestion Bot"}})
	r.Fail["ApplyServiceAccount"] = &steps.Error{Op: `create application "OpenMetadata Ingestion Bot"`, Meaning: "Auth0 failed", Hint: "try again", Status: 500, Code: "server_error", Auth0Message: "boom"}
	var progress bytes.Buffer
	res, err := Run(context.Background(), testConfig(t, answers.Answers{ServiceAccount: "separate"}), connectTo(r), Options{Progress: &progress})
	var re *setup.RunError
	if !errors.As(err, &re) {
		t.Fatalf("error = %v, want a *setup.RunError", err)
	}
	want := `create application "OpenMetadata Ingestion Bot": Auth0 failed — try again` +
		"\nAlready created in Auth0: kept, and found again by the next run.\n  - application \"OpenMetadata\" (client id ui-id)"
	if err.Error() != want {
		t.Fatalf("error:\n%s\nwant:\n%s", err, want)
	}
	if res.Error == nil || res.Error.Status != 500 || res.Error.Code != "server_error" || res.Error.Auth0Message != "boom" ||
		!slices.Equal(res.Error.Created, r.Created(context.Background())) || res.UIApp.ClientID != "ui-id" {
		t.Fatalf("result = %+v, error %+v", res, res.Error)
	}
}

func TestRunVerificationFailureStillWritesFiles(t *testing.T) {
	r := newFake()
	r.Verification = steps.Verification{Checks: []steps.Check{{Name: "token with HTTP Basic", OK: false, Detail: "401 access_denied"}}}
	cfg := testConfig(t, answers.Answers{})
	var progress bytes.Buffer
	res, err := Run(context.Background(), cfg, connectTo(r), Options{Progress: &progress, ASCII: true})
	if err == nil || !strings.Contains(err.Error(), "verification failed (token with HTTP Basic)") {
		t.Fatalf("error = %v", err)
	}
	if !strings.Contains(progress.String(), "FAILED: verification failed: token with HTTP Basic: 401 access_denied") {
		t.Fatalf("progress:\n%s", progress.String())
	}
	if len(res.Files) == 0 || res.Verification == nil || res.Verification.OK {
		t.Fatalf("result = %+v", res)
	}
}

func TestRunSecretsOnlyWhenRevealed(t *testing.T) {
	for _, reveal := range []bool{false, true} {
		r := newFake()
		r.SAPlan = steps.NewServiceAccountPlan([]steps.Change{{Action: steps.Create, Resource: steps.Application, Name: "Bot"}, {Action: steps.Create, Resource: steps.ClientGrant, Name: "https://acme.us.auth0.com/api/v2/"}})
		r.SA = &steps.ServiceAccount{Mode: steps.Separate,
			App:   &steps.App{ClientID: "bot-id", ClientSecret: botSecret, Name: "Bot", AppType: "non_interactive", Created: true},
			Grant: &steps.Grant{ID: "cgr_1", ClientID: "bot-id", Audience: "https://acme.us.auth0.com/api/v2/", Scopes: []string{"read:clients"}, Created: true}}
		cfg := testConfig(t, answers.Answers{ClientType: "confidential", ServiceAccount: "separate", Scopes: []string{"read:clients"}})
		var progress, report bytes.Buffer
		res, err := Run(context.Background(), cfg, connectTo(r), Options{Progress: &progress, Report: &report, RevealSecrets: reveal})
		if err != nil {
			t.Fatal(err)
		}
		js, _ := json.Marshal(res)
		answersFile, _ := os.ReadFile(filepath.Join(cfg.Out, "answers.yaml"))
		for _, secret := range []string{uiSecret, botSecret} {
			if got := strings.Contains(progress.String(), secret) && strings.Contains(string(js), secret); got != reveal {
				t.Errorf("reveal=%v: secret %q in progress and JSON = %v\n%s\n%s", reveal, secret, got, progress.String(), js)
			}
			if strings.Contains(report.String(), secret) || bytes.Contains(answersFile, []byte(secret)) {
				t.Errorf("secret %q in the report or answers.yaml", secret)
			}
		}
		if strings.Contains(progress.String()+report.String()+string(js)+string(answersFile), m2mSecret) {
			t.Errorf("the Management API secret leaked")
		}
		if !strings.Contains(progress.String(), `client grant for https://acme.us.auth0.com/api/v2/ created (scopes read:clients)`) {
			t.Errorf("progress:\n%s", progress.String())
		}
	}
}

func TestRunDetectsTheVersion(t *testing.T) {
	tests := []struct {
		name     string
		detect   func(context.Context, string) (openmetadata.Version, error)
		wantVer  string
		wantSA   steps.ServiceAccountMode
		wantLine string
	}{
		{"detected", func(_ context.Context, u string) (openmetadata.Version, error) {
			return openmetadata.Version{Major: 1, Patch: 2}, nil
		},
			"1.0.2", steps.Separate, "ok: OpenMetadata at https://om.acme.com is version 1.0.2"},
		{"not answering", func(context.Context, string) (openmetadata.Version, error) {
			return openmetadata.Version{}, errors.New("connection refused")
		},
			"2.0.0", steps.Skip, "warning: could not read OpenMetadata's version (connection refused): configuring for 2.0.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, answers.Answers{})
			cfg.Choices.Version = openmetadata.Version{}
			var progress bytes.Buffer
			_, err := Run(context.Background(), cfg, connectTo(newFake()), Options{DryRun: true, DetectVersion: tt.detect, Progress: &progress, ASCII: true})
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Choices.Version.String() != tt.wantVer || cfg.Choices.ServiceAccount != tt.wantSA || !strings.Contains(progress.String(), tt.wantLine) {
				t.Fatalf("version %s, mode %s, progress:\n%s", cfg.Choices.Version, cfg.Choices.ServiceAccount, progress.String())
			}
		})
	}
}

// What the renderers would refuse stops the run before it connects.
func TestRunValidatesBeforeConnecting(t *testing.T) {
	tests := []struct {
		name string
		a    answers.Answers
		want string
	}{
		{"admin", answers.Answers{Admins: []string{"${ADMIN}"}}, "admin: admin principal contains ${"},
		// Resolve refuses it too; Run checks a Config built otherwise.
		{"om url", answers.Answers{}, `om-url: OpenMetadata URL "openmetadata:8585" must start with http:// or https://`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, tt.a)
			if tt.name == "om url" {
				cfg.Choices.OMURL = "openmetadata:8585"
			}
			connected := false
			_, err := Run(context.Background(), cfg, func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
				connected = true
				return newFake(), nil
			}, Options{})
			var ie *setup.InputError
			if !errors.As(err, &ie) || connected || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, connected = %v", err, connected)
			}
		})
	}
}

func TestRunConnectFailure(t *testing.T) {
	want := &steps.Error{Op: "connect", Meaning: "bad credentials"}
	res, err := Run(context.Background(), testConfig(t, answers.Answers{}), func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
		return nil, want
	}, Options{})
	var re *setup.RunError
	if !errors.Is(err, want) || errors.As(err, &re) || res.Error == nil {
		t.Fatalf("error = %v (%T)", err, err)
	}
}

// The grant's progress line says what this run did: a grant planned for
// creation but found in place (Auth0 answered 409 and the steps took the
// existing one, Created false) is not reported as created.
func TestRunReportsWhatHappenedToTheGrant(t *testing.T) {
	const aud = "https://acme.us.auth0.com/api/v2/"
	tests := map[string]struct {
		plan    steps.Action
		created bool
		want    string
	}{
		"created by this run":          {steps.Create, true, "client grant for " + aud + " created (scopes read:clients)"},
		"planned, but found in place":  {steps.Create, false, "client grant for " + aud + " already existed (scopes read:clients)"},
		"kept":                         {steps.Keep, false, "client grant for " + aud + " already set up (scopes read:clients)"},
		"scopes changed on one it had": {steps.Update, false, "client grant for " + aud + " updated (scope) (scopes read:clients)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := newFake()
			grantChange := steps.Change{Action: tc.plan, Resource: steps.ClientGrant, Name: aud}
			if tc.plan == steps.Update {
				grantChange.Fields = []steps.FieldChange{{Field: "scope", From: "read:users", To: "read:clients"}}
			}
			r.SAPlan = steps.NewServiceAccountPlan([]steps.Change{{Action: steps.Keep, Resource: steps.Application, Name: "Bot"}, grantChange})
			r.SA = &steps.ServiceAccount{Mode: steps.Separate,
				App:   &steps.App{ClientID: "bot-id", ClientSecret: botSecret, Name: "Bot", AppType: "non_interactive"},
				Grant: &steps.Grant{ID: "cgr_1", ClientID: "bot-id", Audience: aud, Scopes: []string{"read:clients"}, Created: tc.created}}
			cfg := testConfig(t, answers.Answers{ServiceAccount: "separate", Scopes: []string{"read:clients"}})
			var progress bytes.Buffer
			if _, err := Run(context.Background(), cfg, connectTo(r), Options{Progress: &progress, ASCII: true}); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(progress.String(), "ok: "+tc.want+"\n") {
				t.Errorf("progress lacks %q:\n%s", tc.want, progress.String())
			}
		})
	}
}

// OpenMetadata 1.0 with the service account skipped: its ingestion config
// holds the ingestion-bot's JWT placeholder (authProvider openmetadata), and
// the run says so once, in the ingestion steps, with no warning about
// service-account placeholders the file does not have.
func TestRunLegacySkipNamesTheJWT(t *testing.T) {
	cfg := testConfig(t, answers.Answers{OMVersion: "1.0.2", ServiceAccount: "skip", Targets: []string{"docker"}})
	var progress, report bytes.Buffer
	if _, err := Run(context.Background(), cfg, connectTo(newFake()), Options{Progress: &progress, Report: &report, ASCII: true}); err != nil {
		t.Fatal(err)
	}
	want := "ok: service account skipped: OpenMetadata 1.0.2 ingestion signs in with the ingestion-bot's JWT instead of an Auth0 service account\n"
	if !strings.Contains(progress.String(), want) || strings.Contains(progress.String(), "warning:") {
		t.Errorf("progress:\n%s\nwant the line %q and no warning", progress.String(), want)
	}
	config, err := os.ReadFile(filepath.Join(cfg.Out, "ingestion", "workflow-config.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(config), "authProvider: openmetadata") || !strings.Contains(string(config), render.IngestionJWTPlaceholder) {
		t.Errorf("workflow-config.yaml does not hold the ingestion-bot JWT placeholder:\n%s", config)
	}
	if n := strings.Count(report.String(), "Settings > Bots > ingestion-bot"); n != 1 {
		t.Errorf("the report names the ingestion-bot's token %d times, want once:\n%s", n, report.String())
	}
}

// namedLater is a fake tenant whose Tenant records when the run waits for
// the tenant's name.
type namedLater struct{ *stepstest.Runner }

func (r namedLater) Tenant() (tenant.Domain, string) {
	_ = r.Record("Tenant")
	return r.Runner.Tenant()
}

// The tenant's name only decorates: no step waits for it, the progress line
// names the domain, and the result, made last, carries the name.
func TestRunWaitsForTheTenantNameLast(t *testing.T) {
	r := namedLater{newFake()}
	var progress bytes.Buffer
	res, err := Run(context.Background(), testConfig(t, answers.Answers{Targets: []string{"docker"}}), connectTo(r), Options{Progress: &progress, ASCII: true})
	if err != nil {
		t.Fatal(err)
	}
	wantCalls := []string{"MissingScopes", "PlanUIApp", "PlanServiceAccount", "ApplyUIApp", "ApplyServiceAccount", "Verify", "Tenant"}
	if !slices.Equal(r.Methods(), wantCalls) {
		t.Fatalf("calls = %v, want %v", r.Methods(), wantCalls)
	}
	if !strings.HasPrefix(progress.String(), "ok: connected to tenant acme.us.auth0.com\n") || res.TenantName != "Acme" {
		t.Fatalf("tenant name %q, progress:\n%s", res.TenantName, progress.String())
	}
}

// With the version to detect, the probe is sent with the token request:
// each of the two below waits for the other to have been sent (a run that
// sent them one after the other would see its probe time out). The progress
// lines keep their order whichever answer comes first.
func TestRunProbesWithTheConnection(t *testing.T) {
	for _, first := range []string{"probe", "token"} {
		t.Run(first+" answers first", func(t *testing.T) {
			probeSent, tokenSent := make(chan struct{}), make(chan struct{})
			probeAnswered, tokenAnswered := make(chan struct{}), make(chan struct{})
			wait := func(ch chan struct{}, what string) error {
				select {
				case <-ch:
					return nil
				case <-time.After(time.Second):
					return errors.New(what + " never came")
				}
			}
			detect := func(context.Context, string) (openmetadata.Version, error) {
				close(probeSent)
				defer close(probeAnswered)
				if err := wait(tokenSent, "the token request"); err != nil {
					return openmetadata.Version{}, err
				}
				if first == "token" {
					if err := wait(tokenAnswered, "the token's answer"); err != nil {
						return openmetadata.Version{}, err
					}
				}
				return openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, nil
			}
			connect := func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
				close(tokenSent)
				defer close(tokenAnswered)
				if err := wait(probeSent, "the version probe"); err != nil {
					return nil, err
				}
				if first == "probe" {
					if err := wait(probeAnswered, "the probe's answer"); err != nil {
						return nil, err
					}
				}
				return newFake(), nil
			}
			cfg := testConfig(t, answers.Answers{Targets: []string{"docker"}})
			cfg.Choices.Version = openmetadata.Version{}
			var progress bytes.Buffer
			res, err := Run(context.Background(), cfg, connect, Options{DetectVersion: detect, Progress: &progress, ASCII: true})
			if err != nil {
				t.Fatal(err)
			}
			want := "ok: OpenMetadata at https://om.acme.com is version 1.6.4\nok: connected to tenant acme.us.auth0.com\n"
			if !strings.HasPrefix(progress.String(), want) || cfg.Choices.Version.String() != "1.6.4" || res.TenantName != "Acme" {
				t.Fatalf("version %s, tenant name %q, progress:\n%s\nwant it to start with:\n%s", cfg.Choices.Version, res.TenantName, progress.String(), want)
			}
		})
	}
}

// An answer wrong for the detected version, found once connected, is still
// bad input (exit 2) that changes nothing.
func TestRunRefusesInputOnceTheVersionIsKnown(t *testing.T) {
	tests := []struct {
		name string
		a    answers.Answers
		want string
	}{
		{"confidential before 1.5", answers.Answers{ClientType: "confidential"}, "--client-type confidential needs OpenMetadata 1.5 or later, and this is OpenMetadata 1.0.2"},
		{"admin", answers.Answers{Admins: []string{"${ADMIN}"}}, "admin: admin principal contains ${"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig(t, tt.a)
			cfg.Choices.Version = openmetadata.Version{}
			r := newFake()
			detect := func(context.Context, string) (openmetadata.Version, error) {
				return openmetadata.Version{Major: 1, Patch: 2}, nil
			}
			res, err := Run(context.Background(), cfg, connectTo(r), Options{DetectVersion: detect})
			var ie *setup.InputError
			var re *setup.RunError
			if !errors.As(err, &ie) || errors.As(err, &re) || !strings.Contains(err.Error(), tt.want) || res.Error == nil {
				t.Fatalf("error = %v (%T), result error %+v", err, err, res.Error)
			}
			if len(r.Methods()) > 0 {
				t.Fatalf("the run went on to %v", r.Methods())
			}
			if _, err := os.Stat(cfg.Out); !errors.Is(err, os.ErrNotExist) {
				t.Fatalf("the output folder was created: %v", err)
			}
		})
	}
}

// A failed connection ends the probe too: nothing outlives Run.
func TestRunConnectFailureEndsTheProbe(t *testing.T) {
	ended := make(chan struct{})
	detect := func(ctx context.Context, _ string) (openmetadata.Version, error) {
		defer close(ended)
		select {
		case <-ctx.Done():
			return openmetadata.Version{}, ctx.Err()
		case <-time.After(time.Second):
			return openmetadata.Version{}, errors.New("the probe was never ended")
		}
	}
	cfg := testConfig(t, answers.Answers{})
	cfg.Choices.Version = openmetadata.Version{}
	want := &steps.Error{Op: "connect", Meaning: "bad credentials"}
	_, err := Run(context.Background(), cfg, func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
		return nil, want
	}, Options{DetectVersion: detect})
	if !errors.Is(err, want) {
		t.Fatalf("error = %v", err)
	}
	select {
	case <-ended:
	default:
		t.Fatal("the version probe was still running when Run returned")
	}
}
