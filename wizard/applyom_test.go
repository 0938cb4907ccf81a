package wizard

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/om-auth0/om-auth0/apply"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/iostreams"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/steps"
)

// applySeam is a fake prepared apply: it records each call and its
// request, and answers with its plan, validation and outcome.
type applySeam struct {
	mu         sync.Mutex
	calls      []string
	reqs       []guide.ApplyRequest
	plan       *apply.Plan
	validation omapi.Validation
	outcome    *guide.ApplyOutcome
	storeErr   error
}

func newApplySeam() *applySeam {
	return &applySeam{
		plan: &apply.Plan{OMURL: "https://om.acme.internal", OMVersion: "2.0.2",
			App: &steps.App{Name: "OpenMetadata", ClientID: "uiClientId"},
			Fields: []apply.Field{
				{Name: "authenticationConfiguration.provider", Action: steps.Update, From: "basic", To: "auth0"},
				{Name: "authenticationConfiguration.clientType", Action: steps.Keep, To: "confidential"},
				{Name: "authenticationConfiguration.clientId", Action: steps.Create, To: "uiClientId"},
				{Name: "authenticationConfiguration.oidcConfiguration.secret", Action: steps.Create, To: "********"},
				{Name: "authorizerConfiguration.adminPrincipals", Action: steps.Update, From: "[admin]", To: "[alice]"},
			}},
		validation: omapi.Validation{Status: "success", Results: []omapi.ValidationResult{
			{Component: "auth0-client", Status: "success", Message: "client credentials obtained"},
			{Component: "jwks", Status: "success", Message: "2 keys"}}},
		outcome: &guide.ApplyOutcome{Confirmed: true, NextSteps: []string{
			"Restart OpenMetadata (every replica) to make alice@acme.com administrator(s).",
			`Browser sessions signed in with "basic" end now: everyone signs in again, with Auth0.`}},
	}
}

func (a *applySeam) record(call string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls = append(a.calls, call)
}

func (a *applySeam) called() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.calls)
}

func (a *applySeam) prepare(_ context.Context, req guide.ApplyRequest) (guide.ApplySession, error) {
	a.record("prepare")
	a.mu.Lock()
	a.reqs = append(a.reqs, req)
	a.mu.Unlock()
	return a, nil
}

func (a *applySeam) PlanText(ascii bool) string {
	var b strings.Builder
	apply.WritePlan(&b, ascii, a.plan)
	return b.String()
}

func (a *applySeam) Changes() bool { return a.plan.Changes() }

func (a *applySeam) Validate(context.Context) (omapi.Validation, error) {
	a.record("validate")
	return a.validation, nil
}

func (a *applySeam) Store(context.Context) (*guide.ApplyOutcome, error) {
	a.record("store")
	return a.outcome, a.storeErr
}

// at20 makes the version probe answer 2.0.2, which keeps its settings in its database.
func at20(_ *harness, o *Options) {
	o.DetectVersion = func(context.Context, string) (openmetadata.Version, error) {
		return openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, nil
	}
}

// withToken gives the wizard an OpenMetadata admin token, as the sandbox does.
func withToken(_ *harness, o *Options) { o.OMAdminToken = omAdminToken }

// walkToApply walks to the end of Deployment with seam as the apply, and writes its files.
func walkToApply(t *testing.T, seam *applySeam, opts ...harnessOption) *harness {
	t.Helper()
	h := walkToDeployPreview(t, opts...)
	h.m.f.ApplyOM = seam.prepare
	h.keys("w", "enter")
	return h
}

// TestApplySection drives "Apply to OpenMetadata" by keys: apply now or not
// now, the credential asked only when the wizard has none, the plan and
// validation before a confirmation whose default is No, a failed validation
// stopping at the error view unless stored anyway, and the result.
func TestApplySection(t *testing.T) {
	const typedToken = "typed-om-token-dG9rZW4"
	for _, tt := range []struct {
		name  string
		opts  []harnessOption
		seam  func(*applySeam)
		keys  func(h *harness) // from the Apply form to leaving the section
		calls []string
		apply bool
		view  []string // on the last screen of the section
		check func(t *testing.T, h *harness, seam *applySeam)
	}{
		{name: "apply now, stored", opts: []harnessOption{at20, withToken},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.expectView("Plan for OpenMetadata 2.0.2 at https://om.acme.internal", "~ provider", "basic → auth0",
					"✓ OpenMetadata's validation passed", "✓ auth0-client: client credentials obtained", "Store these settings in OpenMetadata?")
				h.keys("y")
				h.expectStep(guide.StepApplied)
			},
			calls: []string{"prepare", "validate", "store"}, apply: true,
			view: []string{"✓ Stored the SSO settings in OpenMetadata at http", "✓ Read them back",
				"Restart OpenMetadata (every replica)", `Browser sessions signed in with "basic" end now`},
			check: func(t *testing.T, h *harness, seam *applySeam) {
				req := seam.reqs[0]
				if req.OMToken != omAdminToken || req.Config.Choices.OMURL != h.m.f.Cfg.Choices.OMURL || req.Config.PrincipalDomain != "acme.com" {
					t.Errorf("apply request %+v", req)
				}
				if r, err := req.Connect(context.Background(), steps.ConnectRequest{}); err != nil || r != steps.Runner(h.runner) {
					t.Errorf("the apply's Connect gave %v, %v; want the wizard's session", r, err)
				}
			}},
		{name: "default No goes back to the question", opts: []harnessOption{at20, withToken},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.keys("enter")
				h.expectStep(guide.StepApplyForm)
				h.keys("down", "enter")
			},
			calls: []string{"prepare", "validate"}},
		{name: "not now", opts: []harnessOption{at20, withToken},
			keys: func(h *harness) { h.keys("down", "enter") }},
		{name: "nothing to change", opts: []harnessOption{at20, withToken},
			seam: func(a *applySeam) {
				for i := range a.plan.Fields {
					a.plan.Fields[i].Action, a.plan.Fields[i].From = steps.Keep, ""
				}
			},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplied)
			},
			calls: []string{"prepare"}, apply: true,
			view: []string{"already has these settings: nothing was stored."}},
		{name: "validation fails, declined", opts: []harnessOption{at20, withToken},
			seam: func(a *applySeam) {
				a.validation = omapi.Validation{Status: "failed", Results: []omapi.ValidationResult{
					{Component: "auth0-client", Status: "failed", Message: "access denied for client credentials"}}}
			},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.expectView("✗ OpenMetadata's validation FAILED", "✗ auth0-client: access denied", "Store the settings anyway?")
				h.keys("enter")
				if h.m.err == nil {
					h.t.Fatalf("no error view:\n%s", h.view())
				}
				h.expectView("validation of the settings failed: auth0-client", "Nothing was stored", "r retry", "b back")
				h.keys("b")
				h.expectStep(guide.StepApplyForm)
				h.keys("down", "enter")
			},
			calls: []string{"prepare", "validate"}},
		{name: "validation fails, stored anyway", opts: []harnessOption{at20, withToken},
			seam: func(a *applySeam) {
				a.validation = omapi.Validation{Status: "failed", Results: []omapi.ValidationResult{{Component: "jwks", Status: "failed", Message: "unreachable"}}}
			},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.keys("y")
				h.expectStep(guide.StepApplied)
			},
			calls: []string{"prepare", "validate", "store"}, apply: true},
		{name: "store fails", opts: []harnessOption{at20, withToken},
			seam: func(a *applySeam) {
				a.outcome, a.storeErr = nil, errors.New("PUT /api/v1/system/security/config: 409 Conflict")
			},
			keys: func(h *harness) {
				h.keys("enter", "y")
				if h.m.err == nil {
					h.t.Fatalf("no error view:\n%s", h.view())
				}
				h.expectView("409 Conflict", "Storing the SSO settings")
				h.keys("b")
				h.expectStep(guide.StepApplyForm)
				h.keys("down", "enter")
			},
			calls: []string{"prepare", "validate", "store"}},
		{name: "token asked, masked", opts: []harnessOption{at20},
			keys: func(h *harness) {
				h.keys("enter")
				h.expectStep(guide.StepApplyCredKind)
				h.keys("enter")
				h.expectStep(guide.StepApplyCreds)
				h.typ(typedToken)
				h.expectView("Administrator's token")
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.keys("y")
			},
			calls: []string{"prepare", "validate", "store"}, apply: true,
			check: func(t *testing.T, h *harness, seam *applySeam) {
				if req := seam.reqs[0]; req.OMToken != typedToken || req.OMAdminEmail != "" {
					t.Errorf("apply request %+v", req)
				}
			}},
		{name: "basic sign-in asked", opts: []harnessOption{at20},
			keys: func(h *harness) {
				h.keys("enter", "down", "enter")
				h.expectStep(guide.StepApplyCreds)
				h.typ("admin@open-metadata.org")
				h.keys("enter")
				h.typ("admin-password")
				h.keys("enter")
				h.expectStep(guide.StepApplyConfirm)
				h.keys("enter") // No: back to the nearest question, the credential
				h.expectStep(guide.StepApplyCreds)
				h.keys("enter", "enter")
				h.expectStep(guide.StepApplyConfirm)
				h.keys("y")
			},
			calls: []string{"prepare", "validate", "prepare", "validate", "store"}, apply: true,
			check: func(t *testing.T, h *harness, seam *applySeam) {
				if req := seam.reqs[0]; req.OMToken != "" || req.OMAdminEmail != "admin@open-metadata.org" || req.OMAdminPassword != "admin-password" {
					t.Errorf("apply request %+v", req)
				}
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seam := newApplySeam()
			if tt.seam != nil {
				tt.seam(seam)
			}
			h := walkToApply(t, seam, tt.opts...)
			h.expectStep(guide.StepApplyForm)
			h.expectView("Apply to OpenMetadata", "Apply the settings to OpenMetadata at", "> Apply now", "Not now — show me the manual steps")
			tt.keys(h)
			for _, want := range tt.view {
				if !strings.Contains(h.view(), want) {
					t.Errorf("the screen lacks %q:\n%s", want, h.view())
				}
			}
			for _, secret := range []string{omAdminToken, typedToken, "admin-password"} {
				if strings.Contains(h.view(), secret) {
					t.Fatalf("a credential is on screen:\n%s", h.view())
				}
			}
			if h.m.step == guide.StepApplied {
				h.keys("enter")
			}
			h.expectStep(guide.StepIngestForm)
			if got := seam.called(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls %v, want %v", got, tt.calls)
			}
			ans := h.m.f.Cfg.Answers()
			if got := ans.Apply != nil && *ans.Apply; got != tt.apply {
				t.Errorf("answers.yaml's apply is %v, want %v", got, tt.apply)
			}
			if tt.check != nil {
				tt.check(t, h, seam)
			}
		})
	}
}

// TestApplySectionSkipped: before 1.10 (the settings are in the files), or
// without an apply, Deployment leads to Ingestion.
func TestApplySectionSkipped(t *testing.T) {
	for _, tt := range []struct {
		name  string
		opts  []harnessOption
		apply bool
	}{
		{"1.6", []harnessOption{withToken}, true},
		{"no apply", []harnessOption{at20, withToken}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seam := newApplySeam()
			h := walkToDeployPreview(t, tt.opts...)
			if tt.apply {
				h.m.f.ApplyOM = seam.prepare
			}
			h.keys("w", "enter")
			h.expectStep(guide.StepIngestForm)
			if len(seam.called()) > 0 {
				t.Errorf("calls %v", seam.called())
			}
			// Back from Ingestion passes over the skipped section.
			h.keys("esc")
			h.expectStep(guide.StepDeployForm)
		})
	}
}

// TestGoldenApplyPlan snapshots the apply's plan and validation with the
// confirmation at 100×30 with the ASCII colour profile.
func TestGoldenApplyPlan(t *testing.T) {
	h := walkToApply(t, newApplySeam(), at20, withToken)
	h.keys("enter")
	h.expectStep(guide.StepApplyConfirm)
	requireGolden(t, h.asciiView())
}

// TestApplyPlanFitsSmallScreens: on 80×24 a long plan gives way, never the
// question and its buttons.
func TestApplyPlanFitsSmallScreens(t *testing.T) {
	seam := newApplySeam()
	for i := range 12 {
		seam.plan.Fields = append(seam.plan.Fields, apply.Field{Name: fmt.Sprintf("authenticationConfiguration.extra%d", i), Action: steps.Create, To: "value"})
	}
	h := walkToApply(t, seam, at20, withToken)
	h.keys("enter")
	h.expectStep(guide.StepApplyConfirm)
	for _, size := range []tea.WindowSizeMsg{{Width: 100, Height: 30}, {Width: 80, Height: 24}} {
		h.send(size)
		h.expectView("Plan for OpenMetadata 2.0.2", "more, 1 setting kept as they are;",
			"✓ OpenMetadata's validation passed for auth0-client, jwks", "Store these settings in OpenMetadata?", "[No]")
	}
}

// TestAccessibleApply: the accessible prompts walk the same entries: the
// choice, the credential (its answer never echoed), the plan and the
// validation before "Store these settings in OpenMetadata? [y/N]"; a
// failed validation declined is the failure's "What now?".
func TestAccessibleApply(t *testing.T) {
	const typed = "typed-om-token-dG9rZW4"
	walk := []string{"https://om.acme.internal", "", "", "", "", "", "y", "", "1", "alice", "acme.com", ""}
	for _, tt := range []struct {
		name    string
		token   string // the wizard's admin token
		failed  bool
		answers []string
		calls   []string
		want    []string
		aborted bool
	}{
		{"stored", omAdminToken, false, []string{"", "y", ""}, []string{"prepare", "validate", "store"},
			[]string{"== Apply to OpenMetadata ==", "Plan for OpenMetadata 2.0.2", "~ provider", "basic → auth0",
				"✓ auth0-client: client credentials obtained", "Store these settings in OpenMetadata? [y/N]", "✓ Stored the SSO settings", "Restart OpenMetadata"}, false},
		{"not now", omAdminToken, false, []string{"2", ""}, nil, []string{"Not now — show me the manual steps"}, false},
		{"validation failed, declined, then not now", omAdminToken, true, []string{"", "", "2", "2", ""}, []string{"prepare", "validate"},
			[]string{"✗ OpenMetadata's validation FAILED", "Store the settings anyway? [y/N]", "validation of the settings failed: auth0-client", "What now?"}, false},
		// Without a terminal the token cannot be read: the choice of credential is asked again, never the same prompt in a loop.
		{"no terminal for the token", "", false, []string{"", ""}, nil,
			[]string{"OpenMetadata administrator.", "✗ an administrator's token is needed to apply"}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			seam := newApplySeam()
			if tt.failed {
				seam.validation = omapi.Validation{Status: "failed", Results: []omapi.ValidationResult{
					{Component: "auth0-client", Status: "failed", Message: "access denied"}}}
			}
			ios, _, _, errOut := iostreams.Test()
			ios.In = &lineReader{lines: append(slices.Clone(walk), tt.answers...)}
			runner := newFakeRunner()
			f := newFlow(Options{IO: ios, Config: completeConfig(t), Accessible: true, OMAdminToken: tt.token,
				Connect: func(context.Context, steps.ConnectRequest) (steps.Runner, error) {
					return runner, runner.Record("Connect")
				},
				DetectVersion: func(context.Context, string) (openmetadata.Version, error) {
					return openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, nil
				},
			})
			f.RenderFiles, f.nextSteps = fakeFiles(f.Cfg), fakeNextSteps
			f.ApplyOM = seam.prepare
			_, err := runAccessible(context.Background(), f)
			out := errOut.String()
			if tt.aborted {
				if !errors.Is(err, ErrAborted) {
					t.Fatalf("error %v, want the end of input:\n%s", err, out)
				}
			} else if err == nil || !strings.Contains(err.Error(), "verification failed") {
				t.Fatalf("error %v, want the fake's failed verification:\n%s", err, out)
			}
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("output lacks %q", want)
				}
			}
			if strings.Contains(out, typed) {
				t.Error("the token typed is echoed")
			}
			if got := seam.called(); !slices.Equal(got, tt.calls) {
				t.Errorf("calls %v, want %v", got, tt.calls)
			}
			if !tt.aborted && !strings.Contains(out, "== Configure Ingestion ==") {
				t.Error("the run did not go on to Ingestion")
			}
			if t.Failed() {
				t.Log(out)
			}
		})
	}
}
