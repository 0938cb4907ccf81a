package omsim

import (
	"bytes"
	"encoding/json"
	"io"
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
	Path     string
	RawQuery string
	// Credential is what authenticated the request: "none", "token" (a
	// personal access token), "session" (a login token) or "invalid".
	Credential string
	// User is who the credential names ("" when none).
	User string
	// Body is the request body with every secret (client secret, LDAP
	// password, login password) replaced by the mask.
	Body   string
	Status int // 0 when the client got no answer
}

// Fault is a failure to inject into a future request.
type Fault struct {
	// Method matches the request method; "" matches any.
	Method string
	// Path matches the request path exactly, or as a prefix when it ends
	// in "*"; "" matches any.
	Path string
	// Nth picks the Nth matching request after injection (1-based; 0 means 1).
	Nth int
	// Status answers with this status and OpenMetadata's error body
	// {"code","message"} instead of serving.
	Status int
	// RedirectTo answers 307 Temporary Redirect to this URL instead of
	// serving (to check that a client does not carry its token along).
	RedirectTo string
	// Latency delays the request before it is served or failed.
	Latency time.Duration
}

// InjectFault arms f. Each fault fires once; when several are due on the
// same request, the earliest injected fires and the others wait.
func (s *Server) InjectFault(f Fault) {
	s.faults.Arm(simfault.Match{Method: f.Method, Path: f.Path, Nth: f.Nth}, f)
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

func (s *Server) takeFault(r *http.Request) *Fault {
	f, ok := s.faults.Take(r)
	if !ok {
		return nil
	}
	return &f
}

func (s *Server) record(e Request) {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.log = append(s.log, e)
}

// errorBody is OpenMetadata's error body (CatalogGenericExceptionMapper,
// and Dropwizard's mappers for 404, 405, 415 and JSON errors).
type errorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Code: status, Message: msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(mustJSON(v))
}

// mustJSON marshals values built from decoded JSON, which always marshal.
func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte(`{"code":500,"message":"could not encode the answer"}`)
	}
	return b
}

// handler serves a request whose caller has been identified.
type handler func(w http.ResponseWriter, r *http.Request, c caller)

// route is an endpoint: who may call it and since which version it exists.
type route struct {
	method string
	h      handler
	public bool               // no token needed (JwtFilter's excluded endpoints)
	exists func(version) bool // nil: every version
}

// routes lists the endpoints by path; adopt's path has a variable part
// and is matched in match.
func (s *Server) routes() map[string][]route {
	always := func(version) bool { return true }
	db := version.settingsInDatabase
	v21 := version.hasSettingsSource
	return map[string][]route{
		"/api/v1/system/version":           {{method: "GET", h: s.handleVersion, public: true, exists: always}},
		"/api/v1/system/config/jwks":       {{method: "GET", h: s.handleJWKS, public: true, exists: always}},
		"/api/v1/system/config/auth":       {{method: "GET", h: s.handleConfigAuth, public: true, exists: always}},
		"/api/v1/system/config/authorizer": {{method: "GET", h: s.handleConfigAuthorizer, public: true, exists: always}},
		"/api/v1/system/health":            {{method: "GET", h: s.handleHealth, public: true, exists: always}},
		"/api/v1/users/login":              {{method: "POST", h: s.handleLogin, public: true, exists: always}},
		"/api/v1/system/settings":          {{method: "PUT", h: s.handlePutSettings, exists: always}},
		"/api/v1/system/security/config": {
			{method: "GET", h: s.handleGetSecurity, exists: db},
			{method: "PUT", h: s.handlePutSecurity, exists: db},
			{method: "PATCH", h: s.handlePatchSecurity, exists: db},
		},
		"/api/v1/system/security/validate": {{method: "POST", h: s.handleValidate, exists: db}},
		"/api/v1/system/settings/source":   {{method: "GET", h: s.handleSource, exists: v21}},
		adoptPattern:                       {{method: "POST", h: s.handleAdopt, exists: v21}},
	}
}

const adoptPattern = "/api/v1/system/settings/source/{configType}/adopt"

// match finds the routes of a path.
func (s *Server) match(path string) []route {
	rs := s.routes()
	if r, ok := rs[path]; ok {
		return r
	}
	if rest, ok := strings.CutPrefix(path, "/api/v1/system/settings/source/"); ok {
		if t, ok := strings.CutSuffix(rest, "/adopt"); ok && t != "" && !strings.Contains(t, "/") {
			return rs[adoptPattern]
		}
	}
	return nil
}

// serveHTTP applies injected faults, routes like Jersey (unknown path 404,
// wrong method 405, both before authentication), authenticates like
// JwtFilter (401 before the endpoint runs), and logs the request before
// its answer leaves.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	body, ok := readBody(w, r)
	if !ok {
		s.record(Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Credential: "none", Status: http.StatusRequestEntityTooLarge})
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	var candidates []route
	for _, rt := range s.match(r.URL.Path) {
		if rt.exists(s.version) {
			candidates = append(candidates, rt)
		}
	}
	var rt *route
	for i := range candidates {
		if candidates[i].method == r.Method {
			rt = &candidates[i]
		}
	}
	c := caller{kind: "none"}
	if rt == nil || !rt.public || r.Header.Get("Authorization") != "" {
		c = s.identify(r)
	}
	entry := Request{Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery, Credential: c.kind, User: c.user, Body: maskBody(body)}
	lw := &logWriter{ResponseWriter: w, onHeader: func(status int) { entry.Status = status; s.record(entry) }}
	defer lw.finish()

	if f := s.takeFault(r); f != nil {
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				s.record(entry)
				lw.done = true
				return
			}
		}
		switch {
		case f.RedirectTo != "":
			lw.Header().Set("Location", f.RedirectTo)
			lw.WriteHeader(http.StatusTemporaryRedirect)
			return
		case f.Status != 0:
			writeError(lw, f.Status, http.StatusText(f.Status))
			return
		}
	}
	switch {
	case len(candidates) == 0:
		writeError(lw, http.StatusNotFound, "HTTP 404 Not Found")
	case rt == nil:
		writeError(lw, http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed")
	case !rt.public && c.problem != "":
		writeError(lw, http.StatusUnauthorized, c.problem)
	case !rt.public && !c.admin:
		// Every security endpoint calls authorizer.authorizeAdmin.
		writeError(lw, http.StatusForbidden, "Principal: CatalogPrincipal{name='"+c.user+"'} is not admin")
	default:
		rt.h(lw, r, c)
	}
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

func (l *logWriter) finish() {
	if !l.done {
		l.WriteHeader(http.StatusOK)
	}
}

// secretKeys are the names of the fields that hold a secret anywhere in
// a security setting or a login request.
var secretKeys = map[string]bool{"secret": true, "dnAdminPassword": true, "trustStorePassword": true, "spPrivateKey": true, "password": true}

// maskBody is a logged body with every secret masked: fields named in
// secretKeys, and the value of a JSON Patch operation writing one. A body
// that is not JSON is logged as its length only (it could be anything).
func maskBody(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	v, err := decodeValue(b)
	if err != nil {
		return "(" + strconv.Itoa(len(b)) + " bytes, not JSON)"
	}
	return string(mustJSON(maskDeep(v)))
}

func maskDeep(v any) any {
	switch t := v.(type) {
	case object:
		out := make(object, len(t))
		for k, e := range t {
			if s, ok := e.(string); ok && secretKeys[k] && s != "" {
				out[k] = Mask
				continue
			}
			out[k] = maskDeep(e)
		}
		if p, ok := t["path"].(string); ok {
			if _, isOp := t["op"]; isOp {
				last := p[strings.LastIndex(p, "/")+1:]
				if s, isStr := t["value"].(string); isStr && secretKeys[unescapePointer(last)] && s != "" {
					out["value"] = Mask
				}
			}
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = maskDeep(e)
		}
		return out
	default:
		return v
	}
}
