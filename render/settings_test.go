package render

import (
	"slices"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
)

// SecuritySettings says what the bare-metal file sets, value for value.
func TestSecuritySettingsMatchTheFiles(t *testing.T) {
	for _, ct := range []openmetadata.ClientType{openmetadata.Public, openmetadata.Confidential} {
		t.Run(string(ct), func(t *testing.T) {
			in := Input{Tenant: tenant.MustParse("acme.us.auth0.com"), OMURL: "https://om.acme.com", Version: openmetadata.Version{Major: 2},
				ClientType: ct, UI: Credentials{ClientID: "ui-id", ClientSecret: "s3cret"}, AdminPrincipals: []string{"Alice"}, PrincipalDomain: "acme.com"}
			s, err := SecuritySettings(in)
			if err != nil {
				t.Fatal(err)
			}
			files, err := Render(in, []openmetadata.Target{BareMetal})
			if err != nil {
				t.Fatal(err)
			}
			var doc openMetadataSections
			if err := yaml.Unmarshal(files[0].Data, &doc); err != nil {
				t.Fatal(err)
			}
			a, z := doc.Authentication, doc.Authorizer
			if s.Provider != a.Provider || s.ClientType != a.ClientType || s.ClientID != a.ClientID || s.Authority != a.Authority ||
				s.CallbackURL != a.CallbackURL || !slices.Equal(s.PublicKeyURLs, a.PublicKeyURLs) ||
				!slices.Equal(s.AdminPrincipals, z.AdminPrincipals) || s.PrincipalDomain != z.PrincipalDomain {
				t.Fatalf("settings %+v, file %+v", s, doc)
			}
			if (s.OIDC == nil) != (a.OIDC == nil) || s.OIDC != nil && (s.OIDC.ID != a.OIDC.ID || s.OIDC.Secret != a.OIDC.Secret ||
				s.OIDC.DiscoveryURI != a.OIDC.DiscoveryURI || s.OIDC.ClientAuthenticationMethod != a.OIDC.ClientAuthenticationMethod) {
				t.Fatalf("oidc %+v, file %+v", s.OIDC, a.OIDC)
			}
			if _, err := SecuritySettings(Input{}); err == nil {
				t.Error("an empty input gave settings")
			}
		})
	}
}
