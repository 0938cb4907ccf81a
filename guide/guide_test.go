package guide

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
	"github.com/om-auth0/om-auth0/tenant"
)

// TestStepOrder: every step belongs to a section, in order; only Auth0
// calls write; every call step has a call and a label.
func TestStepOrder(t *testing.T) {
	prev := SectionConnect
	for s := ID(0); s < NumSteps; s++ {
		if s.Section() < prev {
			t.Fatalf("step %d goes back to section %d", s, s.Section())
		}
		prev = s.Section()
		if s.Writes() && s.Kind() != KindWork {
			t.Fatalf("step %d writes but is not an Auth0 call", s)
		}
		switch s.Kind() {
		case KindWork, KindLoad, KindFiles:
			if table[s].Call == nil || table[s].Label == nil {
				t.Fatalf("step %d has no call or no label", s)
			}
		}
	}
	for _, tt := range []struct {
		step ID
		sec  Section
	}{{StepConnected, SectionConnect}, {StepPlanUI, SectionServer}, {StepConfirm, SectionService}, {StepVerified, SectionVerify}, {StepDone, SectionDone}} {
		if tt.step.Section() != tt.sec {
			t.Errorf("step %d is in section %d, want %d", tt.step, tt.step.Section(), tt.sec)
		}
	}
	if !(StepPlanUI < StepPlanSA && StepPlanSA < StepConfirm && StepConfirm < StepApplyUI && StepApplyUI < StepApplySA && StepApplySA < StepVerify) {
		t.Fatal("every change must be planned and confirmed before the first write, and verified after the last")
	}
}

// TestVerifyLabel: only a service account's check fetches a real token, so
// only then does the progress line say so.
func TestVerifyLabel(t *testing.T) {
	bot := &steps.App{ClientID: "bot"}
	for _, tt := range []struct {
		sa   *steps.ServiceAccount
		want string
	}{
		{nil, "Verifying: discovery, signing keys and sign-in URLs…"},
		{&steps.ServiceAccount{Mode: steps.Skip}, "Verifying: discovery, signing keys and sign-in URLs…"},
		{&steps.ServiceAccount{Mode: steps.Separate, App: bot}, "Verifying: fetching real tokens…"},
	} {
		s := NewState(&setup.Config{})
		s.SA = tt.sa
		if got := s.Label(StepVerify); got != tt.want {
			t.Errorf("SA %+v: %q, want %q", tt.sa, got, tt.want)
		}
	}
}

// TestBackAfterApplyPlansAgain: once the UI application is applied, going
// back never lands between its (stale) plan and the confirmation.
func TestBackAfterApplyPlansAgain(t *testing.T) {
	s := NewState(&setup.Config{})
	s.AskConnect = false
	if to, ok := s.Back(StepVerified); !ok || to != StepServiceForm {
		t.Fatalf("before any apply: back to %d, want the service form", to)
	}
	s.UI = &steps.App{ClientID: "ui"}
	for _, from := range []ID{StepVerified, StepReady, StepConfirm} {
		if to, _ := s.Back(from); to != StepOMURL {
			t.Errorf("after the apply, back from %d lands on %d, want the OpenMetadata URL", from, to)
		}
	}
	if to := s.Retreat(StepConfirm); to != StepOMURL {
		t.Errorf("after the apply, a declined confirmation retreats to %d, want the OpenMetadata URL", to)
	}
}

// TestPreflightOncePerSessionAndChoices: a passed check is not repeated
// until the session or the choices change; a failed one names every scope.
func TestPreflightOncePerSessionAndChoices(t *testing.T) {
	r := stepstest.New()
	s := NewState(&setup.Config{})
	s.Runner = r
	for range 2 {
		if err := s.Preflight(); err != nil {
			t.Fatal(err)
		}
	}
	s.Cfg.Choices.ServiceAccount = steps.Separate
	r.Missing = []string{"create:client_grants", "read:client_grants"}
	err := s.Preflight()
	var ms *MissingScopesError
	if !errors.As(err, &ms) || !strings.Contains(err.Error(), "create:client_grants, read:client_grants") {
		t.Fatalf("error %v", err)
	}
	if n := strings.Count(strings.Join(r.Methods(), " "), "MissingScopes"); n != 2 {
		t.Fatalf("MissingScopes asked %d times, want 2", n)
	}
}

// grantScopesRunner lacks only the scopes a service account needs.
type grantScopesRunner struct{ *stepstest.Runner }

func (r grantScopesRunner) MissingScopes(c steps.Choices) []string {
	if c.ServiceAccount != steps.Skip {
		return []string{"create:client_grants"}
	}
	return nil
}

// TestPreflightBeforeTheModeIsChosen: once connected, before the wizard has
// asked for the service account, the check is for what every path needs;
// the service account's scopes are checked once it is chosen.
func TestPreflightBeforeTheModeIsChosen(t *testing.T) {
	s := NewState(&setup.Config{})
	s.Runner = grantScopesRunner{stepstest.New()}
	if err := s.Preflight(); err != nil {
		t.Fatalf("no mode chosen yet: %v", err)
	}
	s.Cfg.Choices.ServiceAccount = steps.Separate
	var ms *MissingScopesError
	if err := s.Preflight(); !errors.As(err, &ms) || ms.Missing[0] != "create:client_grants" {
		t.Fatalf("separate: %v", err)
	}
}

// fakeReport is a check's report.
type fakeReport string

func (r fakeReport) Text(*present.Styles) string { return string(r) }

// TestCheckAfterDone: the check is offered only when the driver has one and
// OpenMetadata answered its version probe; it checks a copy of this run's
// answers over the session the run has (no new connection) with the admin
// token, and its report is kept. Done and the results end the run; the
// check itself does not.
func TestCheckAfterDone(t *testing.T) {
	v := openmetadata.Version{Major: 2, Minor: 0, Patch: 2}
	for _, tt := range []struct {
		name     string
		check    bool
		detected *openmetadata.Version
		want     bool
	}{
		{"no check", false, &v, false},
		{"not detected", true, nil, false},
		{"detected", true, &v, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState(&setup.Config{Choices: steps.Choices{OMURL: "https://om.acme.internal"}})
			if tt.check {
				s.Check = func(context.Context, CheckRequest) CheckReport { return fakeReport("") }
			}
			s.Detected = tt.detected
			if got := s.CanCheck(); got != tt.want {
				t.Fatalf("CanCheck = %v, want %v", got, tt.want)
			}
			if s.Skip(StepCheck) == tt.want || s.Skip(StepChecked) == tt.want {
				t.Fatalf("the check's steps skipped = %v, %v; want %v", s.Skip(StepCheck), s.Skip(StepChecked), !tt.want)
			}
		})
	}

	r := stepstest.New()
	s := NewState(&setup.Config{Choices: steps.Choices{OMURL: "https://om.acme.internal"}, Connect: steps.ConnectRequest{Domain: tenant.MustParse("acme.us.auth0.com")}})
	s.Runner, s.Detected, s.OMToken = r, &v, "om-admin-token"
	var got CheckRequest
	s.Check = func(_ context.Context, req CheckRequest) CheckReport {
		got = req
		return fakeReport("✗ om.provider")
	}
	if l := s.Label(StepCheck); l != "Checking OpenMetadata at https://om.acme.internal and Auth0 tenant https://acme.us.auth0.com (read-only)…" {
		t.Errorf("label %q", l)
	}
	res, err := s.Call(StepCheck)(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res.Apply(s)
	if s.Checked == nil || s.Checked.Text(nil) != "✗ om.provider" {
		t.Fatalf("report not kept: %v", s.Checked)
	}
	if got.OMToken != "om-admin-token" || got.Config == s.Cfg || got.Config.Choices.OMURL != "https://om.acme.internal" {
		t.Errorf("request %+v", got)
	}
	if got.Connect == nil {
		t.Fatal("the check connects again instead of using the run's session")
	}
	if runner, err := got.Connect(context.Background(), steps.ConnectRequest{}); err != nil || runner != steps.Runner(r) {
		t.Errorf("Connect gave %v, %v; want the run's runner", runner, err)
	}
	if len(r.Calls()) != 0 {
		t.Errorf("the check called Auth0 itself: %v", r.Calls())
	}
	for id, final := range map[ID]bool{StepIngestFiles: false, StepDone: true, StepCheck: false, StepChecked: true} {
		if id.Final() != final {
			t.Errorf("step %d final = %v, want %v", id, id.Final(), final)
		}
	}
}
