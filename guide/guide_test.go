package guide

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/omapi"
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

// fakeApply is a prepared apply that changes a setting or not.
type fakeApply struct{ changes bool }

func (fakeApply) PlanText(bool) string { return "plan" }
func (a fakeApply) Changes() bool      { return a.changes }
func (fakeApply) Validate(context.Context) (omapi.Validation, error) {
	return omapi.Validation{Status: "success"}, nil
}
func (fakeApply) Store(context.Context) (*ApplyOutcome, error) {
	return &ApplyOutcome{Confirmed: true}, nil
}

// TestApplySteps: "Apply to OpenMetadata" is walked on 1.10+ with an
// apply only; its credential steps only when the driver has none; its
// validation, confirmation and store only for a plan that changes a
// setting; validation, confirmation and store come after the plan, in that order.
func TestApplySteps(t *testing.T) {
	if !(StepDeployFiles < StepApplyForm && StepApplyPlan < StepApplyValidate && StepApplyValidate < StepApplyConfirm &&
		StepApplyConfirm < StepApplyStore && StepApplyStore < StepApplied && StepApplied < StepIngestForm) {
		t.Fatal("the apply must be planned, validated and confirmed before it stores, between Deployment and Ingestion")
	}
	prepare := func(context.Context, ApplyRequest) (ApplySession, error) { return fakeApply{}, nil }
	all := []ID{StepApplyForm, StepApplyCredKind, StepApplyCreds, StepApplyPlan, StepApplyValidate, StepApplyConfirm, StepApplyStore, StepApplied}
	for _, tt := range []struct {
		name     string
		version  string
		apply    bool // the driver can apply
		chosen   bool // the operator chose Apply now
		ask      bool // no admin credential
		prepared *fakeApply
		walked   []ID
	}{
		{"1.6", "1.6.4", true, true, false, nil, nil},
		{"no apply", "2.0.2", false, true, false, nil, nil},
		{"not now", "2.0.2", true, false, true, nil, []ID{StepApplyForm}},
		{"now, with a token", "2.0.2", true, true, false, nil, []ID{StepApplyForm, StepApplyPlan, StepApplied}},
		{"now, asked", "1.10.0", true, true, true, nil, []ID{StepApplyForm, StepApplyCredKind, StepApplyCreds, StepApplyPlan, StepApplied}},
		{"planned, a change", "2.0.2", true, true, false, &fakeApply{true},
			[]ID{StepApplyForm, StepApplyPlan, StepApplyValidate, StepApplyConfirm, StepApplyStore, StepApplied}},
		{"planned, nothing to change", "2.0.2", true, true, false, &fakeApply{false}, []ID{StepApplyForm, StepApplyPlan, StepApplied}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v, err := openmetadata.ParseVersion(tt.version)
			if err != nil {
				t.Fatal(err)
			}
			st := NewState(&setup.Config{Choices: steps.Choices{Version: v}, Apply: tt.chosen})
			st.AskOMCredential = tt.ask
			if tt.apply {
				st.ApplyOM = prepare
			}
			want := tt.walked
			if tt.prepared != nil {
				st.Applying = *tt.prepared
			}
			var got []ID
			for _, id := range all {
				if !st.Skip(id) {
					got = append(got, id)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("walked %v, want %v", got, want)
			}
			// Back from Ingestion lands on the section's question, or passes over it.
			back, _ := st.Back(StepIngestForm)
			if len(want) > 0 && back != StepApplyForm || len(want) == 0 && back != StepDeployForm {
				t.Errorf("back from Ingestion lands on %d", back)
			}
		})
	}
}

// TestApplyValidationErr names each problem OpenMetadata's validation
// found, and says nothing was stored; a passed one is no error.
func TestApplyValidationErr(t *testing.T) {
	st := NewState(&setup.Config{})
	if st.ApplyValidationErr() != nil {
		t.Fatal("an error before any validation")
	}
	st.ApplyValidation = &omapi.Validation{Status: "success"}
	if st.ApplyValidationErr() != nil {
		t.Fatal("an error for a passed validation")
	}
	st.ApplyValidation = &omapi.Validation{Status: "failed", Results: []omapi.ValidationResult{
		{Component: "oidc", Status: "failed", Message: "discovery unreachable"}, {Component: "jwks", Status: "success"}}}
	err := st.ApplyValidationErr()
	if err == nil || !strings.Contains(err.Error(), "oidc") || !strings.Contains(err.Error(), "discovery unreachable") ||
		strings.Contains(err.Error(), "jwks") || !strings.Contains(err.Error(), "Nothing was stored") {
		t.Fatalf("error %v", err)
	}
}

// The UI application's step names the separate service account too: both
// are created at once.
func TestApplyUILabelNamesBothApplications(t *testing.T) {
	create := func(name string) []steps.Change {
		return []steps.Change{{Action: steps.Create, Resource: steps.Application, Name: name}}
	}
	for _, tt := range []struct {
		mode steps.ServiceAccountMode
		sa   []steps.Change
		want string
	}{
		{steps.Separate, create("Bot"), `Creating application "UI"; creating application "Bot"…`},
		{steps.Separate, []steps.Change{{Action: steps.Keep, Resource: steps.Application, Name: "Bot"}}, `Creating application "UI"…`},
		{steps.Same, create("UI"), `Creating application "UI"…`},
	} {
		s := &State{Cfg: &setup.Config{}, UIPlan: steps.NewUIPlan(create("UI")), SAPlan: steps.NewServiceAccountPlan(tt.sa)}
		s.Cfg.Choices.ServiceAccount = tt.mode
		if got := table[StepApplyUI].Label(s); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.mode, got, tt.want)
		}
	}
}

// The tenant's name comes after the connection: the label names the host
// until then, and a name read for an earlier session (before connecting
// again, to another tenant) is dropped.
func TestTenantNameOfTheSessionOnly(t *testing.T) {
	st := NewState(testConfig(t, answers.Answers{}))
	if st.TenantLabel() != "" {
		t.Fatalf("label before connecting = %q", st.TenantLabel())
	}
	first, second := stepstest.New(), stepstest.New()
	second.Domain, second.Name = tenant.MustParse("beta.eu.auth0.com"), "Beta"
	Connected{Runner: first, Domain: first.Domain}.Apply(st)
	if got := st.TenantLabel(); got != "acme.us.auth0.com" {
		t.Fatalf("label before the name = %q", got)
	}
	stale := st.TenantNameCall()
	Connected{Runner: second, Domain: second.Domain}.Apply(st)
	for _, tt := range []struct {
		call Call
		want string
	}{{stale, "beta.eu.auth0.com"}, {st.TenantNameCall(), "beta.eu.auth0.com (Beta)"}} {
		res, err := tt.call(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		res.Apply(st)
		if got := st.TenantLabel(); got != tt.want {
			t.Errorf("label = %q, want %q", got, tt.want)
		}
	}
}
