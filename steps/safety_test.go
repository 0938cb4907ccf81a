package steps_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// The Management API application om-auth0 is connected with, by client
// credentials or by an API token issued to it, is never offered, never
// found by marker or by name, and --app-id naming it is refused as bad
// input before anything is written.
func TestManagementApplicationIsUntouchable(t *testing.T) {
	for _, how := range []string{"client credentials", "API token"} {
		t.Run(how, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			self := tt.req.ClientID
			// Mark it as if it were OpenMetadata's, under the names om-auth0 looks for.
			if err := tt.admin(t).Client.Update(context.Background(), self, &management.Client{
				ClientMetadata: &map[string]any{steps.MarkerRole: steps.RoleUI, steps.MarkerOMURL: omURL}}); err != nil {
				t.Fatal(err)
			}
			req := tt.req
			if how == "API token" {
				tr, err := auth0http.RequestToken(context.Background(), http.DefaultClient, tt.Domain().TokenURL(),
					tt.Domain().ManagementAudience(), tt.req.ClientID, tt.req.ClientSecret, auth0http.StyleForm)
				if err != nil {
					t.Fatal(err)
				}
				req = steps.ConnectRequest{Domain: tt.Domain(), APIToken: tr.AccessToken}
			}
			s, err := steps.Connect(context.Background(), req, testOptions())
			if err != nil {
				t.Fatal(err)
			}
			s.Tenant() // Connect's read of the tenant's name ends before the log is reset
			tt.ResetRequests()
			ctx := context.Background()

			apps, err := s.ListApps(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(apps, func(a steps.AppSummary) bool { return a.ClientID == self }) {
				t.Errorf("ListApps offers the Management API application: %+v", apps)
			}

			c := choices(openmetadata.Public, steps.Separate)
			c.AppName, c.BotAppName = "om-auth0 admin", "om-auth0 admin" // its name
			ui, err := s.PlanUIApp(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if ch := ui.Changes[0]; ch.Action != steps.Create {
				t.Errorf("UI plan %+v: found the Management API application by marker or name", ch)
			}
			sa, err := s.PlanServiceAccount(ctx, c, ui.App())
			if err != nil {
				t.Fatal(err)
			}
			if ch := sa.Changes[0]; ch.Action != steps.Create {
				t.Errorf("service account plan %+v: found the Management API application by name", ch)
			}

			for _, mode := range []steps.ServiceAccountMode{steps.Skip, steps.Same} {
				c := choices(openmetadata.Public, mode)
				c.AppID = self
				_, err = s.PlanUIApp(ctx, c)
				var se *steps.Error
				if !errors.As(err, &se) || !se.BadInput || !strings.Contains(se.Error(), "application "+self+" is the Management API application om-auth0 is connected with") {
					t.Errorf("%s: --app-id naming the Management API application: %v", mode, err)
				}
			}
			if w := tt.writes(); len(w) > 0 {
				t.Errorf("wrote %v", w)
			}
		})
	}
}

// Changing how an existing application signs in (type, token endpoint
// auth method, grant types) carries a consequence naming from and to; a
// change of URLs only, or no change, carries none.
func TestBreakingChangesCarryAConsequence(t *testing.T) {
	ctx := context.Background()
	tests := map[string]struct {
		mode    steps.ServiceAccountMode
		edit    func(t *testing.T, tt *tenantUnderTest, ui, bot string) // after a first run
		adopt   *management.Client                                      // an application made by hand instead of a first run
		uiWant  string                                                  // the UI change's consequence; "" for none
		botWant string                                                  // the bot change's consequence
		action  steps.Action                                            // of the UI change
	}{
		"idempotent re-run": {mode: steps.Separate, action: steps.Keep},
		"callbacks edited by hand": {mode: steps.Skip, action: steps.Update, edit: func(t *testing.T, tt *tenantUnderTest, ui, _ string) {
			update(t, tt, ui, &management.Client{Callbacks: &[]string{"https://other.example.com/cb"}})
		}},
		"refresh_token removed by hand": {mode: steps.Skip, action: steps.Update, edit: func(t *testing.T, tt *tenantUnderTest, ui, _ string) {
			update(t, tt, ui, &management.Client{GrantTypes: &[]string{"authorization_code"}})
		}, uiWant: "whatever signs in with this application today may stop working: grant_types from authorization_code to authorization_code, refresh_token"},
		"bot's auth method changed by hand": {mode: steps.Separate, action: steps.Keep, edit: func(t *testing.T, tt *tenantUnderTest, _, bot string) {
			update(t, tt, bot, &management.Client{TokenEndpointAuthMethod: ptr("client_secret_post")})
		}, botWant: "whatever signs in with this application today may stop working: token_endpoint_auth_method from client_secret_post to client_secret_basic"},
		"a Machine-to-Machine application adopted by name": {mode: steps.Skip, action: steps.Update,
			adopt: &management.Client{Name: ptr("OpenMetadata"), AppType: ptr("non_interactive"), TokenEndpointAuthMethod: ptr("client_secret_post"),
				GrantTypes: &[]string{"client_credentials"}},
			uiWant: "whatever signs in with this application today may stop working: app_type from non_interactive to spa; " +
				"token_endpoint_auth_method from client_secret_post to none; grant_types from client_credentials to authorization_code, refresh_token"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			c := choices(openmetadata.Public, tc.mode)
			if tc.adopt != nil {
				if err := tt.admin(t).Client.Create(ctx, tc.adopt); err != nil {
					t.Fatal(err)
				}
			} else {
				first := runSetup(t, tt.connect(t), c)
				bot := ""
				if first.sa.App != nil {
					bot = first.sa.App.ClientID
				}
				if tc.edit != nil {
					tc.edit(t, tt, first.ui.ClientID, bot)
				}
			}
			s := tt.connect(t)
			ui, err := s.PlanUIApp(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if ch := ui.Changes[0]; ch.Action != tc.action || ch.Consequence != tc.uiWant {
				t.Errorf("UI change %s with consequence %q, want %s with %q", ch.Action, ch.Consequence, tc.action, tc.uiWant)
			}
			if ui.NeedsConfirmation() != (tc.uiWant != "") {
				t.Errorf("NeedsConfirmation = %v", ui.NeedsConfirmation())
			}
			if tc.mode != steps.Separate {
				return
			}
			sa, err := s.PlanServiceAccount(ctx, c, ui.App())
			if err != nil {
				t.Fatal(err)
			}
			if got := sa.Changes[0].Consequence; got != tc.botWant {
				t.Errorf("bot consequence %q, want %q", got, tc.botWant)
			}
		})
	}
}

func update(t *testing.T, tt *tenantUnderTest, id string, c *management.Client) {
	t.Helper()
	if err := tt.admin(t).Client.Update(context.Background(), id, c); err != nil {
		t.Fatal(err)
	}
}

// A tenant that already holds two applications with the same marker (two
// runs created one each) gets a plan that keeps one and deletes the other,
// with its consequence; applied, a re-run changes nothing. Without
// delete:clients the plan is refused before any change, naming both ways out.
func TestExistingDuplicatesHaveAWayOut(t *testing.T) {
	ctx := context.Background()
	for _, canDelete := range []bool{true, false} {
		name := "with delete:clients"
		scopes := sandbox.WizardScopes
		if !canDelete {
			name, scopes = "without delete:clients", without(sandbox.WizardScopes, "delete:clients")
		}
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, scopes)
			c := choices(openmetadata.Public, steps.Separate)
			admin := tt.admin(t)
			for range 2 {
				if err := admin.Client.Create(ctx, &management.Client{Name: ptr("OpenMetadata"), AppType: ptr("spa"), TokenEndpointAuthMethod: ptr("none"),
					ClientMetadata: &map[string]any{steps.MarkerRole: steps.RoleUI, steps.MarkerOMURL: omURL}}); err != nil {
					t.Fatal(err)
				}
			}
			dups := marked(tt, steps.RoleUI)
			if len(dups) != 2 {
				t.Fatalf("%d marked UI applications, want 2", len(dups))
			}
			tt.ResetRequests()

			s := tt.connect(t)
			p, err := s.PlanUIApp(ctx, c)
			if !canDelete {
				if err == nil || !strings.Contains(err.Error(), "lacks delete:clients") || !strings.Contains(err.Error(), "2 applications are marked as ui for "+omURL) {
					t.Fatalf("PlanUIApp = %v, want the duplicates and the missing delete:clients named", err)
				}
				if w := tt.writes(); len(w) > 0 {
					t.Errorf("wrote %v", w)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			del := p.Changes[len(p.Changes)-1]
			if len(p.Changes) != 2 || del.Action != steps.Delete || present.Mark(del) != "-" ||
				!strings.Contains(del.Consequence, "2 applications are marked as ui") || !p.NeedsConfirmation() {
				t.Fatalf("plan %+v", p.Changes)
			}
			ui, err := s.ApplyUIApp(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			left := marked(tt, steps.RoleUI)
			if len(left) != 1 || left[0] != ui.ClientID || !strings.Contains(del.Name, otherThan(dups, ui.ClientID)) {
				t.Fatalf("left %v, kept %s, deleted %s", left, ui.ClientID, del.Name)
			}
			tt.ResetRequests()
			runSetup(t, tt.connect(t), c)
			runSetup(t, tt.connect(t), c)
			if w := tt.writes(); len(w) != 2 { // the bot and its grant, once
				t.Errorf("writes after the way out: %v", w)
			}
		})
	}
}

// marked are the client ids of the applications carrying role's marker for omURL.
func marked(tt *tenantUnderTest, role string) []string {
	var out []string
	for _, c := range tt.Clients() {
		if c.ClientMetadata[steps.MarkerRole] == role && c.ClientMetadata[steps.MarkerOMURL] == omURL {
			out = append(out, c.ClientID)
		}
	}
	return out
}

func otherThan(ids []string, id string) string {
	for _, x := range ids {
		if x != id {
			return x
		}
	}
	return ""
}

// Runs at the same time against one tenant converge on one application per
// marker and one grant, and each run deletes only what it created.
func TestConcurrentRunsConverge(t *testing.T) {
	deletes := 0
	defer func() { t.Logf("%d duplicates deleted", deletes) }()
	for i := range 10 {
		tt := newTenant(t, sandbox.WizardScopes)
		c := choices(openmetadata.Public, steps.Separate)
		var wg sync.WaitGroup
		results := make([]setupResult, 3)
		for j := range results {
			s := tt.connect(t)
			wg.Go(func() { results[j] = runSetup(t, s, c) })
		}
		wg.Wait()
		for _, r := range tt.Requests() {
			if r.Method == http.MethodDelete {
				deletes++
			}
		}
		ui, bot := marked(tt, steps.RoleUI), marked(tt, steps.RoleBot)
		if len(ui) != 1 || len(bot) != 1 {
			t.Fatalf("round %d: %d UI and %d bot applications", i, len(ui), len(bot))
		}
		for _, r := range results {
			if r.ui.ClientID != ui[0] || r.sa.App.ClientID != bot[0] || r.sa.Grant.ClientID != bot[0] {
				t.Errorf("round %d: a run ended with %s / %s, the tenant holds %s / %s", i, r.ui.ClientID, r.sa.App.ClientID, ui[0], bot[0])
			}
		}
		if g := grantsOf(tt, bot[0]); len(g) != 1 {
			t.Errorf("round %d: %d grants", i, len(g))
		}
		tt.ResetRequests()
		runSetup(t, tt.connect(t), c)
		if w := tt.writes(); len(w) > 0 {
			t.Errorf("round %d: a later run wrote %v", i, w)
		}
	}
}

// After a 503 and a lost answer on the retried create, the application
// Auth0 committed is named by Created, read from the tenant.
func TestCreatedIsReadFromTheTenant(t *testing.T) {
	tt := newTenant(t, sandbox.WizardScopes)
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", Status: http.StatusServiceUnavailable})
	tt.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/api/v2/clients", DropAfterCommit: true})
	s := tt.connect(t)
	ctx := context.Background()
	p, err := s.PlanUIApp(ctx, choices(openmetadata.Public, steps.Skip))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ApplyUIApp(ctx, p); err == nil {
		t.Fatal("ApplyUIApp succeeded through a 503 and a lost answer")
	}
	held := marked(tt, steps.RoleUI)
	if len(held) != 1 {
		t.Fatalf("the tenant holds %v", held)
	}
	want := []string{`application "OpenMetadata" (` + held[0] + `)`}
	if got := s.Created(ctx); !slices.Equal(got, want) {
		t.Errorf("Created = %q, want %q", got, want)
	}
	// A session that created nothing asks the tenant nothing.
	other := tt.connect(t)
	tt.ResetRequests()
	if got := other.Created(ctx); got != nil || len(tt.Requests()) > 0 {
		t.Errorf("Created of a session that wrote nothing = %q after %d requests", got, len(tt.Requests()))
	}
}

// A run whose create lands after another run's gives way: it deletes only
// its own application and takes the other's, or, when it may not delete or
// the other run chose other settings, says so. Planning before the other
// run and applying after it makes the race deterministic.
func TestConvergeGivesWayToAnEarlierCreate(t *testing.T) {
	ctx := context.Background()
	tests := map[string]struct {
		scopes  []string
		other   openmetadata.ClientType // the other run's client type
		wantErr string                  // "" when this run takes the other's applications
		left    int                     // marked UI applications left
	}{
		"same answers":           {scopes: sandbox.WizardScopes, other: openmetadata.Public, left: 1},
		"other settings":         {scopes: sandbox.WizardScopes, other: openmetadata.Confidential, wantErr: "at the same time, with other settings (app_type, token_endpoint_auth_method", left: 1},
		"without delete:clients": {scopes: without(sandbox.WizardScopes, "delete:clients"), other: openmetadata.Public, wantErr: "this run's duplicate", left: 2},
		// The service account's grant is created while the tenant is looked
		// at again; a run that gives way deletes it before the application
		// when it may, else leaves it to go with the application.
		"with delete:client_grants": {scopes: append(slices.Clone(sandbox.WizardScopes), "delete:client_grants"), other: openmetadata.Public, left: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, tc.scopes)
			c := choices(openmetadata.Public, steps.Separate)
			s := tt.connect(t)
			uiPlan, err := s.PlanUIApp(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			saPlan, err := s.PlanServiceAccount(ctx, c, uiPlan.App())
			if err != nil {
				t.Fatal(err)
			}
			other := runSetup(t, tt.connect(t), choices(tc.other, steps.Separate))

			ui, err := s.ApplyUIApp(ctx, uiPlan)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ApplyUIApp = %v, want %q", err, tc.wantErr)
				}
				if got := marked(tt, steps.RoleUI); len(got) != tc.left || !slices.Contains(got, other.ui.ClientID) {
					t.Errorf("the tenant holds %v, want %d with %s", got, tc.left, other.ui.ClientID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ui.ClientID != other.ui.ClientID || ui.Created || ui.ClientSecret == "" {
				t.Errorf("took %s (created %v), want the other run's %s with its secret", ui.ClientID, ui.Created, other.ui.ClientID)
			}
			// Planned again in the same session (the wizard's Esc), the other run's application is kept.
			again, err := s.PlanUIApp(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			if ch := again.Changes[0]; ch.Action != steps.Keep || again.App().ClientID != other.ui.ClientID {
				t.Errorf("planned again: %+v", again.Changes)
			}
			sa, err := s.ApplyServiceAccount(ctx, saPlan)
			if err != nil {
				t.Fatal(err)
			}
			if sa.App.ClientID != other.sa.App.ClientID || sa.Grant.ID != other.sa.Grant.ID {
				t.Errorf("service account %s, grant %s; want the other run's %s, %s", sa.App.ClientID, sa.Grant.ID, other.sa.App.ClientID, other.sa.Grant.ID)
			}
			if ui, bot := marked(tt, steps.RoleUI), marked(tt, steps.RoleBot); len(ui) != 1 || len(bot) != 1 || len(grantsOf(tt, bot[0])) != 1 {
				t.Errorf("the tenant holds UI %v, bots %v", ui, bot)
			}
			if got := s.Created(ctx); len(got) != 0 {
				t.Errorf("Created = %q, want nothing: this run's applications were deleted", got)
			}
			var deletes []string
			for _, r := range tt.Requests() {
				if r.Method == http.MethodDelete {
					deletes = append(deletes, strings.Join(strings.Split(r.Path, "/")[:4], "/"))
				}
			}
			want := []string{"/api/v2/clients", "/api/v2/clients"} // this run's UI application, then its service account
			if slices.Contains(tc.scopes, "delete:client_grants") {
				want = []string{"/api/v2/clients", "/api/v2/client-grants", "/api/v2/clients"}
			}
			if !slices.Equal(deletes, want) {
				t.Errorf("deletes %v, want %v", deletes, want)
			}
		})
	}
}
