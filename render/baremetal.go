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
	head = append(head, c.applyHeader(bareMetalHowTo)...)
	data, err := yamlFile(head, c.openMetadataSections())
	if err != nil {
		return nil, err
	}
	return []openmetadata.File{{Path: BareMetalPath, Data: data, Secret: c.confidential()}}, nil
}

// BareMetal is conf/openmetadata.yaml.
const BareMetal openmetadata.Target = "bare-metal"

var bareMetalTarget = TargetSpec{
	Name:    BareMetal,
	Aliases: []string{"baremetal", "bare_metal"},
	Title:   "Bare Metal",
	Phrase:  "bare metal",
	Summary: "conf/openmetadata.yaml",
	Folder:  "bare-metal",
	render:  (*config).bareMetal,
	howTo:   bareMetalHowTo,
}

// bareMetalHowTo is how to apply the bare-metal files.
func bareMetalHowTo(a applying) howTo {
	var h howTo
	file := shellQuote(a.d.path(BareMetalPath))
	if a.d == "" {
		file += " in the output folder"
	}
	h.intro = "In conf/openmetadata.yaml, set the keys of authorizerConfiguration and authenticationConfiguration\n" +
		"to those in " + file + " (keep your other keys)."
	h.outro = "Then restart the OpenMetadata server."
	if a.settingsInDB() {
		h.reseedIntro = a.reseedIntro("conf/openmetadata.yaml", "Clear them in the OpenMetadata folder")
		h.reseed = []string{bareMetalOps}
		h.outro = "Then restart every OpenMetadata server."
	}
	return h
}
