package auth0http_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/sandbox"
)

func testClient() *http.Client {
	return auth0http.NewClient(auth0http.Options{MaxBackoff: time.Millisecond, RequestTimeout: 5 * time.Second})
}

// tenantWithApp is a simulated tenant with a Management API application.
func tenantWithApp(t *testing.T) (srv *sandbox.Server, id, secret string) {
	t.Helper()
	srv = sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	id, secret = srv.CreateM2MApp("om-auth0 admin", sandbox.WizardScopes)
	return srv, id, secret
}

// wantRedirectError checks that err is a *RedirectError naming the catcher,
// and that nothing reached the catcher.
func wantRedirectError(t *testing.T, err error, catcher *sandbox.Catcher, status int, credentials bool) {
	t.Helper()
	var re *auth0http.RedirectError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v (%T), want a *RedirectError", err, err)
	}
	if re.Status != status || !strings.HasPrefix(re.Location, catcher.URL()+"/") || re.Credentials != credentials {
		t.Errorf("redirect error = %+v, want %d to %s…, credentials %v", re, status, catcher.URL(), credentials)
	}
	if !strings.Contains(err.Error(), "redirecting to "+catcher.URL()) {
		t.Errorf("error %q does not name the redirect target", err)
	}
	if got := catcher.Requests(); len(got) > 0 {
		t.Errorf("the catcher on another host received %d requests, first %s %s %v %q", len(got), got[0].Method, got[0].Path, got[0].Header, got[0].Body)
	}
}

// TestCredentialsFollowNoRedirect: a token request (with Basic, the form
// body, or OpenMetadata ≤ 1.0's form) and a Management API call (a bearer
// token) answered with any redirect fail naming its target, and nothing
// reaches the other host. Go's http.Client would have followed each: a 307
// or 308 resends the form body with the secret.
func TestCredentialsFollowNoRedirect(t *testing.T) {
	styles := map[string]auth0http.TokenStyle{"Basic": auth0http.StyleBasic, "form": auth0http.StyleForm, "legacy form": auth0http.StyleLegacyOM}
	for _, status := range []int{301, 302, 303, 307, 308} {
		for name, style := range styles {
			t.Run(http.StatusText(status)+"/token with "+name, func(t *testing.T) {
				srv, id, secret := tenantWithApp(t)
				catcher := sandbox.NewTestCatcher(t)
				srv.InjectFault(sandbox.Fault{Method: http.MethodPost, Path: "/oauth/token", Redirect: status, RedirectTo: catcher.URL()})
				d := srv.Domain()
				_, err := auth0http.RequestToken(context.Background(), testClient(), d.TokenURL(), d.ManagementAudience(), id, secret, style)
				wantRedirectError(t, err, catcher, status, true)
				if catcher.Saw(secret) {
					t.Error("the catcher saw the client secret")
				}
			})
		}
		t.Run(http.StatusText(status)+"/Management API call", func(t *testing.T) {
			srv, id, secret := tenantWithApp(t)
			catcher := sandbox.NewTestCatcher(t)
			client := testClient()
			d := srv.Domain()
			tr, err := auth0http.RequestToken(context.Background(), client, d.TokenURL(), d.ManagementAudience(), id, secret, auth0http.StyleBasic)
			if err != nil {
				t.Fatal(err)
			}
			srv.InjectFault(sandbox.Fault{Path: "/api/v2/clients", Redirect: status, RedirectTo: catcher.URL()})
			req, _ := http.NewRequest(http.MethodGet, srv.URL()+"/api/v2/clients", nil)
			req.Header.Set("Authorization", "Bearer "+tr.AccessToken)
			resp, err := client.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			wantRedirectError(t, err, catcher, status, true)
		})
	}
}

// TestPublicRedirects: a request without credentials (GetJSON) follows a
// redirect within its host, and refuses one to another host without
// sending anything there, and an endless chain.
func TestPublicRedirects(t *testing.T) {
	catcher := sandbox.NewTestCatcher(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/moved":
			http.Redirect(w, r, "/doc", http.StatusMovedPermanently)
		case "/elsewhere":
			http.Redirect(w, r, catcher.URL()+"/doc", http.StatusFound)
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/doc":
			_, _ = io.WriteString(w, `{"issuer":"here"}`)
		}
	}))
	defer srv.Close()
	var doc struct{ Issuer string }
	if err := auth0http.GetJSON(context.Background(), testClient(), srv.URL+"/moved", &doc); err != nil || doc.Issuer != "here" {
		t.Errorf("same-host redirect: err %v, doc %+v", err, doc)
	}
	err := auth0http.GetJSON(context.Background(), testClient(), srv.URL+"/elsewhere", &doc)
	wantRedirectError(t, err, catcher, http.StatusFound, false)
	err = auth0http.GetJSON(context.Background(), testClient(), srv.URL+"/loop", &doc)
	var re *auth0http.RedirectError
	if !errors.As(err, &re) || !re.TooMany || !strings.Contains(err.Error(), "after 5 redirects") {
		t.Errorf("endless same-host redirects: err = %v, want a *RedirectError after 5 redirects", err)
	}
}

// TestBodyFaults: a 200 whose body is null, empty or not JSON is a
// *BodyError naming the status and request, for a token request and a
// public document alike.
func TestBodyFaults(t *testing.T) {
	kinds := map[string]struct {
		kind sandbox.BodyKind
		want auth0http.BodyProblem
		text string
	}{
		"null":     {sandbox.BodyNull, auth0http.BodyNull, "with 200 and null"},
		"empty":    {sandbox.BodyEmpty, auth0http.BodyEmpty, "with 200 and an empty body"},
		"not JSON": {sandbox.BodyNotJSON, auth0http.BodyNotJSON, "with 200 and a body that is not JSON (text/html; charset=utf-8)"},
	}
	for name, k := range kinds {
		t.Run(name, func(t *testing.T) {
			srv, id, secret := tenantWithApp(t)
			d := srv.Domain()
			srv.InjectFault(sandbox.Fault{Path: "/oauth/token", Body: k.kind})
			_, err := auth0http.RequestToken(context.Background(), testClient(), d.TokenURL(), d.ManagementAudience(), id, secret, auth0http.StyleBasic)
			wantBodyError(t, err, k.want, "Auth0 answered POST /oauth/token "+k.text)

			srv.InjectFault(sandbox.Fault{Path: "/.well-known/jwks.json", Body: k.kind})
			var set auth0http.JWKS
			err = auth0http.GetJSON(context.Background(), testClient(), d.JWKSURL(), &set)
			wantBodyError(t, err, k.want, "Auth0 answered GET /.well-known/jwks.json "+k.text)
		})
	}
}

func wantBodyError(t *testing.T, err error, want auth0http.BodyProblem, text string) {
	t.Helper()
	var be *auth0http.BodyError
	if !errors.As(err, &be) || be.Problem != want || be.Status != http.StatusOK {
		t.Fatalf("err = %v (%T), want a *BodyError %v with status 200", err, err, want)
	}
	if !strings.Contains(err.Error(), text) || !strings.Contains(err.Error(), "check the tenant domain") {
		t.Errorf("error %q, want it to say %q and what to check", err, text)
	}
}

// TestOversizedBodyStopsAtTheCap streams a 1 GiB answer: the request fails
// once MaxBody bytes are read, quickly, and without holding more than a
// few times MaxBody in memory; a declared Content-Length past the cap
// fails before reading anything.
func TestOversizedBodyStopsAtTheCap(t *testing.T) {
	srv := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
	srv.InjectFault(sandbox.Fault{Path: "/.well-known/jwks.json", Body: sandbox.BodyOversized, Size: 1 << 30})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	var v any
	err := auth0http.GetJSON(context.Background(), testClient(), srv.Domain().JWKSURL(), &v)
	elapsed := time.Since(start)
	runtime.ReadMemStats(&after)
	wantBodyError(t, err, auth0http.BodyTooLarge, "Auth0's answer to GET /.well-known/jwks.json is larger than 16 MiB")
	if elapsed > 5*time.Second {
		t.Errorf("reading up to the cap took %v", elapsed)
	}
	// The whole answer is 64 times the cap; reading to the cap allocates
	// about three times the cap (the buffer doubles as it grows).
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("an oversized answer failed after %v, having allocated %d MiB", elapsed, alloc>>20)
	if alloc > 4*auth0http.MaxBody {
		t.Errorf("allocated %d MiB reading an oversized answer, want at most %d", alloc>>20, 4*auth0http.MaxBody>>20)
	}

	declared := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "17000000")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("[")) // the rest never comes: the client must not wait for it
	}))
	defer declared.Close()
	err = auth0http.GetJSON(context.Background(), testClient(), declared.URL+"/big", &v)
	wantBodyError(t, err, auth0http.BodyTooLarge, "Auth0's answer to GET /big is larger than 16 MiB")
}

// TestSlowBodyTimesOut: a body that stalls after the headers fails within
// the request timeout, as a timeout, not after the tenant gives up.
func TestSlowBodyTimesOut(t *testing.T) {
	for name, trickle := range map[string]time.Duration{"stalled": 0, "trickling": 20 * time.Millisecond} {
		t.Run(name, func(t *testing.T) {
			srv := sandbox.NewTest(t, sandbox.Options{RateLimit: -1})
			srv.InjectFault(sandbox.Fault{Path: "/.well-known/jwks.json", Body: sandbox.BodySlow, Trickle: trickle})
			client := auth0http.NewClient(auth0http.Options{RequestTimeout: 200 * time.Millisecond, MaxRetries: -1})
			start := time.Now()
			var v any
			err := auth0http.GetJSON(context.Background(), client, srv.Domain().JWKSURL(), &v)
			if elapsed := time.Since(start); elapsed > time.Second {
				t.Errorf("a slow body took %v with a 200ms request timeout", elapsed)
			}
			var te *auth0http.TimeoutError
			if !errors.As(err, &te) && !strings.Contains(err.Error(), "no answer within 200ms") {
				t.Errorf("err = %v, want a timeout", err)
			}
		})
	}
}
