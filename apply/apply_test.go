package apply

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// deployment is a tenant where setup made the OpenMetadata application,
// and a running OpenMetadata still signing in as a fresh installation does.
type deployment struct {
	ten          *sandbox.Server
	om           *omsim.Server
	cfg          *setup.Config
	mgmtID       string
	mgmtSecret   string
	uiID, secret string // the UI application's
	omURL        string // the URL the answers give, the server's by default
}

type deployOptions struct {
	clientType string
	omURL      func(*omsim.Server) string // nil: the server's own URL
	scopes     []string                   // the Management application's; nil: sandbox.WizardScopes
	sourceMode string
}

// deploy runs setup (non-interactive, the code path of setup --no-input)
// against a fresh tenant for a fresh OpenMetadata of version.
func deploy(t *testing.T, version string, o deployOptions) *deployment {
	t.Helper()
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	om := omsim.NewTest(t, omsim.Options{Version: version, HTTPClient: ten.HTTPClient(), SourceMode: o.sourceMode})
	scopes := o.scopes
	if scopes == nil {
		scopes = sandbox.WizardScopes
	}
	id, secret := ten.CreateM2MApp("om-auth0 test", scopes)
	d := &deployment{ten: ten, om: om, mgmtID: id, mgmtSecret: secret, omURL: om.URL()}
	if o.omURL != nil {
		d.omURL = o.omURL(om)
	}
	// Setup itself runs with every scope it needs.
	setupID, setupSecret := ten.CreateM2MApp("om-auth0 setup", sandbox.WizardScopes)
	cfg := d.config(t, setupID, setupSecret, o.clientType)
	res, err := guide.Run(context.Background(), cfg, connectTo(ten), guide.Options{Yes: true})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	d.uiID = res.UIApp.ClientID
	for _, c := range ten.Clients() {
		if c.ClientID == d.uiID {
			d.secret = c.ClientSecret
		}
	}
	d.cfg = d.config(t, id, secret, o.clientType)
	return d
}

func (d *deployment) config(t *testing.T, id, secret, clientType string) *setup.Config {
	t.Helper()
	cfg, missing, err := setup.Resolve(setup.Layer{Source: setup.FromFlags,
		Answers: answers.Answers{Domain: d.ten.URL(), ClientID: id, OMURL: d.omURL, OMVersion: d.om.Version(), ClientType: clientType,
			Admins: []string{"Alice@example.com"}, PrincipalDomain: "example.com", Out: filepath.Join(t.TempDir(), "out")},
		Secrets: answers.Secrets{ClientSecret: secret}})
	if err != nil || len(missing) > 0 {
		t.Fatalf("resolve: %v %v", missing, err)
	}
	return cfg
}

func connectTo(ten *sandbox.Server) setup.ConnectFunc {
	return func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
		return steps.Connect(ctx, req, steps.Options{HTTPClient: ten.HTTPClient()})
	}
}

func (d *deployment) inputs() Inputs {
	return Inputs{Config: d.cfg, Connect: connectTo(d.ten), HTTPClient: d.ten.HTTPClient(), OMToken: d.om.AdminToken()}
}

// revoke takes from the UI application what OpenMetadata's validator needs
// of a confidential client and setup gives it: the client-credentials grant
// type, its Management API client grant, or both.
func (d *deployment) revoke(t *testing.T, grantType, clientGrant bool) {
	t.Helper()
	ctx := context.Background()
	// An application of the test's own, which may delete grants.
	id, secret := d.ten.CreateM2MApp("revoke", append(slices.Clone(sandbox.WizardScopes), "delete:client_grants"))
	api, err := management.New(d.ten.URL(), management.WithInsecure(),
		management.WithClientCredentials(ctx, id, secret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	if grantType {
		c, err := api.Client.Read(ctx, d.uiID)
		if err != nil {
			t.Fatal(err)
		}
		grants := slices.DeleteFunc(slices.Clone(c.GetGrantTypes()), func(g string) bool { return g == "client_credentials" })
		if err := api.Client.Update(ctx, d.uiID, &management.Client{GrantTypes: &grants}); err != nil {
			t.Fatal(err)
		}
	}
	if clientGrant {
		list, err := api.ClientGrant.List(ctx, management.Parameter("client_id", d.uiID), management.Parameter("audience", d.ten.Domain().ManagementAudience()))
		if err != nil || len(list.ClientGrants) != 1 {
			t.Fatalf("the UI application's Management API grant: %v %v", list, err)
		}
		if err := api.ClientGrant.Delete(ctx, list.ClientGrants[0].GetID()); err != nil {
			t.Fatal(err)
		}
	}
}

// calls are the requests of OpenMetadata's log to the security endpoints, as "METHOD path".
func calls(om *omsim.Server) []string {
	var out []string
	for _, r := range om.Requests() {
		if strings.HasPrefix(r.Path, "/api/v1/system/security/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

const (
	putConfig = "PUT " + omapi.PathSecurityConfig
	validate  = "POST " + omapi.PathValidate
)

// unowned are the settings of a server whose operator changed fields
// om-auth0 does not own, to show that apply keeps them.
func unowned(omURL string) omsim.SecurityConfig {
	c := omsim.FreshInstall(omURL)
	c.Authentication.EnableSelfSignup = false
	c.Authentication.TokenValidationAlgorithm = "RS384"
	c.Authentication.JWTPrincipalClaims = []string{"email"}
	c.Authentication.JWTPrincipalClaimsMapping = []string{"username:sub", "email:email"}
	c.Authorizer.AllowedEmailRegistrationDomains = []string{"example.com"}
	c.Authorizer.AllowedDomains = []string{"example.com"}
	c.Authorizer.UseRolesFromProvider = true
	c.Authorizer.EnforcePrincipalDomain = true
	return c
}

// A public and a confidential apply, on 2.0 and 2.1, end with the
// server's settings equal to the rendered ones, the fields om-auth0 does
// not own unchanged, the validation before the write, and the real
// secret stored; a second apply stores nothing.
func TestApply(t *testing.T) {
	for _, version := range []string{"2.0.2", "2.1.0"} {
		for _, clientType := range []string{"public", "confidential"} {
			t.Run(version+"/"+clientType, func(t *testing.T) {
				t.Parallel()
				d := deploy(t, version, deployOptions{clientType: clientType})
				if err := d.om.SetStored(unowned(d.om.URL())); err != nil {
					t.Fatal(err)
				}
				d.om.ResetRequests()
				var progress, report bytes.Buffer
				res, err := Run(context.Background(), d.inputs(), RunOptions{Progress: &progress, Report: &report, ASCII: true})
				if err != nil {
					t.Fatalf("apply: %v\n%s%s", err, progress.String(), report.String())
				}

				want := omsim.Auth0Public(d.ten.URL(), d.uiID, d.om.URL(), []string{"alice"}, "example.com")
				if clientType == "confidential" {
					want = omsim.Auth0Confidential(d.ten.URL(), d.uiID, d.secret, d.om.URL(), []string{"alice"}, "example.com")
				}
				keep := unowned(d.om.URL())
				want.Authentication.EnableSelfSignup = keep.Authentication.EnableSelfSignup
				want.Authentication.TokenValidationAlgorithm = keep.Authentication.TokenValidationAlgorithm
				want.Authentication.JWTPrincipalClaims = keep.Authentication.JWTPrincipalClaims
				want.Authentication.JWTPrincipalClaimsMapping = keep.Authentication.JWTPrincipalClaimsMapping
				want.Authorizer.AllowedEmailRegistrationDomains = keep.Authorizer.AllowedEmailRegistrationDomains
				want.Authorizer.AllowedDomains = keep.Authorizer.AllowedDomains
				want.Authorizer.UseRolesFromProvider = true
				want.Authorizer.EnforcePrincipalDomain = true
				got := d.om.Settings()
				if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
					t.Errorf("stored settings\n%s\nwant\n%s", g, w)
				}
				if len(got.Authentication.PublicKeyURLs) != 2 || got.Authentication.PublicKeyURLs[0] != d.ten.Domain().JWKSURL() ||
					got.Authentication.PublicKeyURLs[1] != d.om.URL()+omapi.PathJWKS {
					t.Errorf("publicKeyUrls %v", got.Authentication.PublicKeyURLs)
				}
				if o := got.Authentication.OIDC; clientType == "confidential" && (o == nil || o.Secret != d.secret || d.secret == "") {
					t.Errorf("oidcConfiguration %+v, want the application's secret", o)
				}

				log := calls(d.om)
				iv, ip := slices.Index(log, validate), slices.Index(log, putConfig)
				if iv < 0 || ip < iv || count(log, putConfig) != 1 {
					t.Errorf("security requests %v: want one validation, then one PUT", log)
				}
				if !res.Applied || !res.Confirmed || res.Validation == nil || !res.Validation.Passed() || res.ClientID != d.uiID {
					t.Errorf("result %+v", res)
				}
				text := progress.String() + report.String()
				for _, s := range []string{"~ provider", "basic -> auth0", "+ clientId", "Restart OpenMetadata", "alice",
					`Browser sessions signed in with "basic" end`, "om-auth0 doctor --om-url " + d.om.URL()} {
					if !strings.Contains(text, s) {
						t.Errorf("output lacks %q:\n%s", s, text)
					}
				}
				if strings.Contains(text, "enableSelfSignup") {
					t.Errorf("the plan lists a field om-auth0 does not own, unchanged:\n%s", text)
				}
				if d.secret != "" && strings.Contains(text+mustJSON(t, res), d.secret) {
					t.Errorf("the secret was printed:\n%s", text)
				}

				// A second apply: nothing to change, nothing stored, nothing validated.
				d.om.ResetRequests()
				progress.Reset()
				res, err = Run(context.Background(), d.inputs(), RunOptions{Progress: &progress})
				if err != nil || res.Applied || slices.ContainsFunc(res.Changes, func(f Field) bool { return f.Action != steps.Keep }) {
					t.Fatalf("second apply: %v, %+v", err, res)
				}
				if log := calls(d.om); count(log, putConfig) != 0 || count(log, validate) != 0 {
					t.Errorf("second apply sent %v", log)
				}
				if !strings.Contains(progress.String(), "nothing to store") {
					t.Errorf("progress %s", progress.String())
				}
			})
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The refusals: each stops before anything is stored, with the way out.
func TestApplyRefusals(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		version string
		opts    deployOptions
		arrange func(t *testing.T, d *deployment, in *Inputs)
		usage   bool // a *setup.InputError (exit 2)
		want    []string
	}{
		{name: "OpenMetadata before 1.10 reads files", version: "1.6.4", usage: true,
			want: []string{"OpenMetadata 1.6.4 reads its SSO settings from its configuration files",
				"put docker/openmetadata_auth0.env, bare-metal/openmetadata-auth0.yaml, kubernetes/values-auth0.yaml of", "restart OpenMetadata"}},
		// setup gives a confidential client on 1.10+ what OpenMetadata's
		// validator needs; an application that lost it is sent back to setup
		// before anything is validated or stored.
		{name: "confidential without the client-credentials grant type", version: "2.0.2", opts: deployOptions{clientType: "confidential"},
			arrange: func(t *testing.T, d *deployment, _ *Inputs) { d.revoke(t, true, false) },
			want:    []string{"is not as sign-in needs it", "setup would change grant_types", "run om-auth0 setup first"}},
		{name: "confidential without the Management API grant", version: "2.1.0", opts: deployOptions{clientType: "confidential"},
			arrange: func(t *testing.T, d *deployment, _ *Inputs) { d.revoke(t, false, true) },
			want:    []string{"is not as sign-in needs it", "run om-auth0 setup first"}},
		{name: "deployment owns the settings", version: "2.1.0", opts: deployOptions{sourceMode: omsim.ModeEnv},
			want: []string{"SECURITY_CONFIG_SOURCE=ENV", "put the files of", "restart OpenMetadata", "Nothing was stored"}},
		{name: "ENV mode seen only from the PUT's 409", version: "2.1.0", opts: deployOptions{sourceMode: omsim.ModeEnv},
			arrange: func(t *testing.T, d *deployment, _ *Inputs) {
				d.om.InjectFault(omsim.Fault{Path: omapi.PathSettingsSource, Status: 500})
			},
			want: []string{"SECURITY_CONFIG_SOURCE=ENV", "cannot be changed here", "restart OpenMetadata"}},
		{name: "no application: run setup first", version: "2.0.2",
			arrange: func(t *testing.T, d *deployment, in *Inputs) {
				// The same server under another name: no application is marked for it, nor named so.
				cfg := *in.Config
				cfg.Choices.OMURL = strings.Replace(d.om.URL(), "127.0.0.1", "localhost", 1)
				cfg.Choices.AppName = "Another OpenMetadata"
				in.Config = &cfg
			},
			want: []string{`no Auth0 application "Another OpenMetadata"`, "run om-auth0 setup first"}},
		{name: "secret unreadable: the mask is never sent", version: "2.0.2",
			opts: deployOptions{clientType: "confidential", scopes: without(sandbox.WizardScopes, "read:client_keys")},
			want: []string{"client secret", "is unknown", "never sends back the mask", "read:client_keys"}},
		{name: "a non-admin's token", version: "2.0.2",
			arrange: func(t *testing.T, d *deployment, in *Inputs) { in.OMToken = d.om.UserToken("bob") },
			want:    []string{"not an administrator's", "--om-token"}},
		{name: "no OpenMetadata credential", version: "2.0.2", usage: true,
			arrange: func(t *testing.T, d *deployment, in *Inputs) { in.OMToken = "" },
			want:    []string{"--om-token", "OM_ADMIN_TOKEN", "--om-admin-email"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := deploy(t, tc.version, tc.opts)
			before := mustJSON(t, d.om.Settings())
			in := d.inputs()
			if tc.arrange != nil {
				tc.arrange(t, d, &in)
			}
			d.om.ResetRequests()
			res, err := Run(context.Background(), in, RunOptions{})
			var ie *setup.InputError
			if err == nil || errors.As(err, &ie) != tc.usage {
				t.Fatalf("err = %v (%T), want usage %v", err, err, tc.usage)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error lacks %q:\n%v", s, err)
				}
			}
			if res.Applied || res.Error == nil || count(calls(d.om), putConfig) > 1 {
				t.Errorf("result %+v, requests %v", res, calls(d.om))
			}
			if after := mustJSON(t, d.om.Settings()); after != before {
				t.Errorf("settings changed:\n%s", after)
			}
		})
	}
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}

// Basic sign-in: the administrator's session ends when the provider
// changes, so the settings are read back from the public sign-in settings.
func TestApplyWithBasicSignIn(t *testing.T) {
	t.Parallel()
	d := deploy(t, "2.0.2", deployOptions{})
	in := d.inputs()
	in.OMToken = ""
	in.OMAdminEmail, in.OMAdminPassword = d.om.AdminCredentials()
	d.om.ResetRequests()
	res, err := Run(context.Background(), in, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.om.Settings().Authentication; got.Provider != "auth0" || got.ClientID != d.uiID {
		t.Errorf("stored %+v", got)
	}
	if !res.Applied || !res.Confirmed || !strings.Contains(res.ReadBack, "session") || !strings.Contains(res.ReadBack, omapi.PathAuthConfig) {
		t.Errorf("result %+v", res)
	}
	var logins, sessions int
	for _, r := range d.om.Requests() {
		if r.Path == omapi.PathLogin && r.Status == 200 {
			logins++
		}
		if r.Credential == "session" && r.Method == "PUT" && r.Status == 200 {
			sessions++
		}
	}
	if logins != 1 || sessions != 1 {
		t.Errorf("%d login(s), %d PUT(s) with the session: %+v", logins, sessions, d.om.Requests())
	}

	// A wrong password: the login's refusal, with the other way to sign in.
	in.OMAdminPassword = "wrong"
	_, err = Run(context.Background(), in, RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "sign in to OpenMetadata") || !strings.Contains(err.Error(), "--om-token") {
		t.Errorf("wrong password: %v", err)
	}
}

// A redirect from OpenMetadata is not followed: the token never reaches
// the other host, and nothing is stored.
func TestApplyRefusesRedirects(t *testing.T) {
	t.Parallel()
	for _, f := range []omsim.Fault{
		{Method: "GET", Path: omapi.PathSecurityConfig},
		{Method: "POST", Path: omapi.PathValidate},
		{Method: "PUT", Path: omapi.PathSecurityConfig},
	} {
		t.Run(f.Method+" "+f.Path, func(t *testing.T) {
			t.Parallel()
			d := deploy(t, "2.0.2", deployOptions{clientType: "confidential"})
			catcher := sandbox.NewTestCatcher(t)
			f.RedirectTo = catcher.URL() + "/steal"
			d.om.InjectFault(f)
			res, err := Run(context.Background(), d.inputs(), RunOptions{})
			var re *omapi.RedirectError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), catcher.URL()+"/steal") {
				t.Fatalf("err = %v", err)
			}
			if len(catcher.Requests()) != 0 || catcher.Saw(d.om.AdminToken()) || catcher.Saw(d.secret) {
				t.Errorf("the redirect was followed: %+v", catcher.Requests())
			}
			if res.Applied || d.om.Settings().Authentication.Provider != "basic" {
				t.Errorf("stored: %+v", d.om.Settings().Authentication)
			}
		})
	}
}

// --dry-run validates and stores nothing; --force stores what the
// validation refused; a confirmation that says no stores nothing.
func TestApplyDryRunForceAndConfirm(t *testing.T) {
	t.Parallel()
	d := deploy(t, "2.0.2", deployOptions{clientType: "confidential"})
	ctx := context.Background()
	// The tenant's JWKS fails once: OpenMetadata's validator, which fetches
	// every public key URL, then refuses the settings (apply itself does not
	// read the JWKS).
	jwksFails := func() {
		d.ten.InjectFault(sandbox.Fault{Method: http.MethodGet, Path: "/.well-known/jwks.json", Status: http.StatusInternalServerError})
	}

	jwksFails()
	res, err := Run(ctx, d.inputs(), RunOptions{DryRun: true, Force: true})
	if err != nil || !res.DryRun || res.Applied || res.Validation == nil || res.Validation.Passed() {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	if log := calls(d.om); count(log, validate) != 1 || count(log, putConfig) != 0 {
		t.Errorf("dry run sent %v", log)
	}

	asked := 0
	jwksFails()
	res, err = Run(ctx, d.inputs(), RunOptions{Force: true, Confirm: func(_ context.Context, p *Plan) error {
		asked++
		if !p.Changes() {
			t.Error("asked about a plan without changes")
		}
		return ErrDeclined
	}})
	if !errors.Is(err, ErrDeclined) || asked != 1 || res.Applied || count(calls(d.om), putConfig) != 0 {
		t.Fatalf("declined: %v, asked %d, %+v", err, asked, res)
	}

	// The validation fails; --force stores anyway.
	var progress bytes.Buffer
	jwksFails()
	res, err = Run(ctx, d.inputs(), RunOptions{Force: true, Progress: &progress, ASCII: true})
	if err != nil || !res.Applied || !res.Confirmed || res.Validation.Passed() {
		t.Fatalf("forced: %v %+v", err, res)
	}
	if got := d.om.Settings().Authentication.OIDC; got == nil || got.Secret != d.secret {
		t.Errorf("stored oidcConfiguration %+v", got)
	}
	if !strings.Contains(progress.String(), "warning: OpenMetadata's validation of the settings failed") ||
		!strings.Contains(progress.String(), "storing them anyway (--force)") {
		t.Errorf("progress:\n%s", progress.String())
	}

	// --force also writes the secret again when nothing else changed.
	d.om.ResetRequests()
	res, err = Run(ctx, d.inputs(), RunOptions{Force: true})
	if err != nil || !res.Applied || count(calls(d.om), putConfig) != 1 {
		t.Fatalf("forced again: %v %+v %v", err, res, calls(d.om))
	}
}

// An OpenMetadata URL whose host has no dot: its own JWKS is left out of
// publicKeyUrls, which the validator would refuse, and the plan says why.
func TestApplyDotlessHost(t *testing.T) {
	t.Parallel()
	d := deploy(t, "2.0.2", deployOptions{omURL: func(om *omsim.Server) string {
		return strings.Replace(om.URL(), "127.0.0.1", "localhost", 1)
	}})
	var report bytes.Buffer
	res, err := Run(context.Background(), d.inputs(), RunOptions{Report: &report})
	if err != nil {
		t.Fatalf("%v\n%s", err, report.String())
	}
	if got := d.om.Settings().Authentication.PublicKeyURLs; !slices.Equal(got, []string{d.ten.Domain().JWKSURL()}) {
		t.Errorf("publicKeyUrls %v", got)
	}
	if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "refuses a host without a dot") ||
		!strings.Contains(report.String(), "leave out OpenMetadata's own JWKS") {
		t.Errorf("notes %q\n%s", res.Notes, report.String())
	}
}

// A hostile OpenMetadata: escape sequences in its settings, a null
// validation, settings of the wrong shape. Nothing panics, nothing it sent
// reaches the terminal raw, and nothing is stored.
func TestApplyHostileServer(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, settings string
		want           []string
	}{
		{"escape sequences, no verdict",
			`{"authenticationConfiguration":{"provider":"\u001b[2Jbasic","clientId":"\u001b]0;pwn\u0007","publicKeyUrls":["\u001b[1mk"]},` +
				`"authorizerConfiguration":{"adminPrincipals":["\u001b[31madmin"],"principalDomain":"x\u0007"}}`,
			[]string{`its verdict is "", not "success"`, "basic → auth0", "[admin] → [alice]", "x → example.com", "[k] → ["}},
		{"settings of the wrong shape",
			`{"authenticationConfiguration":{"publicKeyUrls":"not a list"},"authorizerConfiguration":{"principalDomain":7}}`,
			[]string{"not a SecurityConfiguration"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var puts atomic.Int32
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case omapi.PathVersion:
					_, _ = w.Write([]byte(`{"version":"2.0.2"}`))
				case omapi.PathSecurityConfig:
					if r.Method == http.MethodPut {
						puts.Add(1)
					}
					_, _ = w.Write([]byte(tc.settings))
				case omapi.PathValidate:
					_, _ = w.Write([]byte(`null`))
				default:
					http.NotFound(w, r)
				}
			}))
			t.Cleanup(srv.Close)
			d := deploy(t, "2.0.2", deployOptions{omURL: func(*omsim.Server) string { return srv.URL }})
			var out bytes.Buffer
			res, err := Run(context.Background(), d.inputs(), RunOptions{Progress: &out, Report: &out})
			if err == nil || res.Applied || puts.Load() != 0 {
				t.Fatalf("err = %v, result %+v, %d PUT(s)", err, res, puts.Load())
			}
			if strings.ContainsAny(out.String()+err.Error(), "\x1b\x07") {
				t.Errorf("server text reached the terminal raw:\n%q", out.String()+err.Error())
			}
			text := out.String() + err.Error()
			for _, s := range tc.want {
				if !strings.Contains(text, s) {
					t.Errorf("output lacks %q:\n%s", s, text)
				}
			}
		})
	}
}

// Settings changed on the server between the plan and the confirmation
// are not overwritten with the values the plan read.
func TestApplyRefusesSettingsChangedSincePlan(t *testing.T) {
	t.Parallel()
	d := deploy(t, "2.0.2", deployOptions{})
	changed := unowned(d.om.URL())
	_, err := Run(context.Background(), d.inputs(), RunOptions{Confirm: func(context.Context, *Plan) error {
		// Another administrator saves Settings > SSO meanwhile.
		return d.om.SetStored(changed)
	}})
	if err == nil || !strings.Contains(err.Error(), "changed since the plan was made") ||
		!strings.Contains(err.Error(), "authenticationConfiguration.enableSelfSignup") || count(calls(d.om), putConfig) != 0 {
		t.Fatalf("err = %v, requests %v", err, calls(d.om))
	}
	if mustJSON(t, d.om.Settings()) != mustJSON(t, changed) {
		t.Errorf("the other administrator's settings were overwritten:\n%s", mustJSON(t, d.om.Settings()))
	}
}
