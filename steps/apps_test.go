package steps_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// listRequest is one request of a listing, as the tenant logged it.
type listRequest struct {
	query  url.Values
	status int
}

func (r listRequest) checkpoint() bool { return r.query.Has("take") }

// listRequests are the tenant's logged GET /api/v2/clients.
func listRequests(t *testing.T, tt *tenantUnderTest) []listRequest {
	t.Helper()
	var out []listRequest
	for _, r := range tt.Requests() {
		if r.Method != http.MethodGet || r.Path != "/api/v2/clients" {
			t.Errorf("the listing sent %s %s", r.Method, r.Path)
			continue
		}
		q, err := url.ParseQuery(r.RawQuery)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, listRequest{query: q, status: r.Status})
	}
	return out
}

// wantListed checks that apps are the tenant's non-global applications, each once.
func wantListed(t *testing.T, tt *tenantUnderTest, apps []steps.AppSummary) {
	t.Helper()
	listed := map[string]int{}
	for _, a := range apps {
		if a.Name == "" || a.AppType == "" {
			t.Fatalf("incomplete %+v", a)
		}
		listed[a.ClientID]++
	}
	// Neither the global client nor the Management API application om-auth0
	// is connected with is ever offered.
	clients := tt.Clients()
	for _, c := range clients {
		hidden := c.Global || c.ClientID == tt.req.ClientID
		if n := listed[c.ClientID]; !hidden && n != 1 || hidden && n != 0 {
			t.Fatalf("%s (%s) listed %d times", c.ClientID, c.Name, n)
		}
	}
	if len(apps) != len(clients)-2 {
		t.Fatalf("listed %d applications, want %d", len(apps), len(clients)-2)
	}
}

// The listing reads a tenant within Auth0's 1,000-record page limit by
// page, the first alone and the rest concurrently. For a larger one it asks
// for the last page alone; the simulated tenant refuses it (Auth0 refuses
// pages past record 1,000), so the listing starts over by checkpoint.
func TestListAppsAllPages(t *testing.T) {
	t.Parallel()
	tests := []struct {
		apps        int // the tenant's non-global applications
		pages       int // page-based requests
		refused     int // page requests refused for lying past the limit
		checkpoints int
	}{
		{apps: 100, pages: 1},
		{apps: 1_000, pages: 10}, // pages 0–9: the last one the limit allows
		{apps: 1_001, pages: 2, refused: 1, checkpoints: 11},
		{apps: 1_200, pages: 2, refused: 1, checkpoints: 12},
		{apps: 5_000, pages: 2, refused: 1, checkpoints: 50},
	}
	for _, tc := range tests {
		t.Run(strconv.Itoa(tc.apps), func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			tt.SeedApps(tc.apps-11, "spa")
			tt.SeedApps(10, "non_interactive") // and the admin application
			s := tt.connect(t)
			tt.ResetRequests()
			apps, err := s.ListApps(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wantListed(t, tt, apps)

			var pages, refused, checkpoints int
			for i, r := range listRequests(t, tt) {
				q := r.query
				if r.status == http.StatusBadRequest && !r.checkpoint() {
					refused++
				} else if r.status != http.StatusOK {
					t.Errorf("request %d: %d %s", i, r.status, q.Encode())
				}
				if q.Get("is_global") != "false" || q.Get("include_fields") != "true" || q.Get("fields") == "" {
					t.Errorf("request %d: %s", i, q.Encode())
				}
				if !r.checkpoint() {
					pages++
					if q.Get("per_page") != "100" || q.Get("include_totals") != "true" {
						t.Errorf("page request %s", q.Encode())
					}
					continue
				}
				// The walk starts without a checkpoint and goes on from the one each page names.
				if q.Get("take") != "100" || q.Has("page") || q.Has("from") != (checkpoints > 0) {
					t.Errorf("checkpoint request %d: %s", checkpoints, q.Encode())
				}
				checkpoints++
			}
			if pages != tc.pages || refused != tc.refused || checkpoints != tc.checkpoints {
				t.Errorf("%d page (%d refused) and %d checkpoint requests, want %d (%d) and %d",
					pages, refused, checkpoints, tc.pages, tc.refused, tc.checkpoints)
			}

			// The listing is kept: finding the application needs no second one.
			tt.ResetRequests()
			if _, err := s.PlanUIApp(context.Background(), choices(openmetadata.Public, steps.Skip)); err != nil {
				t.Fatal(err)
			}
			if n := len(tt.Requests()); n != 0 {
				t.Errorf("PlanUIApp after ListApps sent %d requests", n)
			}
		})
	}
}

// pageCap makes the tenant refuse the pages from the capth on, as a tenant
// whose page limit is below Auth0's known 1,000 records would: it asks for
// page 10 instead, which the simulated tenant refuses with Auth0's 400
// itself. Checkpoint requests pass unchanged.
type pageCap struct {
	base http.RoundTripper
	cap  int
}

func (p pageCap) RoundTrip(r *http.Request) (*http.Response, error) {
	q := r.URL.Query()
	if n, err := strconv.Atoi(q.Get("page")); err == nil && r.URL.Path == "/api/v2/clients" && n >= p.cap {
		r = r.Clone(r.Context())
		q.Set("page", "10")
		r.URL.RawQuery = q.Encode()
	}
	return p.base.RoundTrip(r)
}

// A page refused for lying past the page limit, although the total was
// within it, turns the listing into a checkpoint one from the start, once.
func TestListAppsFallsBackToCheckpoints(t *testing.T) {
	t.Parallel()
	for _, limit := range []int{0, 3} {
		t.Run("refused from page "+strconv.Itoa(limit), func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			tt.SeedApps(599, "regular_web")
			opts := testOptions()
			opts.HTTPClient = &http.Client{Transport: pageCap{base: http.DefaultTransport, cap: limit}}
			s, err := steps.Connect(context.Background(), tt.req, opts)
			if err != nil {
				t.Fatal(err)
			}
			s.Tenant() // Connect's read of the tenant's name ends before the log is reset
			tt.ResetRequests()
			apps, err := s.ListApps(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			wantListed(t, tt, apps)

			var refused, walks, checkpoints int
			for _, r := range listRequests(t, tt) {
				switch {
				case r.status == http.StatusBadRequest:
					refused++
				case r.checkpoint():
					checkpoints++
					if !r.query.Has("from") {
						walks++
					}
				}
			}
			if refused == 0 || walks != 1 || checkpoints != 6 {
				t.Errorf("%d pages refused, %d checkpoint walks in %d requests; want some, 1 in 6", refused, walks, checkpoints)
			}
		})
	}
}
