package steps_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// removeScopes are the scopes of a Management application that may set up and remove.
func removeScopes() []string {
	return append(slices.Clone(sandbox.WizardScopes), steps.RemoveScopes()...)
}

// markedFor lists the client ids of the applications marked for url.
func markedFor(tt *tenantUnderTest, url string) []string {
	var out []string
	for _, c := range tt.Clients() {
		if c.ClientMetadata[steps.MarkerOMURL] == url {
			out = append(out, c.ClientID)
		}
	}
	return out
}

// planLines are the plan's changes as "action resource name".
func planLines(p *steps.RemovePlan) []string {
	var out []string
	for _, c := range p.Changes {
		out = append(out, string(c.Action)+" "+string(c.Resource)+" "+c.Name)
	}
	return out
}

// TestRemoveDeletesOnlyWhatIsMarked sets up each service-account mode for
// omURL beside another OpenMetadata, an unrelated application and a
// Management application that carries the marker itself; remove then
// deletes the grants, the service account and the UI application, in that
// order, and nothing else.
func TestRemoveDeletesOnlyWhatIsMarked(t *testing.T) {
	const otherURL = "https://staging.example.com"
	for _, mode := range []steps.ServiceAccountMode{steps.Separate, steps.Same, steps.Skip} {
		t.Run(string(mode), func(t *testing.T) {
			tt := newTenant(t, removeScopes())
			ctx := context.Background()
			s := tt.connect(t)
			c := choices(openmetadata.Confidential, mode)
			if mode == steps.Same {
				c.Version = openmetadata.Version{Major: 1, Minor: 6}
			}
			res := runSetup(t, s, c)
			other := c
			other.OMURL = otherURL
			runSetup(t, s, other)
			unrelated, err := tt.SeedApp("Payroll", "", "spa")
			if err != nil {
				t.Fatal(err)
			}
			meta := map[string]any{steps.MarkerRole: steps.RoleUI, steps.MarkerOMURL: omURL}
			if err := tt.admin(t).Client.Update(ctx, tt.req.ClientID, &management.Client{ClientMetadata: &meta}); err != nil {
				t.Fatal(err)
			}
			mgmtBefore, _ := clientByID(tt, tt.req.ClientID)
			otherBefore := stateOf(t, tt, markedFor(tt, otherURL)...)
			unrelatedBefore := stateOf(t, tt, unrelated)

			// A fresh session, as `om-auth0 remove` is its own run.
			s = tt.connect(t)
			tt.ResetRequests()
			p, err := s.PlanRemove(ctx, omURL+"/")
			if err != nil {
				t.Fatalf("PlanRemove: %v", err)
			}
			var want []string
			if res.sa.Grant != nil {
				want = append(want, "delete client grant "+res.sa.Grant.Audience)
			}
			// A confidential client on 1.10+ has a Management API grant of its own.
			if g := res.ui.ManagementGrant; g != nil {
				want = append(want, "delete client grant "+g.Audience)
			}
			if mode == steps.Separate {
				want = append(want, "delete application "+res.sa.App.Name)
			}
			want = append(want, "delete application "+res.ui.Name)
			if got := planLines(p); !slices.Equal(got, want) {
				t.Errorf("plan = %q, want %q", got, want)
			}
			// The Management application carries the marker here, but no
			// listing of the session holds it: it is neither planned nor kept.
			for _, c := range p.Changes {
				if strings.Contains(c.Name, tt.req.ClientID) || slices.ContainsFunc(c.Fields, func(f steps.FieldChange) bool { return f.To == tt.req.ClientID }) {
					t.Errorf("the plan deletes the Management application: %+v", c)
				}
			}
			if w := tt.writes(); len(w) != 0 {
				t.Fatalf("planning wrote: %v", w)
			}

			done, err := s.ApplyRemove(ctx, p)
			if err != nil {
				t.Fatalf("ApplyRemove: %v", err)
			}
			if !reflect.DeepEqual(done, p.Changes) {
				t.Errorf("done = %+v, want the plan's changes", done)
			}
			var wantWrites []string
			if res.sa.Grant != nil {
				wantWrites = append(wantWrites, "DELETE /api/v2/client-grants/"+res.sa.Grant.ID)
			}
			if g := res.ui.ManagementGrant; g != nil {
				wantWrites = append(wantWrites, "DELETE /api/v2/client-grants/"+g.ID)
			}
			if mode == steps.Separate {
				wantWrites = append(wantWrites, "DELETE /api/v2/clients/"+res.sa.App.ClientID)
			}
			wantWrites = append(wantWrites, "DELETE /api/v2/clients/"+res.ui.ClientID)
			if got := tt.writes(); !slices.Equal(got, wantWrites) {
				t.Errorf("writes = %q, want %q", got, wantWrites)
			}

			if left := markedFor(tt, omURL); !slices.Equal(left, []string{tt.req.ClientID}) {
				t.Errorf("marked for %s after remove: %v, want only the Management application", omURL, left)
			}
			for _, id := range []string{res.ui.ClientID} {
				if g := grantsOf(tt, id); len(g) > 0 {
					t.Errorf("grants of removed application %s remain: %+v", id, g)
				}
			}
			if mgmt, ok := clientByID(tt, tt.req.ClientID); !ok || mgmt.Name != mgmtBefore.Name || len(grantsOf(tt, tt.req.ClientID)) != 1 {
				t.Errorf("the Management application or its grant changed: %+v", mgmt)
			}
			if got := stateOf(t, tt, markedFor(tt, otherURL)...); got != otherBefore {
				t.Errorf("the other OpenMetadata's applications changed:\n%s\nwant\n%s", got, otherBefore)
			}
			if got := stateOf(t, tt, unrelated); got != unrelatedBefore {
				t.Errorf("the unrelated application changed:\n%s\nwant\n%s", got, unrelatedBefore)
			}

			// Setup again creates everything again. (The
			// Management application's marker moves away first: whether setup
			// adopts a marked Management application is not remove's concern.)
			meta = map[string]any{steps.MarkerOMURL: "https://elsewhere.example.com"}
			if err := tt.admin(t).Client.Update(ctx, tt.req.ClientID, &management.Client{ClientMetadata: &meta}); err != nil {
				t.Fatal(err)
			}
			s = tt.connect(t)
			again := runSetup(t, s, c)
			if !again.ui.Created || again.ui.ClientID == res.ui.ClientID {
				t.Errorf("setup after remove: UI application %+v, want a new one", again.ui)
			}
			if mode == steps.Separate && (again.sa.App == nil || !again.sa.App.Created) {
				t.Errorf("setup after remove: service account %+v, want a new one", again.sa.App)
			}
			if again.sa.Grant != nil && !again.sa.Grant.Created {
				t.Errorf("setup after remove: grant %+v, want a new one", again.sa.Grant)
			}
			if !again.verification.OK() {
				t.Errorf("setup after remove does not verify: %+v", again.verification)
			}
		})
	}
}

// stateOf is the applications' and their grants' state, for before/after comparisons.
func stateOf(t *testing.T, tt *tenantUnderTest, ids ...string) string {
	t.Helper()
	var apps []sandbox.ClientState
	var grants []sandbox.GrantState
	for _, id := range ids {
		c, ok := clientByID(tt, id)
		if !ok {
			t.Fatalf("application %s is gone", id)
		}
		apps = append(apps, c)
		grants = append(grants, grantsOf(tt, id)...)
	}
	data, err := json.Marshal(struct {
		Apps   []sandbox.ClientState
		Grants []sandbox.GrantState
	}{apps, grants})
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestRemoveOnCleanTenantPlansNothing(t *testing.T) {
	tt := newTenant(t, removeScopes())
	tt.SeedApps(3, "spa")
	s := tt.connect(t)
	p, err := s.PlanRemove(context.Background(), omURL)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Empty() || len(p.Kept) != 0 {
		t.Fatalf("plan on a clean tenant: %+v", p)
	}
	done, err := s.ApplyRemove(context.Background(), p)
	if err != nil || len(done) != 0 {
		t.Fatalf("ApplyRemove of an empty plan = %v, %v", done, err)
	}
	if w := tt.writes(); len(w) != 0 {
		t.Fatalf("writes: %v", w)
	}
}

// TestRemoveScopes: the credentials' missing delete scopes are named, and a
// plan another Runner made is refused.
func TestRemoveScopes(t *testing.T) {
	tt := newTenant(t, sandbox.WizardScopes)
	s := tt.connect(t)
	// setup's scopes include delete:clients (for its own duplicates), not delete:client_grants.
	if got, want := s.MissingRemoveScopes(), []string{"delete:client_grants"}; !slices.Equal(got, want) {
		t.Errorf("MissingRemoveScopes = %q, want %q", got, want)
	}
	if got := newTenant(t, removeScopes()).connect(t).MissingRemoveScopes(); len(got) != 0 {
		t.Errorf("MissingRemoveScopes with every scope = %q", got)
	}
	for _, scope := range steps.RemoveScopes() {
		if steps.ScopeReason(scope) == "" {
			t.Errorf("ScopeReason(%q) is empty", scope)
		}
	}
	if _, err := s.ApplyRemove(context.Background(), &steps.RemovePlan{Plan: steps.Plan{Changes: []steps.Change{{Action: steps.Delete}}}}); err == nil {
		t.Error("ApplyRemove applied a plan PlanRemove did not make")
	}
}

// TestRemoveAlreadyGone: an application deleted between the plan and its
// application is what was wanted, not a failure.
func TestRemoveAlreadyGone(t *testing.T) {
	tt := newTenant(t, removeScopes())
	ctx := context.Background()
	s := tt.connect(t)
	res := runSetup(t, s, choices(openmetadata.Public, steps.Separate))
	p, err := s.PlanRemove(ctx, omURL)
	if err != nil {
		t.Fatal(err)
	}
	if err := tt.admin(t).Client.Delete(ctx, res.sa.App.ClientID); err != nil {
		t.Fatal(err)
	}
	done, err := s.ApplyRemove(ctx, p)
	if err != nil {
		t.Fatalf("ApplyRemove: %v", err)
	}
	if len(done) != len(p.Changes) {
		t.Errorf("done %d of %d changes", len(done), len(p.Changes))
	}
	if left := markedFor(tt, omURL); len(left) != 0 {
		t.Errorf("still marked: %v", left)
	}
}

// TestRemoveStopsAtAFailure: a refused delete stops the run; what was
// already deleted is returned, and running again finishes the job.
func TestRemoveStopsAtAFailure(t *testing.T) {
	tt := newTenant(t, removeScopes())
	ctx := context.Background()
	s := tt.connect(t)
	res := runSetup(t, s, choices(openmetadata.Public, steps.Separate))
	p, err := s.PlanRemove(ctx, omURL)
	if err != nil {
		t.Fatal(err)
	}
	tt.InjectFault(sandbox.Fault{Method: "DELETE", Path: "/api/v2/clients/" + res.sa.App.ClientID, Status: 403, Message: "Forbidden by a rule"})
	done, err := s.ApplyRemove(ctx, p)
	var se *steps.Error
	if err == nil || !strings.Contains(err.Error(), "delete application") {
		t.Fatalf("ApplyRemove error = %v", err)
	} else if !errors.As(err, &se) || se.Status != 403 {
		t.Errorf("error %v is not Auth0's 403", err)
	}
	if len(done) != 1 || done[0].Resource != steps.ClientGrant {
		t.Errorf("done = %+v, want the grant only", done)
	}
	p, err = tt.connect(t).PlanRemove(ctx, omURL)
	if err != nil {
		t.Fatal(err)
	}
	if got := planLines(p); len(got) != 2 || got[0] != "delete application "+res.sa.App.Name {
		t.Errorf("plan after the failure = %q", got)
	}
}
