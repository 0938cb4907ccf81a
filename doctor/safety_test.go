package doctor

import (
	"context"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/omapi"
	"github.com/om-auth0/om-auth0/omsim"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// OpenMetadata ≤ 1.0: the separate service account gets its token with
// the secret in the form body, as that version's ingestion asks.
func TestLegacyServiceAccount(t *testing.T) {
	d := deploy(t, "1.0.2", "public")
	rep := Run(context.Background(), d.inputs(t, true, false))
	c, ok := rep.Check(IDAuth0ServiceAcct)
	if rep.Failed() || !ok || c.Status != OK || !strings.Contains(c.Message, "form body") {
		t.Fatalf("%s", dump(rep))
	}
}

// The admin token never follows a redirect to another host: the
// credential check fails naming the redirect, and the other host sees nothing.
func TestAdminTokenStaysOnTheOpenMetadataHost(t *testing.T) {
	d := deploy(t, "2.0.2", "public")
	catcher := sandbox.NewTestCatcher(t)
	d.om.InjectFault(omsim.Fault{Path: omapi.PathSecurityConfig, RedirectTo: catcher.URL() + "/login"})
	rep := Run(context.Background(), d.inputs(t, true, true))
	c, _ := rep.Check(IDOMCredential)
	if c.Status != Fail || !strings.Contains(c.Message, catcher.URL()+"/login") {
		t.Fatalf("%s", dump(rep))
	}
	if len(catcher.Requests()) != 0 || catcher.Saw(d.om.AdminToken()) {
		t.Errorf("the redirect was followed: %+v", catcher.Requests())
	}
}

// Text from the server is printed without its control and escape sequences.
func TestServerTextIsCleaned(t *testing.T) {
	d := deploy(t, "2.0.2", "public")
	c := d.settings()
	c.Authentication.Provider = "\x1b]0;owned\x07\x1b[31mbasic\u202e"
	d.serveStored(t, c)
	rep := Run(context.Background(), d.inputs(t, true, true))
	out := dump(rep)
	if p, _ := rep.Check(IDOMProvider); p.Status != Fail || strings.ContainsAny(out, "\x1b\x07\u202e") {
		t.Fatalf("%q", out)
	}
}

// publicKeyUrls and a host without a dot: OpenMetadata's Auth0 validator
// refuses such a URL, and 1.10+ checks its own tokens first, so leaving its
// own JWKS out is right there; a dotted host must list it.
func TestPublicKeysAndDotlessHosts(t *testing.T) {
	d := tenant.MustParse("acme.us.auth0.com")
	for _, tc := range []struct {
		name, om string
		keys     []string
		want     Status
	}{
		{"dotted, both", "https://om.acme.com", []string{d.JWKSURL(), "https://om.acme.com/api/v1/system/config/jwks"}, OK},
		{"dotted, own missing", "https://om.acme.com", []string{d.JWKSURL()}, Fail},
		{"tenant's missing", "https://om.acme.com", []string{"https://om.acme.com/api/v1/system/config/jwks"}, Fail},
		{"dotless, own left out", "http://openmetadata:8585", []string{d.JWKSURL()}, OK},
		{"dotless, own listed", "http://openmetadata:8585", []string{d.JWKSURL(), "http://openmetadata:8585/api/v1/system/config/jwks"}, Warn},
	} {
		t.Run(tc.name, func(t *testing.T) {
			om, err := omapi.New(tc.om, omapi.Options{})
			if err != nil {
				t.Fatal(err)
			}
			r := &run{cfg: &setup.Config{Connect: steps.ConnectRequest{Domain: d}}, om: om}
			r.f.effective = openmetadata.Version{Major: 2}
			r.f.expected = render.Settings{Provider: "auth0"}
			r.f.authCfg.Provider = "auth0"
			r.f.sec = &omapi.SecurityConfig{Authentication: omapi.Authentication{Provider: "auth0", PublicKeyURLs: tc.keys}}
			r.publicKeysCheck()
			if len(r.checks) != 1 || r.checks[0].Status != tc.want || tc.want != OK && r.checks[0].Fix == "" {
				t.Fatalf("%+v, want %s", r.checks, tc.want)
			}
		})
	}
}
