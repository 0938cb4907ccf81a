package steps

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/auth0/go-auth0/management"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/termtext"
)

// Where an operator grants Management API scopes, and gets a new API token.
const (
	whereM2M      = "Applications > APIs > Auth0 Management API > Machine To Machine Applications"
	whereAPIToken = "Applications > APIs > Auth0 Management API > API Explorer"
	rerunHint     = "the run is idempotent: running it again picks up where it stopped"
)

// op describes one Management API call for error translation.
type op struct {
	Name         string // e.g. `create application "OpenMetadata"`
	Scope        string // the scope the call needs
	NotFound     string // what a 404 means here; empty for a generic text
	NotFoundHint string
	// Rerun says what running again does after this call failed; empty
	// for rerunHint, which is true of the steps' writes but not of a call
	// that starts over, like the listing.
	Rerun string
	// Read says the call changes nothing, so an interrupted one left nothing behind.
	Read bool
}

func (o op) rerun() string { return firstNonEmpty(o.Rerun, rerunHint) }

// do runs one Management API call and turns its failure into an *Error.
func (s *Session) do(ctx context.Context, o op, fn func(ctx context.Context) error) error {
	ctx, c := auth0http.WithCall(ctx)
	if err := fn(ctx); err != nil {
		return s.translate(o, c, err)
	}
	return nil
}

var expectedScopes = regexp.MustCompile(`expected (?:any|all) of:\s*([a-z_:, ]+)`)

// translate explains a failed Management API call: what it means for the
// operator and what to do, keeping Auth0's own status, code and message.
func (s *Session) translate(o op, c *auth0http.Call, err error) error {
	e := &Error{Op: o.Name, Err: err}
	if ce := contextError(err); ce != nil {
		if o.Read {
			return ce.read(o.Name, o.rerun())
		}
		return ce.with(o.Name, o.rerun())
	}
	status, body, attempts := c.Snapshot()
	var mErr management.Error
	if errors.As(err, &mErr) && status == 0 {
		status = mErr.Status()
		if _, msg, ok := strings.Cut(mErr.Error(), ": "); ok {
			body.Message = termtext.Clean(msg)
		}
	}
	if status == 0 {
		// Also a redirect, or a 2xx answer whose body is unusable.
		return s.networkError(o.Name, o.rerun(), err)
	}
	e.Status = status
	e.Code = firstNonEmpty(body.ErrorCode, body.Error)
	e.Auth0Message = firstNonEmpty(body.Message, body.ErrorDescription)
	msg := e.Auth0Message
	switch {
	case status == http.StatusUnauthorized:
		e.Meaning = "Auth0 refused the Management API token (" + msg + ")"
		if s.apiToken {
			e.Hint = "the API token expired or was revoked: create a new one under " + whereAPIToken
		} else {
			e.Hint = "connect again to get a fresh token; if that fails, check the client id and secret"
		}
	case status == http.StatusForbidden && (e.Code == "insufficient_scope" || strings.Contains(strings.ToLower(msg), "insufficient scope")):
		scopes := o.Scope
		if m := expectedScopes.FindStringSubmatch(msg); m != nil {
			scopes = strings.Join(strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }), " or ")
		}
		e.Code = "insufficient_scope"
		e.Meaning, e.Hint = s.lacks(scopes)
	case status == http.StatusForbidden:
		e.Meaning = "Auth0 does not allow it: " + msg
		e.Hint = "check the permissions of " + s.subject() + " under " + s.where()
	case status == http.StatusNotFound:
		e.Meaning = firstNonEmpty(o.NotFound, "it does not exist in tenant "+s.domain.Host+": "+msg)
		e.Hint = firstNonEmpty(o.NotFoundHint, "it may have been deleted meanwhile; "+o.rerun())
	case status == http.StatusConflict:
		e.Meaning = "it already exists: " + msg
		e.Hint = o.rerun() + ", and finds the existing one"
	case status == http.StatusBadRequest:
		e.Meaning = "Auth0 rejected the request: " + msg
		e.Hint = "check the values (the OpenMetadata URL must be an absolute http(s) URL); if they are right, report this with the --json output"
	case status == http.StatusTooManyRequests:
		e.Meaning = fmt.Sprintf("Auth0's rate limit was still exceeded after %d attempts", max(attempts, 1))
		if w := c.RateLimitWait(); w > 0 {
			e.Meaning += fmt.Sprintf(" over %s", w.Round(time.Millisecond))
		}
		e.Hint = "other clients may be spending the tenant's Management API budget: wait a minute and run again; " + o.rerun()
	case status >= 500:
		e.Meaning = fmt.Sprintf("Auth0 failed with %d %s", status, firstNonEmpty(msg, http.StatusText(status)))
		e.Hint = "try again in a moment (see status.auth0.com); " + o.rerun()
	default:
		e.Meaning = fmt.Sprintf("Auth0 answered %d: %s", status, msg)
		e.Hint = o.rerun()
	}
	return e
}

// lacks names a missing scope, the application that lacks it, and where to grant it.
func (s *Session) lacks(scope string) (meaning, hint string) {
	meaning = s.subject() + " lacks " + scope
	if s.apiToken {
		return meaning, "create a token with it under " + whereAPIToken + ", or connect with a Machine-to-Machine application's client id and secret"
	}
	return meaning, "grant it under " + whereM2M + ", then run again"
}

// subject is who holds the Management API credentials.
func (s *Session) subject() string {
	if s.apiToken {
		return "the Management API token"
	}
	return fmt.Sprintf("the Management API application %q", s.clientID)
}

func (s *Session) where() string {
	if s.apiToken {
		return whereAPIToken
	}
	return whereM2M
}

// networkError is a call that got no answer at all, or none om-auth0 can
// use: a redirect it does not follow, or a successful answer whose body is
// too large, empty or not JSON. rerun says what running again does.
func (s *Session) networkError(opName, rerun string, err error) *Error {
	var (
		te       *auth0http.TimeoutError
		redirect *auth0http.RedirectError
		body     *auth0http.BodyError
	)
	if errors.As(err, &redirect) {
		// Running again meets the same redirect: the domain is what to fix.
		return &Error{Op: opName, Err: err, Status: redirect.Status, Meaning: redirect.Error()}
	}
	if errors.As(err, &body) {
		return &Error{Op: opName, Err: err, Status: body.Status, Meaning: body.Error(), Hint: rerun}
	}
	if errors.As(err, &te) {
		return &Error{Op: opName, Err: err,
			Meaning: fmt.Sprintf("Auth0 did not answer within %s", te.After),
			Hint:    "try again in a moment; " + rerun}
	}
	if meaning, hint, ok := tlsProblem(s.domain.Host, err); ok {
		// The request never left this computer: nothing to rerun for.
		return &Error{Op: opName, Err: err, Meaning: meaning, Hint: hint}
	}
	return &Error{Op: opName, Err: err,
		Meaning: "could not reach " + s.domain.String() + ": " + termtext.Clean(auth0http.RootCause(err)),
		Hint:    "check the tenant domain, your network and any proxy (HTTPS_PROXY); " + rerun}
}

// tlsProblem explains a failed TLS connection to host: a certificate this
// computer does not trust (most often a proxy that inspects TLS), one for
// another name, an invalid one, or a server without TLS at all.
func tlsProblem(host string, err error) (meaning, hint string, ok bool) {
	var (
		hostname  x509.HostnameError
		unknown   x509.UnknownAuthorityError
		invalid   x509.CertificateInvalidError
		proxyHint = "a proxy or firewall that inspects TLS can cause this: add its CA certificate to this computer's trust store " +
			"(on Linux, SSL_CERT_FILE can name a PEM file holding it)"
	)
	cause := termtext.Clean(auth0http.RootCause(err)) // a certificate's names are the server's text
	switch {
	case errors.As(err, &hostname):
		return fmt.Sprintf("the TLS certificate of %s is for another name (%s)", host, cause),
			"check the tenant domain (Settings > General shows it, like acme.us.auth0.com); " + proxyHint, true
	case errors.As(err, &unknown), strings.Contains(cause, "certificate is not trusted"):
		return fmt.Sprintf("the TLS certificate of %s is not trusted (%s)", host, cause),
			proxyHint + "; otherwise check the tenant domain", true
	case errors.As(err, &invalid):
		return fmt.Sprintf("the TLS certificate of %s is invalid (%s)", host, cause),
			"check this computer's clock and the tenant domain; " + proxyHint, true
	case errors.Is(err, http.ErrSchemeMismatch):
		return host + " answers plain http, not https",
			"Auth0 tenants speak https; for a loopback test server give the domain as http://" + host, true
	}
	return "", "", false
}

// contextErr is the operator's interrupt or the caller's deadline.
type contextErr struct{ err error }

func contextError(err error) *contextErr {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		var te *auth0http.TimeoutError
		if errors.As(err, &te) {
			return nil // one attempt timed out, not the caller's context
		}
		return &contextErr{err: err}
	}
	return nil
}

func (c *contextErr) with(opName, rerun string) *Error {
	if errors.Is(c.err, context.Canceled) {
		return &Error{Op: opName, Err: c.err, Meaning: "interrupted before Auth0 answered",
			Hint: "it may or may not have been applied; " + rerun}
	}
	return &Error{Op: opName, Err: c.err, Meaning: "ran out of time before Auth0 answered",
		Hint: "it may or may not have been applied; " + rerun}
}

// read is the interrupt of a call that changes nothing.
func (c *contextErr) read(opName, rerun string) *Error {
	e := c.with(opName, rerun)
	e.Hint = rerun
	return e
}

// answerLost reports whether a write failed in a way that leaves open whether
// Auth0 committed it: no answer, a 5xx, or a 2xx whose body is unusable. A
// redirect is not: the tenant's host did not take the request.
func answerLost(ctx context.Context, err error) bool {
	var (
		e        *Error
		body     *auth0http.BodyError
		redirect *auth0http.RedirectError
	)
	if ctx.Err() != nil || !errors.As(err, &e) || contextError(e.Err) != nil || errors.As(err, &redirect) {
		return false
	}
	return e.Status == 0 || e.Status >= 500 || errors.As(err, &body)
}

// isStatus reports whether err is an *Error with the given Auth0 status.
func isStatus(err error, status int) bool {
	var e *Error
	return errors.As(err, &e) && e.Status == status
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// cleanList is termtext.Clean of every entry of a list Auth0 answered.
func cleanList(in []string) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = termtext.Clean(v)
	}
	return out
}
