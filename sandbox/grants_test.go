package sandbox

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/auth0/go-auth0"
	"github.com/auth0/go-auth0/management"
)

func TestClientGrantsWithGoAuth0(t *testing.T) {
	s := unlimited(t)
	m := wizard(t, s)
	ctx := context.Background()
	aud := s.Domain().ManagementAudience()
	bot := &management.Client{Name: auth0.String("OpenMetadata Ingestion Bot"), AppType: auth0.String("non_interactive"),
		TokenEndpointAuthMethod: auth0.String("client_secret_basic"), GrantTypes: &[]string{"client_credentials"}}
	if err := m.Client.Create(ctx, bot); err != nil {
		t.Fatal(err)
	}

	g := &management.ClientGrant{ClientID: bot.ClientID, Audience: auth0.String(aud), Scope: &[]string{"read:users"}}
	if err := m.ClientGrant.Create(ctx, g); err != nil {
		t.Fatal(err)
	}
	if !grantIDPattern.MatchString(g.GetID()) || g.GetClientID() != bot.GetClientID() || g.GetAudience() != aud {
		t.Fatalf("created %s", management.Stringify(g))
	}

	dup := &management.ClientGrant{ClientID: bot.ClientID, Audience: auth0.String(aud), Scope: &[]string{"read:users"}}
	err := m.ClientGrant.Create(ctx, dup)
	wantMgmtStatus(t, err, 409, "A client grant already exists between "+bot.GetClientID()+" and "+aud)

	list, err := m.ClientGrant.List(ctx, management.Parameter("client_id", bot.GetClientID()), management.Parameter("audience", aud))
	if err != nil {
		t.Fatal(err)
	}
	if len(list.ClientGrants) != 1 || list.Total != 1 || list.ClientGrants[0].GetID() != g.GetID() {
		t.Fatalf("list %s", management.Stringify(list))
	}

	update := &management.ClientGrant{Scope: &[]string{"read:users", "read:clients"}}
	if err := m.ClientGrant.Update(ctx, g.GetID(), update); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(update.GetScope(), []string{"read:users", "read:clients"}) || update.GetClientID() != bot.GetClientID() {
		t.Fatalf("update answer %s", management.Stringify(update))
	}
	// The scope list was replaced [REC TestClientGrantManager_Update].
	if got := s.ClientGrants(); !slices.Equal(got[len(got)-1].Scope, []string{"read:users", "read:clients"}) {
		t.Fatalf("stored grants %+v", got)
	}
	read, err := m.ClientGrant.Read(ctx, g.GetID())
	if err != nil || read.GetID() != g.GetID() {
		t.Fatalf("read: %v %s", err, management.Stringify(read))
	}

	// A read-only property on PATCH [SRC go-auth0 client_grant_test.go].
	err = m.ClientGrant.Update(ctx, g.GetID(), &management.ClientGrant{Audience: auth0.String(aud), Scope: &[]string{}})
	wantMgmtStatus(t, err, 400, "Additional properties not allowed: audience")
	// Reusing update would resend the id, client_id and audience decoded into
	// it, which Auth0 refuses: a fresh struct, as callers must do.
	err = m.ClientGrant.Update(ctx, "cgr_0000000000000000", &management.ClientGrant{Scope: &[]string{}})
	wantMgmtStatus(t, err, 404, "The grant does not exist.")
	err = m.ClientGrant.Update(ctx, g.GetID(), update)
	wantMgmtStatus(t, err, 400, "Additional properties not allowed: audience,client_id,id")
	// The wizard's scopes do not include delete:client_grants.
	wantMgmtStatus(t, m.ClientGrant.Delete(ctx, g.GetID()), 403, "Insufficient scope, expected any of: delete:client_grants")
}

func TestClientGrantErrors(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:client_grants", "update:client_grants", "read:client_grants", "delete:client_grants")
	aud := s.Domain().ManagementAudience()
	id, _ := s.CreateM2MApp("granted", []string{"read:clients"})
	other := addApp(s, map[string]any{"name": "other"}, nil)
	grantID := s.ClientGrants()[len(s.ClientGrants())-1].ID
	post := func(t *testing.T, body any) response {
		t.Helper()
		return call(t, http.MethodPost, s.URL()+"/api/v2/client-grants", tok, body)
	}

	tests := []struct {
		name    string
		body    any
		status  int
		message string
		code    string
	}{
		{"scope must be an array", map[string]any{"client_id": other.id, "audience": aud, "scope": "read:users"}, 400, "Payload validation error: 'Expected type array but found type string' on property scope.", "invalid_body"},
		{"scope is required", map[string]any{"client_id": other.id, "audience": aud}, 400, "Payload validation error: 'Missing required property: scope'.", "invalid_body"},
		{"unknown property", map[string]any{"client_id": other.id, "audience": aud, "scope": []string{}, "scopes": []string{}}, 400, "Payload validation error: 'Additional properties not allowed: scopes'.", "invalid_body"},
		{"duplicate scopes", map[string]any{"client_id": other.id, "audience": aud, "scope": []string{"read:users", "read:users"}}, 400, "Payload validation error: 'Array items are not unique (indexes 0 and 1)' on property scope.", "invalid_body"},
		{"scope the API does not define (stricter choice)", map[string]any{"client_id": other.id, "audience": aud, "scope": []string{"read:users", "read:everything"}}, 400, "Scopes not defined by the resource server " + aud + ": read:everything", "invalid_body"},
		{"unknown audience [ISSUE auth0-deploy-cli#29]", map[string]any{"client_id": other.id, "audience": "https://api.example.com/", "scope": []string{}}, 404, "No resource with identifier https://api.example.com/", "inexistent_resource_server"},
		{"unknown client", map[string]any{"client_id": "nope", "audience": aud, "scope": []string{}}, 404, "The client does not exist", "inexistent_client"},
		{"duplicate (client_id, audience) [ISSUE terraform-provider-auth0#255]", map[string]any{"client_id": id, "audience": aud, "scope": []string{}}, 409, "A client grant already exists between " + id + " and " + aud, "client_grant_conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantAPIError(t, post(t, tt.body), tt.status, tt.message, tt.code)
		})
	}

	t.Run("create answers 201 with the grant [REC TestClientGrantManager_Create]", func(t *testing.T) {
		r := post(t, map[string]any{"client_id": other.id, "audience": aud, "scope": []string{"read:users"}, "subject_type": "client"})
		if r.status != http.StatusCreated {
			t.Fatalf("%d %s", r.status, r.body)
		}
		m := r.json(t)
		if len(m) != 5 || m["subject_type"] != "client" || !grantIDPattern.MatchString(m["id"].(string)) {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("PATCH validates scopes too", func(t *testing.T) {
		r := call(t, http.MethodPatch, s.URL()+"/api/v2/client-grants/"+grantID, tok, map[string]any{"scope": []string{"read:nothing"}})
		wantAPIError(t, r, 400, "Scopes not defined by the resource server "+aud+": read:nothing", "invalid_body")
		r = call(t, http.MethodPatch, s.URL()+"/api/v2/client-grants/"+grantID, tok, map[string]any{"client_id": id})
		wantAPIError(t, r, 400, "Payload validation error: 'Additional properties not allowed: client_id'.", "invalid_body")
	})
	t.Run("list filters and pages", func(t *testing.T) {
		var all []map[string]any
		mustUnmarshal(t, call(t, http.MethodGet, s.URL()+"/api/v2/client-grants", tok, nil).body, &all)
		if len(all) != 3 { // the token's app, "granted", "other"
			t.Fatalf("%d grants", len(all))
		}
		r := call(t, http.MethodGet, s.URL()+"/api/v2/client-grants?client_id="+other.id+"&include_totals=true&per_page=50", tok, nil)
		m := r.json(t)
		if m["total"] != float64(1) || len(m["client_grants"].([]any)) != 1 {
			t.Errorf("%s", r.body)
		}
		r = call(t, http.MethodGet, s.URL()+"/api/v2/client-grants?per_page=2&page=1&include_totals=true", tok, nil)
		if m := r.json(t); m["total"] != float64(3) || m["start"] != float64(2) || len(m["client_grants"].([]any)) != 1 {
			t.Errorf("%s", r.body)
		}
		r = call(t, http.MethodGet, s.URL()+"/api/v2/client-grants?audience=https://api.example.com/", tok, nil)
		if string(r.body) != "[]" {
			t.Errorf("%s", r.body)
		}
	})
	t.Run("delete is idempotent [REC TestClientGrantManager_Delete]", func(t *testing.T) {
		for range 2 {
			r := call(t, http.MethodDelete, s.URL()+"/api/v2/client-grants/"+grantID, tok, nil)
			if r.status != http.StatusNoContent || len(r.body) != 0 {
				t.Fatalf("%d %s", r.status, r.body)
			}
		}
		wantAPIError(t, call(t, http.MethodGet, s.URL()+"/api/v2/client-grants/"+grantID, tok, nil), 404, "The grant does not exist.", "inexistent_client_grant")
	})
}
