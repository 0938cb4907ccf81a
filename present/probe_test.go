package present

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/om-auth0/om-auth0/auth0http"
	"github.com/om-auth0/om-auth0/openmetadata"
)

// ProbeProblem tells apart what an operator fixes differently, for real
// failures of the version probe's own client.
func TestProbeProblem(t *testing.T) {
	probe := func(url string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		c := auth0http.NewClient(auth0http.Options{RequestTimeout: 200 * time.Millisecond, MaxRetries: -1, Server: "OpenMetadata"})
		var body struct {
			Version string `json:"version"`
		}
		if err := auth0http.GetJSON(ctx, c, url+"/api/v1/system/version", &body); err != nil {
			return err
		}
		_, err := openmetadata.ParseVersion(body.Version)
		return err
	}
	serve := func(h http.HandlerFunc) string {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		return srv.URL
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String()
	ln.Close()

	for _, tt := range []struct {
		name, url, want string
	}{
		{"refused", refused, "connection refused"},
		{"no answer", serve(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() }), "no answer in time"},
		{"a web page", serve(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>hello</html>")
		}), "not OpenMetadata's"},
		{"another JSON", serve(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, `{"version":"banana"}`) }), `version "banana": give it like`},
		{"elsewhere", serve(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://other.example/api/v1/system/version", http.StatusFound)
		}), "redirect"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := probe(tt.url)
			if got := ProbeProblem(err); !strings.Contains(got, tt.want) {
				t.Errorf("ProbeProblem(%v) = %q, want %q", err, got, tt.want)
			}
		})
	}
	if ProbeProblem(nil) != "" {
		t.Error("no error has a problem")
	}
}
