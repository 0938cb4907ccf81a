package sandbox

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"testing/synctest"
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

// advanceOn429 moves the tenant's clock past the rate limit reset as soon
// as a 429 is out, as the wait the client is about to make would.
type advanceOn429 struct {
	base  http.RoundTripper
	clock *ManualClock
}

func (a advanceOn429) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := a.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		a.clock.Advance(2 * time.Second)
	}
	return resp, err
}

// TestGoAuth0RetriesAfterRateLimitReset drives go-auth0's own retry on 429.
// go-auth0 waits at least 1s on a real timer it does not let callers
// replace, so the client runs in a synctest bubble, where that wait takes
// no time; the tenant runs outside it, on a manual clock that jumps past
// the reset once the 429 is out. Inside the bubble the client keeps no
// idle connection (a goroutine blocked on the network would stop the
// bubble's clock) and takes a static token fetched outside it.
func TestGoAuth0RetriesAfterRateLimitReset(t *testing.T) {
	t.Parallel()
	clock := newFakeClock()
	s := startWithClock(t, Options{RateLimit: 1}, clock)
	tok := tokenFor(t, s, WizardScopes...)

	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		client := func(retries management.Option) *management.Management {
			hc := &http.Client{Transport: advanceOn429{base: &http.Transport{DisableKeepAlives: true}, clock: clock}}
			m, err := management.New(s.URL(), management.WithInsecure(), management.WithStaticToken(tok), management.WithClient(hc), retries)
			if err != nil {
				t.Fatal(err)
			}
			return m
		}
		noRetry := client(management.WithNoRetries())
		if _, err := noRetry.Client.List(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := noRetry.Client.List(ctx)
		wantMgmtStatus(t, err, http.StatusTooManyRequests, "429 Too Many Requests: Global limit has been reached")

		// The clock jumped past the reset after that 429: spend the budget again.
		if _, err := noRetry.Client.List(ctx); err != nil {
			t.Fatal(err)
		}
		s.ResetRequests()
		retrying := client(management.WithRetryStrategy(management.RetryStrategy{MaxRetries: 2, Statuses: []int{http.StatusTooManyRequests}}))
		start := time.Now()
		if _, err := retrying.Client.List(ctx); err != nil {
			t.Fatalf("retry after the reset: %v", err)
		}
		if waited := time.Since(start); waited < time.Second {
			t.Errorf("go-auth0 waited %v before its retry, want at least its 1s minimum", waited)
		}
	})
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
