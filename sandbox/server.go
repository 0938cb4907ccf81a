package sandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/om-auth0/om-auth0/internal/simfault"
)

// Request is one entry of the request log.
type Request struct {
	Method   string
	Path     string // r.URL.Path, unescaped
	RawQuery string
	Status   int // 0 when the client got no answer (dropped connection, client gone)
}

// Fault is a failure to inject into a future request. Latency applies
// first; then the first of DropAfterCommit, Redirect, Body and Status that
// is set decides the answer.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the request path exactly, or as a prefix when it ends
	// in "*" ("/api/v2/clients*"); "" matches any.
	Path string
	// RequestBody, when set, matches only requests whose body contains it,
	// such as `"app_type":"spa"` to pick the UI application's create of two
	// sent at once.
	RequestBody string
	// Nth picks the Nth matching request after injection (1-based; 0 means 1).
	Nth int
	// Status answers with this status and an Auth0-style error body
	// (429 with rate limit headers, 500, 503, ...) instead of serving.
	Status int
	// DropAfterCommit serves the request (the write happens) and then
	// closes the connection without answering (over HTTP/2, which a TLS
	// tenant speaks, it resets the request's stream instead). Go's
	// transport may resend an idempotent request (GET) that was dropped on
	// a reused connection, so use it on writes.
	DropAfterCommit bool
	// Latency delays the request before it is served or failed.
	Latency time.Duration

	// Message replaces the message of a Status fault's error body (the
	// error_description of an OAuth error), e.g. HostileText to check that
	// server text is never printed raw.
	Message string
	// Redirect answers with this status (301, 302, 307 or 308) and a
	// Location of RedirectTo followed by the request's path and query,
	// instead of serving the request. Point RedirectTo at a Catcher to see
	// what a client that follows the redirect sends to another host.
	Redirect   int
	RedirectTo string
	// Body answers with a malformed or hostile body instead of serving the
	// request (nothing changes in the tenant). The status is Status, or 200.
	Body BodyKind
	// Size is the length in bytes of a BodyOversized answer (0 means
	// 64 MiB), and of a BodySlow answer (0 means it never ends).
	Size int64
	// Trickle is the pause between the bytes of a BodySlow answer; 0 means
	// the answer stalls after its first byte until the client gives up.
	Trickle time.Duration
}

// InjectFault arms f. Each fault fires once; when several are due on the
// same request, the earliest injected fires and the others wait for the
// next matching request.
func (s *Server) InjectFault(f Fault) {
	s.faults.Arm(simfault.Match{Method: f.Method, Path: f.Path, Body: f.RequestBody, Nth: f.Nth}, f)
}

// Requests returns the request log, oldest first.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return slices.Clone(s.log)
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = nil
}

// takeFault counts r against every armed fault it matches and returns the
// fault due now, if any.
func (s *Server) takeFault(r *http.Request) *Fault {
	f, ok := s.faults.Take(r)
	if !ok {
		return nil
	}
	return &f
}

func (s *Server) record(r *http.Request, status int) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = append(s.log, Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Status: status})
}

// routes is the tenant's HTTP surface.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /oauth/token", s.handleToken)
	mux.HandleFunc("GET /.well-known/jwks.json", s.handleJWKS)
	mux.HandleFunc("GET /.well-known/openid-configuration", s.handleDiscovery)
	mux.HandleFunc("GET /authorize", s.handleAuthorize)

	api := func(pattern string, scopes []string, h apiHandler) { mux.Handle(pattern, s.api(scopes, h)) }
	api("GET /api/v2/clients", scopesReadClients, s.listClients)
	api("POST /api/v2/clients", scopesCreateClients, s.createClient)
	api("GET /api/v2/clients/{id}", scopesReadClients, s.getClient)
	api("PATCH /api/v2/clients/{id}", scopesUpdateClients, s.patchClient)
	api("DELETE /api/v2/clients/{id}", scopesDeleteClients, s.deleteClient)
	api("POST /api/v2/clients/{id}/rotate-secret", scopesRotateSecret, s.rotateSecret)
	api("GET /api/v2/client-grants", scopesReadGrants, s.listGrants)
	api("POST /api/v2/client-grants", scopesCreateGrants, s.createGrant)
	api("GET /api/v2/client-grants/{id}", scopesReadGrants, s.getGrant)
	api("PATCH /api/v2/client-grants/{id}", scopesUpdateGrants, s.patchGrant)
	api("DELETE /api/v2/client-grants/{id}", scopesDeleteGrants, s.deleteGrant)
	api("GET /api/v2/resource-servers", scopesReadAPIs, s.listAPIs)
	api("GET /api/v2/resource-servers/{id}", scopesReadAPIs, s.getAPI)
	api("GET /api/v2/tenants/settings", scopesReadTenant, s.getTenantSettings)
	api("/api/v2/", nil, func(w http.ResponseWriter, _ *http.Request, _ *accessToken) {
		writeAPIError(w, http.StatusNotFound, "Not Found", "not_found")
	})
	return mux
}

// apiHandler serves an authenticated Management API request.
type apiHandler func(w http.ResponseWriter, r *http.Request, tok *accessToken)

// api wraps a Management API endpoint: rate limit, bearer token, then the
// endpoint's scopes (any of them).
func (s *Server) api(scopes []string, h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.admit(w) {
			return
		}
		tok, err := s.authenticate(r)
		if err != nil {
			err.write(w)
			return
		}
		if len(scopes) > 0 && !tok.hasAny(scopes...) {
			insufficientScope(scopes).write(w)
			return
		}
		h(w, r, tok)
	})
}

// insufficientScope is Auth0's 403: every accepted scope, comma-joined
// without spaces [ISSUE auth0-cli#538: "Insufficient scope, expected any of: read:grants";
// ISSUE raster-foundry#2030: "expected any of: read:users,read:current_user,read:user_idp_tokens"].
func insufficientScope(scopes []string) *apiError {
	return newAPIError(http.StatusForbidden, "Insufficient scope, expected any of: "+strings.Join(scopes, ","), "insufficient_scope")
}

// serveHTTP applies injected faults, serves, and logs the request before
// its answer leaves, so that a client that got the answer sees the log entry.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.takeFault(r)
	if f != nil && f.Latency > 0 {
		t := time.NewTimer(f.Latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			s.record(r, 0)
			return
		}
	}
	switch {
	case f != nil && f.DropAfterCommit:
		s.mux.ServeHTTP(&discardWriter{header: http.Header{}}, r)
		s.record(r, 0)
		if hj, ok := w.(http.Hijacker); ok {
			if conn, _, err := hj.Hijack(); err == nil {
				_ = conn.Close()
				return
			}
		}
		// HTTP/2 (a TLS tenant) cannot hijack: abort the stream instead,
		// which the client sees as a lost answer, as it does a dropped connection.
		panic(http.ErrAbortHandler)
	case f != nil && f.Redirect != 0:
		s.record(r, f.Redirect)
		writeRedirect(w, r, f)
	case f != nil && f.Body != BodyServed:
		s.writeBodyFault(w, r, f)
	case f != nil && f.Status != 0:
		s.record(r, f.Status)
		s.writeFault(w, r, f.Status, f.Message)
	default:
		lw := &logWriter{ResponseWriter: w, onHeader: func(status int) { s.record(r, status) }}
		s.mux.ServeHTTP(lw, r)
		lw.finish()
	}
}

// writeFault answers an injected failure the way Auth0 would: Management
// API error bodies under /api/v2, OAuth error bodies elsewhere.
func (s *Server) writeFault(w http.ResponseWriter, r *http.Request, status int, message string) {
	if status == http.StatusTooManyRequests {
		limit := defaultBurst
		if s.limiter != nil {
			limit = int(s.limiter.burst)
		}
		h := w.Header()
		h.Set("X-Ratelimit-Limit", strconv.Itoa(limit))
		h.Set("X-Ratelimit-Remaining", "0")
		h.Set("X-Ratelimit-Reset", strconv.FormatInt(s.now().Add(time.Second).Unix(), 10))
	}
	if strings.HasPrefix(r.URL.Path, "/api/v2/") {
		msg, code := http.StatusText(status), strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_")
		if status == http.StatusTooManyRequests {
			msg = "Global limit has been reached"
		}
		if message != "" {
			msg = message
		}
		writeAPIError(w, status, msg, code)
		return
	}
	code := "server_error"
	switch status {
	case http.StatusTooManyRequests:
		code = "too_many_requests"
	case http.StatusServiceUnavailable:
		code = "temporarily_unavailable"
	}
	desc := http.StatusText(status)
	if message != "" {
		desc = message
	}
	writeOAuthError(w, status, oauthError{Error: code, Description: desc})
}

// logWriter records the status when the handler writes the header.
type logWriter struct {
	http.ResponseWriter
	onHeader func(int)
	done     bool
}

func (l *logWriter) WriteHeader(status int) {
	if !l.done {
		l.done = true
		l.onHeader(status)
	}
	l.ResponseWriter.WriteHeader(status)
}

func (l *logWriter) Write(b []byte) (int, error) {
	if !l.done {
		l.WriteHeader(http.StatusOK)
	}
	return l.ResponseWriter.Write(b)
}

// finish logs a handler that wrote nothing (net/http answers 200).
func (l *logWriter) finish() {
	if !l.done {
		l.WriteHeader(http.StatusOK)
	}
}

// discardWriter swallows the answer of a request whose connection is dropped.
type discardWriter struct{ header http.Header }

func (d *discardWriter) Header() http.Header         { return d.header }
func (d *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d *discardWriter) WriteHeader(int)             {}
