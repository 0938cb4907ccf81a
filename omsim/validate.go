package omsim

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/tenant"
)

// Field paths of the newer validation shape (ValidationErrorBuilder.FieldPaths).
const (
	fieldProvider        = "authenticationConfiguration.provider"
	fieldProviderName    = "authenticationConfiguration.providerName"
	fieldClaims          = "authenticationConfiguration.jwtPrincipalClaims"
	fieldClaimsMapping   = "authenticationConfiguration.jwtPrincipalClaimsMapping"
	fieldPublicKeys      = "authenticationConfiguration.publicKeyUrls"
	fieldAuthority       = "authenticationConfiguration.authority"
	fieldClientID        = "authenticationConfiguration.clientId"
	fieldCallback        = "authenticationConfiguration.callbackUrl"
	fieldOIDCClientID    = "authenticationConfiguration.oidcConfiguration.id"
	fieldOIDCSecret      = "authenticationConfiguration.oidcConfiguration.secret"
	fieldOIDCDiscovery   = "authenticationConfiguration.oidcConfiguration.discoveryUri"
	fieldOIDCScope       = "authenticationConfiguration.oidcConfiguration.scope"
	fieldOIDCPrompt      = "authenticationConfiguration.oidcConfiguration.prompt"
	fieldClassName       = "authorizerConfiguration.className"
	fieldAdmins          = "authorizerConfiguration.adminPrincipals"
	fieldPrincipalDomain = "authorizerConfiguration.principalDomain"
)

// knownAuthorizers are the authorizer classes OpenMetadata ships.
var knownAuthorizers = []string{DefaultAuthorizerClass, "org.openmetadata.service.security.NoopAuthorizer"}

// FieldError is one error of the newer (2.1) validation response.
type FieldError struct {
	Field string `json:"field"`
	Error string `json:"error"`
}

// ValidationResult is one component's result in the older (1.10–2.0)
// validation response.
type ValidationResult struct {
	Component string `json:"component"`
	Status    string `json:"status"`
	Message   string `json:"message"`
}

// ValidationResponse is SecurityValidationResponse in either shape: Errors
// on 2.1, Message and Results before.
type ValidationResponse struct {
	Status  string             `json:"status"`
	Message string             `json:"message,omitempty"`
	Results []ValidationResult `json:"results,omitempty"`
	Errors  []FieldError       `json:"errors,omitempty"`
}

// finding is one check's outcome, in the words of both validator versions.
type finding struct {
	field     string // newer shape
	newer     string // newer message; "" when the newer validator passes
	component string // older shape
	older     string // older message; "" when the older validator passes
	warning   bool   // the older validator only warns (and goes on)
}

// validator runs OpenMetadata's settings validation for one request.
type validator struct {
	s     *Server
	ctx   context.Context
	newer bool
}

// validate checks a SecurityConfiguration the way SystemRepository does
// and answers in the server version's shape.
func (s *Server) validate(ctx context.Context, cfg object) ValidationResponse {
	v := &validator{s: s, ctx: ctx, newer: s.version.hasSettingsSource()}
	var results []ValidationResult
	var errs []FieldError
	add := func(component, success string, f *finding) {
		if v.newer {
			if f != nil && f.newer != "" {
				errs = append(errs, FieldError{Field: f.field, Error: f.newer})
			}
			return
		}
		switch {
		case f == nil || f.older == "":
			results = append(results, ValidationResult{Component: component, Status: "success", Message: success})
		case f.warning:
			results = append(results, ValidationResult{Component: f.component, Status: "warning", Message: f.older})
		default:
			results = append(results, ValidationResult{Component: f.component, Status: "failed", Message: f.older})
		}
	}
	if authn := section(cfg, "authenticationConfiguration"); authn != nil {
		var a Authentication
		_ = json.Unmarshal(mustJSON(authn), &a)
		add("authentication-base", "Authentication configuration base fields are valid", v.baseFields(authn, a))
		if f, checked := v.provider(a); checked {
			add("oidc", "OIDC configuration is valid and provider metadata successfully retrieved", f)
		}
	}
	if authz := section(cfg, "authorizerConfiguration"); authz != nil {
		var z Authorizer
		_ = json.Unmarshal(mustJSON(authz), &z)
		add("authorizer", "Authorizer configuration is valid", v.authorizer(z))
	}
	if v.newer {
		if len(errs) == 0 {
			return ValidationResponse{Status: "success"}
		}
		return ValidationResponse{Status: "failed", Errors: errs}
	}
	for _, r := range results {
		if r.Status == "failed" {
			return ValidationResponse{Status: "failed", Message: "Security configuration validation found issues", Results: results}
		}
	}
	return ValidationResponse{Status: "success", Message: "Security configuration validation completed successfully", Results: results}
}

func fail(field, newer, component, older string) *finding {
	return &finding{field: field, newer: newer, component: component, older: older}
}

// baseFields checks the fields every provider needs.
func (v *validator) baseFields(raw object, a Authentication) *finding {
	base := func(field, newer, older string) *finding {
		return fail(field, newer, "authentication-base", "Authentication base validation failed: "+older)
	}
	switch {
	case a.Provider == "":
		return base(fieldProvider, "Provider is required", "Authentication provider is required")
	case a.ProviderName == "":
		return base(fieldProviderName, "Provider name is required", "Authentication provider name is required")
	}
	if v.newer {
		switch {
		case len(a.JWTPrincipalClaims) == 0:
			return base(fieldClaims, "JWT principal claims are required", "")
		case a.Provider == "ldap" || a.Provider == "saml":
		case a.ClientType != "confidential" && len(a.PublicKeyURLs) == 0:
			return base(fieldPublicKeys, "Public key URLs are required", "")
		case a.Authority == "":
			return base(fieldAuthority, "Authority is required", "")
		case a.CallbackURL == "":
			return base(fieldCallback, "Callback URL is required", "")
		case a.ClientID == "":
			return base(fieldClientID, "Client ID is required", "")
		}
		if len(a.JWTPrincipalClaimsMapping) > 0 {
			keys := map[string]bool{}
			for _, m := range a.JWTPrincipalClaimsMapping {
				k, _, _ := strings.Cut(m, ":")
				keys[k] = true
			}
			if !keys["username"] || !keys["email"] {
				return base(fieldClaimsMapping, "Both username and email should be present", "")
			}
		}
		return nil
	}
	switch {
	case len(a.PublicKeyURLs) == 0:
		return base("", "", "Authentication public key URLs are required")
	case a.Authority == "":
		return base("", "", "Authentication authority is required")
	case a.CallbackURL == "":
		return base("", "", "Authentication callback URL is required")
	case a.ClientID == "":
		return base("", "", "Authentication client ID is required")
	case len(a.JWTPrincipalClaims) == 0:
		return base("", "", "Authentication JWT principal claims are required")
	}
	return nil
}

// provider runs the provider's checks; checked is false when the
// validator has none for it (ldap or saml without their block).
func (v *validator) provider(a Authentication) (f *finding, checked bool) {
	switch a.Provider {
	case "auth0", "google", "okta", "azure", "aws-cognito", "custom-oidc":
	case "ldap", "saml":
		// Their validators connect to an LDAP server or parse SAML
		// certificates, which the simulation cannot do.
		return fail(fieldProvider, a.Provider+" validation is not simulated", a.Provider, a.Provider+" validation is not simulated"), true
	default:
		return fail(fieldProvider, "Unknown provider: "+a.Provider, "authentication", "Unknown authentication provider: "+a.Provider), true
	}
	oidcFail := func(field, newer, older string) *finding {
		return fail(field, newer, "oidc", "OIDC validation failed: "+older)
	}
	o := a.OIDC
	if v.newer && a.ClientType == "confidential" {
		switch {
		case o == nil:
			return oidcFail(fieldOIDCClientID, "OIDC configuration is required", ""), true
		case o.ID == "":
			return oidcFail(fieldOIDCClientID, "Client ID is required", ""), true
		case o.Secret == "":
			return oidcFail(fieldOIDCSecret, "Client secret is required", ""), true
		case o.DiscoveryURI == "" && o.ServerURL == "":
			return oidcFail(fieldOIDCDiscovery, "Discovery URI or Server URL is required", ""), true
		}
	}
	if !v.newer && o != nil {
		switch {
		case o.ID == "":
			return oidcFail("", "", "OIDC client ID in oidcConfiguration is required"), true
		case o.Secret == "":
			return oidcFail("", "", "OIDC client secret is required for confidential clients"), true
		case o.DiscoveryURI == "" && o.ServerURL == "":
			return oidcFail("", "", "Either OIDC discovery URI or server URL must be provided"), true
		}
	}
	if o != nil && strings.EqualFold(o.Prompt, "none") {
		return fail(fieldOIDCPrompt, "Prompt 'none' is not supported", "oidc", "OIDC validation failed: Prompt 'none' is not supported"), true
	}
	if a.Provider != "auth0" {
		// Only Auth0's validator is simulated.
		return nil, true
	}
	if a.ClientType == "confidential" {
		f = v.auth0Confidential(a)
	} else {
		f = v.auth0Public(a)
	}
	if f != nil && f.warning && !v.newer {
		// The older SystemRepository keeps only a failed provider result:
		// a warning ends as the "oidc" success.
		return nil, true
	}
	return f, true
}

// auth0Public is Auth0Validator for a single-page application.
func (v *validator) auth0Public(a Authentication) *finding {
	if f := v.auth0Domain(a.Authority, fieldAuthority); f != nil {
		return f
	}
	if f := v.publicClientID(a.Authority, a.ClientID); f != nil && (v.newer || !f.warning) {
		// The older validator only warns here, and goes on.
		return f
	}
	return v.publicKeys(a, a.Authority)
}

// auth0Confidential is Auth0Validator for a regular web application.
func (v *validator) auth0Confidential(a Authentication) *finding {
	confFail := func(msg string) *finding {
		return fail("", "Auth0 confidential client validation failed: "+msg, "auth0-confidential", "Auth0 confidential client validation failed: "+msg)
	}
	o := a.OIDC
	if o == nil {
		return confFail("oidcConfiguration is missing")
	}
	if o.DiscoveryURI == "" {
		return confFail("Unable to extract Auth0 domain from OIDC configuration. Please provide a valid discoveryUri or serverUrl")
	}
	domain := strings.ReplaceAll(o.DiscoveryURI, wellKnown, "")
	if f := v.auth0Domain(domain, fieldOIDCDiscovery); f != nil {
		return f
	}
	if v.newer {
		if f := v.againstDiscovery(o); f != nil {
			return f
		}
	}
	if f := v.publicKeys(a, domain); f != nil {
		return f
	}
	return v.clientCredentials(domain, o)
}

const wellKnown = "/.well-known/openid-configuration"

// get is ValidationHttpUtil's GET: no redirects followed, body capped.
func (v *validator) get(u string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(v.ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, err
	}
	return v.do(req)
}

func (v *validator) do(req *http.Request) (int, []byte, error) {
	resp, err := v.s.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, body, nil
}

// auth0Domain fetches the discovery document and checks its fields.
func (v *validator) auth0Domain(domain, field string) *finding {
	msg := v.discoveryProblem(domain + wellKnown)
	if msg == "" {
		return nil
	}
	return fail(field, "Domain validation failed: "+msg, "auth0-domain", "Domain validation failed: "+msg)
}

func (v *validator) discoveryProblem(u string) string {
	status, body, err := v.get(u)
	if err != nil {
		return err.Error()
	}
	if status != http.StatusOK {
		return fmt.Sprintf("Failed to access Auth0 discovery endpoint. HTTP response: %d for URL: %s", status, u)
	}
	var doc map[string]any
	if err := json.Unmarshal(body, &doc); err != nil {
		return "Unable to parse the discovery document: " + err.Error()
	}
	has := func(k string) bool { _, ok := doc[k]; return ok }
	switch {
	case !has("issuer") || !has("authorization_endpoint"):
		return "Invalid Auth0 discovery document format"
	case !has("token_endpoint") || !has("userinfo_endpoint"):
		return "Missing required Auth0 endpoints in discovery document"
	}
	iss, _ := doc["issuer"].(string)
	if !strings.HasPrefix(iss, "https://") && !loopbackHTTP(iss) {
		return "Auth0 issuer must use HTTPS"
	}
	return ""
}

// loopbackHTTP reports whether u is an http URL on a loopback host: the
// simulated tenant's issuer, accepted here and nowhere else.
func loopbackHTTP(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "http" {
		return false
	}
	return tenant.Domain{Scheme: "http", Host: p.Host}.IsLoopback()
}

// publicClientID probes /authorize for the client id without following
// the redirect: 302 or 200 means it exists.
func (v *validator) publicClientID(authority, clientID string) *finding {
	u := authority + "/authorize?client_id=" + clientID + "&response_type=code&redirect_uri=http://test.example.com&state=test"
	status, _, err := v.get(u)
	switch {
	case err != nil:
		return &finding{field: fieldClientID, newer: "Auth0 client ID validation warning: {}" + err.Error(),
			component: "auth0-public-client-id", older: "Client ID validation failed: " + err.Error() + ". Format appears valid.", warning: true}
	case status == http.StatusFound || status == http.StatusOK:
		return nil
	case status == http.StatusBadRequest || status == http.StatusNotFound:
		msg := "Invalid Auth0 client ID. Client does not exist or is not properly configured."
		return fail(fieldClientID, msg, "auth0-public-client-id", msg)
	default:
		return &finding{field: fieldClientID, newer: "Could not validate client Id",
			component: "auth0-public-client-id", older: fmt.Sprintf("Could not fully validate client ID. HTTP response: %d", status), warning: true}
	}
}

// publicKeys checks publicKeyUrls: the tenant's JWKS listed exactly, and
// every URL on a plausible host answering a non-empty key set.
func (v *validator) publicKeys(a Authentication, domain string) *finding {
	keyFail := func(msg string) *finding {
		return fail(fieldPublicKeys, msg, "auth0-public-key-urls", msg)
	}
	if len(a.PublicKeyURLs) == 0 {
		if v.newer {
			return nil // filled from discovery for confidential clients
		}
		return keyFail("Public key URLs are required for Auth0 clients")
	}
	expected := domain + "/.well-known/jwks.json"
	if !slices.Contains(a.PublicKeyURLs, expected) {
		return keyFail("At least one public key URL must be the Auth0 JWKS endpoint: " + expected)
	}
	for _, u := range a.PublicKeyURLs {
		p, err := url.Parse(u)
		if err != nil || p.Scheme == "" || p.Host == "" {
			reason := "no protocol: " + u
			if err != nil {
				reason = err.Error()
			}
			return keyFail("Invalid public key URL '" + u + "': " + reason)
		}
		host := p.Hostname()
		if !strings.HasSuffix(host, ".auth0.com") && !strings.Contains(host, ".") {
			return keyFail("Public key URL domain doesn't match Auth0 pattern: " + host)
		}
		status, body, err := v.get(u)
		if err != nil {
			return keyFail("Invalid public key URL '" + u + "': " + err.Error())
		}
		if status != http.StatusOK {
			return keyFail(fmt.Sprintf("Public key URL is not accessible. HTTP response: %d for URL: %s", status, u))
		}
		var doc map[string]json.RawMessage
		if err := json.Unmarshal(body, &doc); err != nil {
			return keyFail("Invalid public key URL '" + u + "': " + err.Error())
		}
		keys, has := doc["keys"]
		if !has && !strings.Contains(u, "/pem") {
			return keyFail("Invalid JWKS format. Expected JSON with 'keys' array at: " + u)
		}
		var list []json.RawMessage
		if has && (json.Unmarshal(keys, &list) != nil || len(list) == 0) {
			return keyFail("JWKS endpoint returned empty keys array: " + u)
		}
	}
	return nil
}

// againstDiscovery compares the OIDC settings with what the tenant's
// discovery document supports (OidcDiscoveryValidator; messages UNVERIFIED).
func (v *validator) againstDiscovery(o *OIDC) *finding {
	_, body, err := v.get(o.DiscoveryURI)
	if err != nil {
		return fail(fieldOIDCDiscovery, "Failed to fetch the discovery document: "+err.Error(), "", "")
	}
	var doc struct {
		Scopes      []string `json:"scopes_supported"`
		Responses   []string `json:"response_types_supported"`
		AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
		Algs        []string `json:"id_token_signing_alg_values_supported"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return fail(fieldOIDCDiscovery, "Invalid discovery document: "+err.Error(), "", "")
	}
	unsupported := func(field, what, value string, supported []string) *finding {
		return fail("authenticationConfiguration.oidcConfiguration."+field,
			fmt.Sprintf("%s '%s' is not supported by the provider. Supported: %s", what, value, strings.Join(supported, ", ")), "", "")
	}
	if doc.Scopes != nil {
		for _, sc := range strings.Fields(o.Scope) {
			if !slices.Contains(doc.Scopes, sc) {
				return unsupported("scope", "Scope", sc, doc.Scopes)
			}
		}
	}
	if o.ResponseType != "" && doc.Responses != nil && !slices.Contains(doc.Responses, o.ResponseType) {
		return unsupported("responseType", "Response type", o.ResponseType, doc.Responses)
	}
	if m := o.ClientAuthenticationMethod; m != "" && doc.AuthMethods != nil && !slices.Contains(doc.AuthMethods, m) {
		return unsupported("clientAuthenticationMethod", "Client authentication method", m, doc.AuthMethods)
	}
	if alg := o.PreferredJWSAlgorithm; alg != "" && doc.Algs != nil && !slices.Contains(doc.Algs, alg) {
		return unsupported("preferredJwsAlgorithm", "JWS algorithm", alg, doc.Algs)
	}
	return nil
}

// clientCredentials asks the tenant for a Management API token with the
// client's id and secret in the form body, as the validator does (without
// URL-encoding the values, as it does).
func (v *validator) clientCredentials(domain string, o *OIDC) *finding {
	if v.newer {
		u := domain + "/authorize?response_type=code&client_id=" + o.ID + "&redirect_uri=" + o.CallbackURL + "&scope=openid"
		if status, _, err := v.get(u); err == nil && (status == http.StatusBadRequest || status == http.StatusNotFound) {
			return fail(fieldOIDCClientID, "Invalid client ID. The client ID is not recognized by Auth0.", "", "")
		}
	}
	form := fmt.Sprintf("grant_type=client_credentials&client_id=%s&client_secret=%s&audience=%s", o.ID, o.Secret, domain+"/api/v2/")
	req, err := http.NewRequestWithContext(v.ctx, http.MethodPost, domain+"/oauth/token", strings.NewReader(form))
	if err != nil {
		return v.credentialsUnchecked(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	status, body, err := v.do(req)
	if err != nil {
		return v.credentialsUnchecked(err)
	}
	if status == http.StatusOK {
		return nil
	}
	var e struct {
		Error       *string `json:"error"`
		Description string  `json:"error_description"`
	}
	if json.Unmarshal(body, &e) != nil {
		msg := fmt.Sprintf("Credentials validation failed. HTTP response: %d", status)
		return fail(fieldOIDCSecret, msg, "auth0-credentials", msg)
	}
	code := ""
	if e.Error != nil {
		code = *e.Error
	}
	switch code {
	case "invalid_client", "unauthorized_client":
		return fail(fieldOIDCSecret, "Invalid client secret",
			"auth0-credentials", "Invalid client credentials. Please verify the client ID and secret are correct.")
	case "access_denied":
		return fail(fieldOIDCDiscovery, "Access denied: "+e.Description,
			"auth0-credentials", "Client is not authorized for client credentials grant. Please enable this grant type in Auth0 application settings.")
	default:
		return fail(fieldOIDCSecret, "Authentication failed: "+e.Description, "auth0-credentials", "Authentication failed: "+e.Description)
	}
}

// credentialsUnchecked: an exception while asking for the token is logged
// and taken as success (newer) or a warning (older).
func (v *validator) credentialsUnchecked(err error) *finding {
	return &finding{component: "auth0-credentials", older: "Could not fully validate credentials: " + err.Error() + ". Credentials format appears valid.", warning: true}
}

// authorizer checks the authorizer settings.
func (v *validator) authorizer(z Authorizer) *finding {
	authz := func(field, newer, older string) *finding {
		return fail(field, newer, "authorizer", "Authorizer validation failed: "+older)
	}
	switch {
	case z.ClassName == "":
		return authz(fieldClassName, "Class name is required", "Authorizer class name is required")
	case len(z.AdminPrincipals) == 0:
		return authz(fieldAdmins, "At least one admin principal is required", "At least one admin principal must be configured")
	case v.newer && z.PrincipalDomain == "":
		return authz(fieldPrincipalDomain, "Principal domain is required", "")
	case !slices.Contains(knownAuthorizers, z.ClassName):
		return authz(fieldClassName, "Class not found", "Authorizer class not found: "+z.ClassName)
	}
	return nil
}

// discoveredJWKS reads jwks_uri from a discovery document, to fill an empty
// publicKeyUrls of a confidential client on save; "" when it cannot.
func (s *Server) discoveredJWKS(ctx context.Context, discoveryURI string) string {
	v := &validator{s: s, ctx: ctx}
	status, body, err := v.get(discoveryURI)
	if err != nil || status != http.StatusOK {
		return ""
	}
	var doc struct {
		JWKSURI string `json:"jwks_uri"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return ""
	}
	return doc.JWKSURI
}
