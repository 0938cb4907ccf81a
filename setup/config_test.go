package setup

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/render"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// TestRenderInputClientAuthMethod: the configuration's token endpoint auth
// method is the one the UI application ended with in Auth0, so OpenMetadata's
// confidential client and Auth0 agree: OIDC_CLIENT_AUTH_METHOD must equal the
// application's token endpoint auth method, or Auth0 refuses the code exchange.
func TestRenderInputClientAuthMethod(t *testing.T) {
	const post, basic = openmetadata.ConfidentialAuthMethod, openmetadata.BasicAuthMethod
	app := func(method string) *steps.App {
		return &steps.App{ClientID: "ui-id", ClientSecret: "ui-secret", TokenEndpointAuthMethod: method}
	}
	tests := []struct {
		name    string
		ui      *steps.App
		sa      *steps.ServiceAccount
		want    string // Input.ClientAuthMethod
		wantEnv string // OIDC_CLIENT_AUTH_METHOD in the Docker env file
	}{
		// The guide's literal path: the steps switch the UI application to Basic.
		{"same mode", app(post), &steps.ServiceAccount{Mode: steps.Same, App: app(basic)}, basic, basic},
		{"same mode, application as read before the switch", app(post), &steps.ServiceAccount{Mode: steps.Same}, basic, basic},
		{"separate service account", app(post), &steps.ServiceAccount{Mode: steps.Separate, App: &steps.App{ClientID: "bot", ClientSecret: "s"}}, post, post},
		{"skipped, application uses Post", app(post), nil, post, post},
		{"skipped, reused application uses Basic", app(basic), nil, basic, basic},
		{"method OpenMetadata cannot use", app("private_key_jwt"), nil, "", post},
		{"method unknown", app(""), nil, "", post},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{
				Connect: steps.ConnectRequest{Domain: tenant.MustParse("acme.us.auth0.com")},
				Choices: steps.Choices{OMURL: "https://om.acme.internal/", Version: openmetadata.Newest, ClientType: openmetadata.Confidential},
				Admins:  []string{"jane"}, PrincipalDomain: "acme.com",
			}
			in := cfg.RenderInput(tt.ui, tt.sa)
			if in.ClientAuthMethod != tt.want {
				t.Errorf("ClientAuthMethod = %q, want %q", in.ClientAuthMethod, tt.want)
			}
			files, err := render.Render(in, []openmetadata.Target{render.Docker})
			if err != nil {
				t.Fatal(err)
			}
			if want := "\nOIDC_CLIENT_AUTH_METHOD=" + tt.wantEnv + "\n"; !strings.Contains(string(files[0].Data), want) {
				t.Errorf("env file lacks %q:\n%s", want, files[0].Data)
			}
		})
	}
}

func TestAbsDir(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ in, want string }{
		{"openmetadata-auth0", filepath.Join(wd, "openmetadata-auth0")},
		{"./out/../om", filepath.Join(wd, "om")},
		{"/srv/om", filepath.Clean("/srv/om")},
	} {
		if got := AbsDir(tt.in); got != tt.want {
			t.Errorf("AbsDir(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
