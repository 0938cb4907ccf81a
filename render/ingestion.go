package render

import "github.com/om-auth0/om-auth0/openmetadata"

// ingestionConfig is the workflowConfig of a metadata CLI workflow (workflow.json).
type ingestionConfig struct {
	WorkflowConfig struct {
		OpenMetadataServerConfig openMetadataServerConfig `yaml:"openMetadataServerConfig"`
	} `yaml:"workflowConfig"`
}

// openMetadataServerConfig follows openMetadataConnection.json.
type openMetadataServerConfig struct {
	HostPort       string `yaml:"hostPort"`
	AuthProvider   string `yaml:"authProvider"`
	SecurityConfig any    `yaml:"securityConfig"`
}

// jwtClientConfig follows openMetadataJWTClientConfig.json.
type jwtClientConfig struct {
	JWTToken string `yaml:"jwtToken"`
}

// auth0ClientConfig follows auth0SSOClientConfig.json (OpenMetadata ≤ 1.0).
type auth0ClientConfig struct {
	ClientID  string `yaml:"clientId"`
	SecretKey string `yaml:"secretKey"`
	// Domain is the host (and port) only: the client prepends https:// itself.
	Domain string `yaml:"domain"`
}

func (c *config) ingestionConfig() ingestionConfig {
	var ic ingestionConfig
	server := openMetadataServerConfig{HostPort: c.om + "/api"}
	if c.legacyIngestion() {
		server.AuthProvider = auth0Provider
		server.SecurityConfig = auth0ClientConfig{
			ClientID:  c.ServiceAccount.ClientID,
			SecretKey: c.ServiceAccount.ClientSecret,
			Domain:    c.Tenant.Host,
		}
	} else {
		token := c.jwt
		if token == "" {
			token = IngestionJWTPlaceholder
		}
		server.AuthProvider = "openmetadata"
		server.SecurityConfig = jwtClientConfig{JWTToken: token}
	}
	ic.WorkflowConfig.OpenMetadataServerConfig = server
	return ic
}

// ingestion renders the workflowConfig for the metadata CLI.
func (c *config) ingestion() (openmetadata.File, error) {
	head := []string{c.title("how the metadata CLI signs in"),
		"Use: put workflowConfig in your connector's YAML, then run: metadata ingest -c <that file>"}
	switch {
	case c.legacyIngestion():
		head = append(head, "Signs in to Auth0 as the service account with its client secret: keep this file private.")
	case c.jwt == "":
		head = append(head, "Replace jwtToken with the ingestion-bot's token from Settings > Bots > ingestion-bot.")
	default:
		head = append(head, "Holds the ingestion-bot's token: keep this file private.")
	}
	data, err := yamlFile(head, c.ingestionConfig())
	if err != nil {
		return openmetadata.File{}, err
	}
	// Always secret, also with the placeholder: the operator pastes the
	// ingestion-bot's token into this very file, which must then not be
	// readable by others.
	return openmetadata.File{Path: IngestionPath, Data: data, Secret: true}, nil
}
