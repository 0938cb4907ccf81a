package setup_test

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// A confidential setup for OpenMetadata 2.0 says in its plan why the
// application gets client_credentials and a Management API grant, reports
// the grant, and writes files whose settings the simulated OpenMetadata's
// validator accepts; a second run finds the grant in place.
func TestConfidentialSetupSaysWhatTheValidatorNeeds(t *testing.T) {
	t.Parallel()
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	om := omsim.NewTest(t, omsim.Options{Version: "2.0.2", HTTPClient: ten.HTTPClient()})
	id, secret := ten.CreateM2MApp("om-auth0 test", sandbox.WizardScopes)
	cfg, missing, err := setup.Resolve(setup.Layer{Source: setup.FromFlags,
		Answers: answers.Answers{Domain: ten.URL(), ClientID: id, OMURL: om.URL(), OMVersion: "2.0.2", ClientType: "confidential",
			Admins: []string{"alice@example.com"}, PrincipalDomain: "example.com", Out: filepath.Join(t.TempDir(), "out")},
		Secrets: answers.Secrets{ClientSecret: secret}})
	if err != nil || len(missing) > 0 {
		t.Fatalf("resolve: %v %v", missing, err)
	}
	connect := func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
		return steps.Connect(ctx, req, steps.Options{HTTPClient: ten.HTTPClient()})
	}
	aud := ten.Domain().ManagementAudience()
	const why = "OpenMetadata's validator requests a client-credentials token for the Management API with this application's credentials"

	var plan bytes.Buffer
	if _, err := guide.Run(context.Background(), cfg, connect, guide.Options{DryRun: true, Report: &plan, ASCII: true}); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	for _, want := range []string{
		"      grant types                 authorization_code, refresh_token, client_credentials\n",
		"    why: grant type client_credentials: " + why + "\n",
		"  + create client grant \"" + aud + "\"\n      application                 OpenMetadata (to be created)\n      scope                       (none)\n    why: " + why + "\n",
	} {
		if !strings.Contains(plan.String(), want) {
			t.Errorf("dry run's plan lacks %q:\n%s", want, plan.String())
		}
	}

	var progress bytes.Buffer
	res, err := guide.Run(context.Background(), cfg, connect, guide.Options{Progress: &progress, ASCII: true})
	if err != nil {
		t.Fatalf("setup: %v\n%s", err, progress.String())
	}
	if want := "client grant for " + aud + " created (no scopes), as OpenMetadata's validator asks"; !strings.Contains(progress.String(), want) {
		t.Errorf("progress lacks %q:\n%s", want, progress.String())
	}
	if !strings.Contains(progress.String(), "verified: "+steps.CheckValidatorToken(aud)) {
		t.Errorf("progress lacks the validator's token check:\n%s", progress.String())
	}

	// The files' settings, as doctor and apply send them to the validator.
	ui := &steps.App{ClientID: res.UIApp.ClientID}
	for _, c := range ten.Clients() {
		if c.ClientID == ui.ClientID {
			ui.ClientSecret, ui.TokenEndpointAuthMethod = c.ClientSecret, c.TokenEndpointAuthMethod
		}
	}
	want, err := render.SecuritySettings(cfg.RenderInput(ui, nil))
	if err != nil {
		t.Fatal(err)
	}
	body, err := omapi.WithSettings(om.SettingsJSON(), want)
	if err != nil {
		t.Fatal(err)
	}
	api, err := omapi.New(om.URL(), omapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v, err := api.WithToken(om.AdminToken()).Validate(context.Background(), body); err != nil || !v.Passed() {
		t.Errorf("OpenMetadata's validator: %v %q", err, v.Problems())
	}

	progress.Reset()
	if _, err := guide.Run(context.Background(), cfg, connect, guide.Options{Progress: &progress, ASCII: true}); err != nil {
		t.Fatalf("second setup: %v", err)
	}
	if want := "client grant for " + aud + " already set up (no scopes)"; !strings.Contains(progress.String(), want) {
		t.Errorf("second run's progress lacks %q:\n%s", want, progress.String())
	}
}
