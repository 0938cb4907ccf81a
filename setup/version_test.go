package setup

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode"

	"github.com/om-auth0/om-auth0/sandbox"
)

// TestDetectVersion: OpenMetadata's version is read from its public
// endpoint, following a redirect within its host only; an answer that is
// not a usable JSON document, or redirects elsewhere, fails saying so.
func TestDetectVersion(t *testing.T) {
	catcher := sandbox.NewTestCatcher(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok/api/v1/system/version":
			_, _ = io.WriteString(w, `{"version":"1.6.4","revision":"x"}`)
		case "/moved/api/v1/system/version":
			http.Redirect(w, r, "/ok/api/v1/system/version", http.StatusMovedPermanently)
		case "/elsewhere/api/v1/system/version":
			http.Redirect(w, r, catcher.URL()+"/api/v1/system/version", http.StatusTemporaryRedirect)
		case "/null/api/v1/system/version":
			_, _ = io.WriteString(w, "null")
		case "/html/api/v1/system/version":
			w.Header().Set("Content-Type", "text/html")
			_, _ = io.WriteString(w, "<html>sign in</html>")
		case "/huge/api/v1/system/version":
			w.Header().Set("Content-Length", "20000000")
			_, _ = io.WriteString(w, `{"version":"`)
		case "/hostile/api/v1/system/version":
			_, _ = io.WriteString(w, `{"version":"\u001b]0;pwned\u0007\u001b[2J1.x"}`)
		}
	}))
	defer srv.Close()
	tests := map[string]struct {
		path, want, wantErr string
	}{
		"version":                  {"/ok", "1.6.4", ""},
		"same-host redirect":       {"/moved", "1.6.4", ""},
		"redirect to another host": {"/elsewhere", "", "OpenMetadata answered 307 redirecting to " + catcher.URL() + "/api/v1/system/version; om-auth0 follows redirects only within the same host: check the OpenMetadata URL"},
		"null":                     {"/null", "", "OpenMetadata answered GET /null/api/v1/system/version with 200 and null"},
		"not JSON":                 {"/html", "", "with 200 and a body that is not JSON (text/html)"},
		"larger than the cap":      {"/huge", "", "OpenMetadata's answer to GET /huge/api/v1/system/version is larger than 16 MiB"},
		"hostile version":          {"/hostile", "", "give it like 1.6.4"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			v, err := DetectVersion(context.Background(), nil, srv.URL+tt.path)
			if tt.wantErr == "" {
				if err != nil || v.String() != tt.want {
					t.Errorf("DetectVersion = %v, %v; want %s", v, err, tt.want)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to say %q", err, tt.wantErr)
			}
			if strings.ContainsFunc(err.Error(), unicode.IsControl) {
				t.Errorf("error %q holds control characters", err)
			}
		})
	}
	if got := catcher.Requests(); len(got) > 0 {
		t.Errorf("the other host received %d requests", len(got))
	}
}
