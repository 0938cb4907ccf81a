package steps_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// TestNoCredentialFollowsARedirect answers a redirect to another host on
// each request that carries a credential: the client-credentials token
// (HTTP Basic, and the form-body fallback after Basic is refused),
// Management API reads and writes (the bearer token), and the service
// account's token requests during verification. Each fails naming the
// redirect target, and nothing — no Authorization header, no body, no
// secret — reaches the other host.
func TestNoCredentialFollowsARedirect(t *testing.T) {
	type when struct {
		faults []sandbox.Fault // RedirectTo is filled in with the catcher
		run    func(t *testing.T, tt *tenantUnderTest) error
	}
	connect := func(t *testing.T, tt *tenantUnderTest) error {
		_, err := steps.Connect(context.Background(), tt.req, testOptions())
		return err
	}
	connected := func(call func(s *steps.Session) error) func(t *testing.T, tt *tenantUnderTest) error {
		return func(t *testing.T, tt *tenantUnderTest) error { return call(tt.connect(t)) }
	}
	redirect := func(method, path string, status int) sandbox.Fault {
		return sandbox.Fault{Method: method, Path: path, Redirect: status}
	}
	tests := map[string]when{
		"token with Basic, 307": {[]sandbox.Fault{redirect("POST", "/oauth/token", 307)}, connect},
		"token with Basic, 308": {[]sandbox.Fault{redirect("POST", "/oauth/token", 308)}, connect},
		"token with Basic, 302": {[]sandbox.Fault{redirect("POST", "/oauth/token", 302)}, connect},
		"token form fallback after Basic is refused, 307": {[]sandbox.Fault{
			{Method: "POST", Path: "/oauth/token", Status: http.StatusUnauthorized}, redirect("POST", "/oauth/token", 307)}, connect},
		"tenant settings, 301": {[]sandbox.Fault{redirect("GET", "/api/v2/tenants/settings", 301)}, func(t *testing.T, tt *tenantUnderTest) error {
			_, err := steps.Connect(context.Background(), tt.apiTokenReq(t), testOptions())
			return err
		}},
		"list applications, 307": {[]sandbox.Fault{redirect("GET", "/api/v2/clients", 307)}, connected(func(s *steps.Session) error {
			_, err := s.ListApps(context.Background())
			return err
		})},
		"Management API scopes, 308": {[]sandbox.Fault{redirect("GET", "/api/v2/resource-servers/*", 308)}, connected(func(s *steps.Session) error {
			_, err := s.ManagementAPIScopes(context.Background())
			return err
		})},
		"create application, 307": {[]sandbox.Fault{redirect("POST", "/api/v2/clients", 307)}, connected(func(s *steps.Session) error {
			p, err := s.PlanUIApp(context.Background(), choices(openmetadata.Public, steps.Skip))
			if err != nil {
				return err
			}
			_, err = s.ApplyUIApp(context.Background(), p)
			return err
		})},
	}
	for name, w := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			catcher := sandbox.NewTestCatcher(t)
			apps := len(tt.Clients())
			status := 0
			for _, f := range w.faults {
				if f.Redirect != 0 {
					f.RedirectTo, status = catcher.URL(), f.Redirect
				}
				tt.InjectFault(f)
			}
			err := w.run(t, tt)
			wantRedirectRefused(t, err, catcher, status, tt.req.ClientSecret)
			if n := len(tt.Clients()); n != apps {
				t.Errorf("the tenant holds %d applications, want the %d it held", n, apps)
			}
		})
	}

	t.Run("verification token requests", func(t *testing.T) {
		tt := newTenant(t, sandbox.WizardScopes)
		catcher := sandbox.NewTestCatcher(t)
		c := choices(openmetadata.Public, steps.Separate) // OpenMetadata 1.0: Basic and the legacy form are both checked
		s := tt.connect(t)
		r := runSetup(t, s, c)
		for range 2 {
			tt.InjectFault(sandbox.Fault{Method: "POST", Path: "/oauth/token", Redirect: 307, RedirectTo: catcher.URL()})
		}
		v := s.Verify(context.Background(), c, r.ui, r.sa)
		for _, name := range []string{steps.CheckTokenBasic, steps.CheckTokenForm} {
			check, ok := checkNamed(v, name)
			if !ok || check.OK || !strings.Contains(check.Detail, "redirecting to "+catcher.URL()) {
				t.Errorf("check %q = %+v, want it failed naming the redirect to %s", name, check, catcher.URL())
			}
		}
		wantNothingCaught(t, catcher, r.sa.App.ClientSecret)
	})

	// With client credentials the token request has vouched for the tenant
	// and the tenant's name is read in the background: a redirect there
	// costs the name only, and is not followed.
	t.Run("tenant settings in the background, 301", func(t *testing.T) {
		tt := newTenant(t, sandbox.WizardScopes)
		catcher := sandbox.NewTestCatcher(t)
		tt.InjectFault(sandbox.Fault{Method: "GET", Path: "/api/v2/tenants/settings", Redirect: 301, RedirectTo: catcher.URL()})
		s, err := steps.Connect(context.Background(), tt.req, testOptions())
		if err != nil {
			t.Fatal(err)
		}
		if _, name := s.Tenant(); name != "" {
			t.Errorf("tenant name %q after a redirect, want none", name)
		}
		wantNothingCaught(t, catcher, tt.req.ClientSecret)
	})
}

func checkNamed(v steps.Verification, name string) (steps.Check, bool) {
	for _, c := range v.Checks {
		if c.Name == name {
			return c, true
		}
	}
	return steps.Check{}, false
}

// wantRedirectRefused checks that err is an Auth0 error naming the redirect
// to the catcher, and that the catcher got nothing.
func wantRedirectRefused(t *testing.T, err error, catcher *sandbox.Catcher, status int, secret string) {
	t.Helper()
	var e *steps.Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v (%T), want a *steps.Error", err, err)
	}
	msg := err.Error()
	if e.Status != status || !strings.Contains(msg, fmt.Sprintf("Auth0 answered %d redirecting to %s/", status, catcher.URL())) ||
		!strings.Contains(msg, "om-auth0 does not follow redirects with credentials: check the tenant domain") {
		t.Errorf("error %q (status %d), want status %d and the redirect to %s named", msg, e.Status, status, catcher.URL())
	}
	wantNothingCaught(t, catcher, secret)
}

func wantNothingCaught(t *testing.T, catcher *sandbox.Catcher, secrets ...string) {
	t.Helper()
	for _, r := range catcher.Requests() {
		t.Errorf("the other host received %s %s, Authorization %q, body %q", r.Method, r.Path, r.Header.Get("Authorization"), r.Body)
	}
	for _, s := range secrets {
		if catcher.Saw(s) {
			t.Errorf("the other host saw the secret %q", s)
		}
	}
}

// TestUnusableAnswersAreAuth0Errors answers a 200 whose body is null,
// empty, an HTML page or larger than 16 MiB to each read the steps make:
// each is an *Error with status 200 that names the request and what to
// check, never a panic.
func TestUnusableAnswersAreAuth0Errors(t *testing.T) {
	kinds := map[string]struct {
		fault sandbox.Fault
		says  string // after "Auth0 answered GET /path"
	}{
		"null":      {sandbox.Fault{Body: sandbox.BodyNull}, " with 200 and null"},
		"empty":     {sandbox.Fault{Body: sandbox.BodyEmpty}, " with 200 and an empty body"},
		"HTML":      {sandbox.Fault{Body: sandbox.BodyNotJSON}, " with 200 and a body that is not JSON (text/html"},
		"oversized": {sandbox.Fault{Body: sandbox.BodyOversized, Size: 20 << 20}, " is larger than 16 MiB"},
	}
	reads := map[string]struct {
		method, path string // the request the fault answers
		run          func(t *testing.T, tt *tenantUnderTest) error
	}{
		"token": {"POST", "/oauth/token", func(t *testing.T, tt *tenantUnderTest) error {
			_, err := steps.Connect(context.Background(), tt.req, testOptions())
			return err
		}},
		"tenant settings": {"GET", "/api/v2/tenants/settings", func(t *testing.T, tt *tenantUnderTest) error {
			_, err := steps.Connect(context.Background(), tt.apiTokenReq(t), testOptions())
			return err
		}},
		"application list": {"GET", "/api/v2/clients", func(t *testing.T, tt *tenantUnderTest) error {
			_, err := tt.connect(t).ListApps(context.Background())
			return err
		}},
		"application by id": {"GET", "/api/v2/clients/*", func(t *testing.T, tt *tenantUnderTest) error {
			c := choices(openmetadata.Public, steps.Skip)
			c.AppID = tt.seededApp
			_, err := tt.connect(t).PlanUIApp(context.Background(), c)
			return err
		}},
		"Management API scopes": {"GET", "/api/v2/resource-servers/*", func(t *testing.T, tt *tenantUnderTest) error {
			_, err := tt.connect(t).ManagementAPIScopes(context.Background())
			return err
		}},
		"client grants": {"GET", "/api/v2/client-grants", func(t *testing.T, tt *tenantUnderTest) error {
			s := tt.connect(t)
			c := choices(openmetadata.Public, steps.Separate)
			c.BotAppName = "Existing bot"
			_, err := s.PlanServiceAccount(context.Background(), c, nil)
			return err
		}},
	}
	for kind, k := range kinds {
		for read, r := range reads {
			t.Run(kind+"/"+read, func(t *testing.T) {
				tt := newTenant(t, sandbox.WizardScopes)
				id, err := tt.SeedApp("Existing bot", "", "non_interactive")
				if err != nil {
					t.Fatal(err)
				}
				tt.seededApp = id
				f := k.fault
				f.Method, f.Path = r.method, r.path
				tt.InjectFault(f)
				err = r.run(t, tt)
				var e *steps.Error
				if !errors.As(err, &e) || e.Status != http.StatusOK {
					t.Fatalf("err = %v (%T), want a *steps.Error with status 200", err, err)
				}
				path := strings.TrimSuffix(r.path, "*")
				if !strings.Contains(err.Error(), r.method+" "+path) || !strings.Contains(err.Error(), k.says) ||
					!strings.Contains(err.Error(), "check the tenant domain") {
					t.Errorf("error %q, want it to name %s %s…%s and what to check", err, r.method, path, k.says)
				}
			})
		}
	}
}

// rewrite answers the requests whose path starts with prefix with body
// (status 200) instead of asking the tenant: for answers the simulated
// tenant never gives, like {} or a hostile scope list.
type rewrite struct {
	base         http.RoundTripper
	prefix, body string
}

func (r rewrite) RoundTrip(req *http.Request) (*http.Response, error) {
	if !strings.HasPrefix(req.URL.Path, r.prefix) {
		return r.base.RoundTrip(req)
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(r.body)), ContentLength: int64(len(r.body)), Request: req}, nil
}

// TestEmptyObjectIsAnAuth0Error: go-auth0 leaves a read's result nil when
// Auth0 answers {}; the steps fail with status 200 instead of dereferencing it.
func TestEmptyObjectIsAnAuth0Error(t *testing.T) {
	reads := map[string]func(s *steps.Session) error{
		"/api/v2/clients": func(s *steps.Session) error { _, err := s.ListApps(context.Background()); return err },
		"/api/v2/resource-servers/": func(s *steps.Session) error {
			_, err := s.ManagementAPIScopes(context.Background())
			return err
		},
	}
	for prefix, read := range reads {
		t.Run(prefix, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			opts := testOptions()
			opts.HTTPClient = &http.Client{Transport: rewrite{base: http.DefaultTransport, prefix: prefix, body: "{}"}}
			s, err := steps.Connect(context.Background(), tt.req, opts)
			if err != nil {
				t.Fatal(err)
			}
			err = read(s)
			var e *steps.Error
			if !errors.As(err, &e) || e.Status != http.StatusOK || !strings.Contains(err.Error(), "with 200 and an empty JSON object") {
				t.Errorf("err = %v, want an Auth0 error with status 200 naming the empty object", err)
			}
		})
	}
}

// TestServerTextIsCleaned puts terminal control sequences wherever the
// tenant's text reaches the operator: error messages (Management API and
// token endpoint), application names, the tenant's name, scope values and
// descriptions. None survives into what the steps return.
func TestServerTextIsCleaned(t *testing.T) {
	t.Run("Management API error message", func(t *testing.T) {
		tt := newTenant(t, sandbox.WizardScopes)
		s := tt.connect(t)
		tt.InjectFault(sandbox.Fault{Method: "GET", Path: "/api/v2/clients", Status: http.StatusBadRequest, Message: sandbox.HostileText})
		_, err := s.ListApps(context.Background())
		var e *steps.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want a *steps.Error", err)
		}
		wantClean(t, "error", err.Error(), "bad")
		wantClean(t, "Auth0Message", e.Auth0Message, "bad")
		wantClean(t, "Detail", e.Detail(), "bad")
	})
	t.Run("token endpoint error message", func(t *testing.T) {
		tt := newTenant(t, sandbox.WizardScopes)
		tt.InjectFault(sandbox.Fault{Method: "POST", Path: "/oauth/token", Status: http.StatusForbidden, Message: sandbox.HostileText})
		_, err := steps.Connect(context.Background(), tt.req, testOptions())
		var e *steps.Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want a *steps.Error", err)
		}
		wantClean(t, "error", err.Error(), "bad")
		wantClean(t, "Auth0Message", e.Auth0Message, "bad")
	})
	t.Run("application names and the tenant's name", func(t *testing.T) {
		tt := newTenantWith(t, sandbox.Options{RateLimit: -1, TenantName: sandbox.HostileText}, sandbox.WizardScopes)
		id, err := tt.SeedApp(sandbox.HostileText+"\nname", sandbox.HostileText, "spa")
		if err != nil {
			t.Fatal(err)
		}
		s := tt.connect(t)
		_, name := s.Tenant()
		wantClean(t, "tenant name", name, "bad")
		apps, err := s.ListApps(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, a := range apps {
			wantClean(t, "application name", a.Name, "")
			found = found || a.ClientID == id && a.Name == "bad name"
		}
		if !found {
			t.Errorf("applications %+v, want %s named %q", apps, id, "bad name")
		}
	})
	t.Run("scope values and descriptions", func(t *testing.T) {
		tt := newTenant(t, sandbox.WizardScopes)
		opts := testOptions()
		body := `{"identifier":"x","scopes":[{"value":"read:users\u001b[2J","description":"` + strings.ReplaceAll(sandbox.HostileText, "\x1b", `\u001b`) + `"}]}`
		body = strings.ReplaceAll(body, "\x07", `\u0007`)
		opts.HTTPClient = &http.Client{Transport: rewrite{base: http.DefaultTransport, prefix: "/api/v2/resource-servers/", body: body}}
		s, err := steps.Connect(context.Background(), tt.req, opts)
		if err != nil {
			t.Fatal(err)
		}
		scopes, err := s.ManagementAPIScopes(context.Background())
		if err != nil || len(scopes) != 1 {
			t.Fatalf("scopes %+v, err %v", scopes, err)
		}
		wantClean(t, "scope value", scopes[0].Value, "read:users")
		wantClean(t, "scope description", scopes[0].Description, "bad")
	})
}

// wantClean checks that s holds no control character, and holds want.
func wantClean(t *testing.T, what, s, want string) {
	t.Helper()
	if strings.ContainsFunc(s, unicode.IsControl) {
		t.Errorf("%s %q holds control characters", what, s)
	}
	if !strings.Contains(s, want) {
		t.Errorf("%s %q, want it to hold %q", what, s, want)
	}
}

// TestSlowAnswerTimesOut: an answer whose headers come at once and whose
// body stalls fails after the request timeout, as Auth0 not answering,
// not when the tenant gives up.
func TestSlowAnswerTimesOut(t *testing.T) {
	tt := newTenant(t, sandbox.WizardScopes)
	opts := testOptions()
	opts.RequestTimeout, opts.MaxRetries = 200*time.Millisecond, -1
	s, err := steps.Connect(context.Background(), tt.req, opts)
	if err != nil {
		t.Fatal(err)
	}
	tt.InjectFault(sandbox.Fault{Method: "GET", Path: "/api/v2/clients", Body: sandbox.BodySlow})
	start := time.Now()
	_, err = s.ListApps(context.Background())
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("a stalled body took %v with a 200ms request timeout", elapsed)
	}
	if err == nil || !strings.Contains(err.Error(), "Auth0 did not answer within 200ms") {
		t.Errorf("err = %v, want Auth0 did not answer within 200ms", err)
	}
}
