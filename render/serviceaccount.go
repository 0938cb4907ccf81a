package render

import (
	"errors"
	"strconv"

	"github.com/om-auth0/om-auth0/openmetadata"
)

// ServiceAccountPath is the separate service account's credentials file on
// OpenMetadata 1.1 and later, relative to the output folder.
const ServiceAccountPath = "service-account.yaml"

// serviceAccountCredentials is what a client-credentials request for a
// Management API token needs.
type serviceAccountCredentials struct {
	Domain       string   `yaml:"domain"`
	TokenURL     string   `yaml:"tokenUrl"`
	Audience     string   `yaml:"audience"`
	ClientID     string   `yaml:"clientId"`
	ClientSecret string   `yaml:"clientSecret"`
	Scopes       []string `yaml:"scopes"`
}

// ServiceAccountFile renders the credentials of in.ServiceAccount, the
// Machine-to-Machine application name, granted scopes on the Management
// API. From OpenMetadata 1.1 ingestion signs in with the ingestion-bot's JWT
// and no configuration file holds them, so without this file they would be
// shown once and lost. It holds a secret: mode 0600.
func ServiceAccountFile(in Input, name string, scopes []string) (openmetadata.File, error) {
	sa := in.ServiceAccount
	if sa == nil || sa.ClientID == "" || sa.ClientSecret == "" {
		return openmetadata.File{}, errors.New("render service account: its client id and client secret are both needed")
	}
	c, err := prepare(in)
	if err != nil {
		return openmetadata.File{}, err
	}
	head := []string{c.title("the service account's Auth0 credentials"),
		"Application " + strconv.Quote(name) + " (Machine-to-Machine): its client credentials get Auth0 Management API",
		"tokens with the scopes below, for your own scripts. OpenMetadata does not use them: ingestion signs in",
		"with the ingestion-bot's JWT (" + IngestionPath + ").",
		"Holds the client secret: keep this file private. If it leaks, rotate the secret in the Auth0 dashboard",
		"under Applications > Applications > " + strconv.Quote(name) + ".",
	}
	data, err := yamlFile(head, serviceAccountCredentials{
		Domain: c.Tenant.Host, TokenURL: c.Tenant.TokenURL(), Audience: c.Tenant.ManagementAudience(),
		ClientID: sa.ClientID, ClientSecret: sa.ClientSecret, Scopes: append([]string{}, scopes...),
	})
	if err != nil {
		return openmetadata.File{}, err
	}
	return openmetadata.File{Path: ServiceAccountPath, Data: data, Secret: true}, nil
}
