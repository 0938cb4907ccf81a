package steps_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/om-auth0/om-auth0/openmetadata"
	"github.com/om-auth0/om-auth0/sandbox"
	"github.com/om-auth0/om-auth0/steps"
)

// The service account's token is checked with HTTP Basic for every
// version, and with the secret in the form body only for OpenMetadata ≤ 1.0,
// whose ingestion asks that way: later versions' ingestion uses the
// ingestion-bot's JWT, so that request is neither sent nor reported.
func TestVerifyFormBodyTokenOnlyForLegacyIngestion(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		version  openmetadata.Version
		wantForm bool
	}{
		"1.0.2": {openmetadata.Version{Major: 1, Minor: 0, Patch: 2}, true},
		"1.1.0": {openmetadata.Version{Major: 1, Minor: 1}, false},
		"1.6.4": {openmetadata.Version{Major: 1, Minor: 6, Patch: 4}, false},
		"2.0.2": {openmetadata.Version{Major: 2, Minor: 0, Patch: 2}, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			tt := newTenant(t, sandbox.WizardScopes)
			s := tt.connect(t)
			c := choices(openmetadata.Public, steps.Separate)
			c.Version = tc.version
			r := runSetup(t, s, c)
			if !r.verification.OK() {
				t.Errorf("verification: %+v", r.verification.Checks)
			}
			var names []string
			for _, ch := range r.verification.Checks {
				names = append(names, ch.Name)
			}
			if !slices.Contains(names, steps.CheckTokenBasic) {
				t.Errorf("checks %q lack the Basic token", names)
			}
			if got := slices.Contains(names, steps.CheckTokenForm); got != tc.wantForm {
				t.Errorf("form-body check run: %v, want %v (checks %q)", got, tc.wantForm, names)
			}

			// What Verify sends: one token request per checked style.
			tt.ResetRequests()
			v := s.Verify(context.Background(), c, nil, r.sa)
			tokens := 0
			for _, req := range tt.Requests() {
				if req.Method == http.MethodPost && req.Path == "/oauth/token" {
					tokens++
				}
			}
			want := 1
			if tc.wantForm {
				want = 2
			}
			if tokens != want || !v.OK() {
				t.Errorf("Verify sent %d token requests, want %d; checks %+v", tokens, want, v.Checks)
			}
		})
	}
}

// firstAnswer answers the first request to path with body, and passes the
// rest on; it counts the requests to path.
type firstAnswer struct {
	base       http.RoundTripper
	path, body string
	seen       atomic.Int32
}

func (f *firstAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Path != f.path || f.seen.Add(1) > 1 {
		return f.base.RoundTrip(req)
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(f.body)), ContentLength: int64(len(f.body)), Request: req}, nil
}

// Verify uses the discovery document and JWKS that ApplyUIApp read ahead,
// but reads again what failed then, and the JWKS when the service
// account's token was signed with a key the earlier answer lacked (a key
// rotated during the run): the run passes, with one read more.
func TestVerifyReadsAgainWhatTheEarlyReadMissed(t *testing.T) {
	t.Parallel()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	b64 := base64.RawURLEncoding.EncodeToString
	retired := fmt.Sprintf(`{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"retired","n":%q,"e":%q}]}`,
		b64(key.N.Bytes()), b64(big.NewInt(int64(key.E)).Bytes()))
	tests := map[string]struct{ path, body string }{
		"JWKS without the token's key": {"/.well-known/jwks.json", retired},
		"JWKS that is not JSON":        {"/.well-known/jwks.json", "<html>"},
		"discovery naming no issuer":   {"/.well-known/openid-configuration", "{}"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tt := newTenant(t, sandbox.WizardScopes)
			f := &firstAnswer{base: http.DefaultTransport, path: tc.path, body: tc.body}
			opts := testOptions()
			opts.HTTPClient = &http.Client{Transport: f}
			s, err := steps.Connect(context.Background(), tt.req, opts)
			if err != nil {
				t.Fatal(err)
			}
			r := runSetup(t, s, choices(openmetadata.Public, steps.Separate))
			for _, c := range r.verification.Checks {
				if !c.OK {
					t.Errorf("check %q failed: %s", c.Name, c.Detail)
				}
			}
			if n := f.seen.Load(); n != 2 {
				t.Errorf("%s read %d times, want 2 (ahead, and again in Verify)", tc.path, n)
			}
		})
	}
}
