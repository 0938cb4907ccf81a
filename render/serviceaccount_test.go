package render

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
)

// TestServiceAccountFile: the file says what the credentials are for, holds
// what a client-credentials request needs, and is secret; a name from the
// tenant cannot break out of the header comment.
func TestServiceAccountFile(t *testing.T) {
	in := Input{
		Tenant: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://om.acme.internal",
		Version: openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, ClientType: openmetadata.Public,
		UI: Credentials{ClientID: "uiClient9x"}, AdminPrincipals: []string{"jane"}, PrincipalDomain: "acme.com",
		ServiceAccount: &Credentials{ClientID: "botClient7Hq", ClientSecret: "bot-secret-YmFy"},
	}
	f, err := ServiceAccountFile(in, "Bot\nclientSecret: x", []string{"read:clients", "read:users"})
	if err != nil {
		t.Fatal(err)
	}
	if f.Path != ServiceAccountPath || !f.Secret {
		t.Errorf("path %q, secret %v", f.Path, f.Secret)
	}
	var got serviceAccountCredentials
	if err := yaml.Unmarshal(f.Data, &got); err != nil {
		t.Fatalf("%v:\n%s", err, f.Data)
	}
	want := serviceAccountCredentials{Domain: "acme.us.auth0.com", TokenURL: "https://acme.us.auth0.com/oauth/token", Audience: "https://acme.us.auth0.com/api/v2/",
		ClientID: "botClient7Hq", ClientSecret: "bot-secret-YmFy", Scopes: []string{"read:clients", "read:users"}}
	if strings.Join(got.Scopes, ",") != strings.Join(want.Scopes, ",") || got.ClientSecret != want.ClientSecret || got.ClientID != want.ClientID ||
		got.Domain != want.Domain || got.TokenURL != want.TokenURL || got.Audience != want.Audience {
		t.Errorf("got %+v, want %+v", got, want)
	}
	for _, w := range []string{"OpenMetadata does not use them", "ingestion-bot's JWT", "keep this file private", `"Bot\nclientSecret: x"`} {
		if !strings.Contains(string(f.Data), w) {
			t.Errorf("lacks %q:\n%s", w, f.Data)
		}
	}

	for name, sa := range map[string]*Credentials{"none": nil, "no secret": {ClientID: "botClient7Hq"}} {
		in.ServiceAccount = sa
		if _, err := ServiceAccountFile(in, "Bot", nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}
