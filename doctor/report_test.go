package doctor

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/om-auth0/om-auth0/present"
	"github.com/om-auth0/om-auth0/setup"
	"github.com/om-auth0/om-auth0/steps"
	"github.com/om-auth0/om-auth0/tenant"
)

// The report's text: marks in present's wording, aligned in both
// alphabets; fixes under their check (never under a passed one); the
// checks skipped for want of each credential; the counts.
func TestReportText(t *testing.T) {
	rep := Report{Checks: []Check{
		{ID: IDOMReachable, Status: OK, Message: "OpenMetadata answers", Fix: "not shown"},
		{ID: IDOMProvider, Status: Fail, Message: `the provider is "basic"`, Fix: "run om-auth0 apply"},
		{ID: IDAuth0App, Status: Warn, Message: "found by its name"},
		{ID: IDOMValidate, Status: Skip, Message: "needs an OpenMetadata admin credential", Needs: NeedsOMAdmin},
	}}
	for _, tc := range []struct {
		name string
		st   *present.Styles
		want string
	}{
		{"unicode", present.Plain(false), `✓ om.reachable  OpenMetadata answers
✗ om.provider   the provider is "basic"
                fix: run om-auth0 apply
! auth0.app     found by its name
- om.validate   needs an OpenMetadata admin credential

Skipped for want of an OpenMetadata admin credential (om-auth0 doctor takes --om-token or OM_ADMIN_TOKEN, or --om-admin-email with OM_ADMIN_PASSWORD): om.validate

1 ok, 1 warnings, 1 failed, 1 skipped.
`},
		{"ascii", present.Plain(true), `ok:      om.reachable  OpenMetadata answers
FAILED:  om.provider   the provider is "basic"
                       fix: run om-auth0 apply
warning: auth0.app     found by its name
skipped: om.validate   needs an OpenMetadata admin credential

Skipped for want of an OpenMetadata admin credential (om-auth0 doctor takes --om-token or OM_ADMIN_TOKEN, or --om-admin-email with OM_ADMIN_PASSWORD): om.validate

1 ok, 1 warnings, 1 failed, 1 skipped.
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rep.Text(tc.st); got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
		})
	}
}

// Inputs name what they check, and a run given its answers by a source
// other than a file (the wizard's own) says so in the answers check.
func TestInputsSource(t *testing.T) {
	cfg := &setup.Config{
		Connect: steps.ConnectRequest{Domain: tenant.MustParse("http://127.0.0.1:1")},
		Choices: steps.Choices{OMURL: "http://127.0.0.1:1"},
	}
	// Every request is answered 404 at once: the test is about the answers
	// check, and a refused connection would be retried with real waits.
	notFound := roundTripper(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: http.StatusNotFound, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
	})
	in := Inputs{Config: cfg, Source: "this setup run", HTTPClient: &http.Client{Transport: notFound}}
	if got, want := in.What(), "OpenMetadata at http://127.0.0.1:1 and Auth0 tenant http://127.0.0.1:1"; got != want {
		t.Errorf("What() = %q, want %q", got, want)
	}
	rep := Run(context.Background(), in)
	if c, _ := rep.Check(IDAnswers); c.Status != OK || c.Message != "the answers of this setup run" {
		t.Errorf("answers check = %+v", c)
	}
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
