package sandbox

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/internal/testenv"
)

// TestEmbeddedScopesMatchReference keeps the embedded copy equal to
// shared/reference/auth0/management-api-scopes.json.
func TestEmbeddedScopesMatchReference(t *testing.T) {
	ref, err := os.ReadFile(filepath.Join(testenv.ReferenceDir(t), "auth0", "management-api-scopes.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(ref) != string(managementScopesJSON) {
		t.Fatal("sandbox/management-api-scopes.json differs from shared/reference/auth0/management-api-scopes.json: copy it again")
	}
}

func TestManagementAPIResourceServer(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	ctx := context.Background()
	aud := s.Domain().ManagementAudience()

	// go-auth0 escapes "/" as %2F [SRC management/management_request.go URI].
	rs, err := m.ResourceServer.Read(ctx, aud)
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		Scopes []apiScope `json:"scopes"`
	}
	mustUnmarshal(t, managementScopesJSON, &ref)
	if rs.GetName() != "Auth0 Management API" || rs.GetIdentifier() != aud || !rs.GetIsSystem() ||
		rs.GetTokenLifetime() != 86400 || rs.GetSigningAlgorithm() != "RS256" || len(rs.GetScopes()) != 184 {
		t.Fatalf("read %s", management.Stringify(rs))
	}
	for i, sc := range rs.GetScopes() {
		if sc.GetValue() != ref.Scopes[i].Value || sc.GetDescription() != ref.Scopes[i].Description {
			t.Fatalf("scope %d = %s, want %s", i, sc.GetValue(), ref.Scopes[i].Value)
		}
	}
	byID, err := m.ResourceServer.Read(ctx, rs.GetID())
	if err != nil || byID.GetIdentifier() != aud || len(rs.GetID()) != 24 {
		t.Fatalf("by id %q: %v", rs.GetID(), err)
	}
	list, err := m.ResourceServer.List(ctx)
	if err != nil || len(list.ResourceServers) != 1 || list.Total != 1 {
		t.Fatalf("list: %v %s", err, management.Stringify(list))
	}
	_, err = m.ResourceServer.Read(ctx, "https://api.example.com/")
	wantMgmtStatus(t, err, 404, "The resource server does not exist")

	tok := tokenFor(t, s, "read:resource_servers")
	t.Run("doubly escaped identifier [REC TestAccDataSourceResourceServer]", func(t *testing.T) {
		path := strings.ReplaceAll(aud, "/", "%252F")
		r := call(t, http.MethodGet, s.URL()+"/api/v2/resource-servers/"+path, tok, nil)
		if r.status != http.StatusOK || r.json(t)["identifier"] != aud {
			t.Fatalf("%s: %d %.100s", path, r.status, r.body)
		}
	})
	t.Run("404 body [REC TestAccDataSourceResourceServer]", func(t *testing.T) {
		r := call(t, http.MethodGet, s.URL()+"/api/v2/resource-servers/this-resource-server-does-not-exist", tok, nil)
		wantAPIError(t, r, 404, "The resource server does not exist", "inexistent_resource_server")
	})
	t.Run("answer field order [REC TestAccDataSourceResourceServer]", func(t *testing.T) {
		r := call(t, http.MethodGet, s.URL()+"/api/v2/resource-servers/"+rs.GetID(), tok, nil)
		want := `{"id":"` + rs.GetID() + `","name":"Auth0 Management API","identifier":"` + aud + `","allow_offline_access":false,"skip_consent_for_verifiable_first_party_clients":false,"token_lifetime":86400,"token_lifetime_for_web":7200,"signing_alg":"RS256","scopes":[{"description":"Read Client Grants","value":"read:client_grants"},`
		if !strings.HasPrefix(string(r.body), want) || !strings.HasSuffix(string(r.body), `],"is_system":true}`) {
			t.Errorf("%.400s", r.body)
		}
	})
	t.Run("list by identifiers with fields [REC TestResourceServer_List]", func(t *testing.T) {
		r := call(t, http.MethodGet, s.URL()+"/api/v2/resource-servers?fields=id%2Cidentifier&identifiers="+url.QueryEscape(aud)+"&include_fields=true&include_totals=true&per_page=50", tok, nil)
		want := `{"total":1,"start":0,"limit":50,"resource_servers":[{"id":"` + rs.GetID() + `","identifier":"` + aud + `"}]}`
		if string(r.body) != want {
			t.Errorf("got  %s\nwant %s", r.body, want)
		}
		r = call(t, http.MethodGet, s.URL()+"/api/v2/resource-servers?identifiers=https://api.example.com/", tok, nil)
		if string(r.body) != "[]" {
			t.Errorf("%s", r.body)
		}
	})
}

func TestTenantSettings(t *testing.T) {
	for _, tt := range []struct{ option, want string }{{"", "Sandbox"}, {"Acme Staging", "Acme Staging"}} {
		t.Run(tt.want, func(t *testing.T) {
			s := NewTest(t, Options{TenantName: tt.option, RateLimit: -1})
			m := wizard(t, s)
			ts, err := m.Tenant.Read(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if ts.GetFriendlyName() != tt.want {
				t.Fatalf("friendly_name %q, want %q", ts.GetFriendlyName(), tt.want)
			}
		})
	}
	s := unlimited(t)
	wantAPIError(t, call(t, http.MethodGet, s.URL()+"/api/v2/tenants/settings", tokenFor(t, s, "read:clients"), nil),
		403, "Insufficient scope, expected any of: read:tenant_settings", "insufficient_scope")
	r := call(t, http.MethodGet, s.URL()+"/api/v2/tenants/settings?fields=friendly_name", tokenFor(t, s, "read:tenant_settings"), nil)
	if string(r.body) != `{"friendly_name":"Sandbox"}` {
		t.Errorf("%s", r.body)
	}
	if got := s.tenantSlug(); got != "sandbox" {
		t.Errorf("tenant slug %q", got)
	}
	if got := NewTest(t, Options{TenantName: "Acme  Staging!", RateLimit: -1}).tenantSlug(); got != "acme-staging" {
		t.Errorf("tenant slug %q", got)
	}
}
