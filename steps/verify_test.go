package steps_test

import (
	"context"
	"net/http"
	"slices"
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
