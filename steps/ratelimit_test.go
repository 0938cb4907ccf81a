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
// under way at once, retries included, and calls refused after each 429.
type inFlight struct {
	base    http.RoundTripper
	refused func()

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
	resp, err := f.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests && f.refused != nil {
		f.refused()
	}
	return resp, err
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
// up after two retries. The tenant runs on a manual clock: each wait is
// shrunk to 1 ms of real time and moves the tenant's clock by 100 ms, which
// makes the steps retry sooner (and get more 429s) than with Auth0's reset
// time, without the test waiting seconds on a real limiter.
func TestListAppsUnderFreeRateLimit(t *testing.T) {
	t.Parallel()
	clock := sandbox.NewManualClock(time.Now())
	tt := newTenantWith(t, sandbox.Options{RateLimit: 2, TenantName: "Acme", Now: clock.Now}, sandbox.WizardScopes)
	tt.SeedApps(999, "spa")
	pages := &inFlight{base: http.DefaultTransport, refused: func() { clock.Advance(100 * time.Millisecond) }}
	opts := steps.Options{HTTPClient: &http.Client{Transport: pages}, MaxBackoff: time.Millisecond, RequestTimeout: 5 * time.Second}
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Tenant() // Connect's read of the tenant's name ends before the log is reset
	tt.ResetRequests()

	apps, err := s.ListApps(context.Background())
	if err != nil {
		t.Fatalf("ListApps: %v", err)
	}
	if len(apps) != 999 { // the Management API application is not listed
		t.Errorf("listed %d applications, want 999", len(apps))
	}
	refused, run, longest := 0, 0, 0 // 429s in all; in a row, and the longest such run
	for _, r := range tt.Requests() {
		if r.Status == http.StatusTooManyRequests {
			refused++
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	if refused == 0 {
		t.Error("the tenant never answered 429: the test does not exercise the rate limit")
	}
	if longest <= 2 {
		t.Errorf("at most %d 429s in a row: the test does not show a page outlasting two retries", longest)
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
