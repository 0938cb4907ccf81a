package sandbox

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// client is one application. fields holds every property Auth0 returns
// except the computed ones (client_id, client_secret, tenant, global,
// signing_keys); values are normalized: string arrays as []string,
// client_metadata as map[string]string. Stored values are never mutated in
// place: a PATCH builds a new fields map.
type client struct {
	id     string
	secret string
	global bool
	fields map[string]any
}

func (c *client) str(key string) string {
	s, _ := c.fields[key].(string)
	return s
}

func (c *client) strs(key string) []string {
	s, _ := c.fields[key].([]string)
	return s
}

func (c *client) state() ClientState {
	md, _ := c.fields["client_metadata"].(map[string]string)
	return ClientState{
		ClientID:                c.id,
		Name:                    c.str("name"),
		AppType:                 c.str("app_type"),
		TokenEndpointAuthMethod: c.str("token_endpoint_auth_method"),
		GrantTypes:              slices.Clone(c.strs("grant_types")),
		Callbacks:               slices.Clone(c.strs("callbacks")),
		WebOrigins:              slices.Clone(c.strs("web_origins")),
		AllowedLogoutURLs:       slices.Clone(c.strs("allowed_logout_urls")),
		ClientMetadata:          maps.Clone(md),
		ClientSecret:            c.secret,
		Global:                  c.global,
	}
}

var (
	appTypes = []string{
		"native", "spa", "regular_web", "non_interactive", "resource_server", "express_configuration",
		"rms", "box", "cloudbees", "concur", "dropbox", "mscrm", "echosign", "egnyte", "newrelic",
		"office365", "salesforce", "sentry", "sharepoint", "slack", "springcm", "zendesk", "zoom",
		"sso_integration", "oag",
	}
	authMethods = []string{"none", "client_secret_post", "client_secret_basic"}
	grantTypes  = []string{
		"authorization_code", "implicit", "refresh_token", "client_credentials", "password",
		"http://auth0.com/oauth/grant-type/password-realm",
		"http://auth0.com/oauth/grant-type/mfa-oob",
		"http://auth0.com/oauth/grant-type/mfa-otp",
		"http://auth0.com/oauth/grant-type/mfa-recovery-code",
		"http://auth0.com/oauth/grant-type/passwordless/otp",
		"urn:openid:params:grant-type:ciba",
		"urn:ietf:params:oauth:grant-type:device_code",
		"urn:ietf:params:oauth:grant-type:token-exchange",
		"urn:auth0:params:oauth:grant-type:token-exchange:federated-connection-access-token",
	}
)

// Auth0's rules on a client's name, on create and update: at least one
// character, neither '<' nor '>' (Auth0 Management API reference, POST and
// PATCH /clients: "Must contain at least one character. Does not allow '<'
// or '>'."), refused with z-schema's pattern message [community.auth0.com/questions/8393:
// "String does not match pattern ^[^<>]+$: … on property name"]. Control
// characters match the pattern, so Auth0 stores them. Auth0 documents no
// maximum length: UNVERIFIED, stricter, the sandbox applies the 140
// characters Auth0 documents for a client's description, the only length
// limit it states for a client's free text.
var clientNamePattern = regexp.MustCompile(`^[^<>]+$`)

const maxClientName = 140

// clientProps is the client body schema (POST and PATCH /api/v2/clients):
// the writable properties of go-auth0's management.Client. Read-only
// properties (client_id, signing_keys, tenant, global, ...) are unknown to it
// and so refused as additional properties, as Auth0 does on PATCH
// [SRC go-auth0 management/client_test.go TestClient_Update: "ClientID = nil // Read-Only: Additional properties not allowed", same for SigningKeys].
var clientProps = map[string]propSpec{
	"name":                                  {typ: tString, minLen: 1, maxLen: maxClientName, pattern: clientNamePattern},
	"description":                           {typ: tString, maxLen: 140},
	"logo_uri":                              {typ: tString},
	"app_type":                              {typ: tString, enum: appTypes},
	"token_endpoint_auth_method":            {typ: tString, enum: authMethods, nullable: true},
	"grant_types":                           {typ: tStringArray, enum: grantTypes},
	"callbacks":                             {typ: tStringArray, format: "uri"},
	"allowed_logout_urls":                   {typ: tStringArray, format: "uri"},
	"web_origins":                           {typ: tStringArray, format: "origin"},
	"allowed_origins":                       {typ: tStringArray, format: "origin"},
	"client_aliases":                        {typ: tStringArray},
	"allowed_clients":                       {typ: tStringArray},
	"is_first_party":                        {typ: tBool},
	"is_token_endpoint_ip_header_trusted":   {typ: tBool},
	"oidc_conformant":                       {typ: tBool},
	"sso":                                   {typ: tBool},
	"sso_disabled":                          {typ: tBool},
	"cross_origin_authentication":           {typ: tBool},
	"cross_origin_loc":                      {typ: tString},
	"custom_login_page_on":                  {typ: tBool},
	"custom_login_page":                     {typ: tString},
	"custom_login_page_preview":             {typ: tString},
	"form_template":                         {typ: tString},
	"initiate_login_uri":                    {typ: tString},
	"require_pushed_authorization_requests": {typ: tBool},
	"require_proof_of_possession":           {typ: tBool},
	"skip_non_verifiable_callback_uri_confirmation_prompt": {typ: tBool},
	"organization_usage":                   {typ: tString, enum: []string{"deny", "allow", "require"}},
	"organization_require_behavior":        {typ: tString, enum: []string{"no_prompt", "pre_login_prompt", "post_login_prompt"}},
	"organization_discovery_methods":       {typ: tStringArray},
	"async_approval_notification_channels": {typ: tStringArray},
	"compliance_level":                     {typ: tString, nullable: true},
	"third_party_security_mode":            {typ: tString},
	"redirection_policy":                   {typ: tString},
	"client_metadata":                      {typ: tMetadata},
	"jwt_configuration":                    {typ: tJWTConfig},
	"refresh_token":                        {typ: tObject},
	"addons":                               {typ: tObject},
	"mobile":                               {typ: tObject},
	"native_social_login":                  {typ: tObject},
	"signed_request_object":                {typ: tObject},
	"oidc_logout":                          {typ: tObject},
	"oidc_backchannel_logout":              {typ: tObject},
	"token_exchange":                       {typ: tObject},
	"express_configuration":                {typ: tObject},
	"my_organization_configuration":        {typ: tObject},
	"fedcm_login":                          {typ: tObject},
	"default_organization":                 {typ: tObject, nullable: true},
	"session_transfer":                     {typ: tObject, nullable: true},
	"token_quota":                          {typ: tObject, nullable: true},
	"resource_server_identifier":           {typ: tString, createOnly: true},
	// Key material: changing it on PATCH needs update:client_keys (Auth0 API docs, PATCH /clients/{id}).
	"client_secret":                 {typ: tString, keys: true},
	"encryption_key":                {typ: tObject, nullable: true, keys: true},
	"client_authentication_methods": {typ: tObject, nullable: true, keys: true},
}

// jwtConfigProps is jwt_configuration's schema. secret_encoded is accepted
// on create only [SRC go-auth0 management/client_test.go TestClient_Update:
// "JWTConfiguration.SecretEncoded = nil // Read-Only: Additional properties not allowed";
// terraform-provider-auth0 expand.go sends it only for a new resource].
var jwtConfigProps = map[string]propSpec{
	"lifetime_in_seconds": {typ: tInteger},
	"secret_encoded":      {typ: tBool, createOnly: true},
	"scopes":              {typ: tObject},
	"alg":                 {typ: tString, enum: []string{"HS256", "RS256", "PS256"}},
}

// Fields shown by visibility (docs/auth0.md, "Applications (clients)", from Auth0's API
// reference): any read scope sees the summary; read:clients or
// read:client_keys see the configuration; read:client_keys or
// read:client_credentials see the key material.
var (
	summaryFields = []string{"name", "description", "app_type"}
	keyFields     = []string{"encryption_key", "client_authentication_methods"}
)

type visibility struct{ config, keys bool }

var fullVisibility = visibility{config: true, keys: true}

func readVisibility(tok *accessToken) visibility {
	return visibility{
		config: tok.hasAny("read:clients", "read:client_keys"),
		keys:   tok.hasAny("read:client_keys", "read:client_credentials"),
	}
}

// clientView is c as the Management API returns it. `tenant` is always
// there [REC TestClient_List: {"tenant":"go-auth0-dev","client_id":...} for fields=client_id].
func (s *Server) clientView(c *client, v visibility) map[string]any {
	out := map[string]any{"client_id": c.id, "tenant": s.tenantSlug(), "global": c.global}
	for _, k := range summaryFields {
		if val, ok := c.fields[k]; ok {
			out[k] = val
		}
	}
	if v.config {
		for k, val := range c.fields {
			if !slices.Contains(keyFields, k) {
				out[k] = val
			}
		}
	}
	if v.keys {
		out["client_secret"] = c.secret
		out["signing_keys"] = s.key.signingKeys()
		for _, k := range keyFields {
			if val, ok := c.fields[k]; ok {
				out[k] = val
			}
		}
	}
	return out
}

// tenantSlug is the tenant's name as the `tenant` field carries it.
func (s *Server) tenantSlug() string {
	var b strings.Builder
	for _, r := range strings.ToLower(s.opts.TenantName) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	if slug := strings.TrimSuffix(b.String(), "-"); slug != "" {
		return slug
	}
	return "sandbox"
}

// refreshTokenDefaults are Auth0's refresh_token defaults
// [REC TestClient_Create: non-rotating, non-expiring, 2592000/1296000].
func refreshTokenDefaults(lifetime, idle int, rotating bool) map[string]any {
	rt := map[string]any{
		"rotation_type":                "non-rotating",
		"expiration_type":              "non-expiring",
		"leeway":                       0,
		"token_lifetime":               lifetime,
		"infinite_token_lifetime":      true,
		"infinite_idle_token_lifetime": true,
		"idle_token_lifetime":          idle,
	}
	if rotating {
		rt["rotation_type"], rt["expiration_type"] = "rotating", "expiring"
		rt["infinite_token_lifetime"], rt["infinite_idle_token_lifetime"] = false, false
	}
	return rt
}

// normalize converts decoded JSON into the stored representation.
func normalize(key string, v any) any {
	switch x := v.(type) {
	case []any:
		out := make([]string, 0, len(x))
		for _, item := range x {
			s, _ := item.(string)
			out = append(out, s)
		}
		return out
	case map[string]any:
		if key == "client_metadata" {
			out := map[string]string{}
			for k, val := range x {
				if s, ok := val.(string); ok {
					out[k] = s
				}
			}
			return out
		}
	}
	return v
}

// newClient creates a client from a validated body with Auth0's create
// defaults and stores it. s.mu must be held.
func (s *Server) newClient(body map[string]any) *client {
	f := map[string]any{
		// [REC TestClient_Create]
		"is_first_party":                      true,
		"is_token_endpoint_ip_header_trusted": false,
		"oidc_conformant":                     false,
		"jwt_configuration":                   map[string]any{"secret_encoded": false, "lifetime_in_seconds": 36000},
		"sso_disabled":                        false,
		"cross_origin_authentication":         false,
		"custom_login_page_on":                true,
		"refresh_token":                       refreshTokenDefaults(2592000, 1296000, false),
	}
	for k, v := range body {
		f[k] = normalize(k, v)
	}
	method, hasMethod := body["token_endpoint_auth_method"].(string)
	// A jwt_configuration sent on create replaces the default lifetime
	// [REC TestClientGrantManager_Create: {"alg":"RS256"} → {"secret_encoded":false,"alg":"RS256"}].
	if sent, ok := body["jwt_configuration"].(map[string]any); ok {
		f["jwt_configuration"] = merged(map[string]any{"secret_encoded": false}, sent)
	}
	// Without grant_types the API grants the legacy defaults, minus
	// client_credentials for a public client [REC table in docs/auth0.md, "Applications (clients)":
	// TestAccDataClientHideClientSecret, TestAccClientCanSetDefaultAuthMethodOnCreate, TestAccDataClients].
	if _, ok := body["grant_types"]; !ok {
		if method == "none" {
			f["grant_types"] = []string{"authorization_code", "implicit", "refresh_token"}
		} else {
			f["grant_types"] = []string{"authorization_code", "implicit", "refresh_token", "client_credentials"}
		}
	}
	refresh := refreshTokenDefaults(2592000, 1296000, false)
	switch {
	case body["app_type"] == "spa":
		// [REC TestAccDataClients: a spa created through the API gets rotating, expiring refresh tokens]
		refresh = refreshTokenDefaults(2592000, 1296000, true)
	case hasMethod && method != "none":
		// [REC TestAccClientCanSetDefaultAuthMethodOnCreate: confidential method sent → 31557600/2592000]
		refresh = refreshTokenDefaults(31557600, 2592000, false)
	}
	if sent, ok := body["refresh_token"].(map[string]any); ok {
		refresh = merged(refresh, sent)
	}
	f["refresh_token"] = refresh
	// Third-party clients are OIDC conformant
	// [REC TestAccDataClients: is_first_party false → oidc_conformant true, third_party_security_mode "permissive"].
	if body["is_first_party"] == false {
		if _, ok := body["oidc_conformant"]; !ok {
			f["oidc_conformant"] = true
		}
		if _, ok := body["third_party_security_mode"]; !ok {
			f["third_party_security_mode"] = "permissive"
		}
	}
	// Every client gets a secret, public ones included (it is unusable
	// while the method is none) [REC TestAccDataClients: spa with method none has client_secret].
	secret, _ := body["client_secret"].(string)
	if secret == "" {
		secret = newClientSecret()
	}
	delete(f, "client_secret")
	c := &client{id: newClientID(), secret: secret, fields: f}
	s.clients = append(s.clients, c)
	s.byID[c.id] = c
	return c
}

// newGlobalClient is the tenant's global client, "All Applications"
// [REC TestAccDataClients: {"name":"All Applications","is_first_party":true,"callbacks":[],"custom_login_page_on":false,"refresh_token":{...}}].
func (s *Server) newGlobalClient() *client {
	return &client{id: newClientID(), secret: newClientSecret(), global: true, fields: map[string]any{
		"name":                 "All Applications",
		"is_first_party":       true,
		"callbacks":            []string{},
		"custom_login_page_on": false,
		"refresh_token":        refreshTokenDefaults(2592000, 1296000, false),
	}}
}

// merged is base with over's keys on top; neither is modified.
func merged(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	maps.Copy(out, base)
	maps.Copy(out, over)
	return out
}

// lookupClient finds a client by id, the global client included. s.mu must be held.
func (s *Server) lookupClient(id string) *client {
	if c, ok := s.byID[id]; ok {
		return c
	}
	if s.global.id == id {
		return s.global
	}
	return nil
}

// errNoClient is the 404 for an unknown client id (message wording UNVERIFIED).
func errNoClient() *apiError {
	return newAPIError(http.StatusNotFound, "The client does not exist", "inexistent_client")
}

// checkGrantTypes refuses client_credentials for a public client: 400
// "Invalid grant types: client_credentials" [ISSUE alexkappa/terraform-provider-auth0#256,
// auth0.net#188; errorCode UNVERIFIED]. It applies to the client as it would
// be after the change, so a PATCH must switch the method away from none in
// the same request that adds the grant (UNVERIFIED for PATCH: stricter).
func checkGrantTypes(f map[string]any) *apiError {
	method, _ := f["token_endpoint_auth_method"].(string)
	grants, _ := f["grant_types"].([]string)
	if method == "none" && slices.Contains(grants, "client_credentials") {
		return newAPIError(http.StatusBadRequest, "Invalid grant types: client_credentials", "invalid_body")
	}
	return nil
}

// Scopes per endpoint (Auth0 Management API reference). The 403 names them
// all, comma-joined [ISSUE auth0-cli#538, raster-foundry#2030].
var (
	scopesReadClients   = []string{"read:clients", "read:client_keys", "read:client_credentials"}
	scopesCreateClients = []string{"create:clients"}
	scopesUpdateClients = []string{"update:clients", "update:client_keys"}
	scopesDeleteClients = []string{"delete:clients"}
	scopesRotateSecret  = []string{"update:client_keys"}
)

func (s *Server) listClients(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	q := r.URL.Query()
	if err := checkQuery(q, "fields", "include_fields", "page", "per_page", "include_totals", "from", "take",
		"is_global", "is_first_party", "app_type", "q"); err != nil {
		err.write(w)
		return
	}
	if q.Has("q") {
		// Auth0 supports only a few Lucene terms here (client_grant.*); the
		// sandbox simulates none of them rather than ignoring the filter.
		writeAPIError(w, http.StatusBadRequest, "Query validation error: 'The q parameter is not supported by the simulated tenant' on property q.", "invalid_query_string")
		return
	}
	isGlobal, globalSet, err := queryBool(q, "is_global")
	if err != nil {
		err.write(w)
		return
	}
	firstParty, firstPartySet, err := queryBool(q, "is_first_party")
	if err != nil {
		err.write(w)
		return
	}
	var types []string
	if q.Has("app_type") {
		for _, t := range strings.Split(q.Get("app_type"), ",") {
			if !slices.Contains(appTypes, t) {
				writeAPIError(w, http.StatusBadRequest, "Query validation error: 'No enum match for: \""+t+"\"' on property app_type.", "invalid_query_string")
				return
			}
			types = append(types, t)
		}
	}
	// Checkpoint pagination (from/take, answered {"clients":[...],"next":...})
	// is in Auth0's reference for this endpoint (node-auth0 v4 GetClientsRequest.from,
	// GetClients200ResponseOneOf1) and was added to the SDKs to list every
	// client (auth0.net#741, auth0-java#746, which reports `next` coming back).
	// go-auth0 v1.45 says it is "only supported with the q parameter"; the
	// reference limits q to checkpoints, not checkpoints to q, and the
	// sandbox follows the reference: the filters and fields apply as on
	// pages. Checkpoints walk the clients by client_id ("from" is documented
	// as an "Id from which to start selection"). That order is UNVERIFIED:
	// it differs from the pages' (stricter: a client cannot mix the two), and
	// it holds while clients are created or deleted, checkpoints' purpose.
	p, err := parseKeyedPaging(q)
	if err != nil {
		err.write(w)
		return
	}
	// Pages stop at record 1,000 as on /roles/{id}/users [ISSUE auth0-python#277];
	// UNVERIFIED for /clients (stricter).
	if err := p.beyondPageLimit(); err != nil {
		err.write(w)
		return
	}
	fields, err := parseFields(q)
	if err != nil {
		err.write(w)
		return
	}
	vis := readVisibility(tok)

	s.mu.Lock()
	var matched []*client
	for _, c := range s.allClients() {
		switch {
		case globalSet && c.global != isGlobal:
		case firstPartySet && c.fields["is_first_party"] != firstParty:
		case types != nil && !slices.Contains(types, c.str("app_type")):
		default:
			matched = append(matched, c)
		}
	}
	items, start, next := paginateKeyed(matched, p, func(c *client) string { return c.id })
	views := make([]any, len(items))
	for i, c := range items {
		views[i] = fields.apply(s.clientView(c, vis), "tenant")
	}
	s.mu.Unlock()
	writeList(w, "clients", views, len(matched), p, start, next)
}

func (s *Server) getClient(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	fields, err := singleResourceFields(r)
	if err != nil {
		err.write(w)
		return
	}
	vis := readVisibility(tok)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookupClient(r.PathValue("id"))
	if c == nil {
		errNoClient().write(w)
		return
	}
	// A fields filter on a single client still returns tenant and signing_keys
	// [REC TestAccClientCanSetDefaultAuthMethodOnCreate: ?fields=client_id,app_type → client_id, app_type, signing_keys].
	writeJSON(w, http.StatusOK, fields.apply(s.clientView(c, vis), "tenant", "signing_keys"))
}

func (s *Server) createClient(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	body, err := readJSONBody(r)
	if err != nil {
		err.write(w)
		return
	}
	if err := validateBody(body, clientProps, []string{"name"}, false); err != nil {
		err.write(w)
		return
	}
	pending := map[string]any{}
	for k, v := range body {
		pending[k] = normalize(k, v)
	}
	if _, ok := pending["grant_types"]; ok {
		if err := checkGrantTypes(pending); err != nil {
			err.write(w)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.newClient(body)
	// Create returns the whole client, secret included [REC TestClient_Create: 201 with client_secret].
	writeJSON(w, http.StatusCreated, s.clientView(c, fullVisibility))
}

func (s *Server) patchClient(w http.ResponseWriter, r *http.Request, tok *accessToken) {
	body, err := readJSONBody(r)
	if err != nil {
		err.write(w)
		return
	}
	if err := validateBody(body, clientProps, nil, true); err != nil {
		err.write(w)
		return
	}
	// Field-level scopes (Auth0 API reference; the 403 for PATCH is UNVERIFIED: stricter).
	for name := range body {
		need := []string{"update:clients"}
		if clientProps[name].keys {
			need = []string{"update:client_keys"}
		}
		if !tok.hasAny(need...) {
			insufficientScope(need).write(w)
			return
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookupClient(r.PathValue("id"))
	if c == nil {
		errNoClient().write(w)
		return
	}
	if c.global {
		// UNVERIFIED: stricter, the global client is not editable here.
		writeAPIError(w, http.StatusBadRequest, "The global client cannot be updated with this endpoint", "operation_not_supported")
		return
	}
	f := maps.Clone(c.fields)
	secret := c.secret
	for name, v := range body {
		switch {
		case name == "client_secret":
			secret, _ = v.(string)
		case v == nil:
			delete(f, name)
		case name == "client_metadata":
			// Merged; null removes a key (see checkMetadata).
			md := maps.Clone(c.state().ClientMetadata)
			if md == nil {
				md = map[string]string{}
			}
			for k, val := range v.(map[string]any) {
				if str, ok := val.(string); ok {
					md[k] = str
				} else {
					delete(md, k)
				}
			}
			f[name] = md
		case name == "jwt_configuration" || name == "refresh_token":
			// Nested objects merge (UNVERIFIED).
			old, _ := f[name].(map[string]any)
			f[name] = merged(old, v.(map[string]any))
		default:
			// Arrays and scalars are replaced (docs/auth0.md, "Applications (clients)").
			f[name] = normalize(name, v)
		}
	}
	if err := checkGrantTypes(f); err != nil {
		err.write(w)
		return
	}
	c.fields, c.secret = f, secret
	// The whole client comes back [REC TestClient_Update: PATCH → 200 with the full client].
	// The secret only with a scope that may read it (UNVERIFIED: stricter).
	vis := visibility{config: true, keys: tok.hasAny("read:client_keys", "read:client_credentials")}
	writeJSON(w, http.StatusOK, s.clientView(c, vis))
}

func (s *Server) deleteClient(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookupClient(r.PathValue("id"))
	if c == nil {
		// UNVERIFIED: stricter than an idempotent 204.
		errNoClient().write(w)
		return
	}
	if c.global {
		writeAPIError(w, http.StatusBadRequest, "The global client cannot be deleted", "operation_not_supported")
		return
	}
	s.clients = slices.DeleteFunc(s.clients, func(x *client) bool { return x == c })
	delete(s.byID, c.id)
	// Its grants go with it.
	s.grants = slices.DeleteFunc(s.grants, func(g *grant) bool { return g.clientID == c.id })
	writeNoContent(w)
}

// rotateSecret answers POST /clients/{id}/rotate-secret with the client and
// its new secret [REC TestClient_RotateSecret].
func (s *Server) rotateSecret(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookupClient(r.PathValue("id"))
	if c == nil {
		errNoClient().write(w)
		return
	}
	c.secret = newClientSecret()
	writeJSON(w, http.StatusOK, s.clientView(c, fullVisibility))
}
