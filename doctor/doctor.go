package doctor

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/crash"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// Inputs are what a doctor run checks and with which credentials.
type Inputs struct {
	// Config is what the deployment should have: the answers (flags,
	// environment, answers.yaml) resolved by setup.Resolve. Its Connect
	// holds the Auth0 credentials, when given.
	Config *setup.Config
	// AnswersPath is the answers file read; "" when none was.
	AnswersPath string
	// AnswersMissing is the answers file looked for by default and not
	// found; "" otherwise.
	AnswersMissing string
	// Source names where Config came from when it is not an answers file
	// ("this setup run", for the wizard's check after Done); "" otherwise.
	Source string
	// Connect connects to the tenant; nil means steps.Connect over HTTPClient.
	Connect setup.ConnectFunc
	// OMToken is an OpenMetadata administrator's token; else
	// OMAdminEmail and OMAdminPassword sign in with basic auth.
	OMToken                       string
	OMAdminEmail, OMAdminPassword string
	// HTTPClient is the base client for OpenMetadata and the tenant's
	// public documents; nil means a plain one.
	HTTPClient *http.Client
}

// What names what a run checks: "OpenMetadata at URL and Auth0 tenant DOMAIN".
func (in Inputs) What() string {
	if in.Config == nil {
		return "OpenMetadata"
	}
	tenant := ""
	if d := in.Config.Connect.Domain; !d.IsZero() {
		tenant = d.String()
	}
	return present.CheckSubject(in.Config.Choices.OMURL, tenant)
}

// Check ids, in the order a report lists them.
const (
	IDAnswers          = "answers"
	IDOMReachable      = "om.reachable"
	IDOMVersion        = "om.version"
	IDOMJWKS           = "om.jwks"
	IDOMCredential     = "om.credential"
	IDOMProvider       = "om.provider"
	IDOMClient         = "om.client"
	IDOMPublicKeys     = "om.public_keys"
	IDOMAuthorizer     = "om.authorizer"
	IDOMValidate       = "om.validate"
	IDOMSettingsSource = "om.settings_source"
	IDAuth0Discovery   = "auth0.discovery"
	IDAuth0JWKS        = "auth0.jwks"
	IDAuth0App         = "auth0.app"
	IDAuth0URLs        = "auth0.urls"
	IDAuth0AppType     = "auth0.app_type"
	IDAuth0ClientCreds = "auth0.client_credentials"
	IDAuth0ServiceAcct = "auth0.service_account"
)

// placeholderClientID stands for a client id that nothing tells.
const placeholderClientID = "unknown-client-id"

// facts are the answers of both phases, from which the checks are made.
type facts struct {
	omErr                      error // the OpenMetadata client could not be built
	version                    omapi.VersionInfo
	versionErr                 error
	ownKeys                    auth0http.JWKS
	ownKeysErr                 error
	authCfg                    omapi.AuthConfig
	authCfgErr                 error
	loginErr                   error
	sec                        *omapi.SecurityConfig
	secErr                     error
	source                     *omapi.SettingsSource
	sourceErr                  error
	discoveryErr, tenantKeyErr error

	connectErr error
	runner     steps.Runner
	plan       *steps.UIPlan
	planErr    error
	sa         *steps.ServiceAccount // ≤ 1.0 with a service account: the one found
	saErr      error
	saMissing  bool

	validation    *omapi.Validation
	validateErr   error
	validateSkip  string
	ccErr         error
	ccSkip        string
	ccRan         bool
	saVerify      *steps.Verification
	effective     openmetadata.Version
	expected      render.Settings
	expectedErr   string // why the expected settings are unknown
	clientIDKnown bool
}

// run is one doctor run.
type run struct {
	in     Inputs
	cfg    *setup.Config
	om     *omapi.Client
	admin  *omapi.Client // nil without an admin credential
	auth0  *http.Client
	f      facts
	checks []Check
}

// Run performs every check the inputs allow and returns the report. It
// never fails as a whole and never writes anything: every request is a
// read, a token request, a login or a validation.
func Run(ctx context.Context, in Inputs) Report {
	cfg := in.Config
	if cfg == nil {
		cfg = &setup.Config{}
	}
	r := &run{in: in, cfg: cfg, auth0: auth0http.NewClient(auth0http.Options{HTTPClient: in.HTTPClient})}
	r.om, r.f.omErr = omapi.New(cfg.Choices.OMURL, omapi.Options{HTTPClient: in.HTTPClient})
	r.phase1(ctx)
	r.settle()
	r.phase2(ctx)
	r.makeChecks()
	rep := Report{OMURL: cfg.Choices.OMURL, OMVersion: r.f.version.Raw, Answers: in.AnswersPath, Checks: r.checks}
	if !cfg.Connect.Domain.IsZero() {
		rep.Tenant = cfg.Connect.Domain.String()
	}
	return rep
}

func (r *run) hasAuth0Credentials() bool {
	c := r.cfg.Connect
	return !c.Domain.IsZero() && (c.APIToken != "" || c.ClientID != "" && c.ClientSecret != "")
}

func (r *run) hasAdminCredential() bool {
	return r.in.OMToken != "" || r.in.OMAdminEmail != "" && r.in.OMAdminPassword != ""
}

// phase1 sends every request that depends on nothing else, together;
// chains (login then the settings, the Auth0 token then the application)
// run side by side.
func (r *run) phase1(ctx context.Context) {
	var wg crash.Group
	versionDone := make(chan struct{})
	if r.om != nil {
		wg.Go(func() {
			defer close(versionDone)
			r.f.version, r.f.versionErr = r.om.Version(ctx)
		})
		wg.Go(func() { r.f.ownKeys, r.f.ownKeysErr = r.om.JWKS(ctx) })
		wg.Go(func() { r.f.authCfg, r.f.authCfgErr = r.om.AuthConfig(ctx) })
		if r.hasAdminCredential() {
			wg.Go(func() { r.adminReads(ctx) })
		}
	} else {
		close(versionDone)
	}
	if d := r.cfg.Connect.Domain; !d.IsZero() {
		wg.Go(func() { r.f.discoveryErr = steps.CheckTenantDiscovery(ctx, r.auth0, d) })
		wg.Go(func() { _, r.f.tenantKeyErr = steps.FetchTenantJWKS(ctx, r.auth0, d) })
	}
	if r.hasAuth0Credentials() {
		wg.Go(func() { r.auth0Reads(ctx, versionDone) })
	}
	wg.Wait()
}

// adminReads signs in when needed, then reads the settings and their source together.
func (r *run) adminReads(ctx context.Context) {
	token := r.in.OMToken
	if token == "" {
		token, r.f.loginErr = r.om.Login(ctx, r.in.OMAdminEmail, r.in.OMAdminPassword)
		if r.f.loginErr != nil {
			return
		}
	}
	r.admin = r.om.WithToken(token)
	var wg crash.Group
	wg.Go(func() { r.f.sec, r.f.secErr = r.admin.SecurityConfig(ctx) })
	wg.Go(func() { r.f.source, r.f.sourceErr = r.admin.SettingsSource(ctx) })
	wg.Wait()
}

// choices are the answers' choices with a version, for the Auth0 steps.
func (r *run) choices(v openmetadata.Version) steps.Choices {
	c := r.cfg.Choices
	if c.Version == (openmetadata.Version{}) {
		c.Version = v
	}
	return c
}

// answeredOr is the version the answers give, else v.
func (r *run) answeredOr(v openmetadata.Version) openmetadata.Version {
	if r.cfg.Choices.Version != (openmetadata.Version{}) {
		return r.cfg.Choices.Version
	}
	return v
}

// auth0Reads connects, finds the UI application (PlanUIApp, read-only) and,
// for OpenMetadata ≤ 1.0, the service account.
func (r *run) auth0Reads(ctx context.Context, versionDone <-chan struct{}) {
	connect := r.in.Connect
	if connect == nil {
		connect = func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
			return steps.Connect(ctx, req, steps.Options{HTTPClient: r.in.HTTPClient})
		}
	}
	r.f.runner, r.f.connectErr = connect(ctx, r.cfg.Connect)
	if r.f.connectErr != nil {
		return
	}
	c := r.choices(r.answeredOr(openmetadata.Newest))
	if c.ServiceAccount == "" {
		// Nothing here reads the service account yet: its mode comes from the server's version below.
		c.ServiceAccount = steps.Skip
	}
	r.f.plan, r.f.planErr = r.f.runner.PlanUIApp(ctx, c)
	if r.f.planErr != nil {
		return
	}
	<-versionDone
	v := r.effectiveVersion()
	if v.Band() != openmetadata.BandLegacy {
		return
	}
	c = r.choices(v)
	mode := c.ServiceAccount
	if mode == "" {
		mode = steps.DefaultServiceAccountMode(v)
	}
	ui := r.f.plan.App()
	switch mode {
	case steps.Separate:
		c.ServiceAccount = mode
		sp, err := r.f.runner.PlanServiceAccount(ctx, c, ui)
		if err != nil {
			r.f.saErr = err
			return
		}
		if app := sp.App(); app != nil && app.ClientID != "" {
			r.f.sa = &steps.ServiceAccount{Mode: mode, App: app}
		} else {
			r.f.saMissing = true
		}
	case steps.Same:
		if ui != nil && ui.ClientID != "" {
			r.f.sa = &steps.ServiceAccount{Mode: mode, App: ui}
		}
	}
}

// effectiveVersion is the server's version, else the answered one, else the newest known.
func (r *run) effectiveVersion() openmetadata.Version {
	if r.f.versionErr == nil && r.f.version.Version != (openmetadata.Version{}) {
		return r.f.version.Version
	}
	return r.answeredOr(openmetadata.Newest)
}

// uiApp is the UI application found in the tenant; nil when it was not.
func (r *run) uiApp() *steps.App {
	if r.f.plan == nil || len(r.f.plan.Changes) == 0 || r.f.plan.Changes[0].Action == steps.Create {
		return nil
	}
	if app := r.f.plan.App(); app != nil && app.ClientID != "" {
		return app
	}
	return nil
}

// settle works out the version and the settings the files say, between the phases.
func (r *run) settle() {
	r.f.effective = r.effectiveVersion()
	cfg := r.cfg
	if cfg.Connect.Domain.IsZero() {
		r.f.expectedErr = "the Auth0 tenant domain is unknown: give --domain, or --answers with a setup run's answers.yaml"
		return
	}
	ui := &steps.App{ClientID: cfg.Choices.AppID}
	if app := r.uiApp(); app != nil {
		ui = app
	}
	r.f.clientIDKnown = ui.ClientID != ""
	if !r.f.clientIDKnown {
		ui = &steps.App{ClientID: r.serverClientID()}
	}
	c := *cfg
	c.Choices.Version = r.answeredOr(r.f.effective)
	if len(c.Admins) == 0 {
		c.Admins = []string{"unknown"}
	}
	if c.PrincipalDomain == "" {
		c.PrincipalDomain = "unknown"
	}
	in := c.RenderInput(ui, r.f.sa)
	if in.ClientType == openmetadata.Confidential && in.UI.ClientSecret == "" {
		// Never compared (the server masks it); validation gets the real one or is skipped.
		in.UI.ClientSecret = omapi.Mask
	}
	in.ServiceAccount = nil
	s, err := render.SecuritySettings(in)
	if err != nil {
		r.f.expectedErr = "the answers do not describe a deployment om-auth0 can configure: " + err.Error()
		return
	}
	r.f.expected = s
}

// serverClientID is the client id the server has, as a stand-in when the
// Auth0 application is unknown (so that it is not reported as different).
func (r *run) serverClientID() string {
	if r.f.sec != nil && r.f.sec.Authentication.ClientID != "" {
		return omapi.Clean(r.f.sec.Authentication.ClientID)
	}
	if r.f.authCfgErr == nil && r.f.authCfg.ClientID != "" && !strings.ContainsFunc(r.f.authCfg.ClientID, func(r rune) bool { return r <= ' ' }) {
		return r.f.authCfg.ClientID
	}
	return placeholderClientID
}

// confidential10 reports whether OpenMetadata's validator asks for a
// client-credentials token of the UI application (a confidential client on 1.10+).
func (r *run) confidential10() bool {
	return r.cfg.Choices.ClientType == openmetadata.Confidential && r.f.effective.SettingsInDatabase()
}

// phase2 sends the requests that need phase 1's answers, together.
func (r *run) phase2(ctx context.Context) {
	var wg sync.WaitGroup
	if r.admin != nil && r.f.sec != nil {
		wg.Go(func() { r.validate(ctx) })
	}
	if app := r.uiApp(); app != nil && r.confidential10() {
		if app.ClientSecret == "" {
			r.f.ccSkip = "the application's client secret is unknown"
			if app.SecretUnavailable != "" {
				r.f.ccSkip = omapi.Clean(app.SecretUnavailable)
			}
		} else {
			r.f.ccRan = true
			d := r.cfg.Connect.Domain
			wg.Go(func() {
				// The secret in the form body, as OpenMetadata's validator sends it.
				_, r.f.ccErr = auth0http.RequestToken(ctx, r.auth0, d.TokenURL(), d.ManagementAudience(), app.ClientID, app.ClientSecret, auth0http.StyleForm)
			})
		}
	}
	if r.f.sa != nil && r.f.runner != nil {
		wg.Go(func() {
			v := r.f.runner.Verify(ctx, r.choices(r.f.effective), nil, r.f.sa)
			r.f.saVerify = &v
		})
	}
	wg.Wait()
}

// validate asks OpenMetadata's validator about the settings the server
// would run with once the files apply: its own settings with the fields
// om-auth0 owns set as the files say.
func (r *run) validate(ctx context.Context) {
	body := []byte(r.f.sec.Raw)
	if r.f.expectedErr == "" {
		want := r.f.expected
		if want.OIDC != nil && want.OIDC.Secret == omapi.Mask {
			r.f.validateSkip = "the confidential client's secret is unknown (Auth0 credentials with read:client_keys read it)"
			return
		}
		b, err := omapi.WithSettings(r.f.sec.Raw, want)
		if err != nil {
			r.f.validateErr = err
			return
		}
		body = b
	} else if o := r.f.sec.Authentication.OIDC; o != nil && o.Secret == omapi.Mask {
		r.f.validateSkip = "the server masks its client secret, and the files' settings are unknown (" + r.f.expectedErr + ")"
		return
	}
	v, err := r.admin.Validate(ctx, body)
	r.f.validation, r.f.validateErr = &v, err
}

// errText is err's message made safe to print.
func errText(err error) string { return omapi.Clean(err.Error()) }

func containsFold(list []string, v string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.EqualFold(strings.TrimSpace(s), v) })
}

// quote is a server value for a message: cleaned and quoted.
func quote(s string) string { return fmt.Sprintf("%q", omapi.Clean(s)) }
