package present

import (
	"context"
	"errors"
	"net"
	"syscall"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/termtext"
)

// ProbeProblem says in a few words why OpenMetadata's version could not be
// read from /api/v1/system/version, so the operator knows whether to fix
// the URL, the network or nothing: refused, no answer, host unknown,
// redirected, or an answer that is not OpenMetadata's; else what went wrong.
func ProbeProblem(err error) string {
	var dns *net.DNSError
	var redirect *auth0http.RedirectError
	var body *auth0http.BodyError
	var timeout *auth0http.TimeoutError
	var netErr net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: nothing listens there (check the URL and port)"
	case errors.As(err, &dns):
		return "host not found (check the URL)"
	case errors.As(err, &timeout), errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "no answer in time (a firewall, or not reachable from here)"
	case errors.As(err, &redirect):
		return "it answered with a redirect (give the URL it redirects to)"
	case errors.As(err, &body):
		return "the answer is not OpenMetadata's (check the URL)"
	}
	return termtext.Clean(auth0http.RootCause(err))
}
