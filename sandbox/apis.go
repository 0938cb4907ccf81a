package sandbox

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/om-auth0/om-auth0/tenant"
)

// managementScopesJSON is a copy of shared/reference/auth0/management-api-scopes.json:
// the 184 scopes of the "Auth0 Management API" system resource server as a real
// tenant returned them in 2024 [REC terraform-provider-auth0 TestAccDataSourceResourceServer].
//
//go:embed management-api-scopes.json
var managementScopesJSON []byte

// apiScope is one scope a resource server defines.
type apiScope struct {
	Description string `json:"description"`
	Value       string `json:"value"`
}

// resourceServer is an API. Field order follows Auth0's answer
// [REC TestAccDataSourceResourceServer].
type resourceServer struct {
	ID                  string     `json:"id"`
	Name                string     `json:"name"`
	Identifier          string     `json:"identifier"`
	AllowOfflineAccess  bool       `json:"allow_offline_access"`
	SkipConsent         bool       `json:"skip_consent_for_verifiable_first_party_clients"`
	TokenLifetime       int        `json:"token_lifetime"`
	TokenLifetimeForWeb int        `json:"token_lifetime_for_web"`
	SigningAlg          string     `json:"signing_alg"`
	Scopes              []apiScope `json:"scopes"`
	IsSystem            bool       `json:"is_system"`
}

func (a *resourceServer) defines(scope string) bool {
	return slices.ContainsFunc(a.Scopes, func(s apiScope) bool { return s.Value == scope })
}

func (a *resourceServer) view() map[string]any {
	b, _ := json.Marshal(a)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return m
}

// managementAPI is the tenant's "Auth0 Management API" system resource
// server, identifier {issuer}api/v2/ [REC TestAccDataSourceResourceServer].
func managementAPI(d tenant.Domain) (*resourceServer, error) {
	var doc struct {
		Scopes []apiScope `json:"scopes"`
	}
	if err := json.Unmarshal(managementScopesJSON, &doc); err != nil || len(doc.Scopes) == 0 {
		return nil, fmt.Errorf("embedded management-api-scopes.json is unreadable: %v", err)
	}
	return &resourceServer{
		ID:                  newResourceServerID(),
		Name:                "Auth0 Management API",
		Identifier:          d.ManagementAudience(),
		TokenLifetime:       86400,
		TokenLifetimeForWeb: 7200,
		SigningAlg:          "RS256",
		Scopes:              doc.Scopes,
		IsSystem:            true,
	}, nil
}

// lookupAPI finds a resource server by id or identifier. s.mu must be held.
func (s *Server) lookupAPI(idOrIdentifier string) *resourceServer {
	for _, a := range s.apis {
		if a.ID == idOrIdentifier || a.Identifier == idOrIdentifier {
			return a
		}
	}
	return nil
}

var scopesReadAPIs = []string{"read:resource_servers"}

func (s *Server) listAPIs(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	q := r.URL.Query()
	if err := checkQuery(q, "identifiers", "fields", "include_fields", "page", "per_page", "include_totals", "from", "take"); err != nil {
		err.write(w)
		return
	}
	p, err := parsePaging(q)
	if err != nil {
		err.write(w)
		return
	}
	fields, err := parseFields(q)
	if err != nil {
		err.write(w)
		return
	}
	s.mu.Lock()
	var matched []*resourceServer
	for _, a := range s.apis {
		if ids := q["identifiers"]; len(ids) == 0 || slices.Contains(ids, a.Identifier) {
			matched = append(matched, a)
		}
	}
	s.mu.Unlock()
	items, start, next := paginate(matched, p)
	views := make([]any, len(items))
	for i, a := range items {
		views[i] = fields.apply(a.view())
	}
	// [REC TestResourceServer_List: ?fields=id,identifier&identifiers=… → {"total":1,"start":0,"limit":50,"resource_servers":[{"id","identifier"}]}]
	writeList(w, "resource_servers", views, len(matched), p, start, next)
}

// getAPI reads a resource server by id or by URL-escaped identifier; the
// doubly escaped form (%252F) works too [REC TestAccDataSourceResourceServer].
func (s *Server) getAPI(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	fields, err := singleResourceFields(r)
	if err != nil {
		err.write(w)
		return
	}
	id := r.PathValue("id")
	s.mu.Lock()
	a := s.lookupAPI(id)
	if a == nil && strings.Contains(id, "%") {
		if unescaped, err := url.PathUnescape(id); err == nil {
			a = s.lookupAPI(unescaped)
		}
	}
	s.mu.Unlock()
	if a == nil {
		// [REC TestAccDataSourceResourceServer]
		writeAPIError(w, http.StatusNotFound, "The resource server does not exist", "inexistent_resource_server")
		return
	}
	if len(fields.names) == 0 {
		writeJSON(w, http.StatusOK, a) // in Auth0's field order
		return
	}
	writeJSON(w, http.StatusOK, fields.apply(a.view()))
}

var scopesReadTenant = []string{"read:tenant_settings"}

// getTenantSettings answers GET /tenants/settings with the tenant's
// friendly name and a few of the settings a real tenant returns.
func (s *Server) getTenantSettings(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	fields, err := singleResourceFields(r)
	if err != nil {
		err.write(w)
		return
	}
	writeJSON(w, http.StatusOK, fields.apply(map[string]any{
		"friendly_name":         s.opts.TenantName,
		"enabled_locales":       []string{"en"},
		"session_lifetime":      168,
		"idle_session_lifetime": 72,
		"sandbox_version":       "22",
		"flags": map[string]any{
			"enable_client_connections":            true,
			"revoke_refresh_token_grant":           false,
			"disable_clickjack_protection_headers": false,
		},
	}))
}
