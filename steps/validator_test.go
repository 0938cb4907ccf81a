package steps_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// validatorReason is the reason the plan gives for what OpenMetadata's validator needs.
const validatorReason = "OpenMetadata's validator requests a client-credentials token for the Management API with this application's credentials"

// deployment is a simulated tenant and a simulated OpenMetadata whose
// settings validator asks that tenant.
type deployment struct {
	*tenantUnderTest
	om *omsim.Server
	c  steps.Choices
}

func newDeployment(t *testing.T, version string, mode steps.ServiceAccountMode) *deployment {
	t.Helper()
	tt := newTenant(t, sandbox.WizardScopes)
	om := omsim.NewTest(t, omsim.Options{Version: version, HTTPClient: tt.HTTPClient()})
	v, err := openmetadata.ParseVersion(version)
	if err != nil {
		t.Fatal(err)
	}
	c := steps.Choices{OMURL: om.URL(), Version: v, ClientType: openmetadata.Confidential, AppName: "OpenMetadata",
		ServiceAccount: mode, BotAppName: "OpenMetadata Ingestion Bot", Scopes: []string{"read:clients"}}
	return &deployment{tenantUnderTest: tt, om: om, c: c}
}

// dashboard is a Management API client on the tenant acting as an operator
// in the Dashboard, who may delete grants (om-auth0's credentials may not).
func (d *deployment) dashboard(t *testing.T) *management.Management {
	t.Helper()
	id, secret := d.CreateM2MApp("dashboard", []string{"read:clients", "update:clients", "delete:client_grants"})
	m, err := management.New(d.Domain().Host, management.WithInsecure(),
		management.WithClientCredentials(context.Background(), id, secret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// validate asks the simulated OpenMetadata's validator about the settings
// the files rendered for ui give it, the server's other settings kept, as
// doctor and apply send them. It returns the problems it names.
func (d *deployment) validate(t *testing.T, ui *steps.App) []string {
	t.Helper()
	want, err := render.SecuritySettings(render.Input{Tenant: d.Domain(), OMURL: d.om.URL(), Version: d.c.Version, ClientType: d.c.ClientType,
		UI: render.Credentials{ClientID: ui.ClientID, ClientSecret: ui.ClientSecret}, ClientAuthMethod: ui.TokenEndpointAuthMethod,
		AdminPrincipals: []string{"alice"}, PrincipalDomain: "example.com"})
	if err != nil {
		t.Fatalf("render: %v", err)
	}
	body, err := omapi.WithSettings(d.om.SettingsJSON(), want)
	if err != nil {
		t.Fatal(err)
	}
	api, err := omapi.New(d.om.URL(), omapi.Options{})
	if err != nil {
		t.Fatal(err)
	}
	v, err := api.WithToken(d.om.AdminToken()).Validate(context.Background(), body)
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if p := v.Problems(); v.Passed() != (len(p) == 0) {
		t.Fatalf("validation %q with problems %q", v.Status, p)
	}
	return v.Problems()
}

// validatorCheck is the verification's check of the validator's token.
func (d *deployment) validatorCheck(t *testing.T, v steps.Verification) steps.Check {
	t.Helper()
	name := steps.CheckValidatorToken(d.Domain().ManagementAudience())
	i := slices.IndexFunc(v.Checks, func(c steps.Check) bool { return c.Name == name })
	if i < 0 {
		t.Fatalf("no check %q in %+v", name, v.Checks)
	}
	return v.Checks[i]
}

// A fresh confidential setup for OpenMetadata 1.10+ gives the application
// the client_credentials grant type and a Management API grant with no
// scopes, each with its reason in the plan; the verification asks for the
// token OpenMetadata's validator asks for, and the simulated OpenMetadata's
// validator accepts the rendered settings. Without the grant type, or
// without the grant, both refuse them, the validator with its own reason;
// a run with the same answers plans the missing piece back (a change of
// grant types on an existing application needs confirmation) and the
// validator accepts again; a run after that writes nothing.
func TestConfidentialClientPassesOpenMetadatasValidator(t *testing.T) {
	t.Parallel()
	type reasons struct{ noGrantType, noGrant string }
	versions := map[string]reasons{
		// 1.10–2.0 answer per component, 2.1 per field.
		"2.0.2": {"auth0-credentials: Invalid client credentials. Please verify the client ID and secret are correct.",
			"auth0-credentials: Client is not authorized for client credentials grant. Please enable this grant type in Auth0 application settings."},
		"2.1.0": {"authenticationConfiguration.oidcConfiguration.secret: Invalid client secret",
			"authenticationConfiguration.oidcConfiguration.discoveryUri: Access denied: Client is not authorized to access"},
	}
	for version, want := range versions {
		for _, broken := range []string{"grant type", "grant"} {
			t.Run(version+"/without the "+broken, func(t *testing.T) {
				t.Parallel()
				d := newDeployment(t, version, steps.Skip)
				s := d.connect(t)
				r := runSetup(t, s, d.c)
				assertValidatorPlan(t, d, r)
				if !r.verification.OK() {
					t.Errorf("verification: %+v", r.verification.Checks)
				}
				if p := d.validate(t, r.ui); len(p) > 0 {
					t.Fatalf("OpenMetadata's validator refused the settings: %q", p)
				}

				// Without item 1: the same application, the grant type or the grant removed.
				admin := d.dashboard(t)
				wantProblem, wantCheck := want.noGrantType, "may not use the Client Credentials grant"
				if broken == "grant type" {
					grants := []string{"authorization_code", "refresh_token"}
					if err := admin.Client.Update(context.Background(), r.ui.ClientID, &management.Client{GrantTypes: &grants}); err != nil {
						t.Fatal(err)
					}
				} else {
					wantProblem, wantCheck = want.noGrant, "is not authorized for the Auth0 Management API"
					if err := admin.ClientGrant.Delete(context.Background(), r.ui.ManagementGrant.ID); err != nil {
						t.Fatal(err)
					}
				}
				if p := d.validate(t, r.ui); len(p) != 1 || !strings.HasPrefix(p[0], wantProblem) {
					t.Errorf("validator problems = %q, want one starting with %q", p, wantProblem)
				}
				if c := d.validatorCheck(t, s.Verify(context.Background(), d.c, r.ui, r.sa)); c.OK || !strings.Contains(c.Detail, wantCheck) {
					t.Errorf("check = %+v, want it failed with %q", c, wantCheck)
				}

				// The next run puts it back.
				fix := runSetup(t, d.connect(t), d.c)
				app, grant := fix.uiPlan.Changes[0], fix.uiPlan.Changes[len(fix.uiPlan.Changes)-1]
				if broken == "grant type" {
					if app.Action != steps.Update || !strings.Contains(app.Reason, validatorReason) || !strings.Contains(app.Consequence, "grant_types") || grant.Action != steps.Keep {
						t.Errorf("repair plan = %+v", fix.uiPlan.Changes)
					}
				} else if app.Action != steps.Keep || grant.Action != steps.Create || grant.Reason != validatorReason || !fix.ui.ManagementGrant.Created {
					t.Errorf("repair plan = %+v, grant %+v", fix.uiPlan.Changes, fix.ui.ManagementGrant)
				}
				if !fix.verification.OK() {
					t.Errorf("verification after the repair: %+v", fix.verification.Checks)
				}
				if p := d.validate(t, fix.ui); len(p) > 0 {
					t.Errorf("OpenMetadata's validator refused the repaired settings: %q", p)
				}

				d.ResetRequests()
				again := runSetup(t, d.connect(t), d.c)
				if w := d.writes(); len(w) > 0 || again.uiPlan.Writes() {
					t.Errorf("a run after the repair wrote %v, planned %+v", w, again.uiPlan.Changes)
				}
				if again.ui.ManagementGrant == nil || again.ui.ManagementGrant.ID != fix.ui.ManagementGrant.ID || again.ui.ManagementGrant.Created {
					t.Errorf("grant of the run after the repair = %+v, want %+v kept", again.ui.ManagementGrant, fix.ui.ManagementGrant)
				}
			})
		}
	}
}

// assertValidatorPlan checks a fresh setup's plan and tenant: the
// application created with client_credentials, its grant with no scopes,
// both lines with the reason.
func assertValidatorPlan(t *testing.T, d *deployment, r setupResult) {
	t.Helper()
	ch := r.uiPlan.Changes
	if len(ch) != 2 || ch[0].Action != steps.Create || ch[0].Resource != steps.Application || ch[1].Action != steps.Create || ch[1].Resource != steps.ClientGrant {
		t.Fatalf("plan = %+v, want the application and its grant created", ch)
	}
	if want := "grant type client_credentials: " + validatorReason; ch[0].Reason != want || ch[0].Consequence != "" {
		t.Errorf("application line: reason %q, consequence %q; want reason %q", ch[0].Reason, ch[0].Consequence, want)
	}
	wantFields := []steps.FieldChange{{Field: "application", To: "OpenMetadata (to be created)"}, {Field: "scope", To: ""}}
	if ch[1].Name != d.Domain().ManagementAudience() || ch[1].Reason != validatorReason || !slices.Equal(ch[1].Fields, wantFields) {
		t.Errorf("grant line = %+v", ch[1])
	}
	ui, _ := clientByID(d.tenantUnderTest, r.ui.ClientID)
	if !slices.Equal(ui.GrantTypes, []string{"authorization_code", "refresh_token", "client_credentials"}) || ui.TokenEndpointAuthMethod != openmetadata.ConfidentialAuthMethod {
		t.Errorf("application grant types %v, method %s", ui.GrantTypes, ui.TokenEndpointAuthMethod)
	}
	g := grantsOf(d.tenantUnderTest, r.ui.ClientID)
	if len(g) != 1 || g[0].Audience != d.Domain().ManagementAudience() || g[0].Scope == nil || len(g[0].Scope) != 0 {
		t.Errorf("grants of the application = %+v, want one for the Management API with no scopes", g)
	}
	if c := d.validatorCheck(t, r.verification); !c.OK {
		t.Errorf("check %+v", c)
	}
}

// In "same" mode the UI application is also the service account: the
// service-account step gives it Basic, client_credentials and the one
// Management API grant, with the requested scopes. The UI step plans
// neither, so there is one grant and one plan line, which gives the
// validator's reason too; OpenMetadata's validator accepts the settings.
func TestSameModeHasOneGrantForBoth(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, "2.0.2", steps.Same)
	r := runSetup(t, d.connect(t), d.c)
	var grantLines []steps.Change
	for _, c := range slices.Concat(r.uiPlan.Changes, r.saPlan.Changes) {
		if c.Resource == steps.ClientGrant {
			grantLines = append(grantLines, c)
		}
	}
	if len(grantLines) != 1 || grantLines[0].Reason != validatorReason || r.uiPlan.Changes[0].Reason != "" {
		t.Errorf("grant lines %+v, UI plan %+v; want one grant line, with the validator's reason", grantLines, r.uiPlan.Changes)
	}
	if g := grantsOf(d.tenantUnderTest, r.ui.ClientID); len(g) != 1 || !slices.Equal(g[0].Scope, []string{"read:clients"}) || g[0].ID != r.sa.Grant.ID {
		t.Errorf("grants of the application = %+v, want the service account's", g)
	}
	if r.ui.ManagementGrant != nil {
		t.Errorf("the UI step set up a grant of its own: %+v", r.ui.ManagementGrant)
	}
	if c := d.validatorCheck(t, r.verification); !c.OK || !r.verification.OK() {
		t.Errorf("verification %+v", r.verification.Checks)
	}
	app, _ := clientByID(d.tenantUnderTest, r.ui.ClientID)
	ui := *r.sa.App
	ui.TokenEndpointAuthMethod = app.TokenEndpointAuthMethod
	if p := d.validate(t, &ui); len(p) > 0 {
		t.Errorf("OpenMetadata's validator refused the settings: %q", p)
	}
	d.ResetRequests()
	again := runSetup(t, d.connect(t), d.c)
	if w := d.writes(); len(w) > 0 || again.uiPlan.Writes() || again.saPlan.Writes() {
		t.Errorf("second run wrote %v", w)
	}
}

// An application made by hand for a confidential client, found by name or
// by --app-id, gets client_credentials added, which changes its grant
// types and so needs confirmation like any such change, while the grant the
// operator gave it, with scopes they picked, is kept as it is (OpenMetadata's
// validator needs none, and no update:client_grants is needed).
func TestExistingConfidentialApplicationGetsWhatTheValidatorNeeds(t *testing.T) {
	t.Parallel()
	for _, byID := range []bool{false, true} {
		t.Run(map[bool]string{false: "by name", true: "by id"}[byID], func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, "2.0.2", steps.Skip)
			ctx := context.Background()
			m := d.admin(t)
			existing := &management.Client{Name: ptr("OpenMetadata"), AppType: ptr("regular_web"), TokenEndpointAuthMethod: ptr(openmetadata.ConfidentialAuthMethod),
				Callbacks: &[]string{d.om.URL() + "/callback"}, WebOrigins: &[]string{d.om.URL()}, AllowedLogoutURLs: &[]string{d.om.URL()},
				OIDCConformant: ptr(true), GrantTypes: &[]string{"authorization_code", "refresh_token"}}
			if err := m.Client.Create(ctx, existing); err != nil {
				t.Fatal(err)
			}
			mine := &management.ClientGrant{ClientID: existing.ClientID, Audience: ptr(d.Domain().ManagementAudience()), Scope: &[]string{"read:users"}}
			if err := m.ClientGrant.Create(ctx, mine); err != nil {
				t.Fatal(err)
			}
			if byID {
				d.c.AppID = existing.GetClientID()
			}
			d.ResetRequests()
			s := d.connect(t)
			r := runSetup(t, s, d.c)
			app, grant := r.uiPlan.Changes[0], r.uiPlan.Changes[len(r.uiPlan.Changes)-1]
			if app.Action != steps.Update || !strings.Contains(app.Consequence, "grant_types") || !strings.Contains(app.Reason, validatorReason) || !r.uiPlan.NeedsConfirmation() {
				t.Errorf("application line = %+v, want the change of grant types with its consequence and reason", app)
			}
			if grant.Action != steps.Keep || grant.Resource != steps.ClientGrant || grant.Reason != validatorReason {
				t.Errorf("grant line = %+v, want it kept", grant)
			}
			want := []string{"PATCH /api/v2/clients/" + existing.GetClientID()}
			if w := d.writes(); !slices.Equal(w, want) {
				t.Errorf("writes = %v, want %v", w, want)
			}
			if g := r.ui.ManagementGrant; g == nil || g.ID != mine.GetID() || g.Created || !slices.Equal(g.Scopes, []string{"read:users"}) {
				t.Errorf("grant = %+v, want the operator's kept", g)
			}
			if !r.verification.OK() {
				t.Errorf("verification: %+v", r.verification.Checks)
			}
			if p := d.validate(t, r.ui); len(p) > 0 {
				t.Errorf("OpenMetadata's validator refused the settings: %q", p)
			}
		})
	}
}

// Doctor plans the UI application with credentials that may not read
// grants: the grant is then planned as a create without reading it (setup's
// preflight names the missing scopes before anything is planned).
func TestValidatorGrantUnreadable(t *testing.T) {
	t.Parallel()
	d := newDeployment(t, "2.0.2", steps.Skip)
	runSetup(t, d.connect(t), d.c)
	scopes := slices.DeleteFunc(slices.Clone(sandbox.WizardScopes), func(s string) bool { return s == "read:client_grants" })
	id, secret := d.CreateM2MApp("reader", scopes)
	s, err := steps.Connect(context.Background(), steps.ConnectRequest{Domain: d.Domain(), ClientID: id, ClientSecret: secret}, testOptions())
	if err != nil {
		t.Fatal(err)
	}
	if missing := s.MissingScopes(d.c); !slices.Equal(missing, []string{"read:client_grants"}) {
		t.Errorf("MissingScopes = %v", missing)
	}
	d.ResetRequests()
	p, err := s.PlanUIApp(context.Background(), d.c)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Changes[len(p.Changes)-1]; got.Resource != steps.ClientGrant || got.Action != steps.Create {
		t.Errorf("grant line = %+v", got)
	}
	for _, r := range d.Requests() {
		if strings.HasPrefix(r.Path, "/api/v2/client-grants") {
			t.Errorf("read the grants without read:client_grants: %s %s", r.Method, r.Path)
		}
	}
}

// Changing the answers on an existing deployment keeps one grant and what
// OpenMetadata's validator needs: a public application turned confidential
// gets its type, method and client_credentials in one PATCH and its grant;
// leaving or entering "same" mode keeps the one grant (the service
// account's scopes when it is one, else as they are).
func TestSwitchingKeepsWhatTheValidatorNeeds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		from       steps.Choices
		to         steps.Choices
		wantWrites []string // with <ui> for the application's id
		wantScopes []string
	}{
		{"public to confidential",
			steps.Choices{ClientType: openmetadata.Public, ServiceAccount: steps.Skip},
			steps.Choices{ClientType: openmetadata.Confidential, ServiceAccount: steps.Skip},
			[]string{"PATCH /api/v2/clients/<ui>", "POST /api/v2/client-grants"}, []string{}},
		{"leaving same mode",
			steps.Choices{ClientType: openmetadata.Confidential, ServiceAccount: steps.Same},
			steps.Choices{ClientType: openmetadata.Confidential, ServiceAccount: steps.Skip},
			[]string{"PATCH /api/v2/clients/<ui>"}, []string{"read:clients"}},
		{"entering same mode",
			steps.Choices{ClientType: openmetadata.Confidential, ServiceAccount: steps.Skip},
			steps.Choices{ClientType: openmetadata.Confidential, ServiceAccount: steps.Same},
			[]string{"PATCH /api/v2/clients/<ui>", "PATCH /api/v2/client-grants/<grant>"}, []string{"read:clients"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := newDeployment(t, "2.0.2", steps.Skip)
			answers := func(c steps.Choices) steps.Choices {
				out := d.c
				out.ClientType, out.ServiceAccount = c.ClientType, c.ServiceAccount
				return out
			}
			first := runSetup(t, d.connect(t), answers(tc.from))
			d.ResetRequests()
			d.c = answers(tc.to)
			r := runSetup(t, d.connect(t), d.c)
			if r.ui.ClientID != first.ui.ClientID {
				t.Fatal("a new UI application")
			}
			g := grantsOf(d.tenantUnderTest, r.ui.ClientID)
			if len(g) != 1 || !slices.Equal(g[0].Scope, tc.wantScopes) {
				t.Fatalf("grants of the application = %+v, want one with %v", g, tc.wantScopes)
			}
			names := strings.NewReplacer(r.ui.ClientID, "<ui>", g[0].ID, "<grant>")
			var writes []string
			for _, w := range d.writes() {
				writes = append(writes, names.Replace(w))
			}
			if !slices.Equal(writes, tc.wantWrites) {
				t.Errorf("writes = %v, want %v", writes, tc.wantWrites)
			}
			app, _ := clientByID(d.tenantUnderTest, r.ui.ClientID)
			if !slices.Contains(app.GrantTypes, "client_credentials") || !r.verification.OK() {
				t.Errorf("grant types %v, verification %+v", app.GrantTypes, r.verification.Checks)
			}
			ui := *r.ui
			ui.TokenEndpointAuthMethod = app.TokenEndpointAuthMethod
			if p := d.validate(t, &ui); len(p) > 0 {
				t.Errorf("OpenMetadata's validator refused the settings: %q", p)
			}
		})
	}
}
