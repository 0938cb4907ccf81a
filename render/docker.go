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
	head = append(head, c.applyHeader(dockerHowTo)...)
	data, err := envFile(head, c.dockerEnv())
	if err != nil {
		return nil, err
	}
	return []openmetadata.File{{Path: DockerEnvPath, Data: data, Secret: c.confidential()}}, nil
}

// Docker is docker compose with an env file.
const Docker openmetadata.Target = "docker"

var dockerTarget = TargetSpec{
	Name:    Docker,
	Title:   "Docker",
	Phrase:  "Docker",
	Summary: "an env file for docker compose",
	Folder:  "docker",
	render:  (*config).docker,
	howTo:   dockerHowTo,
}

// dockerHowTo is how to apply the Docker files.
func dockerHowTo(a applying) howTo {
	var h howTo
	h.intro = "In the folder of your docker-compose.yml, start OpenMetadata with the env file:"
	if a.d == "" {
		h.intro = "In the folder of your docker-compose.yml, start OpenMetadata with the env file\n" +
			"(this path is relative to the output folder: give --env-file the file's full path,\n" +
			"as compose reads it from the current folder):"
	}
	h.apply = []string{dockerUp(a.d)}
	h.altIntro = "--env-file replaces the project's own .env, which compose then no longer reads. If the folder\n" +
		"has a .env, name it first to keep it (the later file wins where both set a variable):"
	h.alt = []string{dockerUpKeepingEnv(a.d)}
	if a.settingsInDB() {
		h.reseedIntro = a.reseedIntro("the env file", "Clear them and restart the server")
		h.reseed = []string{dockerOps, dockerRestart}
	}
	return h
}
