package clitest

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/om-auth0/om-auth0/sandbox"
)

// A tenant that answers what Auth0 never would (a redirect elsewhere, a
// null body, terminal control sequences in an error): exit 1 with the
// reason, never a panic (whose exit status is 2, "bad input"), no file
// written, nothing sent to the other host, and no control character in
// stderr or in the --json result.
func TestHostileAnswersExit1(t *testing.T) {
	tests := map[string]struct {
		fault sandbox.Fault // RedirectTo is the catcher's
		says  string
	}{
		"null application list": {sandbox.Fault{Method: "GET", Path: "/api/v2/clients", Body: sandbox.BodyNull},
			"Auth0 answered GET /api/v2/clients with 200 and null"},
		"redirect of the token request": {sandbox.Fault{Method: "POST", Path: "/oauth/token", Redirect: 307},
			"om-auth0 does not follow redirects with credentials: check the tenant domain"},
		"control sequences in an error": {sandbox.Fault{Method: "GET", Path: "/api/v2/clients", Status: 400, Message: sandbox.HostileText},
			"Auth0 rejected the request: bad"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			tn := newTenant(t)
			catcher := sandbox.NewTestCatcher(t)
			f := tt.fault
			if f.Redirect != 0 {
				f.RedirectTo = catcher.URL()
			}
			tn.InjectFault(f)
			dir := t.TempDir()
			r := run(t, dir, tn.env(), "", "setup", "--json", "--om-version", "1.6.4", "--admin", "alice", "--principal-domain", "example.com", "--out", "out")
			if r.code != 1 || !strings.Contains(r.stderr, tt.says) || strings.Contains(r.stderr, "panic") {
				t.Fatalf("want exit 1 saying %q: %v", tt.says, r)
			}
			if f.Redirect != 0 && !strings.Contains(r.stderr, "redirecting to "+catcher.URL()+"/oauth/token") {
				t.Errorf("stderr does not name the redirect target %s:\n%s", catcher.URL(), r.stderr)
			}
			for _, out := range []string{r.stderr, r.stdout} {
				if strings.ContainsFunc(out, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
					t.Errorf("output holds control characters: %q", out)
				}
			}
			if res := parseResult(t, r.stdout); res.Error == nil || res.Error.Status == 0 {
				t.Errorf("--json error = %+v, want Auth0's status", res.Error)
			}
			if got := catcher.Requests(); len(got) > 0 {
				t.Errorf("the other host received %d requests", len(got))
			}
			if snapshot(t, filepath.Join(dir, "out")) != nil {
				t.Errorf("files were written")
			}
		})
	}
}
