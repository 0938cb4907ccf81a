package auth0http

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/om-auth0/om-auth0/termtext"
)

// MaxBody caps every answer body om-auth0 reads from Auth0 or OpenMetadata.
// The largest real answer, a page of 100 applications, is far below it; a
// larger one comes from something else answering for the server, and
// reading it whole could exhaust memory.
const MaxBody = 16 << 20

// maxRedirects caps the same-host redirects of a request without credentials.
const maxRedirects = 5

type publicKey struct{}

// WithoutCredentials marks the requests of ctx as carrying no credential (a
// discovery document, a JWKS, OpenMetadata's version), so that they follow
// redirects within the same host. Every other request follows none.
func WithoutCredentials(ctx context.Context) context.Context {
	return context.WithValue(ctx, publicKey{}, true)
}

// mayFollow reports whether req may follow a redirect to loc. A request
// that carries a credential (a Management API token, a client secret in a
// Basic header or a form body) follows none: http.Client would send the
// body of a 307 or 308 again, and go-auth0's token transport sets the
// Authorization header on every request it sends, the redirected one
// included, whatever the host. A request without credentials follows
// redirects within the same host name only, never from https to http:
// servers move a document on their own host, and another host is not the
// tenant or the OpenMetadata the operator named.
func mayFollow(req *http.Request, loc *url.URL) bool {
	return !carriesCredentials(req) && sameHost(req.URL, loc)
}

// carriesCredentials reports whether req may carry a credential: it does
// unless its context says it does not and it has no Authorization header.
func carriesCredentials(req *http.Request) bool {
	public, _ := req.Context().Value(publicKey{}).(bool)
	return !public || req.Header.Get("Authorization") != ""
}

func sameHost(from, to *url.URL) bool {
	if to == nil || !strings.EqualFold(from.Hostname(), to.Hostname()) {
		return false
	}
	return to.Scheme == from.Scheme || from.Scheme == "http" && to.Scheme == "https"
}

// sameHostRedirects is the CheckRedirect of NewClient's clients: at most
// five redirects of a request without credentials, within its first host,
// as mayFollow explains. redirectTransport refuses the others first; this
// also holds a chain of redirects to its first host.
func sameHostRedirects(server string) func(req *http.Request, via []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0]
		if len(via) <= maxRedirects && mayFollow(first, req.URL) && !carriesCredentials(req) {
			return nil
		}
		e := &RedirectError{Server: server, Method: first.Method, Path: pathOf(first), Location: req.URL.String(),
			Credentials: carriesCredentials(first), TooMany: len(via) > maxRedirects}
		if req.Response != nil {
			e.Status = req.Response.StatusCode
		}
		return e
	}
}

// RedirectError is an answer that sends the request to another address,
// which om-auth0 did not follow.
type RedirectError struct {
	Server       string // who answered: "Auth0" or "OpenMetadata"
	Status       int    // 301, 302, 303, 307 or 308
	Method, Path string // the request
	Location     string // where the answer pointed, cleaned for printing; "" when it named nowhere
	// Credentials says the request carried a credential: then no redirect
	// is followed; without one, only those within the same host.
	Credentials bool
	// TooMany says the request was redirected more than five times.
	TooMany bool
}

// Error names the redirect target and what to check.
func (e *RedirectError) Error() string {
	to := e.Location
	if to == "" {
		to = "nowhere (no Location)"
	}
	check := "check the tenant domain"
	if e.Server != "Auth0" {
		check = "check the " + e.Server + " URL"
	}
	switch {
	case e.Credentials:
		return fmt.Sprintf("%s answered %d redirecting to %s; om-auth0 does not follow redirects with credentials: %s", e.Server, e.Status, to, check)
	case e.TooMany:
		return fmt.Sprintf("%s answered %d redirecting to %s after %d redirects; om-auth0 follows at most %d: %s", e.Server, e.Status, to, maxRedirects, maxRedirects, check)
	}
	return fmt.Sprintf("%s answered %d redirecting to %s; om-auth0 follows redirects only within the same host: %s", e.Server, e.Status, to, check)
}

// BodyProblem is what is wrong with a successful answer's body.
type BodyProblem int

// The body problems.
const (
	// BodyTooLarge is a body of more than MaxBody bytes.
	BodyTooLarge BodyProblem = iota + 1
	// BodyEmpty is no body where a JSON document was due.
	BodyEmpty
	// BodyNull is the JSON literal null.
	BodyNull
	// BodyNotJSON is a body that is not a JSON object or array (an HTML
	// page from a proxy, a cut JSON document, a bare string or number).
	BodyNotJSON
	// BodyEmptyObject is {} where a resource was due: go-auth0 then leaves
	// its result nil.
	BodyEmptyObject
)

// BodyError is a successful (2xx) answer whose body om-auth0 cannot use.
type BodyError struct {
	Server       string // "Auth0" or "OpenMetadata"
	Status       int
	Method, Path string
	Problem      BodyProblem
	ContentType  string // of a BodyNotJSON answer, cleaned for printing
}

// Error says what came back, and what to check.
func (e *BodyError) Error() string {
	var what string
	switch e.Problem {
	case BodyTooLarge:
		what = fmt.Sprintf("%s's answer to %s %s is larger than %d MiB", e.Server, e.Method, e.Path, MaxBody>>20)
	case BodyEmpty:
		what = fmt.Sprintf("%s answered %s %s with %d and an empty body", e.Server, e.Method, e.Path, e.Status)
	case BodyNull:
		what = fmt.Sprintf("%s answered %s %s with %d and null", e.Server, e.Method, e.Path, e.Status)
	case BodyEmptyObject:
		what = fmt.Sprintf("%s answered %s %s with %d and an empty JSON object", e.Server, e.Method, e.Path, e.Status)
	default:
		ct := e.ContentType
		if ct == "" {
			ct = "no content type"
		}
		what = fmt.Sprintf("%s answered %s %s with %d and a body that is not JSON (%s)", e.Server, e.Method, e.Path, e.Status, ct)
	}
	check := "check the tenant domain and any proxy (HTTPS_PROXY)"
	if e.Server != "Auth0" {
		check = "check the " + e.Server + " URL and any proxy (HTTPS_PROXY)"
	}
	return what + "; something other than " + e.Server + " may be answering (a proxy, a captive portal): " + check
}

// NoResult is the error of a call whose successful answer decoded to
// nothing (go-auth0 leaves its result nil when Auth0 answers {}).
func NoResult(method, path string) error {
	return &BodyError{Server: "Auth0", Status: http.StatusOK, Method: method, Path: path, Problem: BodyEmptyObject}
}

// redirectTransport turns every redirect the request may not follow (see
// mayFollow) into a *RedirectError before http.Client sees it: go-auth0
// builds its own http.Client around the transport and drops CheckRedirect.
type redirectTransport struct {
	base   http.RoundTripper
	server string
}

// RoundTrip implements http.RoundTripper.
func (t *redirectTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || !isRedirect(resp.StatusCode) {
		return resp, err
	}
	loc, lerr := resp.Location()
	if lerr == nil && mayFollow(req, loc) {
		return resp, nil
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	resp.Body.Close()
	e := &RedirectError{Server: t.server, Status: resp.StatusCode, Method: req.Method, Path: pathOf(req), Credentials: carriesCredentials(req)}
	switch {
	case lerr == nil:
		e.Location = loc.String()
	case errors.Is(lerr, http.ErrNoLocation):
	default:
		e.Location = termtext.Clean(resp.Header.Get("Location"))
	}
	return nil, e
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// readAnswer reads a successful answer's body whole, at most MaxBody bytes,
// and checks that it is a JSON object or array (or nothing, where nothing
// is due: 204, 205, HEAD, DELETE), so that no caller decodes a body that
// is too large, empty, null or not JSON. It closes the body; the returned
// one reads from memory. A read that fails (a cut connection, the
// request's timeout on a slow body) returns the read's error.
func readAnswer(server string, req *http.Request, resp *http.Response) (*http.Response, error) {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp, nil
	}
	defer resp.Body.Close()
	fail := func(p BodyProblem) (*http.Response, error) {
		e := &BodyError{Server: server, Status: resp.StatusCode, Method: req.Method, Path: pathOf(req), Problem: p}
		if p == BodyNotJSON {
			e.ContentType = termtext.Clean(resp.Header.Get("Content-Type"))
		}
		return nil, e
	}
	if resp.ContentLength > MaxBody {
		return fail(BodyTooLarge)
	}
	raw, err := readCapped(resp.Body, resp.ContentLength)
	if err != nil {
		return nil, fmt.Errorf("read %s's answer to %s %s: %w", server, req.Method, pathOf(req), err)
	}
	if len(raw) > MaxBody {
		return fail(BodyTooLarge)
	}
	body := bytes.TrimSpace(raw)
	switch {
	case len(body) == 0:
		if resp.StatusCode != http.StatusNoContent && resp.StatusCode != http.StatusResetContent &&
			req.Method != http.MethodHead && req.Method != http.MethodDelete {
			return fail(BodyEmpty)
		}
	case bytes.Equal(body, []byte("null")):
		return fail(BodyNull)
	case body[0] != '{' && body[0] != '[' || !json.Valid(body):
		return fail(BodyNotJSON)
	}
	resp.Body = io.NopCloser(bytes.NewReader(raw))
	resp.ContentLength = int64(len(raw))
	return resp, nil
}

// readCapped reads r to its end, or to one byte past MaxBody, whichever
// comes first. The buffer starts at the declared length (size, -1 when
// unknown) and doubles up to MaxBody+1, no further, so that an oversized
// answer costs about twice the cap.
func readCapped(r io.Reader, size int64) ([]byte, error) {
	const limit = MaxBody + 1
	buf := make([]byte, 0, min(max(size+1, 4<<10), limit))
	for {
		if len(buf) == cap(buf) {
			if len(buf) == limit {
				return buf, nil
			}
			grown := make([]byte, len(buf), min(2*cap(buf), limit))
			copy(grown, buf)
			buf = grown
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// pathOf is the path req asks for, as errors name it.
func pathOf(req *http.Request) string {
	if req.URL.Path == "" {
		return "/"
	}
	return req.URL.Path
}
