package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/auth0/go-auth0/management"
)

var httpClient = &http.Client{Timeout: 10 * time.Second}

// newFakeClock is a manual clock at a fixed, arbitrary time.
func newFakeClock() *ManualClock { return NewManualClock(time.Unix(1_800_000_000, 0)) }

// startWithClock starts a tenant on a fake clock for the test.
func startWithClock(t *testing.T, opts Options, clock *ManualClock) *Server {
	t.Helper()
	s, err := start(opts, clock.Now)
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// unlimited is a tenant without rate limit, for tests that are not about it.
func unlimited(t *testing.T) *Server {
	t.Helper()
	return NewTest(t, Options{RateLimit: -1})
}

// response is a plain HTTP answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", r.body, err)
	}
	return m
}

// call sends a plain HTTP request; body is marshalled to JSON unless it is
// a string (sent as is) or nil.
func call(t *testing.T, method, u, token string, body any) response {
	t.Helper()
	r, err := tryCall(method, u, token, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	return r
}

// tryCall is call for goroutines other than the test's.
func tryCall(method, u, token string, body any) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return response{}, err
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: raw}, err
}

func readResponse(t *testing.T, resp *http.Response) response {
	t.Helper()
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: raw}
}

// postForm posts a form to /oauth/token, with Basic credentials when id != "".
func postForm(t *testing.T, s *Server, form url.Values, basicID, basicSecret string) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.URL()+"/oauth/token", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basicID != "" {
		req.SetBasicAuth(url.QueryEscape(basicID), url.QueryEscape(basicSecret))
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return readResponse(t, resp)
}

// tokenFor returns a Management API token for a new M2M app with scopes.
func tokenFor(t *testing.T, s *Server, scopes ...string) string {
	t.Helper()
	id, secret := s.CreateM2MApp("token for "+strings.Join(scopes, " "), scopes)
	r := postForm(t, s, url.Values{"grant_type": {"client_credentials"}, "audience": {s.Domain().ManagementAudience()}}, id, secret)
	if r.status != http.StatusOK {
		t.Fatalf("token: %d %s", r.status, r.body)
	}
	return r.json(t)["access_token"].(string)
}

// allScopes are every scope of the Management API.
func allScopes(t *testing.T, s *Server) []string {
	t.Helper()
	var out []string
	for _, sc := range s.apis[0].Scopes {
		out = append(out, sc.Value)
	}
	return out
}

// mgmt is a go-auth0 v1.45.0 client on the tenant with client
// credentials (WithInsecure must come first, docs/auth0.md, "go-auth0 v1.45.0").
func mgmt(t *testing.T, s *Server, id, secret string, opts ...management.Option) *management.Management {
	t.Helper()
	all := append([]management.Option{
		management.WithInsecure(),
		management.WithClientCredentials(context.Background(), id, secret),
		management.WithNoRetries(),
	}, opts...)
	m, err := management.New(s.URL(), all...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wizard is a go-auth0 client holding exactly WizardScopes.
func wizard(t *testing.T, s *Server, opts ...management.Option) *management.Management {
	t.Helper()
	id, secret := s.CreateM2MApp("om-auth0 test", WizardScopes)
	return mgmt(t, s, id, secret, opts...)
}

// wantAPIError checks an error answer against Auth0's exact error body.
func wantAPIError(t *testing.T, r response, status int, message, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	want, _ := json.Marshal(apiError{StatusCode: status, Error: http.StatusText(status), Message: message, ErrorCode: code})
	if string(r.body) != string(want) {
		t.Errorf("body\n got %s\nwant %s", r.body, want)
	}
}

// wantMgmtStatus checks that a go-auth0 call failed with status and a message containing msg.
func wantMgmtStatus(t *testing.T, err error, status int, msg string) {
	t.Helper()
	var mErr management.Error
	if !errors.As(err, &mErr) {
		t.Fatalf("error %v (%T) is not a management.Error", err, err)
	}
	if mErr.Status() != status || !strings.Contains(mErr.Error(), msg) {
		t.Fatalf("error %q, want status %d containing %q", mErr.Error(), status, msg)
	}
}

func mustUnmarshal(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("%.200s: %v", raw, err)
	}
}
