package guide

import (
	"errors"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/steps/stepstest"
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
