package sandbox

import (
	"math"
	"net/http"
	"strconv"
	"time"
)

// bucket is a token bucket: it holds up to burst requests and refills at
// rate per second. The caller holds Server.mu.
type bucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newBucket(rate, burst float64, now time.Time) *bucket {
	return &bucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// take spends one request if the budget allows it. It returns the
// remaining budget and when it resets: for an admitted request, when the
// bucket is full again; for a refused one, when the next request will be
// admitted (so that a client waiting for x-ratelimit-reset succeeds).
func (b *bucket) take(now time.Time) (ok bool, remaining int, reset time.Time) {
	if elapsed := now.Sub(b.last).Seconds(); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed*b.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, int(b.tokens), now.Add(secondsDuration((b.burst - b.tokens) / b.rate))
	}
	return false, 0, now.Add(secondsDuration((1 - b.tokens) / b.rate))
}

func secondsDuration(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// admit applies the Management API rate limit. Like Auth0 it sets
// x-ratelimit-limit, x-ratelimit-remaining and x-ratelimit-reset (UNIX
// seconds) on every answer and refuses with 429 past the budget
// [community.auth0.com/t/82103; SRC go-auth0 internal/client/client.go reads X-RateLimit-Reset].
// Whether Auth0 also sends Retry-After is UNVERIFIED: stricter, the sandbox
// does not, so clients must honour x-ratelimit-reset.
func (s *Server) admit(w http.ResponseWriter) bool {
	if s.limiter == nil {
		return true
	}
	s.mu.Lock()
	ok, remaining, reset := s.limiter.take(s.now())
	limit := s.limiter.burst
	s.mu.Unlock()
	h := w.Header()
	h.Set("X-Ratelimit-Limit", strconv.Itoa(int(limit)))
	h.Set("X-Ratelimit-Remaining", strconv.Itoa(remaining))
	// Round up: a client that waits until the announced second must succeed.
	h.Set("X-Ratelimit-Reset", strconv.FormatInt(int64(math.Ceil(float64(reset.UnixNano())/1e9)), 10))
	if !ok {
		// Body of Auth0's 429 [SRC auth0/auth0-java src/test/resources/mgmt/rate_limit_error.json].
		writeAPIError(w, http.StatusTooManyRequests, "Global limit has been reached", "too_many_requests")
	}
	return ok
}
