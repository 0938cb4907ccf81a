package wizard

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/output"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

func TestValidators(t *testing.T) {
	bot := (&flow{State: guide.NewState(&setup.Config{Choices: steps.Choices{AppName: "OpenMetadata"}})}).validBotName
	tests := []struct {
		name     string
		validate func(string) error
		in       string
		wantErr  string // "" means valid
	}{
		{"domain", validDomain, "acme.us.auth0.com", ""},
		{"domain https", validDomain, "https://acme.us.auth0.com/", ""},
		{"domain loopback http", validDomain, "http://127.0.0.1:4000", ""},
		{"domain http", validDomain, "http://acme.us.auth0.com", "https only"},
		{"domain path", validDomain, "acme.us.auth0.com/x", "host only"},
		{"om url", validOMURL, "https://om.acme.internal:8585", ""},
		{"om url no scheme", validOMURL, "om.acme.internal", "http:// or https://"},
		{"om url query", validOMURL, "https://om?x=1", "base URL only"},
		{"om url empty", validOMURL, "  ", "missing"},
		{"om url space", validOMURL, "https://om.acme.internal/a b", "space or control character"},
		{"om url variable", validOMURL, "https://om.acme.internal/${X}", "${"},
		{"version", validVersion, "1.12.6-release", ""},
		{"version old", validVersion, "0.12.0", "not supported"},
		{"principals", validPrincipals, "alice, bob.smith", ""},
		{"principals empty", validPrincipals, " , ", "at least one admin"},
		{"principals space", validPrincipals, "bob smith", "has a space"},
		{"principals email", validPrincipals, "Bob@Acme.com", ""},
		{"principals emails and local parts", validPrincipals, "bob@acme.com, alice", ""},
		{"principals nothing before @", validPrincipals, "@acme.com", "nothing before @"},
		{"principals emails in two domains", validPrincipals, "bob@acme.com, eve@evil.com", `"eve@evil.com" is not in the principal domain "acme.com"`},
		{"principal domain", validPrincipalDomain, "acme.co.uk", ""},
		{"principal domain email", validPrincipalDomain, "bob@acme.com", `("acme.com")`},
		{"principal domain bad", validPrincipalDomain, "acme_com", "not a domain name"},
		{"jwt empty", validJWT, "", ""},
		{"jwt", validJWT, "eyJhbGciOi.eyJzdWIiOi.c2ln", ""},
		{"jwt two parts", validJWT, "eyJ.eyJ", "three parts"},
		{"name", nonEmpty("the name"), "OpenMetadata", ""},
		{"name blank", nonEmpty("the name"), " ", "the name is required"},
		{"om url port above 65535", validOMURL, "http://om.acme.com:99999", "invalid port"},
		{"om url bad host", validOMURL, "http://om..acme.com", "invalid host"},
		{"principal domain control character", validPrincipalDomain, "acme\x1b.com", "not a domain name"},
		{"principals control character", validPrincipals, "alice\x1b]0;x\a", "contains a control character"},
		{"app name", setup.CheckAppName, "OpenMetadata (prod)", ""},
		{"app name blank", setup.CheckAppName, " ", "the application name is required"},
		{"app name escape sequence", setup.CheckAppName, "OM\x1b[2J", "control character"},
		{"app name too long", setup.CheckAppName, strings.Repeat("x", setup.MaxAppNameLength+1), "at most 128"},
		{"client id", validClientID, " uJ0mGn3qE8pY4tQ2vXa7sLk9bR1cW5dZ ", ""},
		{"client id blank", validClientID, " ", "the client ID is required"},
		{"client id pasted with a newline inside", validClientID, "uJ0mGn3q\nE8pY", "is not an Auth0 client id"},
		{"bot name", bot, "OpenMetadata Ingestion Bot", ""},
		{"bot name is the app name", bot, "openmetadata", "is also the UI application's name"},
		{"bot name with <", bot, "<b>", "< or >"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.validate(tt.in)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("%q: unexpected error %v", tt.in, err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("%q: error %v, want one containing %q", tt.in, err, tt.wantErr)
			}
		})
	}
}

func TestClientTypeFits(t *testing.T) {
	for _, tt := range []struct {
		ct      openmetadata.ClientType
		version string
		ok      bool
	}{
		{openmetadata.Public, "1.0.2", true}, {openmetadata.Confidential, "1.4.9", false},
		{openmetadata.Confidential, "1.5.0", true}, {openmetadata.Confidential, "2.0.2", true},
	} {
		v, _ := openmetadata.ParseVersion(tt.version)
		if err := clientTypeFits(tt.ct, v); (err == nil) != tt.ok {
			t.Errorf("%s on %s: %v", tt.ct, tt.version, err)
		}
	}
}

func TestMaskSecrets(t *testing.T) {
	text := "OIDC_CLIENT_SECRET=s3cret-value\nJWT=eyJ.a.b-token\nshort=abc"
	secrets := []string{"s3cret-value", "eyJ.a.b-token", "abc", ""}
	got := maskSecrets(text, secrets, false)
	if strings.Contains(got, "s3cret-value") || strings.Contains(got, "eyJ.a.b-token") || !strings.Contains(got, "SECRET="+mask) {
		t.Fatalf("masked:\n%s", got)
	}
	if !strings.Contains(got, "short=abc") {
		t.Fatal("a value too short to be a secret was masked")
	}
	if maskSecrets(text, secrets, true) != text {
		t.Fatal("revealed text was changed")
	}
}

func TestPlanText(t *testing.T) {
	p := &steps.Plan{Changes: []steps.Change{
		{Action: steps.Keep, Resource: steps.Application, Name: "OpenMetadata"},
		{Action: steps.Update, Resource: steps.ClientGrant, Name: "https://acme/api/v2/",
			Fields: []steps.FieldChange{{Field: "scope", From: "read:users", To: "read:clients"}}, Reason: "OpenMetadata's validator asks"},
	}}
	got := present.Plan(plainStyles(), "acme.us.auth0.com", p.Changes)
	for _, want := range []string{"About to change tenant acme.us.auth0.com", `= keep application "OpenMetadata" as it is`,
		`~ update client grant "https://acme/api/v2/"`, "read:users → read:clients\n    why: OpenMetadata's validator asks\n", "Nothing else changes."} {
		if !strings.Contains(got, want) {
			t.Errorf("plan text lacks %q:\n%s", want, got)
		}
	}
	if got := present.Plan(plainStyles(), "acme", []steps.Change{{Action: steps.Keep, Resource: steps.Application, Name: "x"}}); !strings.HasPrefix(got, "Nothing to change") {
		t.Errorf("a plan that keeps everything reads %q", got)
	}
}

// TestNextStepsTextIngestionOnce: the text left in the scrollback says how
// to apply each target's files, then how to use the ingestion config once
// (the real renderers' text, not one copy per target).
func TestNextStepsTextIngestionOnce(t *testing.T) {
	cfg := completeConfig(t)
	cfg.Choices = steps.Choices{OMURL: "https://om.acme.internal", Version: openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, ClientType: openmetadata.Public}
	cfg.Targets, cfg.Admins, cfg.PrincipalDomain = render.AllTargets, []string{"alice"}, "acme.com"
	f := newFlow(Options{Config: cfg})
	f.RenderFiles = fakeFiles(cfg)
	f.UI = &steps.App{ClientID: "uiClient9xYtQ2vQa", Name: "OpenMetadata", AppType: "spa"}
	f.Written[guide.StepDeployFiles] = []output.FileResult{{Path: "docker/openmetadata_auth0.env"}, {Path: "bare-metal/openmetadata-auth0.yaml"}, {Path: "kubernetes/values-auth0.yaml"}}
	f.Written[guide.StepIngestFiles] = []output.FileResult{{Path: "ingestion/workflow-config.yaml"}, {Path: "answers.yaml"}}

	got := f.nextStepsText(plainStyles())
	for _, once := range []string{"Next steps for Docker:", "Next steps for bare metal:", "Next steps for Kubernetes:", "Next steps for ingestion:",
		"Settings > Bots > ingestion-bot", "metadata ingest -c"} {
		if n := strings.Count(got, once); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", once, n, got)
		}
	}
	if strings.Index(got, "Next steps for ingestion:") < strings.Index(got, "Next steps for Kubernetes:") {
		t.Errorf("ingestion comes before a target:\n%s", got)
	}
	// The Ingestion tab's steps are that same text.
	tabs, err := f.tabs(guide.StepIngestFiles)
	if err != nil || len(tabs) != 1 || !strings.Contains(got, indent(tabs[0].apply, "  ")) {
		t.Errorf("ingestion tab %+v (%v) differs from the text printed at the end:\n%s", tabs, err, got)
	}
}

// TestNextStepsNameFilesByAbsolutePath: the commands the wizard shows and
// leaves in the scrollback work as pasted from any folder (docker compose
// reads --env-file from the current folder), even when the output folder was
// given relative and holds a space.
func TestNextStepsNameFilesByAbsolutePath(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	cfg := completeConfig(t)
	cfg.Out = "om out"
	cfg.Choices = steps.Choices{OMURL: "https://om.acme.internal", Version: openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, ClientType: openmetadata.Confidential}
	cfg.Targets, cfg.Admins, cfg.PrincipalDomain = render.AllTargets, []string{"alice"}, "acme.com"
	f := newFlow(Options{Config: cfg})
	f.RenderFiles = fakeFiles(cfg)
	f.UI = &steps.App{ClientID: "uiClient9xYtQ2vQa", ClientSecret: "s3cret", Name: "OpenMetadata", AppType: "regular_web"}
	f.Written[guide.StepDeployFiles] = []output.FileResult{{Path: "om out/docker/openmetadata_auth0.env"}}

	got := f.nextStepsText(plainStyles())
	abs := filepath.Join(base, "om out")
	for _, want := range []string{
		"docker compose --env-file '" + filepath.Join(abs, "docker", "openmetadata_auth0.env") + "' up -d",
		"kubectl apply --namespace default -f '" + filepath.Join(abs, "kubernetes", "oidc-secrets.yaml") + "'",
		"--values '" + filepath.Join(abs, "kubernetes", "values-auth0.yaml") + "'",
		"to those in '" + filepath.Join(abs, "bare-metal", "openmetadata-auth0.yaml") + "'",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("next steps lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "relative to the output folder") {
		t.Errorf("next steps name files relative to the output folder:\n%s", got)
	}
}

// TestPlanTextColumns: every value starts in one column, at least two spaces
// after the longest label ("token endpoint auth method" is 26 characters).
func TestPlanTextColumns(t *testing.T) {
	p := &steps.Plan{Changes: []steps.Change{
		{Action: steps.Create, Resource: steps.Application, Name: "OpenMetadata Ingestion Bot", Fields: []steps.FieldChange{
			{Field: "app_type", To: "non_interactive"},
			{Field: "token_endpoint_auth_method", To: "client_secret_post"},
			{Field: "grant_types", To: "client_credentials"}}},
		{Action: steps.Update, Resource: steps.ClientGrant, Name: "https://acme/api/v2/",
			Fields: []steps.FieldChange{{Field: "scope", From: "read:users", To: "read:clients"}}},
	}}
	got := present.Plan(plainStyles(), "acme.us.auth0.com", p.Changes)
	col := -1
	for _, want := range []string{"non_interactive", "client_secret_post", "client_credentials", "read:users → read:clients"} {
		var line string
		for l := range strings.SplitSeq(got, "\n") {
			if strings.HasSuffix(l, want) {
				line = l
			}
		}
		i := strings.Index(line, want)
		if i < 2 || line[i-2:i] != "  " {
			t.Errorf("value %q is not two spaces after its label:\n%s", want, got)
		}
		if col >= 0 && i != col {
			t.Errorf("value %q starts at column %d, the others at %d:\n%s", want, i, col, got)
		}
		col = i
	}
	if !strings.Contains(got, "token endpoint auth method  client_secret_post") {
		t.Errorf("plan text:\n%s", got)
	}
}

func manyApps(n int) []steps.AppSummary {
	apps := make([]steps.AppSummary, n)
	for i := range apps {
		apps[i] = steps.AppSummary{ClientID: fmt.Sprintf("client%06d", i), Name: fmt.Sprintf("App %d", i), AppType: []string{"spa", "regular_web", "non_interactive"}[i%3]}
	}
	return apps
}

func TestAppPicker(t *testing.T) {
	p := newAppPicker(newAppIndex(manyApps(5000)), "client004999", 10)
	if p.cursor != 5000 || p.offset != 4991 {
		t.Fatalf("cursor %d offset %d: the given application is not selected", p.cursor, p.offset)
	}
	for _, r := range "app 12" {
		p.update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	// "app 12" matches App 12, App 120–129, App 1200–1299: 111 applications.
	if len(p.matches) != 111 || p.cursor != 1 {
		t.Fatalf("%d matches, cursor %d", len(p.matches), p.cursor)
	}
	view := p.view(plainStyles(), 98)
	if !strings.Contains(view, "111 of 5000 applications") || strings.Count(view, "\n") != 11 {
		t.Fatalf("view:\n%s", view)
	}
	chosen, id, _ := p.update(tea.KeyPressMsg{Code: tea.KeyEnter})
	if !chosen || id != "client000012" {
		t.Fatalf("chose %v %q", chosen, id)
	}
	p.update(tea.KeyPressMsg{Code: tea.KeyUp})
	if chosen, id, _ := p.update(tea.KeyPressMsg{Code: tea.KeyEnter}); !chosen || id != "" {
		t.Fatalf("row 0 should create a new application, got %v %q", chosen, id)
	}
	if !p.clearFilter() || len(p.matches) != 5000 || p.clearFilter() {
		t.Fatal("clearing the filter")
	}
}

// BenchmarkAppPickerKeystroke is one filter keystroke and a redraw over
// 5000 applications: it must stay well under a frame (16 ms).
func BenchmarkAppPickerKeystroke(b *testing.B) {
	p := newAppPicker(newAppIndex(manyApps(5000)), "", 20)
	st := plainStyles()
	keys := []tea.KeyPressMsg{{Code: '1', Text: "1"}, {Code: tea.KeyBackspace}}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		p.update(keys[i%2])
		_ = p.view(st, 98)
	}
}

func TestWrapLines(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"short", []string{"short"}},
		{"  label      value one two three", []string{"  label      value one two", "             three"}},
		{"  plain words that go on and on", []string{"  plain words that go on and", "  on"}},
		{"  helm upgrade --reuse-values --values x.yaml", []string{"  helm upgrade", "  --reuse-values --values", "  x.yaml"}},
		{"  Key  aVeryLongTokenWithoutAnySpacesAtAll", []string{"  Key  aVeryLongTokenWithout", "       AnySpacesAtAll"}},
		// A word that does not fit after its label but fits under it moves there whole.
		{"  Secret  abcdefghijklmnopqrstu", []string{"  Secret", "    abcdefghijklmnopqrstu"}},
		{"  Files   /a/very/long/path/x/ (6 written)", []string{"  Files", "    /a/very/long/path/x/ (6", "    written)"}},
		{"  ✓ JWKS answers at https://acme.us.auth0.com/jwks", []string{"  ✓ JWKS answers at", "    https://acme.us.auth0.co", "    m/jwks"}},
		{"  + create application \"OpenMetadata\"", []string{"  + create application", "    \"OpenMetadata\""}},
	}
	for _, tt := range tests {
		if got := wrapLines(tt.in, 28); !slices.Equal(got, tt.want) {
			t.Errorf("wrapLines(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestAppTextSaysWhatTheRunDid: right after an update the application is
// "updated", not "found"; created and kept ones say so too.
func TestAppTextSaysWhatTheRunDid(t *testing.T) {
	app := &steps.App{ClientID: "ui", Name: "OpenMetadata", AppType: "spa"}
	for _, tt := range []struct {
		action  steps.Action
		created bool
		want    string
	}{
		{steps.Update, false, "Application ready (updated)"},
		{steps.Create, true, "Application ready (created)"},
		{steps.Keep, false, "Application ready (already set up)"},
	} {
		a := *app
		a.Created = tt.created
		p := &steps.Plan{Changes: []steps.Change{{Action: tt.action, Resource: steps.Application, Name: "OpenMetadata",
			Fields: []steps.FieldChange{{Field: "callbacks", From: "a", To: "b"}}}}}
		if got := appText(plainStyles(), "Application", &a, p, false, false, false); !strings.Contains(got, tt.want) || strings.Contains(got, "Client Secret") {
			t.Errorf("%s: %q, want %q and no secret row", tt.action, got, tt.want)
		}
	}
}
