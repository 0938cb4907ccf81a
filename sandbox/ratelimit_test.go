package sandbox

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
)

func TestRateLimit(t *testing.T) {
	clock := newFakeClock()
	s := startWithClock(t, Options{RateLimit: 2}, clock) // 2/s, bursts of 2
	tok := tokenFor(t, s, "read:clients")
	now := clock.Now().Unix()
	get := func() response { return call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil) }
	wantHeaders := func(t *testing.T, r response, remaining int, reset int64) {
		t.Helper()
		h := r.header
		if h.Get("X-Ratelimit-Limit") != "2" || h.Get("X-Ratelimit-Remaining") != strconv.Itoa(remaining) || h.Get("X-Ratelimit-Reset") != strconv.FormatInt(reset, 10) {
			t.Errorf("limit %q remaining %q reset %q, want 2 %d %d", h.Get("X-Ratelimit-Limit"), h.Get("X-Ratelimit-Remaining"), h.Get("X-Ratelimit-Reset"), remaining, reset)
		}
		if h.Get("Retry-After") != "" {
			t.Error("Retry-After is set; clients must rely on x-ratelimit-reset")
		}
	}

	r := get()
	if r.status != http.StatusOK {
		t.Fatalf("first: %d", r.status)
	}
	wantHeaders(t, r, 1, now+1) // full again in 0.5s, rounded up
	r = get()
	wantHeaders(t, r, 0, now+1)
	r = get()
	wantAPIError(t, r, http.StatusTooManyRequests, "Global limit has been reached", "too_many_requests")
	wantHeaders(t, r, 0, now+1) // the next request is admitted in 0.5s

	clock.Advance(time.Second) // wait until x-ratelimit-reset
	if r := get(); r.status != http.StatusOK {
		t.Fatalf("after the reset: %d %s", r.status, r.body)
	}
	// The token endpoint is not part of the Management API budget.
	if tokenFor(t, s, "read:clients") == "" {
		t.Fatal("no token")
	}
}

func TestDefaultRateLimit(t *testing.T) {
	clock := newFakeClock()
	s := startWithClock(t, Options{}, clock)
	tok := tokenFor(t, s, "read:clients")
	for i := range defaultBurst {
		r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil)
		if r.status != http.StatusOK || r.header.Get("X-Ratelimit-Limit") != "50" {
			t.Fatalf("request %d: %d limit %q", i+1, r.status, r.header.Get("X-Ratelimit-Limit"))
		}
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("request 51: %d", r.status)
	}
	clock.Advance(time.Second) // refills 15
	for i := range defaultRate {
		if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil); r.status != http.StatusOK {
			t.Fatalf("refilled request %d: %d", i+1, r.status)
		}
	}
	if r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil); r.status != http.StatusTooManyRequests {
		t.Fatalf("past the refill: %d", r.status)
	}
}

func TestRateLimitDisabled(t *testing.T) {
	s := unlimited(t)
	tok := tokenFor(t, s, "read:clients")
	for i := range 120 {
		r := call(t, http.MethodGet, s.URL()+"/api/v2/clients?per_page=1", tok, nil)
		if r.status != http.StatusOK || r.header.Get("X-Ratelimit-Limit") != "" {
			t.Fatalf("request %d: %d", i+1, r.status)
		}
	}
}

// TestGoAuth0RetriesAfterRateLimitReset drives go-auth0's own retry on 429.
// The tenant's clock runs 10s behind, so go-auth0 waits its minimum (1s)
// rather than up to 2.5s; the clock jumps past the reset once the 429 is out.
func TestGoAuth0RetriesAfterRateLimitReset(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Now().Add(-10 * time.Second)}
	s := startWithClock(t, Options{RateLimit: 1}, clock)
	id, secret := s.CreateM2MApp("retrying", WizardScopes)
	ctx := context.Background()

	noRetry := mgmt(t, s, id, secret)
	if _, err := noRetry.Client.List(ctx); err != nil {
		t.Fatal(err)
	}
	_, err := noRetry.Client.List(ctx)
	wantMgmtStatus(t, err, http.StatusTooManyRequests, "429 Too Many Requests: Global limit has been reached")

	s.ResetRequests()
	refused := Request{Method: "GET", Path: "/api/v2/clients", RawQuery: "include_totals=true&per_page=50", Status: http.StatusTooManyRequests}
	go func() {
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
			if slices.Contains(s.Requests(), refused) {
				break
			}
		}
		clock.Advance(2 * time.Second)
	}()
	retrying := mgmt(t, s, id, secret, management.WithRetryStrategy(management.RetryStrategy{MaxRetries: 2, Statuses: []int{http.StatusTooManyRequests}}))
	if _, err := retrying.Client.List(ctx); err != nil {
		t.Fatalf("retry after the reset: %v", err)
	}
	var statuses []int
	for _, r := range s.Requests() {
		if r.Path == "/api/v2/clients" {
			statuses = append(statuses, r.Status)
		}
	}
	if !slices.Equal(statuses, []int{http.StatusTooManyRequests, http.StatusOK}) {
		t.Fatalf("statuses %v, want 429 then 200", statuses)
	}
}
