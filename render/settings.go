package render

// Settings are the values the rendered files give OpenMetadata's
// authenticationConfiguration and authorizerConfiguration, named as its
// settings API names them: what a server configured from the files runs
// with, to compare with a running server or to put into one.
type Settings struct {
	Provider        string
	ClientType      string // "" before OpenMetadata 1.5, which has no client types
	ClientID        string
	Authority       string
	CallbackURL     string
	PublicKeyURLs   []string
	AdminPrincipals []string
	PrincipalDomain string
	OIDC            *OIDCSettings // the confidential client's; nil for a public one
}

// OIDCSettings are the oidcConfiguration values of a confidential client.
type OIDCSettings struct {
	ID                         string
	Type                       string
	Secret                     string
	DiscoveryURI               string
	CallbackURL                string
	ServerURL                  string
	ClientAuthenticationMethod string
}

// SecuritySettings validates in like Render and returns the settings its
// files set.
func SecuritySettings(in Input) (Settings, error) {
	c, err := prepare(in)
	if err != nil {
		return Settings{}, err
	}
	s := c.openMetadataSections()
	a, z := s.Authentication, s.Authorizer
	out := Settings{
		Provider:        a.Provider,
		ClientType:      a.ClientType,
		ClientID:        a.ClientID,
		Authority:       a.Authority,
		CallbackURL:     a.CallbackURL,
		PublicKeyURLs:   a.PublicKeyURLs,
		AdminPrincipals: z.AdminPrincipals,
		PrincipalDomain: z.PrincipalDomain,
	}
	if o := a.OIDC; o != nil {
		out.OIDC = &OIDCSettings{ID: o.ID, Type: o.Type, Secret: o.Secret, DiscoveryURI: o.DiscoveryURI,
			CallbackURL: o.CallbackURL, ServerURL: o.ServerURL, ClientAuthenticationMethod: o.ClientAuthenticationMethod}
	}
	return out, nil
}
