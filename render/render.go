// Package render turns one Input into the configuration files that set up
// Auth0 single sign-on for an OpenMetadata deployment, and into the commands
// that apply them. Everything here is a pure function of its Input: no
// network, no disk, no UI.
//
//	files, err := render.Render(in, []openmetadata.Target{render.Docker})
//	// files: docker/openmetadata_auth0.env, ingestion/workflow-config.yaml
//	fmt.Println(render.NextStepsIn(in, render.Docker, "/abs/out")) // how to apply the Docker files
//	fmt.Println(render.IngestionNextSteps(in))                     // how to use the ingestion config, once
//
// The output follows OpenMetadata's own configuration for the version in
// in.Version: ≤ 1.0 (ingestion signs in to Auth0 with client credentials),
// 1.1–1.4 (ingestion uses the ingestion-bot's OpenMetadata JWT) and ≥ 1.5
// (public or confidential client).
package render

import (
	"fmt"
	"slices"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/tenant"
)

// Credentials is an Auth0 application's client id and secret.
type Credentials struct {
	ClientID     string
	ClientSecret string
}

// Input is everything the renderers need; it is the one value that both the
// wizard and `--no-input` / `render` build.
type Input struct {
	Tenant     tenant.Domain
	OMURL      string // OpenMetadata base URL, no trailing slash
	Version    openmetadata.Version
	ClientType openmetadata.ClientType
	// UI is the application behind the sign-in page; its secret is used only for a confidential client.
	UI Credentials
	// ClientAuthMethod is a confidential client's token endpoint auth method,
	// ConfidentialAuthMethod or BasicAuthMethod; empty means
	// ConfidentialAuthMethod. It must match the UI application's in Auth0.
	ClientAuthMethod string
	// ServiceAccount is the ingestion bot's Auth0 application; used only for ≤ 1.0 ingestion. Nil when skipped.
	ServiceAccount *Credentials
	// AdminPrincipals are email local parts; the renderers lowercase them.
	AdminPrincipals []string
	PrincipalDomain string
	// IngestionJWT is the ingestion-bot's OpenMetadata JWT (≥ 1.1). Empty renders a placeholder.
	IngestionJWT string
	// Namespace is the Kubernetes namespace of OpenMetadata's Helm release; "" means DefaultNamespace.
	Namespace string
	// Release is the name of OpenMetadata's Helm release; "" means DefaultRelease.
	Release string
}

// Paths of the rendered files, relative to the output folder.
const (
	DockerEnvPath  = "docker/openmetadata_auth0.env"
	BareMetalPath  = "bare-metal/openmetadata-auth0.yaml"
	HelmValuesPath = "kubernetes/values-auth0.yaml"
	HelmSecretPath = "kubernetes/oidc-secrets.yaml"
	IngestionPath  = "ingestion/workflow-config.yaml"
)

// IngestionJWTPlaceholder stands in the ingestion config for the ingestion-bot's
// JWT when Input.IngestionJWT is empty.
const IngestionJWTPlaceholder = "<ingestion-bot JWT from Settings > Bots > ingestion-bot>"

// Values OpenMetadata expects for Auth0 (its openmetadata.yaml, the Helm
// chart's values and templates, and its Auth0 guide agree on them).
const (
	auth0Provider          = "auth0" // provider and OIDC type, lowercase everywhere
	authorizerClassName    = "org.openmetadata.service.security.DefaultAuthorizer"
	authorizerFilter       = "org.openmetadata.service.security.JwtFilter"
	omJWKSPath             = "/api/v1/system/config/jwks"
	oidcSecretName         = "oidc-secrets"
	oidcSecretClientIDKey  = "openmetadata-oidc-client-id"
	oidcSecretClientKeyKey = "openmetadata-oidc-client-secret"
)

// defaultJWTPrincipalClaims is OpenMetadata's default jwtPrincipalClaims: the
// first claim present in a token names the user.
var defaultJWTPrincipalClaims = []string{"email", "preferred_username", "sub"}

// Render validates in and renders the files of the chosen targets, plus the
// ingestion config, which is always rendered. Files come in a stable order:
// the targets' in the order of Targets, then the ingestion config.
func Render(in Input, targets []openmetadata.Target) ([]openmetadata.File, error) {
	c, err := prepare(in)
	if err != nil {
		return nil, err
	}
	chosen, err := orderTargets(targets)
	if err != nil {
		return nil, err
	}
	var files []openmetadata.File
	for _, t := range chosen {
		fs, err := t.render(c)
		if err != nil {
			return nil, fmt.Errorf("render %s: %w", t.Name, err)
		}
		files = append(files, fs...)
	}
	ing, err := c.ingestion()
	if err != nil {
		return nil, fmt.Errorf("render ingestion: %w", err)
	}
	return append(files, ing), nil
}

// orderTargets puts targets in display order without duplicates and rejects
// unknown ones.
func orderTargets(targets []openmetadata.Target) ([]TargetSpec, error) {
	for _, t := range targets {
		if _, ok := Lookup(t); !ok {
			return nil, fmt.Errorf("target %q: use %s", string(t), TargetNames())
		}
	}
	var out []TargetSpec
	for _, t := range Targets {
		if slices.Contains(targets, t.Name) {
			out = append(out, t)
		}
	}
	return out, nil
}

// config is a validated Input with its values normalised.
type config struct {
	Input
	om              string // OpenMetadata base URL, no trailing slash
	clientType      openmetadata.ClientType
	authMethod      string   // confidential client's token endpoint auth method
	admins          []string // lowercased email local parts, unique
	principalDomain string
	jwt             string // ingestion-bot JWT, trimmed; empty renders the placeholder
	kube            kube   // the Helm release's namespace and name
}

func (c *config) confidential() bool { return c.clientType == openmetadata.Confidential }

// hasClientType reports whether the version knows clientType (public/confidential).
func (c *config) hasClientType() bool { return c.Version.Band() == openmetadata.BandOIDC }

// legacyIngestion reports whether ingestion signs in to Auth0 with the
// service account's client credentials (≤ 1.0 only).
func (c *config) legacyIngestion() bool {
	return c.Version.Band() == openmetadata.BandLegacy && c.ServiceAccount != nil
}

func (c *config) callbackURL() string { return c.om + "/callback" }

// publicKeyURLs lists Auth0's keys (users' ID tokens) and OpenMetadata's own
// (bot JWTs); a server missing either rejects those tokens.
func (c *config) publicKeyURLs() []string {
	return []string{c.Tenant.JWKSURL(), c.om + omJWKSPath}
}

// versionLabel is the major.minor the files are rendered for.
func (c *config) versionLabel() string {
	return fmt.Sprintf("%d.%d", c.Version.Major, c.Version.Minor)
}

// title is the first header line of every file.
func (c *config) title(what string) string {
	return fmt.Sprintf("Generated by om-auth0 for OpenMetadata %s: %s.", c.versionLabel(), what)
}

// ssoSummary says what the file configures, e.g. "Auth0 SSO, public client".
func (c *config) ssoSummary() string {
	if !c.hasClientType() {
		return "Auth0 SSO"
	}
	return fmt.Sprintf("Auth0 SSO, %s client", c.clientType)
}
