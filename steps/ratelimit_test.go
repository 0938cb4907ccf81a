package steps_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// inFlight counts the listing's page requests (GET /api/v2/clients) that are
// under way at once, retries included.
type inFlight struct {
	base http.RoundTripper

	mu       sync.Mutex
	now, max int
}

func (f *inFlight) RoundTrip(r *http.Request) (*http.Response, error) {
	page := r.Method == http.MethodGet && r.URL.Path == "/api/v2/clients"
	if page {
		f.mu.Lock()
		f.now++
		f.max = max(f.max, f.now)
		f.mu.Unlock()
		defer func() {
			f.mu.Lock()
			f.now--
			f.mu.Unlock()
		}()
	}
	return f.base.RoundTrip(r)
}

func (f *inFlight) most() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.max
}

// A free tenant (2 requests/s, bursts of 2) holding 1,000 applications is
// listed completely (docs/performance.md T8): the first page's
// x-ratelimit-limit keeps the other pages to one reader at a time, and each
// page waits out the 429s it gets within the wait budget instead of giving
// up after two retries. Each wait is shrunk to at most 250 ms, which makes
// the steps retry sooner (and get more 429s) than with Auth0's reset time.
func TestListAppsUnderFreeRateLimit(t *testing.T) {
	t.Parallel()
	tt := newTenantWith(t, sandbox.Options{RateLimit: 2, TenantName: "Acme"}, sandbox.WizardScopes)
	tt.SeedApps(999, "spa")
	pages := &inFlight{base: http.DefaultTransport}
	opts := steps.Options{HTTPClient: &http.Client{Transport: pages}, MaxBackoff: 250 * time.Millisecond, RequestTimeout: 5 * time.Second}
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		t.Fatal(err)
	}
	tt.ResetRequests()

	apps, err := s.ListApps(context.Background())
	if err != nil {
		t.Fatalf("ListApps: %v", err)
	}
	if len(apps) != 1000 {
		t.Errorf("listed %d applications, want 1000", len(apps))
	}
	refused := 0
	for _, r := range tt.Requests() {
		if r.Status == http.StatusTooManyRequests {
			refused++
		}
	}
	if refused == 0 {
		t.Error("the tenant never answered 429: the test does not exercise the rate limit")
	}
	if n := pages.most(); n > 1 {
		t.Errorf("%d pages were read at once on a tenant with bursts of 2, want 1", n)
	}
}

// A listing that fails says that running again starts it over: nothing of
// it is kept between runs.
func TestListingFailureSaysItStartsOver(t *testing.T) {
	tt := newTenant(t, sandbox.WizardScopes)
	s := tt.connect(t)
	tt.InjectFault(sandbox.Fault{Method: http.MethodGet, Path: "/api/v2/clients", Nth: 1, Status: http.StatusServiceUnavailable})
	tt.InjectFault(sandbox.Fault{Method: http.MethodGet, Path: "/api/v2/clients", Nth: 2, Status: http.StatusServiceUnavailable})
	tt.InjectFault(sandbox.Fault{Method: http.MethodGet, Path: "/api/v2/clients", Nth: 3, Status: http.StatusServiceUnavailable})
	_, err := s.ListApps(context.Background())
	var e *steps.Error
	if !errors.As(err, &e) || e.Status != http.StatusServiceUnavailable {
		t.Fatalf("err = %v, want the 503 after two retries", err)
	}
	if !strings.Contains(e.Hint, "lists the applications again from the first page") || strings.Contains(e.Hint, "picks up where it stopped") {
		t.Errorf("hint = %q", e.Hint)
	}
}
