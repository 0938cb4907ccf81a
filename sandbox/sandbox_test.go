package sandbox

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:0", true},
		{"127.0.0.1:8080", true},
		{"localhost:0", true},
		{"[::1]:0", true},
		{"0.0.0.0:0", false},
		{"192.0.2.10:8080", false},
		{"example.com:80", false},
		{":8080", false},
		{"127.0.0.1", false},
		{"nonsense", false},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			if err := CheckAddr(tt.addr); (err == nil) != tt.ok {
				t.Fatalf("CheckAddr(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
			}
		})
	}
	if _, err := Start(Options{Addr: "0.0.0.0:0"}); err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("Start on 0.0.0.0: %v", err)
	}
}

type fakeTB struct {
	failed   string
	cleanups []func()
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Fatalf(format string, args ...any) { f.failed = fmt.Sprintf(format, args...) }
func (f *fakeTB) Cleanup(fn func())                 { f.cleanups = append(f.cleanups, fn) }

func TestStartServeClose(t *testing.T) {
	tb := &fakeTB{}
	s := NewTest(tb, Options{})
	if tb.failed != "" || len(tb.cleanups) != 1 {
		t.Fatalf("NewTest: %q, %d cleanups", tb.failed, len(tb.cleanups))
	}
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+$`).MatchString(s.URL()) || s.Domain().String() != s.URL() || !s.Domain().IsLoopback() {
		t.Fatalf("URL %q, domain %v", s.URL(), s.Domain())
	}
	if r := call(t, http.MethodGet, s.URL()+"/.well-known/jwks.json", "", nil); r.status != http.StatusOK {
		t.Fatalf("jwks: %d", r.status)
	}
	tb.cleanups[0]()
	if _, err := httpClient.Get(s.URL() + "/.well-known/jwks.json"); err == nil {
		t.Fatal("still serving after Close")
	}

	bad := &fakeTB{}
	NewTest(bad, Options{Addr: "192.0.2.10:80"})
	if !strings.Contains(bad.failed, "not a loopback address") {
		t.Fatalf("NewTest on a public address: %q", bad.failed)
	}
}

func TestSnapshotsAndSeeding(t *testing.T) {
	s := unlimited(t)
	s.SeedApps(2, "spa")
	s.SeedApps(1, "regular_web")
	id, secret := s.CreateM2MApp("om-auth0 (sandbox)", WizardScopes)

	clients := s.Clients()
	if len(clients) != 5 || !clients[4].Global || clients[4].Name != "All Applications" {
		t.Fatalf("clients %+v", clients)
	}
	spa := clients[0]
	if spa.Name != "Seeded spa app 1" || spa.AppType != "spa" || spa.TokenEndpointAuthMethod != "none" ||
		!slices.Equal(spa.GrantTypes, []string{"authorization_code", "implicit", "refresh_token"}) {
		t.Errorf("seeded spa %+v", spa)
	}
	if web := clients[2]; web.AppType != "regular_web" || web.TokenEndpointAuthMethod != "" || !slices.Contains(web.GrantTypes, "client_credentials") {
		t.Errorf("seeded regular_web %+v", web)
	}
	m2m := clients[3]
	if m2m.ClientID != id || m2m.ClientSecret != secret || m2m.AppType != "non_interactive" ||
		m2m.TokenEndpointAuthMethod != "client_secret_post" || !slices.Equal(m2m.GrantTypes, []string{"client_credentials"}) {
		t.Errorf("M2M app %+v", m2m)
	}
	grants := s.ClientGrants()
	if len(grants) != 1 || grants[0].ClientID != id || grants[0].Audience != s.Domain().ManagementAudience() || !slices.Equal(grants[0].Scope, WizardScopes) {
		t.Fatalf("grants %+v", grants)
	}
	// Snapshots are copies.
	clients[3].GrantTypes[0] = "changed"
	grants[0].Scope[0] = "changed"
	if s.Clients()[3].GrantTypes[0] != "client_credentials" || s.ClientGrants()[0].Scope[0] != WizardScopes[0] {
		t.Fatal("a snapshot aliases the tenant's state")
	}
	// The M2M app's token holds exactly its grant's scopes.
	r := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}, id, secret)
	if got := strings.Fields(r.json(t)["scope"].(string)); !slices.Equal(got, WizardScopes) {
		t.Fatalf("token scope %v", got)
	}
}

// TestConcurrentWrites runs creates, patches and reads in parallel (run
// with -race); every id stays unique.
func TestConcurrentWrites(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "create:clients", "update:clients", "read:clients", "create:client_grants")
	var wg sync.WaitGroup
	errs := make(chan string, 100)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			expect := func(method, path string, body any, status int) map[string]any {
				r, err := tryCall(method, s.URL()+path, tok, body)
				if err != nil || r.status != status {
					errs <- fmt.Sprintf("%s %s: %v %d %s", method, path, err, r.status, r.body)
					return nil
				}
				m := map[string]any{}
				_ = json.Unmarshal(r.body, &m)
				return m
			}
			c := expect(http.MethodPost, "/api/v2/clients", map[string]any{"name": fmt.Sprintf("c%d", i)}, http.StatusCreated)
			if c == nil {
				return
			}
			id := c["client_id"].(string)
			expect(http.MethodPatch, "/api/v2/clients/"+id, map[string]any{"description": "d"}, http.StatusOK)
			expect(http.MethodPost, "/api/v2/client-grants", map[string]any{"client_id": id, "audience": s.Domain().ManagementAudience(), "scope": []string{"read:clients"}}, http.StatusCreated)
			expect(http.MethodGet, "/api/v2/clients/"+id, nil, http.StatusOK)
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	ids := map[string]bool{}
	for _, c := range s.Clients() {
		ids[c.ClientID] = true
	}
	grantIDs := map[string]bool{}
	for _, g := range s.ClientGrants() {
		grantIDs[g.ID] = true
	}
	if len(ids) != 22 || len(grantIDs) != 21 {
		t.Fatalf("%d unique clients, %d unique grants", len(ids), len(grantIDs))
	}
}
