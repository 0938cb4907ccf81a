package steps_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

const omURL = "https://om.example.com"

// tenantUnderTest is a simulated tenant with a Management API application
// holding exactly the scopes om-auth0 needs.
type tenantUnderTest struct {
	*sandbox.Server
	req       steps.ConnectRequest
	seededApp string // an application a test seeded, when it needs one
}

func newTenant(t testing.TB, scopes []string) *tenantUnderTest {
	t.Helper()
	return newTenantWith(t, sandbox.Options{RateLimit: -1, TenantName: "Acme"}, scopes)
}

// newTenantWith is newTenant on a tenant started with opts (e.g. Auth0's
// rate limit), closed when t cleans up.
func newTenantWith(t sandbox.TB, opts sandbox.Options, scopes []string) *tenantUnderTest {
	t.Helper()
	srv := sandbox.NewTest(t, opts)
	id, secret := srv.CreateM2MApp("om-auth0 admin", scopes)
	return &tenantUnderTest{Server: srv, req: steps.ConnectRequest{Domain: srv.Domain(), ClientID: id, ClientSecret: secret}}
}

func testOptions() steps.Options {
	return steps.Options{MaxBackoff: time.Millisecond, RequestTimeout: 5 * time.Second}
}

func (tt *tenantUnderTest) connect(t testing.TB) *steps.Session {
	t.Helper()
	s, err := steps.Connect(context.Background(), tt.req, testOptions())
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	// Connect leaves the tenant's name read running; waiting for it here
	// keeps it out of the request logs the tests look at next.
	s.Tenant()
	return s
}

// apiTokenReq is tt.req as a Management API token, the way an operator who
// pastes one connects (Connect then reads the tenant's name before it returns).
func (tt *tenantUnderTest) apiTokenReq(t testing.TB) steps.ConnectRequest {
	t.Helper()
	tr, err := auth0http.RequestToken(context.Background(), http.DefaultClient, tt.Domain().TokenURL(),
		tt.Domain().ManagementAudience(), tt.req.ClientID, tt.req.ClientSecret, auth0http.StyleForm)
	if err != nil {
		t.Fatal(err)
	}
	return steps.ConnectRequest{Domain: tt.Domain(), APIToken: tr.AccessToken}
}

// admin is a go-auth0 client on the tenant, for arranging states the steps
// must cope with (an application someone made by hand, changed grants).
func (tt *tenantUnderTest) admin(t testing.TB) *management.Management {
	t.Helper()
	m, err := management.New(tt.Domain().Host, management.WithInsecure(),
		management.WithClientCredentials(context.Background(), tt.req.ClientID, tt.req.ClientSecret), management.WithNoRetries())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// writes are the Management API requests that change the tenant.
func (tt *tenantUnderTest) writes() []string {
	var out []string
	for _, r := range tt.Requests() {
		if r.Method != http.MethodGet && strings.HasPrefix(r.Path, "/api/v2/") {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func choices(ct openmetadata.ClientType, mode steps.ServiceAccountMode) steps.Choices {
	v := openmetadata.Newest
	if mode == steps.Separate || mode == steps.Same {
		v = openmetadata.Version{Major: 1, Minor: 0, Patch: 2}
	}
	return steps.Choices{
		OMURL: omURL, Version: v, ClientType: ct, AppName: "OpenMetadata",
		ServiceAccount: mode, BotAppName: "OpenMetadata Ingestion Bot", Scopes: []string{"read:clients"},
	}
}

// setupResult is what one wizard run produced.
type setupResult struct {
	uiPlan       *steps.UIPlan
	saPlan       *steps.ServiceAccountPlan
	ui           *steps.App
	sa           *steps.ServiceAccount
	verification steps.Verification
}

// runSetup goes through the guide's sections as the wizard does: both
// plans, then the applies (a separate service account started alongside
// the UI application), then Verify.
func runSetup(t testing.TB, s steps.Runner, c steps.Choices) setupResult {
	t.Helper()
	ctx := context.Background()
	var r setupResult
	var err error
	if r.uiPlan, err = s.PlanUIApp(ctx, c); err != nil {
		t.Fatalf("PlanUIApp: %v", err)
	}
	if r.saPlan, err = s.PlanServiceAccount(ctx, c, r.uiPlan.App()); err != nil {
		t.Fatalf("PlanServiceAccount: %v", err)
	}
	s.StartServiceAccount(ctx, r.saPlan)
	if r.ui, err = s.ApplyUIApp(ctx, r.uiPlan); err != nil {
		t.Fatalf("ApplyUIApp: %v", err)
	}
	if r.sa, err = s.ApplyServiceAccount(ctx, r.saPlan); err != nil {
		t.Fatalf("ApplyServiceAccount: %v", err)
	}
	r.verification = s.Verify(ctx, c, r.ui, r.sa)
	return r
}

func clientByID(tt *tenantUnderTest, id string) (sandbox.ClientState, bool) {
	for _, c := range tt.Clients() {
		if c.ClientID == id {
			return c, true
		}
	}
	return sandbox.ClientState{}, false
}

// grantsOf are the client grants of clientID (the admin application's is not among them).
func grantsOf(tt *tenantUnderTest, clientID string) []sandbox.GrantState {
	var out []sandbox.GrantState
	for _, g := range tt.ClientGrants() {
		if g.ClientID == clientID {
			out = append(out, g)
		}
	}
	return out
}

func without(list []string, drop string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == drop })
}
