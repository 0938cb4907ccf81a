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

// TestFilesServiceAccountCredentials: on OpenMetadata 1.1+ no configuration
// file holds the separate service account's credentials, so the run writes
// them in their own 0600 file; where a configuration file holds them (≤ 1.0)
// or there is no separate account, there is none.
func TestFilesServiceAccountCredentials(t *testing.T) {
	bot := &steps.App{ClientID: "botClient7Hq", ClientSecret: "bot-secret-YmFy", Name: "OpenMetadata Ingestion Bot"}
	grant := &steps.Grant{Scopes: []string{"read:clients"}}
	tests := []struct {
		name    string
		version openmetadata.Version
		sa      *steps.ServiceAccount
		want    bool
	}{
		{"separate on 1.6", openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, &steps.ServiceAccount{Mode: steps.Separate, App: bot, Grant: grant}, true},
		{"separate without a grant", openmetadata.Newest, &steps.ServiceAccount{Mode: steps.Separate, App: bot}, true},
		{"separate on 1.0: in the workflowConfig", openmetadata.Version{Major: 1, Minor: 0, Patch: 2}, &steps.ServiceAccount{Mode: steps.Separate, App: bot, Grant: grant}, false},
		{"separate, secret unknown", openmetadata.Newest, &steps.ServiceAccount{Mode: steps.Separate, App: &steps.App{ClientID: "botClient7Hq"}}, false},
		{"same: the UI application", openmetadata.Newest, &steps.ServiceAccount{Mode: steps.Same, App: bot}, false},
		{"skipped", openmetadata.Newest, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := &Config{
				Connect: steps.ConnectRequest{Domain: tenant.MustParse("acme.us.auth0.com")},
				Choices: steps.Choices{OMURL: "https://om.acme.internal", Version: tt.version, ClientType: openmetadata.Public},
				Admins:  []string{"jane"}, PrincipalDomain: "acme.com", Targets: []openmetadata.Target{render.Docker},
			}
			files, err := cfg.Files(&steps.App{ClientID: "uiClient9x"}, tt.sa)
			if err != nil {
				t.Fatal(err)
			}
			var found *openmetadata.File
			for i := range files {
				if files[i].Path == render.ServiceAccountPath {
					found = &files[i]
				}
			}
			if (found != nil) != tt.want {
				t.Fatalf("%s written: %v, want %v", render.ServiceAccountPath, found != nil, tt.want)
			}
			if found == nil {
				return
			}
			if !found.Secret || !strings.Contains(string(found.Data), "clientSecret: bot-secret-YmFy") || !strings.Contains(string(found.Data), "clientId: botClient7Hq") {
				t.Errorf("not secret, or the credentials are missing:\n%s", found.Data)
			}
			if files[len(files)-1].Path != AnswersFile {
				t.Errorf("answers.yaml is not last: %s", files[len(files)-1].Path)
			}
		})
	}
}
