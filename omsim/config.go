package omsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
)

// SecurityConfig is OpenMetadata's SecurityConfiguration, the body of
// GET/PUT /api/v1/system/security/config: the authentication and the
// authorizer settings together.
type SecurityConfig struct {
	Authentication Authentication `json:"authenticationConfiguration"`
	Authorizer     Authorizer     `json:"authorizerConfiguration"`
}

// Authentication is the authenticationConfiguration block, with the fields
// om-auth0 reads and writes. The server keeps every other field it is sent
// (see Server.SettingsJSON).
type Authentication struct {
	Provider                  string   `json:"provider"`
	ProviderName              string   `json:"providerName"`
	ClientType                string   `json:"clientType,omitempty"`
	ResponseType              string   `json:"responseType,omitempty"`
	ClientID                  string   `json:"clientId"`
	Authority                 string   `json:"authority"`
	CallbackURL               string   `json:"callbackUrl"`
	PublicKeyURLs             []string `json:"publicKeyUrls"`
	TokenValidationAlgorithm  string   `json:"tokenValidationAlgorithm,omitempty"`
	JWTPrincipalClaims        []string `json:"jwtPrincipalClaims"`
	JWTPrincipalClaimsMapping []string `json:"jwtPrincipalClaimsMapping"`
	EnableSelfSignup          bool     `json:"enableSelfSignup"`
	OIDC                      *OIDC    `json:"oidcConfiguration,omitempty"`
}

// OIDC is the oidcConfiguration block of a confidential client
// (oidcClientConfig.json).
type OIDC struct {
	Type                       string `json:"type,omitempty"`
	ID                         string `json:"id"`
	Secret                     string `json:"secret"`
	DiscoveryURI               string `json:"discoveryUri"`
	Scope                      string `json:"scope,omitempty"`
	UseNonce                   string `json:"useNonce,omitempty"`
	PreferredJWSAlgorithm      string `json:"preferredJwsAlgorithm,omitempty"`
	ResponseType               string `json:"responseType,omitempty"`
	DisablePKCE                bool   `json:"disablePkce"`
	ClientAuthenticationMethod string `json:"clientAuthenticationMethod,omitempty"`
	Tenant                     string `json:"tenant"`
	CallbackURL                string `json:"callbackUrl,omitempty"`
	ServerURL                  string `json:"serverUrl,omitempty"`
	Prompt                     string `json:"prompt,omitempty"`
	TokenValidity              int    `json:"tokenValidity,omitempty"`
	SessionExpiry              int    `json:"sessionExpiry,omitempty"`
}

// Authorizer is the authorizerConfiguration block.
type Authorizer struct {
	ClassName                       string   `json:"className"`
	ContainerRequestFilter          string   `json:"containerRequestFilter"`
	AdminPrincipals                 []string `json:"adminPrincipals"`
	PrincipalDomain                 string   `json:"principalDomain"`
	EnforcePrincipalDomain          bool     `json:"enforcePrincipalDomain"`
	AllowedEmailRegistrationDomains []string `json:"allowedEmailRegistrationDomains,omitempty"`
	AllowedDomains                  []string `json:"allowedDomains,omitempty"`
	UseRolesFromProvider            bool     `json:"useRolesFromProvider"`
	EnableSecureSocketConnection    bool     `json:"enableSecureSocketConnection"`
}

// Mask is what OpenMetadata shows in place of a secret.
const Mask = "*********"

// Names OpenMetadata's default configuration uses.
const (
	DefaultAuthorizerClass = "org.openmetadata.service.security.DefaultAuthorizer"
	DefaultRequestFilter   = "org.openmetadata.service.security.JwtFilter"
)

// FreshInstall is the security configuration of a new installation with
// the shipped defaults (docker-compose 1.6.4 and openmetadata.yaml): basic
// sign-in, user "admin", principal domain open-metadata.org. omURL is the
// server's own URL, whose JWKS is the one public key URL.
func FreshInstall(omURL string) SecurityConfig {
	return SecurityConfig{
		Authentication: Authentication{
			Provider:                  "basic",
			ProviderName:              "",
			ClientType:                "public",
			ResponseType:              "id_token",
			ClientID:                  "",
			Authority:                 "https://accounts.google.com",
			CallbackURL:               "",
			PublicKeyURLs:             []string{omURL + jwksPath},
			TokenValidationAlgorithm:  "RS256",
			JWTPrincipalClaims:        []string{"email", "preferred_username", "sub"},
			JWTPrincipalClaimsMapping: []string{},
			EnableSelfSignup:          true,
		},
		Authorizer: Authorizer{
			ClassName:                       DefaultAuthorizerClass,
			ContainerRequestFilter:          DefaultRequestFilter,
			AdminPrincipals:                 []string{"admin"},
			PrincipalDomain:                 "open-metadata.org",
			AllowedEmailRegistrationDomains: []string{"all"},
			AllowedDomains:                  []string{},
		},
	}
}

// Auth0Public is the configuration of an Auth0 single-page application
// (public client) as OpenMetadata's Auth0 guide sets it: authority is the
// tenant URL without a trailing slash, publicKeyUrls hold the tenant's JWKS
// and OpenMetadata's own.
func Auth0Public(tenantURL, clientID, omURL string, admins []string, principalDomain string) SecurityConfig {
	c := FreshInstall(omURL)
	c.Authentication.Provider = "auth0"
	c.Authentication.ProviderName = "Auth0"
	c.Authentication.ClientID = clientID
	c.Authentication.Authority = tenantURL
	c.Authentication.CallbackURL = omURL + "/callback"
	c.Authentication.PublicKeyURLs = []string{tenantURL + "/.well-known/jwks.json", omURL + jwksPath}
	c.Authorizer.AdminPrincipals = slices.Clone(admins)
	c.Authorizer.PrincipalDomain = principalDomain
	return c
}

// Auth0Confidential is Auth0Public for a regular web application
// (confidential client): response type code and the oidcConfiguration block.
func Auth0Confidential(tenantURL, clientID, secret, omURL string, admins []string, principalDomain string) SecurityConfig {
	c := Auth0Public(tenantURL, clientID, omURL, admins, principalDomain)
	c.Authentication.ClientType = "confidential"
	c.Authentication.ResponseType = "code"
	c.Authentication.OIDC = &OIDC{
		Type: "auth0", ID: clientID, Secret: secret,
		DiscoveryURI: tenantURL + "/.well-known/openid-configuration",
		Scope:        "openid email profile", UseNonce: "true", PreferredJWSAlgorithm: "RS256", ResponseType: "code",
		DisablePKCE: true, ClientAuthenticationMethod: "client_secret_post", Tenant: "",
		CallbackURL: omURL + "/callback", ServerURL: omURL, TokenValidity: 3600, SessionExpiry: 604800,
	}
	return c
}

// object is a JSON object as the server stores it: every field it was
// sent, numbers kept as json.Number.
type object = map[string]any

// settingKeys are the two settings rows, in the order OpenMetadata lists them.
var settingKeys = []string{"authenticationConfiguration", "authorizerConfiguration"}

// toObject turns a typed configuration into the stored form. The types
// above always marshal, so errors cannot happen.
func toObject(c SecurityConfig) object {
	raw, _ := json.Marshal(c)
	o, _ := decodeObject(raw)
	return o
}

// decodeObject parses a JSON object, keeping numbers exact.
func decodeObject(raw []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var o object
	if err := dec.Decode(&o); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("trailing data after the JSON object")
	}
	if o == nil {
		return nil, fmt.Errorf("not a JSON object")
	}
	return o, nil
}

// typed reads the stored form back into the typed view.
func typed(o object) SecurityConfig {
	var c SecurityConfig
	raw, _ := json.Marshal(o)
	_ = json.Unmarshal(raw, &c)
	return c
}

// deepCopy copies a stored value so that callers cannot share it.
func deepCopy(v any) any {
	switch t := v.(type) {
	case object:
		out := make(object, len(t))
		for k, e := range t {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopy(e)
		}
		return out
	default:
		return v
	}
}

func copyObject(o object) object {
	if o == nil {
		return nil
	}
	return deepCopy(o).(object)
}

// section returns o[key] as an object, or nil.
func section(o object, key string) object {
	s, _ := o[key].(object)
	return s
}

// secretPaths lists the fields masked in GET answers: before 2.1 only the
// OIDC client secret and the LDAP admin password; from 2.1 every field
// whose schema says "format": "password" (the two above and the LDAP trust
// store and SAML private key passwords named here).
var (
	secretPathsBefore21 = [][]string{
		{"authenticationConfiguration", "oidcConfiguration", "secret"},
		{"authenticationConfiguration", "ldapConfiguration", "dnAdminPassword"},
	}
	secretPaths21 = append(slices.Clone(secretPathsBefore21),
		[]string{"authenticationConfiguration", "ldapConfiguration", "trustStoreConfig", "customTrustManagerConfig", "trustStorePassword"},
		[]string{"authenticationConfiguration", "samlConfiguration", "sp", "spPrivateKey"},
	)
)

// lookup follows keys through nested objects.
func lookup(o object, keys []string) (any, bool) {
	var cur any = o
	for _, k := range keys {
		m, ok := cur.(object)
		if !ok {
			return nil, false
		}
		if cur, ok = m[k]; !ok {
			return nil, false
		}
	}
	return cur, true
}

// setPath sets the value at keys when every parent exists.
func setPath(o object, keys []string, v any) {
	parent, ok := lookup(o, keys[:len(keys)-1])
	if m, isObj := parent.(object); ok && isObj {
		m[keys[len(keys)-1]] = v
	}
}

// masked returns a copy of o with every secret that is set replaced by Mask.
func masked(o object, paths [][]string) object {
	out := copyObject(o)
	for _, p := range paths {
		if v, ok := lookup(out, p); ok {
			if s, isStr := v.(string); isStr && s != "" {
				setPath(out, p, Mask)
			}
		}
	}
	return out
}

// keepMaskedSecrets puts the stored secret back wherever next holds the
// mask, as 2.1's PUT does (preserveMaskedSecuritySecrets).
func keepMaskedSecrets(next, stored object, paths [][]string) {
	for _, p := range paths {
		if v, ok := lookup(next, p); ok && v == Mask {
			if old, had := lookup(stored, p); had {
				setPath(next, p, old)
			}
		}
	}
}

// diffPaths lists the JSON pointers (relative to a setting) of the fields
// that differ between a and b, descending into objects; lists and scalars
// compare whole. Sorted.
func diffPaths(a, b object) []string {
	var out []string
	var walk func(prefix string, a, b object)
	walk = func(prefix string, a, b object) {
		keys := slices.Sorted(maps.Keys(a))
		for k := range b {
			if _, ok := a[k]; !ok {
				keys = append(keys, k)
			}
		}
		slices.Sort(keys)
		for _, k := range keys {
			av, aok := a[k]
			bv, bok := b[k]
			p := prefix + "/" + escapePointer(k)
			am, aIsObj := av.(object)
			bm, bIsObj := bv.(object)
			switch {
			case aok && bok && aIsObj && bIsObj:
				walk(p, am, bm)
			case aok != bok || !sameJSON(av, bv):
				out = append(out, p)
			}
		}
	}
	walk("", a, b)
	return out
}

// sameJSON compares two decoded JSON values.
func sameJSON(a, b any) bool {
	return reflect.DeepEqual(a, b)
}

// fieldPaths lists the pointers of every leaf field set in o (lists and
// scalars are leaves). Sorted.
func fieldPaths(o object) []string {
	var out []string
	var walk func(prefix string, o object)
	walk = func(prefix string, o object) {
		for _, k := range slices.Sorted(maps.Keys(o)) {
			p := prefix + "/" + escapePointer(k)
			if m, ok := o[k].(object); ok {
				walk(p, m)
				continue
			}
			out = append(out, p)
		}
	}
	walk("", o)
	return out
}

func escapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

func unescapePointer(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~1", "/"), "~0", "~")
}
