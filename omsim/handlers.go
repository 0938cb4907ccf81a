package omsim

import (
	"encoding/json"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// revision is the build revision the simulated server reports.
const revision = "0mS1m00000"

func (s *Server) handleVersion(w http.ResponseWriter, _ *http.Request, _ caller) {
	writeJSON(w, http.StatusOK, map[string]any{"version": s.opts.Version, "revision": revision, "timestamp": s.started.UnixMilli()})
}

func (s *Server) handleJWKS(w http.ResponseWriter, _ *http.Request, _ caller) {
	writeJSON(w, http.StatusOK, s.key.jwks())
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request, _ caller) {
	w.Header().Set("Content-Type", "text/plain")
	_, _ = w.Write([]byte("OK"))
}

// handleConfigAuth is the public view of the authentication settings the
// UI signs in with. Its source and shape changed over the versions (see
// the package doc): 1.10–1.12 served the files' values as read at start
// (issue #29597), later versions the live ones; from 2.0.10 it builds a
// new object with only the fields the UI needs, so the fields it does not
// copy come out as their schema defaults, which the simulation writes.
func (s *Server) handleConfigAuth(w http.ResponseWriter, _ *http.Request, _ caller) {
	s.mu.Lock()
	src := s.live()
	if s.version.settingsInDatabase() && !s.version.atLeast(1, 13, 0) {
		src = s.running
	}
	authn := copyObject(section(src, "authenticationConfiguration"))
	s.mu.Unlock()
	if authn == nil {
		authn = object{}
	}
	if !s.version.atLeast(2, 0, 10) {
		delete(authn, "ldapConfiguration")
		delete(authn, "oidcConfiguration")
		delete(authn, "samlConfiguration")
		writeJSON(w, http.StatusOK, authn)
		return
	}
	out := object{
		"responseType":              "id_token",
		"publicKeyUrls":             []any{},
		"tokenValidationAlgorithm":  "RS256",
		"jwtPrincipalClaims":        []any{},
		"jwtPrincipalClaimsMapping": []any{},
		"enableSelfSignup":          false,
		"clientType":                "public",
	}
	for _, k := range []string{"provider", "providerName", "clientType", "enableSelfSignup", "enableAutoRedirect",
		"jwtPrincipalClaims", "jwtPrincipalClaimsMapping", "clientId", "authority", "callbackUrl"} {
		if v, ok := authn[k]; ok && v != nil {
			out[k] = v
		}
	}
	if authn["provider"] == "saml" {
		out["samlConfiguration"] = object{"idp": object{}}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) handleConfigAuthorizer(w http.ResponseWriter, _ *http.Request, _ caller) {
	s.mu.Lock()
	z := typed(s.live()).Authorizer
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"principalDomain": z.PrincipalDomain})
}

// handlePutSettings is PUT /api/v1/system/settings, which refuses the two
// security settings whatever the version; other settings are accepted and
// not simulated further.
func (s *Server) handlePutSettings(w http.ResponseWriter, r *http.Request, _ caller) {
	if !contentType(w, r, "application/json") {
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	o, err := decodeObject(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Unable to process JSON")
		return
	}
	if t, _ := o["config_type"].(string); slices.Contains(settingKeys, t) {
		writeError(w, http.StatusBadRequest, msgSettingsDenied)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// contentType answers 415, as Jersey does, unless the request has the media type want.
func contentType(w http.ResponseWriter, r *http.Request, want string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != want {
		writeError(w, http.StatusUnsupportedMediaType, "HTTP 415 Unsupported Media Type")
		return false
	}
	return true
}

func (s *Server) secretPaths() [][]string {
	if s.version.hasSettingsSource() {
		return secretPaths21
	}
	return secretPathsBefore21
}

// handleGetSecurity answers the stored settings with their secrets masked.
func (s *Server) handleGetSecurity(w http.ResponseWriter, _ *http.Request, _ caller) {
	s.mu.Lock()
	out := masked(s.stored, s.secretPaths())
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

// readSecurity parses a SecurityConfiguration body and checks the fields
// its schema requires (bean validation): 422 with Dropwizard's body before
// 2.1, 400 on 2.1.
func (s *Server) readSecurity(w http.ResponseWriter, r *http.Request) (object, bool) {
	if !contentType(w, r, "application/json") {
		return nil, false
	}
	body, ok := readBody(w, r)
	if !ok {
		return nil, false
	}
	o, err := decodeObject(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Unable to process JSON")
		return nil, false
	}
	if problems := beanViolations(o); len(problems) > 0 {
		if s.version.hasSettingsSource() {
			writeError(w, http.StatusBadRequest, "["+strings.Join(problems, ", ")+"]")
		} else {
			writeJSON(w, http.StatusUnprocessableEntity, map[string][]string{"errors": problems})
		}
		return nil, false
	}
	return o, true
}

// Schema facts for bean validation: required fields and enumerations of
// authenticationConfiguration.json and authorizerConfiguration.json.
var (
	requiredAuthn = []string{"provider", "providerName", "publicKeyUrls", "authority", "callbackUrl", "clientId", "jwtPrincipalClaims"}
	requiredAuthz = []string{"className", "containerRequestFilter", "adminPrincipals", "principalDomain", "enforcePrincipalDomain", "enableSecureSocketConnection"}
	enums         = map[string][]string{
		"provider":                 {"basic", "azure", "google", "okta", "auth0", "aws-cognito", "custom-oidc", "ldap", "saml", "openmetadata"},
		"clientType":               {"public", "confidential"},
		"responseType":             {"id_token", "code"},
		"tokenValidationAlgorithm": {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"},
	}
)

// beanViolations lists what bean validation refuses, in its words.
func beanViolations(o object) []string {
	var out []string
	for _, key := range settingKeys {
		sec, isObj := o[key].(object)
		if !isObj {
			out = append(out, key+" must not be null")
			continue
		}
		required := requiredAuthn
		if key == "authorizerConfiguration" {
			required = requiredAuthz
		}
		for _, f := range required {
			if v, ok := sec[f]; !ok || v == nil {
				out = append(out, key+"."+f+" must not be null")
			}
		}
		if key != "authenticationConfiguration" {
			continue
		}
		for _, f := range slices.Sorted(maps.Keys(enums)) {
			if v, ok := sec[f]; ok && v != nil {
				str, isStr := v.(string)
				if !isStr || !slices.Contains(enums[f], str) {
					out = append(out, key+"."+f+" must be one of ["+strings.Join(enums[f], ", ")+"]")
				}
			}
		}
	}
	return out
}

// handlePutSecurity stores new settings. Before 2.1 it stores the body as
// is, masked secret included, and echoes it; 2.1 keeps the stored secret
// where the body holds the mask, refuses writes in ENV mode and answers
// the masked settings. Neither runs the provider validation.
func (s *Server) handlePutSecurity(w http.ResponseWriter, r *http.Request, _ caller) {
	next, ok := s.readSecurity(w, r)
	if !ok {
		return
	}
	echo := copyObject(next)
	s.fillPublicKeys(r, next)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.version.hasSettingsSource() {
		keepMaskedSecrets(next, s.stored, secretPaths21)
		if s.mode == ModeEnv {
			writeEnvConflict(w, s.stored, next)
			return
		}
	}
	s.stored = next
	if s.version.hasSettingsSource() {
		writeJSON(w, http.StatusOK, masked(s.stored, secretPaths21))
		return
	}
	writeJSON(w, http.StatusOK, echo)
}

// fillPublicKeys fills an empty publicKeyUrls of a confidential client
// from the discovery document's jwks_uri, as a save does.
func (s *Server) fillPublicKeys(r *http.Request, cfg object) {
	authn := section(cfg, "authenticationConfiguration")
	a := typed(cfg).Authentication
	if authn == nil || a.ClientType != "confidential" || len(a.PublicKeyURLs) > 0 || a.OIDC == nil || a.OIDC.DiscoveryURI == "" {
		return
	}
	if u := s.discoveredJWKS(r.Context(), a.OIDC.DiscoveryURI); u != "" {
		authn["publicKeyUrls"] = []any{u}
	}
}

// writeEnvConflict is the 409 of a write in ENV mode, naming the first
// field the write would change ("/" when it changes none: the refusal
// does not depend on it).
func writeEnvConflict(w http.ResponseWriter, stored, next object) {
	key, path := settingKeys[0], "/"
	for _, k := range settingKeys {
		if d := diffPaths(section(stored, k), section(next, k)); len(d) > 0 {
			key, path = k, d[0]
			break
		}
	}
	writeError(w, http.StatusConflict, envConflict(key, path))
}

func envConflict(key, path string) string {
	return key + " is managed by the deployment configuration (SECURITY_CONFIG_SOURCE=ENV), so " + path +
		" cannot be changed here. Change the configuration file or environment and restart the server."
}

// handlePatchSecurity applies a JSON Patch, validates the result like
// POST …/validate and stores it only if validation passes: 204, or 400
// with the validation response.
func (s *Server) handlePatchSecurity(w http.ResponseWriter, r *http.Request, _ caller) {
	if !contentType(w, r, "application/json-patch+json") {
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var ops []patchOp
	if err := json.Unmarshal(body, &ops); err != nil {
		writeError(w, http.StatusBadRequest, "Unable to process JSON")
		return
	}
	s.mu.Lock()
	current := copyObject(s.stored)
	mode := s.mode
	s.mu.Unlock()
	next, err := applyPatch(current, ops)
	if err != nil {
		writeError(w, http.StatusBadRequest, "Invalid JSON Patch: "+err.Error())
		return
	}
	if s.version.hasSettingsSource() && mode == ModeEnv {
		writeEnvConflict(w, current, next)
		return
	}
	if res := s.validate(r.Context(), next); res.Status != "success" {
		writeJSON(w, http.StatusBadRequest, res)
		return
	}
	s.mu.Lock()
	s.stored = next
	s.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// handleValidate runs the validator: 200 whatever its verdict.
func (s *Server) handleValidate(w http.ResponseWriter, r *http.Request, _ caller) {
	var cfg object
	if s.version.hasSettingsSource() {
		var ok bool
		if cfg, ok = s.readSecurity(w, r); !ok {
			return
		}
	} else {
		if !contentType(w, r, "application/json") {
			return
		}
		body, ok := readBody(w, r)
		if !ok {
			return
		}
		var err error
		if cfg, err = decodeObject(body); err != nil {
			writeError(w, http.StatusBadRequest, "Unable to process JSON")
			return
		}
	}
	writeJSON(w, http.StatusOK, s.validate(r.Context(), cfg))
}

// SettingSource is one setting's entry of GET /api/v1/system/settings/source (2.1).
type SettingSource struct {
	ConfigType       string            `json:"configType"`
	Source           string            `json:"source"`
	SourceVariable   string            `json:"sourceVariable"`
	Editable         bool              `json:"editable"`
	ManagedPaths     []string          `json:"managedPaths"`
	OverriddenFields []OverriddenField `json:"overriddenFields"`
	LastReloadError  string            `json:"lastReloadError,omitempty"`
}

// OverriddenField is a field whose stored value wins over the files'.
type OverriddenField struct {
	Path        string `json:"path"`
	EnvVariable string `json:"envVariable,omitempty"`
}

// envVariables name the environment variable that sets each field in the
// shipped openmetadata.yaml.
var envVariables = map[string]map[string]string{
	"authenticationConfiguration": {
		"/provider":                                     "AUTHENTICATION_PROVIDER",
		"/providerName":                                 "CUSTOM_OIDC_AUTHENTICATION_PROVIDER_NAME",
		"/clientType":                                   "AUTHENTICATION_CLIENT_TYPE",
		"/responseType":                                 "AUTHENTICATION_RESPONSE_TYPE",
		"/publicKeyUrls":                                "AUTHENTICATION_PUBLIC_KEYS",
		"/tokenValidationAlgorithm":                     "AUTHENTICATION_TOKEN_VALIDATION_ALGORITHM",
		"/authority":                                    "AUTHENTICATION_AUTHORITY",
		"/clientId":                                     "AUTHENTICATION_CLIENT_ID",
		"/callbackUrl":                                  "AUTHENTICATION_CALLBACK_URL",
		"/jwtPrincipalClaims":                           "AUTHENTICATION_JWT_PRINCIPAL_CLAIMS",
		"/jwtPrincipalClaimsMapping":                    "AUTHENTICATION_JWT_PRINCIPAL_CLAIMS_MAPPING",
		"/enableSelfSignup":                             "AUTHENTICATION_ENABLE_SELF_SIGNUP",
		"/oidcConfiguration/type":                       "OIDC_TYPE",
		"/oidcConfiguration/id":                         "OIDC_CLIENT_ID",
		"/oidcConfiguration/secret":                     "OIDC_CLIENT_SECRET",
		"/oidcConfiguration/discoveryUri":               "OIDC_DISCOVERY_URI",
		"/oidcConfiguration/scope":                      "OIDC_SCOPE",
		"/oidcConfiguration/useNonce":                   "OIDC_USE_NONCE",
		"/oidcConfiguration/preferredJwsAlgorithm":      "OIDC_PREFERRED_JWS",
		"/oidcConfiguration/responseType":               "OIDC_RESPONSE_TYPE",
		"/oidcConfiguration/disablePkce":                "OIDC_DISABLE_PKCE",
		"/oidcConfiguration/clientAuthenticationMethod": "OIDC_CLIENT_AUTH_METHOD",
		"/oidcConfiguration/tenant":                     "OIDC_TENANT",
		"/oidcConfiguration/callbackUrl":                "OIDC_CALLBACK",
		"/oidcConfiguration/serverUrl":                  "OIDC_SERVER_URL",
		"/oidcConfiguration/tokenValidity":              "OIDC_OM_REFRESH_TOKEN_VALIDITY",
		"/oidcConfiguration/prompt":                     "OIDC_PROMPT_TYPE",
		"/oidcConfiguration/sessionExpiry":              "OIDC_SESSION_EXPIRY",
	},
	"authorizerConfiguration": {
		"/className":                       "AUTHORIZER_CLASS_NAME",
		"/containerRequestFilter":          "AUTHORIZER_REQUEST_FILTER",
		"/adminPrincipals":                 "AUTHORIZER_ADMIN_PRINCIPALS",
		"/allowedEmailRegistrationDomains": "AUTHORIZER_ALLOWED_REGISTRATION_DOMAIN",
		"/principalDomain":                 "AUTHORIZER_PRINCIPAL_DOMAIN",
		"/enforcePrincipalDomain":          "AUTHORIZER_ENFORCE_PRINCIPAL_DOMAIN",
		"/enableSecureSocketConnection":    "AUTHORIZER_ENABLE_SECURE_SOCKET",
		"/useRolesFromProvider":            "AUTHORIZER_USE_ROLES_FROM_PROVIDER",
	},
}

// sourceOf is a setting's entry of the settings-source status. s.mu must be held.
func (s *Server) sourceOf(key string) SettingSource {
	file := section(s.deployment, key)
	out := SettingSource{ConfigType: key, Source: s.mode, SourceVariable: "SECURITY_CONFIG_SOURCE",
		Editable: s.mode != ModeEnv, ManagedPaths: []string{}, OverriddenFields: []OverriddenField{}}
	if s.mode == ModeEnv {
		out.ManagedPaths = fieldPaths(file)
		if len(out.ManagedPaths) == 0 {
			out.ManagedPaths = []string{"/"}
		}
		return out
	}
	out.OverriddenFields = s.overridden(key)
	return out
}

// overridden lists the fields the files set whose stored value differs.
// s.mu must be held.
func (s *Server) overridden(key string) []OverriddenField {
	file, row := section(s.deployment, key), section(s.stored, key)
	out := []OverriddenField{}
	for _, p := range fieldPaths(file) {
		fv, _ := pointerGet(file, p)
		rv, err := pointerGet(row, p)
		if err == nil && sameJSON(fv, rv) {
			continue
		}
		out = append(out, OverriddenField{Path: p, EnvVariable: envVariables[key][p]})
	}
	return out
}

// handleSource is GET /api/v1/system/settings/source.
func (s *Server) handleSource(w http.ResponseWriter, _ *http.Request, _ caller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []SettingSource{}
	for _, key := range settingKeys {
		if section(s.deployment, key) != nil {
			out = append(out, s.sourceOf(key))
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"settings": out})
}

// otherConfigTypes are setting types OpenMetadata knows that the simulated
// deployment configuration never holds.
var otherConfigTypes = []string{"emailConfiguration", "openMetadataBaseUrlConfiguration", "scimConfiguration", "mcpConfiguration"}

// handleAdopt is POST …/settings/source/{configType}/adopt: the stored
// value of each given field (or of every overridden one) becomes the files'.
func (s *Server) handleAdopt(w http.ResponseWriter, r *http.Request, _ caller) {
	key := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/api/v1/system/settings/source/"), "/adopt")
	switch {
	case slices.Contains(settingKeys, key):
	case slices.Contains(otherConfigTypes, key):
		writeError(w, http.StatusBadRequest, key+" is not in the deployment configuration")
		return
	default:
		writeError(w, http.StatusBadRequest, "Unknown config type: "+key)
		return
	}
	body, ok := readBody(w, r)
	if !ok {
		return
	}
	var req struct {
		Paths []string `json:"paths"`
	}
	if len(strings.TrimSpace(string(body))) > 0 {
		if err := json.Unmarshal(body, &req); err != nil {
			writeError(w, http.StatusBadRequest, "Unable to process JSON")
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.mode == ModeEnv {
		path := "/"
		if len(req.Paths) > 0 {
			path = req.Paths[0]
		}
		writeError(w, http.StatusConflict, envConflict(key, path))
		return
	}
	over := map[string]bool{}
	for _, f := range s.overridden(key) {
		over[f.Path] = true
	}
	paths := req.Paths
	if len(paths) == 0 {
		paths = slices.Sorted(maps.Keys(over))
	}
	for _, p := range paths {
		if !over[p] {
			writeError(w, http.StatusBadRequest, p+" is not a field the database overrides in "+key)
			return
		}
	}
	file := section(s.deployment, key)
	row := copyObject(section(s.stored, key))
	if row == nil {
		row = object{}
	}
	for _, p := range paths {
		fv, _ := pointerGet(file, p)
		row, _ = setWithParents(row, p, deepCopy(fv))
	}
	if key == "authenticationConfiguration" {
		fp, _ := file["provider"].(string)
		rp, _ := row["provider"].(string)
		if fp != rp {
			writeError(w, http.StatusBadRequest, "Adopting "+strings.Join(paths, ", ")+" would mix two identity providers ("+rp+" stored, "+fp+
				" in the deployment configuration): adopt /provider with them")
			return
		}
	}
	s.stored[key] = row
	writeJSON(w, http.StatusOK, s.sourceOf(key))
}
