package render

import "github.com/om-auth0/om-auth0/openmetadata"

// openMetadataSections is the part of conf/openmetadata.yaml that configures
// sign-in. Keys the schemas require but om-auth0 does not decide carry
// OpenMetadata's defaults.
type openMetadataSections struct {
	Authorizer     authorizerConfiguration     `yaml:"authorizerConfiguration"`
	Authentication authenticationConfiguration `yaml:"authenticationConfiguration"`
}

// authorizerConfiguration follows authorizerConfiguration.json.
type authorizerConfiguration struct {
	ClassName                    string   `yaml:"className"`
	ContainerRequestFilter       string   `yaml:"containerRequestFilter"`
	AdminPrincipals              []string `yaml:"adminPrincipals"`
	PrincipalDomain              string   `yaml:"principalDomain"`
	EnforcePrincipalDomain       bool     `yaml:"enforcePrincipalDomain"`
	EnableSecureSocketConnection bool     `yaml:"enableSecureSocketConnection"`
}

// authenticationConfiguration follows authenticationConfiguration.json.
type authenticationConfiguration struct {
	Provider           string             `yaml:"provider"`
	ProviderName       string             `yaml:"providerName"`
	ClientType         string             `yaml:"clientType,omitempty"`
	PublicKeyURLs      []string           `yaml:"publicKeyUrls"`
	Authority          string             `yaml:"authority"`
	ClientID           string             `yaml:"clientId"`
	CallbackURL        string             `yaml:"callbackUrl"`
	JWTPrincipalClaims []string           `yaml:"jwtPrincipalClaims"`
	EnableSelfSignup   bool               `yaml:"enableSelfSignup"`
	OIDC               *oidcConfiguration `yaml:"oidcConfiguration,omitempty"`
}

// oidcConfiguration follows oidcClientConfig.json: the confidential client.
type oidcConfiguration struct {
	ID                         string `yaml:"id"`
	Type                       string `yaml:"type"`
	Secret                     string `yaml:"secret"`
	DiscoveryURI               string `yaml:"discoveryUri"`
	CallbackURL                string `yaml:"callbackUrl"`
	ServerURL                  string `yaml:"serverUrl"`
	ClientAuthenticationMethod string `yaml:"clientAuthenticationMethod"`
	// Tenant is for Azure; newer schemas require the key, and "" is the server's default.
	Tenant string `yaml:"tenant"`
}

func (c *config) openMetadataSections() openMetadataSections {
	s := openMetadataSections{
		Authorizer: authorizerConfiguration{
			ClassName:              authorizerClassName,
			ContainerRequestFilter: authorizerFilter,
			AdminPrincipals:        c.admins,
			PrincipalDomain:        c.principalDomain,
		},
		Authentication: authenticationConfiguration{
			Provider:           auth0Provider,
			PublicKeyURLs:      c.publicKeyURLs(),
			Authority:          c.Tenant.Authority(),
			ClientID:           c.UI.ClientID,
			CallbackURL:        c.callbackURL(),
			JWTPrincipalClaims: defaultJWTPrincipalClaims,
			// openmetadata.yaml's default: users signing in through Auth0 for the first time get an account.
			EnableSelfSignup: true,
		},
	}
	if c.hasClientType() {
		s.Authentication.ClientType = string(c.clientType)
	}
	if c.confidential() {
		s.Authentication.OIDC = &oidcConfiguration{
			ID:                         c.UI.ClientID,
			Type:                       auth0Provider,
			Secret:                     c.UI.ClientSecret,
			DiscoveryURI:               c.Tenant.DiscoveryURL(),
			CallbackURL:                c.callbackURL(),
			ServerURL:                  c.om,
			ClientAuthenticationMethod: c.authMethod,
		}
	}
	return s
}

// bareMetal renders the two sections to set in conf/openmetadata.yaml.
func (c *config) bareMetal() ([]openmetadata.File, error) {
	head := []string{c.title(c.ssoSummary())}
	if c.confidential() {
		head = append(head, "Holds the client secret: keep this file private.")
	}
	head = append(head, c.applyHeader(BareMetal)...)
	data, err := yamlFile(head, c.openMetadataSections())
	if err != nil {
		return nil, err
	}
	return []openmetadata.File{{Path: BareMetalPath, Data: data, Secret: c.confidential()}}, nil
}
