package doctor

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/answers"
	"github.com/om-auth0/om-auth0/guide"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
)

// deployment is a tenant and an OpenMetadata that setup's code path has
// configured, and what doctor needs to check them.
type deployment struct {
	ten          *sandbox.Server
	om           *omsim.Server
	mgmtID       string
	mgmtSecret   string
	out          string
	cfg          *setup.Config
	uiID, secret string // the UI application's
}

// deploy runs setup against a fresh tenant for a fresh OpenMetadata of
// version, then puts the rendered settings into the server, files and
// database alike, as a correct deployment has them.
func deploy(t *testing.T, version, clientType string) *deployment {
	t.Helper()
	ten := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	om := omsim.NewTest(t, omsim.Options{Version: version, HTTPClient: ten.HTTPClient()})
	id, secret := ten.CreateM2MApp("om-auth0 test", sandbox.WizardScopes)
	out := filepath.Join(t.TempDir(), "out")
	cfg, missing, err := setup.Resolve(setup.Layer{Source: setup.FromFlags,
		Answers: answers.Answers{Domain: ten.URL(), ClientID: id, OMURL: om.URL(), OMVersion: version, ClientType: clientType,
			Admins: []string{"Alice@example.com"}, PrincipalDomain: "example.com", Out: out},
		Secrets: answers.Secrets{ClientSecret: secret}})
	if err != nil || len(missing) > 0 {
		t.Fatalf("resolve: %v %v", missing, err)
	}
	res, err := guide.Run(context.Background(), cfg, connectTo(ten), guide.Options{Yes: true})
	if err != nil {
		t.Fatalf("setup: %v", err)
	}
	d := &deployment{ten: ten, om: om, mgmtID: id, mgmtSecret: secret, out: out, cfg: cfg, uiID: res.UIApp.ClientID}
	for _, c := range ten.Clients() {
		if c.ClientID == d.uiID {
			d.secret = c.ClientSecret
		}
	}
	d.serve(d.settings())
	return d
}

func connectTo(ten *sandbox.Server) setup.ConnectFunc {
	return func(ctx context.Context, req steps.ConnectRequest) (steps.Runner, error) {
		return steps.Connect(ctx, req, steps.Options{HTTPClient: ten.HTTPClient()})
	}
}

// settings are the settings the rendered files give the server.
func (d *deployment) settings() omsim.SecurityConfig {
	if d.cfg.Choices.ClientType == "confidential" {
		return omsim.Auth0Confidential(d.ten.URL(), d.uiID, d.secret, d.om.URL(), d.cfg.Admins, d.cfg.PrincipalDomain)
	}
	return omsim.Auth0Public(d.ten.URL(), d.uiID, d.om.URL(), d.cfg.Admins, d.cfg.PrincipalDomain)
}

// serve makes c the server's files and, from 1.10, its database rows.
func (d *deployment) serve(c omsim.SecurityConfig) {
	d.om.SetDeployment(c)
	d.om.Restart()
	_ = d.om.SetStored(c) // refused before 1.10, which reads the files
}

// inputs are doctor's inputs as the command builds them: the answers
// file in the output folder, with the given credentials.
func (d *deployment) inputs(t *testing.T, auth0, omAdmin bool) Inputs {
	t.Helper()
	path := filepath.Join(d.out, setup.AnswersFile)
	file, err := setup.FileLayer(path)
	if err != nil {
		t.Fatal(err)
	}
	flags := setup.Layer{Source: setup.FromFlags}
	if auth0 {
		flags.Secrets.ClientSecret = d.mgmtSecret
	}
	cfg, _, err := setup.Resolve(flags, file)
	if err != nil {
		t.Fatal(err)
	}
	in := Inputs{Config: cfg, AnswersPath: path, Connect: connectTo(d.ten), HTTPClient: d.ten.HTTPClient()}
	if omAdmin {
		in.OMToken = d.om.AdminToken()
	}
	return in
}

func statuses(r Report, s Status) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == s {
			out = append(out, c.ID)
		}
	}
	return out
}

func dump(r Report) string {
	var b bytes.Buffer
	Write(&b, r, true)
	return b.String()
}

// A correct setup passes every check that applies, and doctor writes
// nothing: the request logs hold only reads, token requests and validations.
func TestCorrectSetup(t *testing.T) {
	for _, tc := range []struct {
		version, clientType string
		skipped             []string // checks that do not apply to the version
	}{
		{"2.0.2", "public", []string{IDOMSettingsSource}},
		{"2.1.0", "public", nil},
		{"2.0.2", "confidential", []string{IDOMSettingsSource}},
		{"1.6.4", "public", []string{IDOMCredential, IDOMPublicKeys, IDOMAuthorizer, IDOMValidate, IDOMSettingsSource}},
	} {
		t.Run(tc.version+"/"+tc.clientType, func(t *testing.T) {
			t.Parallel()
			d := deploy(t, tc.version, tc.clientType)
			d.ten.ResetRequests()
			d.om.ResetRequests()
			rep := Run(context.Background(), d.inputs(t, true, true))
			if rep.Failed() || len(statuses(rep, Warn)) > 0 || !slices.Equal(statuses(rep, Skip), tc.skipped) {
				t.Fatalf("want all ok but %v skipped:\n%s", tc.skipped, dump(rep))
			}
			if rep.OMVersion != tc.version || rep.Tenant != d.ten.URL() {
				t.Errorf("report header %+v", rep)
			}
			for _, r := range d.ten.Requests() {
				if r.Method != "GET" && !(r.Method == "POST" && r.Path == "/oauth/token") {
					t.Errorf("doctor wrote to the tenant: %s %s", r.Method, r.Path)
				}
			}
			for _, r := range d.om.Requests() {
				if r.Method != "GET" && !(r.Method == "POST" && (r.Path == "/api/v1/users/login" || r.Path == "/api/v1/system/security/validate")) {
					t.Errorf("doctor wrote to OpenMetadata: %s %s", r.Method, r.Path)
				}
			}
		})
	}
}

// api is a Management API client of the tenant, as someone in the Dashboard acts.
func (d *deployment) api(t *testing.T) *management.Management {
	t.Helper()
	api, err := management.New(d.ten.URL(), management.WithInsecure(),
		management.WithClientCredentials(context.Background(), d.mgmtID, d.mgmtSecret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// updateUI changes the UI application.
func (d *deployment) updateUI(t *testing.T, c *management.Client) {
	t.Helper()
	if err := d.api(t).Client.Update(context.Background(), d.uiID, c); err != nil {
		t.Fatal(err)
	}
}
