// Package auth0http is how om-auth0 talks HTTP to an Auth0 tenant: a client
// whose transport retries what is safe to retry, waits out Auth0's rate
// limit, times out each attempt, and records what Auth0 answered to each
// logical call (its status, error body and announced rate limit), because
// go-auth0 drops the errorCode of an error body. It also requests
// client-credentials tokens, fetches public JSON documents, reads paginated
// lists (by page, concurrently within the rate limit, or by checkpoint) and
// decodes Auth0's tokens and key sets. Turning a failure into advice for
// the operator is the caller's job.
//
// Whatever answers is untrusted: no request that carries a credential
// follows a redirect (a *RedirectError names where it pointed), every
// successful answer is read whole within the request's timeout, at most
// MaxBody bytes, and must be JSON (else a *BodyError), and error bodies are
// stripped of terminal control sequences. Tokens are requested here, not
// through go-auth0's WithClientCredentials: x/oauth2 sends that request
// with the context's client, http.DefaultClient unless told otherwise,
// which follows redirects, and after a refused Basic attempt it sends the
// secret again in the form body (docs/auth0.md, go-auth0).
package auth0http

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/om-auth0/om-auth0/termtext"
)

const (
	defaultRequestTimeout = 30 * time.Second
	defaultMaxRetries     = 2 // go-auth0's default
	defaultMaxBackoff     = 10 * time.Second
	// defaultRateLimitWait is how long one request waits out Auth0's rate
	// limit in total. A count of retries is not enough: requests sent
	// together wake together after a reset and some lose again, and a free
	// tenant (2 requests/s) makes a reader lose several times in a row. A
	// minute covers any burst of om-auth0's own (at most 5 in flight) and
	// tells a tenant whose budget someone else spends apart from a slow one.
	defaultRateLimitWait = time.Minute
	baseBackoff          = time.Second
	maxErrorBody         = 64 << 10
)

// Options tune how the client talks to Auth0. The zero value is right for real tenants.
type Options struct {
	// HTTPClient is the base client; nil uses one with sane timeouts.
	HTTPClient *http.Client
	// RequestTimeout caps each Auth0 call; 0 means 30s.
	RequestTimeout time.Duration
	// MaxRetries caps the retries of an idempotent request after a network
	// error, a timeout or a 5xx answer; 0 means go-auth0's default (2).
	// Negative disables every retry, 429s included.
	MaxRetries int
	// MaxBackoff caps each wait between retries; tests shrink it (they do not switch retries off).
	MaxBackoff time.Duration
	// RateLimitWait caps how long one request waits out Auth0's rate limit in
	// total: a 429 is retried, after the wait X-RateLimit-Reset or
	// Retry-After asks for (at most MaxBackoff), until the waits would add up
	// to more than this. 0 means 60s.
	RateLimitWait time.Duration
	// Server names who answers, in errors; "" means "Auth0". The client
	// serves OpenMetadata's public endpoints too.
	Server string
}

// NewClient wraps the base client's transport with Auth0 error capture,
// retries, a per-attempt timeout that covers reading the body, answers
// bounded to MaxBody and checked to be JSON, and no redirect followed by a
// request with credentials (see mayFollow). go-auth0's own retry transport cannot
// shrink its 1–10 s backoff, so the management client is built WithNoRetries
// and uses this one, as do the token, JWKS and discovery requests.
func NewClient(o Options) *http.Client {
	base := o.HTTPClient
	if base == nil {
		base = &http.Client{}
	}
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	timeout := o.RequestTimeout
	if timeout <= 0 {
		timeout = defaultRequestTimeout
	}
	retries := o.MaxRetries
	rateLimitWait := o.RateLimitWait
	if rateLimitWait <= 0 {
		rateLimitWait = defaultRateLimitWait
	}
	switch {
	case retries == 0:
		retries = defaultMaxRetries
	case retries < 0:
		retries, rateLimitWait = 0, 0
	}
	backoff := o.MaxBackoff
	if backoff <= 0 {
		backoff = defaultMaxBackoff
	}
	server := o.Server
	if server == "" {
		server = "Auth0"
	}
	return &http.Client{
		Transport: &redirectTransport{server: server, base: &captureTransport{base: &retryTransport{
			base:           rt,
			server:         server,
			maxRetries:     retries,
			maxBackoff:     backoff,
			rateLimitWait:  rateLimitWait,
			attemptTimeout: timeout,
		}}},
		CheckRedirect: sameHostRedirects(server),
		Jar:           base.Jar,
		Timeout:       base.Timeout,
	}
}

// retryTransport retries 429 answers (any method: Auth0 refused the request
// before doing anything) for as long as their waits add up to at most
// rateLimitWait, and, for idempotent requests only, network errors, timeouts
// and 5xx answers at most maxRetries times. A create is never resent blindly:
// its answer may have been lost after Auth0 committed it, and the steps
// recover that case by reading the tenant instead.
type retryTransport struct {
	base           http.RoundTripper
	server         string        // who answers, for BodyError
	maxRetries     int           // retries of a network error, timeout or 5xx
	maxBackoff     time.Duration // caps each wait
	rateLimitWait  time.Duration // caps the waits for 429s of one request, together
	attemptTimeout time.Duration
	now            func() time.Time // nil: time.Now
}

// RoundTrip implements http.RoundTripper.
func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	parent := req.Context()
	info := CallFrom(parent)
	var (
		transient, limited int           // retries after a network error, timeout or 5xx; after a 429
		waited             time.Duration // the waits for 429s so far
	)
	for attempt := 0; ; attempt++ {
		r := req
		if attempt > 0 {
			r = req.Clone(parent)
			if req.Body != nil && req.Body != http.NoBody {
				body, err := req.GetBody()
				if err != nil {
					return nil, fmt.Errorf("rewind request body for retry: %w", err)
				}
				r.Body = body
			}
		}
		ctx, cancel := context.WithTimeout(parent, t.attemptTimeout)
		resp, err := t.base.RoundTrip(r.WithContext(ctx))
		if err == nil {
			// Read within the attempt's timeout: a body that trickles or
			// stalls fails like an answer that never came.
			resp, err = readAnswer(t.server, r, resp)
		}
		if err != nil && parent.Err() == nil && errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = &TimeoutError{After: t.attemptTimeout, Err: err}
		}
		if info != nil {
			info.addAttempt()
		}
		var (
			delay time.Duration
			retry bool
		)
		if err == nil && resp.StatusCode == http.StatusTooManyRequests {
			delay = t.rateLimitDelay(limited, resp.Header)
			retry = waited+delay <= t.rateLimitWait
			if retry {
				limited++
				waited += delay
				if info != nil {
					info.addWait(delay)
				}
			}
		} else {
			delay, retry = t.retryable(req, transient, resp, err)
			retry = retry && transient < t.maxRetries
			transient++
		}
		if !retry || parent.Err() != nil {
			if resp != nil {
				resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
			} else {
				cancel()
			}
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
			resp.Body.Close()
		}
		cancel()
		timer := time.NewTimer(delay)
		select {
		case <-parent.Done():
			timer.Stop()
			return nil, parent.Err()
		case <-timer.C:
		}
	}
}

// retryable decides whether a failure other than a 429 is retried, and
// after how long; retries is how many such retries the request had so far.
func (t *retryTransport) retryable(req *http.Request, retries int, resp *http.Response, err error) (time.Duration, bool) {
	if err != nil {
		if req.Context().Err() != nil || !idempotent(req) || permanentNetError(err) {
			return 0, false
		}
		return t.backoff(retries), true
	}
	switch resp.StatusCode {
	case http.StatusInternalServerError, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		if idempotent(req) {
			return t.backoff(retries), true
		}
	}
	return 0, false
}

// backoff is go-auth0's exponential backoff with jitter (1 s · 2^attempt +
// [0, 1 s)), capped at maxBackoff.
func (t *retryTransport) backoff(attempt int) time.Duration {
	// 2^16 s is past any cap; a larger exponent would overflow a Duration.
	d := time.Duration(float64(baseBackoff)*math.Pow(2, float64(min(attempt, 16)))) + time.Duration(rand.Int64N(int64(baseBackoff)))
	return min(d, t.maxBackoff)
}

// rateLimitDelay waits until Auth0's rate limit window resets: Retry-After
// when given, else X-RateLimit-Reset (unix seconds), clamped to
// [min(1 s, maxBackoff), maxBackoff].
func (t *retryTransport) rateLimitDelay(attempt int, h http.Header) time.Duration {
	now := time.Now
	if t.now != nil {
		now = t.now
	}
	floor := min(baseBackoff, t.maxBackoff)
	clamp := func(d time.Duration) time.Duration { return max(floor, min(d, t.maxBackoff)) }
	if ra := strings.TrimSpace(h.Get("Retry-After")); ra != "" {
		if secs, err := strconv.Atoi(ra); err == nil {
			return clamp(time.Duration(secs) * time.Second)
		}
		if at, err := http.ParseTime(ra); err == nil {
			return clamp(at.Sub(now()))
		}
	}
	if reset, err := strconv.ParseInt(strings.TrimSpace(h.Get("X-RateLimit-Reset")), 10, 64); err == nil {
		return clamp(time.Unix(reset, 0).Sub(now()))
	}
	return t.backoff(attempt)
}

type idempotentKey struct{}

// WithIdempotent marks a POST as safe to resend (a token request mints a new
// token; it changes nothing in the tenant).
func WithIdempotent(ctx context.Context) context.Context {
	return context.WithValue(ctx, idempotentKey{}, true)
}

func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodPatch:
		// PATCH is idempotent here: every PATCH the steps send sets absolute values.
		return true
	}
	v, _ := req.Context().Value(idempotentKey{}).(bool)
	return v
}

func permanentNetError(err error) bool {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var notTLS tls.RecordHeaderError // the server does not speak TLS (http.Client reports plain http as ErrSchemeMismatch)
	var body *BodyError
	var redirect *RedirectError
	return errors.As(err, &body) || errors.As(err, &redirect) || errors.As(err, &unknownAuthority) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &notTLS) ||
		strings.Contains(err.Error(), "certificate is not trusted")
}

// TimeoutError is one attempt that got no answer within Options.RequestTimeout.
type TimeoutError struct {
	After time.Duration // the attempt's timeout
	Err   error
}

// Error says how long the attempt waited.
func (e *TimeoutError) Error() string { return fmt.Sprintf("no answer within %s: %v", e.After, e.Err) }

// Unwrap returns the transport's error.
func (e *TimeoutError) Unwrap() error { return e.Err }

// Timeout reports true, as net.Error does for a timeout.
func (e *TimeoutError) Timeout() bool { return true }

type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c *cancelOnClose) Close() error {
	err := c.ReadCloser.Close()
	c.cancel()
	return err
}

// Call records what Auth0 answered to one logical call (across its retries):
// go-auth0 v1 drops the errorCode of an error body, and callers need it.
type Call struct {
	mu       sync.Mutex
	attempts int
	waited   time.Duration // waiting out 429s
	status   int
	body     ErrorBody
	budget   RateBudget // of the last answer
}

// RateBudget is the Management API rate limit an answer announced in its
// x-ratelimit-limit header: the most requests the tenant admits at once
// (its burst). Limit is 0 when the answer announced none.
type RateBudget struct{ Limit int }

// BudgetOf reads the rate limit announced in h.
func BudgetOf(h http.Header) RateBudget {
	limit, err := strconv.Atoi(strings.TrimSpace(h.Get("X-RateLimit-Limit")))
	if err != nil || limit < 0 {
		return RateBudget{}
	}
	return RateBudget{Limit: limit}
}

type callKey struct{}

// ErrorBody is both shapes of Auth0 error: the Management API's
// {statusCode, error, message, errorCode} and OAuth's {error, error_description}.
type ErrorBody struct {
	StatusCode       int    `json:"statusCode"`
	Error            string `json:"error"`
	Message          string `json:"message"`
	ErrorCode        string `json:"errorCode"`
	ErrorDescription string `json:"error_description"`
}

// clean strips the control and escape sequences of every field: the body
// is server text, printed to the operator and written to --json.
func (b *ErrorBody) clean() {
	for _, f := range []*string{&b.Error, &b.Message, &b.ErrorCode, &b.ErrorDescription} {
		*f = termtext.Clean(*f)
	}
}

// WithCall returns a context whose requests record their answer in the returned Call.
func WithCall(ctx context.Context) (context.Context, *Call) {
	c := &Call{}
	return context.WithValue(ctx, callKey{}, c), c
}

// CallFrom is the Call that ctx records into, or nil.
func CallFrom(ctx context.Context) *Call {
	c, _ := ctx.Value(callKey{}).(*Call)
	return c
}

func (c *Call) addAttempt() {
	c.mu.Lock()
	c.attempts++
	c.mu.Unlock()
}

func (c *Call) addWait(d time.Duration) {
	c.mu.Lock()
	c.waited += d
	c.mu.Unlock()
}

// Snapshot is the status and error body of the call's last failed answer
// (0 and empty when none failed) and how many attempts it took.
func (c *Call) Snapshot() (status int, body ErrorBody, attempts int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status, c.body, c.attempts
}

// RateLimitWait is how long the call waited out Auth0's rate limit.
func (c *Call) RateLimitWait() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.waited
}

// RateBudget is the rate limit the call's last answer announced.
func (c *Call) RateBudget() RateBudget {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.budget
}

// captureTransport copies the rate limit an answer announces, and the error
// body of a failed answer, cleaned of control sequences, into the Call
// recorded in the request's context, leaving the body readable for go-auth0.
type captureTransport struct{ base http.RoundTripper }

// RoundTrip implements http.RoundTripper.
func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	c := CallFrom(req.Context())
	if c == nil || err != nil {
		return resp, err
	}
	c.mu.Lock()
	c.budget = BudgetOf(resp.Header)
	c.mu.Unlock()
	if resp.StatusCode < 400 {
		return resp, err
	}
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	var body ErrorBody
	_ = json.Unmarshal(raw, &body)
	if body.Message == "" && body.ErrorDescription == "" && body.Error == "" {
		body.Message = strings.TrimSpace(string(raw))
	}
	body.clean()
	c.mu.Lock()
	c.status = resp.StatusCode
	c.body = body
	c.mu.Unlock()
	return resp, nil
}
