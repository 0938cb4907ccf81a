package omapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/om-auth0/om-auth0/render"
)

// SecurityConfig is OpenMetadata's SecurityConfiguration (GET
// /api/v1/system/security/config, 1.10 and later), reduced to the fields
// om-auth0 reads; Raw keeps the whole body, every field the server sent,
// so that a write can send back what it does not own.
type SecurityConfig struct {
	Authentication Authentication  `json:"authenticationConfiguration"`
	Authorizer     Authorizer      `json:"authorizerConfiguration"`
	Raw            json.RawMessage `json:"-"`
}

// Authentication is authenticationConfiguration.
type Authentication struct {
	Provider      string   `json:"provider"`
	ProviderName  string   `json:"providerName"`
	ClientType    string   `json:"clientType"`
	ResponseType  string   `json:"responseType"`
	ClientID      string   `json:"clientId"`
	Authority     string   `json:"authority"`
	CallbackURL   string   `json:"callbackUrl"`
	PublicKeyURLs []string `json:"publicKeyUrls"`
	OIDC          *OIDC    `json:"oidcConfiguration"`
}

// OIDC is oidcConfiguration, a confidential client's.
type OIDC struct {
	ID                         string `json:"id"`
	Type                       string `json:"type"`
	Secret                     string `json:"secret"` // Mask when read from the server
	DiscoveryURI               string `json:"discoveryUri"`
	CallbackURL                string `json:"callbackUrl"`
	ServerURL                  string `json:"serverUrl"`
	ClientAuthenticationMethod string `json:"clientAuthenticationMethod"`
}

// Authorizer is authorizerConfiguration.
type Authorizer struct {
	ClassName              string   `json:"className"`
	AdminPrincipals        []string `json:"adminPrincipals"`
	PrincipalDomain        string   `json:"principalDomain"`
	EnforcePrincipalDomain bool     `json:"enforcePrincipalDomain"`
}

// Mask is what OpenMetadata shows in place of a secret.
const Mask = "*********"

// SecurityConfig reads the SSO settings the server runs with (an
// administrator's token needed; 404 before 1.10, whose settings come from
// the deployment's files).
func (c *Client) SecurityConfig(ctx context.Context) (*SecurityConfig, error) {
	var raw json.RawMessage
	if err := c.do(ctx, "read OpenMetadata's SSO settings", http.MethodGet, PathSecurityConfig, "", nil, true, &raw); err != nil {
		return nil, err
	}
	var sc SecurityConfig
	if err := json.Unmarshal(raw, &sc); err != nil {
		return nil, &Error{Op: "read OpenMetadata's SSO settings", URL: c.base + PathSecurityConfig, Status: http.StatusOK,
			Msg: "the answer is not a SecurityConfiguration: " + Clean(err.Error())}
	}
	sc.Raw = raw
	return &sc, nil
}

// Validation is a SecurityValidationResponse, in either of the shapes
// OpenMetadata has answered with: {status, message, results:[{component,
// status, message}]} (1.10–2.0) or {status, errors:[{field, error}]} (2.1).
type Validation struct {
	Status  string             `json:"status"`
	Message string             `json:"message"`
	Results []ValidationResult `json:"results"`
	Errors  []FieldError       `json:"errors"`
}

// ValidationResult is one component's result (older shape).
type ValidationResult struct {
	Component string `json:"component"`
	Status    string `json:"status"`
	Message   string `json:"message"`
}

// FieldError is one field's error (newer shape).
type FieldError struct {
	Field string `json:"field"`
	Error string `json:"error"`
}

// Passed reports whether the validator accepted the settings.
func (v Validation) Passed() bool { return strings.EqualFold(v.Status, "success") }

// Components are the per-component results as "component: status: message"
// lines (older shape), or "field: error" lines (newer shape), cleaned.
func (v Validation) Components() []string {
	var out []string
	for _, r := range v.Results {
		out = append(out, Clean(r.Component)+": "+Clean(r.Status)+": "+Clean(r.Message))
	}
	for _, e := range v.Errors {
		out = append(out, Clean(e.Field)+": "+Clean(e.Error))
	}
	return out
}

// Problems are Components without the successes.
func (v Validation) Problems() []string {
	var out []string
	for _, r := range v.Results {
		if !strings.EqualFold(r.Status, "success") {
			out = append(out, Clean(r.Component)+": "+Clean(r.Message))
		}
	}
	for _, e := range v.Errors {
		out = append(out, Clean(e.Field)+": "+Clean(e.Error))
	}
	return out
}

// Validate runs OpenMetadata's own validation of settings (a
// SecurityConfiguration body) without saving them. A 200 answer is the
// verdict, even when it is "failed".
func (c *Client) Validate(ctx context.Context, settings []byte) (Validation, error) {
	var v Validation
	err := c.do(ctx, "validate SSO settings with OpenMetadata", http.MethodPost, PathValidate, "application/json", settings, true, &v)
	return v, err
}

// ErrMaskedSecret is PutSecurityConfig refusing a body whose client secret
// is the mask: OpenMetadata before 2.1 would store the mask as the secret.
var ErrMaskedSecret = errors.New("the settings hold the masked client secret " + Mask +
	", which OpenMetadata before 2.1 would store as the secret: give the real one")

// PutSecurityConfig stores settings (a whole SecurityConfiguration body) as
// the server's SSO settings, applied without a restart. OpenMetadata runs
// no validation on a PUT: call Validate first. A body whose client secret is
// the mask is refused before it is sent (ErrMaskedSecret). On 2.1 a server
// whose deployment owns the settings answers 409.
func (c *Client) PutSecurityConfig(ctx context.Context, settings []byte) error {
	var body struct {
		Authentication struct {
			OIDC *struct {
				Secret string `json:"secret"`
			} `json:"oidcConfiguration"`
		} `json:"authenticationConfiguration"`
	}
	if err := json.Unmarshal(settings, &body); err != nil {
		return fmt.Errorf("store OpenMetadata's SSO settings: the settings are not a SecurityConfiguration: %w", err)
	}
	if o := body.Authentication.OIDC; o != nil && o.Secret == Mask {
		return fmt.Errorf("store OpenMetadata's SSO settings: %w", ErrMaskedSecret)
	}
	return c.do(ctx, "store OpenMetadata's SSO settings", http.MethodPut, PathSecurityConfig, "application/json", settings, true, nil)
}

// DotlessHost reports whether the URL's host has no dot (and is not an
// auth0.com name): OpenMetadata's Auth0 validator refuses such a host in
// publicKeyUrls, like http://openmetadata:8585 inside a cluster.
func DotlessHost(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	return !strings.Contains(h, ".") && !strings.HasSuffix(h, ".auth0.com")
}

// SettingsSource is GET /api/v1/system/settings/source (2.1).
type SettingsSource struct {
	Settings []SettingSource `json:"settings"`
}

// SettingSource is one setting's source: its mode and the fields the
// database overrides.
type SettingSource struct {
	ConfigType       string            `json:"configType"`
	Source           string            `json:"source"`
	SourceVariable   string            `json:"sourceVariable"`
	Editable         bool              `json:"editable"`
	ManagedPaths     []string          `json:"managedPaths"`
	OverriddenFields []OverriddenField `json:"overriddenFields"`
	LastReloadError  string            `json:"lastReloadError"`
}

// OverriddenField is a field whose stored value wins over the deployment's.
type OverriddenField struct {
	Path        string `json:"path"`
	EnvVariable string `json:"envVariable"`
}

// ErrNoSettingsSource is SettingsSource on a server before 2.1, which
// answers 404: it has no settings source model.
var ErrNoSettingsSource = errors.New("OpenMetadata has no settings source (2.1 and later have)")

// SettingsSource reads where each setting comes from (2.1; an
// administrator's token needed). A 404 is ErrNoSettingsSource.
func (c *Client) SettingsSource(ctx context.Context) (*SettingsSource, error) {
	var s SettingsSource
	err := c.do(ctx, "read OpenMetadata's settings source", http.MethodGet, PathSettingsSource, "", nil, true, &s)
	if StatusOf(err) == http.StatusNotFound {
		return nil, fmt.Errorf("%w: %w", ErrNoSettingsSource, err)
	}
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// WithSettings is the SecurityConfiguration current (a body as the server
// sent it, nil for none) with the fields om-auth0 owns set to want's: what
// the files say, every other field kept as the server has it. A masked
// secret in current is replaced only by want's secret.
func WithSettings(current json.RawMessage, want render.Settings) ([]byte, error) {
	doc := map[string]any{}
	if len(bytes.TrimSpace(current)) > 0 && !bytes.Equal(bytes.TrimSpace(current), []byte("null")) {
		dec := json.NewDecoder(bytes.NewReader(current))
		dec.UseNumber()
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("read the current SSO settings: %w", err)
		}
		if doc == nil {
			doc = map[string]any{}
		}
	}
	authn := object(doc, "authenticationConfiguration")
	authn["provider"] = want.Provider
	if s, _ := authn["providerName"].(string); s == "" {
		authn["providerName"] = "Auth0"
	}
	if want.ClientType != "" {
		authn["clientType"] = want.ClientType
	}
	authn["responseType"] = "id_token"
	authn["clientId"] = want.ClientID
	authn["authority"] = want.Authority
	authn["callbackUrl"] = want.CallbackURL
	authn["publicKeyUrls"] = want.PublicKeyURLs
	if _, ok := authn["jwtPrincipalClaims"].([]any); !ok {
		authn["jwtPrincipalClaims"] = []string{"email", "preferred_username", "sub"}
	}
	if o := want.OIDC; o != nil {
		authn["responseType"] = "code"
		oidc := object(authn, "oidcConfiguration")
		// The note's body for an Auth0 confidential client; set where the server has nothing.
		defaults := map[string]any{"scope": "openid email profile", "useNonce": "true", "preferredJwsAlgorithm": "RS256",
			"responseType": "code", "disablePkce": true, "tenant": "", "tokenValidity": 3600, "sessionExpiry": 604800}
		for k, v := range defaults {
			if _, ok := oidc[k]; !ok {
				oidc[k] = v
			}
		}
		for k, v := range map[string]string{"id": o.ID, "type": o.Type, "secret": o.Secret, "discoveryUri": o.DiscoveryURI,
			"callbackUrl": o.CallbackURL, "serverUrl": o.ServerURL, "clientAuthenticationMethod": o.ClientAuthenticationMethod} {
			oidc[k] = v
		}
	}
	authz := object(doc, "authorizerConfiguration")
	authz["adminPrincipals"] = want.AdminPrincipals
	authz["principalDomain"] = want.PrincipalDomain
	for k, v := range map[string]any{"className": "org.openmetadata.service.security.DefaultAuthorizer",
		"containerRequestFilter": "org.openmetadata.service.security.JwtFilter", "enforcePrincipalDomain": false,
		"enableSecureSocketConnection": false} {
		if _, ok := authz[k]; !ok {
			authz[k] = v
		}
	}
	return json.Marshal(doc)
}

// object is m[key] as an object, created when missing.
func object(m map[string]any, key string) map[string]any {
	o, ok := m[key].(map[string]any)
	if !ok {
		o = map[string]any{}
		m[key] = o
	}
	return o
}
