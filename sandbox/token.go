package sandbox

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Messages of /oauth/token refusals.
const (
	errUnauthorizedClient = "Grant type 'client_credentials' not allowed for the client."
	grantTypesDocURI      = "https://auth0.com/docs/clients/client-grant-types"
)

// tokenResponse is the client-credentials answer
// [REC authentication/TestLoginWithClientCredentials/Should_return_tokens: {"access_token","expires_in":86400,"token_type":"Bearer"}].
// Real tokens also carry the granted scopes, space separated (docs/auth0.md, "Token endpoint").
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	Scope       string `json:"scope"`
	ExpiresIn   int    `json:"expires_in"`
	TokenType   string `json:"token_type"`
}

// tokenRequest is a parsed POST /oauth/token.
type tokenRequest struct {
	params      map[string]string
	basicID     string
	basicSecret string
	hasBasic    bool
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	req, oerr := parseTokenRequest(r)
	if oerr != nil {
		writeOAuthError(w, http.StatusBadRequest, *oerr)
		return
	}
	status, resp, oerr := s.clientCredentials(req)
	if oerr != nil {
		writeOAuthError(w, status, *oerr)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// parseTokenRequest reads the form (or JSON, which Auth0 also accepts)
// body and the HTTP Basic credentials, if any. x/oauth2 form-escapes the
// id and secret inside Basic (RFC 6749 §2.3.1), so they are unescaped.
func parseTokenRequest(r *http.Request) (*tokenRequest, *oauthError) {
	req := &tokenRequest{params: map[string]string{}}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mediaType {
	case "application/x-www-form-urlencoded":
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			return nil, &oauthError{Error: "invalid_request", Description: "Could not read the request body"}
		}
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, &oauthError{Error: "invalid_request", Description: "The request body is not valid form data"}
		}
		for k, v := range form {
			req.params[k] = v[0]
		}
	case "application/json":
		var body map[string]any
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil {
			return nil, &oauthError{Error: "invalid_request", Description: "The request body is not a JSON object"}
		}
		for k, v := range body {
			str, ok := v.(string)
			if !ok {
				return nil, &oauthError{Error: "invalid_request", Description: fmt.Sprintf("Parameter %s must be a string", k)}
			}
			req.params[k] = str
		}
	default:
		// UNVERIFIED: stricter, only the two content types Auth0 documents.
		return nil, &oauthError{Error: "invalid_request", Description: "Content-Type must be application/x-www-form-urlencoded or application/json"}
	}
	if id, secret, ok := r.BasicAuth(); ok {
		req.hasBasic = true
		req.basicID, req.basicSecret = formUnescape(id), formUnescape(secret)
	}
	return req, nil
}

func formUnescape(s string) string {
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// clientCredentials runs the client-credentials grant. Refusals use
// Auth0's OAuth error bodies; their source is named on each.
func (s *Server) clientCredentials(req *tokenRequest) (int, *tokenResponse, *oauthError) {
	p := req.params
	switch gt := p["grant_type"]; gt {
	case "client_credentials":
	case "":
		return http.StatusBadRequest, nil, &oauthError{Error: "invalid_request", Description: "Missing required parameter: grant_type"} // wording UNVERIFIED
	default:
		// The sandbox simulates only what om-auth0 uses: no user flows.
		return http.StatusBadRequest, nil, &oauthError{Error: "unsupported_grant_type", Description: "Unsupported grant type: " + gt}
	}
	if _, ok := p["client_assertion"]; ok {
		return http.StatusBadRequest, nil, &oauthError{Error: "invalid_request", Description: "private_key_jwt client authentication is not simulated"}
	}

	clientID, secret := p["client_id"], p["client_secret"]
	if req.hasBasic {
		// RFC 6749 §2.3: one authentication method per request. Auth0's answer
		// to both is UNVERIFIED: stricter, refuse.
		if _, both := p["client_secret"]; both {
			return http.StatusBadRequest, nil, &oauthError{Error: "invalid_request", Description: "Client credentials were sent both in the Authorization header and in the body"}
		}
		if clientID != "" && clientID != req.basicID {
			return http.StatusBadRequest, nil, &oauthError{Error: "invalid_request", Description: "client_id does not match the Authorization header"}
		}
		clientID, secret = req.basicID, req.basicSecret
	}
	if clientID == "" {
		return http.StatusBadRequest, nil, &oauthError{Error: "invalid_request", Description: "Missing required parameter: client_id"} // wording UNVERIFIED
	}
	// Bad credentials: 401 {"error":"access_denied","error_description":"Unauthorized"} [ISSUE node-auth0#428].
	unauthorized := &oauthError{Error: "access_denied", Description: "Unauthorized"}

	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookupClient(clientID)
	if c == nil {
		return http.StatusUnauthorized, nil, unauthorized
	}
	method := c.str("token_endpoint_auth_method")
	if method == "none" {
		// A public client holds no usable secret, so it may not use this grant.
		// [ISSUE ruby-auth0#190 for the body; status 403 UNVERIFIED]
		return http.StatusForbidden, nil, &oauthError{Error: "unauthorized_client", Description: errUnauthorizedClient, URI: grantTypesDocURI}
	}
	// A confidential client (client_secret_basic, client_secret_post, or no
	// method, which behaves as post) may present its secret either way:
	// OpenMetadata ≤ 1.0's ingestion sends it in the body while the guide
	// sets Basic, and real Auth0 accepts that.
	if secret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(c.secret)) != 1 {
		return http.StatusUnauthorized, nil, unauthorized
	}
	if !slices.Contains(c.strs("grant_types"), "client_credentials") {
		return http.StatusForbidden, nil, &oauthError{Error: "unauthorized_client", Description: errUnauthorizedClient, URI: grantTypesDocURI}
	}
	audience := p["audience"]
	if audience == "" {
		// Wording UNVERIFIED; a default audience never applies to this grant (auth0/docs#9123).
		return http.StatusForbidden, nil, &oauthError{Error: "access_denied", Description: "No audience parameter was provided, and no default audience has been configured"}
	}
	api := s.lookupAPI(audience)
	if api == nil || api.Identifier != audience {
		// [ISSUE node-auth0#292, terraform-provider-auth0#951]
		return http.StatusForbidden, nil, &oauthError{Error: "access_denied", Description: "Service not enabled within domain: " + audience}
	}
	g := s.findGrant(c.id, audience)
	if g == nil {
		// Wording UNVERIFIED (docs/auth0.md, "Token endpoint").
		return http.StatusForbidden, nil, &oauthError{Error: "access_denied", Description: fmt.Sprintf(
			"Client is not authorized to access %q. You need to create a \"client-grant\" associated to this API. See: https://auth0.com/docs/api/v2#!/Client_Grants/post_client_grants", audience)}
	}
	scopes := slices.Clone(g.scope)
	if requested := strings.Fields(p["scope"]); len(requested) > 0 {
		var missing []string
		for _, sc := range requested {
			if !slices.Contains(g.scope, sc) {
				missing = append(missing, sc)
			}
		}
		if len(missing) > 0 {
			// UNVERIFIED wording (docs/auth0.md, "Token endpoint"): stricter, refuse rather than trim.
			return http.StatusForbidden, nil, &oauthError{Error: "access_denied", Description: "Client has not been granted scopes: " + strings.Join(missing, ", ")}
		}
		scopes = requested
	}
	token, err := s.signToken(c.id, audience, scopes, api.TokenLifetime)
	if err != nil {
		return http.StatusInternalServerError, nil, &oauthError{Error: "server_error", Description: "could not sign the token"}
	}
	return http.StatusOK, &tokenResponse{AccessToken: token, Scope: strings.Join(scopes, " "), ExpiresIn: api.TokenLifetime, TokenType: "Bearer"}, nil
}

// signToken issues an RS256 access token shaped like Auth0's
// client-credentials tokens: iss, sub "{client_id}@clients", aud, iat, exp,
// scope, gty "client-credentials", azp; kid in the header.
func (s *Server) signToken(clientID, audience string, scopes []string, lifetime int) (string, error) {
	now := s.now()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"iss":   s.domain.Issuer(),
		"sub":   clientID + "@clients",
		"aud":   audience,
		"iat":   now.Unix(),
		"exp":   now.Add(time.Duration(lifetime) * time.Second).Unix(),
		"scope": strings.Join(scopes, " "),
		"gty":   "client-credentials",
		"azp":   clientID,
	})
	tok.Header["kid"] = s.key.kid
	signed, err := tok.SignedString(s.key.priv)
	if err != nil {
		return "", fmt.Errorf("sign access token: %w", err)
	}
	return signed, nil
}

// accessToken is a validated Management API token: the scopes it grants.
type accessToken struct {
	scopes []string
}

func (t *accessToken) has(scope string) bool { return slices.Contains(t.scopes, scope) }

func (t *accessToken) hasAny(scopes ...string) bool {
	return slices.ContainsFunc(scopes, t.has)
}

// authenticate validates the bearer token of a Management API request:
// signature (kid, RS256), issuer, expiry and audience, which must be the
// Management API. A bad token gets Auth0's 401 {"message":"Invalid token",
// "errorCode":"invalid_token"} (docs/auth0.md, "Management API errors"); the wording of the
// other 401 messages (missing header, expired, audience) is UNVERIFIED.
func (s *Server) authenticate(r *http.Request) (*accessToken, *apiError) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return nil, newAPIError(http.StatusUnauthorized, "Missing authentication", "missing_authentication")
	}
	scheme, raw, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(raw) == "" {
		return nil, newAPIError(http.StatusUnauthorized, "Bad HTTP authentication header format", "invalid_token")
	}
	invalid := newAPIError(http.StatusUnauthorized, "Invalid token", "invalid_token")
	claims := jwt.MapClaims{}
	_, err := jwt.ParseWithClaims(strings.TrimSpace(raw), claims, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid != s.key.kid {
			return nil, errors.New("unknown kid")
		}
		return &s.key.priv.PublicKey, nil
	}, jwt.WithValidMethods([]string{"RS256"}), jwt.WithoutClaimsValidation())
	if err != nil {
		return nil, invalid
	}
	// The issuer first: tenants of one process share a key, so the issuer
	// stands in for the signature check a real foreign token would fail.
	if iss, _ := claims.GetIssuer(); iss != s.domain.Issuer() {
		return nil, invalid
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return nil, invalid
	}
	if !s.now().Before(exp.Time) {
		return nil, newAPIError(http.StatusUnauthorized, "Expired token received for JSON Web Token validation", "invalid_token")
	}
	aud, _ := claims.GetAudience()
	if !slices.Contains(aud, s.domain.ManagementAudience()) {
		return nil, newAPIError(http.StatusUnauthorized, "Bad audience: "+strings.Join(aud, " "), "invalid_token")
	}
	scope, _ := claims["scope"].(string)
	return &accessToken{scopes: strings.Fields(scope)}, nil
}

// handleJWKS publishes the tenant's signing key.
func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]jwk{"keys": {s.key.jwk()}})
}

// handleDiscovery serves the OpenID Connect discovery document, with the
// fields Auth0's carries that clients read (issuer with a trailing slash,
// endpoints, algorithms, methods).
func (s *Server) handleDiscovery(w http.ResponseWriter, _ *http.Request) {
	base := s.domain.String()
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer":                                s.domain.Issuer(),
		"authorization_endpoint":                base + "/authorize",
		"token_endpoint":                        base + "/oauth/token",
		"device_authorization_endpoint":         base + "/oauth/device/code",
		"userinfo_endpoint":                     base + "/userinfo",
		"mfa_challenge_endpoint":                base + "/mfa/challenge",
		"jwks_uri":                              s.domain.JWKSURL(),
		"registration_endpoint":                 base + "/oidc/register",
		"revocation_endpoint":                   base + "/oauth/revoke",
		"end_session_endpoint":                  base + "/oidc/logout",
		"scopes_supported":                      []string{"openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address"},
		"response_types_supported":              []string{"code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token"},
		"code_challenge_methods_supported":      []string{"S256", "plain"},
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{"HS256", "RS256", "PS256"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post", "private_key_jwt"},
		"claims_supported":                      []string{"aud", "auth_time", "created_at", "email", "email_verified", "exp", "family_name", "given_name", "iat", "identities", "iss", "name", "nickname", "phone_number", "picture", "sub"},
		"request_uri_parameter_supported":       false,
		"request_parameter_supported":           false,
	})
}
