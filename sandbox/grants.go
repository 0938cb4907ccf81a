package sandbox

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// grant is a client grant: a client's authorization to get tokens for an
// API (audience) with scopes.
type grant struct {
	id       string
	clientID string
	audience string
	scope    []string
	extra    map[string]any // optional properties as sent (subject_type, organization_usage, ...)
}

// view is the grant as Auth0 returns it
// [REC TestClientGrantManager_Create: {"id","client_id","audience","scope",...sent optional properties}].
// subject_type is absent unless sent (UNVERIFIED).
func (g *grant) view() map[string]any {
	out := maps.Clone(g.extra)
	if out == nil {
		out = map[string]any{}
	}
	out["id"], out["client_id"], out["audience"], out["scope"] = g.id, g.clientID, g.audience, slices.Clone(g.scope)
	return out
}

// grantProps is the POST /client-grants schema. On PATCH id, client_id,
// audience and subject_type are read-only [SRC go-auth0 management/client_grant_test.go:
// "ID/Audience/ClientID/SubjectType = nil // Read-Only: Additional properties not allowed"].
var grantProps = map[string]propSpec{
	"client_id":                   {typ: tString, minLen: 1, createOnly: true},
	"audience":                    {typ: tString, minLen: 1, createOnly: true},
	"subject_type":                {typ: tString, enum: []string{"client", "user"}, createOnly: true},
	"scope":                       {typ: tStringArray, unique: true},
	"organization_usage":          {typ: tString, enum: []string{"deny", "allow", "require"}, nullable: true},
	"allow_any_organization":      {typ: tBool, nullable: true},
	"authorization_details_types": {typ: tStringArray},
	"allow_all_scopes":            {typ: tBool},
}

var (
	scopesReadGrants   = []string{"read:client_grants"}
	scopesCreateGrants = []string{"create:client_grants"}
	scopesUpdateGrants = []string{"update:client_grants"}
	scopesDeleteGrants = []string{"delete:client_grants"}
)

// findGrant returns the grant of clientID on audience. s.mu must be held.
func (s *Server) findGrant(clientID, audience string) *grant {
	for _, g := range s.grants {
		if g.clientID == clientID && g.audience == audience {
			return g
		}
	}
	return nil
}

func (s *Server) grantByID(id string) *grant {
	for _, g := range s.grants {
		if g.id == id {
			return g
		}
	}
	return nil
}

// addGrant stores a new grant. s.mu must be held.
func (s *Server) addGrant(clientID, audience string, scope []string, extra map[string]any) *grant {
	if scope == nil {
		scope = []string{}
	}
	g := &grant{id: newGrantID(), clientID: clientID, audience: audience, scope: scope, extra: extra}
	s.grants = append(s.grants, g)
	return g
}

// errNoGrant is [REC TestClientGrantManager_Delete: GET of a deleted grant →
// 404 {"message":"The grant does not exist.","errorCode":"inexistent_client_grant"}].
func errNoGrant() *apiError {
	return newAPIError(http.StatusNotFound, "The grant does not exist.", "inexistent_client_grant")
}

// checkGrantScopes refuses scopes the API does not define. Whether Auth0
// does is UNVERIFIED (docs/auth0.md, "Client grants and the Management API"): the stricter choice is made.
func checkGrantScopes(api *resourceServer, scopes []string) *apiError {
	var undefined []string
	for _, sc := range scopes {
		if !api.defines(sc) {
			undefined = append(undefined, sc)
		}
	}
	if len(undefined) > 0 {
		return newAPIError(http.StatusBadRequest, fmt.Sprintf("Scopes not defined by the resource server %s: %s", api.Identifier, strings.Join(undefined, ",")), "invalid_body")
	}
	return nil
}

func (s *Server) listGrants(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	q := r.URL.Query()
	if err := checkQuery(q, "audience", "client_id", "allow_any_organization", "subject_type",
		"page", "per_page", "include_totals", "from", "take"); err != nil {
		err.write(w)
		return
	}
	anyOrg, anyOrgSet, err := queryBool(q, "allow_any_organization")
	if err != nil {
		err.write(w)
		return
	}
	if st := q.Get("subject_type"); q.Has("subject_type") && st != "client" && st != "user" {
		queryError(`No enum match for: "`+st+`"`, "subject_type").write(w)
		return
	}
	p, err := parsePaging(q)
	if err != nil {
		err.write(w)
		return
	}
	s.mu.Lock()
	var matched []*grant
	for _, g := range s.grants {
		switch {
		case q.Has("audience") && g.audience != q.Get("audience"):
		case q.Has("client_id") && g.clientID != q.Get("client_id"):
		case q.Has("subject_type") && g.extra["subject_type"] != q.Get("subject_type"):
		case anyOrgSet && g.extra["allow_any_organization"] != anyOrg:
		default:
			matched = append(matched, g)
		}
	}
	items, start, next := paginate(matched, p)
	views := make([]any, len(items))
	for i, g := range items {
		views[i] = g.view()
	}
	s.mu.Unlock()
	// [REC TestClientGrantManager_List: {"total":1,"start":0,"limit":50,"client_grants":[...]}]
	writeList(w, "client_grants", views, len(matched), p, start, next)
}

func (s *Server) getGrant(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.grantByID(r.PathValue("id"))
	if g == nil {
		errNoGrant().write(w)
		return
	}
	writeJSON(w, http.StatusOK, g.view())
}

func (s *Server) createGrant(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	body, err := readJSONBody(r)
	if err != nil {
		err.write(w)
		return
	}
	// scope must be an array ("scope":"read:users" → 400, docs/auth0.md, "Client grants and the Management API").
	if err := validateBody(body, grantProps, []string{"client_id", "audience", "scope"}, false); err != nil {
		err.write(w)
		return
	}
	clientID, audience := body["client_id"].(string), body["audience"].(string)
	scopes := normalize("scope", body["scope"]).([]string)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.lookupClient(clientID) == nil {
		errNoClient().write(w) // UNVERIFIED wording
		return
	}
	api := s.lookupAPI(audience)
	if api == nil || api.Identifier != audience {
		// [ISSUE auth0-deploy-cli#29: 404 "No resource with identifier <aud>"; errorCode UNVERIFIED]
		writeAPIError(w, http.StatusNotFound, "No resource with identifier "+audience, "inexistent_resource_server")
		return
	}
	if err := checkGrantScopes(api, scopes); err != nil {
		err.write(w)
		return
	}
	if s.findGrant(clientID, audience) != nil {
		// [ISSUE terraform-provider-auth0#255; errorCode UNVERIFIED]
		writeAPIError(w, http.StatusConflict, fmt.Sprintf("A client grant already exists between %s and %s", clientID, audience), "client_grant_conflict")
		return
	}
	extra := map[string]any{}
	for k, v := range body {
		if k != "client_id" && k != "audience" && k != "scope" {
			extra[k] = normalize(k, v)
		}
	}
	g := s.addGrant(clientID, audience, scopes, extra)
	// [REC TestClientGrantManager_Create: 201 with the grant, id "cgr_…"]
	writeJSON(w, http.StatusCreated, g.view())
}

func (s *Server) patchGrant(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	body, err := readJSONBody(r)
	if err != nil {
		err.write(w)
		return
	}
	if err := validateBody(body, grantProps, nil, true); err != nil {
		err.write(w)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.grantByID(r.PathValue("id"))
	if g == nil {
		errNoGrant().write(w)
		return
	}
	scopes := g.scope
	if v, ok := body["scope"]; ok {
		scopes = normalize("scope", v).([]string)
		if api := s.lookupAPI(g.audience); api != nil {
			if err := checkGrantScopes(api, scopes); err != nil {
				err.write(w)
				return
			}
		}
	}
	extra := maps.Clone(g.extra)
	if extra == nil {
		extra = map[string]any{}
	}
	for k, v := range body {
		switch {
		case k == "scope":
		case v == nil:
			delete(extra, k)
		default:
			extra[k] = normalize(k, v)
		}
	}
	// scope replaces the whole list [REC TestClientGrantManager_Update: PATCH {"scope":[a,b]} → 200 with scope [a,b]].
	g.scope, g.extra = scopes, extra
	writeJSON(w, http.StatusOK, g.view())
}

// deleteGrant answers 204 even for a grant that no longer exists
// [REC TestClientGrantManager_Delete: the second DELETE of the same grant → 204].
func (s *Server) deleteGrant(w http.ResponseWriter, r *http.Request, _ *accessToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	s.grants = slices.DeleteFunc(s.grants, func(g *grant) bool { return g.id == id })
	writeNoContent(w)
}
