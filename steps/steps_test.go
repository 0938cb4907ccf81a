package steps_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// TestSetupFreshThenIdempotent runs a fresh setup for each client type and
// service-account mode, checks the tenant holds what sign-in and the
// service account need, and then runs again with the same answers: nothing
// may be written the second time.
func TestSetupFreshThenIdempotent(t *testing.T) {
	t.Parallel()
	for _, ct := range []openmetadata.ClientType{openmetadata.Public, openmetadata.Confidential} {
		for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same, steps.Skip} {
			t.Run(string(ct)+"/"+string(mode), func(t *testing.T) {
				tt := newTenant(t, sandbox.WizardScopes)
				c := choices(ct, mode)
				s := tt.connect(t)
				if _, name := s.Tenant(); name != "Acme" {
					t.Errorf("tenant name = %q, want Acme", name)
				}
				if missing := s.MissingScopes(c); len(missing) > 0 {
					t.Fatalf("MissingScopes = %v with every wizard scope granted", missing)
				}
				r := runSetup(t, s, c)
				assertFreshTenant(t, tt, s, c, r)
				if !r.verification.OK() {
					t.Errorf("verification failed: %+v", r.verification.Checks)
				}
				wantNeedsConfirm := mode == steps.Same
				if got := r.saPlan.NeedsConfirmation(); got != wantNeedsConfirm {
					t.Errorf("service-account plan NeedsConfirmation = %v, want %v", got, wantNeedsConfirm)
				}

				tt.ResetRequests()
				again := runSetup(t, tt.connect(t), c)
				if w := tt.writes(); len(w) > 0 {
					t.Errorf("second run wrote %v", w)
				}
				if again.uiPlan.Writes() || again.saPlan.Writes() {
					t.Errorf("second run planned writes: %+v %+v", again.uiPlan.Changes, again.saPlan.Changes)
				}
				if again.ui.ClientID != r.ui.ClientID || again.ui.Created {
					t.Errorf("second run UI app = %+v, want the first run's, not created", again.ui)
				}
				needSecret := ct == openmetadata.Confidential || mode == steps.Same
				if needSecret && again.ui.ClientSecret != r.ui.ClientSecret {
					t.Errorf("second run did not recover the UI app's secret")
				}
				if mode != steps.Skip {
					if again.sa.Grant.ID != r.sa.Grant.ID || again.sa.App.ClientSecret != r.sa.App.ClientSecret {
						t.Errorf("second run service account = %+v / %+v, want the first run's", again.sa.App, again.sa.Grant)
					}
				}
				if !again.verification.OK() {
					t.Errorf("second verification failed: %+v", again.verification.Checks)
				}
			})
		}
	}
}

func assertFreshTenant(t *testing.T, tt *tenantUnderTest, s *steps.Session, c steps.Choices, r setupResult) {
	t.Helper()
	ui, ok := clientByID(tt, r.ui.ClientID)
	if !ok || !r.ui.Created || ui.Name != "OpenMetadata" {
		t.Fatalf("UI application %q not created (%+v)", r.ui.ClientID, r.ui)
	}
	wantType, wantMethod := "spa", "none"
	if c.ClientType == openmetadata.Confidential {
		wantType, wantMethod = "regular_web", openmetadata.ConfidentialAuthMethod
	}
	wantGrants := []string{"authorization_code", "refresh_token"}
	// OpenMetadata 1.10+'s validator asks a confidential client for a Management API token.
	validator := c.ClientType == openmetadata.Confidential && c.Version.SettingsInDatabase() && c.ServiceAccount != steps.Same
	if validator {
		wantGrants = append(wantGrants, "client_credentials")
	}
	if c.ServiceAccount == steps.Same {
		wantMethod = "client_secret_basic"
		wantGrants = append(wantGrants, "client_credentials")
	}
	if ui.AppType != wantType || ui.TokenEndpointAuthMethod != wantMethod || !slices.Equal(ui.GrantTypes, wantGrants) {
		t.Errorf("UI app type/method/grants = %s/%s/%v, want %s/%s/%v", ui.AppType, ui.TokenEndpointAuthMethod, ui.GrantTypes, wantType, wantMethod, wantGrants)
	}
	if !slices.Equal(ui.Callbacks, []string{omURL + "/callback"}) || !slices.Equal(ui.WebOrigins, []string{omURL}) || !slices.Equal(ui.AllowedLogoutURLs, []string{omURL}) {
		t.Errorf("UI app URLs = %v %v %v", ui.Callbacks, ui.WebOrigins, ui.AllowedLogoutURLs)
	}
	if ui.ClientMetadata[steps.MarkerRole] != steps.RoleUI || ui.ClientMetadata[steps.MarkerOMURL] != omURL {
		t.Errorf("UI app marker = %v", ui.ClientMetadata)
	}
	if c.ClientType == openmetadata.Confidential && r.ui.ClientSecret != ui.ClientSecret {
		t.Errorf("UI app secret not returned")
	}

	created := []string{fmt.Sprintf("application %q (%s)", "OpenMetadata", r.ui.ClientID)}
	if validator {
		g := grantsOf(tt, r.ui.ClientID)
		if len(g) != 1 || g[0].Audience != tt.Domain().ManagementAudience() || g[0].Scope == nil || len(g[0].Scope) != 0 ||
			r.ui.ManagementGrant == nil || g[0].ID != r.ui.ManagementGrant.ID || !r.ui.ManagementGrant.Created {
			t.Fatalf("grants of the UI application = %+v, result %+v; want one for the Management API with no scopes", g, r.ui.ManagementGrant)
		}
		created = append(created, fmt.Sprintf("client grant %s: application %q on the Auth0 Management API", g[0].ID, "OpenMetadata"))
	} else if r.ui.ManagementGrant != nil {
		t.Errorf("UI application's grant = %+v, want none", r.ui.ManagementGrant)
	}
	switch c.ServiceAccount {
	case steps.Skip:
		if r.sa.Mode != steps.Skip || r.sa.App != nil || r.sa.Grant != nil || len(r.saPlan.Changes) != 0 {
			t.Errorf("skip produced %+v, plan %+v", r.sa, r.saPlan.Changes)
		}
		if n, want := len(tt.ClientGrants()), 1+len(grantsOf(tt, r.ui.ClientID)); n != want || (!validator && n != 1) {
			t.Errorf("%d grants, want only the admin application's and the validator's", n)
		}
	case steps.Separate:
		bot, ok := clientByID(tt, r.sa.App.ClientID)
		if !ok || bot.Name != "OpenMetadata Ingestion Bot" || bot.AppType != "non_interactive" || bot.TokenEndpointAuthMethod != "client_secret_basic" ||
			!slices.Equal(bot.GrantTypes, []string{"client_credentials"}) || bot.ClientMetadata[steps.MarkerRole] != steps.RoleBot {
			t.Errorf("bot = %+v", bot)
		}
		if r.sa.App.ClientSecret != bot.ClientSecret {
			t.Errorf("bot secret not returned")
		}
		created = append(created, fmt.Sprintf("application %q (%s)", bot.Name, bot.ClientID))
	case steps.Same:
		if r.sa.App.ClientID != r.ui.ClientID || r.sa.App.ClientSecret != ui.ClientSecret {
			t.Errorf("same mode service account = %+v, want the UI app with its secret", r.sa.App)
		}
	}
	if c.ServiceAccount != steps.Skip {
		g := grantsOf(tt, r.sa.App.ClientID)
		if len(g) != 1 || g[0].Audience != tt.Domain().ManagementAudience() || !slices.Equal(g[0].Scope, []string{"read:clients"}) || g[0].ID != r.sa.Grant.ID {
			t.Errorf("grants of the service account = %+v, result %+v", g, r.sa.Grant)
		}
		created = append(created, fmt.Sprintf("client grant %s: application %q on the Auth0 Management API", r.sa.Grant.ID, r.sa.App.Name))
	}
	wantClients := 3 // the admin application, the global client, the UI application
	if c.ServiceAccount == steps.Separate {
		wantClients++
	}
	if n := len(tt.Clients()); n != wantClients {
		t.Errorf("%d clients in the tenant, want %d: %+v", n, wantClients, tt.Clients())
	}
	if got := s.Created(context.Background()); !slices.Equal(got, created) {
		t.Errorf("Created = %q\nwant %q", got, created)
	}
}

func TestCreatedListsWhatTheRunMade(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	s := tt.connect(t)
	c := choices(openmetadata.Public, steps.Separate)
	ctx := context.Background()
	p, err := s.PlanUIApp(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	ui, err := s.ApplyUIApp(ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := s.PlanServiceAccount(ctx, c, ui)
	if err != nil {
		t.Fatal(err)
	}
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/client-grants", Nth: 1, Status: http.StatusForbidden})
	if _, err := s.ApplyServiceAccount(ctx, sp); err == nil {
		t.Fatal("ApplyServiceAccount succeeded despite a refused grant")
	}
	created := s.Created(context.Background())
	if len(created) != 2 || created[0] != fmt.Sprintf("application %q (%s)", "OpenMetadata", ui.ClientID) ||
		!strings.HasPrefix(created[1], `application "OpenMetadata Ingestion Bot" (`) {
		t.Errorf("Created = %q", created)
	}
}

func TestChangedScopesPatchTheGrantOnce(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	c := choices(openmetadata.Public, steps.Separate)
	first := runSetup(t, tt.connect(t), c)

	c.Scopes = []string{"read:users", "read:clients"}
	tt.ResetRequests()
	s := tt.connect(t)
	r := runSetup(t, s, c)
	want := []string{"PATCH /api/v2/client-grants/" + first.sa.Grant.ID}
	if w := tt.writes(); !slices.Equal(w, want) {
		t.Errorf("writes = %v, want %v", w, want)
	}
	g := grantsOf(tt, first.sa.App.ClientID)
	if len(g) != 1 || !slices.Equal(g[0].Scope, []string{"read:clients", "read:users"}) {
		t.Errorf("grants = %+v", g)
	}
	if ch := r.saPlan.Changes[len(r.saPlan.Changes)-1]; ch.Action != steps.Update || ch.Fields[0].From != "read:clients" || ch.Fields[0].To != "read:clients read:users" {
		t.Errorf("grant change = %+v", ch)
	}
	if !r.verification.OK() {
		t.Errorf("verification: %+v", r.verification.Checks)
	}
}

// TestMissingScopesNamedBeforeAnyWrite removes each wizard scope in turn:
// the preflight names it, and nothing has been written by then.
func TestMissingScopesNamedBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	c := choices(openmetadata.Confidential, steps.Separate)
	for _, scope := range sandbox.WizardScopes {
		t.Run(scope, func(t *testing.T) {
			tt := newTenant(t, without(sandbox.WizardScopes, scope))
			s := tt.connect(t)
			missing := s.MissingScopes(c)
			if scope == "delete:clients" {
				// Optional: it only deletes a duplicate a run at the same time caused.
				if len(missing) != 0 {
					t.Errorf("MissingScopes = %v", missing)
				}
				return
			}
			if scope == "read:tenant_settings" {
				// Optional: it only shows the tenant's name.
				if len(missing) != 0 {
					t.Errorf("MissingScopes = %v", missing)
				}
				if _, name := s.Tenant(); name != "" {
					t.Errorf("tenant name %q read without read:tenant_settings", name)
				}
				return
			}
			if !slices.Equal(missing, []string{scope}) {
				t.Errorf("MissingScopes = %v, want [%s]", missing, scope)
			}
			if steps.ScopeReason(scope) == "" {
				t.Errorf("no reason for %s", scope)
			}
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("wrote before the preflight: %v", w)
			}
		})
	}
}

// TestMissingScopeError goes ahead without a scope: the step that needs it
// fails with a message naming the scope, the application and where to grant it.
func TestMissingScopeError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		scope string
		c     steps.Choices
	}{
		"create:clients":        {"create:clients", choices(openmetadata.Public, steps.Skip)},
		"read:resource_servers": {"read:resource_servers", choices(openmetadata.Public, steps.Separate)},
		"create:client_grants":  {"create:client_grants", choices(openmetadata.Public, steps.Separate)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, without(sandbox.WizardScopes, tc.scope))
			s := tt.connect(t)
			ctx := context.Background()
			err := func() error {
				p, err := s.PlanUIApp(ctx, tc.c)
				if err != nil {
					return err
				}
				ui, err := s.ApplyUIApp(ctx, p)
				if err != nil {
					return err
				}
				sp, err := s.PlanServiceAccount(ctx, tc.c, ui)
				if err != nil {
					return err
				}
				_, err = s.ApplyServiceAccount(ctx, sp)
				return err
			}()
			var e *steps.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *steps.Error", err)
			}
			wantMeaning := fmt.Sprintf("the Management API application %q lacks %s", tt.req.ClientID, tc.scope)
			if e.Meaning != wantMeaning || !strings.Contains(e.Hint, "Applications > APIs > Auth0 Management API > Machine To Machine Applications") {
				t.Errorf("error = %q\nwant meaning %q and where to grant it", e.Error(), wantMeaning)
			}
			if e.Status != http.StatusForbidden || e.Code != "insufficient_scope" || !strings.Contains(e.Auth0Message, tc.scope) {
				t.Errorf("Auth0 detail = %d %q %q", e.Status, e.Code, e.Auth0Message)
			}
		})
	}
}

// TestLostCreateAnswer drops the answer of a create after the tenant has
// committed it: the step finds what it created instead of making a duplicate.
func TestLostCreateAnswer(t *testing.T) {
	t.Parallel()
	tests := map[string]sandbox.Fault{
		// Both applications are created at once: the body tells them apart.
		"UI application": {Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: `"app_type":"spa"`, DropAfterCommit: true},
		"bot":            {Method: http.MethodPost, Path: "/api/v2/clients", RequestBody: `"app_type":"non_interactive"`, DropAfterCommit: true},
		"grant":          {Method: http.MethodPost, Path: "/api/v2/client-grants", Nth: 1, DropAfterCommit: true},
	}
	for name, fault := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			tt.InjectFault(fault)
			s := tt.connect(t)
			r := runSetup(t, s, choices(openmetadata.Public, steps.Separate))
			var ours []string
			for _, c := range tt.Clients() {
				if !c.Global && c.ClientID != tt.req.ClientID {
					ours = append(ours, c.Name)
				}
			}
			slices.Sort(ours)
			if !slices.Equal(ours, []string{"OpenMetadata", "OpenMetadata Ingestion Bot"}) {
				t.Errorf("applications = %v, want one of each", ours)
			}
			if g := grantsOf(tt, r.sa.App.ClientID); len(g) != 1 {
				t.Errorf("bot grants = %+v, want one", g)
			}
			if len(tt.ClientGrants()) != 2 {
				t.Errorf("grants = %+v", tt.ClientGrants())
			}
			if n := len(s.Created(context.Background())); n != 3 {
				t.Errorf("Created = %q, want the two applications and the grant", s.Created(context.Background()))
			}
			if !r.verification.OK() {
				t.Errorf("verification: %+v", r.verification.Checks)
			}
			if r.sa.App.ClientSecret == "" {
				t.Error("bot secret lost with the answer")
			}
		})
	}
}

func TestRateLimitedRequestIsRetried(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	tt.InjectFault(sandbox.Fault{Method: http.MethodGet, Path: "/api/v2/clients", Nth: 1, Status: http.StatusTooManyRequests})
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", Nth: 1, Status: http.StatusTooManyRequests})
	r := runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Skip))
	if !r.ui.Created {
		t.Fatal("no application")
	}
	var statuses []string
	for _, req := range tt.Requests() {
		if req.Path == "/api/v2/clients" {
			statuses = append(statuses, fmt.Sprintf("%s %d", req.Method, req.Status))
		}
	}
	// After the create, the listing is read again to find a duplicate a run at the same time created.
	want := []string{"GET 429", "GET 200", "POST 429", "POST 201", "GET 200"}
	if !slices.Equal(statuses, want) {
		t.Errorf("requests = %v, want %v", statuses, want)
	}
	if n := len(tt.Clients()); n != 3 {
		t.Errorf("%d clients, want admin, OpenMetadata and the global one", n)
	}
}

// TestPlanChangesNothing is --dry-run: the plan of a fresh setup in every mode, with no write.
func TestPlanChangesNothing(t *testing.T) {
	t.Parallel()
	for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same} {
		t.Run(string(mode), func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			s := tt.connect(t)
			c := choices(openmetadata.Public, mode)
			ctx := context.Background()
			p, err := s.PlanUIApp(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			// The UI application is still to be created: its ClientID is empty.
			ui := &steps.App{Name: "OpenMetadata", AppType: "spa", TokenEndpointAuthMethod: "none", GrantTypes: []string{"authorization_code", "refresh_token"}}
			sp, err := s.PlanServiceAccount(ctx, c, ui)
			if err != nil {
				t.Fatal(err)
			}
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("planning wrote %v", w)
			}
			var got []string
			for _, ch := range append(p.Changes, sp.Changes...) {
				got = append(got, string(ch.Action)+" "+string(ch.Resource))
			}
			want := []string{"create application", "create application", "create client grant"}
			if mode == steps.Same {
				want = []string{"create application", "update application", "create client grant"}
				if !sp.NeedsConfirmation() || !strings.Contains(sp.Changes[0].Consequence, "browser sign-in") {
					t.Errorf("same mode on a SPA carries no consequence: %+v", sp.Changes[0])
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("plan = %v, want %v", got, want)
			}
			// Applying the two plans made before either was applied works too.
			if _, err := s.ApplyUIApp(ctx, p); err != nil {
				t.Fatal(err)
			}
			sa, err := s.ApplyServiceAccount(ctx, sp)
			if err != nil {
				t.Fatal(err)
			}
			if g := grantsOf(tt, sa.App.ClientID); len(g) != 1 {
				t.Errorf("grants = %+v", g)
			}
		})
	}
}

// TestPlanOutcome: a plan names the application and grant it ends with:
// before the first run, to be created (no client id, and the grant names
// its application "to be created" rather than putting a name where an id
// belongs); on a later run, the existing ones with their ids.
func TestPlanOutcome(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, append(slices.Clone(sandbox.WizardScopes), "delete:client_grants")) // to arrange a bot without its grant
	ctx := context.Background()
	c := choices(openmetadata.Public, steps.Separate)
	c.Scopes = []string{"read:users", "read:clients"}

	s := tt.connect(t)
	up, err := s.PlanUIApp(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if a := up.App(); a == nil || a.ClientID != "" || a.Name != "OpenMetadata" || a.AppType != "spa" || a.Created {
		t.Fatalf("UI plan's application before the first run = %+v", a)
	}
	sp, err := s.PlanServiceAccount(ctx, c, up.App())
	if err != nil {
		t.Fatal(err)
	}
	if a := sp.App(); a == nil || a.ClientID != "" || a.Name != "OpenMetadata Ingestion Bot" || a.AppType != "non_interactive" {
		t.Fatalf("service-account plan's application before the first run = %+v", a)
	}
	if g := sp.Grant(); g == nil || g.ID != "" || g.ClientID != "" || g.Audience != tt.Domain().ManagementAudience() ||
		!slices.Equal(g.Scopes, []string{"read:clients", "read:users"}) {
		t.Fatalf("grant before the first run = %+v", sp.Grant())
	}
	grant := sp.Changes[len(sp.Changes)-1]
	if grant.Resource != "client grant" || len(grant.Fields) == 0 ||
		grant.Fields[0] != (steps.FieldChange{Field: "application", To: "OpenMetadata Ingestion Bot (to be created)"}) {
		t.Fatalf("grant change = %+v", grant)
	}
	if w := tt.writes(); len(w) > 0 {
		t.Fatalf("planning wrote %v", w)
	}

	first := runSetup(t, s, c)

	// A later run (another session) finds both applications and the grant.
	s = tt.connect(t)
	c.Scopes = []string{"read:clients"}
	up, err = s.PlanUIApp(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if a := up.App(); a == nil || a.ClientID != first.ui.ClientID || a.Name != "OpenMetadata" || a.AppType != "spa" || a.Created {
		t.Fatalf("UI plan's application on the second run = %+v, first run made %+v", a, first.ui)
	}
	sp, err = s.PlanServiceAccount(ctx, c, up.App())
	if err != nil {
		t.Fatal(err)
	}
	if a := sp.App(); a == nil || a.ClientID != first.sa.App.ClientID || a.Created || a.ClientSecret == "" || a.ClientSecret != first.sa.App.ClientSecret {
		t.Fatalf("service-account plan's application on the second run = %+v (with the secret read alongside)", a)
	}
	if g := sp.Grant(); g == nil || g.ID != first.sa.Grant.ID || g.ClientID != first.sa.App.ClientID || !slices.Equal(g.Scopes, []string{"read:clients"}) {
		t.Fatalf("grant on the second run = %+v, first run made %+v", g, first.sa.Grant)
	}

	// An existing bot without a grant: the grant to create names its client id.
	if err := tt.admin(t).ClientGrant.Delete(ctx, first.sa.Grant.ID); err != nil {
		t.Fatal(err)
	}
	s = tt.connect(t)
	sp, err = s.PlanServiceAccount(ctx, c, first.ui)
	if err != nil {
		t.Fatal(err)
	}
	grant = sp.Changes[len(sp.Changes)-1]
	if grant.Action != steps.Create || grant.Fields[0] != (steps.FieldChange{Field: "client_id", To: first.sa.App.ClientID}) {
		t.Fatalf("grant change for an existing bot = %+v", grant)
	}
	if g := sp.Grant(); g == nil || g.ID != "" || g.ClientID != first.sa.App.ClientID {
		t.Fatalf("grant to create for an existing bot = %+v", g)
	}

	skipped, err := s.PlanServiceAccount(ctx, choices(openmetadata.Public, steps.Skip), first.ui)
	// A UI plan naming a grant is ruled out by its type (*steps.UIPlan has no Grant).
	if err != nil || skipped.App() != nil || skipped.Grant() != nil {
		t.Fatalf("a skipped service account's plan names %+v, %+v (%v)", skipped.App(), skipped.Grant(), err)
	}
}

func TestUnknownScopeRefusedBeforeAnyWrite(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	s := tt.connect(t)
	c := choices(openmetadata.Public, steps.Separate)
	c.Scopes = []string{"read:clients", "read:everything"}
	_, err := s.PlanServiceAccount(context.Background(), c, &steps.App{Name: "OpenMetadata"})
	var e *steps.Error
	if !errors.As(err, &e) || !strings.Contains(e.Meaning, "read:everything") || strings.Contains(e.Meaning, "read:clients") {
		t.Errorf("err = %v, want the unknown scope named", err)
	}
	if w := tt.writes(); len(w) > 0 {
		t.Errorf("wrote %v", w)
	}
}

// TestExistingApplication adopts an application made by hand: found by name
// (or by --app-id), only what differs is changed, the operator's extra
// callback is kept, and the marker is added so the next run finds it by marker.
func TestExistingApplication(t *testing.T) {
	t.Parallel()
	for _, byID := range []bool{false, true} {
		t.Run(fmt.Sprintf("by id %v", byID), func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			m := tt.admin(t)
			existing := &management.Client{Name: ptr("OpenMetadata"), AppType: ptr("spa"), TokenEndpointAuthMethod: ptr("none"),
				Callbacks:  &[]string{"https://old.example.com/callback"},
				WebOrigins: &[]string{omURL}, AllowedLogoutURLs: &[]string{omURL}, OIDCConformant: ptr(true),
				GrantTypes:     &[]string{"authorization_code", "implicit", "refresh_token"},
				ClientMetadata: &map[string]any{"team": "data"}}
			if err := m.Client.Create(context.Background(), existing); err != nil {
				t.Fatal(err)
			}
			c := choices(openmetadata.Public, steps.Skip)
			if byID {
				c.AppID = existing.GetClientID()
				c.AppName = ""
			}
			tt.ResetRequests()
			r := runSetup(t, tt.connect(t), c)
			if r.ui.ClientID != existing.GetClientID() || r.ui.Created {
				t.Fatalf("UI app = %+v, want the existing one", r.ui)
			}
			want := []string{"PATCH /api/v2/clients/" + existing.GetClientID()}
			if w := tt.writes(); !slices.Equal(w, want) {
				t.Errorf("writes = %v, want %v", w, want)
			}
			var fields []string
			for _, f := range r.uiPlan.Changes[0].Fields {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, []string{"callbacks", "client_metadata"}) {
				t.Errorf("changed fields = %v", fields)
			}
			got, _ := clientByID(tt, existing.GetClientID())
			if !slices.Equal(got.Callbacks, []string{"https://old.example.com/callback", omURL + "/callback"}) ||
				!slices.Equal(got.GrantTypes, []string{"authorization_code", "implicit", "refresh_token"}) ||
				got.ClientMetadata["team"] != "data" || got.ClientMetadata[steps.MarkerRole] != steps.RoleUI {
				t.Errorf("application after = %+v", got)
			}
			tt.ResetRequests()
			runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Skip))
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("third run wrote %v", w)
			}
		})
	}
}

func TestAppIDNotFound(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	c := choices(openmetadata.Public, steps.Skip)
	c.AppID = "doesnotexist"
	_, err := tt.connect(t).PlanUIApp(context.Background(), c)
	var e *steps.Error
	if !errors.As(err, &e) || e.Status != http.StatusNotFound || !strings.Contains(e.Meaning, `"doesnotexist" does not exist`) || !strings.Contains(e.Hint, "--app-id") {
		t.Errorf("err = %v", err)
	}
}

// TestTwoOpenMetadatasOneTenant: staging and production share a tenant; the
// marker keeps each run on its own applications.
func TestTwoOpenMetadatasOneTenant(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	prod := choices(openmetadata.Public, steps.Separate)
	staging := prod
	staging.OMURL = "https://staging.example.com"
	a := runSetup(t, tt.connect(t), prod)
	b := runSetup(t, tt.connect(t), staging)
	if a.ui.ClientID == b.ui.ClientID || a.sa.App.ClientID == b.sa.App.ClientID {
		t.Fatalf("staging reused production's applications")
	}
	tt.ResetRequests()
	runSetup(t, tt.connect(t), prod)
	if w := tt.writes(); len(w) > 0 {
		t.Errorf("production re-run wrote %v", w)
	}
}

// TestSwitchModes changes the service-account mode between runs: the UI
// application follows (Basic and client_credentials come and go together).
func TestSwitchModes(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	same := runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Same))
	r := runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Separate))
	if r.ui.ClientID != same.ui.ClientID {
		t.Fatal("new UI application")
	}
	ui, _ := clientByID(tt, r.ui.ClientID)
	if ui.TokenEndpointAuthMethod != "none" || slices.Contains(ui.GrantTypes, "client_credentials") {
		t.Errorf("UI app still a service account: %+v", ui)
	}
	if !r.verification.OK() {
		t.Errorf("verification: %+v", r.verification.Checks)
	}
}

func TestConnectErrors(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	ui := runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Skip)).ui
	// An application that is not authorized for the Management API.
	m2m := &management.Client{Name: ptr("unauthorized"), AppType: ptr("non_interactive"),
		TokenEndpointAuthMethod: ptr("client_secret_post"), GrantTypes: &[]string{"client_credentials"}}
	if err := tt.admin(t).Client.Create(context.Background(), m2m); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		req         steps.ConnectRequest
		wantMeaning string
		wantHint    string
	}{
		"wrong secret": {steps.ConnectRequest{Domain: tt.Domain(), ClientID: tt.req.ClientID, ClientSecret: "wrong"},
			"client id or client secret", "Settings"},
		"not authorized": {steps.ConnectRequest{Domain: tt.Domain(), ClientID: m2m.GetClientID(), ClientSecret: m2m.GetClientSecret()},
			"is not authorized for the Auth0 Management API", "Applications > APIs > Auth0 Management API > Machine To Machine Applications"},
		"public app": {steps.ConnectRequest{Domain: tt.Domain(), ClientID: ui.ClientID, ClientSecret: "x"},
			"Client Credentials grant", "Grant Types"},
		"nothing": {steps.ConnectRequest{Domain: tt.Domain()}, "no Management API credentials", "API token"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := steps.Connect(context.Background(), tc.req, testOptions())
			var e *steps.Error
			if !errors.As(err, &e) || !strings.Contains(e.Meaning, tc.wantMeaning) || !strings.Contains(e.Hint, tc.wantHint) {
				t.Errorf("err = %v", err)
			}
		})
	}
}

func TestVerifyReportsProblems(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	c := choices(openmetadata.Public, steps.Separate)
	s := tt.connect(t)
	r := runSetup(t, s, c)
	m := tt.admin(t)
	if err := m.ClientGrant.Update(context.Background(), r.sa.Grant.ID, &management.ClientGrant{Scope: &[]string{"read:users"}}); err != nil {
		t.Fatal(err)
	}
	ui := *r.ui
	ui.WebOrigins = nil
	v := s.Verify(context.Background(), c, &ui, r.sa)
	failed := map[string]string{}
	for _, ch := range v.Checks {
		if !ch.OK {
			failed[ch.Name] = ch.Detail
		}
	}
	want := map[string]string{
		steps.CheckAppURLs(omURL):                   "missing web origin " + omURL,
		steps.CheckScopes([]string{"read:clients"}): "not granted: read:clients; granted but not requested: read:users",
	}
	if fmt.Sprint(failed) != fmt.Sprint(want) {
		t.Errorf("failed checks = %v\nwant %v", failed, want)
	}

	sa := *r.sa
	bad := *sa.App
	bad.ClientSecret = "wrong"
	sa.App = &bad
	v = s.Verify(context.Background(), c, nil, &sa)
	for _, ch := range v.Checks {
		if ch.OK {
			t.Errorf("check %q passed with a wrong secret", ch.Name)
		}
		if (ch.Name == steps.CheckTokenBasic || ch.Name == steps.CheckTokenForm) && !strings.Contains(ch.Detail, "client secret") {
			t.Errorf("%s: %s", ch.Name, ch.Detail)
		}
	}
}

func ptr[T any](v T) *T { return &v }

// TestRenameFoundByMarker: the application om-auth0 set up for this URL is
// found by its marker under another name. The plan names it; without a
// given name it is kept as it is, with --app-name the rename is a field
// change (not a breaking one), applied, and the next run changes nothing.
func TestRenameFoundByMarker(t *testing.T) {
	t.Parallel()
	tt := newTenant(t, sandbox.WizardScopes)
	first := runSetup(t, tt.connect(t), choices(openmetadata.Public, steps.Skip))
	if err := tt.admin(t).Client.Update(context.Background(), first.ui.ClientID, &management.Client{Name: ptr("Old name")}); err != nil {
		t.Fatal(err)
	}
	note := `found by its marker: application "Old name" (` + first.ui.ClientID + ")"

	for _, tc := range []struct {
		name   string
		given  bool
		action steps.Action
		fields []steps.FieldChange
	}{
		{"name not given", false, steps.Keep, nil},
		{"--app-name", true, steps.Update, []steps.FieldChange{{Field: "name", From: `"Old name"`, To: `"New name"`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := choices(openmetadata.Public, steps.Skip)
			c.AppName, c.AppNameGiven = "New name", tc.given
			p, err := tt.connect(t).PlanUIApp(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			if len(p.Changes) != 1 {
				t.Fatalf("changes = %+v", p.Changes)
			}
			ch := p.Changes[0]
			if ch.Action != tc.action || ch.Name != "Old name" || ch.Note != note || ch.Consequence != "" || !slices.Equal(ch.Fields, tc.fields) {
				t.Errorf("change = %+v, want %s of \"Old name\" with note %q and fields %+v", ch, tc.action, note, tc.fields)
			}
		})
	}

	c := choices(openmetadata.Public, steps.Skip)
	c.AppName, c.AppNameGiven = "New name", true
	tt.ResetRequests()
	r := runSetup(t, tt.connect(t), c)
	if r.ui.ClientID != first.ui.ClientID || r.ui.Name != "New name" {
		t.Errorf("UI app = %+v, want %s renamed", r.ui, first.ui.ClientID)
	}
	if got, _ := clientByID(tt, first.ui.ClientID); got.Name != "New name" {
		t.Errorf("name in the tenant = %q, want \"New name\"", got.Name)
	}
	if w := tt.writes(); !slices.Equal(w, []string{"PATCH /api/v2/clients/" + first.ui.ClientID}) {
		t.Errorf("writes = %v, want one PATCH", w)
	}
	tt.ResetRequests()
	again := runSetup(t, tt.connect(t), c)
	if w := tt.writes(); len(w) > 0 || again.uiPlan.Changes[0].Note != "" {
		t.Errorf("re-run wrote %v, plan %+v", w, again.uiPlan.Changes)
	}
}
