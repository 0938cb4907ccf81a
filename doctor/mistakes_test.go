package doctor

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/omsim"
)

// Each mistake fails the one check that names it, with the fix that
// mends it; the other checks pass, warn or are skipped.
func TestMistakes(t *testing.T) {
	for _, tc := range []struct {
		name, version, clientType string
		auth0, omAdmin            bool
		break_                    func(t *testing.T, d *deployment)
		failed                    string
		message, fix              []string // substrings
	}{{
		name: "wrong client id on the server", version: "2.0.2",
		break_: func(t *testing.T, d *deployment) {
			c := d.settings()
			c.Authentication.ClientID = "SomeOtherApp0123"
			d.serveStored(t, c)
		},
		failed: IDOMClient, message: []string{`clientId is "SomeOtherApp0123"`}, fix: []string{"om-auth0 apply", "remove-security-config --force", "restart every replica"},
	}, {
		name: "callback missing in Auth0", version: "2.0.2",
		break_: func(t *testing.T, d *deployment) {
			d.updateUI(t, &management.Client{Callbacks: &[]string{"https://elsewhere.example.com/callback"}})
		},
		failed: IDAuth0URLs, message: []string{"callbacks lack http://127.0.0.1:", "/callback"}, fix: []string{"om-auth0 setup again"},
	}, {
		name: "publicKeyUrls without OpenMetadata's own JWKS", version: "2.0.2",
		break_: func(t *testing.T, d *deployment) {
			c := d.settings()
			c.Authentication.PublicKeyURLs = c.Authentication.PublicKeyURLs[:1]
			d.serveStored(t, c)
		},
		failed: IDOMPublicKeys, message: []string{"lack OpenMetadata's own JWKS", "ingestion bot"}, fix: []string{"om-auth0 apply"},
	}, {
		name: "stale database settings still on basic after new files", version: "2.0.2",
		break_: func(t *testing.T, d *deployment) {
			// The files now say Auth0, the rows kept from the first start say basic.
			d.serveStored(t, omsim.FreshInstall(d.om.URL()))
		},
		failed: IDOMProvider, message: []string{`"basic"`}, fix: []string{"OpenMetadata 2.0.2 keeps the settings of its database", "om-auth0 apply", "remove-security-config --force"},
	}, {
		name: "files not applied on 1.6", version: "1.6.4",
		break_: func(t *testing.T, d *deployment) {
			d.om.SetDeployment(omsim.FreshInstall(d.om.URL()))
			d.om.Restart()
		},
		failed: IDOMProvider, message: []string{`"basic"`}, fix: []string{"reads these settings from its files", "restart"},
	}, {
		name: "confidential client without the client-credentials grant", version: "2.0.2", clientType: "confidential",
		break_: func(t *testing.T, d *deployment) {
			d.updateUI(t, &management.Client{GrantTypes: &[]string{"authorization_code", "refresh_token"}})
		},
		failed: IDAuth0ClientCreds, message: []string{"Client Credentials grant"}, fix: []string{"Grant Types", "Machine to Machine Applications"},
	}, {
		name: "field overridden by the database on 2.1", version: "2.1.0",
		break_: func(t *testing.T, d *deployment) {
			c := d.settings()
			c.Authentication.EnableSelfSignup = false
			d.serveStored(t, c)
		},
		failed: IDOMSettingsSource, message: []string{"/enableSelfSignup", "AUTHENTICATION_ENABLE_SELF_SIGNUP", "AUTO"}, fix: []string{"adopt"},
	}, {
		name: "OpenMetadata unreachable", version: "2.0.2",
		break_: func(t *testing.T, d *deployment) { _ = d.om.Close() },
		failed: IDOMReachable, message: []string{"does not answer"}, fix: []string{"--om-url"},
	}, {
		name: "login refused once the provider is Auth0", version: "2.0.2", omAdmin: true,
		break_: func(*testing.T, *deployment) {},
		failed: IDOMCredential, message: []string{"basic or ldap"}, fix: []string{"--om-token"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ct := tc.clientType
			if ct == "" {
				ct = "public"
			}
			d := deploy(t, tc.version, ct)
			tc.break_(t, d)
			in := d.inputs(t, true, true)
			if tc.omAdmin {
				in.OMToken = ""
				in.OMAdminEmail, in.OMAdminPassword = d.om.AdminCredentials()
			}
			rep := Run(context.Background(), in)
			if failed := statuses(rep, Fail); !slices.Equal(failed, []string{tc.failed}) {
				t.Fatalf("failed %v, want only %s:\n%s", failed, tc.failed, dump(rep))
			}
			c, _ := rep.Check(tc.failed)
			for _, m := range tc.message {
				if !strings.Contains(c.Message, m) {
					t.Errorf("message %q lacks %q", c.Message, m)
				}
			}
			for _, f := range tc.fix {
				if !strings.Contains(c.Fix, f) {
					t.Errorf("fix %q lacks %q", c.Fix, f)
				}
			}
			if strings.Contains(c.Fix, "\n") || c.Fix == "" {
				t.Errorf("fix is not one line: %q", c.Fix)
			}
		})
	}
}

// serveStored changes the database rows only, as an earlier start, another
// replica or the UI would have left them.
func (d *deployment) serveStored(t *testing.T, c omsim.SecurityConfig) {
	t.Helper()
	if err := d.om.SetStored(c); err != nil {
		t.Fatal(err)
	}
}

// Without credentials the checks that need them are skipped and named by
// the credential they wait for; none fails.
func TestMissingCredentials(t *testing.T) {
	d := deploy(t, "2.0.2", "public")
	rep := Run(context.Background(), d.inputs(t, false, false))
	if rep.Failed() || len(statuses(rep, Warn)) > 0 {
		t.Fatalf("a missing credential failed a check:\n%s", dump(rep))
	}
	if got, want := rep.SkippedFor(NeedsAuth0), []string{IDAuth0App, IDAuth0URLs, IDAuth0AppType}; !slices.Equal(got, want) {
		t.Errorf("skipped for Auth0 credentials %v, want %v", got, want)
	}
	if got, want := rep.SkippedFor(NeedsOMAdmin), []string{IDOMCredential, IDOMPublicKeys, IDOMAuthorizer, IDOMValidate, IDOMSettingsSource}; !slices.Equal(got, want) {
		t.Errorf("skipped for an admin credential %v, want %v", got, want)
	}
	out := dump(rep)
	for _, want := range []string{"Skipped for want of Auth0 credentials", "auth0.app, auth0.urls, auth0.app_type",
		"Skipped for want of an OpenMetadata admin credential", "OM_ADMIN_TOKEN", "the client id is not compared"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// The public checks still ran.
	for _, id := range []string{IDOMReachable, IDOMProvider, IDOMClient, IDAuth0Discovery, IDAuth0JWKS} {
		if c, _ := rep.Check(id); c.Status != OK {
			t.Errorf("%s = %+v", id, c)
		}
	}
}
