package sandbox

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAuthorizeProbe answers GET /authorize the way OpenMetadata's settings
// validator reads it: a redirect for a known client, 400 otherwise.
func TestAuthorizeProbe(t *testing.T) {
	s := unlimited(t)
	id, _ := s.CreateM2MApp("known", nil)
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		name, clientID string
		status         int
	}{
		{"known client", id, http.StatusFound},
		{"unknown client", "nobody", http.StatusBadRequest},
		{"markup in the client id", "<b>x</b>", http.StatusBadRequest},
		{"no client id", "", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := url.Values{"response_type": {"code"}, "redirect_uri": {"http://test.example.com"}, "state": {"test"}}
			if tc.clientID != "" {
				q.Set("client_id", tc.clientID)
			}
			resp, err := noFollow.Get(s.URL() + "/authorize?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			r := readResponse(t, resp)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.status == http.StatusFound {
				if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "/u/login?state=") {
					t.Fatalf("Location %q", loc)
				}
				return
			}
			body := string(r.body)
			if !strings.Contains(body, "invalid_request: Unknown client: ") || strings.Contains(body, "<b>") {
				t.Fatalf("error page %q", body)
			}
		})
	}
}
