package render

import "github.com/om-auth0/om-auth0/openmetadata"

// dockerEnv is the environment the openmetadata-server container must get. It
// sets only variables that OpenMetadata's docker-compose.yml passes to that
// service; the compose file's defaults cover the rest.
func (c *config) dockerEnv() []envVar {
	vars := []envVar{
		{"AUTHORIZER_CLASS_NAME", authorizerClassName},
		{"AUTHORIZER_REQUEST_FILTER", authorizerFilter},
		{"AUTHORIZER_ADMIN_PRINCIPALS", serverList(c.admins)},
		{"AUTHORIZER_PRINCIPAL_DOMAIN", serverText(c.principalDomain)},
		{"AUTHENTICATION_PROVIDER", auth0Provider},
		{"AUTHENTICATION_PUBLIC_KEYS", serverList(c.publicKeyURLs())},
		{"AUTHENTICATION_AUTHORITY", serverText(c.Tenant.Authority())},
		{"AUTHENTICATION_CLIENT_ID", serverText(c.UI.ClientID)},
		{"AUTHENTICATION_CALLBACK_URL", serverText(c.callbackURL())},
	}
	if c.hasClientType() {
		vars = append(vars, envVar{"AUTHENTICATION_CLIENT_TYPE", string(c.clientType)})
	}
	if c.confidential() {
		vars = append(vars,
			envVar{"OIDC_CLIENT_ID", serverText(c.UI.ClientID)},
			envVar{"OIDC_TYPE", auth0Provider},
			envVar{"OIDC_CLIENT_SECRET", serverText(c.UI.ClientSecret)},
			envVar{"OIDC_DISCOVERY_URI", serverText(c.Tenant.DiscoveryURL())},
			envVar{"OIDC_CALLBACK", serverText(c.callbackURL())},
			envVar{"OIDC_SERVER_URL", serverText(c.om)},
			envVar{"OIDC_CLIENT_AUTH_METHOD", c.authMethod},
		)
	}
	return vars
}

// docker renders the env file for `docker compose --env-file`.
func (c *config) docker() ([]openmetadata.File, error) {
	head := []string{c.title(c.ssoSummary())}
	if c.confidential() {
		head = append(head, "Holds the client secret: keep this file private.")
	}
	head = append(head, c.applyHeader(Docker)...)
	data, err := envFile(head, c.dockerEnv())
	if err != nil {
		return nil, err
	}
	return []openmetadata.File{{Path: DockerEnvPath, Data: data, Secret: c.confidential()}}, nil
}
