package wizard

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"

	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// The tenant's name only decorates: the walk goes on without it, and the
// title and the Connect summary show it once its message arrives.
func TestTenantNameShownOnceItArrives(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(h *harness, _ *Options) { h.holdName = true })
	h.expectStep(guide.StepConnected)
	h.expectView("tenant: acme.us.auth0.com", "Connected to tenant acme.us.auth0.com")
	if v := h.view(); strings.Contains(v, "(Acme)") {
		t.Fatalf("the name shows before it arrived:\n%s", v)
	}
	if len(h.held) != 1 {
		t.Fatalf("%d commands wait for the tenant's name, want 1", len(h.held))
	}
	h.release()
	h.expectStep(guide.StepConnected)
	h.expectView("tenant: acme.us.auth0.com (Acme)", "Connected to tenant acme.us.auth0.com (Acme)")
}

// TestWalkEverySection drives the whole wizard with keys, the way an
// operator would, and checks each transition and every Auth0 call.
func TestWalkEverySection(t *testing.T) {
	cfg := completeConfig(t)
	h := newHarness(t, cfg)

	// Connect: the credentials were given, so it connects at once.
	h.expectStep(guide.StepConnected)
	h.expectView("Connected to tenant acme.us.auth0.com (Acme)", "8 Management API scopes granted", "tenant: acme.us.auth0.com (Acme)")
	h.keys("enter")

	// Server Credentials: the URL, then the version detected from it.
	h.expectStep(guide.StepOMURL)
	h.clear()
	h.typ("https://om.acme.internal/")
	h.expectView("https://om.acme.internal/callback will be an allowed callback.")
	h.keys("enter")
	h.expectStep(guide.StepServerForm)
	h.expectView("detected 1.6.4 from /api/v1/system/version", "1.5–1.9: ingestion signs in with the ingestion-bot JWT")
	if h.m.f.d.version != "1.6.4" {
		t.Fatalf("version default = %q, want the detected 1.6.4", h.m.f.d.version)
	}
	h.keys("enter", "enter", "enter", "enter") // version, public, create, name

	// Service Account: planned before anything changes; 1.6 defaults to skip; choose separate instead.
	h.expectStep(guide.StepServiceForm)
	if h.m.f.d.saMode != string(steps.Skip) {
		t.Fatalf("service account default = %q, want skip for 1.6", h.m.f.d.saMode)
	}
	h.expectView("OpenMetadata 1.1+ doesn't need one")
	h.keys("up", "up", "enter")
	h.expectStep(guide.StepBotName)
	h.keys("enter")
	h.expectStep(guide.StepScopes)
	h.expectView("read:users", "update:clients                 broad", "5 scopes · 0 selected", scopesWhy)
	h.keys("/")
	h.typ("read:cl")
	h.keys("enter", "space")
	h.expectView("5 scopes · 1 selected")
	h.keys("enter")

	// One confirmation of the whole plan, before the first write.
	h.expectStep(guide.StepConfirm)
	h.expectView("About to change tenant acme.us.auth0.com", `+ create application "OpenMetadata"`, "https://om.acme.internal/callback",
		`+ create application "OpenMetadata Ingestion Bot"`, `+ create client grant "https://acme.us.auth0.com/api/v2/"`, "Nothing else changes.")
	h.keys("enter")
	h.expectStep(guide.StepReady)
	h.expectView("Application ready (created)", "Client ID      uiClient9xYtQ2vQa", "Service account ready (created)", mask,
		"its credentials to service-account.yaml (mode 0600)")
	if strings.Contains(h.view(), "bot-secret-YmFyYmF6") || strings.Contains(h.view(), "ui-secret-Zm9vYmFy") {
		t.Fatal("a client secret is shown before it is revealed, or a public SPA's is shown at all")
	}
	h.keys("r")
	h.expectView("bot-secret-YmFyYmF6")
	h.keys("r", "enter")

	// Verify: a failed check is shown with its fix; enter goes on, and the run will end with exit 1.
	h.expectStep(guide.StepVerified)
	h.expectView("✓ token with HTTP Basic", "✗ granted scopes = requested — missing read:clients", "Some checks failed", "r re-run the checks")
	h.keys("enter")

	// Deployment: Kubernetes only, admins and principal domain asked.
	h.expectStep(guide.StepDeployForm)
	h.keys("up", "enter")
	h.typ("Alice.Smith, bob")
	h.keys("enter")
	h.typ("acme.com")
	h.keys("enter")
	h.expectStep(guide.StepDeployFiles)
	h.expectView("kubernetes/values-auth0.yaml  mode 0644", "(kubernetes) apply the files for OpenMetadata 1.6.4")
	h.keys("w")
	h.expectView(": 1 written (files with a secret")
	h.keys("enter")

	// Ingestion: an optional JWT, then the workflowConfig.
	h.expectStep(guide.StepIngestForm)
	h.typ("eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl")
	h.keys("enter")
	h.expectStep(guide.StepIngestFiles)
	h.expectView("ingestion/workflow-config.yaml  mode 0600", "jwtToken: "+mask)
	h.keys("enter")
	h.expectView(": 2 written (files with a secret")
	h.keys("enter")

	h.expectStep(guide.StepDone)
	h.expectView("verification failed: granted scopes = requested", `Created   application "OpenMetadata"`, `application "OpenMetadata Ingestion Bot"`, "Management API grant",
		"om-auth0 setup --answers "+filepath.Join(cfg.Out, "answers.yaml"))
	h.keys("enter")
	if !h.m.finished {
		t.Fatal("enter on Done did not finish the wizard")
	}

	want := []string{
		"Connect",
		"PlanUIApp(OpenMetadata,,public,1.6.4)",
		"ManagementAPIScopes",
		"PlanServiceAccount(separate,OpenMetadata Ingestion Bot,read:clients)",
		"StartServiceAccount(separate)",
		"ApplyUIApp(OpenMetadata)",
		"ApplyServiceAccount(separate)",
		"Verify",
	}
	if got := h.runner.Calls(); !slices.Equal(got, want) {
		t.Fatalf("Auth0 calls:\n got %q\nwant %q", got, want)
	}
	if cfg.Choices.OMURL != "https://om.acme.internal" || !slices.Equal(cfg.Admins, []string{"alice.smith", "bob"}) ||
		cfg.PrincipalDomain != "acme.com" || !slices.Equal(cfg.Targets, []openmetadata.Target{render.Kubernetes}) {
		t.Fatalf("config = %+v", cfg)
	}
	for path, mode := range map[string]os.FileMode{
		"kubernetes/values-auth0.yaml": 0o644, "ingestion/workflow-config.yaml": 0o600, "answers.yaml": 0o644,
	} {
		st, err := os.Stat(filepath.Join(cfg.Out, path))
		if err != nil || st.Mode().Perm() != mode {
			t.Errorf("%s: %v, mode %v, want %v", path, err, st.Mode().Perm(), mode)
		}
	}
	res := h.m.f.result()
	if res.Tenant != "acme.us.auth0.com" || res.UIApp.ClientID != "uiClient9xYtQ2vQa" || res.UIApp.ClientSecret != "" ||
		res.ServiceAccount == nil || res.Grant == nil || len(res.Files) != 3 || res.Verification.OK {
		t.Fatalf("result = %+v", res)
	}
}

// TestConnectForm asks for the tenant when the Config lacks it, validates
// it as it is typed, and hides the secret until ctrl+r.
func TestConnectForm(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(_ *harness, o *Options) { o.Config.Connect = steps.ConnectRequest{} })
	h.expectStep(guide.StepConnectForm)
	h.typ("acme..auth0.com")
	h.expectView(`✗ tenant domain "acme..auth0.com" is not a host name`)
	h.keys("enter")
	h.expectStep(guide.StepConnectForm) // blocked by the validation
	h.clear()
	h.typ("http://acme.us.auth0.com")
	h.expectView("uses http: Auth0 tenants are https only")
	h.clear()
	h.typ("acme.eu.auth0.com")
	if strings.Contains(h.view(), "✗") {
		t.Fatalf("a valid domain still shows an error:\n%s", h.view())
	}
	h.keys("enter", "enter")
	h.expectStep(guide.StepConnectCreds)
	h.expectView("Tenant  acme.eu.auth0.com", "Client ID", "Client Secret")
	h.typ("m2mClient")
	h.keys("enter")
	h.typ("s3cr3t-value")
	if strings.Contains(h.view(), "s3cr3t-value") {
		t.Fatal("the secret is echoed")
	}
	h.expectView("ctrl+r reveal")
	h.keys("ctrl+r")
	h.expectView("s3cr3t-value")
	h.keys("ctrl+r", "enter")
	h.expectStep(guide.StepConnected)
	want := steps.ConnectRequest{Domain: tenant.MustParse("acme.eu.auth0.com"), ClientID: "m2mClient", ClientSecret: "s3cr3t-value"}
	if len(h.conns) != 1 || h.conns[0] != want {
		t.Fatalf("connect requests = %+v, want %+v", h.conns, want)
	}
}

// TestConnectFailureGoesBackToTheForm: a failed connection explains itself;
// "back" shows the Connect form with what was given.
func TestConnectFailureGoesBackToTheForm(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(h *harness, _ *Options) {
		h.runner.Fail["Connect"] = &steps.Error{Op: "get a Management API token", Meaning: "Auth0 rejected the client credentials",
			Hint: "check the client ID and secret of your Management application", Status: 401, Code: "access_denied", Auth0Message: "Unauthorized"}
	})
	if h.m.err == nil {
		t.Fatalf("no error view:\n%s", h.view())
	}
	h.expectView("✗ get a Management API token failed", "Auth0 rejected the client credentials",
		"What to do: check the client ID and secret", "Auth0 said: 401 access_denied: Unauthorized", "r retry", "b back", "q quit")
	h.keys("b")
	h.expectStep(guide.StepConnectForm)
	if h.m.f.d.domain != "acme.us.auth0.com" {
		t.Fatalf("domain draft = %q", h.m.f.d.domain)
	}
	h.keys("enter", "enter")
	h.expectStep(guide.StepConnectCreds)
	h.keys("enter", "enter")
	h.expectStep(guide.StepConnected)
	if len(h.conns) != 2 {
		t.Fatalf("connect attempts = %d, want 2", len(h.conns))
	}
}

// TestErrorRetryAndQuit: retry runs the same call again; quit ends the
// wizard with that error.
func TestErrorRetryAndQuit(t *testing.T) {
	planErr := &steps.Error{Op: `find application "OpenMetadata"`, Meaning: "the credentials lack read:clients",
		Hint: "add read:clients to the Management application", Status: 403, Code: "insufficient_scope", Auth0Message: "Insufficient scope, expected any of: read:clients"}
	h := newHarness(t, completeConfig(t))
	h.runner.Fail["PlanUIApp"] = planErr
	h.keys("enter", "enter")
	h.expectStep(guide.StepServerForm)
	h.keys("enter", "enter", "enter", "enter")
	h.expectView("While: Looking up application \"OpenMetadata\"", "the credentials lack read:clients", "What to do: add read:clients")
	h.keys("r")
	h.expectStep(guide.StepServiceForm)

	h.keys("esc")
	h.expectStep(guide.StepOMURL)
	h.runner.Fail["PlanUIApp"] = planErr
	h.keys("enter", "enter", "enter", "enter", "enter")
	h.expectView("While: Looking up application")
	h.keys("q")
	if !errors.Is(h.m.quitErr, planErr) {
		t.Fatalf("quit error = %v", h.m.quitErr)
	}
}

// TestEscGoesBackOneSection: Esc returns to the previous section's first
// screen, never re-running an Auth0 change, and says that changes stay.
func TestEscGoesBackOneSection(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.keys("esc") // Connect is the first section: nothing to go back to
	h.expectStep(guide.StepConnected)
	h.keys("enter", "enter")
	h.expectStep(guide.StepServerForm)
	h.expectView("esc previous section")
	h.keys("esc")
	h.expectStep(guide.StepConnected)
	h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
	h.expectStep(guide.StepReady)
	h.keys("esc")
	h.expectStep(guide.StepOMURL)
	h.expectView("Back to Server Credentials. Changes already made in Auth0 stay")
	calls := len(h.runner.Calls())
	h.keys("enter", "enter", "enter", "enter", "enter", "enter")
	h.expectStep(guide.StepConfirm)
	// Both plans are made again; nothing is applied from the old ones.
	if got := h.runner.Calls()[calls:]; len(got) != 2 || got[0] != "PlanUIApp(OpenMetadata,,public,1.6.4)" || !strings.HasPrefix(got[1], "PlanServiceAccount(skip") {
		t.Fatalf("going forward again called %q", got)
	}
	h.keys("esc") // on a confirmation, Esc is "Back" to the form
	h.expectStep(guide.StepServiceForm)
	h.keys("esc") // the UI application was applied: back lands where its plan is made again
	h.expectStep(guide.StepOMURL)
}

// TestPickExistingApplication lists the tenant's applications, filters them
// and plans the chosen one by its client id.
func TestPickExistingApplication(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.keys("enter", "enter", "enter", "enter", "down", "enter", "enter")
	h.expectStep(guide.StepPickApp)
	h.expectView("+ Create a new application instead", "Legacy Portal", "reportsWeb02", "3 of 3 applications")
	h.typ("web")
	h.expectView("1 of 3 applications", "Reports")
	if strings.Contains(h.view(), "Legacy Portal") {
		t.Fatal("the filter kept a non-matching application")
	}
	h.keys("esc") // clears the filter, stays
	h.expectStep(guide.StepPickApp)
	h.expectView("3 of 3 applications")
	h.keys("down", "down", "enter")
	h.expectStep(guide.StepServiceForm)
	h.keys("enter")
	h.expectStep(guide.StepConfirm)
	h.expectView(`~ update application "Reports"`)
	if c := h.runner.LastChoices; c.AppID != "reportsWeb02" || c.AppName != "Reports" {
		t.Fatalf("planned with AppID %q name %q", c.AppID, c.AppName)
	}
	if got := h.runner.Calls(); !slices.Contains(got, "ListApps") {
		t.Fatalf("calls %q lack ListApps", got)
	}
}

// TestSameModeNeedsAnExplicitYes: --yes skips ordinary confirmations, but
// not the one for a plan with a consequence, whose default is No.
func TestSameModeNeedsAnExplicitYes(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(_ *harness, o *Options) { o.Yes = true })
	h.keys("enter", "enter", "enter", "enter", "enter", "enter")
	h.expectStep(guide.StepServiceForm)
	h.keys("up", "enter")
	h.expectStep(guide.StepScopes)
	h.keys("enter")
	h.expectStep(guide.StepConfirm) // the whole plan, with its consequence: asked despite --yes
	h.expectView(`+ create application "OpenMetadata"`, "! a public SPA whose token endpoint method is Basic can no longer complete the browser sign-in", "Apply this change anyway?")
	h.keys("enter") // the default: No
	h.expectStep(guide.StepScopes)
	if slices.ContainsFunc(h.runner.Calls(), func(c string) bool { return strings.HasPrefix(c, "Apply") }) {
		t.Fatal("declining applied a change")
	}
	h.keys("enter", "y")
	h.expectStep(guide.StepReady)
	if !slices.Contains(h.runner.Calls(), "ApplyServiceAccount(same)") {
		t.Fatalf("calls %q", h.runner.Calls())
	}
}

// TestLiveValidation shows each field's problem as it is typed.
func TestLiveValidation(t *testing.T) {
	tests := []struct {
		name  string
		reach []string // keys from the Connected screen to the field
		typed string
		want  string
	}{
		{"url without scheme", []string{"enter", "ctrl+u"}, "om.acme.internal", `OpenMetadata URL "om.acme.internal" must start with http:// or https://`},
		{"url with a space", []string{"enter", "ctrl+u"}, "https://om.acme.internal/a b", `OpenMetadata URL "https://om.acme.internal/a b" contains a space or control character`},
		{"version", []string{"enter", "enter", "ctrl+u"}, "1.x", `OpenMetadata version "1.x": give it like 1.6.4 or 2.0`},
		{"empty name", []string{"enter", "enter", "enter", "enter", "enter", "ctrl+u"}, " ", "the application name is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, completeConfig(t))
			h.keys(tt.reach...)
			h.typ(tt.typed)
			h.expectView("✗ " + tt.want)
		})
	}

	t.Run("confidential needs 1.5", func(t *testing.T) {
		h := newHarness(t, completeConfig(t))
		h.keys("enter", "enter", "ctrl+u")
		h.typ("1.2.0")
		h.keys("enter", "down")
		h.expectView("✗ a confidential client needs OpenMetadata 1.5 or later (this is 1.2.0): choose public")
		h.keys("enter")
		h.expectStep(guide.StepServerForm)
	})

	t.Run("principals", func(t *testing.T) {
		for typed, want := range map[string]string{
			"john doe":  `"john doe" has a space: separate principals with commas`,
			"@acme.com": `"@acme.com" has nothing before @`,
			" , ":       "give at least one admin",
		} {
			h := newHarness(t, completeConfig(t), func(_ *harness, o *Options) { o.Yes = true })
			h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
			h.expectStep(guide.StepDeployForm)
			h.keys("enter")
			h.typ(typed)
			h.expectView("✗ " + want)
		}
	})
}

// TestAdminEmails: the Deployment form takes admins as the command line
// does (setup.Principals): emails or local parts, lowercased, and the
// principal domain left empty is the emails' domain.
func TestAdminEmails(t *testing.T) {
	toDeployForm := func(t *testing.T) (*harness, *setup.Config) {
		cfg := completeConfig(t)
		h := newHarness(t, cfg, func(_ *harness, o *Options) { o.Yes = true })
		h.keys("enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter", "enter")
		h.expectStep(guide.StepDeployForm)
		h.keys("enter")
		return h, cfg
	}

	t.Run("domain from the emails", func(t *testing.T) {
		h, cfg := toDeployForm(t)
		h.typ("Alice@Acme.com, Bob.Smith@acme.com")
		h.keys("enter")
		h.expectView("> acme.com") // the empty domain's placeholder: what it defaults to
		if strings.Contains(h.view(), "✗") {
			t.Fatalf("emails rejected:\n%s", h.view())
		}
		h.keys("enter")
		h.expectStep(guide.StepDeployFiles)
		if !slices.Equal(cfg.Admins, []string{"alice", "bob.smith"}) || cfg.PrincipalDomain != "acme.com" {
			t.Fatalf("admins %q, principal domain %q", cfg.Admins, cfg.PrincipalDomain)
		}
	})

	t.Run("email outside the domain given", func(t *testing.T) {
		h, cfg := toDeployForm(t)
		h.typ("alice@acme.com")
		h.keys("enter")
		h.typ("other.com")
		h.keys("enter")
		h.expectView(`✗ "alice@acme.com" is not in the principal domain "other.com"`)
		h.expectStep(guide.StepDeployForm)
		if cfg.Admins != nil {
			t.Fatalf("admins %q were taken", cfg.Admins)
		}
	})

	t.Run("local parts need the domain", func(t *testing.T) {
		h, _ := toDeployForm(t)
		h.typ("alice")
		h.keys("enter", "enter")
		h.expectView("✗ give your users' email domain, like acme.com")
		h.expectStep(guide.StepDeployForm)
	})
}

// TestLegacyVersion: OpenMetadata 1.0 defaults to a separate service
// account and needs no ingestion-bot JWT.
func TestLegacyVersion(t *testing.T) {
	cfg := completeConfig(t)
	cfg.Admins, cfg.PrincipalDomain = []string{"alice"}, "acme.com"
	h := newHarness(t, cfg, func(_ *harness, o *Options) { o.Yes, o.DetectVersion = true, nil })
	h.keys("enter", "enter", "ctrl+u")
	h.typ("1.0.2")
	h.expectView("≤ 1.0: ingestion signs in with Auth0 client credentials, so it needs the service account")
	h.keys("enter", "enter", "enter", "enter")
	h.expectStep(guide.StepServiceForm)
	if h.m.f.d.saMode != string(steps.Separate) {
		t.Fatalf("service account default = %q, want separate for 1.0", h.m.f.d.saMode)
	}
	h.expectView("OpenMetadata ≤ 1.0 ingestion signs in with this account's client credentials")
	h.keys("enter", "enter", "enter", "enter", "enter") // separate, its name, no scopes, ready, verified
	h.expectStep(guide.StepDeployForm)
	h.expectView("Where does OpenMetadata run?")
	if strings.Contains(h.view(), "Admin principals") {
		t.Fatal("asked for admins that were given")
	}
	h.keys("enter", "w", "enter")
	h.expectStep(guide.StepIngestFiles) // no JWT question for 1.0
	h.expectView("OpenMetadata 1.0.2: authProvider auth0, with the service account's client id and secret.")
}

// TestCtrlCQuits: Ctrl+C stops the wizard at any screen, even while Auth0 works.
func TestCtrlCQuits(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.keys("enter", "enter")
	cmd := h.m.enter(guide.StepApplyUI) // an Auth0 call in flight
	_ = cmd
	_, quit := h.m.Update(namedKeys["ctrl+c"])
	if !h.m.aborted || quit == nil || h.m.ctx.Err() == nil {
		t.Fatalf("aborted %v, quit cmd %v, context %v", h.m.aborted, quit, h.m.ctx.Err())
	}
	if !errors.Is(ErrAborted, context.Canceled) || !errors.Is(ErrAborted, huh.ErrUserAborted) {
		t.Fatal("ErrAborted must match context.Canceled and huh.ErrUserAborted")
	}
}

// TestMissingScopesAreNamedBeforeChanges: the scopes the credentials lack
// are named on the Connect screen with the fix, and the wizard does not go
// on to planning until a re-check finds them granted.
func TestMissingScopesAreNamedBeforeChanges(t *testing.T) {
	h := newHarness(t, completeConfig(t), func(h *harness, _ *Options) { h.runner.Missing = []string{"create:clients"} })
	want := "✗ create:clients — to " + steps.ScopeReason("create:clients")
	h.expectView("! The Management credentials lack scopes this setup needs:", want, "What to do: authorize application", "r re-check", "b back", "q quit")
	h.keys("enter")
	if h.m.step != guide.StepConnected || h.m.err == nil {
		t.Fatalf("enter went on to step %d past missing scopes", h.m.step)
	}
	h.runner.Missing = nil // granted in the dashboard
	h.keys("r")
	h.expectStep(guide.StepConnected)
	h.expectView("The credentials hold every Management API scope this setup needs.")
	if len(h.conns) != 2 {
		t.Fatalf("connections = %d, want 2 (the re-check connects again)", len(h.conns))
	}
	if slices.ContainsFunc(h.runner.Calls(), func(c string) bool { return strings.HasPrefix(c, "Plan") || strings.HasPrefix(c, "Apply") }) {
		t.Fatalf("calls %q before the scopes were there", h.runner.Calls())
	}
}

// TestScopeFilterEsc: in the scope picker, esc first ends the typing of a
// filter, then clears the filter, and only then goes back a section; the
// footer says which one it does.
func TestScopeFilterEsc(t *testing.T) {
	h := newHarness(t, completeConfig(t))
	h.keys("enter", "enter", "enter", "enter", "enter", "enter", "up", "up", "enter", "enter")
	h.expectStep(guide.StepScopes)
	h.keys("/")
	h.typ("read")
	h.send(tea.WindowSizeMsg{Width: 100, Height: 30}) // a resize keeps the filter being typed
	h.keys("enter")
	h.expectStep(guide.StepScopes)
	if v := h.view(); strings.Contains(v, "update:clients") {
		t.Fatalf("the filter %q did not apply:\n%s", "read", v)
	}
	if f := footerOf(h); !strings.Contains(f, "esc clear filter") || strings.Count(f, "esc") != 1 {
		t.Fatalf("footer %q: esc clears the filter here", f)
	}
	h.keys("esc")
	h.expectStep(guide.StepScopes)
	h.expectView("update:clients", "read:users")
	h.expectView("esc previous section")
	h.keys("esc")
	if h.m.step == guide.StepScopes {
		t.Fatalf("esc without a filter stayed in the scope picker:\n%s", h.view())
	}
}

// TestSelectKeys: a select moves only on the keys the footer names, stops
// at its ends, and shift+tab leaves it even while its answer is invalid.
func TestSelectKeys(t *testing.T) {
	toClientType := func(t *testing.T, version string) *harness {
		h := newHarness(t, completeConfig(t))
		h.keys("enter", "enter", "ctrl+u")
		h.typ(version)
		h.keys("enter")
		if k := h.m.form.GetFocusedField().GetKey(); k != "clientType" {
			t.Fatalf("focused %q, want clientType", k)
		}
		return h
	}
	tests := []struct {
		name    string
		version string
		keys    []string
		want    string // the client type after the keys
		focus   string // the focused field after the keys
	}{
		{"down stops at the last option", "1.6.4", []string{"down", "down"}, "confidential", "clientType"},
		{"up stops at the first option", "1.6.4", []string{"up"}, "public", "clientType"},
		{"letters typed into a select change nothing", "1.6.4", []string{"down", "j", "k", "g", "G", "h", "l", "1", "."}, "confidential", "clientType"},
		{"shift+tab leaves an invalid answer for the version", "1.2.0", []string{"down", "enter", "shift+tab"}, "confidential", "version"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := toClientType(t, tt.version)
			h.keys(tt.keys...)
			if got := h.m.f.d.clientType; got != tt.want {
				t.Errorf("client type = %q, want %q", got, tt.want)
			}
			if k := h.m.form.GetFocusedField().GetKey(); k != tt.focus {
				t.Errorf("focused %q, want %q:\n%s", k, tt.focus, h.view())
			}
		})
	}

	t.Run("the version fixed, the form goes on", func(t *testing.T) {
		h := toClientType(t, "1.2.0")
		h.keys("down", "enter")
		h.expectView("✗ a confidential client needs OpenMetadata 1.5 or later")
		h.keys("shift+tab", "ctrl+u")
		h.typ("1.6.4")
		h.keys("enter", "enter", "enter", "enter")
		h.expectStep(guide.StepServiceForm)
		if h.m.f.Cfg.Choices.ClientType != openmetadata.Confidential {
			t.Fatalf("client type %q, want confidential", h.m.f.Cfg.Choices.ClientType)
		}
	})
}

// TestCtrlCAfterFilesWritten: a run stopped after it wrote files names them
// beside what it created in Auth0.
func TestCtrlCAfterFilesWritten(t *testing.T) {
	h := walkToDeployPreview(t)
	h.runner.SetCreated(`application "OpenMetadata" (client id uiClient9xYtQ2vQa)`)
	if got := h.m.f.stoppedText(); strings.Contains(got, "written") {
		t.Fatalf("files listed before any was written:\n%s", got)
	}
	h.keys("w")
	h.keys("ctrl+c")
	if !h.m.aborted {
		t.Fatal("ctrl+c did not stop the wizard")
	}
	got := h.m.f.stoppedText()
	for _, want := range []string{"uiClient9xYtQ2vQa", "Already written in openmetadata-auth0 (", "kubernetes/values-auth0.yaml"} {
		if !strings.Contains(got, want) {
			t.Errorf("lacks %q:\n%s", want, got)
		}
	}
}
